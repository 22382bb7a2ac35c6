/* web_impl.h - what the files of src/web share: the route table, page
 * and API helpers.  Not for use outside src/web (and its unit tests).
 *
 * A handler returns 0 after filling the response, or a TL_E* code with
 * req's error set; the dispatcher then answers with an error page or a
 * problem+json document whose status follows the code (web__status).
 * Everything a handler allocates lives in req->a.
 */
#ifndef TL_WEB_IMPL_H
#define TL_WEB_IMPL_H

#include "web/web.h"

enum web_route_flags {
    WEB_PUBLIC = 1 << 0,      /* no login needed */
    WEB_ORG = 1 << 1,         /* the first {param} is an organization slug: app_authz */
    WEB_API = 1 << 2,         /* JSON API: bearer tokens accepted, problem+json errors */
    WEB_UPLOAD = 1 << 3,      /* takes multipart files (streamed to disk: server.c) */
    WEB_ENG_REQUEST = 1 << 4, /* an upload into engagement {eng}'s requests: the gate
                                 checks APP_ENG_REQUEST before a byte is written */
};

struct web_route {
    const char *method;
    const char *pattern; /* "/o/{org}/controls/{code}"; a trailing "*" matches the rest */
    int (*fn)(struct web_req *req, struct web_resp *resp, struct err *e);
    unsigned flags;
    enum app_action action; /* checked with WEB_ORG */
};

/** The route table (router.c), ending with a NULL method. */
extern const struct web_route web__routes[];

/** HTTP status for an error code. */
int web__status(int code);

/** Whether a multipart POST to req->path may upload files: its route has
 *  WEB_UPLOAD, and the client is authenticated and allowed the route's
 *  action in its organization (the checks the request itself will pass).
 *  Called by the server before it writes any byte of a file. */
bool web__upload_gate(struct web_req *req);

/** The security headers every response carries (router.c). */
void web__security_headers(struct web_resp *resp, bool cacheable);

/* --- JSON helpers (invalid UTF-8 becomes U+FFFD instead of vanishing) --- */

void web__set_str(json_t *o, const char *key, const char *s);
void web__set_int(json_t *o, const char *key, long long v);
void web__set_bool(json_t *o, const char *key, bool v);
json_t *web__str(const char *s);

/* --- responses ------------------------------------------------------------ */

/** Renders page templates/<name>.html inside the layout, with data (taken:
 *  its reference is dropped).  Adds user, org, orgs, csrf, lang, nav. */
int web__page(struct web_req *req, struct web_resp *resp, const char *name, const char *title,
              json_t *data, struct err *e);

/** Sends v (taken) as JSON with status. */
void web__json(struct web_resp *resp, int status, json_t *v);

/** An RFC 9457 problem document. */
void web__problem(struct web_req *req, struct web_resp *resp, int status, const char *detail);

/** A 303 redirect to location (a path on this site). */
void web__redirect(struct web_resp *resp, const char *location);

/** Handles ?format=csv|json|xlsx for a list page: when asked, writes rows
 *  (an array of objects, borrowed) as CSV or XLSX with cols, or as JSON,
 *  and returns true.  name is the download's file name without extension.
 *  An XLSX that cannot be written becomes a 500 response. */
bool web__export(struct web_req *req, struct web_resp *resp, const json_t *rows,
                 const char *const *cols, const char *name);

/** Writes rows (borrowed) with cols as a one-sheet workbook named sheet
 *  into out: a bold frozen header row with a filter, strings as strings
 *  (never formulas), numbers as numbers (export.c). */
int web__xlsx(const json_t *rows, const char *const *cols, const char *sheet, struct sb *out,
              struct err *e);

/** A download: body bytes already in resp; sets the type and an
 *  attachment file name "<org>-<name>.<ext>". */
void web__download(struct web_req *req, struct web_resp *resp, const char *type, const char *name,
                   const char *ext);

/** The query string (starting with '&') that repeats the given filters
 *  of the request, for export links; "" when none is set. */
const char *web__filter_query(struct web_req *req, const char *const *keys);

/** Sets a cookie: Path=/, HttpOnly, SameSite=Lax, Secure when the client
 *  sees https; max_age 0 deletes it, -1 makes it a session cookie. */
void web__cookie(struct web_req *req, struct web_resp *resp, const char *name, const char *value,
                 long max_age);

/** An HTML error page (or problem+json for the API) with status. */
void web__error(struct web_req *req, struct web_resp *resp, int status, const char *detail);

/** A query parameter, or NULL when absent or empty. */
const char *web__q(const struct web_req *req, const char *key);

/** A form field, or NULL when absent. */
const char *web__f(const struct web_req *req, const char *key);

/** A UI string by dotted key in the request's language (the key when missing). */
const char *web__t(const struct web_req *req, const char *key);

/** The label of value in a UI string group ("status", "done" -> "Done"). */
const char *web__label(struct web_req *req, const char *group, const char *value);

/** s percent-encoded for a path segment or query value (in req->a). */
const char *web__enc(struct web_req *req, const char *s);

/** Where a member of organization slug with role starts: its dashboard,
 *  or for an auditor its engagements (page.c). */
const char *web__home_path(struct web_req *req, const char *slug, const char *role);

/** "/o/<org>" followed by suffix (already encoded), in req->a. */
const char *web__org_path(struct web_req *req, const char *suffix);

/** A local path to go to after a form (the "next" field), when it stays
 *  in the request's organization; otherwise dflt. */
const char *web__next(struct web_req *req, const char *dflt);

/** Appends "?done=<key>" (or "&done=") to a path: the page then shows the
 *  UI string done.<key> as a status message. */
const char *web__done(struct web_req *req, const char *path, const char *key);

/** NULL when s is NULL or empty, else s. */
const char *web__nonempty(const char *s);

/** rc, except that TL_ENOTFOUND becomes TL_EINPUT (same message): for a
 *  reference in a submission, when the page itself exists. */
int web__input_error(int rc, struct err *e);

/** Sends *rows (taken) as JSON when rc is 0, else returns rc.  A pointer,
 *  so that a call web__send(resp, build(&rows), &rows) reads rows only
 *  after build() filled it (argument order is unspecified). */
int web__send(struct web_resp *resp, int rc, json_t *const *rows);

/* --- forms (form.c) --------------------------------------------------------- */

enum web_field_kind {
    WEB_FK_TEXT,
    WEB_FK_EMAIL,
    WEB_FK_DATE,
    WEB_FK_NUMBER,
    WEB_FK_TEXTAREA,
    WEB_FK_SELECT,
    WEB_FK_CHECKBOX,
    WEB_FK_CHECKS, /* several checkboxes of one name; the value is comma-joined */
    WEB_FK_HIDDEN,
    WEB_FK_FILE,
};

#define WEB_FF_REQUIRED (1u << 0)
#define WEB_FF_NEW_ONLY (1u << 1)  /* only when creating: a natural key */
#define WEB_FF_EDIT_ONLY (1u << 2) /* only when editing */
#define WEB_FF_BLANK (1u << 3)     /* a select that starts with an empty choice */
#define WEB_FF_MULTIPLE (1u << 4)  /* a file input that takes several files */

struct web_field {
    const char *name; /* form field and JSON member; the element id is "<form id>-<name>" */
    enum web_field_kind kind;
    const char *label;          /* UI string key */
    unsigned flags;             /* WEB_FF_* */
    const char *const *options; /* choices of a select or checks; NULL: web__form_choices */
    const char *option_labels;  /* UI string group of the choices' labels; NULL: the value */
    const char *hint;           /* UI string key, or NULL */
    const char *match;          /* '|'-separated words: an app error naming one is this
                                   field's (NULL: the name, '_' read as ' ') */
    int min, max;               /* a number's range; text: longest length (0: default) */
    const char *datalist;       /* suggestions: a datalist set with web__form_datalist */
    int rows;                   /* textarea rows (0: 6) */
};

/* A form being shown or submitted.  The JSON members are owned. */
struct web_form {
    struct web_req *req;
    const char *id;
    const struct web_field *fields; /* ends with a NULL name */
    bool creating;
    json_t *values;    /* name -> string */
    json_t *errors;    /* name -> message */
    json_t *options;   /* name -> [{value, label}] for choices known at run time */
    json_t *datalists; /* id -> [{value, label}] */
    const char *error; /* about the whole form */
    int status;        /* of a failed submission: 400, or 409 for a conflict */
};

void web__form_init(struct web_form *f, struct web_req *req, const char *id,
                    const struct web_field *fields, bool creating);
void web__form_release(struct web_form *f);

/** Sets a value (copied); "1"/"0" for a checkbox. */
void web__form_set(struct web_form *f, const char *name, const char *value);
void web__form_setb(struct web_form *f, const char *name, bool value);
void web__form_seti(struct web_form *f, const char *name, long long value);

/** A submitted value: NULL when not given (an API PATCH leaves it alone). */
const char *web__fv(const struct web_form *f, const char *name);

/** A submitted value, NULL when not given or empty. */
const char *web__fv_or_null(const struct web_form *f, const char *name);

/** A checkbox: 1, 0, or -1 when not given. */
int web__fb(const struct web_form *f, const char *name);

/** A number, dflt when not given or empty (web__form_check checked it). */
int web__fi(const struct web_form *f, const char *name, int dflt);

/** Every non-empty value of a repeated form field (in req->a). */
const char *const *web__f_all(struct web_req *req, const char *name, size_t *n);

/** Takes the submission: the form body, or for the API a JSON object
 *  (unknown members are TL_EINPUT) or a form body. */
int web__form_take(struct web_form *f, struct err *e);

/** Checks what each field alone can say; true when all is well. */
bool web__form_check(struct web_form *f);

/** Records a message for field name (NULL: the whole form). */
void web__form_fail(struct web_form *f, const char *name, const char *message);

bool web__form_ok(const struct web_form *f);

/** Puts an app error that concerns the input (invalid, unknown reference,
 *  duplicate, conflict) on the field it names, or on the form, and
 *  returns 0; returns rc for any other failure. */
int web__form_app_error(struct web_form *f, int rc, const struct err *e);

/** Choices (an array of web__choice, taken) for a field without static options. */
void web__form_choices(struct web_form *f, const char *name, json_t *options);

/** Suggestions for inputs with datalist id (taken). */
void web__form_datalist(struct web_form *f, const char *id, json_t *values);

/** {value, label} (label NULL: the value). */
json_t *web__choice(const char *value, const char *label);

/** The active people as the "people" datalist. */
int web__people_datalist(struct web_form *f, struct err *e);

/** The template data of a form ({{> form_body}}): fields, errors, action. */
json_t *web__form_data(const struct web_form *f, const char *action, const char *submit);

/** A failed API submission: problem+json with "errors": {field: message}. */
void web__form_problem(struct web_form *f, struct web_resp *resp);

/* The hidden field "version" of an edit form: the version of the record
 * the form was loaded at (set it in the spec's load, pass it to the app in
 * save).  form.c checks it, takes the API's If-Match into it, and answers a
 * save refused as stale with 409 and the record as it is now. */
#define WEB__VERSION_FIELD                                                                         \
    {                                                                                              \
        .name = "version", .kind = WEB_FK_HIDDEN, .label = "conflict.version",                     \
        .flags = WEB_FF_EDIT_ONLY, .match = "version"                                              \
    }

/** Adds the header ETag: "<version>" when record (borrowed) has an
 *  integer member "version" (docs/web.md, "Concurrent edits"). */
void web__etag(struct web_resp *resp, const json_t *record);

/** Sends *record (taken) as JSON with its ETag when rc is 0, else returns
 *  rc (a pointer for the reason web__send takes one). */
int web__send_record(struct web_resp *resp, int rc, json_t *const *record);

/* A record's form: the HTML pages (GET shows, POST saves and redirects or
 * shows the form again with the messages) and the API (JSON in, the saved
 * record or a problem out) share it. */
struct web_formspec {
    const char *id; /* form id: "control", "risk", ... */
    const struct web_field *fields;
    const char *title_new, *title_edit; /* UI string keys */
    const char *intro;                  /* UI string key, or NULL */
    const char *back_label;             /* UI string key of the link back */
    const char *(*back)(struct web_req *req);
    const char *(*subject)(struct web_req *req); /* what an edit is about, or NULL */
    const char *(*action)(struct web_req *req, bool creating);
    void (*defaults)(struct web_req *req, struct web_form *f); /* or NULL */
    /* Editing: the record named by req->params into f; TL_ENOTFOUND when absent. */
    int (*load)(struct web_req *req, struct web_form *f, struct err *e);
    /* Run-time choices and datalists, or NULL. */
    int (*prepare)(struct web_req *req, struct web_form *f, struct err *e);
    /* Calls the app; *key names the record saved. */
    int (*save)(struct web_req *req, struct web_form *f, const char **key, struct err *e);
    const char *(*done)(struct web_req *req, const char *key, bool creating);
    int (*api_out)(struct web_req *req, const char *key, json_t **out, struct err *e);
    /* Editing: where the page's "remove" button posts, or NULL for none. */
    const char *(*remove)(struct web_req *req);
    /* The record in the audit log, for who changed it last (a stale edit):
     * its object type (NULL: id) and key (NULL: subject, else id). */
    const char *audit_type;
    const char *(*audit_key)(struct web_req *req);
};

int web__form_show(struct web_req *req, struct web_resp *resp, const struct web_formspec *spec,
                   bool creating, struct err *e);
int web__form_submit(struct web_req *req, struct web_resp *resp, const struct web_formspec *spec,
                     bool creating, struct err *e);

/** A spec's subject when the record is named by the path's first param. */
const char *web__form_subject_param1(struct web_req *req);

/** A spec's prepare when the form needs only the "people" datalist. */
int web__form_people_prepare(struct web_req *req, struct web_form *f, struct err *e);

/** Where a saved form goes: to, with the notice "created" or "saved". */
const char *web__form_saved(struct web_req *req, const char *to, bool creating);

/* The four handlers of a spec's form: web__<name>_new and _edit show it,
 * _create and _update submit it. */
#define WEB__FORM_HANDLERS(name, spec)                                                             \
    WEB__HANDLER(web__##name##_new)                                                                \
    {                                                                                              \
        return web__form_show(req, resp, &spec, true, e);                                          \
    }                                                                                              \
    WEB__HANDLER(web__##name##_create)                                                             \
    {                                                                                              \
        return web__form_submit(req, resp, &spec, true, e);                                        \
    }                                                                                              \
    WEB__HANDLER(web__##name##_edit)                                                               \
    {                                                                                              \
        return web__form_show(req, resp, &spec, false, e);                                         \
    }                                                                                              \
    WEB__HANDLER(web__##name##_update)                                                             \
    {                                                                                              \
        return web__form_submit(req, resp, &spec, false, e);                                       \
    }

/* --- handlers ------------------------------------------------------------- */

#define WEB__HANDLER(name) int name(struct web_req *req, struct web_resp *resp, struct err *e)

/* auth.c */
WEB__HANDLER(web__login_form);
WEB__HANDLER(web__login);
WEB__HANDLER(web__logout);
WEB__HANDLER(web__home);
WEB__HANDLER(web__orgs_page);
WEB__HANDLER(web__static);
WEB__HANDLER(web__health);

/* pages.c */
WEB__HANDLER(web__criteria_page);
WEB__HANDLER(web__criterion_page);
WEB__HANDLER(web__audit_page);
WEB__HANDLER(web__audit_verify);
WEB__HANDLER(web__controls_page);
WEB__HANDLER(web__control_page);
WEB__HANDLER(web__people_page);

/* registers.c */
WEB__HANDLER(web__vendors_page);
WEB__HANDLER(web__risks_page);
WEB__HANDLER(web__policies_page);
WEB__HANDLER(web__policy_page);
WEB__HANDLER(web__api_vendors);
WEB__HANDLER(web__api_risks);
WEB__HANDLER(web__api_policies);
WEB__HANDLER(web__api_policy);

/* api.c */
WEB__HANDLER(web__api_me);
WEB__HANDLER(web__api_orgs);
WEB__HANDLER(web__api_org);
WEB__HANDLER(web__api_criteria);
WEB__HANDLER(web__api_criterion);
WEB__HANDLER(web__api_audit);
WEB__HANDLER(web__api_audit_verify);
WEB__HANDLER(web__api_controls);
WEB__HANDLER(web__api_control);
WEB__HANDLER(web__api_people);

/* dashboard.c */
WEB__HANDLER(web__dashboard);
WEB__HANDLER(web__api_dashboard);

/* gap.c */
WEB__HANDLER(web__gap_page);
WEB__HANDLER(web__api_gap);
WEB__HANDLER(web__readiness_page);
WEB__HANDLER(web__api_readiness);
WEB__HANDLER(web__gap_na_form);
WEB__HANDLER(web__gap_na);
WEB__HANDLER(web__gap_applicable);

/* ctledit.c */
WEB__HANDLER(web__library_page);
WEB__HANDLER(web__api_library);
WEB__HANDLER(web__control_adopt);
WEB__HANDLER(web__control_new);
WEB__HANDLER(web__control_create);
WEB__HANDLER(web__control_edit);
WEB__HANDLER(web__control_update);
WEB__HANDLER(web__control_map_form);
WEB__HANDLER(web__control_map);
WEB__HANDLER(web__control_unmap);

/* scope.c */
WEB__HANDLER(web__scope_page);
WEB__HANDLER(web__api_scope);
WEB__HANDLER(web__scope_system_form);
WEB__HANDLER(web__scope_system_save);
WEB__HANDLER(web__scope_category_form);
WEB__HANDLER(web__scope_category_save);
#define WEB__SCOPE_HANDLERS(name)                                                                  \
    WEB__HANDLER(web__scope_##name##_new);                                                         \
    WEB__HANDLER(web__scope_##name##_create);                                                      \
    WEB__HANDLER(web__scope_##name##_edit);                                                        \
    WEB__HANDLER(web__scope_##name##_update);                                                      \
    WEB__HANDLER(web__scope_##name##_delete)
WEB__SCOPE_HANDLERS(service);
WEB__SCOPE_HANDLERS(component);
WEB__SCOPE_HANDLERS(subservice);
WEB__SCOPE_HANDLERS(csoc);
WEB__SCOPE_HANDLERS(cuec);
WEB__HANDLER(web__api_scope_service);
WEB__HANDLER(web__api_scope_component);
WEB__HANDLER(web__api_scope_subservice);
WEB__HANDLER(web__api_scope_csoc);
WEB__HANDLER(web__api_scope_cuec);

/* records.c */
WEB__HANDLER(web__risk_new);
WEB__HANDLER(web__risk_create);
WEB__HANDLER(web__risk_edit);
WEB__HANDLER(web__risk_update);
WEB__HANDLER(web__risk_page);
WEB__HANDLER(web__api_risk);
WEB__HANDLER(web__risk_link);
WEB__HANDLER(web__risk_unlink);
WEB__HANDLER(web__person_new);
WEB__HANDLER(web__person_create);
WEB__HANDLER(web__person_edit);
WEB__HANDLER(web__person_update);
WEB__HANDLER(web__api_person);
WEB__HANDLER(web__vendor_new);
WEB__HANDLER(web__vendor_create);
WEB__HANDLER(web__vendor_edit);
WEB__HANDLER(web__vendor_update);
WEB__HANDLER(web__api_vendor);

/* policies.c */
WEB__HANDLER(web__api_policy_templates);
WEB__HANDLER(web__policy_new);
WEB__HANDLER(web__policy_create);
WEB__HANDLER(web__policy_edit);
WEB__HANDLER(web__policy_update);
WEB__HANDLER(web__policy_approve);
WEB__HANDLER(web__policy_ack);
WEB__HANDLER(web__policy_acks_page);
WEB__HANDLER(web__api_policy_acks);

/* evidence.c */
WEB__HANDLER(web__evidence_page);
WEB__HANDLER(web__api_evidence);
WEB__HANDLER(web__evidence_due_page);
WEB__HANDLER(web__api_evidence_due);
WEB__HANDLER(web__evidence_coverage_page);
WEB__HANDLER(web__api_evidence_coverage);
WEB__HANDLER(web__evidence_item_page);
WEB__HANDLER(web__api_evidence_item);
WEB__HANDLER(web__evidence_download);
WEB__HANDLER(web__evidence_new);
WEB__HANDLER(web__evidence_upload);

/* plan.c */
WEB__HANDLER(web__plan_page);
WEB__HANDLER(web__plan_create);
WEB__HANDLER(web__api_plan);
WEB__HANDLER(web__api_plan_calendar);
WEB__HANDLER(web__plan_task_form);
WEB__HANDLER(web__plan_task_update);
WEB__HANDLER(web__api_plan_task);

/* search.c */
WEB__HANDLER(web__search_page);
WEB__HANDLER(web__api_search);

/* Data builders shared by pages and the API (one source for both). */
struct app_person;
struct app_vendor;
struct app_risk;
struct gap_result;
int web__criteria_rows(struct web_req *req, const char *category, json_t **rows, struct err *e);
int web__audit_rows(struct web_req *req, json_t **rows, struct err *e);
int web__audit_check(struct web_req *req, json_t **result, struct err *e);
int web__control_rows(struct web_req *req, json_t **rows, struct err *e);
int web__control_detail(struct web_req *req, const char *code, json_t **out, struct err *e);
int web__people_rows(struct web_req *req, json_t **rows, struct err *e);
int web__vendor_rows(struct web_req *req, json_t **rows, struct err *e);
int web__risk_rows(struct web_req *req, json_t **rows, struct err *e);
int web__policy_rows(struct web_req *req, json_t **rows, struct err *e);
int web__policy_detail(struct web_req *req, const char *slug, bool html, json_t **out,
                       struct err *e);
json_t *web__person_json(struct web_req *req, const struct app_person *p);
json_t *web__vendor_json(struct web_req *req, const struct app_vendor *v);
json_t *web__risk_json(struct web_req *req, const struct app_risk *r);
int web__library_rows(struct web_req *req, json_t **rows, struct err *e);

/** The audit entries about one record (object type and key), newest first. */
int web__history(struct web_req *req, const char *type, const char *key, json_t **rows,
                 struct err *e);

/** The catalog and the gap analysis of req->org. */
int web__gap_run(struct web_req *req, const struct dom_catalog **cat, struct gap_result *g,
                 struct err *e);

/** Criteria rows of a gap result, filtered by ?state= and ?category=. */
int web__gap_rows(struct web_req *req, const struct gap_result *g, json_t **rows, struct err *e);

/** Readiness scores (overall, categories, series, COSO components) as JSON. */
json_t *web__readiness_json(struct web_req *req, const struct dom_catalog *cat,
                            const struct gap_result *g);

/** The policy page, with a message when an action on it failed (status 400). */
int web__policy_page_with(struct web_req *req, struct web_resp *resp, const char *error,
                          struct err *e);

/* checks.c: datasets and checks */
WEB__HANDLER(web__checks_page);
WEB__HANDLER(web__api_checks);
WEB__HANDLER(web__checks_run);
WEB__HANDLER(web__check_page);
WEB__HANDLER(web__api_check);
WEB__HANDLER(web__api_check_runs);
WEB__HANDLER(web__check_run);
WEB__HANDLER(web__datasets_page);
WEB__HANDLER(web__api_datasets);
WEB__HANDLER(web__dataset_page);
WEB__HANDLER(web__api_dataset);
WEB__HANDLER(web__api_dataset_rows);
WEB__HANDLER(web__dataset_new);
WEB__HANDLER(web__dataset_upload);

/* engagements.c: engagements, tests and samples */
struct app_who;
struct app_test;

/** Who acts in an engagement: the request's role and user's email. */
void web__eng_who(struct web_req *req, struct app_who *who);

/** Whether the request's user holds right (enum app_eng_right) in
 *  engagement slug (NULL: outside any), as app_eng_authz answers. */
bool web__eng_may(struct web_req *req, const char *slug, int right);

/** "/o/<org>/engagements/<slug>" followed by suffix (encoded), in req->a. */
const char *web__eng_path(struct web_req *req, const char *slug, const char *suffix);

/** Checks that the request's user holds right (enum app_eng_right) in
 *  engagement req->params[1], as app_eng_authz answers (TL_EPERM, ...). */
int web__eng_need(struct web_req *req, int right, struct err *e);

/** As web__eng_need for a submission; a GET or HEAD (the form page, which
 *  every member of the engagement sees) needs no right. */
int web__eng_need_to_submit(struct web_req *req, int right, struct err *e);

/** Sets data's "flash" from ?done=KEY with the UI string GROUP.done.KEY
 *  (group "eng" or "findings"). */
void web__eng_flash(struct web_req *req, json_t *d, const char *group);

/** A test as JSON (pages and API). */
json_t *web__test_json(struct web_req *req, const struct app_test *t);

/* A form posted on an engagement or test page: check (the engagement or
 * test exists and may be seen, else 404/403) and right (403 before any
 * message about the form), take and check the form,
 * run (the app call; *out the API's answer), then redirect back with
 * ?done= or, for the API, answer api_status; a refused submission shows
 * page again with the form's messages (or a problem for the API). */
struct web__eng_action {
    const char *form_id;
    int (*check)(struct web_req *req, struct err *e);
    int (*run)(struct web_req *req, struct web_form *f, const struct app_who *who, json_t **out,
               const char **done, struct err *e);
    int (*page)(struct web_req *req, struct web_resp *resp, struct web_form *failed, struct err *e);
    const char *(*back)(struct web_req *req);
    const char *done;
    int api_status;
    int right; /* enum app_eng_right: checked before the form is read */
};

/** Runs act with form f (initialized by the caller, released by it too). */
int web__eng_submit(struct web_req *req, struct web_resp *resp, struct web_form *f,
                    const struct web__eng_action *act, struct err *e);

/** Runs act with a form form_id of fields that it initializes and releases. */
int web__eng_submit_form(struct web_req *req, struct web_resp *resp, const char *form_id,
                         const struct web_field *fields, const struct web__eng_action *act,
                         struct err *e);

WEB__HANDLER(web__engagements_page);
WEB__HANDLER(web__api_engagements);
WEB__HANDLER(web__engagement_create);
WEB__HANDLER(web__engagement_page);
WEB__HANDLER(web__api_engagement);
WEB__HANDLER(web__api_engagement_tests);
WEB__HANDLER(web__engagement_phase);
WEB__HANDLER(web__engagement_plan);
WEB__HANDLER(web__engagement_auditor_add);
WEB__HANDLER(web__engagement_auditor_revoke);
WEB__HANDLER(web__api_engagement_auditors);
WEB__HANDLER(web__api_engagement_table);
WEB__HANDLER(web__engagement_bridge);
WEB__HANDLER(web__engagement_controls_page);
WEB__HANDLER(web__api_engagement_controls);
WEB__HANDLER(web__engagement_evidence_page);
WEB__HANDLER(web__api_engagement_evidence);
WEB__HANDLER(web__engagement_evidence_download);
/* workpapers.c: one test */
WEB__HANDLER(web__test_page);
WEB__HANDLER(web__api_test);
WEB__HANDLER(web__test_edit);
WEB__HANDLER(web__test_population);
WEB__HANDLER(web__api_test_population);
WEB__HANDLER(web__sample_draw);
WEB__HANDLER(web__api_samples);
WEB__HANDLER(web__api_sample_verify);
WEB__HANDLER(web__test_result);
WEB__HANDLER(web__test_conclude);

/* findings.c, requests.c: findings, remediation, requests (the helpers
 * they share with engagements.c are the web__eng_* ones above) */
/** Checks that engagement req->params[1] exists for the user (TL_ENOTFOUND
 *  otherwise) and, when data is not NULL, adds "eng" (slug, phase, path,
 *  concluded) and "may" (what the user may do in it, each false once the
 *  engagement is concluded except remediation and a finding's status). */
int web__fr_engagement(struct web_req *req, json_t *data, struct err *e);
WEB__HANDLER(web__findings_page);
WEB__HANDLER(web__api_findings);
WEB__HANDLER(web__finding_new);
WEB__HANDLER(web__finding_create);
WEB__HANDLER(web__finding_page);
WEB__HANDLER(web__api_finding);
WEB__HANDLER(web__finding_update);
WEB__HANDLER(web__remediation_create);
WEB__HANDLER(web__api_finding_remediation);
WEB__HANDLER(web__remediation_page);
WEB__HANDLER(web__api_remediation);
WEB__HANDLER(web__remediation_edit);
WEB__HANDLER(web__api_remediation_item);
WEB__HANDLER(web__remediation_update);
WEB__HANDLER(web__remediation_retest);
WEB__HANDLER(web__requests_page);
WEB__HANDLER(web__api_requests);
WEB__HANDLER(web__request_new);
WEB__HANDLER(web__request_create);
WEB__HANDLER(web__requests_import);
WEB__HANDLER(web__request_page);
WEB__HANDLER(web__api_request);
WEB__HANDLER(web__request_edit);
WEB__HANDLER(web__request_update);
WEB__HANDLER(web__request_status);
WEB__HANDLER(web__request_attach);
WEB__HANDLER(web__request_comment);
WEB__HANDLER(web__api_request_comments);

/* reports.c: reports to download */
WEB__HANDLER(web__reports_page);
WEB__HANDLER(web__api_reports);
WEB__HANDLER(web__report_download);
WEB__HANDLER(web__framework_page);
WEB__HANDLER(web__api_frameworks);
WEB__HANDLER(web__api_framework);

#endif
