#!/bin/sh
# 'evidence coverage' checks each control's current evidence against an
# observation window: a quarterly control in six months needs two quarters,
# a single point-in-time item never covers a control expected several times,
# and evidence from outside the window is counted as such.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" person add alice@acme.test --name Alice >/dev/null
add_control() { "$TILLIT" control add "$1" --title "$1 title" --frequency "$2" --owner alice@acme.test >/dev/null; }
add_control QU-1 quarterly
add_control QU-2 quarterly
add_control QU-3 quarterly
add_control MO-1 monthly
add_control DL-1 daily
add_control AN-1 annual
"$TILLIT" control add EV-1 --title "Incident response" --frequency event-driven >/dev/null
n=0
add() { n=$((n + 1)); echo "evidence $n" >"e$n.txt"; "$TILLIT" evidence add "e$n.txt" --control "$1" --period "$2" >/dev/null; }
add QU-1 2025-10-15
add QU-1 2026-01-15
add QU-2 2025-12-01
add QU-3 2025-09-10
add QU-3 2025-11-01
add MO-1 2025-09-01..2026-02-28
add DL-1 2025-06-01
add AN-1 2025-12-15
window=2025-09-01..2026-02-28

t "coverage" "$TILLIT" evidence coverage --period $window --format csv
out_has "^control,title,owner,frequency,expected,covered,periods,outside,state"
out_has "^AN-1,AN-1 title,alice@acme.test,annual,1,1,1,0,covered"
out_has "^DL-1,DL-1 title,alice@acme.test,daily,181,0,0,1,none"
out_has "^EV-1,Incident response,(no owner),event-driven,1,0,0,0,none"
out_has "^MO-1,MO-1 title,alice@acme.test,monthly,6,6,1,0,covered"
out_has "^QU-1,QU-1 title,alice@acme.test,quarterly,2,2,2,0,covered"
out_has "^QU-2,QU-2 title,alice@acme.test,quarterly,2,1,1,0,point-in-time-only"
out_has "^QU-3,QU-3 title,alice@acme.test,quarterly,2,1,2,0,partial"

t "a window that misses QU-1's evidence" "$TILLIT" evidence coverage --period 2026-02-01..2026-02-28 --format json
out_has '"outside": "2"'
t "as a table" "$TILLIT" evidence coverage --period $window
out_has "point-in-time-only"

done_testing
