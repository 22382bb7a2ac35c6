#!/bin/sh
# 'evidence add' stores files content-addressed in the vault next to the
# database, records what they are, the period and the controls, and audits
# each item; the same bytes are stored once.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" person add alice@acme.test --name Alice >/dev/null
"$TILLIT" control add AC-1 --title "Quarterly access review" --frequency quarterly \
    --owner alice@acme.test >/dev/null
"$TILLIT" control add BK-1 --title "Daily backups" --frequency daily >/dev/null
printf 'user,reviewed\nbob,yes\n' >review.csv
printf '%%PDF-1.4\n%% policy\n' >policy.pdf
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >shot.png
sha=$(sha256sum review.csv | cut -c1-64)

t "add two files for two controls" "$TILLIT" evidence add review.csv policy.pdf \
    --control AC-1,BK-1 --period 2026-01-01..2026-01-31 --source okta --note "Q1 review"
out_has "added evidence .* 'review.csv' for AC-1, BK-1 (2026-01-01..2026-01-31, text/csv, 22 bytes)"
out_has "'policy.pdf' .*application/pdf"
test -f "$T_VAULT/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-)" &&
    ok "blob stored at vault/<2 hex>/<62 hex>" || not_ok "blob stored at vault/<2 hex>/<62 hex>"
test "$(find "$T_VAULT" -name '.tmp-*' | wc -l)" -eq 0 &&
    ok "no temporary files left" || not_ok "no temporary files left"

t "a point in time defaults to today" "$TILLIT" evidence add shot.png --control AC-1
out_has "(2026-03-01, image/png"

t "the same bytes again" "$TILLIT" evidence add review.csv --control BK-1 --period 2026-02-01
out_has "already in the vault"
test "$(find "$T_VAULT" -type f | wc -l)" -eq 3 &&
    ok "stored once: 3 blobs for 4 items" || not_ok "stored once: 3 blobs for 4 items"

t "list" "$TILLIT" evidence list
out_has "review.csv"
t "list as csv" "$TILLIT" evidence list --format csv
out_has "^id,name,media_type,size,sha256,period_start,period_end,controls"
out_has "$sha"
t "four items" test "$(wc -l <"$SCRATCH/out")" -eq 5
t "list by control" "$TILLIT" evidence list --control AC-1 --format json
out_has '"name": "shot.png"'
t "AC-1 has three items" test "$(grep -c '"id"' "$SCRATCH/out")" -eq 3
t_exit 2 "list by an unknown control" "$TILLIT" evidence list --control NOPE
err_has "no control 'NOPE'"

id=$("$TILLIT" evidence list --format csv | grep policy.pdf | cut -d, -f1)
t "show by id" "$TILLIT" evidence show "$id"
out_has "media type:    application/pdf"
out_has "controls:      AC-1, BK-1"
out_has "source:        okta"
out_has "added by:      test"
t "show by id prefix, as json" "$TILLIT" evidence show "$(echo "$id" | cut -c1-8)" --format json
out_has '"period_start": "2026-01-01"'
out_has '"controls": \['

t "audit log has one entry per item" "$TILLIT" audit log --format csv
t "four evidence.add entries" test "$(grep -c evidence.add "$SCRATCH/out")" -eq 4
t "audit verify" "$TILLIT" audit verify

mkdir elsewhere
t "TILLIT_VAULT moves the vault" env TILLIT_VAULT="$SCRATCH/elsewhere" \
    "$TILLIT" evidence add shot.png --control BK-1 --period 2026-02-27
test "$(find elsewhere -type f | wc -l)" -eq 1 && ok "blob in TILLIT_VAULT" ||
    not_ok "blob in TILLIT_VAULT"

t "help" "$TILLIT" help evidence
out_has "verify-package"

done_testing
