#!/bin/sh
# Evidence in the browser: uploading (multipart, streamed to disk, size
# limit), the list with its age, due and coverage pages, an item's page and
# its download (an attachment, nosniff, the exact bytes), validation
# failures that keep nothing, CSRF, who may upload, and the API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" control add C-1 --title 'Backups' --frequency monthly --org acme &&
  "$TILLIT" control add C-2 --title 'MFA' --org acme &&
  "$TILLIT" control add C-3 --title 'Reviews' --org acme && setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token contributor@acme.example)
export TILLIT_EVIDENCE_MAX_BYTES=4096
start_server --max-seconds 240
VAULT="$T_VAULT"
printf 'backup report\nall green\n' >"$SCRATCH/report.txt"
printf '%%PDF-1.4\n%% a pdf\n' >"$SCRATCH/scan.pdf"
head -c 5000 /dev/zero | tr '\0' 'x' >"$SCRATCH/big.txt"
leftovers() { find "$VAULT/uploads" -type f 2>/dev/null | wc -l | tr -d ' '; }
as contributor

get new "/o/acme/evidence/new?control=C-1"
is "the upload form" "$STATUS" 200
has "... is multipart" "$SCRATCH/new.b" 'enctype="multipart/form-data"'
has "... with a file input" "$SCRATCH/new.b" 'type="file" multiple'
has "... and the control filled in" "$SCRATCH/new.b" 'value="C-1"'

# -F sends multipart/form-data.
up() { name=$1; shift; req "$name" -b "$J" -F "csrf=$TOK" "$@" "$URL/o/acme/evidence"; }
before=$(audit_count)
up u1 -F controls=C-1
is "an upload without a file is 400" "$STATUS" 400
has "... next to the file input" "$SCRATCH/u1.b" 'id="evidence-file-error"'
has "... the controls kept" "$SCRATCH/u1.b" 'value="C-1"'
up u2 -F "file=@$SCRATCH/report.txt" -F controls=NOPE
is "an unknown control is 400" "$STATUS" 400
has "... next to the controls" "$SCRATCH/u2.b" 'id="evidence-controls-error"'
up u3 -F "file=@$SCRATCH/report.txt" -F controls=C-1 -F period_start=2026-02-01 -F period_end=2026-01-01
is "a period ending before it starts is 400" "$STATUS" 400
up u4 -F "file=@$SCRATCH/report.txt" -F controls=C-1 -F period_start=2026-01-01 -F period_end=2026-12-31
is "a period ending after today is 400" "$STATUS" 400
up u5 -F "file=@$SCRATCH/big.txt" -F controls=C-1
is "a file over the size limit is 413" "$STATUS" 413
set --
for i in $(seq 1 21); do printf '%s\n' "$i" >"$SCRATCH/f$i.txt"; set -- "$@" -F "file=@$SCRATCH/f$i.txt"; done
up u5b "$@" -F controls=C-1
is "more than 20 files is 413" "$STATUS" 413
unchanged "... and none of them kept anything" "$before"
is "... no evidence stored" "$("$TILLIT" evidence list --org acme --format csv | wc -l | tr -d ' ')" 1
is "... and no temporary files left" "$(leftovers)" 0
req u6 -b "$J" -F "file=@$SCRATCH/report.txt" -F controls=C-1 "$URL/o/acme/evidence"
is "an upload without the CSRF token is 403" "$STATUS" 403
is "... and leaves no temporary file" "$(leftovers)" 0
up u7 -F "file=@$SCRATCH/report.txt;filename=../../report <1>.txt" -F controls=C-1 \
    -F period_start=2026-01-01 -F period_end=2026-01-31 -F 'source=backup tool' -F 'note=January'
is "uploading a file redirects" "$STATUS" 303
ID=$(location u7 | sed -n 's|^/o/acme/evidence/\([^?]*\)?done=uploaded$|\1|p')
if [ -n "$ID" ]; then ok "... to the new item"; else not_ok "... to the new item ($(location u7))"; fi
is "... and leaves no temporary file" "$(leftovers)" 0
t "... the evidence is recorded" "$TILLIT" evidence show "$ID" --org acme --format json
out_has '"name": "report <1>.txt"'
out_has '"period_start": "2026-01-01"'
up u8 -F "file=@$SCRATCH/report.txt" -F "file=@$SCRATCH/scan.pdf" -F controls=C-1,C-2
is "uploading two files redirects" "$STATUS" 303
is "... to the list" "$(location u8)" "/o/acme/evidence?done=uploaded"

get item "/o/acme/evidence/$ID"
is "the item's page" "$STATUS" 200
has "... escapes the file name" "$SCRATCH/item.b" 'report &lt;1&gt;.txt'
has "... with a download link" "$SCRATCH/item.b" 'id="evidence-download"'
get dl "/o/acme/evidence/$ID/download"
is "downloading it" "$STATUS" 200
has "... as an attachment" "$SCRATCH/dl.h" 'Content-Disposition: attachment; filename="report <1>.txt"; filename*=UTF-8'"''"'report%20%3C1%3E.txt'
has "... with nosniff" "$SCRATCH/dl.h" 'X-Content-Type-Options: nosniff'
if cmp -s "$SCRATCH/dl.b" "$SCRATCH/report.txt"; then ok "... the exact bytes"; else not_ok "... the exact bytes"; fi
get dlx "/o/acme/evidence/01NOSUCHITEMXXXXXXXXXXXXXX/download"
is "downloading a missing item is 404" "$STATUS" 404

get list /o/acme/evidence
is "the evidence list" "$STATUS" 200
has "... with the item" "$SCRATCH/list.b" 'report &lt;1&gt;.txt'
has "... and its age" "$SCRATCH/list.b" '<td class="num">29</td>'
for f in csv json xlsx; do
    get lx "/o/acme/evidence?format=$f"
    is "the list as $f" "$STATUS" 200
done
get lc "/o/acme/evidence?control=NOPE"
is "the list of an unknown control is 400" "$STATUS" 400
get due /o/acme/evidence/due
is "the due page" "$STATUS" 200
has "... with the control missing evidence" "$SCRATCH/due.b" '>C-3<'
get duec "/o/acme/evidence/due?format=csv&state=missing"
is "... as CSV" "$STATUS" 200
get cov "/o/acme/evidence/coverage?period=2026-01-01..2026-02-28"
is "the coverage page" "$STATUS" 200
has "... with C-1 partly covered" "$SCRATCH/cov.b" 'badge cov-partial'
get covbad "/o/acme/evidence/coverage?period=yesterday"
is "a bad period is 400" "$STATUS" 400
has "... next to the field" "$SCRATCH/covbad.b" 'id="coverage-period-error"'
get covx "/o/acme/evidence/coverage?period=2026-01-01..2026-02-28&format=xlsx"
is "coverage as XLSX" "$STATUS" 200

# --- who may upload ---------------------------------------------------------------------------------
as viewer
req v1 -b "$J" -F "csrf=$TOK" -F "file=@$SCRATCH/report.txt" -F controls=C-1 "$URL/o/acme/evidence"
is "a viewer may not upload (403)" "$STATUS" 403
is "... and nothing of it is written" "$(leftovers)" 0
req an -F "file=@$SCRATCH/report.txt" -F controls=C-1 "$URL/o/acme/evidence"
is "an anonymous upload is sent to the login" "$STATUS" 303
as other
req o1 -b "$J" -F "csrf=$TOK" -F "file=@$SCRATCH/report.txt" -F controls=C-1 "$URL/o/acme/evidence"
is "another organization's member gets 404" "$STATUS" 404
get o2 "/o/acme/evidence/$ID/download"
is "... and cannot download" "$STATUS" 404
is "no temporary file anywhere" "$(leftovers)" 0

# --- the API -----------------------------------------------------------------------------------------------
api a1 POST /orgs/acme/evidence -F "file=@$SCRATCH/scan.pdf;filename=api.pdf" -F controls=C-2
is "the API takes an upload" "$STATUS" 201
has "... and returns the item" "$SCRATCH/a1.b" '"name": "api.pdf"'
has "... with its media type" "$SCRATCH/a1.b" '"media_type": "application/pdf"'
api a2 POST /orgs/acme/evidence -F controls=C-2
is "... refuses one without a file" "$STATUS" 400
has "... naming the field" "$SCRATCH/a2.b" '"file":'
api a3 GET /orgs/acme/evidence
is "the evidence through the API" "$STATUS" 200
api a4 GET "/orgs/acme/evidence/$ID/content"
is "the content through the API" "$STATUS" 200
if cmp -s "$SCRATCH/a4.b" "$SCRATCH/report.txt"; then ok "... the exact bytes"; else not_ok "... the exact bytes"; fi
api a5 GET /orgs/acme/evidence/due
is "due through the API" "$STATUS" 200
api a6 GET "/orgs/acme/evidence/coverage?period=2026-01-01..2026-02-28"
is "coverage through the API" "$STATUS" 200
api a7 GET "/orgs/acme/evidence/$ID"
is "an item through the API" "$STATUS" 200
is "no temporary file left at the end" "$(leftovers)" 0

stop_clean
done_testing
