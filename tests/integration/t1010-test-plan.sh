#!/bin/sh
# test plan: per control in scope a test of design (readiness, Type I) and
# of operating effectiveness (Type II), with the library's procedure steps
# and the table's sample sizes; the procedure is editable.
. "$(dirname "$0")/lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" person add ann@acme.io --name Ann --control-owner &&
    "$TILLIT" control adopt HR-01 IAM-04 CHG-01 LOG-04 BCP-03 --owner ann@acme.io; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "a type2 engagement" "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30
t "plan" "$TILLIT" test plan type2-2026
out_has "planned 8 test(s) in engagement 'type2-2026' (0 already planned)"
t "plan again adds nothing" "$TILLIT" test plan type2-2026
out_has "planned 0 test(s) in engagement 'type2-2026' (8 already planned)"
t "list" "$TILLIT" test list type2-2026 --format csv
keep list
out_has "^type2-2026:CHG-01:design,design,inspection,continuous,yes,1,"
out_has "^type2-2026:CHG-01,operating,re-performance,continuous,yes,1,"
out_has "^type2-2026:IAM-04,operating,inspection,quarterly,yes,2,"
out_has "^type2-2026:LOG-04,operating,inspection,daily,yes,25,"
out_has "^type2-2026:HR-01,operating,inspection,event-driven,yes,by population,"
if grep -q "BCP-03" "$SCRATCH/list"; then not_ok "availability is not in scope"; else ok "availability is not in scope"; fi
t "show" "$TILLIT" test show type2-2026:IAM-04
out_has "^size_basis: *quarterly: 2 occurrence(s) in 6 month(s), table 2"
out_has "  1. "
out_has "status: *planned"
t "the design test" "$TILLIT" test show type2-2026:IAM-04:design
out_has "Walk one occurrence of the control through"
t "the operating test by its full name" "$TILLIT" test show type2-2026:IAM-04:operating
out_has "kind: *operating"

t "edit the procedure" "$TILLIT" test edit type2-2026:IAM-04 --method re-performance \
    --steps "Obtain both quarterly reviews|Re-perform one review against the HR roster"
t "shows it" "$TILLIT" test show type2-2026:IAM-04 --format json
out_has '"method": "re-performance"'
out_has '"steps": "Obtain both quarterly reviews\\nRe-perform one review against the HR roster"'
printf 'Step one\nStep two\n' >steps.txt
t "steps from a file" "$TILLIT" test edit type2-2026:IAM-04 --steps-file steps.txt
t "shown numbered" "$TILLIT" test show type2-2026:IAM-04
out_has "  2. Step two"

# Type I and readiness: design only; the sample table's design size.
t "a type1 engagement" "$TILLIT" engagement create --kind type1 --as-of 2026-06-30
t "plan it" "$TILLIT" test plan type1-2026
out_has "planned 4 test(s)"
t "design tests are named without a suffix" "$TILLIT" test list type1-2026 --format csv
out_has "^type1-2026:IAM-04,design,inspection,quarterly,yes,1,"

# In Swedish for a Swedish organization.
{ "$TILLIT" org create norr --name "Norr AB" --language sv &&
    "$TILLIT" --org norr control adopt IAM-04 &&
    "$TILLIT" --org norr engagement create --kind type1 --as-of 2026-06-30 &&
    "$TILLIT" --org norr test plan type1-2026; } >/dev/null
t "steps in Swedish" "$TILLIT" --org norr test show type1-2026:IAM-04
out_has "Fråga kontrollägaren"
t "audited" "$TILLIT" audit log --chain acme --format csv
out_has "test.add"
out_has "test.edit"

done_testing
