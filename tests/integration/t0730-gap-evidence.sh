#!/bin/sh
# "Operating" counts only with evidence: fresh evidence without a Type II
# window, and evidence for every occurrence inside the window with one.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW=2026-10-01T09:00:00Z
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control add Q-REVIEW --title "Quarterly access review" --frequency quarterly --status operating >/dev/null
"$TILLIT" control map Q-REVIEW CC6.2 >/dev/null
state() { "$TILLIT" gap --format json | python3 -c "import json,sys; print({c['id']: c['state'] for c in json.load(sys.stdin)['criteria']}['CC6.2'])"; }

t "claimed operating without evidence is unverified" test "$(state)" = operating-unverified
printf 'q1 review\n' >q1.txt
printf 'q3 review\n' >q3.txt
printf 'q2 review\n' >q2.txt
"$TILLIT" evidence add q1.txt --control Q-REVIEW --period 2026-01-01..2026-03-31 >/dev/null
t "stale evidence (Q1, quarterly) does not prove it" test "$(state)" = operating-unverified
"$TILLIT" evidence add q3.txt --control Q-REVIEW --period 2026-07-01..2026-09-30 >/dev/null
t "fresh evidence proves it" test "$(state)" = operating
t "readiness counts it as operating" "$TILLIT" readiness --format json
out_has '"operating": 1'

"$TILLIT" plan --start 2025-08-04 --target type2 >/dev/null
for task in scope:2025-08-08 gap:2025-08-22 controls:2025-09-05 framework:2025-09-12 \
            draft:2025-09-19 walkthrough:2025-09-26 remediation:2025-12-31; do
    "$TILLIT" plan task "${task%%:*}" --status done --done-on "${task#*:}" >/dev/null
done
"$TILLIT" plan show --format json >plan.json
python3 -c "import json; t={t['code']: t for t in json.load(open('plan.json'))['tasks']}; print(t['observation']['start'], t['observation']['due'])" >window.txt
t "observation window 2026-01-01..2026-06-30" test "$(cat window.txt)" = "2026-01-01 2026-06-30"
t "inside a Type II window a missing quarter makes it unverified" test "$(state)" = operating-unverified
"$TILLIT" evidence add q2.txt --control Q-REVIEW --period 2026-04-01..2026-06-30 >/dev/null
"$TILLIT" evidence coverage --period "$(sed 's/ /../' window.txt)" --format csv >cov.csv
if grep -q "Q-REVIEW.*covered" cov.csv; then
    t "every quarter of the window evidenced: operating" test "$(state)" = operating
else
    cat cov.csv | sed 's/^/# /'
    not_ok "coverage of the window"
fi
done_testing
