#!/bin/sh
# Engagements, tests of controls and samples in the browser and the API:
# creating (and refusing a bad period), the test plan, a pasted population,
# a seeded draw that gives the CLI's selection, results and the conclusion,
# a concluded test that refuses changes; an auditor with access works in
# the engagement but not in the program, and loses it on revoke or after
# the access end date; a viewer cannot draw or record; another
# organization gets 404; CSRF; escaping; the bridge letter.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

export TILLIT_NOW="2026-07-20T09:00:00Z"
printf 'change log\n' >"$SCRATCH/changes.txt"
printf 'secret plan\n' >"$SCRATCH/other.txt"
# setup_program: what both databases hold before the population.
setup_program() {
    "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven --org acme &&
        "$TILLIT" control map CHG-01 CC8.1 --org acme &&
        "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --key --org acme &&
        "$TILLIT" control map HR-01 CC1.4 --org acme
}
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_program && "$TILLIT" control add X-01 --title "Not in scope" --org acme &&
  "$TILLIT" evidence add "$SCRATCH/changes.txt" --control CHG-01 --period 2026-02-01..2026-02-28 --org acme &&
  "$TILLIT" evidence add "$SCRATCH/other.txt" --control X-01 --period 2026-02-01..2026-02-28 --org acme &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
EV_IN=$("$TILLIT" evidence list --control CHG-01 --org acme --format csv | sed -n 2p | cut -d, -f1)
EV_OUT=$("$TILLIT" evidence list --control X-01 --org acme --format csv | sed -n 2p | cut -d, -f1)
TOKEN=$("$TILLIT" user token admin@acme.example)
ATOKEN=$("$TILLIT" user token auditor@acme.example)
OTOKEN=$("$TILLIT" user token other@beta.example)
start_server --max-seconds 240
E=/o/acme/engagements

as admin
get l0 $E
is "the engagements page" "$STATUS" 200
has "... offers a new engagement" "$SCRATCH/l0.b" 'id="engagement-submit"'
before=$(audit_count)
post c1 $E --data-urlencode kind=type2 --data-urlencode period_start=2026-01-01 --data-urlencode period_end=2026-02-15
is "a period under 3 months is 400" "$STATUS" 400
has "... the message next to the period" "$SCRATCH/c1.b" 'id="engagement-period_start-error"'
has "... saying why" "$SCRATCH/c1.b" 'shorter than 3 months'
has "... the values kept" "$SCRATCH/c1.b" 'value="2026-02-15"'
post c2 $E --data-urlencode kind=type2 --data-urlencode as_of=2026-06-30
is "a type2 with an as-of date is 400" "$STATUS" 400
unchanged "... and nothing was created" "$before"
is "... no engagement in the CLI" "$("$TILLIT" engagement list --org acme --format csv | tail -n +2 | wc -l | tr -d ' ')" 0
nocsrf c3 $E --data-urlencode kind=type2 --data-urlencode period_start=2026-01-01 --data-urlencode period_end=2026-06-30
is "without the CSRF token it is 403" "$STATUS" 403
post c4 $E --data-urlencode kind=type2 --data-urlencode period_start=2026-01-01 --data-urlencode period_end=2026-06-30 \
    --data-urlencode slug=y2026 --data-urlencode 'firm=<script>alert(1)</script> Revision AB' \
    --data-urlencode itgc_reliance=1 --data-urlencode categories=security
is "creating a type2 engagement redirects" "$STATUS" 303
is "... to it" "$(location c4)" "$E/y2026?done=created"
post c5 $E --data-urlencode kind=type2 --data-urlencode period_start=2026-01-01 --data-urlencode period_end=2026-04-30 \
    --data-urlencode slug=short
is "a four-month period is created" "$STATUS" 303
is "... with the warning" "$(location c5)" "$E/short?done=created_short"
get c5p "$(location c5)"
has "... which the page shows" "$SCRATCH/c5p.b" 'under 6 months'
apijson a1 POST /orgs/acme/engagements '{"kind": "type1", "as_of": "2026-06-30"}'
is "the API creates a type1 engagement" "$STATUS" 201
has "... named by kind and year" "$SCRATCH/a1.b" '"slug": "type1-2026"'
apijson a2 POST /orgs/acme/engagements '{"kind": "type2", "period_start": "2026-01-01", "period_end": "2027-06-30"}'
is "... refuses a period over 12 months" "$STATUS" 400
has "... as a problem naming the field" "$SCRATCH/a2.b" '"period_start": "period'
t "the CLI sees three engagements" "$TILLIT" engagement list --org acme --format csv
out_has "^y2026,type2,2026-01-01..2026-06-30,security,"
get x1 $E/y2026
is "the engagement page" "$STATUS" 200
hasnt "... escapes the firm" "$SCRATCH/x1.b" '<script>alert(1)'
has "... escaped" "$SCRATCH/x1.b" '&lt;script&gt;alert(1)&lt;/script&gt; Revision AB'
has "... links to its findings" "$SCRATCH/x1.b" "href=\"$E/y2026/findings\""
has "... and requests" "$SCRATCH/x1.b" "href=\"$E/y2026/requests\""
has "... shows the sampling table" "$SCRATCH/x1.b" 'id="eng-sampling-table"'

nocsrf p0 $E/y2026/plan -d x=1
is "generating the plan without the token is 403" "$STATUS" 403
post p1 $E/y2026/plan
is "generating the test plan redirects" "$STATUS" 303
t "four tests planned" "$TILLIT" test list y2026 --org acme --format csv
[ "$(tail -n +2 "$SCRATCH/out" | wc -l)" -eq 4 ] && ok "... two controls, design and operating" || not_ok "... two controls, design and operating"
get x2 $E/y2026
has "... the tests table" "$SCRATCH/x2.b" 'id="tests-table"'
has "... with the operating test of CHG-01" "$SCRATCH/x2.b" "href=\"$E/y2026/tests/CHG-01\""
get x3 "$E/y2026?kind=design&format=csv"
is "the tests as CSV" "$STATUS" 200
has "... with a header" "$SCRATCH/x3.b" 'test,control,control_title,kind'
hasnt "... filtered to design" "$SCRATCH/x3.b" ',operating,'
get x4 "$E/y2026?format=xlsx"
is "... and as XLSX" "$STATUS" 200
post ph1 $E/y2026/phase --data-urlencode phase=fieldwork
is "moving to fieldwork" "$STATUS" 303
post ph2 $E/y2026/phase --data-urlencode phase=planning
is "moving back is refused (409)" "$STATUS" 409
has "... saying why" "$SCRATCH/ph2.b" 'phases only move forward'

# The population, pasted; a draw with a seed gives the CLI's selection.
T=$E/y2026/tests/CHG-01
seq -f "PR-%04g" 1 250 >"$SCRATCH/prs.txt"
post po0 $T/population --data-urlencode items=
is "an empty population is 400" "$STATUS" 400
has "... next to the items" "$SCRATCH/po0.b" 'id="population-items-error"'
post po1 $T/population --data-urlencode "items@$SCRATCH/prs.txt"
is "setting the population redirects" "$STATUS" 303
t "the CLI sees 250 items" "$TILLIT" test show y2026:CHG-01 --org acme --format json
out_has '"population": "250"'
post d0 $T/draw --data-urlencode seed=forty-two
is "a seed that is not a number is 400" "$STATUS" 400
has "... next to the seed" "$SCRATCH/d0.b" 'id="draw-seed-error"'
as viewer
post v1 $T/draw --data-urlencode seed=42
is "a viewer may not draw (403)" "$STATUS" 403
get v2 $E/y2026
is "... but sees the engagement" "$STATUS" 200
hasnt "... without the plan button" "$SCRATCH/v2.b" 'id="testplan-submit"'
as admin
post d1 $T/draw --data-urlencode seed=42
is "drawing with seed 42 redirects" "$STATUS" 303
api s1 GET /orgs/acme/engagements/y2026/tests/CHG-01/samples
is "the sample through the API" "$STATUS" 200
sed -n 's/.*"item": "\(PR-[0-9]*\)".*/\1/p' "$SCRATCH/s1.b" >"$SCRATCH/web.txt"
# The same population and seed in another database, by the CLI alone.
(
    export TILLIT_DB="$SCRATCH/cli.db"
    unset TILLIT_VAULT TILLIT_DATA_DIR
    { "$TILLIT" init && "$TILLIT" org create acme --name Acme && setup_program &&
        "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 --org acme &&
        "$TILLIT" test plan y2026 --org acme &&
        "$TILLIT" test population y2026:CHG-01 --file "$SCRATCH/prs.txt" --org acme; } >/dev/null &&
        "$TILLIT" sample draw y2026:CHG-01 --seed 42 --format csv --org acme
) 2>/dev/null | tail -n +2 | cut -d, -f3 >"$SCRATCH/cli.txt"
[ -s "$SCRATCH/cli.txt" ] && [ "$(wc -l <"$SCRATCH/web.txt")" -eq 15 ] && cmp -s "$SCRATCH/web.txt" "$SCRATCH/cli.txt" &&
    ok "the web's sample is the CLI's for the same seed (15 items)" ||
    { not_ok "the web's sample is the CLI's for the same seed (15 items)"; diff "$SCRATCH/web.txt" "$SCRATCH/cli.txt" | sed 's/^/# /' | head; }
get vf "$T?verify=1"
has "the page verifies the sample" "$SCRATCH/vf.b" 'id="verify-match"'
api vf2 GET /orgs/acme/engagements/y2026/tests/CHG-01/samples/verify
has "... and the API" "$SCRATCH/vf2.b" '"ok": true'

# An auditor with access.
post g1 $E/y2026/auditors --data-urlencode email=auditor@acme.example --data-urlencode until=2026-06-01
is "an access end date in the past is 400" "$STATUS" 400
has "... next to it" "$SCRATCH/g1.b" 'id="auditor-until-error"'
post g2 $E/y2026/auditors --data-urlencode email=auditor@acme.example --data-urlencode until=2026-12-31
is "granting an auditor access redirects" "$STATUS" 303
login "$SCRATCH/jar-fresh" auditor@acme.example "$PW"
req home -b "$SCRATCH/jar-fresh" "$URL/"
is "an auditor who logs in lands on the engagements" "$(location home)" "/o/acme/engagements"
as auditor
get u1 $E
is "the auditor sees the engagements page" "$STATUS" 200
has "... with the engagement granted" "$SCRATCH/u1.b" 'id="eng-y2026"'
hasnt "... and no other" "$SCRATCH/u1.b" 'id="eng-short"'
hasnt "... no program navigation" "$SCRATCH/u1.b" 'id="nav-controls"'
has "... but the engagements" "$SCRATCH/u1.b" 'id="nav-engagements"'
for p in /o/acme /o/acme/controls /o/acme/risks /o/acme/evidence "/o/acme/evidence/$EV_IN/download"; do
    get u2 "$p"
    is "the auditor gets 403 on $p" "$STATUS" 403
done
post u3 /o/acme/controls --data-urlencode code=NEW-01 --data-urlencode title=New
is "... and on a program change" "$STATUS" 403
get u4 $E/short
is "... 404 on an engagement not granted" "$STATUS" 404
TOKEN=$ATOKEN api u5 GET /orgs/acme/controls
is "... 403 on the program's API" "$STATUS" 403
get u6 $E/y2026/controls
is "the auditor sees the controls in scope" "$STATUS" 200
has "... CHG-01" "$SCRATCH/u6.b" 'id="ctl-CHG-01"'
hasnt "... not X-01" "$SCRATCH/u6.b" 'X-01'
get u7 $E/y2026/evidence
has "the engagement's evidence" "$SCRATCH/u7.b" 'changes.txt'
hasnt "... not other evidence" "$SCRATCH/u7.b" 'other.txt'
get u8 "$E/y2026/evidence/$EV_IN/download"
is "the auditor downloads evidence in scope" "$STATUS" 200
is "... its bytes" "$(cat "$SCRATCH/u8.b")" "change log"
get u9 "$E/y2026/evidence/$EV_OUT/download"
is "... but not evidence outside it (404)" "$STATUS" 404
TOKEN=$ATOKEN api u10 GET "/orgs/acme/engagements/y2026/evidence/$EV_OUT/content"
is "... nor through the API" "$STATUS" 404

# Results by the auditor, then the conclusion.
ITEMS=$(cat "$SCRATCH/web.txt")
FIRST=$(head -1 "$SCRATCH/web.txt")
post r0 $T/results --data-urlencode "item=$FIRST" --data-urlencode result=exception
is "an exception without a description is 400" "$STATUS" 400
has "... next to its row" "$SCRATCH/r0.b" 'id="result-1-error"'
post r1 $T/results --data-urlencode item=PR-9999 --data-urlencode result=pass
is "an item outside the sample is 400" "$STATUS" 400
as viewer
post v3 $T/results --data-urlencode "item=$FIRST" --data-urlencode result=pass
is "a viewer may not record a result (403)" "$STATUS" 403
as auditor
post r2 $T/results --data-urlencode "item=$FIRST" --data-urlencode result=exception \
    --data-urlencode 'description=Reviewed <b>after</b> the deploy' --data-urlencode "evidence=$EV_IN"
is "the auditor records an exception" "$STATUS" 303
post r3 $T/results --data-urlencode "item=$FIRST" --data-urlencode result=pass --data-urlencode "evidence=$EV_OUT"
is "... evidence outside the engagement is 400" "$STATUS" 400
post cc0 $T/conclude
is "concluding with items untested is 400" "$STATUS" 400
has "... naming what is missing" "$SCRATCH/cc0.b" 'have no result'
ok_all=1
for it in $(tail -n +2 "$SCRATCH/web.txt"); do
    TOKEN=$ATOKEN apijson rr POST /orgs/acme/engagements/y2026/tests/CHG-01/results "{\"item\": \"$it\", \"result\": \"pass\"}"
    [ "$STATUS" = 200 ] || ok_all=0
done
is "... the others pass through the API" "$ok_all" 1
get w1 $T
has "the workpaper escapes the description" "$SCRATCH/w1.b" 'Reviewed &lt;b&gt;after&lt;/b&gt; the deploy'
post cc1 $T/conclude
is "the auditor concludes the test" "$STATUS" 303
get w2 $T
has "... the conclusion shown" "$SCRATCH/w2.b" 'id="test-conclusion"'
has "... with the deviation rate" "$SCRATCH/w2.b" '<span id="test-deviation">6.7 %</span>'
hasnt "... and no result forms" "$SCRATCH/w2.b" 'id="result-1"'
hasnt "... nor a draw" "$SCRATCH/w2.b" 'id="draw"'
t "the CLI sees it concluded" "$TILLIT" test show y2026:CHG-01 --org acme --format json
out_has '"status": "concluded"'
"$TILLIT" sample show y2026:CHG-01 --org acme --format csv >"$SCRATCH/sample-before.csv"
before=$(audit_count)
post z1 $T/results --data-urlencode "item=$FIRST" --data-urlencode result=pass
is "a result on a concluded test is refused (409)" "$STATUS" 409
has "... with the app's message" "$SCRATCH/z1.b" 'is concluded and cannot change'
as admin
post z2 $T --data-urlencode method=inquiry --data-urlencode 'steps=Ask'
is "the organization cannot edit a concluded test (409)" "$STATUS" 409
apijson z3 PATCH /orgs/acme/engagements/y2026/tests/CHG-01 '{"steps": "Ask"}'
is "... nor through the API" "$STATUS" 409
has "... a problem with the message" "$SCRATCH/z3.b" 'is concluded and cannot change'
post z4 $T/draw --data-urlencode seed=7
is "... nor draw again" "$STATUS" 409
unchanged "... nothing changed" "$before"
"$TILLIT" sample show y2026:CHG-01 --org acme --format csv >"$SCRATCH/sample-after.csv"
cmp -s "$SCRATCH/sample-before.csv" "$SCRATCH/sample-after.csv" && ok "... the sample is as it was" || not_ok "... the sample is as it was"

# The bridge letter.
get b1 "$E/y2026/bridge-letter?to=2026-08-31&lang=en&format=md"
is "the bridge letter" "$STATUS" 200
has "... a download" "$SCRATCH/b1.h" 'filename="acme-y2026-bridge-letter.md"'
has "... from the day after the period" "$SCRATCH/b1.b" '2026-07-01'
get b2 "$E/y2026/bridge-letter?to=2026-05-01&lang=en&format=md"
is "... a date inside the period is 400" "$STATUS" 400
has "... next to the date" "$SCRATCH/b2.b" 'id="bridge-to-error"'

# Revoking, and the access end date.
post rv1 $E/y2026/auditors/revoke --data-urlencode email=auditor@acme.example
is "revoking the auditor redirects" "$STATUS" 303
as auditor
get rv2 $E/y2026
is "... then the auditor gets 403" "$STATUS" 403
TOKEN=$ATOKEN api rv3 GET /orgs/acme/engagements/y2026/tests/CHG-01
is "... on the API too" "$STATUS" 403
"$TILLIT" engagement auditor add short auditor@acme.example --until 2026-07-31 --org acme >/dev/null
TOKEN=$ATOKEN api e1 GET /orgs/acme/engagements/short
is "an auditor granted until 2026-07-31 sees it on 2026-07-20" "$STATUS" 200

# Other organizations.
TOKEN=$OTOKEN api o1 GET /orgs/acme/engagements
is "another organization's API: 404" "$STATUS" 404
as other
get o2 $E/y2026
is "... its pages: 404" "$STATUS" 404
post o3 $E/y2026/plan
is "... its forms: 404" "$STATUS" 404

stop_clean

# After the access end date (the clock of another server).
export TILLIT_NOW="2026-08-15T09:00:00Z"
start_server --max-seconds 60
TOKEN=$ATOKEN api e2 GET /orgs/acme/engagements/short
is "after the access end date the auditor gets 403" "$STATUS" 403
has "... saying it ended" "$SCRATCH/e2.b" 'ended on 2026-07-31'
TOKEN=$ATOKEN api e3 GET /orgs/acme/engagements
is "... and the list is empty" "$(tr -d ' \n' <"$SCRATCH/e3.b")" "[]"
stop_clean
done_testing
