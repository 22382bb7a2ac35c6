#!/bin/sh
# t0510: 'scope category': trust services categories in and out of scope,
# and the model rules (security stays in, out needs a reason).
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

t "availability in" "$TILLIT" scope category availability --in
out_has "category 'availability' is in scope"
t "privacy out with a reason" "$TILLIT" scope category privacy --out --reason "no personal data processed"
out_has "category 'privacy' is out of scope: no personal data processed"
json_cmd "list categories as json" "$TILLIT" scope category list --format json
json_ok "decisions recorded, in catalog order" \
    '[(c["category"], c["scope"], c["reason"]) for c in d] == [("security", "in", ""), ("availability", "in", ""), ("processing-integrity", "out", "not assessed yet"), ("confidentiality", "out", "not assessed yet"), ("privacy", "out", "no personal data processed")]'
t "availability back out" "$TILLIT" scope category availability --out --reason "customers host their own backups"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show agrees" \
    '[c for c in d["categories"] if c["category"] == "availability"] == [{"category": "availability", "in_scope": False, "reason": "customers host their own backups"}]'
t "security in is allowed" "$TILLIT" scope category security --in
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.category,scope_category,availability,"
out_has ",scope.category,scope_category,privacy,"
t "list as csv" "$TILLIT" scope category list --format csv
out_has "^category,scope,reason"

bad "security out" "$TILLIT" scope category security --out --reason "we are small"
err_has "security is always in scope"
bad "out without a reason" "$TILLIT" scope category confidentiality --out
err_has "category 'confidentiality' left out of scope needs a reason"
bad "out with a blank reason" "$TILLIT" scope category confidentiality --out --reason "  "
err_has "needs a reason"
bad "unknown category" "$TILLIT" scope category integrity --in
err_has 'unknown category "integrity" (expected one of: security, availability, processing-integrity, confidentiality, privacy)'
bad "in with a reason" "$TILLIT" scope category availability --in --reason "why not"
err_has "category 'availability' in scope takes no reason"
bad "both --in and --out" "$TILLIT" scope category availability --in --out --reason x
err_has "usage: tillit scope category CATEGORY --in | --out --reason TEXT"
bad "neither --in nor --out" "$TILLIT" scope category availability
err_has "usage: tillit scope category"
bad "no category" "$TILLIT" scope category --in
err_has "usage: tillit scope category"
bad "two categories" "$TILLIT" scope category availability privacy --in
err_has "unexpected argument 'privacy'"
bad "--in takes no value" "$TILLIT" scope category availability --in=yes
err_has "option '--in' takes no value"

done_testing
