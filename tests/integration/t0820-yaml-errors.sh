#!/bin/sh
# t0820: an import with mistakes lists every one of them as
# FILE:LINE:COL: message, exits 2 and changes nothing (the audit log is the
# same before and after), one test per kind of mistake.
. "$(dirname "$0")/lib.sh"

audit() { "$TILLIT" audit log --format csv; }

# err_line LINE: stderr has exactly that line.
err_line() {
    if grep -qxF -- "$1" "$SCRATCH/err"; then ok "stderr: $1"; else not_ok "stderr: $1"; sed 's/^/# /' "$SCRATCH/err" | head -20; fi
}

# bad DESC: the tree in ./bad is refused, with exit 2 and nothing changed.
bad() {
    before=$(audit)
    t_exit 2 "$1" "$TILLIT" import yaml bad
    if [ "$(audit)" = "$before" ]; then ok "$1: nothing changed"; else not_ok "$1: nothing changed"; fi
}

# fresh: ./bad becomes a copy of the good tree.
fresh() { rm -rf bad && cp -R base bad; }

# put FILE: writes stdin to bad/FILE.
put() { mkdir -p "$(dirname "bad/$1")" && cat >"bad/$1"; }

mkdir -p base/people base/controls base/risks base/policies base/vendors
cat >base/organization.yaml <<'EOF'
slug: acme
name: Acme
legal_name: null
description: null
industry: null
country: SE
language: en
EOF
cat >base/scope.yaml <<'EOF'
system:
  name: Acme Cloud
  boundaries: null
  commitments: null
  privacy_role: controller
categories:
  - category: security
    in_scope: true
    reason: null
  - category: availability
    in_scope: true
    reason: null
  - category: processing-integrity
    in_scope: false
    reason: Not relevant
  - category: confidentiality
    in_scope: false
    reason: Not relevant
  - category: privacy
    in_scope: false
    reason: Not relevant
services: []
components: []
subservice_orgs:
  - slug: aws
    name: AWS
    method: carve-out
    services: null
    csocs:
      - text: Data centres are guarded
        criteria:
          - CC6.4
cuecs:
  - code: CUEC-01
    text: Customers review access
    criteria:
      - CC6.2
EOF
cat >base/applicability.yaml <<'EOF'
not_applicable: []
EOF
cat >base/people/ann@acme.io.yaml <<'EOF'
email: ann@acme.io
name: Ann
title: CTO
department: null
manager: null
start: 2020-01-01
end: null
control_owner: true
approver: true
EOF
cat >base/people/bob@acme.io.yaml <<'EOF'
email: bob@acme.io
name: Bob
title: null
department: null
manager: ann@acme.io
start: null
end: null
control_owner: false
approver: false
EOF
cat >base/controls/CUST-01.yaml <<'EOF'
code: CUST-01
title: Access reviews
description: null
owner: ann@acme.io
frequency: quarterly
nature: detective
type: manual
key: true
status: designed
library_code: null
evidence:
  - Review minutes
criteria:
  - id: CC6.1
    points_of_focus:
      - CC6.1-PF01
EOF
cat >base/risks/R-01.yaml <<'EOF'
code: R-01
title: Stale access
description: null
category: null
likelihood: 3
impact: 4
treatment: mitigate
residual_likelihood: null
residual_impact: null
fraud: false
owner: ann@acme.io
next_review: null
controls:
  - CUST-01
EOF
cat >base/policies/rules.yaml <<'EOF'
slug: rules
title: Rules
owner: ann@acme.io
review: annual
template: null
versions:
  - number: 1
    file: rules.v1.md
    approved_by: ann@acme.io
    approved_on: 2026-02-01
    acks:
      - person: bob@acme.io
        on: 2026-02-03
EOF
printf 'The rules.\n' >base/policies/rules.v1.md
cat >base/vendors/aws.yaml <<'EOF'
slug: aws
name: AWS
service: Hosting
criticality: critical
data_shared: null
soc_report: false
soc_period_end: null
subservice: aws
EOF

t "init" "$TILLIT" init
db_snapshot empty
t "the good tree imports" "$TILLIT" import yaml base
t "and exports back as written" "$TILLIT" export yaml back
t "byte-identical" diff -r base back

fresh
sed -i 's/^frequency: quarterly/frequency: sometimes/' bad/controls/CUST-01.yaml
bad "a value outside an enumeration"
err_line 'controls/CUST-01.yaml:5:12: unknown frequency "sometimes" (expected one of: continuous, multiple-daily, daily, weekly, monthly, quarterly, semi-annual, annual, event-driven)'
err_line "tillit: 1 mistake in 'bad': nothing was imported"
err_lines 2

fresh
printf 'colour: blue\n' >>bad/vendors/aws.yaml
bad "an unknown key"
err_line "vendors/aws.yaml:9:1: unknown field 'colour'"

fresh
sed -i 's/^likelihood: 3/likelihood: high/; s/^key: true/key: maybe/' bad/risks/R-01.yaml bad/controls/CUST-01.yaml
sed -i 's/^  - Review minutes/  - [nested]/' bad/controls/CUST-01.yaml
bad "values of the wrong type"
err_line "risks/R-01.yaml:5:13: field 'likelihood' must be an integer"
err_line "controls/CUST-01.yaml:8:6: field 'key' must be true or false"
err_line "controls/CUST-01.yaml:12:5: an evidence item must be a non-empty string"

fresh
sed -i 's/^likelihood: 3/likelihood: 9/' bad/risks/R-01.yaml
bad "a number out of range"
err_line "risks/R-01.yaml:5:13: field 'likelihood' is 9 (expected 1 to 5)"

fresh
sed -i 's/^start: 2020-01-01/start: 2026-02-30/' bad/people/ann@acme.io.yaml
sed -i 's/approved_on: 2026-02-01/approved_on: 01\/02\/2026/' bad/policies/rules.yaml
bad "bad dates"
err_line "people/ann@acme.io.yaml:6:8: field 'start': '2026-02-30' is not a date (expected YYYY-MM-DD)"
err_line "policies/rules.yaml:10:18: field 'approved_on': '01/02/2026' is not a date (expected YYYY-MM-DD)"

fresh
sed -i 's/approved_on: 2026-02-01/approved_on: 2026-03-02/' bad/policies/rules.yaml
bad "a date in the future"
err_line "policies/rules.yaml:10:18: approval date '2026-03-02' is in the future (today is 2026-03-01)"

fresh
mv bad/controls/CUST-01.yaml bad/controls/CUST-02.yaml
bad "a file name that is not the record's key"
err_line "controls/CUST-02.yaml:1:7: code 'CUST-01' does not match the file name 'CUST-02.yaml'"

fresh
cat >>bad/scope.yaml <<'EOF'
  - code: CUEC-01
    text: Again
    criteria: []
EOF
sed -i 's/^subservice_orgs:/subservice_orgs:\n  - slug: aws\n    name: AWS again\n    method: inclusive\n    services: null\n    csocs: []/' bad/scope.yaml
bad "duplicate keys"
err_line "scope.yaml:30:11: subservice organization 'aws' is listed twice"
err_line "scope.yaml:43:11: cuec 'CUEC-01' is listed twice"

fresh
printf '  - CUST-01\n' >>bad/risks/R-01.yaml
cat >>bad/policies/rules.yaml <<'EOF'
      - person: bob@acme.io
        on: 2026-02-04
EOF
bad "a record listed twice in a list"
err_line "risks/R-01.yaml:15:5: control 'CUST-01' is listed twice"
err_line "policies/rules.yaml:14:17: person 'bob@acme.io' acknowledged version 1 twice"

fresh
sed -i 's/^owner: ann@acme.io/owner: zed@acme.io/' bad/controls/CUST-01.yaml
sed -i 's/^manager: ann@acme.io/manager: max@acme.io/' bad/people/bob@acme.io.yaml
sed -i 's/approved_by: ann@acme.io/approved_by: amy@acme.io/; s/person: bob@acme.io/person: ben@acme.io/' bad/policies/rules.yaml
bad "references to people who are not in the tree"
err_line "controls/CUST-01.yaml:4:8: owner 'zed@acme.io' is not a person of the tree (no file people/zed@acme.io.yaml)"
err_line "people/bob@acme.io.yaml:5:10: manager 'max@acme.io' is not a person of the tree (no file people/max@acme.io.yaml)"
err_line "policies/rules.yaml:9:18: approved_by 'amy@acme.io' is not a person of the tree (no file people/amy@acme.io.yaml)"
err_line "policies/rules.yaml:12:17: person 'ben@acme.io' is not a person of the tree (no file people/ben@acme.io.yaml)"

fresh
sed -i 's/^manager: null/manager: bob@acme.io/' bad/people/ann@acme.io.yaml
bad "managers in a circle"
err_line "people/ann@acme.io.yaml:5:10: managers of person 'ann@acme.io' go round in a circle back to them"

fresh
sed -i 's/^  - CUST-01/  - IAM-99/' bad/risks/R-01.yaml
bad "a risk linked to a control that is not in the tree"
err_line "risks/R-01.yaml:14:5: control 'IAM-99' is not a control of the tree (no file controls/IAM-99.yaml)"

fresh
sed -i 's/^controls:/controls: []/; s/^  - CUST-01//' bad/risks/R-01.yaml
bad "a mitigated risk without controls"
err_line "risks/R-01.yaml:1:1: risk 'R-01': treatment 'mitigate' needs at least one linked control"

fresh
sed -i 's/^  - id: CC6.1/  - id: CC99.9/' bad/controls/CUST-01.yaml
sed -i 's/^      - CC6.2/      - CC6.2\n      - XX1.1/' bad/scope.yaml
bad "unknown criteria"
err_line "controls/CUST-01.yaml:14:9: unknown criterion 'CC99.9' (see 'tillit catalog criteria')"
err_line "scope.yaml:38:9: unknown criterion 'XX1.1' (see 'tillit catalog criteria')"

fresh
sed -i 's/^      - CC6.1-PF01/      - CC6.1-PF99\n      - CC7.2-PF01/' bad/controls/CUST-01.yaml
bad "unknown points of focus, and one of another criterion"
err_line "controls/CUST-01.yaml:16:9: unknown point of focus 'CC6.1-PF99' (see 'tillit catalog show CC6.1')"
err_line "controls/CUST-01.yaml:17:9: point of focus 'CC7.2-PF01' is not one of criterion 'CC6.1' (it belongs to 'CC7.2')"

fresh
cat >>bad/policies/rules.yaml <<'EOF'
  - number: 3
    file: rules.v3.md
    approved_by: null
    approved_on: null
    acks:
      - person: bob@acme.io
        on: 2026-02-05
EOF
printf 'Third.\n' >bad/policies/rules.v3.md
bad "acknowledgments of a version that does not exist"
err_line "policies/rules.yaml:14:13: policy 'rules' has no version 3: versions are numbered 1, 2, ... in order (expected 2 here)"
err_lines 2

fresh
cat >>bad/policies/rules.yaml <<'EOF'
  - number: 2
    file: rules.v2.md
    approved_by: null
    approved_on: null
    acks: []
EOF
bad "a markdown file missing"
err_line "policies/rules.yaml:15:11: missing file 'policies/rules.v2.md'"

fresh
printf 'Stray.\n' >bad/policies/rules.v7.md
printf 'x\n' >bad/controls/notes.txt
bad "files the tree does not know"
err_line "policies/rules.v7.md: not the text of any version listed in 'policies/rules.yaml'"
err_line "controls/notes.txt: unexpected file (records are <key>.yaml; policy texts <slug>.v<N>.md)"

fresh
printf 'code: CUST-01\ntitle: [unclosed\n' >bad/controls/CUST-01.yaml
bad "broken YAML"
err_line "controls/CUST-01.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence"

fresh
rm bad/organization.yaml
bad "no organization.yaml"
err_line "organization.yaml: missing file (every tree has one; see docs/yaml.md)"

fresh
sed -i 's/^soc_report: false/soc_report: true/' bad/vendors/aws.yaml
python3 - bad/scope.yaml <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("  - category: privacy\n    in_scope: false\n    reason: Not relevant\n",
                           "  - category: privacy\n    in_scope: false\n    reason: null\n")
open(p, "w").write(s)
PY
bad "model rules: a SOC report needs its period, a category left out a reason"
err_line "vendors/aws.yaml:1:1: vendor 'aws' has a SOC report on file: give its period end (soc_period_end)"
err_line "scope.yaml:19:5: category 'privacy' left out of scope needs a reason"

# Into an empty database: the organization is not created either.
db_restore empty
fresh
sed -i 's/^nature: detective/nature: curious/' bad/controls/CUST-01.yaml
bad "mistakes in a tree for a new organization"
t "no organization was created" "$TILLIT" org list --format csv
keep orgs.csv
t "none listed" sh -c '! grep -q acme "$1"' - "$SCRATCH/orgs.csv"

# Every mistake is reported, up to 50.
fresh
i=0
while [ $i -lt 60 ]; do
    printf 'field%02d: x\n' $i >>bad/organization.yaml
    i=$((i + 1))
done
bad "sixty mistakes"
err_line "organization.yaml:8:1: unknown field 'field00'"
err_line "organization.yaml:57:1: unknown field 'field49'"
err_line "tillit: 60 mistakes in 'bad' (the first 50 are shown): nothing was imported"
err_lines 51
cp "$SCRATCH/err" "$SCRATCH/sixty.err"
t "the 51st is not shown" sh -c '! grep -q field50 "$1"' - "$SCRATCH/sixty.err"

done_testing
