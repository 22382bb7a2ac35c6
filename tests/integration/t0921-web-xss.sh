#!/bin/sh
# Cross-site scripting: a payload typed into every text field of every form
# comes back escaped on every page that shows it (and in the form's own
# fields when it is shown again), never as markup.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
start_server --max-seconds 200
as editor
X='<script>alert(1)</script>"'"'"'><img src=x onerror=alert(2)>'
ESC='&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;'

# made PATH FIELDS...: posts a form with the payload in the fields given
# as name=payload (others as given), and expects it to succeed.
made() {
    desc=$1; path=$2; shift 2
    post mk "$path" "$@"
    case "$STATUS" in 303) ok "$desc" ;; *) not_ok "$desc (got $STATUS)"; grep 'field-error\|form-error' "$SCRATCH/mk.b" | head -3 | sed 's/^/# /' ;; esac
}

made "a person with the payload" /o/acme/people --data-urlencode email=x@acme.example --data-urlencode "name=$X" \
    --data-urlencode "title=$X" --data-urlencode "department=$X" --data-urlencode is_approver=1 --data-urlencode is_approver__shown=1
made "a control with the payload" /o/acme/controls --data-urlencode code=X-1 --data-urlencode "title=$X" \
    --data-urlencode "description=$X" --data-urlencode "evidence=$X" --data-urlencode owner=x@acme.example
made "a risk with the payload" /o/acme/risks --data-urlencode code=R-X --data-urlencode "title=$X" \
    --data-urlencode "description=$X" --data-urlencode "category=$X" --data-urlencode likelihood=3 \
    --data-urlencode impact=3 --data-urlencode treatment=mitigate --data-urlencode controls=X-1
made "a vendor with the payload" /o/acme/vendors --data-urlencode slug=vx --data-urlencode "name=$X" \
    --data-urlencode "service=$X" --data-urlencode "data_shared=$X"
made "a policy with the payload" /o/acme/policies --data-urlencode slug=px --data-urlencode "title=$X" \
    --data-urlencode "body=# Policy $X

[link](javascript:alert(3)) $X"
made "the system with the payload" /o/acme/scope/system --data-urlencode "name=$X" \
    --data-urlencode "boundaries=$X" --data-urlencode "commitments=$X"
made "a category out with the payload" /o/acme/scope/categories/privacy --data-urlencode in_scope__shown=1 \
    --data-urlencode "reason=$X"
made "a service with the payload" /o/acme/scope/services --data-urlencode "name=S $X" --data-urlencode "description=$X"
made "a component with the payload" /o/acme/scope/components --data-urlencode kind=data --data-urlencode "name=C $X" \
    --data-urlencode "description=$X" --data-urlencode in_scope__shown=1 --data-urlencode "reason=$X"
made "a subservice organization with the payload" /o/acme/scope/subservices --data-urlencode slug=sx \
    --data-urlencode "name=$X" --data-urlencode method=carve-out --data-urlencode "services=$X"
made "a CSOC with the payload" /o/acme/scope/subservices/sx/csocs --data-urlencode "text=$X"
made "a CUEC with the payload" /o/acme/scope/cuecs --data-urlencode code=CU-X --data-urlencode "text=$X"
made "a not-applicable justification with the payload" /o/acme/gap/na --data-urlencode target=CC9.2 \
    --data-urlencode "justification=$X"
printf 'x\n' >"$SCRATCH/x.txt"
req up -b "$J" -F "csrf=$TOK" -F "file=@$SCRATCH/x.txt;filename=\"<img src=x onerror=alert(2)>.txt\"" \
    -F controls=X-1 --form-string "source=$X" --form-string "note=$X" "$URL/o/acme/evidence"
is "evidence with the payload in its name, source and note" "$STATUS" 303
EV=$("$TILLIT" evidence list --org acme --format csv | sed -n 2p | cut -d, -f1)
{ printf 'id,"%s"\n' "$(printf '%s' "$X" | sed 's/"/""/g')"; printf '1,"%s"\n' "$(printf '%s' "$X" | sed 's/"/""/g')"; } >"$SCRATCH/x.csv"
req upd -b "$J" -F "csrf=$TOK" -F name=xss -F kind=csv \
    -F "file=@$SCRATCH/x.csv;filename=\"<img src=x onerror=alert(2)>.csv\"" "$URL/o/acme/datasets"
is "a dataset with the payload in its file name, a header and a value" "$STATUS" 303
req upc -b "$J" -F "csrf=$TOK" -F name=xss2 -F kind=csv --form-string "columns=$X" \
    -F "file=@$SCRATCH/x.csv" "$URL/o/acme/datasets"
is "a dataset form refused with the payload in a field" "$STATUS" 400
hasnt "... shows no markup of it" "$SCRATCH/upc.b" '<script>alert'

# Every page that shows them: the payload escaped, never as markup.
for p in /o/acme /o/acme/people /o/acme/people/x@acme.example/edit /o/acme/controls /o/acme/controls/X-1 \
    /o/acme/controls/X-1/edit /o/acme/controls/new /o/acme/risks /o/acme/risks/R-X /o/acme/risks/R-X/edit \
    /o/acme/vendors /o/acme/vendors/vx/edit /o/acme/policies /o/acme/policies/px /o/acme/policies/px/edit \
    /o/acme/policies/px/acks /o/acme/scope /o/acme/scope/system /o/acme/scope/categories/privacy \
    "/o/acme/gap?state=not-applicable" /o/acme/evidence "/o/acme/evidence/$EV" /o/acme/evidence/due \
    "/o/acme/search?q=alert" /o/acme/audit /o/acme/library /o/acme/plan /o/acme/datasets /o/acme/datasets/xss \
    /o/acme/checks; do
    get pg "$p"
    is "GET $p is 200" "$STATUS" 200
    if grep -q '<script>alert\|<img src=x\|onerror=alert(2)>\|href="javascript' "$SCRATCH/pg.b"; then
        not_ok "... shows no markup of the payload"
        grep -o '.\{30\}<script>alert.\{10\}\|.\{30\}<img src=x.\{10\}\|.\{20\}href="javascript.\{10\}' "$SCRATCH/pg.b" | head -3 | sed 's/^/# /'
    else
        ok "... shows no markup of the payload"
    fi
done
get dsx /o/acme/datasets/xss
has "the dataset page shows the payload as text" "$SCRATCH/dsx.b" "<td>$ESC</td>"
get ctl /o/acme/controls/X-1
has "the control page shows the payload as text" "$SCRATCH/ctl.b" "$ESC"
get ed /o/acme/controls/X-1/edit
has "... and its form as a value" "$SCRATCH/ed.b" "value=\"$ESC\""
get pol /o/acme/policies/px
has "policy markdown keeps the payload as text" "$SCRATCH/pol.b" "&lt;script&gt;alert(1)&lt;/script&gt;"

# A form shown again after a mistake keeps the payload, escaped.
post again /o/acme/controls --data-urlencode code= --data-urlencode "title=$X" --data-urlencode "description=$X"
is "a refused form" "$STATUS" 400
has "... keeps the payload escaped in the input" "$SCRATCH/again.b" "value=\"$ESC\""
has "... and in the textarea" "$SCRATCH/again.b" ">$ESC</textarea>"
hasnt "... never as markup" "$SCRATCH/again.b" '<script>alert'

# JSON and CSV carry it as data.
get js "/o/acme/controls?format=json"
has "the JSON export carries the payload as a string" "$SCRATCH/js.b" '"title": "<script>alert(1)</script>'
has "... served as JSON" "$SCRATCH/js.h" "Content-Type: application/json"

stop_clean
done_testing
