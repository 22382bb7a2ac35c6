/* scope.c - 'tillit scope show|set|category|service|component|subservice|csoc|cuec':
 * the system in scope (DC 200). */
#include "cli/cli.h"

#include "app/scope.h"
#include "base/js.h"
#include "domain/program.h"

#include <string.h>

/* --- tables, shared by the listings and 'scope show' ---------------------------- */

static const char *in_out(bool in_scope)
{
    return in_scope ? "in" : "out";
}

static void category_table(struct cli_table *t, struct arena *a, const struct app_scope_category *c,
                           size_t n)
{
    cli_table_init(t, a, (const char *[]){"category", "scope", "reason", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t, (const char *[]){c[i].category, in_out(c[i].in_scope), c[i].reason});
}

/* A record's version as a cell: what --if-version of its edit takes. */
static const char *version_cell(struct arena *a, int64_t version)
{
    return arena_printf(a, "%lld", (long long)version);
}

static void service_table(struct cli_table *t, struct arena *a, const struct app_service *s,
                          size_t n)
{
    cli_table_init(t, a, (const char *[]){"name", "description", "version", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t,
                      (const char *[]){s[i].name, s[i].description, version_cell(a, s[i].version)});
}

static void component_table(struct cli_table *t, struct arena *a, const struct app_component *c,
                            size_t n)
{
    cli_table_init(
        t, a, (const char *[]){"kind", "name", "scope", "reason", "description", "version", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t, (const char *[]){c[i].kind, c[i].name, in_out(c[i].in_scope), c[i].reason,
                                          c[i].description, version_cell(a, c[i].version)});
}

static void subservice_table(struct cli_table *t, struct arena *a, const struct app_subservice *s,
                             size_t n)
{
    cli_table_init(
        t, a, (const char *[]){"slug", "name", "method", "services", "csocs", "version", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t, (const char *[]){s[i].slug, s[i].name, s[i].method, s[i].services,
                                          arena_printf(a, "%lld", (long long)s[i].n_csocs),
                                          version_cell(a, s[i].version)});
}

static void csoc_table(struct cli_table *t, struct arena *a, const struct app_csoc *c, size_t n)
{
    cli_table_init(t, a, (const char *[]){"id", "subservice", "criteria", "text", "version", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t, (const char *[]){c[i].id, c[i].subservice, c[i].criteria, c[i].text,
                                          version_cell(a, c[i].version)});
}

static void cuec_table(struct cli_table *t, struct arena *a, const struct app_cuec *c, size_t n)
{
    cli_table_init(t, a, (const char *[]){"code", "criteria", "text", "version", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(t, (const char *[]){c[i].code, c[i].criteria, c[i].text,
                                          version_cell(a, c[i].version)});
}

/* --- scope show ------------------------------------------------------------------------- */

/* "CC6.4,CC6.5" as ["CC6.4", "CC6.5"]. */
static json_t *criteria_json(const char *list)
{
    json_t *arr = json_array();
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        json_array_append_new(arr, json_stringn(p, len));
        p += len;
        if (*p)
            p++;
    }
    return arr;
}

static json_t *categories_json(const struct app_scope *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_categories; i++) {
        json_t *o = json_object();
        js_set_str(o, "category", s->categories[i].category);
        json_object_set_new(o, "in_scope", json_boolean(s->categories[i].in_scope));
        js_set_str(o, "reason", s->categories[i].reason);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *services_json(const struct app_scope *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_services; i++) {
        json_t *o = json_object();
        js_set_str(o, "name", s->services[i].name);
        js_set_str(o, "description", s->services[i].description);
        json_object_set_new(o, "version", json_integer(s->services[i].version));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Components grouped by kind: every kind is present, empty or not. */
static json_t *components_json(const struct app_scope *s)
{
    json_t *kinds = json_object();
    for (int k = 0; dom_component_kinds[k]; k++)
        json_object_set_new(kinds, dom_component_kinds[k], json_array());
    for (size_t i = 0; i < s->n_components; i++) {
        const struct app_component *c = &s->components[i];
        json_t *o = json_object();
        js_set_str(o, "name", c->name);
        js_set_str(o, "description", c->description);
        json_object_set_new(o, "in_scope", json_boolean(c->in_scope));
        js_set_str(o, "reason", c->reason);
        json_object_set_new(o, "version", json_integer(c->version));
        json_array_append_new(json_object_get(kinds, c->kind), o);
    }
    return kinds;
}

/* What a csoc and a cuec share: their text, criteria and version. */
static void set_control_fields(json_t *o, const char *text, const char *criteria, int64_t version)
{
    js_set_str(o, "text", text);
    json_object_set_new(o, "criteria", criteria_json(criteria));
    json_object_set_new(o, "version", json_integer(version));
}

static json_t *csocs_json(const struct app_scope *s, const char *slug)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_csocs; i++) {
        if (strcmp(s->csocs[i].subservice, slug) != 0)
            continue;
        json_t *o = json_object();
        js_set_str(o, "id", s->csocs[i].id);
        set_control_fields(o, s->csocs[i].text, s->csocs[i].criteria, s->csocs[i].version);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *subservices_json(const struct app_scope *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_subservices; i++) {
        const struct app_subservice *so = &s->subservices[i];
        json_t *o = json_object();
        js_set_str(o, "slug", so->slug);
        js_set_str(o, "name", so->name);
        js_set_str(o, "method", so->method);
        js_set_str(o, "services", so->services);
        json_object_set_new(o, "csocs", csocs_json(s, so->slug));
        json_object_set_new(o, "version", json_integer(so->version));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *cuecs_json(const struct app_scope *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_cuecs; i++) {
        json_t *o = json_object();
        js_set_str(o, "code", s->cuecs[i].code);
        set_control_fields(o, s->cuecs[i].text, s->cuecs[i].criteria, s->cuecs[i].version);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *scope_json(const struct app_scope *s)
{
    json_t *j = json_object();
    js_set_str(j, "name", s->system.name);
    js_set_str(j, "boundaries", s->system.boundaries);
    js_set_str(j, "commitments", s->system.commitments);
    js_set_str(j, "privacy_role", s->system.privacy_role);
    json_object_set_new(j, "version", json_integer(s->system.version));
    json_object_set_new(j, "categories", categories_json(s));
    json_object_set_new(j, "services", services_json(s));
    json_object_set_new(j, "components", components_json(s));
    json_object_set_new(j, "subservice_orgs", subservices_json(s));
    json_object_set_new(j, "cuecs", cuecs_json(s));
    return j;
}

static void print_section(FILE *out, const char *title, const struct cli_table *t)
{
    fprintf(out, "\n%s:\n", title);
    if (t->n_rows)
        cli_table_print(t, FMT_TABLE, out);
    else
        fputs("(none)\n", out);
}

static void print_scope(struct cli_ctx *ctx, const struct app_scope *s)
{
    struct arena *a = &ctx->arena;
    struct cli_table t;
    fprintf(ctx->out,
            "system:       %s\nboundaries:   %s\ncommitments:  %s\nprivacy role: %s\n"
            "version:      %lld\n",
            s->system.name, s->system.boundaries, s->system.commitments, s->system.privacy_role,
            (long long)s->system.version);
    category_table(&t, a, s->categories, s->n_categories);
    print_section(ctx->out, "categories", &t);
    service_table(&t, a, s->services, s->n_services);
    print_section(ctx->out, "services", &t);
    component_table(&t, a, s->components, s->n_components);
    print_section(ctx->out, "components", &t);
    subservice_table(&t, a, s->subservices, s->n_subservices);
    print_section(ctx->out, "subservice organizations", &t);
    csoc_table(&t, a, s->csocs, s->n_csocs);
    print_section(ctx->out, "csocs (complementary subservice organization controls)", &t);
    cuec_table(&t, a, s->cuecs, s->n_cuecs);
    print_section(ctx->out, "cuecs (complementary user entity controls)", &t);
}

static int scope_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_formats(ctx, argc, argv, NULL, CLI_FORMATS_SHOW, &fmt))
        return EXIT_USAGE;
    struct app_scope s;
    int rc = app_scope_get(&ctx->app, &ctx->arena, ctx->org.id, &s, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, scope_json(&s));
    else
        print_scope(ctx, &s);
    return EXIT_OK;
}

/* --- scope set, scope category --------------------------------------------------------- */

static int scope_set(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] = "scope set [--name TEXT] [--boundaries TEXT] [--commitments TEXT] "
                              "[--privacy-role controller|processor|both] [--if-version N]";
    struct app_system p = {0};
    const char *if_version = NULL, *pos[1];
    const struct cli_opt opts[] = {{"name", true, &p.name},
                                   {"boundaries", true, &p.boundaries},
                                   {"commitments", true, &p.commitments},
                                   {"privacy-role", true, &p.privacy_role},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 0, 0, use) ||
        cli_if_version(if_version, &p.version, &ctx->e))
        return EXIT_USAGE;
    if (!p.name && !p.boundaries && !p.commitments && !p.privacy_role)
        return cli_usage(ctx, use);
    int rc = app_system_update(&ctx->app, &ctx->arena, ctx->org.id, &p, &ctx->e);
    return cli_done(ctx, rc, "updated the system");
}

static int category_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_scope_category *c;
    size_t n;
    int rc = app_scope_category_list(&ctx->app, &ctx->arena, ctx->org.id, &c, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    category_table(&t, &ctx->arena, c, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_category(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] = "scope category CATEGORY --in | --out --reason TEXT";
    if (argc > 0 && strcmp(argv[0], "list") == 0)
        return category_list(argc - 1, argv + 1, ctx);
    const char *in = NULL, *out = NULL, *reason = NULL, *pos[1];
    const struct cli_opt opts[] = {
        {"in", false, &in}, {"out", false, &out}, {"reason", true, &reason}, {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, use))
        return EXIT_USAGE;
    if (!in == !out)
        return cli_usage(ctx, use);
    struct app_scope_category c = {.category = pos[0], .in_scope = in != NULL, .reason = reason};
    int rc = app_scope_category_set(&ctx->app, &ctx->arena, ctx->org.id, &c, &ctx->e);
    if (in)
        return cli_done(ctx, rc, "category '%s' is in scope", pos[0]);
    return cli_done(ctx, rc, "category '%s' is out of scope: %s", pos[0], reason ? reason : "");
}

/* --- scope service ------------------------------------------------------------------------ */

static int service_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_service s = {0};
    const char *pos[1];
    const struct cli_opt opts[] = {{"description", true, &s.description}, {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "scope service add NAME [--description TEXT]"))
        return EXIT_USAGE;
    s.name = pos[0];
    int rc = app_service_create(&ctx->app, &ctx->arena, ctx->org.id, &s, &ctx->e);
    return cli_done(ctx, rc, "added service '%s'", s.name);
}

static int service_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_service s = {0};
    const char *if_version = NULL, *pos[1];
    const struct cli_opt opts[] = {{"name", true, &s.name},
                                   {"description", true, &s.description},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "scope service edit NAME [--name NEW-NAME] [--description TEXT] "
                       "[--if-version N]") ||
        cli_if_version(if_version, &s.version, &ctx->e))
        return EXIT_USAGE;
    int rc = app_service_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &s, &ctx->e);
    return cli_done(ctx, rc, "updated service '%s'", s.name ? s.name : pos[0]);
}

static int service_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "scope service remove NAME"))
        return EXIT_USAGE;
    int rc = app_service_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed service '%s'", pos[0]);
}

static int service_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_service *s;
    size_t n;
    int rc = app_service_list(&ctx->app, &ctx->arena, ctx->org.id, &s, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    service_table(&t, &ctx->arena, s, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_service(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", service_add},
                                            {"edit", service_edit},
                                            {"remove", service_remove},
                                            {"list", service_list},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope service", verbs, argc, argv);
}

/* --- scope component ---------------------------------------------------------------------- */

static int component_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_component c = {0};
    const char *out = NULL, *pos[2];
    const struct cli_opt opts[] = {{"description", true, &c.description},
                                   {"out", false, &out},
                                   {"reason", true, &c.reason},
                                   {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 2, 2,
                       "scope component add KIND NAME [--description TEXT] [--out --reason TEXT]"))
        return EXIT_USAGE;
    c.kind = pos[0];
    c.name = pos[1];
    c.in_scope = !out;
    int rc = app_component_create(&ctx->app, &ctx->arena, ctx->org.id, &c, &ctx->e);
    return cli_done(ctx, rc, "added %s component '%s' (%s)", c.kind, c.name,
                    c.in_scope ? "in scope" : "out of scope");
}

static int component_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] =
        "scope component edit KIND NAME [--in | --out --reason TEXT] [--description TEXT] "
        "[--if-version N]";
    struct app_component_patch p = {0};
    const char *in = NULL, *out = NULL, *if_version = NULL, *pos[2];
    const struct cli_opt opts[] = {{"description", true, &p.description},
                                   {"in", false, &in},
                                   {"out", false, &out},
                                   {"reason", true, &p.reason},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 2, 2, use) ||
        cli_if_version(if_version, &p.version, &ctx->e))
        return EXIT_USAGE;
    if (in && out)
        return cli_usage(ctx, use);
    p.scope = in ? APP_SCOPE_IN : out ? APP_SCOPE_OUT : APP_SCOPE_KEEP;
    int rc = app_component_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], pos[1], &p, &ctx->e);
    return cli_done(ctx, rc, "updated %s component '%s'", pos[0], pos[1]);
}

static int component_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 2, 2, "scope component remove KIND NAME"))
        return EXIT_USAGE;
    int rc = app_component_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], pos[1], &ctx->e);
    return cli_done(ctx, rc, "removed %s component '%s'", pos[0], pos[1]);
}

static int component_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *kind = NULL;
    const struct cli_opt opts[] = {{"kind", true, &kind}, {0}};
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    struct app_component *c;
    size_t n;
    int rc = app_component_list(&ctx->app, &ctx->arena, ctx->org.id, kind, &c, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    component_table(&t, &ctx->arena, c, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_component(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", component_add},
                                            {"edit", component_edit},
                                            {"remove", component_remove},
                                            {"list", component_list},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope component", verbs, argc, argv);
}

/* --- scope subservice -------------------------------------------------------------------- */

#define SUBSERVICE_OPTS(s)                                                                         \
    {"name", true, &(s).name}, {"method", true, &(s).method},                                      \
        {"services", true, &(s).services}

static int subservice_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] =
        "scope subservice add SLUG --name NAME --method carve-out|inclusive [--services TEXT]";
    struct app_subservice s = {0};
    const char *pos[1];
    const struct cli_opt opts[] = {SUBSERVICE_OPTS(s), {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, use))
        return EXIT_USAGE;
    if (!s.name || !s.method)
        return cli_usage(ctx, use);
    s.slug = pos[0];
    int rc = app_subservice_create(&ctx->app, &ctx->arena, ctx->org.id, &s, &ctx->e);
    return cli_done(ctx, rc, "added subservice organization '%s' (%s)", s.slug, s.method);
}

static int subservice_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_subservice s = {0};
    const char *if_version = NULL, *pos[1];
    const struct cli_opt opts[] = {SUBSERVICE_OPTS(s), {"if-version", true, &if_version}, {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "scope subservice edit SLUG [--name NAME] [--method carve-out|inclusive] "
                       "[--services TEXT] [--if-version N]") ||
        cli_if_version(if_version, &s.version, &ctx->e))
        return EXIT_USAGE;
    int rc = app_subservice_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &s, &ctx->e);
    return cli_done(ctx, rc, "updated subservice organization '%s'", pos[0]);
}

static int subservice_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "scope subservice remove SLUG"))
        return EXIT_USAGE;
    int rc = app_subservice_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed subservice organization '%s'", pos[0]);
}

static int subservice_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_subservice *s;
    size_t n;
    int rc = app_subservice_list(&ctx->app, &ctx->arena, ctx->org.id, &s, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    subservice_table(&t, &ctx->arena, s, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_subservice(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", subservice_add},
                                            {"edit", subservice_edit},
                                            {"remove", subservice_remove},
                                            {"list", subservice_list},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope subservice", verbs, argc, argv);
}

/* --- scope csoc ------------------------------------------------------------------------------ */

/* The options of a csoc and a cuec: what the control says and the criteria it meets. */
/* clang-format off */
#define CONTROL_OPTS(c) {"text", true, &(c).text}, {"criteria", true, &(c).criteria}
/* clang-format on */

static int csoc_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] = "scope csoc add SUBSERVICE --text TEXT [--criteria ID,...]";
    struct app_csoc c = {0};
    const char *pos[1], *id = NULL;
    const struct cli_opt opts[] = {CONTROL_OPTS(c), {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, use))
        return EXIT_USAGE;
    if (!c.text)
        return cli_usage(ctx, use);
    c.subservice = pos[0];
    int rc = app_csoc_create(&ctx->app, &ctx->arena, ctx->org.id, &c, &id, &ctx->e);
    return cli_done(ctx, rc, "added csoc %s to '%s'", id, pos[0]);
}

static int csoc_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_csoc c = {0}, cur = {0};
    const char *if_version = NULL, *pos[1];
    const struct cli_opt opts[] = {CONTROL_OPTS(c), {"if-version", true, &if_version}, {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "scope csoc edit ID [--text TEXT] [--criteria ID,...] [--if-version N]") ||
        cli_if_version(if_version, &c.version, &ctx->e))
        return EXIT_USAGE;
    int rc = app_csoc_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &cur, &ctx->e);
    if (rc == 0)
        rc = app_csoc_update(&ctx->app, &ctx->arena, ctx->org.id, cur.id, &c, &ctx->e);
    return cli_done(ctx, rc, "updated csoc %s", cur.id);
}

static int csoc_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_csoc cur = {0};
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "scope csoc remove ID"))
        return EXIT_USAGE;
    int rc = app_csoc_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &cur, &ctx->e);
    if (rc == 0)
        rc = app_csoc_delete(&ctx->app, &ctx->arena, ctx->org.id, cur.id, &ctx->e);
    return cli_done(ctx, rc, "removed csoc %s", cur.id);
}

static int csoc_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    enum cli_format fmt;
    if (cli_parse_args_list(ctx, argc, argv, NULL, pos, 0, 1,
                            "scope csoc list [SUBSERVICE] [--format table|json|csv]", &fmt))
        return EXIT_USAGE;
    struct app_csoc *c;
    size_t n;
    int rc = app_csoc_list(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &c, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    csoc_table(&t, &ctx->arena, c, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_csoc(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", csoc_add},
                                            {"edit", csoc_edit},
                                            {"remove", csoc_remove},
                                            {"list", csoc_list},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope csoc", verbs, argc, argv);
}

/* --- scope cuec ------------------------------------------------------------------------------ */

static int cuec_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char use[] = "scope cuec add CODE --text TEXT [--criteria ID,...]";
    struct app_cuec c = {0};
    const char *pos[1];
    const struct cli_opt opts[] = {CONTROL_OPTS(c), {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, use))
        return EXIT_USAGE;
    if (!c.text)
        return cli_usage(ctx, use);
    c.code = pos[0];
    int rc = app_cuec_create(&ctx->app, &ctx->arena, ctx->org.id, &c, &ctx->e);
    return cli_done(ctx, rc, "added cuec '%s'", c.code);
}

static int cuec_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_cuec c = {0};
    const char *if_version = NULL, *pos[1];
    const struct cli_opt opts[] = {CONTROL_OPTS(c), {"if-version", true, &if_version}, {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "scope cuec edit CODE [--text TEXT] [--criteria ID,...] [--if-version N]") ||
        cli_if_version(if_version, &c.version, &ctx->e))
        return EXIT_USAGE;
    int rc = app_cuec_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &c, &ctx->e);
    return cli_done(ctx, rc, "updated cuec '%s'", pos[0]);
}

static int cuec_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "scope cuec remove CODE"))
        return EXIT_USAGE;
    int rc = app_cuec_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed cuec '%s'", pos[0]);
}

static int cuec_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_cuec *c;
    size_t n;
    int rc = app_cuec_list(&ctx->app, &ctx->arena, ctx->org.id, &c, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cuec_table(&t, &ctx->arena, c, n);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int scope_cuec(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", cuec_add},
                                            {"edit", cuec_edit},
                                            {"remove", cuec_remove},
                                            {"list", cuec_list},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope cuec", verbs, argc, argv);
}

int cmd_scope(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"show", scope_show},
                                            {"set", scope_set},
                                            {"category", scope_category},
                                            {"service", scope_service},
                                            {"component", scope_component},
                                            {"subservice", scope_subservice},
                                            {"csoc", scope_csoc},
                                            {"cuec", scope_cuec},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "scope", verbs, argc, argv);
}
