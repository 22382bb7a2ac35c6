#!/bin/sh
# 'tillit control adopt': copying library controls into an organization's
# program, in its language; skipping what is there; refusing unknown codes
# before anything is written.
. "$(dirname "$0")/lib.sh"

# People commands are built separately; a person row is all adopt needs.
add_person() { # ORG_SLUG EMAIL NAME
    db_sql "INSERT INTO person (id, org_id, email, name)
            SELECT 'p-$2', id, '$2', '$3' FROM organization WHERE slug = '$1'"
}
audit_count() { "$TILLIT" audit log --format csv | wc -l; }

t "init" "$TILLIT" init
t "create an English organization" "$TILLIT" org create acme --name "Acme"
t "create a Swedish organization" "$TILLIT" org create svab --name "Sv AB" --language sv
t "add a person to acme" add_person acme alice@example.com Alice
export TILLIT_ORG=acme

t "adopt two controls" "$TILLIT" control adopt GOV-01 rsk-04
out_has "^adopted 2 controls from the library$"
t "adopted controls are listed" "$TILLIT" control list
out_has "^GOV-01  *Code of conduct acknowledged at hire and every year  *not-started  *annual  *yes  *CC1.1,CC1.5,CC2.2$"
out_has "^RSK-04 "
t "one audit entry per adopted control" sh -c \
    "\"$TILLIT\" audit log --chain acme | grep -c 'control.adopt' | grep -qx 2"

t "show an adopted control as json" "$TILLIT" control show GOV-01 --format json
cp "$SCRATCH/out" "$SCRATCH/gov01.json"
t "adopted control carries the library's fields" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["library_code"] == "GOV-01" and c["family"] == "governance", c
assert c["frequency"] == "annual" and c["nature"] == "preventive", c
assert c["type"] == "it-dependent-manual" and c["key"] is True, c
assert c["status"] == "not-started" and c["owner"] is None, c
assert len(c["evidence_expected"]) == 3, c
assert c["criteria"][0] == {"criterion": "CC1.1",
                            "points_of_focus": ["CC1.1-PF02", "CC1.1-PF03", "CC1.1-PF05"]}, c
' "$SCRATCH/gov01.json"

# Unknown codes: refused, all of them named, nothing written.
before=$(audit_count)
t_exit 2 "unknown codes are refused" "$TILLIT" control adopt IAM-01 NOPE-1 NOPE-2
err_has "^tillit: no library controls 'NOPE-1', 'NOPE-2' (see 'tillit control library')$"
err_lines 1
t "nothing was adopted" sh -c "! \"$TILLIT\" control list | grep -q IAM-01"
t "audit log unchanged" test "$(audit_count)" -eq "$before"

t_exit 2 "bad status is refused" "$TILLIT" control adopt IAM-01 --status done
err_has "unknown status \"done\" (expected one of: not-started, designed, implemented, operating)"
err_lines 1
t_exit 2 "unknown owner is refused" "$TILLIT" control adopt IAM-01 --owner bob@example.com
err_has "no person with email 'bob@example.com'"
err_lines 1
t_exit 2 "codes and --all together are refused" "$TILLIT" control adopt IAM-01 --all
err_has "usage: tillit control adopt"
t_exit 2 "adopt without codes is refused" "$TILLIT" control adopt
t "audit log still unchanged" test "$(audit_count)" -eq "$before"

t "adopt with owner and status; adopted codes are skipped" \
    "$TILLIT" control adopt GOV-01 IAM-01 --owner alice@example.com --status designed
out_has "^skipped GOV-01: already in the program$"
out_has "^adopted 1 control from the library (1 already adopted)$"
t "owner and status were set" "$TILLIT" control list --owner alice@example.com --status designed
out_has "^IAM-01 .* designed .* alice@example.com "

t "adopt the whole library" "$TILLIT" control adopt --all
out_has "(3 already adopted)"
t "list as json" "$TILLIT" control list --format json
cp "$SCRATCH/out" "$SCRATCH/all.json"
t "the program has every library control" python3 -c '
import json, sys
cs = json.load(open(sys.argv[1]))
assert len(cs) >= 120, len(cs)
assert [c["code"] for c in cs] == sorted(c["code"] for c in cs)
assert set(cs[0]) == {"code", "title", "status", "frequency", "owner", "key", "criteria"}
' "$SCRATCH/all.json"
t "adopting again changes nothing" "$TILLIT" control adopt --all
out_has "^adopted 0 controls from the library"

# The Swedish organization gets Swedish titles and evidence.
t "adopt into the Swedish organization" "$TILLIT" --org svab control adopt HR-01
t "title is Swedish" "$TILLIT" --org svab control show HR-01
out_has "^title:  *Bakgrundskontroll genomförs före anställningsstart$"
t "the other organization is untouched" "$TILLIT" --org svab control list --format csv
t "svab has one control" test "$(wc -l <"$SCRATCH/out")" -eq 2

t "audit chain verifies" "$TILLIT" audit verify
done_testing
