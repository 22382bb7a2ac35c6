#!/bin/sh
# vendor add, list (filter, formats, SOC report status), show, edit, remove;
# the link to a subservice organization; every change audited.
. "$(dirname "$0")/lib.sh"
# TILLIT_NOW is 2026-03-01: a SOC period that ended before 2025-03-01 is stale.

json_ok() {
    if python3 -c "import json, sys; d = json.load(sys.stdin); sys.exit(0 if ($2) else 1)" \
        <"$SCRATCH/out"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$SCRATCH/out" | head -20; fi
}

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
# The scope commands belong to someone else: the subservice organization is
# written directly.
org=$(db_sql "SELECT id FROM organization WHERE slug = 'acme'")
db_sql "INSERT INTO subservice_org (id, org_id, slug, name, method)
    VALUES ('s1', '$org', 'aws', 'Amazon Web Services', 'carve-out')" ||
    { echo "Bail out! cannot write fixtures"; exit 1; }

t "add a vendor with every field" "$TILLIT" vendor add aws --name "Amazon Web Services" \
    --service "cloud hosting" --criticality critical --data-shared "customer data" \
    --soc-report yes --soc-period-end 2025-09-30 --subservice aws
out_has "added vendor 'aws' (Amazon Web Services)"
t "add a vendor with a stale report" "$TILLIT" vendor add slack --name Slack --criticality high \
    --soc-report yes --soc-period-end 2025-02-28
t "add a vendor whose report ended exactly 12 months ago" "$TILLIT" vendor add github \
    --name GitHub --criticality high --soc-report yes --soc-period-end 2025-03-01
t "add a vendor with defaults" "$TILLIT" vendor add notion --name Notion

t "list as json" "$TILLIT" vendor list --format json
json_ok "four vendors ordered by slug" '[v["slug"] for v in d] == ["aws", "github", "notion", "slack"]'
json_ok "aws fields" 'd[0] == {"slug": "aws", "name": "Amazon Web Services", "service": "cloud hosting", "criticality": "critical", "data_shared": "customer data", "soc_report": "yes", "soc_period_end": "2025-09-30", "soc_status": "current", "subservice": "aws"}'
json_ok "soc status: 12 months is current, older is stale, none without a report" '[v["soc_status"] for v in d] == ["current", "current", "none", "stale"]'
json_ok "defaults: medium, no report, no link" 'd[2]["criticality"] == "medium" and d[2]["soc_report"] == "no" and d[2]["soc_period_end"] is None and d[2]["subservice"] is None'

t "list by criticality" "$TILLIT" vendor list --criticality high --format json
json_ok "high are github and slack" '[v["slug"] for v in d] == ["github", "slack"]'
t "list as csv" "$TILLIT" vendor list --format csv
# CSV rows end in CRLF (RFC 4180).
out_has "^slug,name,service,criticality,data_shared,soc_report,soc_period_end,soc_status,subservice.\{0,1\}$"
out_has "^slack,Slack,,high,,yes,2025-02-28,stale,.\{0,1\}$"
t "list as table" "$TILLIT" vendor list
out_has "^slug  *name"
out_has "stale"

t "show as table" "$TILLIT" vendor show aws
out_has "^soc_status: *current$"
out_has "^subservice: *aws$"
t "show as json" "$TILLIT" vendor show slack --format json
json_ok "show json has the list keys and the version" 'd["slug"] == "slack" and d["soc_status"] == "stale" and len(d) == 10 and d["version"] == "1"'

t "a new report makes slack current" "$TILLIT" vendor edit slack --soc-period-end 2025-12-31
out_has "updated vendor 'slack'"
t "slack after the edit" "$TILLIT" vendor show slack --format json
json_ok "current, the rest kept" 'd["soc_status"] == "current" and d["criticality"] == "high" and d["name"] == "Slack"'
t "no report any more clears the period end" "$TILLIT" vendor edit github --soc-report no
t "github after the edit" "$TILLIT" vendor show github --format json
json_ok "no report, no period, status none" 'd["soc_report"] == "no" and d["soc_period_end"] is None and d["soc_status"] == "none"'
t "a report for notion" "$TILLIT" vendor edit notion --soc-report yes --soc-period-end 2025-06-30 \
    --criticality low --service notes --data-shared "internal docs"
t "notion after the edit" "$TILLIT" vendor show notion --format json
json_ok "notion fields" 'd["soc_status"] == "current" and d["criticality"] == "low" and d["service"] == "notes" and d["data_shared"] == "internal docs"'
t "unlink the subservice organization" "$TILLIT" vendor edit aws --subservice ""
t "aws after unlink" "$TILLIT" vendor show aws --format json
json_ok "no subservice" 'd["subservice"] is None and d["soc_status"] == "current"'
t "link it again" "$TILLIT" vendor edit aws --subservice aws
t "rename a vendor" "$TILLIT" vendor edit notion --slug notion-labs
out_has "updated vendor 'notion-labs'"

t "remove a vendor" "$TILLIT" vendor remove github
out_has "removed vendor 'github'"
t "list after remove" "$TILLIT" vendor list --format json
json_ok "github is gone" '[v["slug"] for v in d] == ["aws", "notion-labs", "slack"]'

t "audit log" "$TILLIT" audit log --format json
json_ok "adds, edits and a remove, keyed by slug" '[(e["action"], e["object_id"]) for e in d if e["object_type"] == "vendor"] == [("vendor.add", "aws"), ("vendor.add", "slack"), ("vendor.add", "github"), ("vendor.add", "notion"), ("vendor.edit", "slack"), ("vendor.edit", "github"), ("vendor.edit", "notion"), ("vendor.edit", "aws"), ("vendor.edit", "aws"), ("vendor.edit", "notion"), ("vendor.remove", "github")]'
t "audit chain verifies" "$TILLIT" audit verify

t "help vendor" "$TILLIT" help vendor
out_has "tillit vendor add SLUG --name NAME"
out_has "stale"

done_testing
