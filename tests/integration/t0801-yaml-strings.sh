#!/bin/sh
# t0801: any text survives the YAML round trip: strings YAML would read as
# something else (null, true, numbers), indicators, quotes, blanks at either
# end, several lines, tabs, carriage returns, non-ASCII; policy texts byte
# for byte whatever their line endings.
. "$(dirname "$0")/lib.sh"

t "init" "$TILLIT" init
db_snapshot empty
t "organization" "$TILLIT" org create acme --name "Åsa & Söner: \"AB\"" \
    --description "$(printf 'Two lines\nand a tab\there')" --industry "null" --country "yes"
t "person with a non-ASCII name" "$TILLIT" person add ann@acme.io --name "Ann-Sofie Öberg — ✓" \
    --title "#1 # not a comment" --department "- dash"

# Command substitution drops final newlines: build them by hand.
nl=$(printf '\n.')
nl=${nl%.}
i=0
add() {
    i=$((i + 1))
    code=$(printf 'S-%02d' "$i")
    "$TILLIT" control add "$code" --title "$1" --description "$2" >/dev/null ||
        not_ok "add $code with title [$1]"
}
add "null" "true"
add "~" "123"
add "1.5" "0x1F"
add "- a dash" ": a colon"
add "a: b" "key: value"
add "#hash" "x #y"
add "it's" '"double"'
add "trailing space " " leading space"
add "[list]" "{map}"
add "*star" "&anchor"
add "!tag" "%percent"
add "@at" '`tick'
add "|pipe" ">fold"
add "?question" ",comma"
add "yes" "No"
add "on" "off"
add "tab	inside" "$(printf 'tab\tinside\nand a second line')"
add "back\\slash" "ends with a newline$nl"
add "plain" "two newlines at the end$nl$nl"
add "plain 2" "$(printf '\n starts with a newline')"
add "plain 3" "$(printf 'a line\n  indented line\n\nafter a blank line')"
add "plain 4" "$(printf 'carriage\r\nreturn')"
add "plain 5" "$(printf 'unicode ✓ — Ä\nline two ✓')"
add "plain 6" "$(printf 'last line indented\n  ')"
add "2026-01-01" "12:30"
t "all controls added" test "$i" -eq 25

printf 'No final newline' >"$SCRATCH/a.md"
printf '# CRLF\r\n\r\nText\r\n' >"$SCRATCH/b.md"
printf '  leading blanks\n\n\ntrailing blank lines\n\n\n' >"$SCRATCH/c.md"
t "policy without a final newline" "$TILLIT" policy new a --title "A" --file "$SCRATCH/a.md"
t "policy with CRLF" "$TILLIT" policy new b --title "B: \"quoted\"" --file "$SCRATCH/b.md"
t "policy with blank lines" "$TILLIT" policy new c --title "C" --file "$SCRATCH/c.md"

t "export" "$TILLIT" export yaml one
t "the texts are byte for byte" sh -c 'cmp a.md one/policies/a.v1.md && cmp b.md one/policies/b.v1.md && cmp c.md one/policies/c.v1.md'
db_restore empty
t "import" "$TILLIT" import yaml one
t "export again" "$TILLIT" export yaml two
t "byte-identical" diff -r one two
t "the strings came back as they were" "$TILLIT" control list --format json
keep controls.json
t "titles and descriptions compared" python3 - "$SCRATCH/controls.json" <<'PY'
import json, sys
rows = {r["code"]: r for r in json.load(open(sys.argv[1]))}
assert rows["S-01"]["title"] == "null", rows["S-01"]
assert rows["S-08"]["title"] == "trailing space ", rows["S-08"]
assert rows["S-17"]["title"] == "tab\tinside", rows["S-17"]
assert rows["S-25"]["title"] == "2026-01-01", rows["S-25"]
assert rows["S-18"]["title"] == "back\\slash", rows["S-18"]
PY
t "show a multi-line description" "$TILLIT" control show S-22 --format json
keep s22.json
t "carriage returns kept" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["description"] == "carriage\r\nreturn", d' "$SCRATCH/s22.json"
t "show S-18" "$TILLIT" control show S-18 --format json
keep s18.json
t "a final newline kept" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["description"] == "ends with a newline\n", d' "$SCRATCH/s18.json"
t "show S-19" "$TILLIT" control show S-19 --format json
keep s19.json
t "two final newlines kept" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["description"] == "two newlines at the end\n\n", d' "$SCRATCH/s19.json"
t "re-import changes nothing" "$TILLIT" import yaml one --dry-run
out_has "^0 to create, 0 to update, 0 to delete$"

done_testing
