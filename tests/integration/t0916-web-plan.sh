#!/bin/sh
# The project plan in the browser: laying it out (and its validation),
# marking a task done, editing a task, the iCalendar download, exports,
# CSRF, and the API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name 'Ann Andersson' --org acme && setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
start_server --max-seconds 240
as editor

get p0 /o/acme/plan
is "the plan page without a plan" "$STATUS" 200
has "... says so" "$SCRATCH/p0.b" 'id="plan-none"'
has "... and offers to lay one out" "$SCRATCH/p0.b" 'id="plan-submit"'
get p0i "/o/acme/plan?format=ics"
is "no calendar without a plan (404)" "$STATUS" 404
before=$(audit_count)
post c1 /o/acme/plan --data-urlencode start=2026-13-01 --data-urlencode target=type2
is "a bad start date is 400" "$STATUS" 400
has "... next to it" "$SCRATCH/c1.b" 'id="plan-start-error"'
post c2 /o/acme/plan --data-urlencode start=2026-03-02 --data-urlencode target=type3
is "an unknown target is 400" "$STATUS" 400
has "... next to it" "$SCRATCH/c2.b" 'id="plan-target-error"'
post c3 /o/acme/plan --data-urlencode start=2026-03-02 --data-urlencode target=type2 --data-urlencode days_per_week=9
is "nine days a week is 400" "$STATUS" 400
has "... next to it" "$SCRATCH/c3.b" 'id="plan-days_per_week-error"'
has "... keeping the other values" "$SCRATCH/c3.b" 'value="2026-03-02"'
unchanged "... and nothing changed" "$before"
nocsrf c4 /o/acme/plan --data-urlencode start=2026-03-02 --data-urlencode target=type2
is "without the CSRF token it is 403" "$STATUS" 403
post c5 /o/acme/plan --data-urlencode start=2026-03-02 --data-urlencode target=type2 \
    --data-urlencode days_per_week=2 --data-urlencode observation_months=3
is "laying out the plan redirects" "$STATUS" 303
is "... warning of the short window" "$(location c5)" "/o/acme/plan?done=plan_short"
get p1 "/o/acme/plan?done=plan_short"
has "... which the page shows" "$SCRATCH/p1.b" 'shorter than customers usually expect'
has "... with the tasks" "$SCRATCH/p1.b" 'id="plan-table"'
TASK=$(sed -n 's/.*id="done-\([^"]*\)".*/\1/p' "$SCRATCH/p1.b" | head -1)
nocsrf d0 "/o/acme/plan/tasks/$TASK" --data-urlencode status=done
is "marking done without the CSRF token is 403" "$STATUS" 403
post d1 "/o/acme/plan/tasks/$TASK" --data-urlencode status=done
is "marking a task done redirects" "$STATUS" 303
is "... back to the task" "$(location d1)" "/o/acme/plan?done=task#task-$TASK"
get p2 /o/acme/plan
hasnt "... which is no longer offered" "$SCRATCH/p2.b" "id=\"done-$TASK\""
has "... and counts as done" "$SCRATCH/p2.b" 'id="plan-progress">1 /'
get te "/o/acme/plan/tasks/$TASK"
is "the task's form" "$STATUS" 200
post t1 "/o/acme/plan/tasks/$TASK" --data-urlencode status=todo --data-urlencode owner=nobody@acme.example
is "an unknown owner is 400" "$STATUS" 400
has "... next to the owner" "$SCRATCH/t1.b" 'id="task-owner-error"'
post t2 "/o/acme/plan/tasks/$TASK" --data-urlencode status=later
is "an unknown status is 400" "$STATUS" 400
post t3 "/o/acme/plan/tasks/$TASK" --data-urlencode status=doing --data-urlencode owner=ann@acme.example
is "editing a task redirects" "$STATUS" 303
post t4 /o/acme/plan/tasks/NOPE --data-urlencode status=done
is "a missing task is 404" "$STATUS" 404
get ics "/o/acme/plan?format=ics"
is "the plan as iCalendar" "$STATUS" 200
has "... text/calendar" "$SCRATCH/ics.h" "Content-Type: text/calendar"
has "... an attachment" "$SCRATCH/ics.h" 'filename="acme-plan.ics"'
has "... with events" "$SCRATCH/ics.b" "BEGIN:VEVENT"
for f in csv json xlsx; do
    get px "/o/acme/plan?format=$f"
    is "the tasks as $f" "$STATUS" 200
done
has "... the CSV has a header" "$SCRATCH/px.h" 'acme-plan.xlsx'

api a1 GET /orgs/acme/plan
is "the plan through the API" "$STATUS" 200
has "... with its tasks" "$SCRATCH/a1.b" '"tasks"'
apijson a2 PATCH "/orgs/acme/plan/tasks/$TASK" '{"status": "done", "done_on": "2026-02-27"}'
is "the API updates a task" "$STATUS" 200
apijson a3 PATCH "/orgs/acme/plan/tasks/$TASK" '{"status": "finished"}'
is "... refusing an unknown status" "$STATUS" 400
api a4 GET /orgs/acme/plan/calendar
is "the calendar through the API" "$STATUS" 200
apijson a5 POST /orgs/acme/plan '{"start": "2026-03-02", "target": "type1"}'
is "the API lays out the plan again" "$STATUS" 201

as viewer
get v1 /o/acme/plan
hasnt "a viewer sees no buttons" "$SCRATCH/v1.b" 'id="done-'
post v2 "/o/acme/plan/tasks/$TASK" --data-urlencode status=done
is "... and may not change a task" "$STATUS" 403

stop_clean
done_testing
