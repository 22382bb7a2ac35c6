#!/bin/sh
# t0800: 'export yaml' then 'import yaml' into an empty database then
# 'export yaml' again gives a byte-identical tree, for a realistic program
# built with the CLI and for the demo organization; re-importing an
# unchanged tree changes nothing, not even the audit log.
. "$(dirname "$0")/lib.sh"

audit() { "$TILLIT" audit log --format csv; }

t "init" "$TILLIT" init
db_snapshot empty
t "organization" "$TILLIT" org create acme --name "Acme AB" --legal-name "Acme Aktiebolag" \
    --description "Payroll software for small businesses" --industry SaaS --country SE
t "system" "$TILLIT" scope set --name "Acme Payroll" \
    --boundaries "$(printf 'The payroll service,\nits APIs and the people who run it.')" \
    --commitments "99.9% availability; payroll data kept confidential"
t "availability in scope" "$TILLIT" scope category availability --in
t "confidentiality in scope" "$TILLIT" scope category confidentiality --in
t "privacy out, with a reason" "$TILLIT" scope category privacy --out --reason "No personal data beyond employees"
t "service" "$TILLIT" scope service add "Payroll runs" --description "Monthly payroll for customers"
t "second service" "$TILLIT" scope service add "Payslip portal"
t "component in scope" "$TILLIT" scope component add infrastructure "AWS eu-north-1" --description "Production"
t "component out of scope" "$TILLIT" scope component add software "Marketing site" --out --reason "No customer data"
t "component: people" "$TILLIT" scope component add people "Operations team"
t "carve-out subservice org" "$TILLIT" scope subservice add aws --name "Amazon Web Services" \
    --method carve-out --services "hosting, managed databases"
t "csoc" "$TILLIT" scope csoc add aws --text "Physical access to data centres is restricted" --criteria CC6.4
t "second csoc" "$TILLIT" scope csoc add aws --text "Backups are replicated across zones" --criteria "A1.2,CC7.5"
t "cuec" "$TILLIT" scope cuec add CUEC-01 --text "Customers review who has access to their payroll data" --criteria CC6.2,CC6.3
t "cuec without criteria" "$TILLIT" scope cuec add CUEC-02 --text "Customers keep their own copies of payslips"

t "approver" "$TILLIT" person add ann@acme.io --name "Ann Berg" --title CTO --department Engineering \
    --start 2020-01-01 --approver --control-owner
t "employee with a manager" "$TILLIT" person add bob@acme.io --name "Bob Ek" --title "SRE" \
    --department Engineering --manager ann@acme.io --start 2022-05-01 --control-owner
t "a leaver" "$TILLIT" person add cyd@acme.io --name "Cyd Old" --start 2019-01-01 --end 2026-01-31 \
    --manager ann@acme.io
t "a former approver" "$TILLIT" person add dag@acme.io --name "Dag Lind" --approver

t "adopt library controls" "$TILLIT" control adopt IAM-01 IAM-02 VEN-01 --owner ann@acme.io --status implemented
t "edit an adopted control" "$TILLIT" control edit IAM-02 --owner bob@acme.io --status operating --key
t "custom control" "$TILLIT" control add CUST-01 --title "Payroll totals reconciled" \
    --description "$(printf 'Totals are compared with the bank file.\nDifferences are investigated.')" \
    --owner bob@acme.io --frequency monthly --nature detective --type it-dependent-manual \
    --status designed --evidence "Reconciliation report|Sign-off ticket"
t "map the custom control with points of focus" "$TILLIT" control map CUST-01 CC3.3 --pof CC3.3-PF01,CC3.3-PF03
t "map it to a second criterion" "$TILLIT" control map CUST-01 PI1.4

t "fraud risk, mitigated" "$TILLIT" risk add R-01 --title "Payroll fraud by an insider" \
    --likelihood 3 --impact 5 --treatment mitigate --control CUST-01,IAM-02 --fraud \
    --residual-likelihood 2 --residual-impact 3 --owner ann@acme.io --next-review 2026-09-01 \
    --category fraud --description "An employee changes bank details"
t "accepted risk" "$TILLIT" risk add R-02 --title "Cloud region outage" --likelihood 2 --impact 4 \
    --treatment accept

printf '# Access control\n\n{{org.name}} grants access by role.\n' >"$SCRATCH/v1.md"
printf '# Access control\n\n{{org.name}} grants access by role.\nOwner: {{policy.owner}}\n' >"$SCRATCH/v2.md"
t "policy from a template" "$TILLIT" policy new access-control --template access-control --owner ann@acme.io
t "policy with own text" "$TILLIT" policy new rules --title "House rules" --file "$SCRATCH/v1.md" --review quarterly
t "second version" "$TILLIT" policy edit rules --file "$SCRATCH/v2.md"
t "approve version 1 by the former approver" "$TILLIT" policy approve rules --version 1 --by dag@acme.io --on 2026-01-15
t "approve version 2" "$TILLIT" policy approve rules --version 2 --by ann@acme.io --on 2026-02-01
t "approve the template policy" "$TILLIT" policy approve access-control --by ann@acme.io --on 2026-02-02
t "acks of version 1, one by the leaver" "$TILLIT" policy ack rules --version 1 --person cyd@acme.io,bob@acme.io --on 2026-01-20
t "acks of version 2 on two dates" "$TILLIT" policy ack rules --version 2 --person bob@acme.io --on 2026-02-10
t "second ack of version 2" "$TILLIT" policy ack rules --version 2 --person ann@acme.io --on 2026-02-12
t "dag is no approver any more" "$TILLIT" person edit dag@acme.io --no-approver

t "vendor linked to the subservice org" "$TILLIT" vendor add aws --name "Amazon Web Services" \
    --service Hosting --criticality critical --data-shared "Customer payroll data" \
    --soc-report yes --soc-period-end 2025-12-31 --subservice aws
t "vendor without report" "$TILLIT" vendor add slack --name "Slack" --service Chat
t "not applicable" "$TILLIT" gap na CC9.2-PF07 --reason "No partners, only vendors"

t "export" "$TILLIT" export yaml "$SCRATCH/one"
out_has "exported organization 'acme' to $SCRATCH/one"
t "the tree has a file per record" test -f one/organization.yaml -a -f one/scope.yaml \
    -a -f one/applicability.yaml -a -f one/people/bob@acme.io.yaml -a -f one/controls/IAM-01.yaml \
    -a -f one/controls/CUST-01.yaml -a -f one/risks/R-01.yaml -a -f one/policies/rules.yaml \
    -a -f one/policies/rules.v1.md -a -f one/policies/rules.v2.md -a -f one/vendors/aws.yaml
t "every key is written, empty ones as null" grep -qx "end: null" one/people/ann@acme.io.yaml
t "a manager is an email" grep -qx "manager: ann@acme.io" one/people/bob@acme.io.yaml
t "texts are byte for byte" sh -c 'printf "# Access control\n\nAcme AB grants access by role.\nOwner: {{policy.owner}}\n" | cmp - one/policies/rules.v2.md'
t "multi-line text as a block" grep -qx "description: |-" one/controls/CUST-01.yaml
t "acks sorted by email" sh -c 'grep -A8 "number: 2" one/policies/rules.yaml | grep "person:" | tr -d " " | tr "\n" " " | grep -qx "\-person:ann@acme.io \-person:bob@acme.io "'
t "no ids, no timestamps" sh -c '! grep -rqE "T[0-9]{2}:[0-9]{2}|version: [0-9]" one'
t "pofs under their criterion" sh -c 'grep -A4 "id: CC3.3" one/controls/CUST-01.yaml | grep -q "CC3.3-PF03"'
t "files end with a newline" sh -c 'for f in $(find one -name "*.yaml"); do [ "$(tail -c 1 "$f" | od -An -c | tr -d " ")" = "\n" ] || exit 1; done'

t "a second export is identical" "$TILLIT" export yaml "$SCRATCH/again"
t "byte-identical" diff -r one again

db_snapshot full
db_restore empty
t "dry run into the empty database" "$TILLIT" import yaml one --dry-run
out_has "^create organization acme$"
out_has "^create control CUST-01$"
out_has "^create policy rules$"
t "import into the empty database" "$TILLIT" import yaml one
out_has "imported organization 'acme' from one"
t "export from it" "$TILLIT" export yaml "$SCRATCH/two"
t "the round trip is byte-identical" diff -r one two
t "the audit chain verifies" "$TILLIT" audit verify
audit >"$SCRATCH/audit-before"
t "the audit log as json" "$TILLIT" audit log --format json
keep audit.json
t "the former approver was one again only to record the approval" python3 - "$SCRATCH/audit.json" <<'PY'
import json, sys
log = [(e["action"], e["object_id"]) for e in json.load(open(sys.argv[1])) if e["chain"] != "installation"]
dag = [i for i, e in enumerate(log) if e == ("person.edit", "dag@acme.io")]
approvals = [i for i, e in enumerate(log) if e == ("policy.approve", "rules")]
assert len(dag) == 2 and len(approvals) == 2, log
assert dag[0] < approvals[0] < dag[1] < approvals[1], log
PY

t "re-import of the unchanged tree" "$TILLIT" import yaml one
out_has "^0 to create, 0 to update, 0 to delete$"
audit >"$SCRATCH/audit-after"
t "no audit entries added" cmp "$SCRATCH/audit-before" "$SCRATCH/audit-after"
t "re-import into the original database" "$TILLIT" --db "$T_DB" import yaml one --dry-run
out_has "^0 to create, 0 to update, 0 to delete$"

# export refuses a non-empty directory; --force replaces only the tree's files.
mkdir -p "$SCRATCH/busy" && echo "keep me" >"$SCRATCH/busy/README.md"
t_exit 2 "export into a non-empty directory" "$TILLIT" export yaml "$SCRATCH/busy"
err_has "is not empty (use --force"
t "nothing was written" test ! -e "$SCRATCH/busy/organization.yaml"
t "export --force" "$TILLIT" export yaml "$SCRATCH/busy" --force
t "vendor removed" "$TILLIT" vendor remove slack
t "export --force again" "$TILLIT" export yaml "$SCRATCH/busy" --force
t "the removed vendor's file is gone" test ! -e "$SCRATCH/busy/vendors/slack.yaml"
t "other files stay" grep -q "keep me" "$SCRATCH/busy/README.md"
t "same as a fresh export" "$TILLIT" export yaml "$SCRATCH/fresh"
t "forced tree equals a fresh one" diff -r -x README.md "$SCRATCH/busy" "$SCRATCH/fresh"

# The demo organization, when this build has it.
db_restore empty
if ! "$TILLIT" help demo >/dev/null 2>&1; then
    ok "# SKIP no 'tillit demo' in this build"
elif ! TILLIT_NOW=2026-09-01T09:00:00Z "$TILLIT" demo >"$SCRATCH/demo.out" 2>&1; then
    ok "# SKIP 'tillit demo' failed: $(head -1 "$SCRATCH/demo.out")"
else
    export TILLIT_NOW=2026-09-01T09:00:00Z
    t "export the demo" "$TILLIT" export yaml "$SCRATCH/demo1"
    t "at least 100 controls" test "$(ls "$SCRATCH/demo1/controls" | wc -l)" -ge 100
    db_restore empty
    t "import the demo" "$TILLIT" import yaml "$SCRATCH/demo1"
    t "export it again" "$TILLIT" export yaml "$SCRATCH/demo2"
    t "the demo round trip is byte-identical" diff -r "$SCRATCH/demo1" "$SCRATCH/demo2"
    t "re-import of the demo" "$TILLIT" import yaml "$SCRATCH/demo1" --dry-run
    out_has "^0 to create, 0 to update, 0 to delete$"
fi

done_testing
