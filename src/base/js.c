/* js.c - jansson helpers. */
#include "base/js.h"

#include <string.h>

int js_parse(const char *path, const char *data, size_t len, json_t **out, struct err *e)
{
    json_error_t je;
    *out = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (*out)
        return 0;
    ERR_SET(e, TL_EINPUT, "invalid JSON: %s", je.text);
    err_where(e, path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1);
    return TL_EINPUT;
}

static int dump_cb(const char *buf, size_t size, void *data)
{
    return sb_add(data, buf, size) == 0 ? 0 : -1;
}

int js_dump(struct sb *sb, const json_t *v, int pretty)
{
    size_t flags = JSON_SORT_KEYS | JSON_ENCODE_ANY;
    flags |= pretty ? JSON_INDENT(2) : JSON_COMPACT;
    if (json_dump_callback(v, dump_cb, sb, flags) != 0)
        return TL_ETOOBIG;
    return 0;
}

int js_req_str(const json_t *o, const char *jpath, const char *key, const char **out,
               struct err *e)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) {
        ERR_SET(e, TL_EINPUT, "%s '%s.%s'", v ? "expected a string at" : "missing", jpath, key);
        return TL_EINPUT;
    }
    *out = json_string_value(v);
    return 0;
}

void js_set_str(json_t *o, const char *key, const char *s)
{
    json_object_set_new(o, key, s ? json_string(s) : json_null());
}
