#!/bin/sh
# Bad input to 'data load' is refused with exit 2 and a message naming the
# file and line (and column), and changes nothing: not the rows of the
# dataset's previous version, not its provenance, not the audit log. A file
# of the wrong kind is recognized for what it is.
. "$(dirname "$0")/lib.sh"

[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
DATA=${TILLIT_DATA_DIR:-$TILLIT_DB.data}
"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
printf 'id,name\n1,ann\n2,bo\n' >good.csv
"$TILLIT" data load people good.csv --kind csv >/dev/null
"$TILLIT" data list --format csv >"$SCRATCH/list.before"
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.before"

printf 'id,name\n1,ann\n2,"bo\n3,cy\n' >open.csv
t_exit 2 "an unterminated quote" "$TILLIT" data load people open.csv --kind csv
err_has "^tillit: open.csv:3:3: unterminated quoted field"
printf 'id,name\n1,ann\n2,bo,extra\n' >ragged.csv
t_exit 2 "a ragged row" "$TILLIT" data load people ragged.csv --kind csv
err_has "^tillit: ragged.csv:3: row has 3 fields, the header has 2"
printf 'id,name\n1,ann\n2,bj\366rn\n' >latin1.csv
t_exit 2 "invalid UTF-8" "$TILLIT" data load people latin1.csv --kind csv
err_has "^tillit: latin1.csv:3:5: invalid UTF-8"
printf 'id,name\n1,"ann"x\n' >after.csv
t_exit 2 "text after a closing quote" "$TILLIT" data load people after.csv --kind csv
err_has "^tillit: after.csv:2:8: unexpected text after a closing quote"
t_exit 2 "a value that does not fit its declared type" "$TILLIT" data load people good.csv \
    --kind csv --column name:integer
err_has "^tillit: good.csv:2: column 'name' is integer, but 'ann' is not"
t_exit 2 "a declared column that is not there" "$TILLIT" data load people good.csv --kind csv \
    --column age:integer
err_has "has no column 'age' (columns: id, name)"
t_exit 2 "an unknown type" "$TILLIT" data load people good.csv --kind csv --column id:money
err_has "unknown column type 'money'"
t_exit 2 "a declaration without a type" "$TILLIT" data load people good.csv --kind csv --column id
err_has "is not NAME:TYPE"
: >empty.csv
t_exit 2 "an empty file" "$TILLIT" data load people empty.csv --kind csv
err_has "a CSV needs a header line"
printf '{"id": 1}\n{"id": 2,}\n' >bad.jsonl
t_exit 2 "a bad JSON line" "$TILLIT" data load events bad.jsonl --kind jsonl
err_has "^tillit: bad.jsonl:2:"
printf '[{"a": 1}, 2]' >mixed.json
t_exit 2 "JSON with a record that is not an object" "$TILLIT" data load events mixed.json --kind json
err_has "record 2 is not an object"
printf '{"a": 1, "b": 2}' >norec.json
t_exit 2 "JSON without records" "$TILLIT" data load events norec.json --kind json
err_has "no records in 'norec.json'"

cat >pulls.json <<'J'
[{"number": 7, "title": "Fix", "state": "closed", "user": {"login": "ann"},
  "head": {"ref": "fix"}, "base": {"ref": "main"}, "merged_at": "2026-01-02T10:00:00Z"}]
J
t_exit 2 "a pull request export given as a credential report" "$TILLIT" data load aws_iam pulls.json \
    --kind aws-iam-credential-report
err_has "'pulls.json' is not an AWS IAM credential report: it looks like a GitHub pull request export (load it with --kind github-pulls)"
t_exit 2 "a CSV given as a credential report" "$TILLIT" data load aws_iam good.csv \
    --kind aws-iam-credential-report
err_has "is not an AWS IAM credential report: column 1 is 'id', expected 'user'"
t_exit 2 "a CSV given as pull requests" "$TILLIT" data load pulls good.csv --kind github-pulls
err_has "is not a GitHub pull request export: it looks like CSV"
t_exit 2 "JSON given as CSV" "$TILLIT" data load pulls pulls.json --kind csv
err_has "is not CSV: it looks like a GitHub pull request export"
t_exit 2 "a file given as a git repository" "$TILLIT" data load git good.csv --kind git
err_has "'good.csv' is not a git repository"
mkdir notrepo
t_exit 2 "a directory that is not a repository" "$TILLIT" data load git notrepo --kind git
err_has "'notrepo' is not a git repository: it looks like a directory"
printf '[{"number": 1}]' >notpulls.json
t_exit 2 "JSON that is not pull requests" "$TILLIT" data load pulls notpulls.json --kind github-pulls
err_has "item 1 is not a pull request (with number, head and base)"

t_exit 2 "an unknown kind" "$TILLIT" data load people good.csv --kind xml
err_has "unknown kind 'xml'"
t_exit 2 "no kind" "$TILLIT" data load people good.csv
err_has "usage: tillit data load NAME FILE --kind"
t_exit 2 "a bad name" "$TILLIT" data load People good.csv --kind csv
err_has "invalid dataset name 'People'"
t_exit 2 "a missing file" "$TILLIT" data load people nope.csv --kind csv
err_has "cannot open 'nope.csv'"
t_exit 2 "an unknown verb" "$TILLIT" data drop people
err_has "unknown subcommand 'data drop'"

t "nothing changed: the list" "$TILLIT" data list --format csv
cmp -s "$SCRATCH/out" "$SCRATCH/list.before" && ok "provenance unchanged" || not_ok "provenance unchanged"
"$TILLIT" audit log --limit 1000 >"$SCRATCH/log.after"
cmp -s "$SCRATCH/log.before" "$SCRATCH/log.after" && ok "audit log unchanged" ||
    not_ok "audit log unchanged"
t "the rows of the loaded version are intact" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT group_concat(name) FROM people")" = "ann,bo"
t "no table was left behind" test "$(sqlite3 "$DATA/acme.sqlite" \
    "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'")" = "_tillit_dataset,people"
done_testing
