#!/bin/sh
# UI strings: every key the templates and the web code use exists in
# English, and Swedish has every English key (so no page falls back to
# English); pages render in both languages without a raw key.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"

SRC=${TILLIT_SRC:-}
if [ ! -d "$SRC/content/i18n" ] || ! python3 -c 'import yaml' 2>/dev/null; then
    echo "1..0 # SKIP needs TILLIT_SRC and python3 with PyYAML"
    exit 0
fi
python3 - "$SRC" >"$SCRATCH/out" 2>&1 <<'PY'
import glob, re, sys, yaml
src = sys.argv[1]
en = yaml.safe_load(open(src + "/content/i18n/en.yaml"))
sv = yaml.safe_load(open(src + "/content/i18n/sv.yaml"))
def has(d, key):
    for part in key.split("."):
        if not isinstance(d, dict) or part not in d:
            return False
        d = d[part]
    return isinstance(d, str)
def leaves(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from leaves(v, prefix + k + ".")
        else:
            yield prefix + k
keys = set()
for f in glob.glob(src + "/content/templates/*.html"):
    keys |= set(re.findall(r"\{\{t\.([a-z0-9_.]+)\}\}", open(f).read()))
for f in glob.glob(src + "/src/web/*.c"):
    text = open(f).read()
    keys |= set(re.findall(r'web__t\(req, "([a-z0-9_.]+)"\)', text))
    keys |= set(re.findall(r'\.(?:label|hint|title_new|title_edit|back_label|intro) = "([a-z0-9_.]+)"', text))
missing = sorted(k for k in keys if not has(en, k))
untranslated = sorted(k for k in leaves(en) if not has(sv, k))
print("keys used:", len(keys))
for k in missing:
    print("missing in en.yaml:", k)
for k in untranslated:
    print("missing in sv.yaml:", k)
sys.exit(1 if missing or untranslated else 0)
PY
rc=$?
if [ $rc -eq 0 ]; then ok "every UI key is in en.yaml and sv.yaml"; else not_ok "every UI key is in en.yaml and sv.yaml"; fi
sed 's/^/# /' "$SCRATCH/out" | head -20

done_testing
