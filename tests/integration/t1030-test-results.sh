#!/bin/sh
# Results and conclusions: the documented rule (none = effective; up to the
# tolerated number = effective with exceptions; more = not effective), the
# deviation rate, exceptions raised as findings, management's response,
# remediation, the retest, and the engagement concluded and frozen.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" person add ann@acme.io --name Ann --control-owner &&
    "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven --owner ann@acme.io &&
    "$TILLIT" control map CHG-01 CC8.1 &&
    "$TILLIT" control add IAM-05 --title "Leavers removed" --frequency event-driven --key &&
    "$TILLIT" control map IAM-05 CC6.2 &&
    "$TILLIT" control add LOG-04 --title "Alerts triaged" --frequency daily --key &&
    "$TILLIT" control map LOG-04 CC7.3 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" test plan y2026 &&
    seq -f "PR-%04g" 1 300 >prs.txt && seq -f "L-%02g" 1 4 >leavers.txt &&
    seq -f "DAY-%03g" 1 181 >days.txt &&
    "$TILLIT" test population y2026:CHG-01 --file prs.txt &&
    "$TILLIT" test population y2026:IAM-05 --file leavers.txt &&
    "$TILLIT" test population y2026:LOG-04 --file days.txt &&
    "$TILLIT" sample draw y2026:CHG-01 --seed 11 &&
    "$TILLIT" sample draw y2026:IAM-05 --seed 12 &&
    "$TILLIT" sample draw y2026:LOG-04 --seed 13; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
items() { "$TILLIT" sample show "$1" --format csv | tail -n +2 | cut -d, -f3; }

# results: the first item of CHG-01 and of IAM-05 fail.
"$TILLIT" evidence add prs.txt --control CHG-01 --period 2026-01-01..2026-06-30 >/dev/null
ev=$("$TILLIT" evidence list --format csv | sed -n 2p | cut -d, -f1)
first=$(items y2026:CHG-01 | head -1)
t "an exception with evidence" "$TILLIT" test result y2026:CHG-01 "$first" \
    --exception "merged without an approving review" --evidence "$ev"
out_has "recorded exception for item '$first' of test 'y2026:CHG-01'"
for i in $(items y2026:CHG-01 | tail -n +2); do "$TILLIT" test result y2026:CHG-01 "$i" --pass >/dev/null; done
t "the results" "$TILLIT" test results y2026:CHG-01 --format csv
out_has "^1,$first,exception,merged without an approving review,$ev,test,"
t "conclude: one exception in 25 of a non-key control" "$TILLIT" test conclude y2026:CHG-01
out_has "concluded: effective-with-exceptions (1 exception(s) in 25 tested, deviation rate 4.0%, 1 tolerated)"
out_has "raised finding F-1"

leaver=$(items y2026:IAM-05 | head -1)
"$TILLIT" test result y2026:IAM-05 "$leaver" --exception "access removed 6 days late" >/dev/null
for i in $(items y2026:IAM-05 | tail -n +2); do "$TILLIT" test result y2026:IAM-05 "$i" --pass --note "same day" >/dev/null; done
t "conclude: one exception of a key control" "$TILLIT" test conclude y2026:IAM-05
out_has "concluded: not-effective (1 exception(s) in 4 tested, deviation rate 25.0%, 0 tolerated)"
out_has "raised finding F-2"

for i in $(items y2026:LOG-04); do "$TILLIT" test result y2026:LOG-04 "$i" --pass >/dev/null; done
t "conclude: no exception" "$TILLIT" test conclude y2026:LOG-04
out_has "concluded: effective (0 exception(s) in 25 tested, deviation rate 0.0%, 0 tolerated)"
if grep -q "raised finding" "$SCRATCH/out"; then not_ok "no finding"; else ok "no finding"; fi

t "the test list shows conclusions and deviation rates" "$TILLIT" test list y2026 --format csv
out_has "^y2026:CHG-01,operating,inspection,event-driven,no,25,300,11,25,25,1,4.0%,concluded,effective-with-exceptions"
out_has "^y2026:IAM-05,operating,inspection,event-driven,yes,4,4,12,4,4,1,25.0%,concluded,not-effective"

# Findings.
t "findings" "$TILLIT" finding list y2026 --format csv
out_has "^F-1,y2026,y2026:CHG-01,medium,open,CHG-01: 1 exception(s) in 25 tested (operating test),$first"
out_has "^F-2,y2026,y2026:IAM-05,high,open,"
t "a finding in full" "$TILLIT" finding show F-2
out_has "access removed 6 days late"
t "root cause (the auditor's)" "$TILLIT" finding edit F-2 --root-cause "HR told IT late"
t "management's response" "$TILLIT" finding edit F-2 --response "Offboarding tickets now open automatically"
t "remediation" "$TILLIT" remediation add F-2 --action "Automate offboarding tickets" \
    --owner ann@acme.io --due 2026-08-31
out_has "added remediation item REM-1 to finding F-2"
t "the finding is being remediated" "$TILLIT" finding show F-2 --format json
out_has '"status": "remediating"'
out_has '"response": "Offboarding tickets now open automatically"'
t_exit 2 "no retest before it is done" "$TILLIT" remediation retest REM-1
err_has "remediation item 'REM-1' is open: a control is retested once it is remediated"
t "done" "$TILLIT" remediation edit REM-1 --status done
t "retest" "$TILLIT" remediation retest REM-1
out_has "planned retest 'y2026:IAM-05:retest1' for remediation item REM-1"
t_exit 2 "only once" "$TILLIT" remediation retest REM-1
err_has "already has a retest: 'y2026:IAM-05:retest1'"
t "remediation list" "$TILLIT" remediation list --format csv
out_has "^REM-1,F-2,Automate offboarding tickets,ann@acme.io,2026-08-31,done,2026-07-15,y2026:IAM-05:retest1"
t "the retest" "$TILLIT" test show y2026:IAM-05:retest
out_has "retest_of: *y2026:IAM-05"
printf 'L-05\nL-06\nL-07\n' >later.txt
"$TILLIT" test population y2026:IAM-05:retest1 --file later.txt >/dev/null
"$TILLIT" sample draw y2026:IAM-05:retest1 --seed 5 >/dev/null
for i in $(items y2026:IAM-05:retest1); do "$TILLIT" test result y2026:IAM-05:retest1 "$i" --pass >/dev/null; done
t "the retest concludes effective" "$TILLIT" test conclude y2026:IAM-05:retest1
out_has "concluded: effective"
t "the finding is closed" "$TILLIT" finding edit F-2 --status closed

# A finding raised by hand from an exception.
t_exit 2 "only from exceptions" "$TILLIT" finding add y2026:LOG-04 --title "x" --severity low \
    --items "$(items y2026:LOG-04 | head -1)"
err_has "is not an exception in the sample of test 'y2026:LOG-04'"

# Concluding the engagement: every test first (the tests of design by walkthrough).
t_exit 2 "not before every test is concluded" "$TILLIT" engagement phase y2026 concluded
err_has "cannot conclude engagement 'y2026': 3 test(s) are not concluded: y2026:CHG-01:design"
for c in CHG-01 IAM-05 LOG-04; do
    "$TILLIT" test result "y2026:$c:design" --pass --note "walked through with the owner" >/dev/null &&
        "$TILLIT" test conclude "y2026:$c:design" >/dev/null
done
t "the walkthrough result" "$TILLIT" test results y2026:LOG-04:design --format csv
out_has "^1,walkthrough,pass,walked through with the owner"
t "conclude the engagement" "$TILLIT" engagement phase y2026 concluded
"$TILLIT" audit log --format csv >before.csv
t_exit 2 "frozen: no results" "$TILLIT" test result y2026:CHG-01 "$first" --pass
t_exit 2 "frozen: no new findings" "$TILLIT" finding add y2026:CHG-01 --title x --severity low
err_has "engagement 'y2026' is concluded and read-only"
t_exit 2 "frozen: no responses" "$TILLIT" finding edit F-1 --response "late"
t_exit 2 "frozen: no requests" "$TILLIT" pbc add y2026 --request "more"
t_exit 2 "frozen: no plan" "$TILLIT" test plan y2026
"$TILLIT" audit log --format csv >after.csv
if cmp -s before.csv after.csv; then ok "nothing changed"; else not_ok "nothing changed"; fi
t "follow-up continues: a finding's status" "$TILLIT" finding edit F-1 --status remediating
t "and remediation" "$TILLIT" remediation add F-1 --action "Require reviews in branch protection"
t "the engagement reads as before" "$TILLIT" engagement show y2026
out_has "^phase: *concluded"
out_has "^concluded: *7"
t "the audit chain verifies" "$TILLIT" audit verify

done_testing
