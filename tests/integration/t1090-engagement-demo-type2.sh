#!/bin/sh
# Done when: a Type II engagement on the demo organization is carried from
# the test plan to concluded tests from the CLI, and the demo data's planted
# exceptions (content/demo/engagement.yaml) turn into findings; 'engagement
# demo' does the same in one step.
. "$(dirname "$0")/lib.sh"

DEMO="${TILLIT_SRC:-$(dirname "$0")/../..}/content/demo/engagement.yaml"
[ -f "$DEMO" ] || { echo "1..0 # SKIP content/demo/engagement.yaml not found"; exit 0; }
export TILLIT_NOW="2026-07-20T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" demo; } >/dev/null || { echo "Bail out! setup failed"; exit 1; }

t "a Type II engagement" "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 \
    --firm "Revisionsbyrån Nord AB"
out_has "created engagement 'type2-2026' (type2, 2026-01-01..2026-06-30; security,availability,confidentiality)"
t "fieldwork" "$TILLIT" engagement phase type2-2026 fieldwork
t "the test plan" "$TILLIT" test plan type2-2026
out_has "planned 200 test(s)"
t "scope: the controls mapped to the categories" "$TILLIT" engagement scope type2-2026 --format csv
[ "$(tail -n +2 "$SCRATCH/out" | wc -l)" -eq 100 ] && ok "100 controls in scope" || not_ok "100 controls in scope"

# planted ITEM: the planted exception text of ITEM in the demo data, if any.
planted() { sed -n "s/.*{item: $1, text: \"\(.*\)\"}.*/\1/p" "$DEMO"; }

# work CONTROL PREFIX FROM TO WIDTH SEED: walkthrough, population, draw,
# results (planted exceptions fail), conclusions.
work() {
    c=$1
    "$TILLIT" test result "type2-2026:$c:design" --pass --note "walkthrough with the owner" >/dev/null &&
        "$TILLIT" test conclude "type2-2026:$c:design" >/dev/null || return 1
    i=$3
    : >"$c.txt"
    while [ "$i" -le "$4" ]; do printf "%s%0${5}d\n" "$2" "$i" >>"$c.txt"; i=$((i + 1)); done
    "$TILLIT" test population "type2-2026:$c" --file "$c.txt" >/dev/null &&
        "$TILLIT" sample draw "type2-2026:$c" --seed "$6" --format csv >"$c.sample" || return 1
    for item in $(tail -n +2 "$c.sample" | cut -d, -f3); do
        text=$(planted "$item")
        if [ -n "$text" ]; then
            "$TILLIT" test result "type2-2026:$c" "$item" --exception "$text" >/dev/null || return 1
        else
            "$TILLIT" test result "type2-2026:$c" "$item" --pass >/dev/null || return 1
        fi
    done
    "$TILLIT" test conclude "type2-2026:$c"
}

t "HR-01: new hires" work HR-01 ANST-2026- 1 14 3 20260701
out_has "concluded: effective (0 exception(s) in 5 tested"
t "IAM-05: leavers" work IAM-05 AVSL-2026- 1 9 3 20260703
out_has "concluded: not-effective (1 exception(s) in 2 tested, deviation rate 50.0%, 0 tolerated)"
out_has "raised finding F-1"
t "INC-03: incidents" work INC-03 INC- 4001 4264 4 20260707
out_has "concluded: effective-with-exceptions (1 exception(s) in 25 tested, deviation rate 4.0%, 1 tolerated)"
out_has "raised finding F-2"
t "IAM-04: quarterly access reviews, both quarters" work IAM-04 UAR-2026-Q 1 2 1 20260705
out_has "concluded: effective (0 exception(s) in 2 tested"

t "the planted exceptions are findings" "$TILLIT" finding list type2-2026 --format csv
out_has "^F-1,type2-2026,type2-2026:IAM-05,high,open,IAM-05: 1 avvikelse(r) av 2 testade (funktion),AVSL-2026-005"
out_has "^F-2,type2-2026,type2-2026:INC-03,medium,open,INC-03: 1 avvikelse(r) av 25 testade (funktion),INC-4149"
t "a planted exception the sample missed stays unseen" "$TILLIT" test show type2-2026:HR-01 --format json
out_has '"exceptions": "0"'
t "the finding describes the exception" "$TILLIT" finding show F-1
out_has "AVSL-2026-005: Åtkomsten till Okta och AWS togs bort 2026-03-17"
t "management responds" "$TILLIT" finding edit F-1 --response "Avslut automatiseras"
t "remediation" "$TILLIT" remediation add F-1 --action "Automatisera avslutsärenden" \
    --owner elin.hedlund@norrsken.se --due 2026-08-31
t "eight tests concluded" "$TILLIT" engagement show type2-2026 --format json
out_has '"concluded": "8"'
out_has '"findings": "2"'
for c in HR-01 IAM-05 INC-03 IAM-04; do
    t "the sample of $c verifies" "$TILLIT" sample verify "type2-2026:$c"
done

# The same in one step on another copy of the demo organization.
"$TILLIT" demo --slug norrsken2 >/dev/null
t "engagement demo" "$TILLIT" --org norrsken2 engagement demo
out_has "demo engagement 'type2-2026': 200 tests planned, 20 with results, 20 concluded; 2 exceptions raised 2 findings"
t "its findings" "$TILLIT" --org norrsken2 finding list --format csv
out_has "^F-1,type2-2026,type2-2026:IAM-05,high,remediating,.*,AVSL-2026-005"
out_has "^F-2,type2-2026,type2-2026:INC-03,medium,remediating,.*,INC-4149"
t "its requests" "$TILLIT" --org norrsken2 pbc list type2-2026 --format csv
out_has "^PBC-002,.*,IAM-05,elin.hedlund@norrsken.se,2026-07-10,returned,"
t "the same samples as by hand" "$TILLIT" --org norrsken2 sample show type2-2026:IAM-05 --format csv
cut -d, -f1-3 "$SCRATCH/out" >demo.sample
cut -d, -f1-3 IAM-05.sample >hand.sample
cmp -s demo.sample hand.sample && ok "identical" || not_ok "identical"
t_exit 2 "only once per organization" "$TILLIT" --org norrsken2 engagement demo
err_has "an engagement 'type2-2026' already exists"
t "the audit chain verifies" "$TILLIT" audit verify

done_testing
