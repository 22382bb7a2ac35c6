#!/bin/sh
# Who acts ($TILLIT_ROLE, $TILLIT_ACTOR): an auditor sees only the
# engagements they were given, until their access ends or is revoked; they
# write workpapers and requests but not the engagement's setup, access or
# management's response; viewers and contributors write no workpapers.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" person add ann@acme.io --name Ann --control-owner &&
    "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven --owner ann@acme.io &&
    "$TILLIT" control map CHG-01 CC8.1 &&
    "$TILLIT" control add BCP-01 --title "Backups" --frequency daily &&
    "$TILLIT" control map BCP-01 A1.2 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" engagement create --kind type2 --period 2025-01-01..2025-06-30 --slug y2025 &&
    seq -f "PR-%03g" 1 20 >prs.txt &&
    echo in >in.txt && echo out >out.txt && echo old >old.txt &&
    "$TILLIT" evidence add in.txt --control CHG-01 --period 2026-03-01..2026-03-31 &&
    "$TILLIT" evidence add out.txt --control BCP-01 --period 2026-03-01..2026-03-31 &&
    "$TILLIT" evidence add old.txt --control CHG-01 --period 2025-03-01..2025-03-31; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

aud() { env TILLIT_ROLE=auditor TILLIT_ACTOR=karin@firm.example "$TILLIT" "$@"; }

t_exit 2 "an auditor without access sees no engagement" aud engagement show y2026
err_has "no engagement 'y2026'"
t "and lists none" aud engagement list --format csv
if [ "$(wc -l <"$SCRATCH/out")" -eq 1 ]; then ok "only the header"; else not_ok "only the header"; fi
t_exit 2 "an editor does not grant access" env TILLIT_ROLE=editor "$TILLIT" engagement auditor add \
    y2026 karin@firm.example --until 2026-12-31
err_has "the role 'editor' may not grant or revoke auditors' access"
t "an admin does" "$TILLIT" engagement auditor add y2026 Karin@Firm.example --until 2026-09-30
out_has "'Karin@Firm.example' has access to engagement 'y2026' until 2026-09-30"
t "auditors" "$TILLIT" engagement auditor list y2026 --format csv
out_has "^karin@firm.example,2026-09-30,yes,"

t "the auditor sees it" aud engagement list --format csv
out_has "^y2026,"
if grep -q "^y2025," "$SCRATCH/out"; then not_ok "but not last year's"; else ok "but not last year's"; fi
t "its scope" aud engagement scope y2026 --format csv
out_has "^CHG-01,"
if grep -q "BCP-01" "$SCRATCH/out"; then not_ok "only the categories in scope"; else ok "only the categories in scope"; fi
t "its evidence" aud engagement evidence y2026 --format csv
out_has ",in.txt,2026-03-01..2026-03-31,CHG-01,"
if grep -q "out.txt\|old.txt" "$SCRATCH/out"; then not_ok "nothing out of scope or period"; else ok "nothing out of scope or period"; fi

t_exit 2 "the auditor does not create engagements" aud engagement create --kind type1 --as-of 2026-06-30
err_has "the role 'auditor' may not create engagements"
t_exit 2 "nor grant access" aud engagement auditor add y2026 x@firm.example --until 2026-12-31
t "the auditor plans the tests" aud test plan y2026
t "sets a population" aud test population y2026:CHG-01 --file prs.txt
t "draws" aud sample draw y2026:CHG-01 --seed 3 --format csv
items=$(tail -n +2 "$SCRATCH/out" | cut -d, -f3)
first=$(echo "$items" | head -1)
t_exit 2 "an editor writes no workpapers" env TILLIT_ROLE=editor "$TILLIT" test result y2026:CHG-01 "$first" --pass
err_has "the role 'editor' may not write test workpapers"
t_exit 2 "nor a viewer" env TILLIT_ROLE=viewer "$TILLIT" sample draw y2026:CHG-01 --seed 4
t "the auditor records an exception" aud test result y2026:CHG-01 "$first" --exception "no approval"
for i in $(echo "$items" | tail -n +2); do aud test result y2026:CHG-01 "$i" --pass >/dev/null; done
t "and concludes" aud test conclude y2026:CHG-01
out_has "raised finding F-1"
t_exit 2 "management's response is not the auditor's" aud finding edit F-1 --response "ok"
err_has "the role 'auditor' may not respond to findings or manage remediation"
t "an editor writes it" env TILLIT_ROLE=editor "$TILLIT" finding edit F-1 --response "We agree"
t "the auditor requests evidence" aud pbc add y2026 --request "Change tickets" --control CHG-01
t "it is the control owner's task" env TILLIT_ROLE=contributor "$TILLIT" pbc list y2026 --owner ann@acme.io --format csv
out_has "^PBC-001,Change tickets,CHG-01,ann@acme.io,"
t_exit 2 "the auditor does not submit for the organization" aud pbc status y2026:PBC-001 submitted
t "a contributor submits" env TILLIT_ROLE=contributor "$TILLIT" pbc status y2026:PBC-001 submitted
t "the auditor accepts" aud pbc status y2026:PBC-001 accepted
t "and comments" aud pbc comment y2026:PBC-001 --text "Thanks"
t "the audit log names the auditor" "$TILLIT" audit log --chain acme --format csv
out_has ",karin@firm.example,pbc.comment,"

# Access ends on its date, and can be revoked before.
t_exit 2 "after the end date" env TILLIT_NOW=2026-10-01T00:00:00Z TILLIT_ROLE=auditor \
    TILLIT_ACTOR=karin@firm.example "$TILLIT" test list y2026
err_has "access of 'karin@firm.example' to engagement 'y2026' ended on 2026-09-30"
t "revoke" "$TILLIT" engagement auditor revoke y2026 karin@firm.example
t_exit 2 "revoked" aud pbc list y2026
err_has "was revoked on 2026-07-15"
t "listed as inactive" "$TILLIT" engagement auditor list y2026 --format csv
out_has "^karin@firm.example,2026-09-30,no,"
t_exit 2 "an unknown role" env TILLIT_ROLE=owner "$TILLIT" engagement list
err_has "TILLIT_ROLE"
t "the audit chain verifies" "$TILLIT" audit verify

done_testing
