#!/bin/sh
# engagement: create (readiness, Type I, Type II), list, show, phases;
# categories default to the scope; several engagements side by side.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null &&
    "$TILLIT" scope category availability --in >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "a type2 engagement" "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-12-31 \
    --firm "Revisionsbyrån Nord AB"
out_has "created engagement 'type2-2026' (type2, 2026-01-01..2026-12-31; security,availability)"
t "a second one is numbered" "$TILLIT" engagement create --kind type2 \
    --period 2026-01-01..2026-06-30 --categories security
out_has "created engagement 'type2-2026-2'"
t_exit 0 "a 4-month period warns" "$TILLIT" engagement create --kind type2 \
    --period 2026-01-01..2026-04-30 --slug short
err_has "warning: a period of under 6 months"
t "a type1 with an as-of date" "$TILLIT" engagement create --kind type1 --as-of 2026-03-31 \
    --categories availability,security --slug t1
out_has "created engagement 't1' (type1, 2026-03-31; security,availability)"
t "a readiness walkthrough" "$TILLIT" engagement create --kind readiness --as-of 2026-02-15
out_has "readiness-2026"

t "list" "$TILLIT" engagement list --format csv
out_has "^type2-2026,type2,2026-01-01..2026-12-31,\"security,availability\",Revisionsbyrån Nord AB,planning,0,0,0,0"
out_has "^t1,type1,2026-03-31,"
t "list as json" "$TILLIT" engagement list --format json
out_has '"slug": "readiness-2026"'

t "show" "$TILLIT" engagement show type2-2026
out_has "^phase: *planning"
out_has "planning   current  2026-03-01T09:00:00Z by test"
out_has "sampling_table: *default"

t "to fieldwork" "$TILLIT" engagement phase type2-2026 fieldwork
out_has "engagement 'type2-2026' is now in phase 'fieldwork'"
t "show as json" "$TILLIT" engagement show type2-2026 --format json
out_has '"phase": "fieldwork"'
out_has '"state": "done"'
t_exit 2 "phases do not move back" "$TILLIT" engagement phase type2-2026 planning
err_has "phases only move forward"
t_exit 2 "an unknown phase" "$TILLIT" engagement phase type2-2026 party
err_has "unknown phase"

# A readiness engagement with no tests can conclude, and is then frozen.
t "conclude the walkthrough" "$TILLIT" engagement phase readiness-2026 concluded
t "show concluded" "$TILLIT" engagement show readiness-2026
out_has "concluded_at: *2026-03-01T09:00:00Z"
t_exit 2 "a concluded engagement is read-only" "$TILLIT" engagement sampling-table readiness-2026 --default
err_has "engagement 'readiness-2026' is concluded and read-only"
t "but still readable" "$TILLIT" engagement sampling-table readiness-2026
out_has "^frequencies:"

# The sampling table per engagement.
cat >table.yaml <<'YAML'
name: "Firm table"
design: 1
automated: 2
frequencies:
  - {frequency: annual, per_year: 1, sample: 1}
  - {frequency: semi-annual, per_year: 2, sample: 2}
  - {frequency: quarterly, per_year: 4, sample: 4}
  - {frequency: monthly, per_year: 12, sample: 3}
  - {frequency: weekly, per_year: 52, sample: 10}
  - {frequency: daily, per_year: 365, sample: 40}
  - {frequency: multiple-daily, per_year: 1000, sample: 60}
  - {frequency: continuous, per_year: 1000, sample: 60}
populations:
  - {max: 10, sample: all}
  - {max: null, sample: 30}
YAML
t "a firm's table" "$TILLIT" engagement sampling-table type2-2026 --file table.yaml
t "is shown" "$TILLIT" engagement sampling-table type2-2026
out_has 'name: "Firm table"'
t "show says custom" "$TILLIT" engagement show type2-2026
out_has "sampling_table: *custom"
printf 'name: x\ndesign: 1\nautomated: 1\nfrequencies: []\n' >bad.yaml
t_exit 2 "a broken table is refused" "$TILLIT" engagement sampling-table type2-2026 --file bad.yaml
err_has "bad.yaml:4:14: 'frequencies' must list at least one row"
t "back to the default" "$TILLIT" engagement sampling-table type2-2026 --default
t "audit chain verifies" "$TILLIT" audit verify

done_testing
