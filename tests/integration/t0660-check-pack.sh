#!/bin/sh
# The check pack: at least 25 checks, each naming library controls and
# catalog criteria; 'check list' and 'check show' need no database. A
# broken check file is refused naming the file and line: unknown controls
# or criteria when the pack loads, SQL that fails when the check runs.
. "$(dirname "$0")/lib.sh"

[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
t "list the checks without a database" "$TILLIT" check list --format csv
out_has "^aws-console-mfa,AWS console users without MFA,IAM-02,"
out_has '^git-direct-push,.*,"git,github_pulls"'
keep pack.csv
t "at least 25 checks" test "$(($(wc -l <"$SCRATCH/pack.csv") - 1))" -ge 25
test ! -e "$TILLIT_DB" && ok "no database was created" || not_ok "no database was created"
t "every check names controls, criteria and datasets" python3 - "$SCRATCH/pack.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
for r in rows:
    assert r['controls'] and r['criteria'] and r['datasets'], r
PY
t "titles in Swedish" "$TILLIT" --lang sv check list
out_has "AWS-konsolanvändare utan MFA"
t "show a check" "$TILLIT" check show leavers-active-idp
out_has "^controls:    IAM-05, HR-08"
out_has "^datasets:    hr, idp_users"
out_has "JOIN idp_users"
t "show as JSON" "$TILLIT" check show vuln-sla --format json
out_has '"criteria": \['
t_exit 2 "show an unknown check" "$TILLIT" check show nope
err_has "no check 'nope'"
t_exit 2 "run needs an id or --all" "$TILLIT" check run
err_has "usage: tillit check run ID|--all"

mkdir -p over/checks
cat >over/checks/bad-control.yaml <<'Y'
id: bad-control
title: {en: "Bad"}
controls: [IAM-02, NOPE-99]
criteria: [CC6.1]
datasets: [hr]
population: SELECT 1
sql: SELECT 1
Y
t_exit 2 "an unknown control in a check file" "$TILLIT" --content over check list
err_has "over/checks/bad-control.yaml:3: check 'bad-control': unknown library control 'NOPE-99'"
sed -i 's/NOPE-99/IAM-04/; s/CC6.1/CC99.9/' over/checks/bad-control.yaml
t_exit 2 "an unknown criterion" "$TILLIT" --content over check list
err_has "bad-control.yaml:4: check 'bad-control': unknown criterion 'CC99.9'"
rm over/checks/bad-control.yaml
printf 'id: other-id\ntitle: X\ncontrols: [IAM-02]\ncriteria: [CC6.1]\ndatasets: [hr]\npopulation: SELECT 1\nsql: SELECT 1\n' >over/checks/named.yaml
t_exit 2 "an id that is not the file name" "$TILLIT" --content over check list
err_has "check id 'other-id' does not match its file name 'named.yaml'"
rm over/checks/named.yaml

cat >over/checks/bad-sql.yaml <<'Y'
id: bad-sql
title: {en: "Broken SQL"}
controls: [IAM-02]
criteria: [CC6.1]
datasets: [people]
population: SELECT id FROM people
sql: |
  SELECT id, name
  FROM people
  WHERE nmae = 'x'
Y
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
printf 'id,name\n1,ann\n' >people.csv
"$TILLIT" data load people people.csv --kind csv >/dev/null
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.before"
t_exit 2 "SQL that fails names the file and line" "$TILLIT" --content over check run bad-sql
err_has "^tillit: over/checks/bad-sql.yaml:10:9: check 'bad-sql': sql: no such column: nmae"
printf 'id: bad-sql\ntitle: X\ncontrols: [IAM-02]\ncriteria: [CC6.1]\ndatasets: [people]\npopulation: SELECT id FROM people\nsql: |\n  DELETE FROM people\n' >over/checks/bad-sql.yaml
t_exit 2 "a check that writes is refused" "$TILLIT" --content over check run bad-sql
err_has "over/checks/bad-sql.yaml:8:3: check 'bad-sql': sql writes to the database: checks only read"
printf 'id: bad-sql\ntitle: X\ncontrols: [IAM-02]\ncriteria: [CC6.1]\ndatasets: [people]\npopulation: SELECT id FROM people\nsql: SELECT * FROM _tillit_dataset\n' >over/checks/bad-sql.yaml
t_exit 2 "a check that reads what it did not declare is refused" "$TILLIT" --content over check run bad-sql
err_has "reads table '_tillit_dataset', which is not one of its datasets"
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.after"
cmp -s "$SCRATCH/log.before" "$SCRATCH/log.after" && ok "failed runs recorded nothing" ||
    not_ok "failed runs recorded nothing"
t_exit 2 "--all with a broken check runs nothing" "$TILLIT" --content over check run --all
rm over/checks/bad-sql.yaml

t_exit 2 "a check whose datasets are not loaded, by id" "$TILLIT" check run aws-console-mfa
err_has "check 'aws-console-mfa' cannot run: dataset 'aws_iam' is not loaded"
t "with --all it is skipped" "$TILLIT" check run --all
out_has "^SKIP  aws-console-mfa: dataset 'aws_iam' is not loaded"
out_has "checks: 0 passed, 0 failed, [0-9]* skipped"
t_exit 2 "an as-of date in the future" "$TILLIT" check run --all --as-of 2026-03-02
err_has "as-of date '2026-03-02' is in the future"
t_exit 2 "a malformed period" "$TILLIT" check run --all --period 2026-01-01..2025-01-01
err_has "ends before it starts"
done_testing
