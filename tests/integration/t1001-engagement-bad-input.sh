#!/bin/sh
# Bad input to engagements, tests and samples: exit 2, one clear line on
# stderr, and nothing changed (the audit log, the tests and the sample are
# as before).
. "$(dirname "$0")/lib.sh"

# bad DESC PATTERN CMD...: CMD exits 2 with PATTERN on a single stderr line.
bad() {
    desc=$1; pat=$2; shift 2
    t_exit 2 "$desc" "$@"
    err_has "$pat"
    err_lines 1
}

snapshot() {
    { "$TILLIT" audit log --format csv && "$TILLIT" engagement list --format csv &&
        "$TILLIT" test list y2026 --format csv && "$TILLIT" sample show y2026:CHG-01 --format csv &&
        "$TILLIT" sample show y2026:IAM-05 --format csv; } >"$SCRATCH/$1" 2>&1
}
unchanged() {
    snapshot now
    if cmp -s "$SCRATCH/before" "$SCRATCH/now"; then ok "$1: nothing changed"; else
        not_ok "$1: nothing changed"; diff "$SCRATCH/before" "$SCRATCH/now" | sed 's/^/# /' | head -20; fi
}

export TILLIT_NOW="2026-07-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven &&
    "$TILLIT" control map CHG-01 CC8.1 &&
    "$TILLIT" control add IAM-05 --title "Leavers removed" --frequency event-driven --key &&
    "$TILLIT" control map IAM-05 CC6.2 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" test plan y2026 &&
    seq -f "CHG-%03g" 1 30 >changes.txt && seq -f "L-%02g" 1 4 >leavers.txt &&
    "$TILLIT" test population y2026:CHG-01 --file changes.txt &&
    "$TILLIT" test population y2026:IAM-05 --file leavers.txt &&
    "$TILLIT" sample draw y2026:CHG-01 --seed 7 &&
    "$TILLIT" sample draw y2026:IAM-05 --seed 8; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
for item in $("$TILLIT" sample show y2026:IAM-05 --format csv | tail -n +2 | cut -d, -f3); do
    "$TILLIT" test result y2026:IAM-05 "$item" --pass >/dev/null
done
"$TILLIT" test conclude y2026:IAM-05 >/dev/null || { echo "Bail out! conclude failed"; exit 1; }
item=$("$TILLIT" sample show y2026:CHG-01 --format csv | sed -n 2p | cut -d, -f3)
snapshot before

# Engagements.
bad "a period of 2 months" "period '2026-01-01..2026-02-28' is shorter than 3 months: a type2 period is 3 to 12 months" \
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-02-28
bad "a period of 13 months" "is longer than 12 months" \
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2027-01-31
bad "a period on a type1" "a type1 engagement has an as-of date (--as-of DATE), not a period" \
    "$TILLIT" engagement create --kind type1 --period 2026-01-01..2026-06-30
bad "an as-of date on a type2" "a type2 engagement has a period" \
    "$TILLIT" engagement create --kind type2 --as-of 2026-06-30
bad "no period" "a type2 engagement needs a period" "$TILLIT" engagement create --kind type2
bad "an unknown kind" "unknown engagement kind" "$TILLIT" engagement create --kind type3 --as-of 2026-06-30
bad "no kind" "usage: tillit engagement create" "$TILLIT" engagement create --as-of 2026-06-30
bad "an unknown category" "unknown category" \
    "$TILLIT" engagement create --kind type1 --as-of 2026-06-30 --categories security,colour
bad "a bad date" "'2026-02-30' is not a date" "$TILLIT" engagement create --kind type1 --as-of 2026-02-30
bad "a reversed period" "period of the engagement" \
    "$TILLIT" engagement create --kind type2 --period 2026-06-30..2026-01-01
bad "a taken slug" "an engagement 'y2026' already exists" \
    "$TILLIT" engagement create --kind type1 --as-of 2026-06-30 --slug y2026
bad "an unknown engagement" "no engagement 'nope'" "$TILLIT" engagement show nope
bad "an unknown role" "TILLIT_ROLE" env TILLIT_ROLE=boss "$TILLIT" engagement list
unchanged "engagements"

# Samples.
bad "a seed that is not a number" "seed 'abc' is not a number" \
    "$TILLIT" sample draw y2026:CHG-01 --seed abc
bad "a negative seed" "seed '-5' is not a number" "$TILLIT" sample draw y2026:CHG-01 --seed=-5
bad "a sample larger than the population" "a sample of 31 is larger than the population of 30" \
    "$TILLIT" sample draw y2026:CHG-01 --seed 7 --size 31
bad "a size of 0" "sample size '0' is not a number of at least 1" \
    "$TILLIT" sample draw y2026:CHG-01 --seed 7 --size 0
bad "no seed" "usage: tillit sample draw TEST --seed N" "$TILLIT" sample draw y2026:CHG-01
bad "an unknown test" "no test 'y2026:NOPE-1'" "$TILLIT" sample draw y2026:NOPE-1 --seed 1
bad "a test of an unknown engagement" "no engagement 'x2026'" "$TILLIT" sample draw x2026:CHG-01 --seed 1
bad "a test without a population" "has no population yet" \
    "$TILLIT" sample draw y2026:CHG-01:design --seed 1
bad "verify without a draw" "has no drawn sample to verify" "$TILLIT" sample verify y2026:CHG-01:design
unchanged "samples"

# Populations.
printf 'CHG-1\nCHG-2\nCHG-1\n' >dup.txt
bad "a duplicate id" "item 'CHG-1' occurs twice in the population (lines 1 and 3)" \
    "$TILLIT" test population y2026:CHG-01 --file dup.txt
printf '\n\n' >empty.txt
bad "an empty population" "the population is empty" "$TILLIT" test population y2026:CHG-01 --file empty.txt
bad "a missing file" "nope.txt" "$TILLIT" test population y2026:CHG-01 --file nope.txt
printf 'key,when\nA,2026-01-05\n' >noid.csv
bad "no id column" "'noid.csv' has no column 'id' (columns: key, when; choose one with --column)" \
    "$TILLIT" test population y2026:CHG-01 --file noid.csv
bad "a bad date" "noid.csv:2: '2026-13-05' is not a date" sh -c \
    "printf 'key,when\nA,2026-13-05\n' >noid.csv && '$TILLIT' test population y2026:CHG-01 --file noid.csv --column key --date-column when"
printf 'id,x\n"A,1\n' >broken.csv
bad "a broken CSV" "broken.csv:2:1: unterminated quoted field" \
    "$TILLIT" test population y2026:CHG-01 --file broken.csv
printf 'id\nA\001B\n' >ctrl.csv
bad "a control character" "holds a control character" "$TILLIT" test population y2026:CHG-01 --file ctrl.csv
unchanged "populations"

# Results.
bad "an item not in the sample" "item 'CHG-999' is not in the sample of test 'y2026:CHG-01'" \
    "$TILLIT" test result y2026:CHG-01 CHG-999 --pass
bad "an exception without text" "an exception needs a description" \
    "$TILLIT" test result y2026:CHG-01 "$item" --exception ""
bad "pass and exception" "usage: tillit test result" \
    "$TILLIT" test result y2026:CHG-01 "$item" --pass --exception x
bad "no item on a sampled test" "give the sample item" "$TILLIT" test result y2026:CHG-01 --pass
bad "unknown evidence" "no evidence 'deadbeef'" \
    "$TILLIT" test result y2026:CHG-01 "$item" --pass --evidence deadbeef
bad "conclude with items untested" "cannot conclude test 'y2026:CHG-01': 5 of 5 sample items have no result" \
    "$TILLIT" test conclude y2026:CHG-01
bad "an unknown method" "unknown test method" "$TILLIT" test edit y2026:CHG-01 --method guessing
unchanged "results"

# A concluded test never changes.
first=$("$TILLIT" sample show y2026:IAM-05 --format csv | sed -n 2p | cut -d, -f3)
bad "a result on a concluded test" "test 'y2026:IAM-05' is concluded and cannot change" \
    "$TILLIT" test result y2026:IAM-05 "$first" --exception "changed my mind"
bad "a new draw" "is concluded and cannot change" "$TILLIT" sample draw y2026:IAM-05 --seed 9
bad "a new population" "is concluded and cannot change" \
    "$TILLIT" test population y2026:IAM-05 --file changes.txt
bad "a new procedure" "is concluded and cannot change" "$TILLIT" test edit y2026:IAM-05 --method inquiry
bad "concluding again" "is concluded and cannot change" "$TILLIT" test conclude y2026:IAM-05
unchanged "concluded test"

# Requests and letters.
bad "a request without text" "usage: tillit pbc add" "$TILLIT" pbc add y2026
bad "a bad request ref" "is not a request (expected ENGAGEMENT:REF" "$TILLIT" pbc show PBC-001
bad "an unknown status" "unknown request status" "$TILLIT" pbc list y2026 --status done
bad "a bridge letter inside the period" "must follow the end of the period (2026-06-30)" \
    "$TILLIT" engagement bridge-letter y2026 --to 2026-06-01
unchanged "requests"
t "the audit chain verifies" "$TILLIT" audit verify

done_testing
