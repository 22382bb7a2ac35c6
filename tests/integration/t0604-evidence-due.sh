#!/bin/sh
# 'evidence due' lists, by owner, the controls whose current evidence is
# missing or older than their frequency allows (daily 2 days, monthly 35,
# quarterly 100, annual 380, ...). Superseded evidence does not count.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" person add alice@acme.test --name Alice >/dev/null
"$TILLIT" person add bob@acme.test --name Bob >/dev/null
add_control() { "$TILLIT" control add "$1" --title "$2" --frequency "$3" ${4:+--owner "$4"} >/dev/null; }
add_control DL-1 "Backups ran" daily bob@acme.test
add_control DL-2 "Replication" daily bob@acme.test
add_control MO-1 "Vulnerability scan" monthly alice@acme.test
add_control QU-1 "Access review" quarterly alice@acme.test
add_control QU-2 "Firewall review" quarterly alice@acme.test
add_control AN-1 "Pen test" annual
n=0
add() { n=$((n + 1)); echo "evidence $n" >"e$n.txt"; "$TILLIT" evidence add "e$n.txt" --control "$1" --period "$2" >/dev/null; }
add DL-1 2026-02-28
add DL-2 2026-02-25
add MO-1 2026-01-01..2026-01-20
add QU-1 2026-01-15
add QU-2 2026-02-01
old=$("$TILLIT" evidence list --control QU-2 --format csv | sed -n 2p | cut -d, -f1)
echo "corrected" >fix.txt
"$TILLIT" evidence supersede "$old" fix.txt --period 2025-11-01 >/dev/null

t "due" "$TILLIT" evidence due --format csv
out_has "^alice@acme.test,MO-1,Vulnerability scan,monthly,35,2026-01-20,stale,5"
out_has "^alice@acme.test,QU-2,Firewall review,quarterly,100,2025-11-01,stale,20"
out_has "^bob@acme.test,DL-2,Replication,daily,2,2026-02-25,stale,2"
out_has "^(no owner),AN-1,Pen test,annual,380,,missing,"
keep due.csv
t "four controls are due" test "$(wc -l <"$SCRATCH/due.csv")" -eq 5
t "sorted by owner, no owner last" test "$(cut -d, -f1,2 "$SCRATCH/due.csv" | tr '\r\n' ' ')" = \
    "owner,control alice@acme.test,MO-1 alice@acme.test,QU-2 bob@acme.test,DL-2 (no owner),AN-1 "
t "fresh controls are not listed" test "$(grep -c -e DL-1 -e QU-1 "$SCRATCH/due.csv")" -eq 0

t "a day later DL-1 is stale too" env TILLIT_NOW=2026-03-03T09:00:00Z "$TILLIT" evidence due
out_has "DL-1"
t "as json" "$TILLIT" evidence due --format json
out_has '"state": "missing"'
out_has '"window_days": "380"'

done_testing
