#!/bin/sh
# Every list page exports what it shows as CSV, JSON and XLSX, with its
# filters: a download named after the organization and the list, the same
# rows in each format, formulas never (CSV cells quoted, XLSX cells text).
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

if ! python3 -c 'import zipfile' 2>/dev/null; then
    echo "1..0 # SKIP needs python3 to read the workbooks"
    exit 0
fi
printf 'x\n' >"$SCRATCH/e.txt"
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name '=cmd|calc' --department Ops --org acme &&
  "$TILLIT" control add C-1 --title '=HYPERLINK("http://evil.example")' --status designed --org acme &&
  "$TILLIT" control add C-2 --title 'Second' --status operating --org acme &&
  "$TILLIT" risk add R-1 --title 'Flood' --likelihood 2 --impact 2 --treatment accept --org acme &&
  "$TILLIT" vendor add ven --name Vendor --criticality high --org acme &&
  "$TILLIT" policy new pol --template access-control --org acme &&
  "$TILLIT" plan --start 2026-03-02 --target type2 --org acme &&
  "$TILLIT" evidence add "$SCRATCH/e.txt" --control C-1 --org acme && setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
start_server --max-seconds 200
as viewer

# rows_of FILE FORMAT: the number of data rows of an export.
rows_of() {
    python3 - "$1" "$2" <<'PY'
import sys, json, csv, zipfile, re
path, fmt = sys.argv[1], sys.argv[2]
if fmt == "json":
    print(len(json.load(open(path))))
elif fmt == "csv":
    print(len(list(csv.reader(open(path, newline="")))) - 1)
else:
    z = zipfile.ZipFile(path)
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    print(len(re.findall(r"<row ", sheet)) - 1)
PY
}

for spec in "controls:controls" "controls?status=operating:controls" "people:people" "people?department=Ops:people" \
    "vendors?criticality=high:vendors" "risks:risks" "policies:policies" "criteria?category=security:criteria" \
    "gap?state=none:gap" "library?family=access:library" "evidence:evidence" "evidence/due:evidence-due" \
    "evidence/coverage?period=2026-01-01..2026-02-28:evidence-coverage" "plan:plan" "audit:audit-log" \
    "policies/pol/acks:pol-acks" "search?q=C-:search"; do
    page=${spec%:*}
    fname=${spec##*:}
    sep='?'
    case "$page" in *\?*) sep='&' ;; esac
    counts=""
    for f in csv json xlsx; do
        get ex "/o/acme/$page${sep}format=$f"
        is "/o/acme/$page as $f" "$STATUS" 200
        has "... a download named acme-$fname.$f" "$SCRATCH/ex.h" "attachment; filename=\"acme-$fname.$f\""
        cp "$SCRATCH/ex.b" "$SCRATCH/ex.$f"
        counts="$counts $(rows_of "$SCRATCH/ex.$f" $f)"
    done
    set -- $counts
    if [ "$1" = "$2" ] && [ "$2" = "$3" ]; then ok "... the same $1 rows in each"; else not_ok "... the same rows in each ($counts)"; fi
done
# The scope page is not one list: JSON is the whole scope, CSV and XLSX its components.
get sc "/o/acme/scope?format=csv"
is "the scope's components as CSV" "$STATUS" 200
get sj "/o/acme/scope?format=json"
has "the whole scope as JSON" "$SCRATCH/sj.b" '"subservice_orgs"'
get f1 "/o/acme/controls?status=operating&format=csv"
hasnt "the filter applies to the export" "$SCRATCH/f1.b" "C-1"
get pg "/o/acme/controls?status=operating"
has "the page's export links keep the filter" "$SCRATCH/pg.b" 'href="?format=xlsx&amp;status=operating"'
get c "/o/acme/controls?format=csv"
has "a CSV cell that would be a formula is quoted" "$SCRATCH/c.b" "'=HYPERLINK"
get x "/o/acme/controls?format=xlsx"
if python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = z.read("xl/worksheets/sheet1.xml").decode()
sys.exit(1 if "<f>" in s else 0)' "$SCRATCH/x.b"; then ok "an XLSX never holds a formula"; else not_ok "an XLSX never holds a formula"; fi
has "... and is a workbook" "$SCRATCH/x.h" "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
as other
get o "/o/acme/controls?format=xlsx"
is "another organization's member gets no export (404)" "$STATUS" 404

stop_clean
done_testing
