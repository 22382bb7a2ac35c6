#!/bin/sh
# policy: templates are listed in the organization's language; 'policy new'
# fills the organization's placeholders when it stores the text and keeps
# the policy's own ones until 'show --rendered'.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null &&
    "$TILLIT" org create acme --name "Acme" --legal-name "Acme Cloud AB" >/dev/null &&
    "$TILLIT" org create sve --name "Svea" --language sv >/dev/null &&
    "$TILLIT" --org acme person add ann@acme.io --name "Ann Berg" --approver >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
export TILLIT_ORG=acme

t "templates" "$TILLIT" policy templates
out_has "access-control  *Access Control Policy  *annual  *CC6.1,CC6.2,CC6.3,CC6.6"
t "templates as json" "$TILLIT" policy templates --format json
keep templates.json
t "at least 15 templates, each with a title and criteria" python3 - "$SCRATCH/templates.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) >= 15, len(rows)
names = [r["name"] for r in rows]
for want in ["information-security", "access-control", "incident-response", "privacy"]:
    assert want in names, names
assert all(r["title"] and r["criteria"] and r["review"] for r in rows), rows
PY
t "templates in swedish for a swedish organization" "$TILLIT" --org sve policy templates
out_has "Policy för behörighetshantering"

t "new from a template" "$TILLIT" policy new access-control --template access-control --owner ann@acme.io
out_has "created policy 'access-control' (version 1, from template 'access-control')"
t "show" "$TILLIT" policy show access-control
out_has "title:     Access Control Policy"
out_has "owner:     Ann Berg <ann@acme.io>"
out_has "version:   1 of 1"
out_has "approved:  (not yet approved)"
out_has "how Acme grants"
out_has "customer data of Acme Cloud AB"
out_has "{{policy.owner}}"
t "stored text keeps no org placeholder" sh -c '! grep -q "{{org\." "$1"' - "$SCRATCH/out"

t "show rendered" "$TILLIT" policy show access-control --rendered
out_has "^# Access Control Policy"
out_has "\*\*Owner:\*\* Ann Berg"
out_has "\*\*Version:\*\* 1"
out_has "\*\*Effective:\*\* (not yet approved)"
out_has "\*\*Review:\*\* annual"
t "rendered text has no placeholder left" sh -c '! grep -q "{{" "$1"' - "$SCRATCH/out"

t "approve, then the rendered text shows the date" "$TILLIT" policy approve access-control --by ann@acme.io --on 2026-02-15
t "rendered after approval" "$TILLIT" policy show access-control --rendered --format json
keep rendered.json
t "json has the rendered body and the approval" python3 - "$SCRATCH/rendered.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["approved_on"] == "2026-02-15" and p["approved_by"] == "ann@acme.io", p
assert "**Effective:** 2026-02-15" in p["body"], p["body"][:300]
assert "{{" not in p["body"]
assert p["version"] == 1 and p["current_version"] == 1 and p["template"] == "access-control"
PY

t "title and review can be overridden" "$TILLIT" policy new infosec --template information-security \
    --title "Security Policy" --review semi-annual
t "overrides stored" "$TILLIT" policy show infosec --format json
out_has '"title": "Security Policy"'
out_has '"review": "semi-annual"'
out_has '"owner": null'
t "no owner renders as unassigned" "$TILLIT" policy show infosec --rendered
out_has "\*\*Owner:\*\* (unassigned)"

t "swedish organization gets the swedish text" "$TILLIT" --org sve policy new backup --template backup
t "swedish show" "$TILLIT" --org sve policy show backup
out_has "title:     Policy för säkerhetskopiering"
out_has "Svea"

printf '# Own policy\n\n{{org.legal_name}} keeps {{ policy.owner }} informed.\n' >"$SCRATCH/own.md"
t "new from own text" "$TILLIT" policy new own --title "Own policy" --file "$SCRATCH/own.md"
out_has "created policy 'own' (version 1)"
t "own text: org placeholders filled, spaced policy ones kept" "$TILLIT" policy show own
out_has "Acme Cloud AB keeps {{ policy.owner }} informed."
out_has "template:  (own text)"
t "own text from standard input" sh -c '"$1" policy new stdin --title "From stdin" --file - <"$2"' - "$TILLIT" "$SCRATCH/own.md"
t "legal name falls back to the name" "$TILLIT" --org sve policy new own --title "Egen" --file "$SCRATCH/own.md"
t "fallback shown" "$TILLIT" --org sve policy show own
out_has "Svea keeps"

t "audit entries" "$TILLIT" audit log --chain acme --format csv
out_has ",policy.new,policy,access-control,"
out_has ",policy.approve,policy,access-control,"
t "audit verify" "$TILLIT" audit verify

done_testing
