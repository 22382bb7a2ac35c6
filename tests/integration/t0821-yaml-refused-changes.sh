#!/bin/sh
# t0821: changes no app function can make are refused by the plan, with
# the place in the tree: an existing policy version's text, approval or
# acknowledgments, a policy's template, the library control a control was
# adopted from.  New versions, approvals and acknowledgments are fine.
. "$(dirname "$0")/lib.sh"

audit() { "$TILLIT" audit log --format csv; }

err_line() {
    if grep -qxF -- "$1" "$SCRATCH/err"; then ok "stderr: $1"; else not_ok "stderr: $1"; sed 's/^/# /' "$SCRATCH/err" | head -20; fi
}

bad() {
    before=$(audit)
    t_exit 2 "$1" "$TILLIT" import yaml bad
    if [ "$(audit)" = "$before" ]; then ok "$1: nothing changed"; else not_ok "$1: nothing changed"; fi
}

fresh() { rm -rf bad && cp -R base bad; }

# sub FILE OLD NEW: replaces text in bad/FILE (OLD must be there).
sub() {
    python3 - "bad/$1" "$2" "$3" <<'PY'
import sys
p, old, new = sys.argv[1:]
s = open(p).read()
assert old in s, (p, old)
open(p, "w").write(s.replace(old, new, 1))
PY
}

printf 'Version one.\n' >"$SCRATCH/v1.md"
printf 'Version two.\n' >"$SCRATCH/v2.md"
"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme" >/dev/null &&
    "$TILLIT" person add ann@acme.io --name "Ann" --approver >/dev/null &&
    "$TILLIT" person add bob@acme.io --name "Bob" --end 2026-02-15 >/dev/null &&
    "$TILLIT" control adopt IAM-01 >/dev/null &&
    "$TILLIT" policy new rules --title "Rules" --file "$SCRATCH/v1.md" >/dev/null &&
    "$TILLIT" policy edit rules --file "$SCRATCH/v2.md" >/dev/null &&
    "$TILLIT" policy approve rules --version 1 --by ann@acme.io --on 2026-01-10 >/dev/null &&
    "$TILLIT" policy ack rules --version 1 --person bob@acme.io --on 2026-01-12 >/dev/null &&
    "$TILLIT" policy new ac --template access-control >/dev/null &&
    "$TILLIT" export yaml base >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

fresh
printf 'Version one, edited.\n' >bad/policies/rules.v1.md
bad "the text of an existing version"
err_line "policies/rules.yaml:8:11: policy versions cannot be changed: the text of version 1 of policy 'rules' differs from the one stored (add a version instead)"
err_line "tillit: 1 mistake in 'bad': nothing was imported"

fresh
python3 - bad/policies/rules.yaml <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write(s[:s.index("  - number: 2")])
PY
rm bad/policies/rules.v2.md
bad "a version removed"
err_line "policies/rules.yaml:7:3: policy versions cannot be removed: policy 'rules' has 2 versions in the database"

fresh
sub policies/rules.yaml "approved_on: 2026-01-10" "approved_on: 2026-01-11"
bad "an approval changed"
err_line "policies/rules.yaml:9:18: the approval of version 1 of policy 'rules' cannot be changed (approved by ann@acme.io on 2026-01-10)"

fresh
sub policies/rules.yaml "    acks:
      - person: bob@acme.io
        on: 2026-01-12
" "    acks: []
"
bad "an acknowledgment removed"
err_line "policies/rules.yaml:7:5: acknowledgments cannot be changed: 'bob@acme.io' acknowledged version 1 of policy 'rules' on 2026-01-12"

fresh
sub policies/ac.yaml "template: access-control" "template: backup"
bad "a template changed"
err_line "policies/ac.yaml:5:11: the template of policy 'ac' cannot be changed (it is 'access-control' in the database)"

fresh
sub controls/IAM-01.yaml "library_code: IAM-01" "library_code: IAM-02"
bad "the library control of an adopted control"
err_line "controls/IAM-01.yaml:10:15: the library control a control was adopted from cannot be changed (control 'IAM-01' has library_code 'IAM-01' in the database)"

fresh
sub policies/rules.yaml "  - number: 2
    file: rules.v2.md
    approved_by: null
    approved_on: null
    acks: []" "  - number: 2
    file: rules.v2.md
    approved_by: ann@acme.io
    approved_on: 2026-02-20
    acks:
      - person: bob@acme.io
        on: 2026-02-21"
bad "an acknowledgment after leaving"
err_line "policies/rules.yaml:19:17: person 'bob@acme.io' left on 2026-02-15, before acknowledging on 2026-02-21"

fresh
printf 'Version one.\n' >bad/policies/rules.v2.md
bad "a version with the text of the one before"
err_line "policies/rules.yaml:15:11: version 2 has the same text as version 1 (a new version is a change of text)"

# What may change: a new version, approved and acknowledged.
fresh
sub policies/rules.yaml "    acks: []
" "    acks:
      - person: ann@acme.io
        on: 2026-02-11
  - number: 3
    file: rules.v3.md
    approved_by: ann@acme.io
    approved_on: 2026-02-20
    acks:
      - person: ann@acme.io
        on: 2026-02-21
"
printf 'Version three.\n' >bad/policies/rules.v3.md
t "a new version, approval and acknowledgments" "$TILLIT" import yaml bad
out_has "^update policy rules: versions, approvals, acks$"
t "export" "$TILLIT" export yaml after
t "the policy as in the tree" diff -r bad after
t "three versions" "$TILLIT" policy show rules
out_has "version:   3 of 3"

done_testing
