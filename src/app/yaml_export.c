/* yaml_export.c - writing an organization's program as a YAML tree.
 *
 * Everything is read and rendered in memory first; only then is the
 * directory touched, so that a failure while reading leaves it as it was.
 * Every key is always written (an empty value as null), lists are in a
 * stable order, and strings go through yml_emit_scalar/yml_emit_block so
 * that any text reads back as the same bytes.
 */
#include "app/yamlio_impl.h"

#include "base/sb.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One file to write. */
struct out_file {
    const char *path; /* relative to the tree */
    const char *data;
    size_t len;
};

struct export
{
    struct app *app;
    struct arena *a;
    const char *org_id;
    struct out_file *files;
    size_t n, cap;
};

/* --- emitting ---------------------------------------------------------------- */

static void key(struct sb *sb, int indent, const char *k)
{
    sb_addf(sb, "%*s%s:", indent, "", k);
}

/* A string value: null when empty, a block literal when it spans lines. */
static void put_str(struct sb *sb, int indent, const char *k, const char *v)
{
    key(sb, indent, k);
    if (!v || !*v) {
        sb_adds(sb, " null\n");
        return;
    }
    sb_addc(sb, ' ');
    if (strchr(v, '\n'))
        yml_emit_block(sb, v, indent + 2);
    else
        yml_emit_scalar(sb, v);
    if (sb->buf[sb->len - 1] != '\n')
        sb_addc(sb, '\n');
}

static void put_bool(struct sb *sb, int indent, const char *k, bool v)
{
    key(sb, indent, k);
    sb_adds(sb, v ? " true\n" : " false\n");
}

/* An integer, or null when zero (not assessed). */
static void put_int(struct sb *sb, int indent, const char *k, long long v)
{
    key(sb, indent, k);
    if (v)
        sb_addf(sb, " %lld\n", v);
    else
        sb_adds(sb, " null\n");
}

/* A list of strings, one per line; [] when empty. */
static void put_list(struct sb *sb, int indent, const char *k, const char *const *items, size_t n)
{
    key(sb, indent, k);
    if (n == 0) {
        sb_adds(sb, " []\n");
        return;
    }
    sb_addc(sb, '\n');
    for (size_t i = 0; i < n; i++) {
        sb_addf(sb, "%*s- ", indent + 2, "");
        yml_emit_scalar(sb, items[i]);
        sb_addc(sb, '\n');
    }
}

/* The items of a ","- or "\n"-separated string, in the arena. */
static const char **split(struct arena *a, const char *s, char sep, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s ? s : ""; *p; p++)
        cap += *p == sep;
    const char **out = arena_calloc(a, cap + 1, sizeof(char *));
    *n = 0;
    for (const char *p = s ? s : ""; *p;) {
        size_t len = strcspn(p, (char[]){sep, '\0'});
        if (len)
            out[(*n)++] = arena_strndup(a, p, len);
        p += len;
        if (*p)
            p++;
    }
    return out;
}

static void put_split(struct arena *a, struct sb *sb, int indent, const char *k, const char *s,
                      char sep)
{
    size_t n;
    const char **items = split(a, s, sep, &n);
    put_list(sb, indent, k, items, n);
}

/* Items of a list of mappings: each item's keys are written at indent,
 * then the two spaces before its first key become "- ". */
static size_t item_begin(const struct sb *sb)
{
    return sb->len;
}

static void item_end(struct sb *sb, size_t start, int indent)
{
    if (sb->len >= start + (size_t)indent && indent >= 2)
        memcpy(sb->buf + start + indent - 2, "- ", 2);
}

/* Starts a list of mappings under k: " []" when empty. */
static void list_key(struct sb *sb, int indent, const char *k, size_t n)
{
    key(sb, indent, k);
    sb_adds(sb, n ? "\n" : " []\n");
}

/* --- the files ---------------------------------------------------------------- */

static void add(struct export *x, const char *path, struct sb *sb)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct out_file *grown = arena_calloc(x->a, cap, sizeof(*grown));
        if (x->n)
            memcpy(grown, x->files, x->n * sizeof(*grown));
        x->files = grown;
        x->cap = cap;
    }
    x->files[x->n++] = (struct out_file){path, arena_strndup(x->a, sb->buf, sb->len), sb->len};
    sb_reset(sb);
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void render_org(struct export *x, const struct app_org *o, struct sb *sb)
{
    put_str(sb, 0, "slug", o->slug);
    put_str(sb, 0, "name", o->name);
    put_str(sb, 0, "legal_name", o->legal_name);
    put_str(sb, 0, "description", o->description);
    put_str(sb, 0, "industry", o->industry);
    put_str(sb, 0, "country", o->country);
    put_str(sb, 0, "language", o->language);
    add(x, "organization.yaml", sb);
}

static int csoc_cmp(const void *x, const void *y)
{
    const struct app_csoc *a = x, *b = y;
    int d = strcmp(a->subservice, b->subservice);
    return d ? d : app_yaml__csoc_order(a->text, a->criteria, b->text, b->criteria);
}

static int service_cmp(const void *x, const void *y)
{
    return strcmp(((const struct app_service *)x)->name, ((const struct app_service *)y)->name);
}

static int subservice_cmp(const void *x, const void *y)
{
    return strcmp(((const struct app_subservice *)x)->slug,
                  ((const struct app_subservice *)y)->slug);
}

static int cuec_cmp(const void *x, const void *y)
{
    return strcmp(((const struct app_cuec *)x)->code, ((const struct app_cuec *)y)->code);
}

static void render_subservices(struct export *x, const struct app_scope *s, struct sb *sb)
{
    qsort(s->csocs, s->n_csocs, sizeof(*s->csocs), csoc_cmp);
    qsort(s->subservices, s->n_subservices, sizeof(*s->subservices), subservice_cmp);
    list_key(sb, 0, "subservice_orgs", s->n_subservices);
    for (size_t i = 0; i < s->n_subservices; i++) {
        const struct app_subservice *so = &s->subservices[i];
        size_t at = item_begin(sb), n = 0;
        put_str(sb, 4, "slug", so->slug);
        put_str(sb, 4, "name", so->name);
        put_str(sb, 4, "method", so->method);
        put_str(sb, 4, "services", so->services);
        item_end(sb, at, 4);
        for (size_t k = 0; k < s->n_csocs; k++)
            n += strcmp(s->csocs[k].subservice, so->slug) == 0;
        list_key(sb, 4, "csocs", n);
        for (size_t k = 0; k < s->n_csocs; k++) {
            if (strcmp(s->csocs[k].subservice, so->slug) != 0)
                continue;
            size_t c = item_begin(sb);
            put_str(sb, 8, "text", s->csocs[k].text);
            put_split(x->a, sb, 8, "criteria", s->csocs[k].criteria, ',');
            item_end(sb, c, 8);
        }
    }
}

static void render_scope(struct export *x, struct app_scope *s, struct sb *sb)
{
    key(sb, 0, "system");
    sb_addc(sb, '\n');
    put_str(sb, 2, "name", s->system.name);
    put_str(sb, 2, "boundaries", s->system.boundaries);
    put_str(sb, 2, "commitments", s->system.commitments);
    put_str(sb, 2, "privacy_role", s->system.privacy_role);
    list_key(sb, 0, "categories", s->n_categories);
    for (size_t i = 0; i < s->n_categories; i++) {
        size_t at = item_begin(sb);
        put_str(sb, 4, "category", s->categories[i].category);
        put_bool(sb, 4, "in_scope", s->categories[i].in_scope);
        put_str(sb, 4, "reason", s->categories[i].reason);
        item_end(sb, at, 4);
    }
    qsort(s->services, s->n_services, sizeof(*s->services), service_cmp);
    list_key(sb, 0, "services", s->n_services);
    for (size_t i = 0; i < s->n_services; i++) {
        size_t at = item_begin(sb);
        put_str(sb, 4, "name", s->services[i].name);
        put_str(sb, 4, "description", s->services[i].description);
        item_end(sb, at, 4);
    }
    list_key(sb, 0, "components", s->n_components);
    for (size_t i = 0; i < s->n_components; i++) {
        const struct app_component *c = &s->components[i];
        size_t at = item_begin(sb);
        put_str(sb, 4, "kind", c->kind);
        put_str(sb, 4, "name", c->name);
        put_str(sb, 4, "description", c->description);
        put_bool(sb, 4, "in_scope", c->in_scope);
        put_str(sb, 4, "reason", c->reason);
        item_end(sb, at, 4);
    }
    render_subservices(x, s, sb);
    qsort(s->cuecs, s->n_cuecs, sizeof(*s->cuecs), cuec_cmp);
    list_key(sb, 0, "cuecs", s->n_cuecs);
    for (size_t i = 0; i < s->n_cuecs; i++) {
        size_t at = item_begin(sb);
        put_str(sb, 4, "code", s->cuecs[i].code);
        put_str(sb, 4, "text", s->cuecs[i].text);
        put_split(x->a, sb, 4, "criteria", s->cuecs[i].criteria, ',');
        item_end(sb, at, 4);
    }
    add(x, "scope.yaml", sb);
}

static void render_applicability(struct export *x, const struct app_applicability *na, size_t n,
                                 struct sb *sb)
{
    list_key(sb, 0, "not_applicable", n);
    for (size_t i = 0; i < n; i++) {
        size_t at = item_begin(sb);
        put_str(sb, 4, "target", na[i].target);
        put_str(sb, 4, "justification", na[i].justification);
        item_end(sb, at, 4);
    }
    add(x, "applicability.yaml", sb);
}

/* A key that names a file: no '/', not "." or "..", not empty. */
static int check_file_key(const char *kind, const char *k, struct err *e)
{
    if (!*k || strchr(k, '/') || strcmp(k, ".") == 0 || strcmp(k, "..") == 0)
        return ERR_SET(e, TL_EINPUT, "cannot export %s '%s': it cannot be a file name", kind, k);
    return 0;
}

static int render_person(struct export *x, const struct app_person *p, struct sb *sb, struct err *e)
{
    int rc = check_file_key("person", p->email, e);
    if (rc)
        return rc;
    put_str(sb, 0, "email", p->email);
    put_str(sb, 0, "name", p->name);
    put_str(sb, 0, "title", p->title);
    put_str(sb, 0, "department", p->department);
    put_str(sb, 0, "manager", p->manager);
    put_str(sb, 0, "start", p->start_date);
    put_str(sb, 0, "end", p->end_date);
    put_bool(sb, 0, "control_owner", p->is_control_owner > 0);
    put_bool(sb, 0, "approver", p->is_approver > 0);
    add(x, arena_printf(x->a, APP_YAML_PEOPLE "/%s.yaml", p->email), sb);
    return 0;
}

static int render_control(struct export *x, const struct app_control *c, struct sb *sb,
                          struct err *e)
{
    int rc = check_file_key("control", c->code, e);
    if (rc)
        return rc;
    put_str(sb, 0, "code", c->code);
    put_str(sb, 0, "title", c->title);
    put_str(sb, 0, "description", c->description);
    put_str(sb, 0, "owner", c->owner);
    put_str(sb, 0, "frequency", c->frequency);
    put_str(sb, 0, "nature", c->nature);
    put_str(sb, 0, "type", c->type);
    put_bool(sb, 0, "key", c->key == 1);
    put_str(sb, 0, "status", c->status);
    put_str(sb, 0, "library_code", c->library_code);
    put_split(x->a, sb, 0, "evidence", c->evidence, '\n');
    list_key(sb, 0, "criteria", c->n_criteria);
    for (size_t i = 0; i < c->n_criteria; i++) {
        size_t at = item_begin(sb);
        put_str(sb, 4, "id", c->criteria[i].criterion);
        put_split(x->a, sb, 4, "points_of_focus", c->criteria[i].pofs, ',');
        item_end(sb, at, 4);
    }
    add(x, arena_printf(x->a, APP_YAML_CONTROLS "/%s.yaml", c->code), sb);
    return 0;
}

static int render_risk(struct export *x, const struct app_risk *r, struct sb *sb, struct err *e)
{
    int rc = check_file_key("risk", r->code, e);
    if (rc)
        return rc;
    put_str(sb, 0, "code", r->code);
    put_str(sb, 0, "title", r->title);
    put_str(sb, 0, "description", r->description);
    put_str(sb, 0, "category", r->category);
    put_int(sb, 0, "likelihood", r->likelihood);
    put_int(sb, 0, "impact", r->impact);
    put_str(sb, 0, "treatment", r->treatment);
    put_int(sb, 0, "residual_likelihood", r->residual_likelihood);
    put_int(sb, 0, "residual_impact", r->residual_impact);
    put_bool(sb, 0, "fraud", r->is_fraud);
    put_str(sb, 0, "owner", r->owner);
    put_str(sb, 0, "next_review", r->next_review);
    qsort(r->controls, r->n_controls, sizeof(char *), str_cmp);
    put_list(sb, 0, "controls", r->controls, r->n_controls);
    add(x, arena_printf(x->a, APP_YAML_RISKS "/%s.yaml", r->code), sb);
    return 0;
}

static int ack_cmp(const void *x, const void *y)
{
    return strcmp(((const struct app_policy_ack *)x)->email,
                  ((const struct app_policy_ack *)y)->email);
}

/* The versions of policy p, with approvals and acknowledgments, each
 * text as a file of its own. */
static int render_versions(struct export *x, const struct app_policy *p, struct sb *sb,
                           struct err *e)
{
    struct app_policy_version *v;
    size_t n;
    int rc = app_policy_versions(x->app, x->a, x->org_id, p->slug, &v, &n, e);
    list_key(sb, 0, "versions", rc ? 0 : n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct app_policy_ack *acks;
        size_t n_acks, n_done = 0;
        rc = app_policy_acks(x->app, x->a, x->org_id, p->slug, v[i].number, &acks, &n_acks, e);
        if (rc)
            break;
        const char *file = arena_printf(x->a, "%s.v%lld.md", p->slug, (long long)v[i].number);
        size_t at = item_begin(sb);
        put_int(sb, 4, "number", v[i].number);
        put_str(sb, 4, "file", file);
        put_str(sb, 4, "approved_by", v[i].approved_on ? v[i].approved_by : NULL);
        put_str(sb, 4, "approved_on", v[i].approved_on);
        item_end(sb, at, 4);
        qsort(acks, n_acks, sizeof(*acks), ack_cmp);
        for (size_t k = 0; k < n_acks; k++)
            n_done += acks[k].acked_on != NULL;
        list_key(sb, 4, "acks", n_done);
        for (size_t k = 0; k < n_acks; k++) {
            if (!acks[k].acked_on)
                continue;
            size_t c = item_begin(sb);
            put_str(sb, 8, "person", acks[k].email);
            put_str(sb, 8, "on", acks[k].acked_on);
            item_end(sb, c, 8);
        }
    }
    if (rc)
        return rc;
    add(x, arena_printf(x->a, APP_YAML_POLICIES "/%s.yaml", p->slug), sb);
    for (size_t i = 0; i < n; i++) {
        sb_adds(sb, v[i].body ? v[i].body : "");
        add(x,
            arena_printf(x->a, APP_YAML_POLICIES "/%s.v%lld.md", p->slug, (long long)v[i].number),
            sb);
    }
    return 0;
}

static int render_policy(struct export *x, const struct app_policy *p, struct sb *sb, struct err *e)
{
    int rc = check_file_key("policy", p->slug, e);
    if (rc)
        return rc;
    put_str(sb, 0, "slug", p->slug);
    put_str(sb, 0, "title", p->title);
    put_str(sb, 0, "owner", p->owner);
    put_str(sb, 0, "review", p->review);
    put_str(sb, 0, "template", p->template);
    return render_versions(x, p, sb, e);
}

static int render_vendor(struct export *x, const struct app_vendor *v, struct sb *sb, struct err *e)
{
    int rc = check_file_key("vendor", v->slug, e);
    if (rc)
        return rc;
    put_str(sb, 0, "slug", v->slug);
    put_str(sb, 0, "name", v->name);
    put_str(sb, 0, "service", v->service);
    put_str(sb, 0, "criticality", v->criticality);
    put_str(sb, 0, "data_shared", v->data_shared);
    put_bool(sb, 0, "soc_report", v->soc_report > 0);
    put_str(sb, 0, "soc_period_end", v->soc_period_end);
    put_str(sb, 0, "subservice", v->subservice);
    add(x, arena_printf(x->a, APP_YAML_VENDORS "/%s.yaml", v->slug), sb);
    return 0;
}

/* Renders every file of the tree of organization o into x. */
static int render_all(struct export *x, const struct app_org *o, struct err *e)
{
    struct sb sb = SB_INIT;
    struct app_scope scope;
    struct app_applicability *na;
    struct app_person *people;
    struct app_control *controls;
    struct app_risk *risks;
    struct app_policy *policies;
    struct app_vendor *vendors;
    size_t n_na, n_people, n_controls, n_risks, n_policies, n_vendors;
    int rc = app_scope_get(x->app, x->a, o->id, &scope, e);
    if (rc == 0)
        rc = app_applicability_list(x->app, x->a, o->id, &na, &n_na, e);
    if (rc == 0)
        rc = app_person_list(x->app, x->a, o->id, NULL, &people, &n_people, e);
    if (rc == 0)
        rc = app_control_list(x->app, x->a, o->id, NULL, &controls, &n_controls, e);
    if (rc == 0)
        rc = app_risk_list(x->app, x->a, o->id, &risks, &n_risks, e);
    if (rc == 0)
        rc = app_policy_list(x->app, x->a, o->id, &policies, &n_policies, e);
    if (rc == 0)
        rc = app_vendor_list(x->app, x->a, o->id, NULL, &vendors, &n_vendors, e);
    if (rc)
        return rc;
    render_org(x, o, &sb);
    render_scope(x, &scope, &sb);
    render_applicability(x, na, n_na, &sb);
    for (size_t i = 0; rc == 0 && i < n_people; i++)
        rc = render_person(x, &people[i], &sb, e);
    for (size_t i = 0; rc == 0 && i < n_controls; i++)
        rc = render_control(x, &controls[i], &sb, e);
    for (size_t i = 0; rc == 0 && i < n_risks; i++)
        rc = render_risk(x, &risks[i], &sb, e);
    for (size_t i = 0; rc == 0 && i < n_policies; i++)
        rc = render_policy(x, &policies[i], &sb, e);
    for (size_t i = 0; rc == 0 && i < n_vendors; i++)
        rc = render_vendor(x, &vendors[i], &sb, e);
    sb_release(&sb);
    return rc;
}

/* --- the directory ------------------------------------------------------------------ */

/* Creates dir and its missing parents. */
static int make_dirs(struct arena *a, const char *dir, struct err *e)
{
    char *path = arena_strdup(a, dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return ERR_SET(e, TL_EIO, "cannot create directory '%s': %s", path, strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return ERR_SET(e, TL_EIO, "cannot create directory '%s': %s", path, strerror(errno));
    return 0;
}

static int is_empty_dir(const char *dir, bool *empty, struct err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return ERR_SET(e, TL_EIO, "cannot read directory '%s': %s", dir, strerror(errno));
    struct dirent *de;
    *empty = true;
    while (*empty && (de = readdir(d)) != NULL)
        *empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Whether name is "<slug>.v<N>.md". */
static bool is_policy_text(const char *name)
{
    size_t n = strlen(name);
    if (!ends_with(name, ".md"))
        return false;
    size_t k = n - 3;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    return k < n - 3 && k >= 3 && name[k - 1] == 'v' && name[k - 2] == '.';
}

static int remove_file(const char *path, struct err *e)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return ERR_SET(e, TL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return 0;
}

/* Deletes the files of a tree in dir, and the directories they leave empty. */
static int clear_tree(struct arena *a, const char *dir, struct err *e)
{
    static const char *const top[] = {"organization.yaml", "scope.yaml", "applicability.yaml",
                                      NULL};
    static const char *const subs[] = {APP_YAML_PEOPLE,   APP_YAML_CONTROLS, APP_YAML_RISKS,
                                       APP_YAML_POLICIES, APP_YAML_VENDORS,  NULL};
    int rc = 0;
    for (size_t i = 0; rc == 0 && top[i]; i++)
        rc = remove_file(arena_printf(a, "%s/%s", dir, top[i]), e);
    for (size_t i = 0; rc == 0 && subs[i]; i++) {
        char *sub = arena_printf(a, "%s/%s", dir, subs[i]);
        DIR *d = opendir(sub);
        if (!d)
            continue;
        struct dirent *de;
        bool policies = strcmp(subs[i], APP_YAML_POLICIES) == 0;
        while (rc == 0 && (de = readdir(d)) != NULL) {
            const char *name = de->d_name;
            bool ours = ends_with(name, ".yaml") || (policies && is_policy_text(name));
            struct stat st;
            char *path = arena_printf(a, "%s/%s", sub, name);
            if (ours && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
                rc = remove_file(path, e);
        }
        closedir(d);
        (void)rmdir(sub); /* fails, as it should, when something else is left */
    }
    return rc;
}

/* Writes the rendered files under dir, making directories as needed. */
static int write_all(struct export *x, const char *dir, struct err *e)
{
    for (size_t i = 0; i < x->n; i++) {
        const char *slash = strchr(x->files[i].path, '/');
        if (slash) {
            char *sub = arena_printf(x->a, "%s/%.*s", dir, (int)(slash - x->files[i].path),
                                     x->files[i].path);
            if (mkdir(sub, 0777) != 0 && errno != EEXIST)
                return ERR_SET(e, TL_EIO, "cannot create directory '%s': %s", sub, strerror(errno));
        }
        char *path = arena_printf(x->a, "%s/%s", dir, x->files[i].path);
        int rc = sb_write_file(path, x->files[i].data, x->files[i].len, e);
        if (rc)
            return rc;
    }
    return 0;
}

int app_yaml_export(struct app *app, struct arena *a, const char *slug, const char *dir, bool force,
                    size_t *n_files, struct err *e)
{
    struct app_org org;
    struct export x = {.app = app, .a = a};
    bool exists, empty = true;
    struct stat st;
    *n_files = 0;
    int rc = app_org_get(app, a, slug, &org, e);
    if (rc)
        return rc;
    x.org_id = org.id;
    rc = render_all(&x, &org, e);
    if (rc)
        return err_wrap(e, "exporting organization '%s'", slug);
    exists = stat(dir, &st) == 0;
    if (exists && !S_ISDIR(st.st_mode))
        return ERR_SET(e, TL_EEXIST, "'%s' exists and is not a directory", dir);
    if (exists)
        rc = is_empty_dir(dir, &empty, e);
    if (rc == 0 && !empty && !force)
        rc = ERR_SET(e, TL_EEXIST,
                     "directory '%s' is not empty (use --force to replace the tree in it)", dir);
    if (rc == 0 && !empty)
        rc = clear_tree(a, dir, e);
    if (rc == 0 && !exists)
        rc = make_dirs(a, dir, e);
    if (rc == 0)
        rc = write_all(&x, dir, e);
    if (rc == 0)
        *n_files = x.n;
    return rc;
}
