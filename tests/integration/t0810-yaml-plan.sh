#!/bin/sh
# t0810: an edited tree gives a plan of creations, updates (naming the
# fields) and deletions in dependency order; --dry-run prints it and
# changes nothing; applying it makes the organization look exactly like the
# tree, so that exporting again gives the edited tree back.
. "$(dirname "$0")/lib.sh"

audit() { "$TILLIT" audit log --format csv; }

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme" >/dev/null &&
    "$TILLIT" person add ann@acme.io --name "Ann" --approver >/dev/null &&
    "$TILLIT" person add bob@acme.io --name "Bob" --manager ann@acme.io >/dev/null &&
    "$TILLIT" person add cyd@acme.io --name "Cyd" >/dev/null &&
    "$TILLIT" person add a-boss@acme.io --name "A Boss" >/dev/null &&
    "$TILLIT" person add z-report@acme.io --name "Z Report" --manager a-boss@acme.io >/dev/null &&
    "$TILLIT" scope subservice add aws --name "AWS" --method carve-out >/dev/null &&
    "$TILLIT" scope csoc add aws --text "Old text" --criteria CC6.4 >/dev/null &&
    "$TILLIT" scope cuec add CUEC-01 --text "Customers review access" --criteria CC6.2 >/dev/null &&
    "$TILLIT" control adopt IAM-01 IAM-02 --owner ann@acme.io >/dev/null &&
    "$TILLIT" risk add R-01 --title "Insider" --likelihood 3 --impact 3 --treatment mitigate \
        --control IAM-02 --owner ann@acme.io >/dev/null &&
    "$TILLIT" risk add R-02 --title "Outage" --likelihood 2 --impact 2 --treatment mitigate \
        --control IAM-01 >/dev/null &&
    printf 'Rules, version one.\n' >"$SCRATCH/v1.md" &&
    "$TILLIT" policy new rules --title "Rules" --file "$SCRATCH/v1.md" >/dev/null &&
    "$TILLIT" vendor add aws --name "AWS" --subservice aws >/dev/null &&
    "$TILLIT" vendor add old-co --name "Old Co" >/dev/null &&
    "$TILLIT" gap na CC9.2-PF07 --reason "No partners" >/dev/null &&
    "$TILLIT" export yaml tree >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "an unchanged tree: nothing to do" "$TILLIT" import yaml tree --dry-run
out_has "^0 to create, 0 to update, 0 to delete$"

# Edit the tree as a reviewer would.
edit() { python3 - "$SCRATCH/tree" "$@"; }
t "edit the tree" edit <<'PY'
import os, sys
root = sys.argv[1]
def sub(path, old, new, count=1):
    p = os.path.join(root, path)
    s = open(p).read()
    assert s.count(old) >= count, (path, old)
    open(p, "w").write(s.replace(old, new))
sub("organization.yaml", "name: Acme\n", "name: Acme AB\n")
sub("risks/R-01.yaml", "likelihood: 3", "likelihood: 4")
sub("risks/R-01.yaml", "owner: ann@acme.io", "owner: bob@acme.io")
# Swap the reporting line: done naively in one order it would be a cycle.
sub("people/ann@acme.io.yaml", "manager: null", "manager: bob@acme.io")
sub("people/bob@acme.io.yaml", "manager: ann@acme.io", "manager: null")
os.remove(os.path.join(root, "people/cyd@acme.io.yaml"))
# A manager and their report both go: the report first, or the app says no.
os.remove(os.path.join(root, "people/a-boss@acme.io.yaml"))
os.remove(os.path.join(root, "people/z-report@acme.io.yaml"))
os.remove(os.path.join(root, "vendors/old-co.yaml"))
os.remove(os.path.join(root, "vendors/aws.yaml"))
os.rmdir(os.path.join(root, "vendors"))
os.remove(os.path.join(root, "risks/R-02.yaml"))
os.remove(os.path.join(root, "controls/IAM-01.yaml"))
sub("scope.yaml", """subservice_orgs:
  - slug: aws
    name: AWS
    method: carve-out
    services: null
    csocs:
      - text: Old text
        criteria:
          - CC6.4
""", "subservice_orgs: []\n")
sub("scope.yaml", "      - CC6.2\n", "      - CC6.2\n      - CC6.3\n")
sub("scope.yaml", "  - category: availability\n    in_scope: false\n    reason: not assessed yet\n",
    "  - category: availability\n    in_scope: true\n    reason: null\n")
sub("applicability.yaml", "CC9.2-PF07", "CC9.2-PF06")
open(os.path.join(root, "controls/NEW-01.yaml"), "w").write("""code: NEW-01
title: A new control
description: null
owner: bob@acme.io
frequency: weekly
nature: detective
type: automated
key: true
status: designed
library_code: null
evidence:
  - Weekly report
criteria:
  - id: CC7.2
    points_of_focus: []
""")
sub("policies/rules.yaml", "    acks: []\n", """    acks: []
  - number: 2
    file: rules.v2.md
    approved_by: ann@acme.io
    approved_on: 2026-02-20
    acks:
      - person: bob@acme.io
        on: 2026-02-25
""")
open(os.path.join(root, "policies/rules.v2.md"), "w").write("Rules, version two.\n")
PY

audit >"$SCRATCH/audit-before"
t "dry run" "$TILLIT" import yaml tree --dry-run
keep plan
t "the plan, in the order it is applied" python3 - "$SCRATCH/plan" <<'PY'
import sys
got = open(sys.argv[1]).read().splitlines()
want = """update organization acme: name
update person ann@acme.io: manager
update person bob@acme.io: manager
update category availability: in_scope, reason
update cuec CUEC-01: criteria
create control NEW-01
update risk R-01: likelihood, owner
update policy rules: versions, approvals, acks
create not-applicable CC9.2-PF06
delete not-applicable CC9.2-PF07
delete vendor aws
delete vendor old-co
delete risk R-02
delete control IAM-01
delete subservice aws
delete person cyd@acme.io
delete person z-report@acme.io
delete person a-boss@acme.io
2 to create, 7 to update, 9 to delete
dry run: nothing was changed""".splitlines()
assert got == want, "\n".join(got)
PY
audit >"$SCRATCH/audit-after"
t "the dry run changed nothing" cmp "$SCRATCH/audit-before" "$SCRATCH/audit-after"
t "the vendor is still there" "$TILLIT" vendor show old-co

t "apply" "$TILLIT" import yaml tree
out_has "^2 to create, 7 to update, 9 to delete$"
out_has "imported organization 'acme' from tree"
t "export after the import" "$TILLIT" export yaml again
t "the organization looks exactly like the tree" diff -r tree again
t "the audit chain verifies" "$TILLIT" audit verify
t "every change audited" "$TILLIT" audit log --format json
keep audit.json
t "audit entries of the import" python3 - "$SCRATCH/audit.json" <<'PY'
import json, sys
log = [(e["action"], e["object_id"]) for e in json.load(open(sys.argv[1]))]
for want in [("org.edit", "acme"), ("risk.edit", "R-01"), ("risk.remove", "R-02"),
             ("control.remove", "IAM-01"), ("control.add", "NEW-01"), ("vendor.remove", "old-co"),
             ("scope.subservice.remove", "aws"), ("person.remove", "cyd@acme.io"),
             ("policy.edit", "rules"), ("policy.approve", "rules"), ("policy.ack", "rules"),
             ("gap.not-applicable", "CC9.2-PF06"), ("gap.applicable", "CC9.2-PF07")]:
    assert want in log, want
PY
t "re-import: nothing to do" "$TILLIT" import yaml tree
out_has "^0 to create, 0 to update, 0 to delete$"

# A CSOC whose text stays gets its criteria updated; a new text is a new CSOC.
t "a subservice org again" "$TILLIT" scope subservice add gcp --name "GCP" --method inclusive
t "with a csoc" "$TILLIT" scope csoc add gcp --text "Keys rotate" --criteria CC6.1
t "export" "$TILLIT" export yaml --force tree
t "edit the csocs" edit <<'PY'
import os, sys
p = os.path.join(sys.argv[1], "scope.yaml")
s = open(p).read()
s = s.replace("      - text: Keys rotate\n        criteria:\n          - CC6.1\n",
              "      - text: Keys rotate\n        criteria:\n          - CC6.1\n          - CC6.7\n"
              "      - text: Logs are kept\n        criteria: []\n")
open(p, "w").write(s)
PY
t "plan" "$TILLIT" import yaml tree --dry-run
out_has "^update subservice gcp: csocs$"
t "apply" "$TILLIT" import yaml tree
t "csocs now" "$TILLIT" scope csoc list gcp --format csv
out_has ',gcp,"CC6.1,CC6.7",Keys rotate'
out_has ",gcp,,Logs are kept"
t "export again" "$TILLIT" export yaml more
t "as edited" diff -r tree more

# A change the app refuses while applying undoes the whole import.
echo "minutes" >"$SCRATCH/minutes.txt"
t "evidence for a control" "$TILLIT" evidence add "$SCRATCH/minutes.txt" --control IAM-02
t "export" "$TILLIT" export yaml --force tree
t "edit: retitle NEW-01, drop IAM-02 and its risk" edit <<'PY'
import os, sys
root = sys.argv[1]
p = os.path.join(root, "controls/NEW-01.yaml")
s = open(p).read()
open(p, "w").write(s.replace("title: A new control", "title: Renamed"))
os.remove(os.path.join(root, "controls/IAM-02.yaml"))
os.remove(os.path.join(root, "risks/R-01.yaml"))
PY
audit >"$SCRATCH/audit-before"
t_exit 2 "the control has evidence: the import fails" "$TILLIT" import yaml tree
err_has "delete control IAM-02: "
audit >"$SCRATCH/audit-after"
t "nothing of it remains" cmp "$SCRATCH/audit-before" "$SCRATCH/audit-after"
t "the title is unchanged" "$TILLIT" control show NEW-01
out_has "A new control"
t "the risk is still there" "$TILLIT" risk show R-01

done_testing
