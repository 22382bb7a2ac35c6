#!/bin/sh
# person: bad input exits 2 with one clear line and changes nothing;
# removal is refused while someone or something refers to the person;
# people of another organization are invisible.
. "$(dirname "$0")/lib.sh"

# bad DESC PATTERN CMD...: CMD exits 2 with PATTERN on a single stderr line.
bad() {
    desc=$1; pat=$2; shift 2
    t_exit 2 "$desc" "$@"
    err_has "$pat"
    err_lines 1
}

snapshot() {
    { "$TILLIT" audit log --format csv && "$TILLIT" --org acme person list --format csv; } \
        >"$SCRATCH/$1" 2>&1
}

# unchanged: the audit log and the people are as in the last 'snapshot before'.
unchanged() {
    snapshot now
    if cmp -s "$SCRATCH/before" "$SCRATCH/now"; then ok "failed commands changed nothing"; else
        not_ok "failed commands changed nothing"; diff "$SCRATCH/before" "$SCRATCH/now" | sed 's/^/# /'; fi
}

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null &&
    "$TILLIT" person add ann@acme.io --name Ann --start 2020-01-01 >/dev/null &&
    "$TILLIT" person add bob@acme.io --name Bob --manager ann@acme.io >/dev/null &&
    "$TILLIT" person add cyd@acme.io --name Cyd --manager bob@acme.io >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
snapshot before

bad "invalid email" "invalid email address 'nope'" "$TILLIT" person add nope --name X
bad "email with two @" "invalid email address 'a@b@c.io'" "$TILLIT" person add a@b@c.io --name X
bad "missing name" "usage: tillit person add EMAIL --name NAME" "$TILLIT" person add x@acme.io
bad "empty name" "name of person 'x@acme.io' must not be empty" "$TILLIT" person add x@acme.io --name ""
bad "missing email" "usage: tillit person add" "$TILLIT" person add --name X
bad "bad start date" "start date of person 'x@acme.io': '2026-13-01' is not a date" "$TILLIT" person add x@acme.io --name X --start 2026-13-01
bad "bad end date" "end date of person 'x@acme.io': '31/12/2026' is not a date" "$TILLIT" person add x@acme.io --name X --end 31/12/2026
bad "end before start" "end date '2019-12-31' of person 'x@acme.io' is before their start date '2020-01-01'" \
    "$TILLIT" person add x@acme.io --name X --start 2020-01-01 --end 2019-12-31
bad "end before the stored start" "end date '2019-06-30' of person 'ann@acme.io' is before their start date '2020-01-01'" \
    "$TILLIT" person edit ann@acme.io --end 2019-06-30
bad "duplicate email" "a person with email 'ann@acme.io' already exists" "$TILLIT" person add ann@acme.io --name Again
bad "rename onto an existing email" "a person with email 'bob@acme.io' already exists" \
    "$TILLIT" person edit ann@acme.io --email bob@acme.io
bad "unknown manager" "manager of person 'x@acme.io': no person with email 'zed@acme.io'" \
    "$TILLIT" person add x@acme.io --name X --manager zed@acme.io
bad "own manager on add" "person 'x@acme.io' cannot be their own manager" \
    "$TILLIT" person add x@acme.io --name X --manager x@acme.io
bad "own manager on edit" "person 'ann@acme.io' cannot be their own manager" \
    "$TILLIT" person edit ann@acme.io --manager ann@acme.io
bad "direct cycle" "manager 'bob@acme.io' of person 'ann@acme.io' would make a cycle" \
    "$TILLIT" person edit ann@acme.io --manager bob@acme.io
bad "indirect cycle" "manager 'cyd@acme.io' of person 'ann@acme.io' would make a cycle" \
    "$TILLIT" person edit ann@acme.io --manager cyd@acme.io
bad "contradicting flags" "options '--control-owner' and '--no-control-owner' contradict" \
    "$TILLIT" person edit ann@acme.io --control-owner --no-control-owner
bad "--no-approver is for edit only" "unknown option '--no-approver'" \
    "$TILLIT" person add x@acme.io --name X --no-approver
bad "edit without options" "give at least one option" "$TILLIT" person edit ann@acme.io
bad "edit an unknown person" "no person with email 'zed@acme.io'" "$TILLIT" person edit zed@acme.io --name Z
bad "show an unknown person" "no person with email 'zed@acme.io'" "$TILLIT" person show zed@acme.io
bad "remove an unknown person" "no person with email 'zed@acme.io'" "$TILLIT" person remove zed@acme.io
bad "unknown verb" "unknown subcommand 'person fire'" "$TILLIT" person fire ann@acme.io
bad "no verb" "'person' needs a subcommand" "$TILLIT" person
bad "list format yaml" "unknown format 'yaml'" "$TILLIT" person list --format yaml
bad "show format csv" "unknown format 'csv'" "$TILLIT" person show ann@acme.io --format csv
bad "unknown option" "unknown option '--salary'" "$TILLIT" person add x@acme.io --name X --salary 1
bad "remove a manager" "cannot remove person 'bob@acme.io': still manager of cyd@acme.io" \
    "$TILLIT" person remove bob@acme.io

unchanged

# Ownership of program records: the control, risk and policy commands are
# someone else's, so the rows are written directly.
org=$(db_sql "SELECT id FROM organization WHERE slug = 'acme'")
cyd=$(db_sql "SELECT id FROM person WHERE email = 'cyd@acme.io'")
db_sql "
INSERT INTO control (id, org_id, code, title, owner_id, frequency, nature, type)
  VALUES ('c1', '$org', 'AC-01', 'Access reviews', '$cyd', 'quarterly', 'detective', 'manual'),
         ('c2', '$org', 'AC-02', 'MFA', '$cyd', 'continuous', 'preventive', 'automated');
INSERT INTO risk (id, org_id, code, title, likelihood, impact, treatment, owner_id)
  VALUES ('r1', '$org', 'R-07', 'Insider fraud', 2, 4, 'accept', '$cyd');
INSERT INTO policy (id, org_id, slug, title, owner_id)
  VALUES ('p1', '$org', 'access-control', 'Access control', '$cyd');
INSERT INTO policy_version (policy_id, org_id, number, body, approved_by, approved_on)
  VALUES ('p1', '$org', 1, 'text', '$cyd', '2026-01-10');" ||
    { echo "Bail out! cannot write fixtures"; exit 1; }
snapshot before
bad "remove an owner names what they own" \
    "cannot remove person 'cyd@acme.io': still owner of controls AC-01, AC-02; owner of risks R-07; owner of policies access-control; approver of policies access-control" \
    "$TILLIT" person remove cyd@acme.io
err_has "set an end date instead"
unchanged

# Another organization sees none of acme's people.
"$TILLIT" org create beta --name "Beta AB" >/dev/null
snapshot before
bad "other org: show" "no person with email 'ann@acme.io'" "$TILLIT" --org beta person show ann@acme.io
bad "other org: manager from acme" "no person with email 'ann@acme.io'" \
    "$TILLIT" --org beta person add x@beta.io --name X --manager ann@acme.io
bad "other org: remove" "no person with email 'ann@acme.io'" "$TILLIT" --org beta person remove ann@acme.io
t "other org: list is empty" "$TILLIT" --org beta person list --format json
out_has "^\[\]$"
bad "several orgs need --org" "2 organizations exist: choose one with --org" "$TILLIT" person list

unchanged
t "the audit chain still verifies" "$TILLIT" audit verify

done_testing
