#!/bin/sh
# policy: bad input exits 2 with one clear line and changes nothing;
# policies of another organization are invisible.
. "$(dirname "$0")/lib.sh"

bad() {
    desc=$1; pat=$2; shift 2
    t_exit 2 "$desc" "$@"
    err_has "$pat"
    err_lines 1
}

snapshot() {
    { "$TILLIT" audit log --format csv && "$TILLIT" --org acme policy list --format csv &&
        "$TILLIT" --org acme policy acks rules --version 1 --format csv; } >"$SCRATCH/$1" 2>&1
}

unchanged() {
    snapshot now
    if cmp -s "$SCRATCH/before" "$SCRATCH/now"; then ok "failed commands changed nothing"; else
        not_ok "failed commands changed nothing"; diff "$SCRATCH/before" "$SCRATCH/now" | sed 's/^/# /'; fi
}

printf '# Rules\n\nFor {{org.name}}.\n' >"$SCRATCH/ok.md"
printf '# Rules\n\nFor {{org.name}}.\nSigned {{policy.signer}}.\n' >"$SCRATCH/unknown.md"
printf '# Rules\n\nFor {{org.name}.\n' >"$SCRATCH/open.md"
printf ' \n\n' >"$SCRATCH/blank.md"
printf 'a\000b' >"$SCRATCH/nul.md"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme" >/dev/null &&
    "$TILLIT" org create beta --name "Beta" >/dev/null &&
    "$TILLIT" --org acme person add ann@acme.io --name "Ann" --approver >/dev/null &&
    "$TILLIT" --org acme person add bob@acme.io --name "Bob" >/dev/null &&
    "$TILLIT" --org acme person add cyd@acme.io --name "Cyd" --end 2026-01-31 >/dev/null &&
    "$TILLIT" --org beta person add eve@beta.io --name "Eve" --approver >/dev/null &&
    "$TILLIT" --org acme policy new rules --title Rules --file "$SCRATCH/ok.md" >/dev/null &&
    "$TILLIT" --org acme policy approve rules --by ann@acme.io --on 2026-02-01 >/dev/null &&
    "$TILLIT" --org acme policy new draft --title Draft --file "$SCRATCH/ok.md" >/dev/null &&
    "$TILLIT" --org acme policy ack rules --person bob@acme.io >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
export TILLIT_ORG=acme
snapshot before

bad "unknown template" "no policy template 'nope' (see 'tillit policy templates')" \
    "$TILLIT" policy new x --template nope
bad "unknown placeholder names it and its line" "text of policy 'x': unknown placeholder '{{policy.signer}}' on line 4" \
    "$TILLIT" policy new x --title X --file "$SCRATCH/unknown.md"
bad "unterminated placeholder" "unterminated placeholder '{{org.name}.' on line 3" \
    "$TILLIT" policy new x --title X --file "$SCRATCH/open.md"
bad "blank text" "text of policy 'x' is empty" "$TILLIT" policy new x --title X --file "$SCRATCH/blank.md"
bad "binary text" "holds NUL bytes" "$TILLIT" policy new x --title X --file "$SCRATCH/nul.md"
bad "missing file" "cannot open '$SCRATCH/none.md'" "$TILLIT" policy new x --title X --file "$SCRATCH/none.md"
bad "own text needs a title" "usage: tillit policy new SLUG" "$TILLIT" policy new x --file "$SCRATCH/ok.md"
bad "template and file at once" "usage: tillit policy new SLUG" \
    "$TILLIT" policy new x --template backup --file "$SCRATCH/ok.md"
bad "bad slug" "invalid policy slug 'Bad Slug'" "$TILLIT" policy new "Bad Slug" --template backup
bad "bad review" 'unknown review "monthly" (expected one of: quarterly, semi-annual, annual)' \
    "$TILLIT" policy new x --template backup --review monthly
bad "unknown owner" "no person with email 'zed@acme.io'" "$TILLIT" policy new x --template backup --owner zed@acme.io
bad "duplicate slug" "policy 'rules' already exists" "$TILLIT" policy new rules --template backup
bad "edit needs something to change" "usage: tillit policy edit SLUG" "$TILLIT" policy edit rules
bad "edit with an unknown placeholder" "unknown placeholder '{{policy.signer}}' on line 4" \
    "$TILLIT" policy edit rules --file "$SCRATCH/unknown.md"
bad "edit to an empty title" "policy title must not be empty" "$TILLIT" policy edit rules --title ""
bad "edit unknown policy" "no policy 'nope'" "$TILLIT" policy edit nope --title X

bad "approver flag required" "person 'bob@acme.io' is not an approver" "$TILLIT" policy approve draft --by bob@acme.io
bad "approve twice" "version 1 of policy 'rules' is already approved (by ann@acme.io on 2026-02-01)" \
    "$TILLIT" policy approve rules --by ann@acme.io
bad "approve a missing version" "policy 'rules' has no version 7" "$TILLIT" policy approve rules --version 7 --by ann@acme.io
bad "approve in the future" "approval date '2026-12-24' is in the future (today is 2026-03-01)" \
    "$TILLIT" policy approve rules --by ann@acme.io --on 2026-12-24
bad "approve with a bad date" "approval date: '2026-02-30' is not a date" \
    "$TILLIT" policy approve rules --by ann@acme.io --on 2026-02-30
bad "approver of another organization" "no person with email 'eve@beta.io'" \
    "$TILLIT" policy approve draft --by eve@beta.io
bad "approve needs --by" "usage: tillit policy approve SLUG --by EMAIL" "$TILLIT" policy approve rules

bad "ack a missing version" "policy 'rules' has no version 7" "$TILLIT" policy ack rules --person ann@acme.io --version 7
bad "bad version number" "option '--version' must be a positive number, not 'two'" \
    "$TILLIT" policy ack rules --person ann@acme.io --version two
bad "ack twice" "person 'bob@acme.io' already acknowledged version 1 of policy 'rules'" \
    "$TILLIT" policy ack rules --person ann@acme.io,bob@acme.io
bad "ack by an unknown person (all or nothing)" "no person with email 'zed@acme.io'" \
    "$TILLIT" policy ack rules --person ann@acme.io,zed@acme.io
bad "ack by a leaver" "person 'cyd@acme.io' left on 2026-01-31, before 2026-03-01" \
    "$TILLIT" policy ack rules --person cyd@acme.io
bad "ack needs people" "usage: tillit policy ack SLUG --person" "$TILLIT" policy ack rules --person ,
bad "show a missing version" "policy 'rules' has no version 3" "$TILLIT" policy show rules --version 3
bad "acks of a missing version" "policy 'rules' has no version 3" "$TILLIT" policy acks rules --version 3
bad "unknown verb" "unknown subcommand 'policy publish'" "$TILLIT" policy publish
bad "remove unknown policy" "no policy 'nope'" "$TILLIT" policy remove nope
unchanged

bad "beta cannot see acme's policy" "no policy 'rules'" "$TILLIT" --org beta policy show rules
bad "beta cannot approve acme's policy" "no policy 'rules'" "$TILLIT" --org beta policy approve rules --by eve@beta.io
t "beta lists no policies" "$TILLIT" --org beta policy list --format csv
t "beta list is only a header" test "$(wc -l <"$SCRATCH/out")" -eq 1
unchanged

done_testing
