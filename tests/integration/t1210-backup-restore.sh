#!/bin/sh
# tillit backup / restore / migrate --to: whole-installation copies between
# and across backends; afterwards audit verify and evidence verify pass, and
# the copy holds what the original holds.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW=2026-10-01T09:00:00Z # the demo's dates lie in 2026
printf 'the access review of september\n' >"$SCRATCH/review.txt"
"$TILLIT" init >/dev/null && "$TILLIT" demo >/dev/null && "$TILLIT" org create beta --name Beta >/dev/null &&
    "$TILLIT" --org norrsken evidence add "$SCRATCH/review.txt" --control GOV-01 >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
entries=$("$TILLIT" audit verify | sed -n 's/ entries verified//p')

# same DESC DB: the copy at DB lists what the original lists.
same() {
    for what in "person list" "control list" "risk list" "vendor list" "evidence list" \
        "audit log --chain norrsken"; do
        # shellcheck disable=SC2086
        "$TILLIT" --org norrsken $what --format csv >"$SCRATCH/orig" 2>&1
        # shellcheck disable=SC2086
        "$TILLIT" --db "$2" --org norrsken $what --format csv >"$SCRATCH/copy" 2>&1
        if ! cmp -s "$SCRATCH/orig" "$SCRATCH/copy"; then
            not_ok "$1: '$what' differs"
            diff "$SCRATCH/orig" "$SCRATCH/copy" | head -5 | sed 's/^/# /'
            return
        fi
    done
    ok "$1: people, controls, risks, vendors, evidence and the audit log are the same"
}

# --- backup ----------------------------------------------------------------
t_exit 2 "backup needs -o" "$TILLIT" backup
err_has "needs -o FILE"
t "backup" "$TILLIT" backup -o "$SCRATCH/b1"
out_has "to $SCRATCH/b1; 1 evidence files to $SCRATCH/b1.vault"
if [ "$T_BACKEND" = sqlite ]; then
    t "an SQLite backup is an SQLite database" test "$(head -c 15 "$SCRATCH/b1")" = "SQLite format 3"
else
    t "a PostgreSQL backup is a dump in JSON lines" sh -c "head -1 \"$SCRATCH/b1\" | grep -q '\"tillit\":\"dump\"'"
    t "it ends with its end line" sh -c "tail -1 \"$SCRATCH/b1\" | grep -q '\"end\":true'"
fi
t "the blob is beside it" test "$(find "$SCRATCH/b1.vault" -type f | wc -l)" -eq 1
t_exit 2 "backup refuses to overwrite" "$TILLIT" backup -o "$SCRATCH/b1"
err_has "already exists"
t "the original still verifies" "$TILLIT" audit verify

# --- restore into SQLite ------------------------------------------------------
t "restore into a new SQLite file" env -u TILLIT_VAULT "$TILLIT" --db "$SCRATCH/r1.db" restore "$SCRATCH/b1"
out_has "restored .* into $SCRATCH/r1.db; 1 evidence files to $SCRATCH/r1.db.vault"
t "audit verify on the restored file" env -u TILLIT_VAULT "$TILLIT" --db "$SCRATCH/r1.db" audit verify
out_has "^$((entries + 1)) entries verified$"
t "the restore is in its installation chain" env -u TILLIT_VAULT "$TILLIT" --db "$SCRATCH/r1.db" \
    audit log --chain installation --format csv
out_has ",restore,installation,"
t "evidence verify on the restored file" env -u TILLIT_VAULT "$TILLIT" --db "$SCRATCH/r1.db" \
    --org norrsken evidence verify
same "restored into SQLite" "$SCRATCH/r1.db"
t_exit 2 "restore refuses a database that has tables" "$TILLIT" --db "$SCRATCH/r1.db" restore "$SCRATCH/b1"
err_has "is not empty"
t_exit 2 "restore of a missing file" "$TILLIT" --db "$SCRATCH/r2.db" restore "$SCRATCH/nothing"
err_has "no backup at"

# --- restore on this backend --------------------------------------------------
R2=$(db_new r2)
t "restore into a new database of this backend" "$TILLIT" --db "$R2" restore "$SCRATCH/b1" \
    --vault "$SCRATCH/v2"
t "audit verify there" "$TILLIT" --db "$R2" audit verify
out_has "^$((entries + 1)) entries verified$"
t "evidence verify there" env TILLIT_VAULT="$SCRATCH/v2" "$TILLIT" --db "$R2" --org norrsken evidence verify
same "restored into $T_BACKEND" "$R2"

# A damaged backup: nothing is restored.
if [ "$T_BACKEND" = postgres ]; then
    sed '$d' "$SCRATCH/b1" >"$SCRATCH/cut"
    R3=$(db_new r3)
    t_exit 2 "an incomplete dump is refused" "$TILLIT" --db "$R3" restore "$SCRATCH/cut" --vault "$SCRATCH/v3"
    err_has "incomplete"
    t_exit 2 "and the target stays empty" "$TILLIT" --db "$R3" audit verify
    err_has "no database at"
else
    head -c 8192 "$SCRATCH/b1" >"$SCRATCH/cut"
    t_fails "a cut SQLite backup is refused" "$TILLIT" --db "$SCRATCH/r3.db" restore "$SCRATCH/cut"
    t_exit 2 "and the target stays empty" "$TILLIT" --db "$SCRATCH/r3.db" audit verify
fi

# --- migrate --to ---------------------------------------------------------------
t_exit 2 "migrate needs --to" "$TILLIT" migrate
err_has "needs --to URL"
M=$(db_new m1)
t "migrate the restored SQLite file to this backend" env -u TILLIT_VAULT "$TILLIT" \
    --db "$SCRATCH/r1.db" migrate --to "$M" --vault "$SCRATCH/vm"
out_has "^copied .* rows of .* tables into .*; 1 evidence files to $SCRATCH/vm$"
t "audit verify on the migrated database" "$TILLIT" --db "$M" audit verify
out_has "^$((entries + 2)) entries verified$"
t "evidence verify on the migrated database" env TILLIT_VAULT="$SCRATCH/vm" "$TILLIT" --db "$M" \
    --org norrsken evidence verify
same "migrated to $T_BACKEND" "$M"
t_exit 2 "migrate refuses a target that has tables" env -u TILLIT_VAULT "$TILLIT" \
    --db "$SCRATCH/r1.db" migrate --to "$M"
err_has "is not empty"
t "the migrated database takes changes" "$TILLIT" --db "$M" --org beta person add a@beta.io --name A
t "and still verifies" "$TILLIT" --db "$M" audit verify

done_testing
