#!/bin/sh
# vendor: bad input exits 2 with one clear line and changes nothing;
# vendors and subservice organizations of another organization are invisible.
. "$(dirname "$0")/lib.sh"

bad() {
    desc=$1; pat=$2; shift 2
    t_exit 2 "$desc" "$@"
    err_has "$pat"
    err_lines 1
}

snapshot() {
    { "$TILLIT" audit log --format csv && "$TILLIT" --org acme vendor list --format csv; } \
        >"$SCRATCH/$1" 2>&1
}

unchanged() {
    snapshot now
    if cmp -s "$SCRATCH/before" "$SCRATCH/now"; then ok "failed commands changed nothing"; else
        not_ok "failed commands changed nothing"; diff "$SCRATCH/before" "$SCRATCH/now" | sed 's/^/# /'; fi
}

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null &&
    "$TILLIT" org create beta --name "Beta AB" >/dev/null &&
    "$TILLIT" --org acme vendor add aws --name AWS --soc-report yes --soc-period-end 2025-09-30 \
        >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
beta=$(db_sql "SELECT id FROM organization WHERE slug = 'beta'")
db_sql "INSERT INTO subservice_org (id, org_id, slug, name, method)
    VALUES ('s1', '$beta', 'gcp', 'Google Cloud', 'carve-out')" ||
    { echo "Bail out! cannot write fixtures"; exit 1; }
export TILLIT_ORG=acme
snapshot before

bad "invalid slug" "invalid vendor slug 'Big Vendor'" "$TILLIT" vendor add "Big Vendor" --name X
bad "missing name" "usage: tillit vendor add SLUG --name NAME" "$TILLIT" vendor add x
bad "empty name" "name of vendor 'x' must not be empty" "$TILLIT" vendor add x --name ""
bad "unknown criticality" 'unknown criticality "extreme" (expected one of: low, medium, high, critical)' \
    "$TILLIT" vendor add x --name X --criticality extreme
bad "soc-report not yes/no" "unknown --soc-report 'maybe' (expected yes or no)" \
    "$TILLIT" vendor add x --name X --soc-report maybe
bad "report without period end" "vendor 'x' has a SOC report on file: give its period end" \
    "$TILLIT" vendor add x --name X --soc-report yes
bad "period end without report" "SOC period end '2025-06-30' of vendor 'x' needs a SOC report on file" \
    "$TILLIT" vendor add x --name X --soc-period-end 2025-06-30
bad "bad period end" "SOC period end of vendor 'x': '2025-02-30' is not a date" \
    "$TILLIT" vendor add x --name X --soc-report yes --soc-period-end 2025-02-30
bad "period end in the future" "SOC period end '2026-03-02' of vendor 'x' is in the future" \
    "$TILLIT" vendor add x --name X --soc-report yes --soc-period-end 2026-03-02
bad "duplicate slug" "vendor 'aws' already exists" "$TILLIT" vendor add aws --name Again
bad "unknown subservice" "no subservice organization 'azure' for vendor 'x'" \
    "$TILLIT" vendor add x --name X --subservice azure
bad "subservice of another org" "no subservice organization 'gcp' for vendor 'x'" \
    "$TILLIT" vendor add x --name X --subservice gcp
bad "clearing the period end of a report" "vendor 'aws' has a SOC report on file: give its period end" \
    "$TILLIT" vendor edit aws --soc-period-end ""
bad "rename to an invalid slug" "invalid vendor slug 'AWS'" "$TILLIT" vendor edit aws --slug AWS
bad "edit without options" "give at least one option" "$TILLIT" vendor edit aws
bad "edit unknown vendor" "no vendor 'azure'" "$TILLIT" vendor edit azure --name Azure
bad "show unknown vendor" "no vendor 'azure'" "$TILLIT" vendor show azure
bad "remove unknown vendor" "no vendor 'azure'" "$TILLIT" vendor remove azure
bad "list by unknown criticality" 'unknown criticality "huge"' "$TILLIT" vendor list --criticality huge
bad "list format md" "unknown format 'md'" "$TILLIT" vendor list --format md
bad "unknown verb" "unknown subcommand 'vendor delete'" "$TILLIT" vendor delete aws
bad "extra argument" "unexpected argument 'gcp'" "$TILLIT" vendor remove aws gcp
bad "other org: show" "no vendor 'aws'" "$TILLIT" --org beta vendor show aws
bad "other org: remove" "no vendor 'aws'" "$TILLIT" --org beta vendor remove aws
t "other org: list is empty" "$TILLIT" --org beta vendor list --format json
out_has "^\[\]$"
unchanged
t "the audit chain still verifies" "$TILLIT" audit verify

done_testing
