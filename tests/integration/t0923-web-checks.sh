#!/bin/sh
# Checks and datasets in the browser and the API, over the demo
# organization and its exports: the pack with each check's latest run,
# running a check from its page, from the list and through the API (the
# runs recorded as the CLI sees them, the exceptions exactly the planted
# rows), a check whose datasets are not loaded, the datasets with their
# provenance and pages of rows, uploading a dataset (a bad file keeps
# nothing and names its file:line), exports, CSRF, roles and another
# organization.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

export TILLIT_NOW=2026-10-01T09:00:00Z # the demo's approvals lie before it
ORG=norrsken
{ "$TILLIT" init && "$TILLIT" demo && "$TILLIT" demo data --dir "$SCRATCH/demo" --load &&
  "$TILLIT" org create beta --name Beta &&
  for r in admin contributor viewer; do
      echo "$PW" | "$TILLIT" user add "$r@acme.example" --role "$r" --org $ORG --password-stdin || exit 1
  done &&
  echo "$PW" | "$TILLIT" user add other@beta.example --role admin --org beta --password-stdin
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token contributor@acme.example)
VTOKEN=$("$TILLIT" user token viewer@acme.example)
OTOKEN=$("$TILLIT" user token other@beta.example)
start_server --max-seconds 280
VAULT="$T_VAULT"
leftovers() { find "$VAULT/uploads" -type f 2>/dev/null | wc -l | tr -d ' '; }
# apit TOKEN NAME METHOD PATH [CURL-ARGS]: the API with another token.
apit() {
    tok=$1; name=$2; method=$3; path=$4; shift 4
    req "$name" -X "$method" -H "Authorization: Bearer $tok" "$@" "$URL/api/v1$path"
}
chain() { "$TILLIT" audit log --chain $ORG --format csv | wc -l; }
runs_of() { "$TILLIT" check show "$1" --org $ORG --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"]))'; }
N_CHECKS=$("$TILLIT" check list --format csv | sed 1d | wc -l | tr -d ' ')

# --- the pack ------------------------------------------------------------------------------------
as contributor
get l0 /o/$ORG/checks
is "the checks page" "$STATUS" 200
has "... titled Checks, with the count" "$SCRATCH/l0.b" "Checks <span class=\"muted\">($N_CHECKS)</span></h1>"
missing=""
for id in $("$TILLIT" check list --format csv | sed 1d | cut -d, -f1); do
    grep -q "id=\"check-$id\"" "$SCRATCH/l0.b" || missing="$missing $id"
done
is "... lists every check of the pack" "$missing" ""
has "... with a Run all button" "$SCRATCH/l0.b" '<button type="submit" id="run-all">Run all checks</button>'
has "... a Run button per check" "$SCRATCH/l0.b" 'id="run-aws-console-mfa">Run<span class="sr-only"> aws-console-mfa</span>'
has "... links the datasets" "$SCRATCH/l0.b" "href=\"/o/$ORG/datasets\""
has "... the controls it supports" "$SCRATCH/l0.b" "href=\"/o/$ORG/controls/IAM-02\""
has "... and that none has run" "$SCRATCH/l0.b" 'Never run'
get l0sv "/o/$ORG/checks?lang=sv"
has "... in Swedish too" "$SCRATCH/l0sv.b" '>Kör alla kontroller</button>'

# --- running from a check's page -------------------------------------------------------------------
before=$(chain)
nocsrf r0 /o/$ORG/checks/aws-console-mfa/run -d x=1
is "running without the CSRF token is 403" "$STATUS" 403
is "... and records no run" "$(runs_of aws-console-mfa)" 0
unchanged_chain() { is "$1" "$(chain)" "$2"; }
unchanged_chain "... nor an audit entry" "$before"
post r1 /o/$ORG/checks/aws-console-mfa/run
is "running a check redirects" "$STATUS" 303
is "... to the check's page" "$(location r1)" "/o/$ORG/checks/aws-console-mfa?done=ran"
is "... the run is recorded (tillit check show)" "$(runs_of aws-console-mfa)" 1
get c1 "/o/$ORG/checks/aws-console-mfa?done=ran"
is "the check's page" "$STATUS" 200
has "... says it ran" "$SCRATCH/c1.b" 'id="flash">The check ran'
has "... the result" "$SCRATCH/c1.b" 'id="run-result">Fail</span>'
has "... the population" "$SCRATCH/c1.b" '<dd id="run-population">9</dd>'
has "... the exceptions" "$SCRATCH/c1.b" '<dd id="run-exceptions">1</dd>'
has "... the exception row" "$SCRATCH/c1.b" '<td>alexander.axelsson</td><td>arn:aws:iam::493817265120:user/alexander.axelsson</td>'
has "... in the columns of the SQL" "$SCRATCH/c1.b" '<th scope="col">user</th><th scope="col">arn</th><th scope="col">password_last_used</th>'
has "... the SQL" "$SCRATCH/c1.b" 'id="check-sql">SELECT user, arn'
has "... the criteria" "$SCRATCH/c1.b" "href=\"/o/$ORG/criteria/CC6.1\""
EVID=$("$TILLIT" check show aws-console-mfa --org $ORG --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["evidence_id"])')
has "... the evidence item of the run" "$SCRATCH/c1.b" "href=\"/o/$ORG/evidence/$EVID\""
t "... which the evidence list has" sh -c "'$TILLIT' evidence list --org $ORG --format csv | grep -q '^$EVID,check-aws-console-mfa-2026-10-01.json'"
has "... and the history" "$SCRATCH/c1.b" 'id="runs-table"'

# --- through the API, and exactly the planted rows ---------------------------------------------
api a1 POST /orgs/$ORG/checks/vuln-sla/runs
is "the API runs a check" "$STATUS" 201
has "... and returns the run" "$SCRATCH/a1.b" '"exceptions": 3'
is "... recorded (tillit check show)" "$(runs_of vuln-sla)" 1
get cx "/o/$ORG/checks/vuln-sla?format=json"
is "the exception rows as JSON" "$STATUS" 200
get ch "/o/$ORG/checks/vuln-sla"
t_exit 1 "... the CLI runs it too (a failing check exits 1)" \
    "$TILLIT" check run vuln-sla --org $ORG --format json
keep cli.json
t "... the CLI's rows, the planted ones and the page's table are the same" python3 - "$SCRATCH/cx.b" "$SCRATCH/cli.json" "$SCRATCH/demo/manifest.json" "$SCRATCH/ch.b" <<'PY'
import json, re, sys, html
web = json.load(open(sys.argv[1]))
cli = json.load(open(sys.argv[2]))[0]["rows"]
planted = json.load(open(sys.argv[3]))["planted"]["vuln-sla"]
cols = planted["columns"]
key = lambda rows: sorted(tuple(str(r[c]) for c in cols) for r in rows)
assert key(web) == key(cli), (web, cli)
assert key(web) == sorted(tuple(x) for x in planted["rows"]), (web, planted)
page = open(sys.argv[4]).read()
table = page.split('id="exceptions-table"')[1].split("</table>")[0]
body = table.split("<tbody>")[1]
assert body.count("<tr>") == len(web) == 3, body
for r in web:
    assert "<td>%s</td>" % html.escape(str(r[cols[0]])) in body, r
PY
for f in csv xlsx; do
    get cf "/o/$ORG/checks/vuln-sla?format=$f"
    is "the exception rows as $f" "$STATUS" 200
done
has "... a download" "$SCRATCH/cf.h" "filename=\"$ORG-check-vuln-sla-exceptions.xlsx\""
get cc "/o/$ORG/checks/vuln-sla?format=csv"
is "... the CSV has the header and three rows" "$(wc -l <"$SCRATCH/cc.b" | tr -d ' ')" 4
api a2 GET /orgs/$ORG/checks/vuln-sla
is "a check through the API" "$STATUS" 200
has "... with its latest run's rows" "$SCRATCH/a2.b" '"VULN-0000230"'
api a3 GET /orgs/$ORG/checks/vuln-sla/runs
is "its runs through the API" "$STATUS" 200
is "... both of them" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$SCRATCH/a3.b")" 2
api a4 GET /orgs/$ORG/checks
is "the checks through the API" "$STATUS" 200
api a5 GET "/orgs/$ORG/checks?result=failing"
is "... filtered to the failing ones" "$(python3 -c 'import json,sys; print(sorted(c["id"] for c in json.load(open(sys.argv[1]))))' "$SCRATCH/a5.b")" "['aws-console-mfa', 'vuln-sla']"
api a6 GET "/orgs/$ORG/checks?result=broken"
is "... an unknown result filter is 400" "$STATUS" 400
has "... naming it" "$SCRATCH/a6.b" "unknown result 'broken'"
apijson a7 POST /orgs/$ORG/checks/vuln-sla/runs '{"as_of": "2027-01-01"}'
is "... a future as-of date is 400" "$STATUS" 400
has "... naming the field" "$SCRATCH/a7.b" '"as_of":'
apijson a8 POST /orgs/$ORG/checks/vuln-sla/runs '{"colour": "red"}'
is "... an unknown field is 400" "$STATUS" 400
api a9 POST /orgs/$ORG/checks/no-such-check/runs
is "... an unknown check is 404" "$STATUS" 404
is "... and none of them recorded a run" "$(runs_of vuln-sla)" 2

# --- the list after runs, its filters and exports ---------------------------------------------
get l1 "/o/$ORG/checks?result=failing"
is "the failing checks" "$STATUS" 200
has "... list aws-console-mfa" "$SCRATCH/l1.b" 'id="check-aws-console-mfa"'
hasnt "... and not a check never run" "$SCRATCH/l1.b" 'id="check-aws-root-mfa"'
get l2 "/o/$ORG/checks?control=VUL-02"
has "the checks of a control" "$SCRATCH/l2.b" 'id="check-vuln-sla"'
hasnt "... only those" "$SCRATCH/l2.b" 'id="check-aws-console-mfa"'
get l3 "/o/$ORG/checks?control=NOPE-1"
is "an unknown control is 400" "$STATUS" 400
for f in csv json xlsx; do
    get lx "/o/$ORG/checks?format=$f&result=failing"
    is "the checks as $f" "$STATUS" 200
done
get lc "/o/$ORG/checks?format=csv&result=failing"
is "... the CSV keeps the filter" "$(sed 1d "$SCRATCH/lc.b" | cut -d, -f1 | tr -d '\r' | sort | tr '\n' ' ')" "aws-console-mfa vuln-sla "

# --- running them all -------------------------------------------------------------------------------
post ra /o/$ORG/checks/run
is "Run all redirects" "$STATUS" 303
is "... to the list" "$(location ra)" "/o/$ORG/checks?done=ran_all"
get l4 "/o/$ORG/checks?done=ran_all"
has "... which shows the results" "$SCRATCH/l4.b" 'Pass</span>'
has "... and the population" "$SCRATCH/l4.b" 'Population</th>'
is "... every check ran" "$(runs_of aws-root-mfa)" 1
api aa POST /orgs/$ORG/checks/runs
is "the API runs them all" "$STATUS" 201
is "... returning a run per check" "$(python3 -c 'import json,sys; print(len([r for r in json.load(open(sys.argv[1])) if r["run_id"]]))' "$SCRATCH/aa.b")" "$N_CHECKS"

# --- a check whose datasets are not loaded (beta has none) ---------------------------------------------
as other
get b0 /o/beta/checks
is "an organization without datasets sees the checks" "$STATUS" 200
hasnt "... without Run buttons for them" "$SCRATCH/b0.b" 'id="run-aws-console-mfa"'
has "... saying they need data" "$SCRATCH/b0.b" 'needs data'
post b1 /o/beta/checks/aws-console-mfa/run
is "running one anyway is 409" "$STATUS" 409
has "... naming the missing dataset" "$SCRATCH/b1.b" "dataset &#39;aws_iam&#39; is not loaded"
post b2 /o/beta/checks/run
is "running all skips them" "$STATUS" 303
apit "$OTOKEN" b3 POST /orgs/beta/checks/aws-console-mfa/runs
is "... the API says 409 too" "$STATUS" 409
has "... naming the dataset" "$SCRATCH/b3.b" "dataset 'aws_iam' is not loaded"

# --- another organization, viewers ----------------------------------------------------------------------
for p in /o/$ORG/checks /o/$ORG/checks/aws-console-mfa /o/$ORG/datasets /o/$ORG/datasets/hr; do
    get o1 "$p"
    is "another organization's member gets 404 for $p" "$STATUS" 404
done
post o2 /o/$ORG/checks/aws-console-mfa/run
is "... and cannot run its checks" "$STATUS" 404
apit "$OTOKEN" o3 GET /orgs/$ORG/datasets
is "... nor read its datasets through the API" "$STATUS" 404
as viewer
get v0 /o/$ORG/checks
is "a viewer sees the checks" "$STATUS" 200
hasnt "... without Run buttons" "$SCRATCH/v0.b" 'id="run-'
hasnt "... or the upload link" "$SCRATCH/v0.b" 'id="dataset-upload-link"'
before=$(runs_of aws-console-mfa)
post v1 /o/$ORG/checks/aws-console-mfa/run
is "... and may not run one (403)" "$STATUS" 403
post v2 /o/$ORG/checks/run
is "... nor all (403)" "$STATUS" 403
apit "$VTOKEN" v3 POST /orgs/$ORG/checks/aws-console-mfa/runs
is "... nor through the API (403)" "$STATUS" 403
is "... no run recorded" "$(runs_of aws-console-mfa)" "$before"

# --- datasets -------------------------------------------------------------------------------------------------
as contributor
get d0 /o/$ORG/datasets
is "the datasets page" "$STATUS" 200
has "... titled Datasets" "$SCRATCH/d0.b" 'Datasets <span class="muted">(15)</span></h1>'
has "... lists hr" "$SCRATCH/d0.b" 'id="dataset-hr"'
HRSHA=$("$TILLIT" data list --org $ORG --format json | python3 -c 'import json,sys; print([d for d in json.load(sys.stdin) if d["name"]=="hr"][0]["sha256"])')
has "... with its file hash" "$SCRATCH/d0.b" "$HRSHA"
for f in csv json xlsx; do
    get dx "/o/$ORG/datasets?format=$f"
    is "the datasets as $f" "$STATUS" 200
done
get dc "/o/$ORG/datasets?format=csv"
is "... 15 rows and a header" "$(wc -l <"$SCRATCH/dc.b" | tr -d ' ')" 16
get d1 /o/$ORG/datasets/vulns
is "a dataset's page" "$STATUS" 200
has "... its columns with types" "$SCRATCH/d1.b" '<td class="code">detected_at</td><td>date'
has "... its provenance" "$SCRATCH/d1.b" 'vulnerabilities.csv'
has "... the first 100 rows" "$SCRATCH/d1.b" 'id="rows-range">1–100 of 2000'
has "... and a next page" "$SCRATCH/d1.b" "href=\"/o/$ORG/datasets/vulns?page=2\""
get d2 "/o/$ORG/datasets/vulns?page=2"
has "the second page" "$SCRATCH/d2.b" 'id="rows-range">101–200 of 2000'
get d3 "/o/$ORG/datasets/vulns?page=0"
is "page 0 is 400" "$STATUS" 400
get d4 "/o/$ORG/datasets/nope"
is "an unknown dataset is 404" "$STATUS" 404
get d5 "/o/$ORG/datasets/github_pulls?table=github_pulls_reviews"
is "another table of a dataset" "$STATUS" 200
get d6 "/o/$ORG/datasets/vulns?page=2&format=csv"
is "a page of rows as CSV" "$STATUS" 200
"$TILLIT" data show vulns --org $ORG --limit 200 --format csv | sed -n '102,201p' | tr -d '\r' >"$SCRATCH/cli-page2.csv"
sed 1d "$SCRATCH/d6.b" | tr -d '\r' >"$SCRATCH/web-page2.csv"
if cmp -s "$SCRATCH/cli-page2.csv" "$SCRATCH/web-page2.csv"; then ok "... the rows the CLI shows there"; else not_ok "... the rows the CLI shows there"; diff "$SCRATCH/cli-page2.csv" "$SCRATCH/web-page2.csv" | head -5 | sed 's/^/# /'; fi
get d7 "/o/$ORG/datasets/vulns?page=2&format=xlsx"
is "... as XLSX" "$STATUS" 200
api d8 GET /orgs/$ORG/datasets
is "the datasets through the API" "$STATUS" 200
api d9 GET /orgs/$ORG/datasets/hr
is "a dataset through the API" "$STATUS" 200
has "... with its columns" "$SCRATCH/d9.b" '"type": "date"'
api d10 GET "/orgs/$ORG/datasets/vulns/rows?page=2"
is "its rows through the API" "$STATUS" 200
has "... paged" "$SCRATCH/d10.b" '"per_page": 100'
is "... 100 of them" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$SCRATCH/d10.b")" 100

# --- uploading a dataset -----------------------------------------------------------------------------------
X='<script>alert(1)</script>'
printf 'id,name\n1,%s\n2,bo\n' "$X" >"$SCRATCH/good.csv"
printf 'id,name\n1,ann\n2,bo,extra\n' >"$SCRATCH/ragged.csv"
printf 'id,name\n1,ann\n2,bj\366rn\n' >"$SCRATCH/latin1.csv"
cp "$SCRATCH/demo/github_pulls.json" "$SCRATCH/pulls.json"
up() { name=$1; shift; req "$name" -b "$J" -F "csrf=$TOK" "$@" "$URL/o/$ORG/datasets"; }
get n0 /o/$ORG/datasets/new
is "the upload form" "$STATUS" 200
has "... is multipart" "$SCRATCH/n0.b" 'enctype="multipart/form-data"'
hasnt "... offers no git kind" "$SCRATCH/n0.b" 'value="git"'
before=$(chain)
up u1 -F name=people -F kind=csv -F "file=@$SCRATCH/ragged.csv"
is "a ragged CSV is 400" "$STATUS" 400
has "... naming its file and line" "$SCRATCH/u1.b" 'ragged.csv:3: row has 3 fields, the header has 2'
has "... next to the file input" "$SCRATCH/u1.b" 'id="dataset-file-error"'
has "... keeping the name" "$SCRATCH/u1.b" 'value="people"'
hasnt "... without the server's paths" "$SCRATCH/u1.b" "$VAULT"
up u2 -F name=people -F kind=csv -F "file=@$SCRATCH/latin1.csv"
is "invalid UTF-8 is 400" "$STATUS" 400
has "... naming file, line and column" "$SCRATCH/u2.b" 'latin1.csv:3:5: invalid UTF-8'
up u3 -F name=aws2 -F kind=aws-iam-credential-report -F "file=@$SCRATCH/pulls.json"
is "a file of the wrong kind is 400" "$STATUS" 400
has "... saying what it is" "$SCRATCH/u3.b" 'looks like a GitHub pull request export'
up u4 -F 'name=Bad Name' -F kind=csv -F "file=@$SCRATCH/good.csv"
is "a bad name is 400" "$STATUS" 400
has "... next to the name" "$SCRATCH/u4.b" 'id="dataset-name-error"'
up u5 -F name=people -F kind=git -F "file=@$SCRATCH/good.csv"
is "the git kind is no upload (400)" "$STATUS" 400
has "... next to the kind" "$SCRATCH/u5.b" 'id="dataset-kind-error"'
up u6 -F name=people -F kind=csv
is "no file is 400" "$STATUS" 400
has "... next to the file input" "$SCRATCH/u6.b" 'id="dataset-file-error"'
req u7 -b "$J" -F name=people -F kind=csv -F "file=@$SCRATCH/good.csv" "$URL/o/$ORG/datasets"
is "an upload without the CSRF token is 403" "$STATUS" 403
unchanged_chain "... none of them changed anything" "$before"
is "... no dataset added" "$("$TILLIT" data list --org $ORG --format csv | sed 1d | wc -l | tr -d ' ')" 15
is "... no temporary file left" "$(leftovers)" 0
up u8 -F name=people -F kind=csv -F "file=@$SCRATCH/good.csv"
is "a good CSV loads" "$STATUS" 303
is "... to its page" "$(location u8)" "/o/$ORG/datasets/people?done=loaded"
t "... the dataset is there (tillit data list)" sh -c "'$TILLIT' data list --org $ORG --format csv | grep -q '^people,csv,2,2,good.csv,'"
is "... and no temporary file left" "$(leftovers)" 0
get p1 "/o/$ORG/datasets/people?done=loaded"
is "its page" "$STATUS" 200
has "... says it loaded" "$SCRATCH/p1.b" 'id="flash">Dataset loaded.'
has "... escapes the values" "$SCRATCH/p1.b" '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>'
hasnt "... never as markup" "$SCRATCH/p1.b" "$X"
api u9 POST /orgs/$ORG/datasets -F name=people2 -F kind=csv -F "file=@$SCRATCH/good.csv"
is "the API loads a dataset" "$STATUS" 201
has "... and returns it" "$SCRATCH/u9.b" '"name": "people2"'
api u10 POST /orgs/$ORG/datasets -F name=people3 -F kind=csv -F "file=@$SCRATCH/ragged.csv"
is "... refusing a ragged CSV (400)" "$STATUS" 400
has "... naming file and line at the file field" "$SCRATCH/u10.b" '"file": "ragged.csv:3: row has 3 fields'
as viewer
req v4 -b "$J" -F "csrf=$TOK" -F name=people4 -F kind=csv -F "file=@$SCRATCH/good.csv" "$URL/o/$ORG/datasets"
is "a viewer may not upload (403)" "$STATUS" 403
get v5 /o/$ORG/datasets/new
is "... nor see the form (403)" "$STATUS" 403
is "no temporary file anywhere" "$(leftovers)" 0

stop_clean
done_testing
