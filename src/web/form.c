/* form.c - forms: one description of the fields drives the HTML form, its
 * server-side validation, the messages next to the fields, and the JSON
 * API that accepts the same fields.
 *
 * A submission is taken from the form body (or the API's JSON object),
 * checked field by field for what a field alone can say (required, one of
 * the choices, a date, a number in range, a length), and then handed to
 * the app, which checks the rest and says what is wrong in a message that
 * names the field.  web__form_app_error() puts that message next to the
 * field it names (the field's "match" words), or above the form when it
 * names none.  The submitted values are kept, so a failed form comes back
 * as the user left it; a successful one redirects (POST, redirect, GET).
 */
#include "web/web_impl.h"

#include "app/person.h"
#include "base/date.h"
#include "base/js.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_MAX_DEFAULT 1000
#define TEXTAREA_MAX_DEFAULT 100000

void web__form_init(struct web_form *f, struct web_req *req, const char *id,
                    const struct web_field *fields, bool creating)
{
    memset(f, 0, sizeof(*f));
    f->req = req;
    f->id = id;
    f->fields = fields;
    f->creating = creating;
    f->values = json_object();
    f->errors = json_object();
    f->options = json_object();
    f->datalists = json_object();
    f->status = 400;
}

void web__form_release(struct web_form *f)
{
    json_decref(f->values);
    json_decref(f->errors);
    json_decref(f->options);
    json_decref(f->datalists);
    f->values = f->errors = f->options = f->datalists = NULL;
}

static const struct web_field *field(const struct web_form *f, const char *name)
{
    for (const struct web_field *x = f->fields; x->name; x++)
        if (strcmp(x->name, name) == 0)
            return x;
    return NULL;
}

static bool shown(const struct web_form *f, const struct web_field *x)
{
    if ((x->flags & WEB_FF_NEW_ONLY) && !f->creating)
        return false;
    if ((x->flags & WEB_FF_EDIT_ONLY) && f->creating)
        return false;
    return true;
}

void web__form_set(struct web_form *f, const char *name, const char *value)
{
    web__set_str(f->values, name, value);
}

void web__form_setb(struct web_form *f, const char *name, bool value)
{
    web__set_str(f->values, name, value ? "1" : "0");
}

void web__form_seti(struct web_form *f, const char *name, long long value)
{
    web__set_str(f->values, name, arena_printf(f->req->a, "%lld", value));
}

const char *web__fv(const struct web_form *f, const char *name)
{
    const json_t *v = json_object_get(f->values, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *web__fv_or_null(const struct web_form *f, const char *name)
{
    const char *v = web__fv(f, name);
    return v && *v ? v : NULL;
}

int web__fb(const struct web_form *f, const char *name)
{
    const char *v = web__fv(f, name);
    if (!v)
        return -1;
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0;
}

int web__fi(const struct web_form *f, const char *name, int dflt)
{
    const char *v = web__fv(f, name);
    if (!v || !*v)
        return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    return *end ? dflt : (int)n;
}

void web__form_fail(struct web_form *f, const char *name, const char *message)
{
    if (name && field(f, name)) {
        if (!json_object_get(f->errors, name))
            web__set_str(f->errors, name, message);
    } else if (!f->error) {
        f->error = arena_strdup(f->req->a, message);
    }
}

bool web__form_ok(const struct web_form *f)
{
    return json_object_size(f->errors) == 0 && !f->error;
}

void web__form_choices(struct web_form *f, const char *name, json_t *options)
{
    json_object_set_new(f->options, name, options);
}

void web__form_datalist(struct web_form *f, const char *id, json_t *values)
{
    json_object_set_new(f->datalists, id, values);
}

json_t *web__choice(const char *value, const char *label)
{
    json_t *o = json_object();
    web__set_str(o, "value", value);
    web__set_str(o, "label", label ? label : value);
    return o;
}

/* --- taking a submission ---------------------------------------------------- */

static char *trim(struct arena *a, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

/* Every value of a repeated form field, comma-joined. */
static char *all_values(struct web_req *req, const char *name)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < req->form.n; i++) {
        if (strcmp(req->form.items[i].key, name) != 0 || !*req->form.items[i].value)
            continue;
        sb_addf(&sb, "%s%s", sb.len ? "," : "", req->form.items[i].value);
    }
    char *out = arena_strdup(req->a, sb.buf);
    sb_release(&sb);
    return out;
}

const char *const *web__f_all(struct web_req *req, const char *name, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < req->form.n; i++)
        k += strcmp(req->form.items[i].key, name) == 0 && *req->form.items[i].value;
    const char **out = arena_calloc(req->a, k + 1, sizeof(*out));
    *n = 0;
    for (size_t i = 0; i < req->form.n; i++)
        if (strcmp(req->form.items[i].key, name) == 0 && *req->form.items[i].value)
            out[(*n)++] = req->form.items[i].value;
    return out;
}

static int take_json(struct web_form *f, struct err *e)
{
    struct web_req *req = f->req;
    json_t *body = NULL;
    if (req->body_len == 0)
        return ERR_SET(e, TL_EINPUT, "the request needs a JSON object body");
    int rc = js_parse("body", req->body, req->body_len, &body, e);
    if (rc)
        return rc;
    if (!json_is_object(body)) {
        json_decref(body);
        return ERR_SET(e, TL_EINPUT, "the body must be a JSON object");
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        const struct web_field *x = field(f, key);
        if (!x || !shown(f, x) || x->kind == WEB_FK_FILE) {
            rc = ERR_SET(e, TL_EINPUT, "unknown field '%s'", key);
            break;
        }
        if (json_is_string(v)) {
            web__form_set(f, key,
                          x->kind == WEB_FK_TEXTAREA ? json_string_value(v)
                                                     : trim(req->a, json_string_value(v)));
        } else if (json_is_integer(v)) {
            web__form_seti(f, key, (long long)json_integer_value(v));
        } else if (json_is_boolean(v)) {
            web__form_setb(f, key, json_is_true(v));
        } else if (json_is_null(v)) {
            web__form_set(f, key, "");
        } else if (json_is_array(v)) {
            struct sb sb = SB_INIT;
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it)
            {
                if (json_is_string(it))
                    sb_addf(&sb, "%s%s", sb.len ? "," : "", json_string_value(it));
            }
            web__form_set(f, key, sb.buf);
            sb_release(&sb);
        } else {
            rc = ERR_SET(e, TL_EINPUT, "field '%s' must be a string, number, boolean or list", key);
            break;
        }
    }
    json_decref(body);
    return rc;
}

int web__form_take(struct web_form *f, struct err *e)
{
    struct web_req *req = f->req;
    if (req->api && !web_kvs_get(&req->headers, "Content-Type", true))
        return ERR_SET(e, TL_EINPUT,
                       "send the fields as a JSON object (Content-Type: application/json)");
    const char *ct = web_kvs_get(&req->headers, "Content-Type", true);
    if (req->api && strncasecmp(ct, "application/json", 16) == 0)
        return take_json(f, e);
    for (const struct web_field *x = f->fields; x->name; x++) {
        if (!shown(f, x) || x->kind == WEB_FK_FILE)
            continue;
        const char *v = web__f(req, x->name);
        if (x->kind == WEB_FK_CHECKBOX) {
            /* A browser sends a checkbox only when it is ticked; the
             * hidden "<name>__shown" marker says the box was on the form,
             * so an API client that leaves it out changes nothing. */
            if (v || !req->api || web__f(req, arena_printf(req->a, "%s__shown", x->name)))
                web__form_setb(f, x->name, v && *v && strcmp(v, "0") != 0);
        } else if (x->kind == WEB_FK_CHECKS) {
            if (v || !req->api)
                web__form_set(f, x->name, all_values(req, x->name));
        } else if (v) {
            web__form_set(f, x->name, x->kind == WEB_FK_TEXTAREA ? v : trim(req->a, v));
        }
    }
    return 0;
}

/* --- checking ----------------------------------------------------------------- */

static const char *fill(struct web_req *req, const char *text, long long min, long long max)
{
    struct sb sb = SB_INIT;
    for (const char *p = text; *p;) {
        if (strncmp(p, "{min}", 5) == 0) {
            sb_addf(&sb, "%lld", min);
            p += 5;
        } else if (strncmp(p, "{max}", 5) == 0) {
            sb_addf(&sb, "%lld", max);
            p += 5;
        } else {
            sb_addc(&sb, *p++);
        }
    }
    char *out = arena_strdup(req->a, sb.buf);
    sb_release(&sb);
    return out;
}

static bool in_options(const struct web_form *f, const struct web_field *x, const char *v)
{
    if (x->options) {
        for (size_t i = 0; x->options[i]; i++)
            if (strcmp(x->options[i], v) == 0)
                return true;
        return false;
    }
    const json_t *opts = json_object_get(f->options, x->name);
    if (!opts)
        return true; /* free choice: the app decides */
    size_t i;
    const json_t *o;
    json_array_foreach(opts, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "value")), v) == 0)
            return true;
    }
    return false;
}

static bool check_field(struct web_form *f, const struct web_field *x, const char *v)
{
    struct web_req *req = f->req;
    bool empty = !v || !*v;
    if (x->flags & WEB_FF_REQUIRED) {
        if ((f->creating && empty) || (v && !*v)) {
            web__form_fail(f, x->name, web__t(req, "form.required"));
            return false;
        }
    }
    if (empty)
        return true;
    size_t max = x->max > 0                   ? (size_t)x->max
                 : x->kind == WEB_FK_TEXTAREA ? TEXTAREA_MAX_DEFAULT
                                              : TEXT_MAX_DEFAULT;
    switch (x->kind) {
    case WEB_FK_SELECT:
        if (!in_options(f, x, v)) {
            web__form_fail(f, x->name, web__t(req, "form.choose"));
            return false;
        }
        return true;
    case WEB_FK_CHECKS: {
        const char *p = v;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            char *one = arena_strndup(req->a, p, n);
            if (*one && !in_options(f, x, one)) {
                web__form_fail(f, x->name, web__t(req, "form.choose"));
                return false;
            }
            p += n + (comma ? 1 : 0);
        }
        return true;
    }
    case WEB_FK_DATE: {
        tl_date d;
        struct err de = ERR_INIT;
        if (date_parse(v, &d, &de) != 0) {
            web__form_fail(f, x->name, web__t(req, "form.date"));
            return false;
        }
        return true;
    }
    case WEB_FK_NUMBER: {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end || n < x->min || n > x->max) {
            web__form_fail(f, x->name, fill(req, web__t(req, "form.number"), x->min, x->max));
            return false;
        }
        return true;
    }
    case WEB_FK_CHECKBOX:
        return true;
    default:
        if (strlen(v) > max) {
            web__form_fail(f, x->name, fill(req, web__t(req, "form.too_long"), 0, (long long)max));
            return false;
        }
        return true;
    }
}

/* The hidden "version" field of an edit form: the version of the record
 * the form was loaded at (docs/web.md, "Concurrent edits"). */
static bool is_version_field(const struct web_field *x)
{
    return x->kind == WEB_FK_HIDDEN && strcmp(x->name, "version") == 0;
}

static bool has_version_field(const struct web_form *f)
{
    for (const struct web_field *x = f->fields; x->name; x++)
        if (is_version_field(x) && shown(f, x))
            return true;
    return false;
}

/* The version number v says, or 0 when v is not a positive whole number
 * small enough for web__fi. */
static long long parse_version(const char *v)
{
    if (!v || *v < '0' || *v > '9')
        return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    return *end || errno || n < 1 || n > INT_MAX ? 0 : n;
}

/* The version an edit is based on: 0 when the submission gave none. */
static long long submitted_version(const struct web_form *f)
{
    return has_version_field(f) ? parse_version(web__fv(f, "version")) : 0;
}

/* A version that is given must be a number; on a page the field is
 * hidden, so its message goes above the form. */
static void check_version(struct web_form *f)
{
    const char *v = web__fv(f, "version");
    if (!has_version_field(f) || !v || !*v || parse_version(v))
        return;
    web__form_fail(f, f->req->api ? "version" : NULL, web__t(f->req, "conflict.bad_version"));
}

bool web__form_check(struct web_form *f)
{
    for (const struct web_field *x = f->fields; x->name; x++) {
        if (!shown(f, x) || x->kind == WEB_FK_FILE || x->kind == WEB_FK_HIDDEN)
            continue;
        check_field(f, x, web__fv(f, x->name));
    }
    check_version(f);
    return web__form_ok(f);
}

/* The length of the longest of the '|'-separated words that message
 * mentions as whole words (case-insensitive), 0 when none. */
static size_t mentions(const char *message, const char *words)
{
    char word[64];
    size_t best = 0;
    const char *p = words;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n > best && n < sizeof(word)) {
            memcpy(word, p, n);
            word[n] = '\0';
            for (const char *m = message; *m; m++)
                if (strncasecmp(m, word, n) == 0 &&
                    (m == message || !isalnum((unsigned char)m[-1])) &&
                    !isalnum((unsigned char)m[n])) {
                    best = n;
                    break;
                }
        }
        p += n + (bar ? 1 : 0);
    }
    return best;
}

int web__form_app_error(struct web_form *f, int rc, const struct err *e)
{
    if (rc != TL_EINPUT && rc != TL_EUSAGE && rc != TL_ENOTFOUND && rc != TL_EEXIST &&
        rc != TL_ECONFLICT)
        return rc;
    f->status = rc == TL_EEXIST || rc == TL_ECONFLICT ? 409 : 400;
    const char *msg = e->msg[0] ? e->msg : err_text(rc);
    /* The field whose words match longest: "person with email" says
     * manager rather than email, "end date" end rather than start. */
    const struct web_field *best = NULL;
    size_t best_len = 0;
    for (const struct web_field *x = f->fields; x->name; x++) {
        if (!shown(f, x) || x->kind == WEB_FK_HIDDEN)
            continue;
        char dflt[64];
        const char *words = x->match;
        if (!words) {
            snprintf(dflt, sizeof(dflt), "%s", x->name);
            for (char *c = dflt; *c; c++)
                if (*c == '_')
                    *c = ' ';
            words = dflt;
        }
        size_t len = mentions(msg, words);
        if (len > best_len) {
            best = x;
            best_len = len;
        }
    }
    web__form_fail(f, best ? best->name : NULL, msg);
    return 0;
}

/* --- rendering ------------------------------------------------------------------ */

static const char *input_type(enum web_field_kind k)
{
    switch (k) {
    case WEB_FK_EMAIL:
        return "email";
    case WEB_FK_DATE:
        return "date";
    case WEB_FK_NUMBER:
        return "number";
    default:
        return "text";
    }
}

static bool listed(const char *csv, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = csv; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        if (k == n && strncmp(p, v, n) == 0)
            return true;
        p += k + (comma ? 1 : 0);
    }
    return false;
}

static json_t *options_json(const struct web_form *f, const struct web_field *x, const char *id,
                            const char *value)
{
    struct web_req *req = f->req;
    json_t *arr = json_array();
    if (x->options) {
        for (size_t i = 0; x->options[i]; i++) {
            const char *label =
                x->option_labels
                    ? web__t(req, arena_printf(req->a, "%s.%s", x->option_labels, x->options[i]))
                    : x->options[i];
            json_array_append_new(arr, web__choice(x->options[i], label));
        }
    } else {
        const json_t *dyn = json_object_get(f->options, x->name);
        if (dyn)
            json_array_extend(arr, (json_t *)dyn);
    }
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        json_t *c = json_deep_copy(o);
        const char *v = json_string_value(json_object_get(c, "value"));
        web__set_bool(c, "selected",
                      value &&
                          (x->kind == WEB_FK_CHECKS ? listed(value, v) : strcmp(value, v) == 0));
        web__set_str(c, "id", arena_printf(req->a, "%s-%s", id, v));
        json_array_append_new(out, c);
    }
    json_decref(arr);
    return out;
}

static json_t *field_json(const struct web_form *f, const struct web_field *x)
{
    struct web_req *req = f->req;
    const char *id = arena_printf(req->a, "%s-%s", f->id, x->name);
    const char *value = web__fv(f, x->name);
    const json_t *err = json_object_get(f->errors, x->name);
    const char *hint = x->hint ? web__t(req, x->hint) : NULL;
    json_t *o = json_object();
    web__set_str(o, "name", x->name);
    web__set_str(o, "id", id);
    web__set_str(o, "label", web__t(req, x->label));
    web__set_str(o, "value", x->kind == WEB_FK_FILE ? NULL : value);
    json_object_set_new(o, "error", err ? json_deep_copy(err) : json_null());
    web__set_str(o, "hint", hint);
    web__set_bool(o, "required", (x->flags & WEB_FF_REQUIRED) != 0);
    web__set_bool(o, "hidden", x->kind == WEB_FK_HIDDEN);
    web__set_bool(o, "visible", x->kind != WEB_FK_HIDDEN);
    web__set_bool(o, "is_input",
                  x->kind == WEB_FK_TEXT || x->kind == WEB_FK_EMAIL || x->kind == WEB_FK_DATE ||
                      x->kind == WEB_FK_NUMBER);
    web__set_bool(o, "is_textarea", x->kind == WEB_FK_TEXTAREA);
    web__set_bool(o, "is_select", x->kind == WEB_FK_SELECT);
    web__set_bool(o, "is_checkbox", x->kind == WEB_FK_CHECKBOX);
    web__set_bool(o, "is_checks", x->kind == WEB_FK_CHECKS);
    web__set_bool(o, "is_file", x->kind == WEB_FK_FILE);
    web__set_bool(o, "is_plain", x->kind != WEB_FK_CHECKBOX && x->kind != WEB_FK_CHECKS);
    web__set_bool(o, "checked", x->kind == WEB_FK_CHECKBOX && value && strcmp(value, "1") == 0);
    web__set_bool(o, "blank", (x->flags & WEB_FF_BLANK) != 0);
    web__set_bool(o, "multiple", (x->flags & WEB_FF_MULTIPLE) != 0);
    web__set_str(o, "input_type", input_type(x->kind));
    web__set_int(o, "rows", x->rows ? x->rows : 6);
    if (x->kind == WEB_FK_NUMBER) {
        web__set_str(o, "min", arena_printf(req->a, "%d", x->min));
        web__set_str(o, "max", arena_printf(req->a, "%d", x->max));
    } else {
        json_object_set_new(o, "min", json_null());
        json_object_set_new(o, "max", json_null());
    }
    if ((x->kind == WEB_FK_TEXT || x->kind == WEB_FK_EMAIL) && x->max > 0)
        web__set_int(o, "maxlength", x->max);
    else
        json_object_set_new(o, "maxlength", json_null());
    web__set_str(o, "list", x->datalist ? arena_printf(req->a, "dl-%s", x->datalist) : NULL);
    web__set_str(o, "autocomplete", x->kind == WEB_FK_EMAIL || x->datalist ? "off" : NULL);
    struct sb by = SB_INIT;
    if (hint)
        sb_addf(&by, "%s-hint", id);
    if (err)
        sb_addf(&by, "%s%s-error", by.len ? " " : "", id);
    web__set_str(o, "describedby", by.len ? by.buf : NULL);
    sb_release(&by);
    if (x->kind == WEB_FK_SELECT || x->kind == WEB_FK_CHECKS)
        json_object_set_new(o, "options", options_json(f, x, id, value));
    else
        json_object_set_new(o, "options", json_array());
    return o;
}

json_t *web__form_data(const struct web_form *f, const char *action, const char *submit)
{
    struct web_req *req = f->req;
    json_t *o = json_object(), *fields = json_array(), *list = json_array();
    bool multipart = false;
    for (const struct web_field *x = f->fields; x->name; x++) {
        if (!shown(f, x))
            continue;
        json_array_append_new(fields, field_json(f, x));
        multipart |= x->kind == WEB_FK_FILE;
        const json_t *err = json_object_get(f->errors, x->name);
        if (err) {
            json_t *item = json_object();
            web__set_str(item, "target", arena_printf(req->a, "%s-%s", f->id, x->name));
            web__set_str(item, "label", web__t(req, x->label));
            json_object_set(item, "message", (json_t *)err);
            json_array_append_new(list, item);
        }
    }
    web__set_str(o, "id", f->id);
    web__set_str(o, "action", action);
    web__set_str(o, "submit", submit);
    web__set_bool(o, "multipart", multipart);
    json_object_set_new(o, "fields", fields);
    json_object_set_new(o, "error_list", list);
    web__set_str(o, "error", f->error);
    web__set_bool(o, "has_errors", !web__form_ok(f));
    json_t *dls = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(f->datalists, key, v)
    {
        json_t *d = json_object();
        web__set_str(d, "id", arena_printf(req->a, "dl-%s", key));
        json_object_set(d, "values", v);
        json_array_append_new(dls, d);
    }
    json_object_set_new(o, "datalists", dls);
    return o;
}

void web__form_problem(struct web_form *f, struct web_resp *resp)
{
    json_t *o = json_object();
    web__set_str(o, "type", "about:blank");
    web__set_str(o, "title", f->status == 409 ? "Conflict" : "Bad Request");
    web__set_int(o, "status", f->status);
    const char *detail = f->error;
    const char *key;
    json_t *v;
    json_object_foreach(f->errors, key, v)
    {
        if (!detail)
            detail = arena_printf(f->req->a, "%s: %s", key, json_string_value(v));
    }
    web__set_str(o, "detail", detail ? detail : "invalid input");
    json_object_set(o, "errors", f->errors);
    web__json(resp, f->status, o);
    resp->content_type = "application/problem+json";
}

int web__people_datalist(struct web_form *f, struct err *e)
{
    struct web_req *req = f->req;
    struct app_person *p;
    size_t n;
    struct app_person_filter pf = {.active_only = 1};
    int rc = app_person_list(req->app, req->a, req->org.id, &pf, &p, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(p[i].email, p[i].name));
    web__form_datalist(f, "people", arr);
    return 0;
}

/* --- records' versions: ETag, If-Match, stale edits -------------------------------- */

void web__etag(struct web_resp *resp, const json_t *record)
{
    const json_t *v = json_object_get(record, "version");
    if (!json_is_integer(v))
        return;
    char tag[32];
    snprintf(tag, sizeof(tag), "\"%lld\"", (long long)json_integer_value(v));
    web_resp_header(resp, "ETag", tag);
}

int web__send_record(struct web_resp *resp, int rc, json_t *const *record)
{
    if (rc == 0) {
        web__etag(resp, *record);
        web__json(resp, 200, *record);
    }
    return rc;
}

/* The API's If-Match header on an edit: "N" (also W/"N" or N) is the
 * version the change is based on, like "version" in the body; "*" is any
 * version.  A header that is no version, or one that disagrees with the
 * body's, is a 400 on the field version. */
static void take_if_match(struct web_form *f)
{
    struct web_req *req = f->req;
    const char *h = web_kvs_get(&req->headers, "If-Match", true);
    if (!req->api || f->creating || !h || !has_version_field(f))
        return;
    char *tag = trim(req->a, h);
    if (strcmp(tag, "*") == 0)
        return;
    if (strncmp(tag, "W/", 2) == 0)
        tag += 2;
    size_t n = strlen(tag);
    if (n >= 2 && tag[0] == '"' && tag[n - 1] == '"') {
        tag[n - 1] = '\0';
        tag++;
    }
    const char *body = web__fv(f, "version");
    if (!parse_version(tag))
        web__form_fail(f, "version", web__t(req, "conflict.bad_if_match"));
    else if (body && *body && strcmp(body, tag) != 0)
        web__form_fail(f, "version", web__t(req, "conflict.if_match_differs"));
    else
        web__form_set(f, "version", tag);
}

/* Whether a and b are the same text, line ends aside (browsers send CRLF). */
static bool same_text(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    for (;;) {
        while (*a == '\r')
            a++;
        while (*b == '\r')
            b++;
        if (*a != *b)
            return false;
        if (!*a)
            return true;
        a++;
        b++;
    }
}

/* A value of field x as the user reads it: the label of a choice, yes or
 * no for a box, "(empty)" for nothing. */
static const char *shown_value(struct web_req *req, const struct web_field *x, const char *v)
{
    if (x->kind == WEB_FK_CHECKBOX)
        return web__t(req, v && strcmp(v, "1") == 0 ? "conflict.answer_yes" : "conflict.answer_no");
    if (!v || !*v)
        return web__t(req, "conflict.empty");
    if (x->kind == WEB_FK_SELECT && x->option_labels)
        return web__t(req, arena_printf(req->a, "%s.%s", x->option_labels, v));
    return v;
}

/* The fields whose value in the record now differs from the user's input:
 * [{label, current, yours}]. */
static json_t *stale_changes(const struct web_form *f, const struct web_form *now)
{
    json_t *arr = json_array();
    for (const struct web_field *x = f->fields; x->name; x++) {
        if (!shown(f, x) || x->kind == WEB_FK_HIDDEN || x->kind == WEB_FK_FILE)
            continue;
        const char *mine = web__fv(f, x->name), *cur = web__fv(now, x->name);
        if (!mine || same_text(mine, cur))
            continue;
        json_t *o = json_object();
        web__set_str(o, "name", x->name);
        web__set_str(o, "label", web__t(f->req, x->label));
        web__set_str(o, "current", shown_value(f->req, x, cur));
        web__set_str(o, "yours", shown_value(f->req, x, mine));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Who made the record's last change and when (its newest audit entry). */
static int last_change(struct web_req *req, const struct web_formspec *spec, json_t *out,
                       struct err *e)
{
    const char *key = spec->audit_key ? spec->audit_key(req)
                      : spec->subject ? spec->subject(req)
                                      : spec->id;
    json_t *hist;
    int rc = web__history(req, spec->audit_type ? spec->audit_type : spec->id, key, &hist, e);
    if (rc)
        return rc;
    const json_t *last = json_array_get(hist, 0);
    web__set_str(out, "by", json_string_value(json_object_get(last, "actor")));
    web__set_str(out, "at", json_string_value(json_object_get(last, "at")));
    json_decref(hist);
    return 0;
}

/* After a save refused with TL_ECONFLICT: when the record's version is no
 * longer the one the form was loaded at, *stale describes the record as it
 * is now ({version, by, at, changes}) and the form's version becomes the
 * current one, so that saving the form again applies the user's values
 * knowingly.  *stale stays NULL for any other conflict. */
static int stale_record(struct web_req *req, const struct web_formspec *spec, struct web_form *f,
                        json_t **stale, struct err *e)
{
    *stale = NULL;
    struct web_form now;
    web__form_init(&now, req, spec->id, spec->fields, false);
    int rc = spec->load(req, &now, e);
    long long current = parse_version(web__fv(&now, "version"));
    if (rc == 0 && current && current != submitted_version(f)) {
        json_t *o = json_object();
        web__set_int(o, "version", current);
        json_object_set_new(o, "changes", stale_changes(f, &now));
        rc = last_change(req, spec, o, e);
        if (rc == 0) {
            web__form_seti(f, "version", current);
            *stale = o;
        } else {
            json_decref(o);
        }
    }
    web__form_release(&now);
    return rc;
}

/* The API's answer to a stale edit: 409 problem+json whose detail names
 * who changed the record, with its current version (also as the ETag). */
static void stale_problem(struct web_form *f, const json_t *stale, struct web_resp *resp)
{
    json_t *o = json_object();
    web__set_str(o, "type", "about:blank");
    web__set_str(o, "title", "Conflict");
    web__set_int(o, "status", 409);
    web__set_str(o, "detail", f->error);
    json_object_set(o, "version", json_object_get(stale, "version"));
    json_object_set(o, "changed_by", json_object_get(stale, "by"));
    json_object_set(o, "changed_at", json_object_get(stale, "at"));
    json_object_set(o, "errors", f->errors);
    web__etag(resp, stale);
    web__json(resp, 409, o);
    resp->content_type = "application/problem+json";
}

/* Calls the spec's save; an app error about the input goes on the form,
 * a stale edit also fills *stale (stale_record). */
static int save_form(struct web_req *req, const struct web_formspec *spec, struct web_form *f,
                     const char **key, json_t **stale, struct err *e)
{
    struct err ae = ERR_INIT;
    int rc = spec->save(req, f, key, &ae);
    if (rc == TL_ECONFLICT && submitted_version(f)) {
        int lr = stale_record(req, spec, f, stale, e);
        if (lr)
            return lr;
        if (*stale) {
            f->status = 409;
            web__form_fail(f, NULL, ae.msg);
            return 0;
        }
    }
    if (rc)
        rc = web__form_app_error(f, rc, &ae);
    if (rc)
        *e = ae;
    return rc;
}

/* --- the generic form pages --------------------------------------------------- */

static int spec_page(struct web_req *req, struct web_resp *resp, const struct web_formspec *spec,
                     struct web_form *f, const json_t *stale, struct err *e)
{
    int rc = spec->prepare ? spec->prepare(req, f, e) : 0;
    if (rc)
        return rc;
    json_t *d = json_object();
    const char *title = web__t(req, f->creating ? spec->title_new : spec->title_edit);
    if (!f->creating && spec->subject)
        title = arena_printf(req->a, "%s: %s", title, spec->subject(req));
    web__set_str(d, "heading", title);
    web__set_str(d, "back", spec->back(req));
    web__set_str(d, "back_label", web__t(req, spec->back_label));
    web__set_str(d, "intro", spec->intro ? web__t(req, spec->intro) : NULL);
    web__set_str(d, "remove_action", !f->creating && spec->remove ? spec->remove(req) : NULL);
    if (stale)
        json_object_set(d, "conflict", (json_t *)stale);
    json_object_set_new(d, "form",
                        web__form_data(f, spec->action(req, f->creating),
                                       web__t(req, f->creating ? "form.create" : "form.save")));
    bool failed = !web__form_ok(f);
    rc = web__page(req, resp, "form", title, d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

int web__form_show(struct web_req *req, struct web_resp *resp, const struct web_formspec *spec,
                   bool creating, struct err *e)
{
    struct web_form f;
    web__form_init(&f, req, spec->id, spec->fields, creating);
    int rc = 0;
    if (creating && spec->defaults)
        spec->defaults(req, &f);
    if (!creating)
        rc = spec->load(req, &f, e);
    if (rc == 0)
        rc = spec_page(req, resp, spec, &f, NULL, e);
    web__form_release(&f);
    return rc;
}

int web__form_submit(struct web_req *req, struct web_resp *resp, const struct web_formspec *spec,
                     bool creating, struct err *e)
{
    struct web_form f;
    web__form_init(&f, req, spec->id, spec->fields, creating);
    int rc = 0;
    if (!creating) {
        /* The record must exist (404 otherwise) before the form is read;
         * the values it had are what the API leaves alone. */
        struct web_form old;
        web__form_init(&old, req, spec->id, spec->fields, false);
        rc = spec->load(req, &old, e);
        web__form_release(&old);
    }
    if (rc == 0)
        rc = web__form_take(&f, e);
    if (rc == 0)
        take_if_match(&f);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    if (rc) {
        web__form_release(&f);
        return rc;
    }
    /* Choices that come from the database are needed to check the form. */
    if (spec->prepare)
        rc = spec->prepare(req, &f, e);
    const char *key = NULL;
    json_t *stale = NULL;
    if (rc == 0 && web__form_check(&f))
        rc = save_form(req, spec, &f, &key, &stale, e);
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *out = NULL;
            rc = spec->api_out(req, key, &out, e);
            if (rc == 0) {
                web__etag(resp, out);
                web__json(resp, creating ? 201 : 200, out);
            }
        } else {
            web__redirect(resp, spec->done(req, key, creating));
        }
    } else if (rc == 0) {
        if (req->api && stale) {
            stale_problem(&f, stale, resp);
        } else if (req->api) {
            web__form_problem(&f, resp);
        } else {
            /* the dynamic choices were added above; spec_page adds them again */
            json_object_clear(f.options);
            json_object_clear(f.datalists);
            rc = spec_page(req, resp, spec, &f, stale, e);
        }
    }
    json_decref(stale);
    web__form_release(&f);
    return rc;
}

const char *web__form_subject_param1(struct web_req *req)
{
    return req->params[1];
}

int web__form_people_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    (void)req;
    return web__people_datalist(f, e);
}

const char *web__form_saved(struct web_req *req, const char *to, bool creating)
{
    return web__done(req, to, creating ? "created" : "saved");
}
