/* soc2.c - the SOC 2 report draft. */
#include "report/soc2.h"

#include "base/yml.h"
#include "domain/program.h"
#include "domain/template.h"

#include <stdlib.h>
#include <string.h>

#define N_VARS 9
#define OPEN_SHOWN 30 /* controls named in the open items; the rest are counted */

struct soc2 {
    struct arena *a;
    const struct rpt_soc2_in *in;
    struct rpt_doc *d;
    struct yml_node *root;
    struct dom_tpl_var vars[N_VARS];
    bool type2;
    int rc; /* the first template error */
    struct err *e;
    const char **open; /* open items of a draft */
    size_t n_open, cap_open;
};

/* --- text ------------------------------------------------------------------- */

static const struct yml_node *lookup(struct soc2 *s, const char *key)
{
    const struct yml_node *n = yml_get(s->root, key);
    if (!n && s->rc == 0)
        s->rc = ERR_SET(s->e, TL_EINPUT, "%s: missing text '%s'", s->in->templates_path, key);
    return n;
}

/* The text of one {en, sv} map in the report's language, placeholders filled. */
static const char *render(struct soc2 *s, const struct yml_node *m, const char *key)
{
    const struct yml_node *v = yml_get(m, s->in->lang);
    if (!v || v->kind != YML_SCALAR)
        v = yml_get(m, "en");
    if (!v || v->kind != YML_SCALAR) {
        if (s->rc == 0)
            s->rc = yml_fail(s->e, m, TL_EINPUT, "text '%s' has no English", key);
        return "";
    }
    struct sb out = SB_INIT;
    struct err e = ERR_INIT;
    if (dom_tpl_render(v->str, s->vars, N_VARS, NULL, &out, &e) != 0 && s->rc == 0) {
        s->rc = yml_fail(s->e, v, TL_EINPUT, "text '%s': %s", key, e.msg);
    }
    const char *r = arena_strdup(s->a, out.buf);
    sb_release(&out);
    return r;
}

static const char *t(struct soc2 *s, const char *key)
{
    const struct yml_node *n = lookup(s, key);
    return n ? render(s, n, key) : "";
}

/* A text written as a list: one entry per paragraph or point. */
static const char **t_list(struct soc2 *s, const char *key, size_t *n)
{
    const struct yml_node *seq = lookup(s, key);
    *n = 0;
    if (!seq)
        return NULL;
    if (seq->kind != YML_SEQ) {
        const char **one = arena_calloc(s->a, 1, sizeof(char *));
        one[0] = render(s, seq, key);
        *n = 1;
        return one;
    }
    const char **out = arena_calloc(s->a, seq->n + 1, sizeof(char *));
    for (size_t i = 0; i < seq->n; i++)
        out[i] = render(s, seq->items[i], key);
    *n = seq->n;
    return out;
}

static void paras(struct soc2 *s, const char *key)
{
    size_t n;
    const char **p = t_list(s, key, &n);
    for (size_t i = 0; i < n; i++)
        rpt_para(s->d, "%s", p[i]);
}

static const char *tkey(struct soc2 *s, const char *prefix, const char *value)
{
    char key[96];
    snprintf(key, sizeof(key), "%s%s", prefix, value);
    return yml_get(s->root, key) ? t(s, key) : value;
}

static void open_item(struct soc2 *s, const char *text)
{
    if (s->n_open == s->cap_open) {
        size_t cap = s->cap_open ? s->cap_open * 2 : 16;
        const char **grown = arena_calloc(s->a, cap, sizeof(char *));
        if (s->n_open)
            memcpy(grown, s->open, s->n_open * sizeof(char *));
        s->open = grown;
        s->cap_open = cap;
    }
    s->open[s->n_open++] = text;
}

/* Appends "a, b and c" pieces. */
static void join_and(struct soc2 *s, struct sb *out, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_adds(out, i + 1 == n ? " " : ", ");
        if (i && i + 1 == n) {
            sb_adds(out, t(s, "and"));
            sb_addc(out, ' ');
        }
        sb_adds(out, items[i]);
    }
}

/* --- lookups --------------------------------------------------------------------- */

static int cmp_code(const void *key, const void *elem)
{
    return strcmp(key, ((const struct app_control *)elem)->code);
}

static const struct app_control *control(const struct soc2 *s, const char *code)
{
    return bsearch(code, s->in->controls, s->in->n_controls, sizeof(struct app_control), cmp_code);
}

/* The test the report shows for a control: operating (Type II) or design
 * (Type I), the latest retest when there is one. */
static const struct rpt_soc2_test *test_of(const struct soc2 *s, const char *code)
{
    const char *kind = s->type2 ? "operating" : "design";
    const struct rpt_soc2_test *best = NULL;
    for (size_t i = 0; i < s->in->n_tests; i++) {
        const struct app_test *tt = s->in->tests[i].test;
        if (strcmp(tt->control, code) != 0 || strcmp(tt->kind, kind) != 0)
            continue;
        if (!best || tt->retest_no > best->test->retest_no)
            best = &s->in->tests[i];
    }
    return best;
}

static const char *categories_text(struct soc2 *s)
{
    const struct rpt_soc2_in *in = s->in;
    const char *names[8];
    size_t n = 0;
    for (size_t i = 0; i < in->catalog->n_categories && n < 8; i++) {
        const struct dom_category *cat = &in->catalog->categories[i];
        bool inside = false;
        if (in->eng) {
            const char *p = strstr(in->eng->categories, cat->id);
            size_t l = strlen(cat->id);
            inside = p && (p == in->eng->categories || p[-1] == ',') && (p[l] == ',' || !p[l]);
        } else {
            for (size_t k = 0; k < in->scope->n_categories; k++)
                if (strcmp(in->scope->categories[k].category, cat->id) == 0)
                    inside = in->scope->categories[k].in_scope;
        }
        if (inside)
            names[n++] = dom_text_get(&cat->name, in->lang);
    }
    struct sb sb = SB_INIT;
    join_and(s, &sb, names, n);
    const char *r = arena_strdup(s->a, sb.buf);
    sb_release(&sb);
    return r;
}

static void set_vars(struct soc2 *s)
{
    const struct rpt_soc2_in *in = s->in;
    const struct app_engagement *eng = in->eng;
    const char *when = in->date;
    if (eng && s->type2)
        when = arena_printf(s->a, "%s – %s", eng->period_start, eng->period_end);
    else if (eng && eng->as_of)
        when = eng->as_of;
    const char *legal =
        in->org->legal_name && *in->org->legal_name ? in->org->legal_name : in->org->name;
    const char *system = *in->scope->system.name ? in->scope->system.name : in->org->name;
    struct dom_tpl_var v[N_VARS] = {
        {"org.name", in->org->name},
        {"org.legal_name", legal},
        {"system.name", system},
        {"report.type", s->type2 ? "II" : "I"},
        {"report.when", when},
        {"report.categories", ""},
        {"report.firm", ""},
        {"report.engagement", eng ? eng->slug : ""},
        {"report.phase", eng ? eng->phase : ""},
    };
    memcpy(s->vars, v, sizeof(v));
    /* These two are themselves built from texts, which need the others. */
    s->vars[5].value = categories_text(s);
    s->vars[6].value = eng && eng->firm && *eng->firm ? eng->firm : t(s, "firm_none");
}

/* --- sections ------------------------------------------------------------------- */

static void section1(struct soc2 *s)
{
    rpt_heading(s->d, 1, t(s, "section1"));
    paras(s, "section1_text");
    rpt_pagebreak(s->d);
}

static void section2(struct soc2 *s)
{
    rpt_heading(s->d, 1, t(s, "section2"));
    paras(s, s->type2 ? "assertion_type2" : "assertion_type1");
    size_t n;
    const char **points =
        t_list(s, s->type2 ? "assertion_type2_points" : "assertion_type1_points", &n);
    rpt_list(s->d, points, n);
    rpt_para(s->d, "%s", t(s, "assertion_limits"));
    rpt_para(s->d, "%s · %s", s->vars[1].value, s->in->date);
    rpt_pagebreak(s->d);
}

static void dc1_dc2(struct soc2 *s)
{
    const struct app_scope *sc = s->in->scope;
    rpt_heading(s->d, 2, t(s, "dc1"));
    if (sc->n_services == 0) {
        rpt_para(s->d, "%s", t(s, "dc1_none"));
        open_item(s, t(s, "open_no_services"));
    }
    for (size_t i = 0; i < sc->n_services; i++) {
        if (*sc->services[i].description)
            rpt_para(s->d, "%s: %s", sc->services[i].name, sc->services[i].description);
        else
            rpt_para(s->d, "%s", sc->services[i].name);
    }
    rpt_heading(s->d, 2, t(s, "dc2"));
    if (!*sc->system.commitments) {
        rpt_para(s->d, "%s", t(s, "dc2_none"));
        open_item(s, t(s, "open_no_commitments"));
    } else {
        rpt_para(s->d, "%s", sc->system.commitments);
    }
}

static void dc3(struct soc2 *s)
{
    const struct app_scope *sc = s->in->scope;
    rpt_heading(s->d, 2, t(s, "dc3"));
    if (*sc->system.boundaries) {
        rpt_heading(s->d, 3, t(s, "dc3_boundaries"));
        rpt_para(s->d, "%s", sc->system.boundaries);
    }
    size_t n_out = 0;
    for (const char *const *k = dom_component_kinds; *k; k++) {
        rpt_heading(s->d, 3, tkey(s, "kind_", *k));
        struct rpt_block *tb = NULL;
        for (size_t i = 0; i < sc->n_components; i++) {
            const struct app_component *c = &sc->components[i];
            if (strcmp(c->kind, *k) != 0)
                continue;
            if (!c->in_scope) {
                n_out++;
                continue;
            }
            if (!tb)
                tb =
                    rpt_table(s->d, (const char *[]){t(s, "col_name"), t(s, "col_description")}, 2);
            rpt_table_row(s->d, tb, (const char *[]){c->name, c->description});
        }
        if (!tb)
            rpt_para(s->d, "%s", t(s, "dc3_none"));
    }
    if (n_out) {
        rpt_heading(s->d, 3, t(s, "dc3_out"));
        struct rpt_block *tb = rpt_table(
            s->d, (const char *[]){t(s, "col_name"), t(s, "col_type"), t(s, "col_reason")}, 3);
        for (size_t i = 0; i < sc->n_components; i++) {
            const struct app_component *c = &sc->components[i];
            if (!c->in_scope)
                rpt_table_row(s->d, tb,
                              (const char *[]){c->name, tkey(s, "kind_", c->kind), c->reason});
        }
    }
}

static void dc4(struct soc2 *s)
{
    rpt_heading(s->d, 2, t(s, "dc4"));
    if (s->in->n_incidents == 0)
        rpt_para(s->d, "%s", t(s, "dc4_none"));
    else
        rpt_list(s->d, s->in->incidents, s->in->n_incidents);
}

static const char *codes(struct soc2 *s, const char *const *c, size_t n)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", c[i]);
    const char *r = arena_strdup(s->a, sb.buf);
    sb_release(&sb);
    return r;
}

static void dc5(struct soc2 *s)
{
    const struct gap_result *g = s->in->gap;
    rpt_heading(s->d, 2, t(s, "dc5"));
    rpt_para(s->d, "%s", t(s, "dc5_intro"));
    struct rpt_block *tb =
        rpt_table(s->d, (const char *[]){t(s, "col_criterion"), t(s, "col_controls")}, 2);
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        const char *crit = arena_printf(s->a, "%s %s", gc->criterion->id,
                                        dom_text_get(&gc->criterion->title, s->in->lang));
        const char *ctl = gc->state == GAP_NOT_APPLICABLE ? "n/a"
                          : gc->n_controls                ? codes(s, gc->controls, gc->n_controls)
                                                          : "—";
        rpt_table_row(s->d, tb, (const char *[]){crit, ctl});
    }
}

static void dc6(struct soc2 *s)
{
    const struct app_scope *sc = s->in->scope;
    rpt_heading(s->d, 2, t(s, "dc6"));
    if (sc->n_cuecs == 0) {
        rpt_para(s->d, "%s", t(s, "dc6_none"));
        return;
    }
    rpt_para(s->d, "%s", t(s, "dc6_intro"));
    struct rpt_block *tb = rpt_table(
        s->d, (const char *[]){t(s, "col_code"), t(s, "col_control"), t(s, "col_criteria")}, 3);
    for (size_t i = 0; i < sc->n_cuecs; i++)
        rpt_table_row(
            s->d, tb,
            (const char *[]){sc->cuecs[i].code, sc->cuecs[i].text, sc->cuecs[i].criteria});
}

static void dc7(struct soc2 *s)
{
    const struct app_scope *sc = s->in->scope;
    rpt_heading(s->d, 2, t(s, "dc7"));
    if (sc->n_subservices == 0) {
        rpt_para(s->d, "%s", t(s, "dc7_none"));
        return;
    }
    struct rpt_block *tb = rpt_table(
        s->d, (const char *[]){t(s, "col_name"), t(s, "col_services"), t(s, "col_method")}, 3);
    bool carve = false;
    for (size_t i = 0; i < sc->n_subservices; i++) {
        const struct app_subservice *so = &sc->subservices[i];
        carve = carve || strcmp(so->method, "carve-out") == 0;
        rpt_table_row(s->d, tb,
                      (const char *[]){so->name, so->services, tkey(s, "method_", so->method)});
    }
    if (carve)
        rpt_para(s->d, "%s", t(s, "dc7_carve"));
    if (sc->n_csocs == 0)
        return;
    rpt_heading(s->d, 3, t(s, "dc7_csocs"));
    tb = rpt_table(
        s->d, (const char *[]){t(s, "col_name"), t(s, "col_control"), t(s, "col_criteria")}, 3);
    for (size_t i = 0; i < sc->n_csocs; i++) {
        const char *name = sc->csocs[i].subservice;
        for (size_t k = 0; k < sc->n_subservices; k++)
            if (strcmp(sc->subservices[k].slug, name) == 0)
                name = sc->subservices[k].name;
        rpt_table_row(s->d, tb, (const char *[]){name, sc->csocs[i].text, sc->csocs[i].criteria});
    }
}

static void dc8(struct soc2 *s)
{
    const struct gap_result *g = s->in->gap;
    const struct app_scope *sc = s->in->scope;
    rpt_heading(s->d, 2, t(s, "dc8"));
    struct rpt_block *tb = NULL;
    for (size_t i = 0; i < sc->n_categories; i++) {
        const struct app_scope_category *cat = &sc->categories[i];
        if (cat->in_scope)
            continue;
        if (!tb)
            tb = rpt_table(s->d, (const char *[]){t(s, "col_criterion"), t(s, "col_reason")}, 2);
        const struct dom_category *dc = dom_catalog_category(s->in->catalog, cat->category);
        const char *what = arena_printf(s->a, "%s: %s", t(s, "dc8_category"),
                                        dc ? dom_text_get(&dc->name, s->in->lang) : cat->category);
        rpt_table_row(s->d, tb, (const char *[]){what, cat->reason});
    }
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        if (gc->state != GAP_NOT_APPLICABLE)
            continue;
        if (!tb)
            tb = rpt_table(s->d, (const char *[]){t(s, "col_criterion"), t(s, "col_reason")}, 2);
        const char *crit = arena_printf(s->a, "%s %s", gc->criterion->id,
                                        dom_text_get(&gc->criterion->title, s->in->lang));
        rpt_table_row(s->d, tb, (const char *[]){crit, gc->na_reason ? gc->na_reason : ""});
    }
    if (!tb)
        rpt_para(s->d, "%s", t(s, "dc8_none"));
}

static void dc9(struct soc2 *s)
{
    if (!s->type2)
        return;
    rpt_heading(s->d, 2, t(s, "dc9"));
    if (s->in->n_changes == 0) {
        rpt_para(s->d, "%s", t(s, "dc9_none"));
        return;
    }
    struct rpt_block *tb = rpt_table(
        s->d, (const char *[]){t(s, "col_date"), t(s, "col_change"), t(s, "col_name")}, 3);
    for (size_t i = 0; i < s->in->n_changes; i++) {
        const struct rpt_soc2_change *c = &s->in->changes[i];
        rpt_table_row(s->d, tb, (const char *[]){c->date, c->what, c->object});
    }
}

static void section3(struct soc2 *s)
{
    rpt_heading(s->d, 1, t(s, "section3"));
    rpt_para(s->d, "%s", t(s, "section3_intro"));
    dc1_dc2(s);
    dc3(s);
    dc4(s);
    dc5(s);
    dc6(s);
    dc7(s);
    dc8(s);
    dc9(s);
    rpt_pagebreak(s->d);
}

/* --- section IV ------------------------------------------------------------------ */

static const char *test_text(struct soc2 *s, const struct app_test *tt)
{
    const char *method = tkey(s, "method_", tt->method);
    if (!tt->steps || !*tt->steps)
        return method;
    struct sb sb = SB_INIT;
    sb_addf(&sb, "%s: ", method);
    /* Steps are one per line; in a table cell they run on as sentences. */
    for (const char *p = tt->steps; *p; p++) {
        if (*p != '\n')
            sb_addc(&sb, *p);
        else if (p[1])
            sb_adds(&sb, sb.len && strchr(".;:", sb.buf[sb.len - 1]) ? " " : "; ");
    }
    const char *r = arena_strdup(s->a, sb.buf);
    sb_release(&sb);
    return r;
}

static const char *sample_text(struct soc2 *s, const struct app_test *tt)
{
    if (tt->sample_size < 0)
        return "—";
    if (tt->population_size < 0)
        return arena_printf(s->a, "%lld", (long long)tt->sample_size);
    return arena_printf(s->a, "%lld %s %lld", (long long)tt->sample_size, t(s, "sample_of"),
                        (long long)tt->population_size);
}

static const char *result_text(struct soc2 *s, const struct app_test *tt)
{
    if (tt->tested <= 0)
        return strcmp(tt->status, "planned") == 0 ? t(s, "not_tested") : t(s, "in_progress");
    if (tt->exceptions == 0)
        return strcmp(tt->status, "concluded") == 0 ? t(s, "no_exceptions") : t(s, "in_progress");
    return arena_printf(s->a, "%s: %lld / %lld", t(s, "exceptions_noted"),
                        (long long)tt->exceptions, (long long)tt->tested);
}

static const char *control_text(const struct soc2 *s, const struct app_control *c)
{
    if (!c->description || !*c->description)
        return c->title;
    return arena_printf(s->a, "%s. %s", c->title, c->description);
}

static void criterion(struct soc2 *s, const struct gap_criterion *gc)
{
    const struct rpt_soc2_in *in = s->in;
    rpt_heading(s->d, 3,
                arena_printf(s->a, "%s %s", gc->criterion->id,
                             dom_text_get(&gc->criterion->title, in->lang)));
    if (gc->state == GAP_NOT_APPLICABLE) {
        rpt_para(s->d, "%s %s", t(s, "section4_na"), gc->na_reason ? gc->na_reason : "");
        return;
    }
    if (gc->n_controls == 0) {
        rpt_para(s->d, "%s", t(s, "section4_no_control"));
        return;
    }
    struct rpt_block *tb;
    if (s->type2)
        tb = rpt_table(s->d,
                       (const char *[]){t(s, "col_code"), t(s, "col_control"), t(s, "col_test"),
                                        t(s, "col_sample"), t(s, "col_result")},
                       5);
    else
        tb = rpt_table(s->d,
                       (const char *[]){t(s, "col_code"), t(s, "col_control"),
                                        t(s, "col_frequency"), t(s, "col_type")},
                       4);
    struct sb ex = SB_INIT;
    for (size_t i = 0; i < gc->n_controls; i++) {
        const struct app_control *c = control(s, gc->controls[i]);
        if (!c)
            continue;
        if (!s->type2) {
            rpt_table_row(s->d, tb,
                          (const char *[]){c->code, control_text(s, c), c->frequency, c->type});
            continue;
        }
        const struct rpt_soc2_test *rt = test_of(s, c->code);
        if (!rt) {
            rpt_table_row(
                s->d, tb,
                (const char *[]){c->code, control_text(s, c), "—", "—", t(s, "not_tested")});
            continue;
        }
        rpt_table_row(s->d, tb,
                      (const char *[]){c->code, control_text(s, c), test_text(s, rt->test),
                                       sample_text(s, rt->test), result_text(s, rt->test)});
        for (size_t k = 0; k < rt->n_samples; k++)
            if (rt->samples[k].result && strcmp(rt->samples[k].result, "exception") == 0)
                sb_addf(&ex, "%s%s, %s: %s", ex.len ? "\n" : "", c->code, rt->samples[k].item,
                        rt->samples[k].description);
    }
    if (ex.len) {
        rpt_para(s->d, "%s:", t(s, "exceptions_noted"));
        size_t n = 1;
        for (const char *p = ex.buf; *p; p++)
            n += *p == '\n';
        const char **items = arena_calloc(s->a, n + 1, sizeof(char *));
        char *copy = arena_strdup(s->a, ex.buf);
        size_t k = 0;
        for (char *line = copy; line && k < n; k++) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            items[k] = line;
            line = nl ? nl + 1 : NULL;
        }
        rpt_list(s->d, items, k);
    }
    sb_release(&ex);
}

static void section4(struct soc2 *s)
{
    const struct gap_result *g = s->in->gap;
    rpt_heading(s->d, 1, t(s, s->type2 ? "section4" : "section4_type1"));
    rpt_para(s->d, "%s", t(s, "section4_intro"));
    const char *category = NULL;
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        if (!category || strcmp(category, gc->criterion->category) != 0) {
            category = gc->criterion->category;
            const struct dom_category *cat = dom_catalog_category(s->in->catalog, category);
            rpt_heading(s->d, 2, cat ? dom_text_get(&cat->name, s->in->lang) : category);
        }
        criterion(s, gc);
    }
    rpt_pagebreak(s->d);
}

static void section5(struct soc2 *s)
{
    const struct rpt_soc2_in *in = s->in;
    rpt_heading(s->d, 1, t(s, "section5"));
    rpt_para(s->d, "%s", t(s, "section5_intro"));
    struct rpt_block *tb = NULL;
    for (size_t i = 0; i < in->n_findings; i++) {
        const struct app_finding *f = &in->findings[i];
        if (!*f->response)
            continue;
        if (!tb) {
            rpt_heading(s->d, 2, t(s, "section5_responses"));
            tb = rpt_table(
                s->d, (const char *[]){t(s, "col_finding"), t(s, "col_control"), t(s, "response")},
                3);
        }
        const char *what = arena_printf(s->a, "%s %s", f->code, f->title);
        rpt_table_row(s->d, tb, (const char *[]){what, f->control ? f->control : "", f->response});
    }
    if (!tb)
        rpt_para(s->d, "%s", t(s, "section5_none"));
}

static void appendix(struct soc2 *s)
{
    const struct rpt_soc2_in *in = s->in;
    if (!in->samples || in->n_tests == 0)
        return;
    rpt_pagebreak(s->d);
    rpt_heading(s->d, 1, t(s, "samples"));
    struct rpt_block *tb =
        rpt_table(s->d,
                  (const char *[]){t(s, "col_control"), t(s, "col_method"), "#", t(s, "col_item"),
                                   t(s, "col_result"), t(s, "col_description")},
                  6);
    for (size_t i = 0; i < in->n_tests; i++) {
        const struct rpt_soc2_test *rt = &in->tests[i];
        const char *method = tkey(s, "method_", rt->test->method);
        for (size_t k = 0; k < rt->n_samples; k++) {
            const struct app_sample_item *it = &rt->samples[k];
            char pos[24];
            snprintf(pos, sizeof(pos), "%lld", (long long)it->pos);
            rpt_table_row(s->d, tb,
                          (const char *[]){rt->test->control, method, pos, it->item,
                                           it->result ? it->result : "—", it->description});
        }
    }
}

/* --- the draft ----------------------------------------------------------------- */

static void gather_open(struct soc2 *s)
{
    const struct rpt_soc2_in *in = s->in;
    if (!in->eng) {
        open_item(s, t(s, "open_no_engagement"));
    } else if (strcmp(in->eng->phase, "concluded") != 0) {
        open_item(s, t(s, "open_not_concluded"));
        /* Controls, not test refs: a Type II plan has two tests per
         * control, and the workpapers list every one. */
        struct sb sb = SB_INIT;
        size_t n = 0, shown = 0;
        const char *last = "";
        for (size_t i = 0; i < in->n_tests; i++) {
            const struct app_test *tt = in->tests[i].test;
            if (strcmp(tt->status, "concluded") == 0 || strcmp(tt->control, last) == 0)
                continue;
            last = tt->control;
            if (n++ < OPEN_SHOWN)
                sb_addf(&sb, "%s%s", shown++ ? ", " : "", tt->control);
        }
        if (n > OPEN_SHOWN)
            sb_addf(&sb, " … (+%zu)", n - OPEN_SHOWN);
        if (n)
            open_item(s, arena_printf(s->a, "%s (%zu): %s", t(s, "open_test"), n, sb.buf));
        sb_release(&sb);
    }
    struct sb sb = SB_INIT;
    size_t n = 0;
    for (size_t i = 0; i < in->gap->n_criteria; i++) {
        const struct gap_criterion *gc = &in->gap->criteria[i];
        if (gc->state != GAP_NOT_APPLICABLE && gc->n_controls == 0)
            sb_addf(&sb, "%s%s", n++ ? ", " : "", gc->criterion->id);
    }
    if (n)
        open_item(s, arena_printf(s->a, "%s: %s", t(s, "open_no_control"), sb.buf));
    sb_reset(&sb);
    n = 0;
    for (size_t i = 0; i < in->n_findings; i++)
        if (!*in->findings[i].response)
            sb_addf(&sb, "%s%s", n++ ? ", " : "", in->findings[i].code);
    if (n)
        open_item(s, arena_printf(s->a, "%s: %s", t(s, "open_no_response"), sb.buf));
    sb_release(&sb);
}

int rpt_soc2(struct arena *a, const struct rpt_soc2_in *in, struct rpt_doc **out, struct err *e)
{
    struct soc2 s = {.a = a, .in = in, .e = e};
    int rc = yml_parse(a, in->templates_path, in->templates, in->templates_len, &s.root, e);
    if (rc)
        return rc;
    if (s.root->kind != YML_MAP)
        return yml_fail(e, s.root, TL_EINPUT, "expected a map of texts");
    s.type2 = in->eng && strcmp(in->eng->kind, "type2") == 0;
    set_vars(&s);
    s.d = rpt_doc_new(a, t(&s, "title"), t(&s, "subtitle"), in->lang);
    s.d->toc = true;
    section1(&s);
    section2(&s);
    section3(&s);
    section4(&s);
    section5(&s);
    appendix(&s);
    bool draft = !in->eng || strcmp(in->eng->phase, "concluded") != 0;
    if (draft) {
        gather_open(&s);
        rpt_draft(s.d, t(&s, "draft_mark"), t(&s, "open_items"), s.open, s.n_open);
    }
    if (s.rc)
        return s.rc;
    *out = s.d;
    return 0;
}
