#!/bin/sh
# A check run is recorded: a check_run row with the population, the
# exceptions, the hashes of the datasets and of the SQL, and, for the
# controls of the program, an evidence item holding the full result, so
# that coverage and readiness see the control operating with evidence.
. "$(dirname "$0")/lib.sh"

[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
DATA=${TILLIT_DATA_DIR:-$TILLIT_DB.data}
sq() { # sq SQL: a query on Tillit's database (SQLite only)
    sqlite3 "$TILLIT_DB" "$1"
}
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control adopt IAM-02 >/dev/null
cat >cred.csv <<'C'
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::1:root,2019-01-01T00:00:00+00:00,not_supported,2025-01-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ann,arn:aws:iam::1:user/ann,2020-01-01T00:00:00+00:00,true,2026-02-27T10:00:00+00:00,2025-06-01T00:00:00+00:00,N/A,false,true,2025-01-01T00:00:00+00:00,2026-02-27T10:00:00+00:00,eu-north-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bo,arn:aws:iam::1:user/bo,2020-01-01T00:00:00+00:00,true,2026-02-28T10:00:00+00:00,2025-06-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
C
"$TILLIT" data load aws_iam cred.csv --kind aws-iam-credential-report >/dev/null
sha=$(sha256sum cred.csv | cut -d' ' -f1)

t_exit 1 "run a failing check" "$TILLIT" check run aws-console-mfa
out_has "^FAIL  aws-console-mfa: AWS console users without MFA"
out_has "population 2, exceptions 1; evidence "
out_has "^ann  *arn:aws:iam::1:user/ann"
ev=$(sed -n 's/.*; evidence \([a-z0-9]*\)$/\1/p' "$SCRATCH/out")
t "the run is evidence for IAM-02" "$TILLIT" evidence show "$ev" --format json
out_has '"name": "check-aws-console-mfa-2026-03-01.json"'
out_has '"IAM-02"'
out_has '"period_start": "2026-03-01"'
out_has '"source": "tillit check run aws-console-mfa"'
out_has '"note": "population 2, exceptions 1: fail"'
if [ "$T_BACKEND" = sqlite ]; then
    t "the run is recorded" test "$(sq "SELECT check_id || ',' || population || ',' || exceptions || ',' || result || ',' || (evidence_id = '$ev') FROM check_run")" = "aws-console-mfa,2,1,fail,1"
    t "with the dataset's hash" test "$(sq "SELECT json_extract(datasets, '\$[0].sha256') FROM check_run")" = "$sha"
    t "and the exception rows" test "$(sq "SELECT json_extract(exception_rows, '\$[0].user') FROM check_run")" = "ann"
    t "the evidence holds the full result" python3 - "$T_VAULT" "$(sq "SELECT sha256 FROM evidence WHERE id = '$ev'")" "$sha" <<'PY'
import json, sys
vault, blob, sha = sys.argv[1:]
r = json.load(open('%s/%s/%s' % (vault, blob[:2], blob[2:])))
assert r['check'] == 'aws-console-mfa' and r['result'] == 'fail', r
assert r['population'] == 2 and r['exceptions'] == 1 and r['exception_rows'][0]['user'] == 'ann'
assert r['datasets'][0]['sha256'] == sha and r['datasets'][0]['kind'] == 'aws-iam-credential-report'
assert len(r['sql_sha256']) == 64 and 'NOT mfa_active' in r['sql'] and r['as_of'] == '2026-03-01'
assert r['controls'] == ['IAM-02'] and r['ran_by'] == 'test' and r['organization'] == 'acme'
PY
fi

t_exit 1 "a check of controls the program does not have" "$TILLIT" check run aws-access-key-age
out_has "^FAIL  aws-access-key-age"
out_has "not recorded as evidence: none of its controls (CRY-03, IAM-07) is in the program"
t "a passing check of an adopted control" "$TILLIT" check run aws-root-mfa
out_has "population 1, exceptions 0; evidence "
t "runs are in the audit log" "$TILLIT" audit log --limit 1000 --format csv
keep audit.csv
t "three check.run entries" test "$(grep -c ',check.run,check_run,' "$SCRATCH/audit.csv")" -eq 3
t "two evidence.add entries" test "$(grep -c ',evidence.add,' "$SCRATCH/audit.csv")" -eq 2

t "the evidence verifies" "$TILLIT" evidence verify
t "the control's evidence is listed" "$TILLIT" evidence list --control IAM-02 --format csv
t "two items" test "$(($(wc -l <"$SCRATCH/out") - 1))" -eq 2
t "check show lists the runs" "$TILLIT" check show aws-console-mfa
out_has "^last runs (acme):"
out_has "fail  as of 2026-03-01  population 2, exceptions 1  evidence $ev"

t "the period: a check over one" "$TILLIT" check run aws-root-mfa --period 2026-01-01..2026-02-28 --format json
out_has '"as_of": "2026-02-28"'

# Rows that are not the recorded version are refused, not checked.
sqlite3 "$DATA/acme.sqlite" "UPDATE _tillit_dataset SET sha256 = 'x' WHERE name = 'aws_iam'"
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.before"
t_exit 2 "a dataset changed behind Tillit's back" "$TILLIT" check run --all
err_has "the analysis database does not hold the recorded version of dataset 'aws_iam' (load it again with 'tillit data load aws_iam FILE --kind aws-iam-credential-report')"
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.after"
cmp -s "$SCRATCH/log.before" "$SCRATCH/log.after" && ok "nothing recorded" || not_ok "nothing recorded"
"$TILLIT" data load aws_iam cred.csv --kind aws-iam-credential-report >/dev/null
t_exit 1 "loading it again repairs it" "$TILLIT" check run aws-console-mfa
done_testing
