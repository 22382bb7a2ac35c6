#!/bin/sh
# The search box: controls, policies, risks and evidence by code, title and
# text; results escaped; a query too short; exports; other organizations'
# records never found; the API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

printf 'firewall rules export\n' >"$SCRATCH/fw.txt"
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" control add NET-1 --title 'Firewall <b>review</b>' --description 'Quarterly review of 100% of the rules' --org acme &&
  "$TILLIT" control add NET-2 --title 'Segmentation' --org acme &&
  "$TILLIT" control add FW-BETA --title 'Beta firewall secret' --org beta &&
  "$TILLIT" risk add R-FW --title 'Firewall misconfiguration' --likelihood 3 --impact 4 --treatment mitigate --control NET-1 --org acme &&
  "$TILLIT" policy new network --title 'Network security' --template access-control --org acme &&
  "$TILLIT" evidence add "$SCRATCH/fw.txt" --control NET-1 --note 'firewall export' --org acme &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token viewer@acme.example)
start_server --max-seconds 240
as viewer

get s0 /o/acme/search
is "the search page" "$STATUS" 200
get s1 "/o/acme/search?q=firewall"
is "searching" "$STATUS" 200
has "... finds the control" "$SCRATCH/s1.b" 'href="/o/acme/controls/NET-1"'
has "... with its title escaped" "$SCRATCH/s1.b" 'Firewall &lt;b&gt;review&lt;/b&gt;'
has "... finds the risk" "$SCRATCH/s1.b" 'href="/o/acme/risks/R-FW"'
has "... finds the evidence" "$SCRATCH/s1.b" 'fw.txt'
hasnt "... not another organization's control" "$SCRATCH/s1.b" 'FW-BETA'
get s2 "/o/acme/search?q=FIREWALL"
has "... case-insensitively" "$SCRATCH/s2.b" 'NET-1'
get s3 "/o/acme/search?q=net-2"
has "... by code" "$SCRATCH/s3.b" 'Segmentation'
get s4 "/o/acme/search?q=100%25"
has "... a % in the query is literal" "$SCRATCH/s4.b" 'NET-1'
hasnt "... and matches only that" "$SCRATCH/s4.b" 'NET-2'
get s5 "/o/acme/search?q=network"
has "... finds the policy" "$SCRATCH/s5.b" 'href="/o/acme/policies/network"'
get s6 "/o/acme/search?q=x"
is "a one-letter query is 400" "$STATUS" 400
has "... with the message next to the box" "$SCRATCH/s6.b" 'id="search-q-error"'
get s7 "/o/acme/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
is "a query with markup" "$STATUS" 200
has "... is shown escaped" "$SCRATCH/s7.b" 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
hasnt "... never raw" "$SCRATCH/s7.b" '<script>alert(1)'
get sc "/o/acme/search?q=firewall&format=csv"
is "results as CSV" "$STATUS" 200
has "... with a header" "$SCRATCH/sc.b" 'kind,key,title,snippet'
api a1 GET "/orgs/acme/search?q=firewall"
is "the API searches" "$STATUS" 200
has "... and finds the control" "$SCRATCH/a1.b" '"key": "NET-1"'
api a2 GET "/orgs/acme/search?q=a"
is "... and refuses a one-letter query" "$STATUS" 400
as other
get o1 "/o/acme/search?q=firewall"
is "another organization's member gets 404" "$STATUS" 404
get o2 "/o/beta/search?q=firewall"
has "... and finds only their own" "$SCRATCH/o2.b" 'FW-BETA'
hasnt "... never acme's" "$SCRATCH/o2.b" 'NET-1'

stop_clean
done_testing
