# lib.sh - TAP helpers for integration tests. Each test sources this, gets a
# scratch directory of its own (removed at exit), and reports with ok/not ok.
set -u
: "${TILLIT:?TILLIT must point at the binary}"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/tillit-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH"
export TILLIT_DB="$SCRATCH/t.db"
export TILLIT_NOW="2026-03-01T09:00:00Z"
export TILLIT_ACTOR="test"
unset TILLIT_ORG
T_N=0
T_FAILED=0

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $1"; }

# t DESC CMD...: runs CMD, passes when it exits 0.
t() { desc=$1; shift; if "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; then ok "$desc"; else not_ok "$desc"; sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"; fi; }

# t_exit CODE DESC CMD...: runs CMD, passes when it exits with CODE.
t_exit() {
    want=$1; desc=$2; shift 2
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; got=$?
    if [ "$got" -eq "$want" ]; then ok "$desc"; else not_ok "$desc (exit $got, want $want)"; sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"; fi
}

# t_fails DESC CMD...: passes when CMD exits non-zero.
t_fails() {
    desc=$1; shift
    if "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; then not_ok "$desc (succeeded)"; else ok "$desc"; fi
}

# keep NAME: copies the last command's stdout to $SCRATCH/NAME for later checks.
keep() { cp "$SCRATCH/out" "$SCRATCH/$1"; }

# Checks on the last command's output.
out_has() { if grep -q -- "$1" "$SCRATCH/out"; then ok "stdout has '$1'"; else not_ok "stdout has '$1'"; sed 's/^/# /' "$SCRATCH/out" | head -20; fi; }
err_has() { if grep -q -- "$1" "$SCRATCH/err"; then ok "stderr has '$1'"; else not_ok "stderr has '$1'"; sed 's/^/# /' "$SCRATCH/err" | head -20; fi; }
err_lines() { n=$(wc -l <"$SCRATCH/err"); if [ "$n" -eq "$1" ]; then ok "stderr has $1 line(s)"; else not_ok "stderr has $1 line(s), got $n"; fi; }

done_testing() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; exit $?; }
