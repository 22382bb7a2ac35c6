#!/bin/sh
# t0550: 'scope csoc add|edit|remove|list': complementary subservice
# organization controls, their criteria, and ids given by unique prefix.
. "$(dirname "$0")/lib.sh"

# --- helpers shared by the t05xx scope tests (kept inline: lib.sh is shared) ---
# state: the audit log and the whole scope, to prove a failed command changed nothing.
state() { "$TILLIT" audit log --format csv | wc -l; "$TILLIT" scope show --format json; }
# bad DESC CMD...: exits 2 with one error line and changes nothing.
bad() {
    desc=$1; shift
    before=$(state)
    t_exit 2 "$desc" "$@"
    err_lines 1
    if [ "$(state)" = "$before" ]; then ok "$desc: nothing changed"; else not_ok "$desc: nothing changed"; fi
}
# json_cmd DESC CMD...: runs CMD (which must pass) and keeps its stdout for json_ok.
json_cmd() { t "$@"; cp "$SCRATCH/out" "$SCRATCH/json"; }
# json_ok DESC EXPR: the kept JSON, d, makes the python EXPR true.
json_ok() {
    t "$1" python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert $2, d" "$SCRATCH/json"
}

t "init" "$TILLIT" init
t "create organization" "$TILLIT" org create acme --name "Acme AB"
t "add aws" "$TILLIT" scope subservice add aws --name "AWS" --method carve-out
t "add stripe" "$TILLIT" scope subservice add stripe --name "Stripe" --method carve-out

t "add a csoc with criteria" "$TILLIT" scope csoc add aws --text "Physical access to data centres is restricted" \
    --criteria "cc6.4, CC6.5,CC6.4"
out_has "added csoc [0-9a-z]\{26\} to 'aws'"
t "add one without criteria" "$TILLIT" scope csoc add aws --text "Hardware is disposed of securely"
t "add one for stripe" "$TILLIT" scope csoc add stripe --text "Card data is protected" --criteria CC6.7
json_cmd "list as json" "$TILLIT" scope csoc list --format json
json_ok "criteria in catalog spelling, no repeats" \
    '[(c["subservice"], c["text"], c["criteria"]) for c in d] == [("aws", "Hardware is disposed of securely", ""), ("aws", "Physical access to data centres is restricted", "CC6.4,CC6.5"), ("stripe", "Card data is protected", "CC6.7")]'
json_ok "ids are 26 characters" 'all(len(c["id"]) == 26 for c in d)'
json_cmd "list one subservice org" "$TILLIT" scope csoc list stripe --format json
json_ok "only stripe's" '[c["text"] for c in d] == ["Card data is protected"]'
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show nests csocs with criteria arrays" \
    '[(c["text"], c["criteria"]) for c in d["subservice_orgs"][0]["csocs"]] == [("Hardware is disposed of securely", []), ("Physical access to data centres is restricted", ["CC6.4", "CC6.5"])]'
json_cmd "subservice list" "$TILLIT" scope subservice list --format json
json_ok "csoc counts" '[s["csocs"] for s in d] == ["2", "1"]'

id=$("$TILLIT" scope csoc list stripe --format csv | sed -n 2p | cut -d, -f1)
prefix=$(echo "$id" | cut -c1-8)
t "edit by id prefix" "$TILLIT" scope csoc edit "$prefix" --criteria "CC6.7,CC6.1"
out_has "updated csoc $id"
t "an upper-case prefix works too" "$TILLIT" scope csoc edit "$(echo "$prefix" | tr a-z A-Z)" --text "Card data is encrypted"
json_cmd "list stripe" "$TILLIT" scope csoc list stripe --format json
json_ok "edited, twice" 'd == [{"id": "'"$id"'", "subservice": "stripe", "text": "Card data is encrypted", "criteria": "CC6.7,CC6.1", "version": "3"}]'
t "clear the criteria" "$TILLIT" scope csoc edit "$id" --criteria ""
json_cmd "list stripe" "$TILLIT" scope csoc list stripe --format json
json_ok "criteria cleared" '[c["criteria"] for c in d] == [""]'
t "remove by full id" "$TILLIT" scope csoc remove "$id"
out_has "removed csoc $id"
json_cmd "list stripe" "$TILLIT" scope csoc list stripe --format json
json_ok "gone" 'd == []'
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.csoc.add,csoc,"
out_has ",scope.csoc.edit,csoc,$id,"
out_has ",scope.csoc.remove,csoc,$id,"
t "list as a table" "$TILLIT" scope csoc list aws
out_has "^id *subservice *criteria *text"
out_has "aws *CC6.4,CC6.5 *Physical access"

bad "unknown criterion" "$TILLIT" scope csoc add aws --text "x" --criteria "CC6.4,CC9.9"
err_has "unknown criterion 'CC9.9'"
bad "empty criterion" "$TILLIT" scope csoc add aws --text "x" --criteria "CC6.4,,CC6.5"
err_has "empty criterion in criteria 'CC6.4,,CC6.5'"
bad "unknown subservice org" "$TILLIT" scope csoc add gcp --text "x"
err_has "no subservice organization 'gcp'"
bad "no text" "$TILLIT" scope csoc add aws
err_has "usage: tillit scope csoc add SUBSERVICE --text TEXT"
bad "empty text" "$TILLIT" scope csoc add aws --text " "
err_has "csoc text must not be empty"
bad "list an unknown subservice org" "$TILLIT" scope csoc list gcp
err_has "no subservice organization 'gcp'"
bad "remove unknown" "$TILLIT" scope csoc remove 0000000000
err_has "no csoc '0000000000'"
bad "remove a malformed id" "$TILLIT" scope csoc remove "a%"
err_has "invalid csoc id 'a%'"
first=$("$TILLIT" scope csoc list --format csv | sed -n 2p | cut -d, -f1)
bad "edit with an unknown criterion" "$TILLIT" scope csoc edit "$first" --criteria "XX1"
err_has "unknown criterion 'XX1'"

# With 33 csocs, two ids share their first character (32 are possible).
i=0
while [ $i -lt 31 ]; do "$TILLIT" scope csoc add stripe --text "control $i" >/dev/null || break; i=$((i + 1)); done
t "33 csocs" test "$("$TILLIT" scope csoc list --format csv | wc -l)" -eq 34
dup=$("$TILLIT" scope csoc list --format csv | sed 1d | cut -c1 | sort | uniq -d | head -1)
bad "an ambiguous prefix" "$TILLIT" scope csoc remove "$dup"
err_has "csoc id '$dup' is ambiguous"

done_testing
