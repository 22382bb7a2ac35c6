#!/bin/sh
# A population from a dataset ('tillit data load'), filtered to the period
# by a date column; the source names the dataset and the hash of its rows,
# and 'sample verify --dataset' checks the stored population against it.
. "$(dirname "$0")/lib.sh"

export TILLIT_DATA_DIR="$SCRATCH/data"
cat >hr.csv <<'CSV'
Employee ID,Name,Start date
E-100,Ann,2025-12-15
E-101,Bob,2026-01-02
E-102,Cyd,2026-03-01
E-103,Dan,2026-06-30
E-104,Eve,2026-07-01
E-105,Fay,2026-04-12
CSV
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --key &&
    "$TILLIT" control map HR-01 CC1.4 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" engagement create --kind type1 --as-of 2026-06-30 --slug t1 &&
    "$TILLIT" test plan y2026 && "$TILLIT" test plan t1 &&
    "$TILLIT" data load hr hr.csv --kind csv; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "a population from a dataset" "$TILLIT" test population y2026:HR-01 --dataset hr \
    --column employee_id --date-column start_date
out_has "population of test 'y2026:HR-01': 4 item(s), sha256 "
t "its source" "$TILLIT" test show y2026:HR-01
out_has "source: *dataset 'hr' (column 'employee_id', dated within the period by 'start_date'; rows sha256 "
t "its items" "$TILLIT" test population y2026:HR-01
out_has "^E-105$"
if grep -q "E-100\|E-104" "$SCRATCH/out"; then not_ok "only the period"; else ok "only the period"; fi
t "draw" "$TILLIT" sample draw y2026:HR-01 --seed 5
t "verify against the dataset" "$TILLIT" sample verify y2026:HR-01 --dataset hr \
    --column employee_id --date-column start_date
out_has "which matches the population given"
t_exit 1 "the whole dataset is another population" "$TILLIT" sample verify y2026:HR-01 \
    --dataset hr --column employee_id
out_has "mismatch: the population in 'dataset 'hr' (column 'employee_id'; rows sha256"
t_exit 2 "an unknown column" "$TILLIT" test population y2026:HR-01 --dataset hr --column nope
err_has "no column 'nope'"
t_exit 2 "an unknown dataset" "$TILLIT" test population y2026:HR-01 --dataset nope
t_exit 2 "no period to filter to" "$TILLIT" test population t1:HR-01 --dataset hr \
    --column employee_id --date-column start_date
err_has "engagement 't1' has an as-of date, not a period"
t_exit 2 "a file and a dataset" "$TILLIT" test population y2026:HR-01 --dataset hr --file hr.csv
err_has "a population comes from a file or a dataset, not both"

done_testing
