#!/bin/sh
# 'evidence verify' rehashes every blob: exit 0 with a count, or exit 1
# listing each missing or changed blob and the evidence that holds it.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control add AC-1 --title "Access review" --frequency quarterly >/dev/null
echo "alice,yes" >users.csv
echo "backup ok" >backup.log
echo "policy" >policy.txt
"$TILLIT" evidence add users.csv backup.log policy.txt --control AC-1 --period 2026-02-01 >/dev/null
"$TILLIT" evidence add users.csv --control AC-1 --period 2026-02-02 >/dev/null
blob() { sha=$(sha256sum "$1" | cut -c1-64); echo "$T_VAULT/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-)"; }

t "verify untouched blobs" "$TILLIT" evidence verify
out_has "^3 blobs verified"

b=$(blob users.csv)
chmod u+w "$b"
printf 'm' | dd of="$b" bs=1 seek=0 conv=notrunc 2>/dev/null
t_exit 1 "a changed byte is caught" "$TILLIT" evidence verify
out_has "^changed  $(sha256sum users.csv | cut -c1-64)  evidence .* 'users.csv'"
err_has "1 of 3 blobs failed verification"

rm -f "$(blob backup.log)"
t_exit 1 "a missing blob is caught" "$TILLIT" evidence verify
out_has "^missing  $(sha256sum backup.log | cut -c1-64)  evidence .* 'backup.log'"
err_has "2 of 3 blobs failed verification"

t_exit 1 "export refuses a changed blob" "$TILLIT" evidence export --all -o pkg.zip
err_has "in the vault: run 'tillit evidence verify'"
test ! -e pkg.zip && ok "no package written" || not_ok "no package written"

cp users.csv "$b.restore" && chmod u+w "$b" && mv "$b.restore" "$b"
cp backup.log "$(blob backup.log)"
t "restored from a backup, all verify" "$TILLIT" evidence verify
out_has "^3 blobs verified"

# Another organization's evidence is out of sight, and out of reach.
"$TILLIT" org create other --name "Other AB" >/dev/null
"$TILLIT" --org other control add OT-1 --title "Other control" >/dev/null
echo "theirs" >theirs.txt
"$TILLIT" --org other evidence add theirs.txt --control OT-1 >/dev/null
theirs=$("$TILLIT" --org other evidence list --format csv | sed -n 2p | cut -d, -f1)
t "acme does not list it" "$TILLIT" --org acme evidence list --format csv
t "acme has its 4 items" test "$(wc -l <"$SCRATCH/out")" -eq 5
t_exit 2 "acme cannot show it" "$TILLIT" --org acme evidence show "$theirs"
err_has "no evidence"
t_exit 2 "acme cannot use other's controls" "$TILLIT" --org acme evidence add theirs.txt --control OT-1
err_has "no control 'OT-1'"
rm -f "$(blob theirs.txt)"
t "acme still verifies" "$TILLIT" --org acme evidence verify
out_has "^3 blobs verified"
t_exit 1 "other does not" "$TILLIT" --org other evidence verify

done_testing
