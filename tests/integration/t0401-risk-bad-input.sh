#!/bin/sh
# risk: bad input and broken model rules exit 2 with one clear line and
# change nothing; risks and controls of another organization are invisible.
. "$(dirname "$0")/lib.sh"

# bad DESC PATTERN CMD...: CMD exits 2 with PATTERN on a single stderr line.
bad() {
    desc=$1; pat=$2; shift 2
    t_exit 2 "$desc" "$@"
    err_has "$pat"
    err_lines 1
}

snapshot() {
    { "$TILLIT" audit log --format csv && "$TILLIT" --org acme risk list --format csv; } \
        >"$SCRATCH/$1" 2>&1
}

unchanged() {
    snapshot now
    if cmp -s "$SCRATCH/before" "$SCRATCH/now"; then ok "failed commands changed nothing"; else
        not_ok "failed commands changed nothing"; diff "$SCRATCH/before" "$SCRATCH/now" | sed 's/^/# /'; fi
}

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null &&
    "$TILLIT" org create beta --name "Beta AB" >/dev/null &&
    "$TILLIT" --org acme control add AC-01 --title "Access reviews" >/dev/null &&
    "$TILLIT" --org beta control add BX-01 --title "Beta control" >/dev/null &&
    "$TILLIT" --org acme risk add R-01 --title "Stolen credentials" --likelihood 4 --impact 5 \
        --treatment mitigate --control AC-01 >/dev/null &&
    "$TILLIT" --org acme risk add R-02 --title "Outage" --likelihood 2 --impact 2 \
        --treatment accept >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
export TILLIT_ORG=acme
snapshot before

bad "mitigate without a control" "risk 'R-09': treatment 'mitigate' needs at least one linked control" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment mitigate
bad "likelihood out of range" "option '--likelihood' must be a whole number from 1 to 5, not '6'" \
    "$TILLIT" risk add R-09 --title X --likelihood 6 --impact 3 --treatment accept
bad "impact not a number" "option '--impact' must be a whole number from 1 to 5, not 'high'" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact high --treatment accept
bad "unknown treatment" 'unknown treatment "ignore" (expected one of: mitigate, accept, transfer, avoid)' \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment ignore
bad "half a residual" "risk 'R-09': give both residual likelihood and residual impact, or neither" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment accept --residual-likelihood 2
bad "residual above inherent" "risk 'R-09': residual score 6 exceeds inherent score 4" \
    "$TILLIT" risk add R-09 --title X --likelihood 2 --impact 2 --treatment accept \
    --residual-likelihood 3 --residual-impact 2
bad "bad code" "invalid risk code 'R 9'" \
    "$TILLIT" risk add "R 9" --title X --likelihood 3 --impact 3 --treatment accept
bad "empty title" "risk 'R-09': title must not be empty" \
    "$TILLIT" risk add R-09 --title "" --likelihood 3 --impact 3 --treatment accept
bad "bad review date" "risk 'R-09': next review: '2026-02-30' is not a date" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment accept --next-review 2026-02-30
bad "unknown owner" "no person with email 'zed@acme.io'" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment accept --owner zed@acme.io
bad "unknown control" "no control 'NOPE-1'" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment mitigate --control AC-01,NOPE-1
bad "control of another organization" "no control 'BX-01'" \
    "$TILLIT" risk add R-09 --title X --likelihood 3 --impact 3 --treatment mitigate --control BX-01
bad "duplicate code" "risk 'R-01' already exists" \
    "$TILLIT" risk add R-01 --title X --likelihood 3 --impact 3 --treatment accept
bad "missing options" "usage: tillit risk add CODE" "$TILLIT" risk add R-09 --title X
bad "unknown option" "unknown option '--colour'" "$TILLIT" risk list --colour red
bad "unknown verb" "unknown subcommand 'risk frob'" "$TILLIT" risk frob
bad "bad list filter" 'unknown treatment "later"' "$TILLIT" risk list --treatment later
bad "bad format" "unknown format 'xml'" "$TILLIT" risk list --format xml

bad "unlink the last control of a mitigated risk" "risk 'R-01': treatment 'mitigate' needs at least one linked control" \
    "$TILLIT" risk link R-01 --unlink AC-01
bad "edit away the last control" "risk 'R-01': treatment 'mitigate' needs at least one linked control" \
    "$TILLIT" risk edit R-01 --control ""
bad "edit to mitigate without controls" "risk 'R-02': treatment 'mitigate' needs at least one linked control" \
    "$TILLIT" risk edit R-02 --treatment mitigate
bad "edit residual above inherent" "risk 'R-02': residual score 9 exceeds inherent score 4" \
    "$TILLIT" risk edit R-02 --residual-likelihood 3 --residual-impact 3
bad "link twice" "risk 'R-01' is already linked to control 'AC-01'" "$TILLIT" risk link R-01 --control AC-01
bad "unlink what is not linked" "risk 'R-02' is not linked to control 'AC-01'" "$TILLIT" risk link R-02 --unlink AC-01
bad "link and unlink at once" "usage: tillit risk link" "$TILLIT" risk link R-01 --control AC-01 --unlink AC-01
bad "fraud and no-fraud" "give '--fraud' or '--no-fraud', not both" "$TILLIT" risk edit R-01 --fraud --no-fraud
bad "edit unknown risk" "no risk 'R-77'" "$TILLIT" risk edit R-77 --title X
bad "remove unknown risk" "no risk 'R-77'" "$TILLIT" risk remove R-77
bad "removing a linked control is refused" "control 'AC-01' is linked to risk 'R-01'" \
    "$TILLIT" control remove AC-01
unchanged

t "beta sees no risks" "$TILLIT" --org beta risk list --format csv
t "beta list is only a header" test "$(wc -l <"$SCRATCH/out")" -eq 1
bad "beta cannot show acme's risk" "no risk 'R-01'" "$TILLIT" --org beta risk show R-01
bad "beta cannot remove acme's risk" "no risk 'R-01'" "$TILLIT" --org beta risk remove R-01
unchanged

done_testing
