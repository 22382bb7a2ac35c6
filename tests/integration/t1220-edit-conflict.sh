#!/bin/sh
# Concurrent edits: an edit based on a stale version (--if-version) is
# refused naming who changed the record and when, and changes nothing; many
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

done_testing
