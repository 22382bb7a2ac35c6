/* fuzz_import.c - the YAML tree importer's parse and validate step
 * (app_yaml_parse) on arbitrary bytes.
 *
 * The first byte picks which file of a small valid tree the rest of the
 * input replaces ('0'-'8' pick in order; any other byte modulo the count):
 * organization.yaml, scope.yaml, applicability.yaml, a person, a control, a
 * risk, a policy, a vendor, or a policy text.  No database is needed: the
 * catalog, library and templates come from the embedded content, loaded
 * once.  Each input checks what the step promises: it succeeds exactly when
 * it reports no mistake, reports at most APP_YAML_MAX_ERRORS of them, and
 * each names a file of the tree.  Everything an input allocates is in one
 * arena, released at the end of it.
 */
#include "app/yamlio.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct app_yaml_file tree[] = {
    {"organization.yaml",
     "slug: acme\nname: Acme\nlegal_name: null\ndescription: null\n"
     "industry: null\ncountry: SE\nlanguage: en\n",
     0},
    {"scope.yaml",
     "system:\n  name: Acme Cloud\n  boundaries: null\n  commitments: null\n"
     "categories:\n"
     "  - category: security\n    in_scope: true\n    reason: null\n"
     "  - category: availability\n    in_scope: true\n    reason: null\n"
     "  - category: processing-integrity\n    in_scope: false\n    reason: Not relevant\n"
     "  - category: confidentiality\n    in_scope: false\n    reason: Not relevant\n"
     "  - category: privacy\n    in_scope: false\n    reason: Not relevant\n"
     "services:\n  - name: Payroll\n    description: null\n"
     "components:\n  - kind: software\n    name: API\n    description: null\n"
     "    in_scope: true\n    reason: null\n"
     "subservice_orgs:\n  - slug: aws\n    name: AWS\n    method: carve-out\n"
     "    services: null\n    csocs:\n      - text: Guards\n        criteria:\n"
     "          - CC6.4\n"
     "cuecs:\n  - code: CUEC-01\n    text: Review access\n    criteria:\n      - CC6.2\n",
     0},
    {"applicability.yaml", "not_applicable:\n  - target: CC9.2-PF07\n    justification: None\n", 0},
    {"people/ann@acme.io.yaml",
     "email: ann@acme.io\nname: Ann\ntitle: null\ndepartment: null\n"
     "manager: null\nstart: 2020-01-01\nend: null\n"
     "control_owner: true\napprover: true\n",
     0},
    {"controls/CUST-01.yaml",
     "code: CUST-01\ntitle: Reviews\ndescription: |-\n  Two\n  lines\nowner: ann@acme.io\n"
     "frequency: quarterly\nnature: detective\ntype: manual\nkey: true\nstatus: designed\n"
     "library_code: IAM-01\nevidence:\n  - Minutes\ncriteria:\n  - id: CC6.1\n"
     "    points_of_focus:\n      - CC6.1-PF01\n",
     0},
    {"risks/R-01.yaml",
     "code: R-01\ntitle: Stale access\ndescription: null\ncategory: null\n"
     "likelihood: 3\nimpact: 4\ntreatment: mitigate\n"
     "residual_likelihood: 2\nresidual_impact: 2\nfraud: true\n"
     "owner: ann@acme.io\nnext_review: 2026-06-01\ncontrols:\n  - CUST-01\n",
     0},
    {"policies/rules.yaml",
     "slug: rules\ntitle: Rules\nowner: ann@acme.io\nreview: annual\n"
     "template: access-control\nversions:\n  - number: 1\n"
     "    file: rules.v1.md\n    approved_by: ann@acme.io\n"
     "    approved_on: 2026-02-01\n    acks:\n"
     "      - person: ann@acme.io\n        on: 2026-02-03\n",
     0},
    {"vendors/aws.yaml",
     "slug: aws\nname: AWS\nservice: Hosting\ncriticality: critical\n"
     "data_shared: null\nsoc_report: true\nsoc_period_end: 2025-12-31\n"
     "subservice: aws\n",
     0},
    {"policies/rules.v1.md", "# Rules\n\n{{org.name}} has rules. Owner: {{policy.owner}}\n", 0},
};

#define N_FILES (sizeof(tree) / sizeof(tree[0]))

static struct app app;
static struct arena ctx_arena = ARENA_INIT;
static struct app_yaml_ctx ctx;
static int ready;

static void check(int cond)
{
    if (!cond)
        abort();
}

static void cleanup(void)
{
    arena_release(&ctx_arena);
    app_release(&app);
}

/* Loads the context and checks that the tree as given is valid. */
static void setup(void)
{
    struct err e = ERR_INIT;
    app_init(&app);
    check(time_parse("2026-03-01T09:00:00Z", &app.now, &e) == 0);
    check(app_yaml_context(&app, &ctx_arena, &ctx, &e) == 0);
    atexit(cleanup);
    struct arena a = ARENA_INIT;
    struct app_yaml_file files[N_FILES];
    memcpy(files, tree, sizeof(files));
    for (size_t i = 0; i < N_FILES; i++)
        files[i].len = strlen(files[i].data);
    struct app_yaml_tree *t;
    struct app_yaml_errors errs = {0};
    check(app_yaml_parse(&a, &ctx, files, N_FILES, &t, &errs) == 0 && errs.n == 0);
    arena_release(&a);
    ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size == 0)
        return 0;
    unsigned pick = data[0] >= '0' && data[0] <= '8' ? (unsigned)(data[0] - '0') : data[0];
    pick %= N_FILES;
    struct arena a = ARENA_INIT;
    struct app_yaml_file files[N_FILES];
    memcpy(files, tree, sizeof(files));
    for (size_t i = 0; i < N_FILES; i++)
        files[i].len = strlen(files[i].data);
    files[pick].data = arena_strndup(&a, (const char *)data + 1, size - 1);
    files[pick].len = size - 1;

    struct app_yaml_tree *t = NULL;
    struct app_yaml_errors errs = {0};
    int rc = app_yaml_parse(&a, &ctx, files, N_FILES, &t, &errs);
    check(rc == 0 || rc == TL_EINPUT);
    check((rc == 0) == (errs.n == 0 && errs.dropped == 0));
    check((rc == 0) == (t != NULL));
    check(errs.n <= APP_YAML_MAX_ERRORS);
    for (size_t i = 0; i < errs.n; i++) {
        const char *line = errs.lines[i];
        int known = 0;
        for (size_t k = 0; k < N_FILES && !known; k++) {
            size_t n = strlen(tree[k].path);
            known = strncmp(line, tree[k].path, n) == 0 && line[n] == ':';
        }
        check(known);
        check(strlen(line) > strlen(": "));
    }
    arena_release(&a);
    return 0;
}
