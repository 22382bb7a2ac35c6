# oscal-lib.sh - validating OSCAL JSON against NIST's schemas with ajv-cli
# (a test-only npm tool: package.json, installed by scripts/install-deps).
# Sourced after lib.sh. The schemas are in $SHARED_DIR/data/oscal/schemas.
#
# ajv flags: -c ajv-formats adds the formats the schemas use (uri-reference,
# date-time); --strict=false lets ajv take NIST's generated schemas, which
# carry keywords its strict mode rejects. ajv 8 compiles patterns with the
# RegExp 'u' flag, so the \p{L} / \p{N} token pattern works as written.
AJV="$TILLIT_SRC/node_modules/.bin/ajv"
SCHEMAS="${SHARED_DIR:-$TILLIT_SRC/../shared}/data/oscal/schemas"

have_ajv() { [ -x "$AJV" ] && [ -d "$SCHEMAS" ] && command -v node >/dev/null 2>&1; }

# oscal_valid DESC MODEL FILE: MODEL is catalog, ssp, assessment-results, poam.
oscal_valid() {
    if ! have_ajv; then skip "$1 (ajv-cli or the schemas not installed)"; return; fi
    t "$1" "$AJV" validate --strict=false -c ajv-formats -s "$SCHEMAS/oscal_$2_schema.json" -d "$3"
}
