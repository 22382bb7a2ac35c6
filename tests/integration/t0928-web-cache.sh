#!/bin/sh
# The dashboard's cache (src/web/dashboard.c, docs/internals/cache.md):
# served again while nothing changed (X-Cache: hit), and never after a
# change, whether made through the web or by the CLI on the same database
# while the server runs (adopting a control, adding evidence, running a
# check, raising a finding); each language and role has its own entry; a member of another
# organization never sees this one's; and staleness follows the date
# (TILLIT_NOW a day later).
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

cat >cred.csv <<'C'
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
ann,arn:aws:iam::1:user/ann,2020-01-01T00:00:00+00:00,true,2026-02-27T10:00:00+00:00,2025-06-01T00:00:00+00:00,N/A,false,true,2025-01-01T00:00:00+00:00,2026-02-27T10:00:00+00:00,eu-north-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bo,arn:aws:iam::1:user/bo,2020-01-01T00:00:00+00:00,true,2026-02-28T10:00:00+00:00,2025-06-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
C
echo "backup log" >backup.txt
echo "scan report" >scan.txt
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_users && echo "$PW" | "$TILLIT" user add editor2@acme.example --role editor --org acme \
      --password-stdin && "$TILLIT" control add DL-1 --title "Backups ran" --frequency daily --org acme &&
  "$TILLIT" evidence add backup.txt --control DL-1 --period 2026-02-27 --org acme &&
  "$TILLIT" control add BETA-1 --title "Beta only control" --frequency daily --org beta &&
  "$TILLIT" data load aws_iam cred.csv --kind aws-iam-credential-report --org acme
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }

# fig NAME ID: the text of the element with that id on page NAME.
fig() { sed -n "s/.*id=\"$2\">\([^<]*\)<.*/\1/p" "$SCRATCH/$1.b" | head -1; }
# cache NAME: the X-Cache header of response NAME.
cache() { sed -n 's/^[Xx]-[Cc]ache: //p' "$SCRATCH/$1.h" | tr -d '\r'; }

start_server --max-seconds 240
as editor
get d1 /o/acme
is "the dashboard" "$STATUS" 200
is "... computed the first time" "$(cache d1)" miss
is "... one control" "$(fig d1 controls-total)" 1
is "... with fresh evidence (nothing missing)" "$(fig d1 evidence-missing)" 0
is "... none stale" "$(fig d1 evidence-stale)" 0
is "... no check has run" "$(fig d1 checks-failing)" 0
get d2 /o/acme
is "asked again it comes from the cache" "$(cache d2)" hit
t "... the same page" cmp "$SCRATCH/d1.b" "$SCRATCH/d2.b"
has "... with the session's own CSRF token" "$SCRATCH/d2.b" "value=\"$TOK\""

# another session of the same user: the kept page with its own token
cp "$SCRATCH/jar-editor" "$SCRATCH/jar-editor1"; cp "$SCRATCH/jar-editor.tok" "$SCRATCH/tok-editor1"
rm -f "$SCRATCH/jar-editor" "$SCRATCH/jar-editor.tok"
as editor
get s2 /o/acme
is "a second session of the same user: from the cache" "$(cache s2)" hit
has "... with that session's CSRF token" "$SCRATCH/s2.b" "value=\"$TOK\""
hasnt "... not the other session's" "$SCRATCH/s2.b" "value=\"$(cat "$SCRATCH/tok-editor1")\""
# another user of the same role shares the main part, not the frame
J=$SCRATCH/jar-editor2
login "$J" editor2@acme.example "$PW"
get e2 /o/acme
is "another editor: the main part from the cache" "$(cache e2)" main
has "... in a frame of their own" "$SCRATCH/e2.b" 'editor2@acme.example'
hasnt "... not the first editor's" "$SCRATCH/e2.b" '>editor@acme.example<'
as editor
# the organization switcher follows the user's memberships
"$TILLIT" user grant editor@acme.example --role viewer --org beta >/dev/null
get m1 /o/acme
is "a membership granted: the frame is rendered again" "$(cache m1)" main
has "... with the new organization in the switcher" "$SCRATCH/m1.b" 'href="/o/beta"'

# a change through the web
post ad /o/acme/controls/adopt --data-urlencode code=IAM-02
is "adopting a control through the web" "$STATUS" 303
get d3 /o/acme
is "... the dashboard is computed again" "$(cache d3)" miss
is "... two controls" "$(fig d3 controls-total)" 2
is "... one without evidence" "$(fig d3 evidence-missing)" 1
has "... listed among the most urgent" "$SCRATCH/d3.b" 'href="/o/acme/controls/IAM-02"'

# changes by the CLI on the same database while the server runs
"$TILLIT" control adopt IAM-03 --org acme >/dev/null
get d4 /o/acme
is "a control adopted by the CLI: computed again" "$(cache d4)" miss
is "... three controls" "$(fig d4 controls-total)" 3
"$TILLIT" evidence add scan.txt --control IAM-03 --period 2026-02-28 --org acme >/dev/null
get d5 /o/acme
is "evidence added by the CLI: computed again" "$(cache d5)" miss
is "... one control without evidence again" "$(fig d5 evidence-missing)" 1
"$TILLIT" check run aws-console-mfa --org acme >/dev/null 2>&1
get d6 /o/acme
is "a check run by the CLI: computed again" "$(cache d6)" miss
is "... one check failing" "$(fig d6 checks-failing)" 1
has "... linked to the check's page" "$SCRATCH/d6.b" 'href="/o/acme/checks/aws-console-mfa"'
is "... whose evidence covers IAM-02 now" "$(fig d6 evidence-missing)" 0

{ "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 --org acme &&
  "$TILLIT" test plan y2026 --org acme &&
  "$TILLIT" finding add y2026:IAM-02 --title 'MFA missing' --severity high --org acme
} >/dev/null 2>&1
get df /o/acme
is "a finding raised by the CLI: computed again" "$(cache df)" miss
is "... one open finding" "$(fig df findings-open)" 1
has "... linked to the finding's page" "$SCRATCH/df.b" 'href="/o/acme/engagements/y2026/findings/F-1"'

# evidence uploaded through the web
post ad2 /o/acme/controls/adopt --data-urlencode code=IAM-01
get d7 /o/acme
is "one more control without evidence" "$(fig d7 evidence-missing)" 1
req up -b "$J" -F "csrf=$TOK" -F "file=@$SCRATCH/scan.txt" -F controls=IAM-01 \
    -F period_start=2026-02-28 -F period_end=2026-02-28 "$URL/o/acme/evidence"
is "uploading evidence through the web" "$STATUS" 303
get d8 /o/acme
is "... computed again" "$(cache d8)" miss
is "... nothing missing" "$(fig d8 evidence-missing)" 0
get d9 /o/acme
is "... then served from the cache" "$(cache d9)" hit

# languages and roles have their own entries
get sv1 /o/acme -H 'Accept-Language: sv'
is "in Swedish: its own entry" "$(cache sv1)" miss
has "... in Swedish" "$SCRATCH/sv1.b" 'kontroller utan underlag'
hasnt "... not the English text" "$SCRATCH/sv1.b" 'controls without evidence'
get en1 /o/acme
is "in English still the English entry" "$(cache en1)" hit
hasnt "... no Swedish in it" "$SCRATCH/en1.b" 'kontroller utan underlag'
as viewer
get v1 /o/acme
is "a viewer: an entry of the role's own" "$(cache v1)" miss
is "... the same figures" "$(fig v1 controls-total)" 4
has "... the viewer's own CSRF token" "$SCRATCH/v1.b" "value=\"$TOK\""
get v2 /o/acme -H 'Accept-Language: sv'
is "a viewer in Swedish: another entry" "$(cache v2)" miss
has "... in Swedish" "$SCRATCH/v2.b" 'kontroller utan underlag'

# the API has its own entry, with the same rules
TOKEN=$("$TILLIT" user token editor@acme.example)
api a1 GET /orgs/acme/dashboard
is "the API's dashboard" "$STATUS" 200
is "... computed the first time" "$(cache a1)" miss
has "... JSON" "$SCRATCH/a1.h" 'application/json'
api a2 GET /orgs/acme/dashboard
is "... then from the cache" "$(cache a2)" hit
t "... the same document" cmp "$SCRATCH/a1.b" "$SCRATCH/a2.b"
has "... with the check's page" "$SCRATCH/a2.b" '"/o/acme/checks/aws-console-mfa"'

# another organization
as other
get o1 /o/beta
is "another organization's dashboard" "$STATUS" 200
has "... its own control" "$SCRATCH/o1.b" 'BETA-1'
hasnt "... none of acme's" "$SCRATCH/o1.b" 'IAM-0'
is "... one control" "$(fig o1 controls-total)" 1
get o2 /o/acme
is "acme's dashboard for a member of beta only: 404" "$STATUS" 404
hasnt "... with nothing of acme's" "$SCRATCH/o2.b" 'IAM-0'
TOKEN=$("$TILLIT" user token other@beta.example)
api o3 GET /orgs/acme/dashboard
is "... and through the API: 404" "$STATUS" 404
hasnt "... with nothing of acme's" "$SCRATCH/o3.b" 'IAM-0'
stop_clean

# a day later the daily evidence of DL-1 (2026-02-27) is stale
TILLIT_NOW=2026-03-02T09:00:00Z start_server --max-seconds 120
rm -f "$SCRATCH/jar-editor.tok" # the session has timed out: log in again
as editor
get n1 /o/acme
is "a day later" "$STATUS" 200
is "... DL-1's evidence is stale" "$(fig n1 evidence-stale)" 1
has "... listed" "$SCRATCH/n1.b" 'href="/o/acme/controls/DL-1"'
stop_clean

done_testing
