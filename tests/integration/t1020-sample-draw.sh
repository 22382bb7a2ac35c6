#!/bin/sh
# sample draw / verify: the same population and seed give the same sample
# in another database and from a file in another order; CSV and XLSX
# populations filtered to the period; verify catches a tampered sample or
# population (exit 1, naming the difference).
. "$(dirname "$0")/lib.sh"

setup() {
    "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
        "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven &&
        "$TILLIT" control map CHG-01 CC8.1 &&
        "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --key &&
        "$TILLIT" control map HR-01 CC1.4 &&
        "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
        "$TILLIT" test plan y2026
}
setup >/dev/null || { echo "Bail out! setup failed"; exit 1; }

seq -f "PR-%04g" 1 250 >prs.txt
sort -r prs.txt >prs-reversed.txt
t "a population of 250 changes" "$TILLIT" test population y2026:CHG-01 --file prs.txt
out_has "population of test 'y2026:CHG-01': 250 item(s), sha256 "
out_has "the sampling table gives 15 (event-driven: population 250 (up to 250): table)"
t "draw with seed 42" "$TILLIT" sample draw y2026:CHG-01 --seed 42 --format csv
cut -d, -f3 "$SCRATCH/out" | tail -n +2 >first.txt
t "the table's size" test "$(wc -l <first.txt)" -eq 15
t "verify" "$TILLIT" sample verify y2026:CHG-01
out_has "sample of test 'y2026:CHG-01' verified: 15 items drawn with seed 42 from a population of 250"
t "verify against the file, in another order" "$TILLIT" sample verify y2026:CHG-01 --file prs-reversed.txt
out_has "which matches the population given"

# Another database, the population in another order: the same sample.
mv "$TILLIT_DB" first.db
rm -rf "$T_VAULT"
setup >/dev/null
"$TILLIT" test population y2026:CHG-01 --file prs-reversed.txt >/dev/null
t "the same seed elsewhere" "$TILLIT" sample draw y2026:CHG-01 --seed 42 --format csv
cut -d, -f3 "$SCRATCH/out" | tail -n +2 >second.txt
if cmp -s first.txt second.txt; then ok "gives the same sample"; else not_ok "gives the same sample"; diff first.txt second.txt | sed 's/^/# /'; fi
t "another seed" "$TILLIT" sample draw y2026:CHG-01 --seed 43 --format csv
cut -d, -f3 "$SCRATCH/out" | tail -n +2 >third.txt
if cmp -s first.txt third.txt; then not_ok "gives another sample"; else ok "gives another sample"; fi
t "an explicit size" "$TILLIT" sample draw y2026:CHG-01 --seed 42 --size 5 --format csv
cut -d, -f3 "$SCRATCH/out" | tail -n +2 >five.txt
head -5 first.txt >first5.txt
if cmp -s first5.txt five.txt; then ok "a smaller sample is a prefix"; else not_ok "a smaller sample is a prefix"; fi
err_has "warning: a sample of 5 is smaller than the 15 the table gives"
t "the draws are in the audit log" "$TILLIT" audit log --chain acme --format csv
out_has "sample.draw"
n=$(db_sql "SELECT count(*) FROM audit_log WHERE action = 'sample.draw'
    AND after_json LIKE '%\"seed\":\"43\"%' AND after_json LIKE '%\"population_hash\":\"%'
    AND after_json LIKE '%\"item\":\"PR-%'")
t "with seed, population hash and selection" test "$n" -eq 1
t "back to seed 42" "$TILLIT" sample draw y2026:CHG-01 --seed 42

# Tampering: a sample row edited in the database.
one=$(sed -n 1p first.txt)
db_sql "UPDATE test_sample SET item = 'PR-9999' WHERE item = '$one'"
t_exit 1 "a tampered sample fails verification" "$TILLIT" sample verify y2026:CHG-01
out_has "mismatch: sample item 1 is 'PR-9999' (index"
err_has "the sample of test 'y2026:CHG-01' does not verify: sample item 1 is 'PR-9999'"
db_sql "UPDATE test_sample SET item = '$one' WHERE item = 'PR-9999'"
t "restored, it verifies" "$TILLIT" sample verify y2026:CHG-01
# ... a population row edited.
db_sql "UPDATE test_population SET item = 'PR-0000' WHERE item = 'PR-0250'"
t_exit 1 "a tampered population fails verification" "$TILLIT" sample verify y2026:CHG-01
out_has "mismatch: the population hash is "
db_sql "UPDATE test_population SET item = 'PR-0250' WHERE item = 'PR-0000'"
# ... the recorded seed changed.
db_sql "UPDATE eng_test SET seed = '41' WHERE seed = '42'"
t_exit 1 "another seed fails verification" "$TILLIT" sample verify y2026:CHG-01
out_has "the seed gives"
db_sql "UPDATE eng_test SET seed = '42' WHERE seed = '41'"
# ... and a population file that is not the recorded one.
sed 1d prs.txt >missing-one.txt
t_exit 1 "a different population file" "$TILLIT" sample verify y2026:CHG-01 --file missing-one.txt
out_has "the population in 'missing-one.txt' (249 items, hash"

# CSV and XLSX populations, filtered to the period by a date column.
cat >hires.csv <<'CSV'
employee,name,start_date
E-100,Ann,2025-12-15
E-101,Bob,2026-01-02
E-102,"Cyd, Jr.",2026-03-01T08:00:00Z
E-103,Dan,2026-06-30
E-104,Eve,2026-07-01
CSV
t "a CSV population filtered to the period" "$TILLIT" test population y2026:HR-01 \
    --file hires.csv --column employee --date-column start_date
out_has "3 item(s) (5 read, 2 dated outside the period)"
out_has "the sampling table gives 3 (event-driven: population 3 (up to 5): all)"
t "its items" "$TILLIT" test population y2026:HR-01
out_has "^E-101$"
out_has "^E-103$"
t "draw all of it" "$TILLIT" sample draw y2026:HR-01 --seed 1 --format csv
out_has ",E-102,2026-03-01,"
t "verify with the same filter" "$TILLIT" sample verify y2026:HR-01 --file hires.csv \
    --column employee --date-column start_date

if python3 -c "import zipfile" 2>/dev/null; then
    python3 - <<'PY'
import zipfile
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
         '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>46037</v></c></row>'
         '<row r="3"><c r="A3" t="inlineStr"><is><t>E-201</t></is></c><c r="B3" t="s"><v>3</v></c></row>'
         '<row r="5"><c r="A5" t="inlineStr"><is><t>E-202</t></is></c><c r="B5"><v>46204</v></c></row>'
         '</sheetData></worksheet>')
sst = ('<sst><si><t>ID</t></si><si><t>Start</t></si><si><t>E-200</t></si>'
       '<si><t>2026-02-01</t></si></sst>')
with zipfile.ZipFile('hires.xlsx', 'w') as z:
    z.writestr('xl/worksheets/sheet1.xml', sheet)
    z.writestr('xl/sharedStrings.xml', sst)
PY
    t "an XLSX population (dates as serials or text)" "$TILLIT" test population y2026:HR-01 \
        --file hires.xlsx --date-column Start
    out_has "2 item(s) (3 read, 1 dated outside the period)"
    t "its items" "$TILLIT" test population y2026:HR-01
    out_has "^E-200$"
    out_has "^E-201$"
    printf 'not a zip' >fake.xlsx
    t_exit 2 "a file that is not XLSX" "$TILLIT" test population y2026:HR-01 --file fake.xlsx
    err_has "'fake.xlsx' is not an XLSX file"
else
    skip "no python3 to build an XLSX file"
fi

t "the audit chain verifies" "$TILLIT" audit verify
done_testing
