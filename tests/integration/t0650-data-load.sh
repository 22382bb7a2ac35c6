#!/bin/sh
# 'data load' reads every kind of export into the analysis database: typed
# columns, normalized headers, provenance in Tillit's database, one audit
# entry per load; loading a name again replaces it (version 2).
. "$(dirname "$0")/lib.sh"

[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
DATA=${TILLIT_DATA_DIR:-$TILLIT_DB.data}
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null

printf '\357\273\277Employee ID,E-mail,Full Name,Start Date,Active,Salary,Zip\r\n' >hr.csv
printf '1,ann@acme.se,"Lind, Ann",2024-01-15,true,52000.5,01234\r\n' >>hr.csv
printf '2,bo@acme.se,"Bo ""the boss"" \303\226st",2025-12-01,false,61000,11122\r\n' >>hr.csv
printf '3,cy@acme.se,"Cy\nwith a line break",2026-02-01,true,,00100\r\n' >>hr.csv
t "load a CSV with a BOM, CRLF, quotes and an embedded newline" "$TILLIT" data load hr hr.csv --kind csv
out_has "loaded dataset 'hr' (csv) from 'hr.csv': 3 rows, 7 columns"
out_has "employee_id integer, e_mail text, full_name text, start_date date, active boolean, salary real, zip text"
t "the analysis database is next to Tillit's, per organization" test -f "$DATA/acme.sqlite"
t "rows are typed" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT typeof(employee_id) || ',' || active || ',' || zip FROM hr WHERE employee_id = 1")" = "integer,1,01234"
t "the embedded newline is kept" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT instr(full_name, char(10)) > 0 FROM hr WHERE employee_id = 3")" = "1"
t "doubled quotes and UTF-8 survive" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT full_name FROM hr WHERE employee_id = 2")" = 'Bo "the boss" Öst'

t "declared types override inference" "$TILLIT" data load codes hr.csv --kind csv \
    --column 'Employee ID:text' --column=salary:text
out_has "employee_id text"
out_has "salary text"

cat >events.jsonl <<'J'
{"id": "INC-1", "severity": "sev2", "opened_at": "2026-01-02T10:00:00+01:00", "postmortem": {"done": true}}

{"id": "INC-2", "severity": "sev1", "opened_at": "2026-02-03T08:00:00Z", "tags": ["db", "p1"]}
J
t "load JSON Lines" "$TILLIT" data load incidents events.jsonl --kind jsonl
out_has "2 rows, 5 columns"
out_has "opened_at datetime, postmortem_done boolean, tags text"
t "times are kept in UTC" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT opened_at FROM incidents WHERE id = 'INC-1'")" = "2026-01-02T09:00:00Z"

cat >volumes.json <<'J'
{"Volumes": [{"VolumeId": "vol-1", "Encrypted": true, "Size": 8, "Attachments": [{"InstanceId": "i-1"}]},
             {"VolumeId": "vol-2", "Encrypted": false, "Size": 16}], "NextToken": null}
J
t "load a JSON document (the records under its one array)" "$TILLIT" data load volumes volumes.json --kind json
out_has "2 rows, 4 columns"
out_has "volume_id text, encrypted boolean, size integer, attachments text"

cat >cred.csv <<'C'
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::1:root,2019-01-01T00:00:00+00:00,not_supported,2026-02-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ann,arn:aws:iam::1:user/ann,2020-01-01T00:00:00+00:00,true,no_information,2025-06-01T00:00:00+00:00,N/A,false,true,2025-01-01T00:00:00+00:00,2026-02-27T10:00:00+00:00,eu-north-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
C
t "load an AWS IAM credential report" "$TILLIT" data load aws_iam cred.csv --kind aws-iam-credential-report
out_has "2 rows, 22 columns"
out_has "password_enabled boolean, password_last_used datetime"
t "N/A, not_supported and no_information are NULL" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT quote(r.password_enabled) || quote(a.password_last_used) || quote(a.access_key_2_last_rotated)
     FROM aws_iam r, aws_iam a WHERE r.user = '<root_account>' AND a.user = 'ann'")" = "NULLNULLNULL"

cat >pulls.json <<'J'
[{"number": 7, "title": "Fix login", "state": "closed", "user": {"login": "ann"},
  "created_at": "2026-01-01T09:00:00Z", "merged_at": "2026-01-02T10:00:00Z",
  "merged_by": {"login": "ann"}, "head": {"ref": "fix", "sha": "abc"}, "base": {"ref": "main"},
  "merge_commit_sha": "def", "reviews": [
    {"id": 1, "user": {"login": "bo"}, "state": "APPROVED", "submitted_at": "2026-01-02T09:00:00Z"}]},
 {"number": 8, "title": "WIP", "state": "open", "user": {"login": "bo"}, "merged_at": null,
  "head": {"ref": "wip"}, "base": {"ref": "main"}}]
J
t "load GitHub pull requests with their reviews" "$TILLIT" data load github_pulls pulls.json --kind github-pulls
out_has "2 rows, 20 columns"
out_has "tables: github_pulls, github_pulls_reviews"
t "reviews are a table of their own" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT pull_number || reviewer || state FROM github_pulls_reviews")" = "7boAPPROVED"

"$TILLIT" demo data --dir demo >/dev/null
t "load a git repository's history" "$TILLIT" data load git demo/repo.git --kind git
out_has "loaded dataset 'git' (git) from 'repo.git'"
out_has "is_merge boolean, mainline boolean"
t "merges and the first-parent line are marked" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT count(*) > 10 FROM git WHERE is_merge AND mainline AND pr_number IS NOT NULL")" = "1"

t "list the datasets" "$TILLIT" data list
out_has "^aws_iam  *aws-iam-credential-report  *2 "
out_has "^github_pulls  *github-pulls  *2 "
out_has "^hr  *csv  *3  *7  *hr.csv"
t "list as JSON" "$TILLIT" data list --format json
out_has '"sha256": "'
t "show a dataset: provenance, columns, first rows" "$TILLIT" data show hr --limit 2
out_has "^sha256:    $(sha256sum hr.csv | cut -d' ' -f1)"
out_has "^start_date  *date  *Start Date"
out_has "^first 2 rows of hr:"
t "show another table of a dataset" "$TILLIT" data show github_pulls --table github_pulls_reviews
out_has "^7  *1  *bo  *APPROVED"
t_exit 2 "show a table of another dataset" "$TILLIT" data show github_pulls --table hr
err_has "dataset 'github_pulls' has no table 'hr'"
t_exit 2 "show an unknown dataset" "$TILLIT" data show nope
err_has "no dataset 'nope'"

printf 'Employee ID,E-mail\n9,new@acme.se\n' >hr2.csv
t "load the same name again" "$TILLIT" data load hr hr2.csv --kind csv
t "the new version replaced the old" test "$(sqlite3 "$DATA/acme.sqlite" "SELECT count(*) FROM hr")" = "1"
t "version 2" "$TILLIT" data list --format csv
out_has "^hr,csv,1,2,hr2.csv,.*,2.$"
t "each load is in the audit log" "$TILLIT" audit log --limit 1000 --format csv
t "eight loads audited" test "$(grep -c ",dataset.load," "$SCRATCH/out")" -eq 8

export TILLIT_DATA_DIR="$SCRATCH/elsewhere"
t "TILLIT_DATA_DIR moves the analysis database" "$TILLIT" data load hr hr.csv --kind csv
t "it is there" test -f "$SCRATCH/elsewhere/acme.sqlite"
done_testing
