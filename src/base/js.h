/* js.h - thin helpers over jansson that keep the position of errors.
 *
 * The prefix is js_ because jansson owns json_.  Values are jansson's
 * reference-counted json_t: whoever gets a new reference (js_parse) owns it
 * and drops it with json_decref().  Parse errors carry "path:line:col";
 * lookups that fail carry the JSON path of the value ("$.controls[3].code").
 */
#ifndef TL_JS_H
#define TL_JS_H

#include "base/err.h"
#include "base/sb.h"

#include <jansson.h>

/** Parses text; *out is a new reference. Rejects duplicate keys and NUL bytes. */
int js_parse(const char *path, const char *data, size_t len, json_t **out, struct err *e);

/** Serialises v compactly with sorted keys (stable output), appended to sb. */
int js_dump(struct sb *sb, const json_t *v, int pretty);

/** String member key of object o; fails naming jpath.key when missing or not a string. */
int js_req_str(const json_t *o, const char *jpath, const char *key, const char **out,
               struct err *e);

/** Adds key: string to o, or null when s is NULL. */
void js_set_str(json_t *o, const char *key, const char *s);

#endif
