#!/bin/sh
# docs/openapi.yaml is a valid OpenAPI 3.1 document and describes exactly
# the API routes of the route table (src/web/router.c): every method and
# path of the one is in the other.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"

SPEC="${TILLIT_SRC:-}/docs/openapi.yaml"
ROUTER="${TILLIT_SRC:-}/src/web/router.c"
if [ ! -f "$SPEC" ] || [ ! -f "$ROUTER" ] || ! python3 -c 'import yaml' 2>/dev/null; then
    echo "1..0 # SKIP needs TILLIT_SRC and python3 with PyYAML"
    exit 0
fi

# "METHOD /path" of the router's API routes, lowercase method, as in the spec.
sed -n 's/^ *{"\([A-Z]*\)", "\/api\/v1\([^"]*\)".*/\1 \2/p' "$ROUTER" |
    awk '{ print tolower($1), $2 }' | sort >"$SCRATCH/router"
python3 - "$SPEC" >"$SCRATCH/spec" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
for path, item in d["paths"].items():
    for method in item:
        if method in ("get", "put", "post", "patch", "delete"):
            print(method, path)
PY
sort -o "$SCRATCH/spec" "$SCRATCH/spec"
n=$(wc -l <"$SCRATCH/router")
if [ "$n" -gt 50 ]; then ok "the router has $n API routes"; else not_ok "the router has $n API routes"; fi
missing=$(comm -23 "$SCRATCH/router" "$SCRATCH/spec")
if [ -z "$missing" ]; then ok "openapi.yaml describes every API route"; else not_ok "openapi.yaml describes every API route"; echo "$missing" | sed 's/^/# missing: /'; fi
extra=$(comm -13 "$SCRATCH/router" "$SCRATCH/spec")
if [ -z "$extra" ]; then ok "... and no route the server does not have"; else not_ok "... and no route the server does not have"; echo "$extra" | sed 's/^/# extra: /'; fi

if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    if python3 -c '
import sys
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
d, _ = read_from_filename(sys.argv[1])
validate(d)' "$SPEC" 2>"$SCRATCH/err"; then
        ok "openapi.yaml is a valid OpenAPI document"
    else
        not_ok "openapi.yaml is a valid OpenAPI document"
        sed 's/^/# /' "$SCRATCH/err" | tail -5
    fi
else
    ok "openapi.yaml is a valid OpenAPI document # SKIP openapi-spec-validator is not installed"
fi
if python3 -c "import yaml, sys; d = yaml.safe_load(open(sys.argv[1])); sys.exit(0 if d['openapi'] == '3.1.0' else 1)" "$SPEC"; then
    ok "... of version 3.1"
else
    not_ok "... of version 3.1"
fi

done_testing
