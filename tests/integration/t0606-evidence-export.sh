#!/bin/sh
# 'evidence export' writes a zip with the files, a manifest and its Ed25519
# signature; 'verify-package' checks it without a database and names the
# first file that does not match.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control add AC-1 --title "Access review" --frequency quarterly >/dev/null
"$TILLIT" control add BK-1 --title "Backups" --frequency daily >/dev/null
echo "ACCESS-REVIEW-MARKER alice,yes" >review.csv
echo "BACKUP-LOG-MARKER ok" >backup.log
echo "old draft" >draft.txt
"$TILLIT" evidence add review.csv --control AC-1 --period 2026-01-01..2026-01-31 >/dev/null
"$TILLIT" evidence add backup.log --control BK-1,AC-1 --period 2026-02-28 >/dev/null
"$TILLIT" evidence add draft.txt --control AC-1 >/dev/null
draft=$("$TILLIT" evidence list --format csv | grep draft.txt | cut -d, -f1)
echo "final" >final.txt
"$TILLIT" evidence supersede "$draft" final.txt >/dev/null

t "export all" "$TILLIT" evidence export --all -o pkg.zip
out_has "exported 3 evidence items (3 files) to 'pkg.zip'"
key=$(sed -n 's/^signed with key //p' "$SCRATCH/out")
t "a 64-digit key" test "${#key}" -eq 64
t "the key is kept as hex" test "$(db_sql "SELECT length(public_key) || ',' || length(secret_key) FROM org_key")" = "64,128"

t "the manifest lists what was exported" python3 - "$SCRATCH/pkg.zip" "$key" <<'PY'
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
assert {"manifest.json", "manifest.sig", "public_key.txt"} <= names, names
m = json.loads(z.read("manifest.json"))
assert m["org"]["slug"] == "acme" and m["exported_at"] == "2026-03-01T09:00:00Z", m
assert z.read("public_key.txt").decode().strip() == sys.argv[2]
assert len(z.read("manifest.sig").decode().strip()) == 128
items = {i["name"]: i for i in m["items"]}
assert set(items) == {"review.csv", "backup.log", "final.txt"}, items.keys()
assert items["backup.log"]["controls"] == ["AC-1", "BK-1"]
assert items["review.csv"]["period"] == {"start": "2026-01-01", "end": "2026-01-31"}
for i in m["items"]:
    data = z.read(i["file"])
    assert i["file"] == "files/%s-%s" % (i["sha256"], i["name"])
    assert hashlib.sha256(data).hexdigest() == i["sha256"] and len(data) == i["size"]
    assert z.getinfo(i["file"]).compress_type == zipfile.ZIP_STORED
PY

t "verify-package without a database" env TILLIT_DB="$SCRATCH/none.db" \
    "$TILLIT" evidence verify-package pkg.zip
out_has "^package verified: 3 files"
test ! -e "$SCRATCH/none.db" && ok "no database was created" || not_ok "no database was created"
t "verify-package with the expected key" "$TILLIT" evidence verify-package pkg.zip --key "$key"
other=$(printf '%064d' 7)
t_exit 1 "verify-package with another key" "$TILLIT" evidence verify-package pkg.zip --key "$other"
err_has "not the expected one"
t_exit 2 "verify-package with a malformed key" "$TILLIT" evidence verify-package pkg.zip --key xyz
t_exit 2 "verify-package of a missing file" "$TILLIT" evidence verify-package none.zip

cp pkg.zip bad.zip
off=$(grep -obUa 'BACKUP-LOG-MARKER' bad.zip | head -1 | cut -d: -f1)
printf 'b' | dd of=bad.zip bs=1 seek="$off" conv=notrunc 2>/dev/null
sha=$(sha256sum backup.log | cut -c1-64)
t_exit 1 "a changed byte in a file is caught" "$TILLIT" evidence verify-package bad.zip
err_has "'files/$sha-backup.log'"
head -c 200 pkg.zip >cut.zip
t_exit 1 "a truncated package is caught" "$TILLIT" evidence verify-package cut.zip
err_has "not a readable zip archive"

t "export one control" "$TILLIT" evidence export --control BK-1 -o bk.zip
out_has "exported 1 evidence items (1 files)"
out_has "$key"
t "it verifies" "$TILLIT" evidence verify-package bk.zip --key "$key"
out_has "package verified: 1 files"
t_exit 2 "export an unknown control" "$TILLIT" evidence export --control NOPE -o x.zip
err_has "no control 'NOPE'"

t "audit log" "$TILLIT" audit log --format json
keep log.json
t "the key was created once" test "$(grep -c '"org_key.create"' "$SCRATCH/log.json")" -eq 1
t "both exports are recorded" test "$(grep -c '"evidence.export"' "$SCRATCH/log.json")" -eq 2
secret=$(db_sql "SELECT secret_key FROM org_key")
t "the secret key is not in the log" test "$(db_sql "SELECT count(*) FROM audit_log WHERE coalesce(after_json, '') LIKE '%$secret%'")" -eq 0
t "audit verify" "$TILLIT" audit verify

done_testing
