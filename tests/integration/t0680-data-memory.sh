#!/bin/sh
# Loading streams: the peak memory of a load does not grow with the file.
# A 400,000-row CSV (about 57 MB) peaks within a bounded amount (the
# parser's buffer and SQLite's page cache, 16 MiB) of a 20,000-row one.
. "$(dirname "$0")/lib.sh"

if [ ! -x /usr/bin/time ]; then
    echo "1..0 # SKIP no /usr/bin/time to measure peak memory"
    exit 77
fi
[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
gen() { # gen ROWS FILE
    awk -v n="$1" 'BEGIN {
        print "id,email,name,department,started,score,active,note"
        for (i = 0; i < n; i++)
            printf "%d,user%d@example.com,Person Number %d,Dept %d,2025-%02d-%02d,%d.5,%s,\"a note that makes the row longer, with a comma, number %d\"\n",
                i, i, i, i % 17, 1 + i % 12, 1 + i % 28, i % 100, (i % 3 ? "true" : "false"), (i * 7919) % 100000
    }' >"$2"
}
gen 20000 small.csv
gen 400000 large.csv
# Under AddressSanitizer, freed memory waits in a quarantine that would
# count as peak memory; without it the figure is the program's own.
peak() { # peak NAME FILE: the load's maximum resident set, in KiB
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:detect_leaks=0" \
        /usr/bin/time -f "%M" -o "$SCRATCH/peak" "$TILLIT" data load "$1" "$2" --kind csv \
        >"$SCRATCH/out" 2>"$SCRATCH/err" && cat "$SCRATCH/peak"
}
small=$(peak small small.csv)
large=$(peak large large.csv)
echo "# peak memory: 20,000 rows $small KiB, 400,000 rows $large KiB"
t "both loaded" test -n "$small" -a -n "$large"
t "400,000 rows loaded" test "$(sqlite3 "${TILLIT_DATA_DIR:-$TILLIT_DB.data}/acme.sqlite" "SELECT count(*) FROM large")" -eq 400000
t "peak memory grows by less than 32 MiB for 20 times the rows" test $((large - small)) -lt 32768
t "and by less than half the growth of the file" \
    test $((large - small)) -lt $((($(wc -c <large.csv) - $(wc -c <small.csv)) / 2048))
done_testing
