#!/bin/sh
# Concurrent edits: an edit based on a stale version (--if-version) is
# refused naming who changed the record and when, and changes nothing (for
# every editable record: controls, risks, people, vendors, policies, the
# system, services, components, subservice organizations, CSOCs, CUECs and
# plan tasks); many
# writers at once never fork an audit chain (a lock on the chain's head) and
# none of them fails.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name Acme >/dev/null &&
    "$TILLIT" org create beta --name Beta >/dev/null &&
    "$TILLIT" --org acme control add X-1 --title "Access review" >/dev/null &&
    "$TILLIT" --org acme risk add R-1 --title "Fraud" --likelihood 2 --impact 3 \
        --treatment accept >/dev/null || { echo "Bail out! setup failed"; exit 1; }
export TILLIT_ORG=acme

t "show has the version" "$TILLIT" control show X-1
out_has "^version: *1$"
t "an edit based on the current version" env TILLIT_ACTOR=alice TILLIT_NOW=2026-03-02T10:00:00Z \
    "$TILLIT" control edit X-1 --title "Quarterly access review" --if-version 1
t "the version counts it" "$TILLIT" control show X-1
out_has "^version: *2$"
entries=$("$TILLIT" audit log --format csv | wc -l)
t_exit 2 "an edit based on a stale version is refused" env TILLIT_ACTOR=bob \
    "$TILLIT" control edit X-1 --title "Monthly access review" --if-version 1
err_has "^tillit: control 'X-1' was changed by alice at 2026-03-02T10:00:00Z (version 2, not 1)"
err_lines 1
t "and changed nothing" "$TILLIT" control show X-1
out_has "^title: *Quarterly access review$"
out_has "^version: *2$"
t "nor logged anything" test "$("$TILLIT" audit log --format csv | wc -l)" -eq "$entries"
t "without --if-version the edit goes through" "$TILLIT" control edit X-1 --description "d"
t_exit 2 "a version that is not a number" "$TILLIT" control edit X-1 --title x --if-version two
err_has "needs a positive version number"
t_exit 2 "version 0" "$TILLIT" control edit X-1 --title x --if-version 0

t "risk: an edit based on the current version" env TILLIT_ACTOR=carol "$TILLIT" risk edit R-1 \
    --impact 4 --if-version 1
t "risk: show has the version" "$TILLIT" risk show R-1 --format json
out_has '"version": 2'
t_exit 2 "risk: a stale edit is refused" "$TILLIT" risk edit R-1 --impact 5 --if-version 1
err_has "risk 'R-1' was changed by carol at 2026-03-01T09:00:00Z (version 2, not 1)"
t "risk: unchanged" "$TILLIT" risk show R-1 --format json
out_has '"impact": 4'

# People, vendors, policies and the system take --if-version too.
{ "$TILLIT" person add pia@acme.io --name Pia && "$TILLIT" vendor add aws --name AWS &&
    "$TILLIT" policy new access --template access-control && "$TILLIT" scope set --name Platform
} >/dev/null || not_ok "setup of people, vendors, policies and the system"
t "person: show has the version" "$TILLIT" person show pia@acme.io
out_has "^version: *1$"
t "person: an edit based on the current version" env TILLIT_ACTOR=dave "$TILLIT" person edit \
    pia@acme.io --title CTO --if-version 1
entries=$("$TILLIT" audit log --format csv | wc -l)
t_exit 2 "person: a stale edit is refused" "$TILLIT" person edit pia@acme.io --title CEO --if-version 1
err_has "^tillit: person 'pia@acme.io' was changed by dave at 2026-03-01T09:00:00Z (version 2, not 1)"
t "person: unchanged" "$TILLIT" person show pia@acme.io
out_has "^title: *CTO$"
out_has "^version: *2$"
t "person: nor logged" test "$("$TILLIT" audit log --format csv | wc -l)" -eq "$entries"
t_exit 2 "person: a version that is not a number" "$TILLIT" person edit pia@acme.io --title x --if-version -1
err_has "needs a positive version number"

t "vendor: show has the version" "$TILLIT" vendor show aws
out_has "^version: *1$"
t "vendor: an edit based on the current version" env TILLIT_ACTOR=erik "$TILLIT" vendor edit aws \
    --criticality high --if-version 1
t_exit 2 "vendor: a stale edit is refused" "$TILLIT" vendor edit aws --criticality low --if-version 1
err_has "^tillit: vendor 'aws' was changed by erik at 2026-03-01T09:00:00Z (version 2, not 1)"
t "vendor: unchanged" "$TILLIT" vendor show aws
out_has "^criticality: *high$"
t "vendor: a rename based on the current version" "$TILLIT" vendor edit aws --slug amazon --if-version 2
t "vendor: ... renamed" "$TILLIT" vendor show amazon
out_has "^version: *3$"

t "policy: show has the edit count" "$TILLIT" policy show access
out_has "^edits: *1$"
t "policy: an edit based on the current count" env TILLIT_ACTOR=fia "$TILLIT" policy edit access \
    --review quarterly --if-version 1
t_exit 2 "policy: a stale edit is refused" "$TILLIT" policy edit access --title T --if-version 1
err_has "^tillit: policy 'access' was changed by fia at 2026-03-01T09:00:00Z (version 2, not 1)"
t "policy: unchanged" "$TILLIT" policy show access --format json
out_has '"edits": 2'
out_has '"review": "quarterly"'
out_has '"current_version": 1'

t "system: show has the version" "$TILLIT" scope show
out_has "^version: *2$"
t_exit 2 "system: a stale edit is refused" "$TILLIT" scope set --name Other --if-version 1
err_has "^tillit: system 'system' was changed by test at 2026-03-01T09:00:00Z (version 2, not 1)"
t "system: an edit based on the current version" "$TILLIT" scope set --name Other --if-version 2
t "system: ... applied" "$TILLIT" scope show
out_has "^system: *Other$"
out_has "^version: *3$"

# The scope's services, components, subservice organizations, CSOCs and
# CUECs, and plan tasks, take --if-version too; their lists give the version.
{ "$TILLIT" scope service add Payroll && "$TILLIT" scope component add data records &&
    "$TILLIT" scope subservice add stripe --name Stripe --method carve-out &&
    "$TILLIT" scope csoc add stripe --text "Card data is protected" &&
    "$TILLIT" scope cuec add CUEC-1 --text "Customers keep passwords" &&
    "$TILLIT" plan --start 2026-01-05 --target type1
} >/dev/null || not_ok "setup of the scope's records and the plan"
CSOC=$("$TILLIT" scope csoc list --format csv | sed -n 2p | cut -d, -f1)
entries=$("$TILLIT" audit log --format csv | wc -l)

t "service: the list has the version" "$TILLIT" scope service list
out_has "^name *description *version$"
out_has "^Payroll  *1$"
t "service: an edit based on the current version" env TILLIT_ACTOR=gus "$TILLIT" scope service \
    edit Payroll --description "salaries" --if-version 1
t_exit 2 "service: a stale edit is refused" "$TILLIT" scope service edit Payroll --name Pay --if-version 1
err_has "^tillit: service 'Payroll' was changed by gus at 2026-03-01T09:00:00Z (version 2, not 1)"
err_lines 1
t "service: unchanged" "$TILLIT" scope service list --format json
out_has '"name": "Payroll"'
out_has '"version": "2"'

t "component: an edit based on the current version" env TILLIT_ACTOR=hal "$TILLIT" scope component \
    edit data records --out --reason "kept by customers" --if-version 1
t_exit 2 "component: a stale edit is refused" "$TILLIT" scope component edit data records --in \
    --if-version 1
err_has "^tillit: component 'data/records' was changed by hal at 2026-03-01T09:00:00Z (version 2, not 1)"
t "component: unchanged" "$TILLIT" scope component list --format csv
out_has "^data,records,out,kept by customers,,2[[:space:]]*$"

t "subservice: an edit based on the current version" env TILLIT_ACTOR=ida "$TILLIT" scope subservice \
    edit stripe --method inclusive --if-version 1
t_exit 2 "subservice: a stale edit is refused" "$TILLIT" scope subservice edit stripe \
    --method carve-out --if-version 1
err_has "^tillit: subservice_org 'stripe' was changed by ida at 2026-03-01T09:00:00Z (version 2, not 1)"
t "subservice: unchanged" "$TILLIT" scope show --format json
out_has '"method": "inclusive"'

t "csoc: an edit by id prefix based on the current version" env TILLIT_ACTOR=jon "$TILLIT" scope \
    csoc edit "$(printf %s "$CSOC" | cut -c1-6)" --criteria CC6.7 --if-version 1
t_exit 2 "csoc: a stale edit is refused" "$TILLIT" scope csoc edit "$CSOC" --text x --if-version 1
err_has "^tillit: csoc '$CSOC' was changed by jon at 2026-03-01T09:00:00Z (version 2, not 1)"
t "csoc: unchanged" "$TILLIT" scope csoc list --format json
out_has '"text": "Card data is protected"'
out_has '"version": "2"'

t "cuec: an edit based on the current version" env TILLIT_ACTOR=kim "$TILLIT" scope cuec edit CUEC-1 \
    --text "Customers keep passwords secret" --if-version 1
t_exit 2 "cuec: a stale edit is refused" "$TILLIT" scope cuec edit CUEC-1 --text x --if-version 1
err_has "^tillit: cuec 'CUEC-1' was changed by kim at 2026-03-01T09:00:00Z (version 2, not 1)"
t "cuec: unchanged" "$TILLIT" scope show --format json
out_has '"text": "Customers keep passwords secret"'
t_exit 2 "cuec: a version that is not a number" "$TILLIT" scope cuec edit CUEC-1 --text x --if-version v2
err_has "needs a positive version number"

t "task: the plan has the version" "$TILLIT" plan show --format csv
out_has "^scope,.*,1[[:space:]]*$"
t "task: an edit based on the current version" env TILLIT_ACTOR=lea "$TILLIT" plan task scope \
    --status doing --if-version 1
t_exit 2 "task: a stale edit is refused" "$TILLIT" plan task scope --status done --if-version 1
err_has "^tillit: plan_task 'scope' was changed by lea at 2026-03-01T09:00:00Z (version 2, not 1)"
t "task: unchanged" "$TILLIT" plan show --format csv
out_has "^scope,.*,doing,.*,2[[:space:]]*$"
t "task: laying the plan out again is no edit of its tasks" "$TILLIT" plan --start 2026-01-12 --format csv \
    --target type1
out_has "^scope,.*,doing,.*,2[[:space:]]*$"
t "task: an edit based on the current version" "$TILLIT" plan task scope --status done --if-version 2
t_exit 2 "task: a version that is not a number" "$TILLIT" plan task scope --status done --if-version x
err_has "needs a positive version number"
t_exit 2 "task: a task that does not exist" "$TILLIT" plan task nope --status done --if-version 1
err_has "no plan task 'nope'"
t "the refusals logged nothing" test "$("$TILLIT" audit log --format csv | wc -l)" -eq \
    "$((entries + 8))"
t "the audit log still verifies" "$TILLIT" audit verify

# Many writers at once, on two organizations' chains and the installation's.
before=$("$TILLIT" audit verify | sed -n 's/ entries verified//p')
i=0
while [ $i -lt 8 ]; do
    (
        j=0
        while [ $j -lt 4 ]; do
            "$TILLIT" --org acme person add "p$i-$j@acme.io" --name "P $i $j" >/dev/null 2>>"$SCRATCH/par.err" &&
                "$TILLIT" --org beta control add "C-$i-$j" --title "C $i $j" >/dev/null 2>>"$SCRATCH/par.err" &&
                "$TILLIT" --org acme control edit X-1 --description "by $i $j" >/dev/null 2>>"$SCRATCH/par.err" ||
                echo "$i $j" >>"$SCRATCH/par.failed"
            j=$((j + 1))
        done
    ) &
    i=$((i + 1))
done
wait
if [ -s "$SCRATCH/par.failed" ]; then
    not_ok "32 x 3 concurrent changes all succeeded"
    sed 's/^/# /' "$SCRATCH/par.err" | sort | uniq -c | head -5
else
    ok "32 x 3 concurrent changes all succeeded"
fi
t "every change is in the log, and every chain verifies" "$TILLIT" audit verify
out_has "^$((before + 96)) entries verified$"
t "the control counted every edit" "$TILLIT" control show X-1
out_has "^version: *$((3 + 32))$"

# Edits of one CUEC at once, without --if-version: none lost, each counted.
i=0
while [ $i -lt 8 ]; do
    "$TILLIT" scope cuec edit CUEC-1 --text "by $i" >/dev/null 2>>"$SCRATCH/cuec.err" ||
        echo "$i" >>"$SCRATCH/cuec.failed" &
    i=$((i + 1))
done
wait
if [ -s "$SCRATCH/cuec.failed" ]; then not_ok "8 concurrent CUEC edits all succeeded"; else ok "8 concurrent CUEC edits all succeeded"; fi
t "the CUEC counted every edit" "$TILLIT" scope cuec list --format json
out_has '"version": "10"'

done_testing
