#!/bin/sh
# The project plan: phases in order at the organization's pace, late tasks
# moving what depends on them, iCalendar output that parses back.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme, Inc." >/dev/null
export TILLIT_NOW=2026-01-01T09:00:00Z

t "type2 plan" "$TILLIT" plan --start 2026-01-05 --target type2 --format json
keep plan.json
t "phases in order, 7 weeks to the draft, 6-month window" python3 - "$SCRATCH/plan.json" <<'PY'
import json, sys, datetime as dt
p = json.load(open(sys.argv[1]))
codes = [t["code"] for t in p["tasks"]]
assert codes == ["scope", "gap", "controls", "framework", "draft", "walkthrough",
                 "remediation", "observation", "fieldwork", "report"], codes
d = {t["code"]: t for t in p["tasks"]}
day = lambda s: dt.date.fromisoformat(s)
weeks = (day(d["draft"]["due"]) - day(d["scope"]["start"])).days + 1
assert 42 <= weeks <= 56, weeks          # phases 1-4: 6-8 weeks at one day a week
rem = (day(d["remediation"]["due"]) - day(d["remediation"]["start"])).days + 1
assert 14 <= rem <= 28, rem              # remediation: 2-4 weeks
assert (d["observation"]["start"], d["observation"]["due"]) == ("2026-03-23", "2026-09-22"), d["observation"]
for a, b in zip(p["tasks"], p["tasks"][1:]):
    assert day(b["start"]) > day(a["start"]), (a["code"], b["code"])
assert not any(t["late"] for t in p["tasks"])
PY

t "ics output" "$TILLIT" plan show --format ics
keep plan.ics
t "ics parses back" python3 - "$SCRATCH/plan.ics" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read().decode()
assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
lines = []
for l in raw.split("\r\n")[:-1]:
    assert len(l.encode()) <= 75, l
    if l.startswith(" "):
        lines[-1] += l[1:]
    else:
        lines.append(l)
assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
events, cur = [], None
for l in lines:
    if l == "BEGIN:VEVENT":
        cur = {}
    elif l == "END:VEVENT":
        events.append(cur); cur = None
    elif cur is not None:
        k, v = l.split(":", 1)
        cur[k] = v
assert len(events) == 10, len(events)
for e in events:
    for k in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY"):
        assert k in e, (k, e)
    assert e["DTEND;VALUE=DATE"] > e["DTSTART;VALUE=DATE"]
assert len({e["UID"] for e in events}) == 10
assert events[0]["DTSTART;VALUE=DATE"] == "20260105"
PY

t "type1 plan at two days a week" "$TILLIT" plan --start 2026-01-05 --target type1 --days-per-week 2 --format csv
out_has "audit-type1"
if grep -q observation "$SCRATCH/out"; then not_ok "no observation window in type1"; else ok "no observation window in type1"; fi

export TILLIT_NOW=2026-02-01T09:00:00Z
t "status shows the late task" "$TILLIT" plan status
out_has "late: scope"
t "finishing the late task" "$TILLIT" plan task scope --status done --done-on 2026-01-30
t "plan recomputed" "$TILLIT" plan show --format json
keep after.json
t "gap starts after scope was done" python3 - "$SCRATCH/after.json" <<'PY'
import json, sys
d = {t["code"]: t for t in json.load(open(sys.argv[1]))["tasks"]}
assert d["scope"]["status"] == "done" and d["scope"]["done_on"] == "2026-01-30"
assert d["gap"]["start"] == "2026-01-31", d["gap"]
PY

"$TILLIT" audit log >"$SCRATCH/before"
t_exit 2 "observation window of 13 months" "$TILLIT" plan --start 2026-01-05 --target type2 --observation-months 13
err_has "outside 3 to 12 months"
t_exit 2 "observation window of 2 months" "$TILLIT" plan --start 2026-01-05 --target type2 --observation-months 2
t_exit 2 "a date that is not a date" "$TILLIT" plan --start 2026-02-30 --target type2
err_has "'2026-02-30' is not a date"
t_exit 2 "unknown target" "$TILLIT" plan --start 2026-01-05 --target type3
err_has "unknown target"
t_exit 2 "unknown task" "$TILLIT" plan task nope --status done
t_exit 2 "unknown task status" "$TILLIT" plan task gap --status finished
"$TILLIT" audit log >"$SCRATCH/after"
cmp -s "$SCRATCH/before" "$SCRATCH/after" && ok "nothing changed" || not_ok "nothing changed"

t "short window is allowed with a warning" "$TILLIT" plan --start 2026-01-05 --target type2 --observation-months 4
err_has "warning: an observation window of 4 months"
t "audit chain intact" "$TILLIT" audit verify
done_testing
