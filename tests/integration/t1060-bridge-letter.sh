#!/bin/sh
# engagement bridge-letter: a markdown draft (en, sv) for the days after the
# last Type II period, naming the open findings.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW="2026-09-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme" --legal-name "Acme AB" &&
    "$TILLIT" scope set --name "Acme Platform" &&
    "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven &&
    "$TILLIT" control map CHG-01 CC8.1 &&
    "$TILLIT" engagement create --kind type2 --period 2025-01-01..2025-12-31 --slug y2025 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 \
        --firm "Revisionsbyrån Nord AB" &&
    "$TILLIT" engagement create --kind type1 --as-of 2026-03-31 --slug t1 &&
    "$TILLIT" test plan y2026 && seq -f "PR-%g" 1 3 >p.txt &&
    "$TILLIT" test population y2026:CHG-01 --file p.txt &&
    "$TILLIT" sample draw y2026:CHG-01 --seed 1 --size 1 --format csv >d.csv; } >/dev/null 2>&1 ||
    { echo "Bail out! setup failed"; exit 1; }
item=$(sed -n 2p d.csv | cut -d, -f3)
"$TILLIT" test result y2026:CHG-01 "$item" --exception "no review" >/dev/null &&
    "$TILLIT" test conclude y2026:CHG-01 >/dev/null

t "a bridge letter from the last period" "$TILLIT" engagement bridge-letter --to 2026-09-30
out_has "^# Bridge letter (draft)"
out_has "Type II report on Acme Platform for the period 2026-01-01 to 2026-06-30"
out_has "issued by Revisionsbyrån Nord AB"
out_has "the period from 2026-07-01 to 2026-09-30"
out_has "^- F-1 CHG-01: 1 exception(s) in 1 tested (operating test) (severity: high; status: open"
out_has "^2026-09-15$"
t "in Swedish" "$TILLIT" engagement bridge-letter y2026 --to 2026-09-30 --lang sv
out_has "^# Överbryggningsbrev (utkast)"
out_has "perioden 2026-07-01 till 2026-09-30"
out_has "allvarlighetsgrad: high"
t "of an earlier period" "$TILLIT" engagement bridge-letter y2025 --to 2026-02-28
out_has "from 2026-01-01 to 2026-02-28"
out_has "^- None.$"
out_has "\[audit firm\]"
t_exit 2 "not inside the period" "$TILLIT" engagement bridge-letter y2026 --to 2026-06-30
err_has "bridge letter end '2026-06-30' must follow the end of the period (2026-06-30)"
t_exit 2 "not after a Type I" "$TILLIT" engagement bridge-letter t1 --to 2026-09-30
err_has "engagement 't1' is a type1 engagement: a bridge letter follows a Type II period"
t_exit 2 "a date is needed" "$TILLIT" engagement bridge-letter y2026
err_has "usage: tillit engagement bridge-letter"
t_exit 2 "a bad date" "$TILLIT" engagement bridge-letter y2026 --to 2026-09-31
err_has "'2026-09-31' is not a date"

done_testing
