#!/bin/sh
# The browser tests (tests/browser/run.mjs): Debian's chromium, driven by
# playwright-core, logs in to a 'tillit serve' of the test's own and goes
# through the program as a user would; screenshots go to build/screenshots/.
# Skips visibly when chromium, node or playwright-core (scripts/install-deps)
# is missing.
TDIR=$(cd "$(dirname "$0")" && pwd)
ROOT=${TILLIT_SRC:-$(cd "$TDIR/../.." && pwd)}
case ${TILLIT:-} in /* | "") ;; *) TILLIT=$(pwd)/$TILLIT ;; esac # lib.sh changes directory
. "$TDIR/lib.sh"

# skip_all REASON: a TAP skip, and ctest's skip status (SKIP_RETURN_CODE 77).
skip_all() {
    echo "ok 1 - browser tests # skip $1"
    echo "1..1"
    exit 77
}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "$CHROMIUM is not installed (scripts/install-deps installs chromium)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -f "$ROOT/node_modules/playwright-core/package.json" ] ||
    skip_all "node_modules/playwright-core is missing (scripts/install-deps runs npm ci)"

# The runner fills the database lib.sh made (SQLite or PostgreSQL) and
# serves it; on PostgreSQL the server connects as the app role, as deployed.
# The server keeps real time (sessions, evidence dates): no fixed clock.
export BROWSER_TEST_DB="$TILLIT_DB"
if [ "$T_BACKEND" = postgres ]; then
    export BROWSER_TEST_SERVE_DB="$TILLIT_TEST_DB_APP"
fi
unset TILLIT_NOW
export CHROMIUM
TILLIT=$TILLIT node "$ROOT/tests/browser/run.mjs"
