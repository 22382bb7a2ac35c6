/* bench_report.c - the SOC 2 Type II report of 150 controls with 25
 * samples each, rendered to PDF, DOCX and XLSX, against Chromium printing
 * Tillit's own HTML of the same report to PDF.
 *
 * The program is synthesized (no database): the real catalog and gap
 * engine, 150 controls mapped over the security, availability and
 * confidentiality criteria, a Type II engagement in reporting with one
 * operating test per control and 25 sample items each (every 40th an
 * exception), and the appendix of every sample item (3,750 rows).  Each
 * format renders in a child process of its own, so its time and peak
 * resident memory (ru_maxrss) are its own; a child that only builds the
 * document gives the baseline.  The targets: PDF at least 10 times
 * faster than Chromium, and under 100 MB.
 *
 * usage: bench_report [CONTROLS] [SAMPLES] [OUTDIR]
 */
#include "app/app.h"
#include "app/report.h"
#include "base/crypto.h"
#include "report/soc2.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "bench_report: %s: %s %s\n", what, e->where, e->msg);
    exit(1);
}

static const char *const in_scope[] = {"security", "availability", "confidentiality"};

static void program(struct app *app, struct arena *a, int n_controls, int n_samples,
                    struct app_report_data *d)
{
    struct err e = ERR_INIT;
    memset(d, 0, sizeof(*d));
    if (app_catalog(app, &d->catalog, &e))
        die("catalog", &e);
    const struct dom_catalog *c = d->catalog;
    d->today = "2026-07-15";
    d->org = (struct app_org){.id = "bench",
                              .slug = "bench",
                              .name = "Bench Analytics",
                              .legal_name = "Bench Analytics AB",
                              .description = "A benchmark"};
    struct app_scope *s = &d->scope;
    s->system = (struct app_system){.name = "Bench Platform",
                                    .boundaries = "The production platform in two cloud "
                                                  "regions, the delivery pipeline and the "
                                                  "support desk.",
                                    .commitments = "Customer data is kept confidential and the "
                                                   "service is available 99.9% of each month."};
    s->categories = arena_calloc(a, 5, sizeof(*s->categories));
    for (size_t i = 0; i < c->n_categories && i < 5; i++) {
        bool in = false;
        for (size_t k = 0; k < 3; k++)
            in = in || strcmp(c->categories[i].id, in_scope[k]) == 0;
        s->categories[i] = (struct app_scope_category){
            .category = c->categories[i].id, .in_scope = in, .reason = in ? "" : "not offered"};
    }
    s->n_categories = c->n_categories;
    s->services = arena_calloc(a, 3, sizeof(*s->services));
    for (int i = 0; i < 3; i++)
        s->services[i] =
            (struct app_service){.id = "",
                                 .name = arena_printf(a, "Service %d", i + 1),
                                 .description = "Analytics delivered as a web application."};
    s->n_services = 3;
    static const char *const kinds[] = {"infrastructure", "software", "people", "procedures",
                                        "data"};
    s->components = arena_calloc(a, 10, sizeof(*s->components));
    for (int i = 0; i < 10; i++)
        s->components[i] = (struct app_component){.id = "",
                                                  .kind = kinds[i / 2],
                                                  .name = arena_printf(a, "Component %d", i + 1),
                                                  .description = "Part of the system.",
                                                  .in_scope = true,
                                                  .reason = ""};
    s->n_components = 10;

    /* Controls and their mappings over the criteria in scope. */
    const char **crit = arena_calloc(a, c->n_criteria, sizeof(char *));
    size_t n_crit = 0;
    for (size_t i = 0; i < c->n_criteria; i++)
        for (size_t k = 0; k < 3; k++)
            if (strcmp(c->criteria[i].category, in_scope[k]) == 0)
                crit[n_crit++] = c->criteria[i].id;
    d->controls = arena_calloc(a, (size_t)n_controls, sizeof(*d->controls));
    struct gap_control *gc = arena_calloc(a, (size_t)n_controls, sizeof(*gc));
    struct gap_mapping *gm = arena_calloc(a, (size_t)n_controls * 2, sizeof(*gm));
    for (int i = 0; i < n_controls; i++) {
        struct app_control *ctl = &d->controls[i];
        ctl->code = arena_printf(a, "CTL-%03d", i + 1);
        ctl->title = arena_printf(a, "Control %d", i + 1);
        ctl->description = "A person reviews the records of the period, follows up every "
                           "deviation and keeps the signed review as evidence.";
        ctl->frequency = "daily";
        ctl->nature = "detective";
        ctl->type = "manual";
        ctl->status = "operating";
        gc[i] = (struct gap_control){
            .code = ctl->code, .status = "operating", .evidence_covered = true};
        gm[2 * i] = (struct gap_mapping){
            .control = (size_t)i, .criterion = crit[(size_t)i % n_crit], .pofs = ""};
        gm[2 * i + 1] = (struct gap_mapping){
            .control = (size_t)i, .criterion = crit[((size_t)i * 7 + 3) % n_crit], .pofs = ""};
    }
    d->n_controls = (size_t)n_controls;
    struct gap_input gi = {.catalog = c,
                           .controls = gc,
                           .n_controls = (size_t)n_controls,
                           .mappings = gm,
                           .n_mappings = (size_t)n_controls * 2};
    for (size_t i = 0; i < 5 && i < c->n_categories; i++)
        gi.in_scope[i] = s->categories[i].in_scope;
    if (gap_analyze(&gi, a, &d->gap, &e))
        die("gap", &e);

    struct app_engagement *eng = arena_calloc(a, 1, sizeof(*eng));
    *eng = (struct app_engagement){.slug = "type2-2026",
                                   .kind = "type2",
                                   .period_start = "2026-01-01",
                                   .period_end = "2026-06-30",
                                   .categories = "security,availability,confidentiality",
                                   .firm = "Revisorerna AB",
                                   .phase = "reporting"};
    d->eng = eng;
    d->tests = arena_calloc(a, (size_t)n_controls, sizeof(*d->tests));
    for (int i = 0; i < n_controls; i++) {
        struct app_test *t = arena_calloc(a, 1, sizeof(*t));
        int exceptions = 0;
        struct app_sample_item *items = arena_calloc(a, (size_t)n_samples, sizeof(*items));
        for (int k = 0; k < n_samples; k++) {
            bool bad = (i * n_samples + k) % 40 == 39;
            exceptions += bad;
            items[k] = (struct app_sample_item){
                .pos = k + 1,
                .idx = k * 7,
                .item = arena_printf(a, "REC-%05d", i * 1000 + k * 7),
                .item_date = "2026-03-15",
                .result = bad ? "exception" : "pass",
                .description = bad ? "The review was signed two days late." : "",
                .evidence = "",
                .tested_by = "auditor@example.com",
                .tested_at = "2026-07-01T10:00:00Z"};
        }
        *t = (struct app_test){.ref = arena_printf(a, "type2-2026:%s", d->controls[i].code),
                               .engagement = "type2-2026",
                               .control = d->controls[i].code,
                               .control_title = d->controls[i].title,
                               .kind = "operating",
                               .method = "inspection",
                               .steps = "Obtain the population of reviews for the period.\n"
                                        "Select the sample with the recorded seed.\n"
                                        "Inspect each review for sign-off and follow-up.",
                               .population_size = 181,
                               .sample_size = n_samples,
                               .seed = "20260701",
                               .status = "concluded",
                               .conclusion = exceptions ? "effective-with-exceptions" : "effective",
                               .tested = n_samples,
                               .passed = n_samples - exceptions,
                               .exceptions = exceptions};
        d->tests[i] =
            (struct rpt_soc2_test){.test = t, .samples = items, .n_samples = (size_t)n_samples};
    }
    d->n_tests = (size_t)n_controls;
}

static double cpu_ms(const struct rusage *ru)
{
    return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
           (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

struct run {
    double ms;
    double cpu; /* CPU time of the whole child process (setup included) */
    long maxrss_kb;
    size_t bytes;
    int status;
};

/* Builds the document and renders it as fmt ("" = build only) in a child;
 * the child writes the file to dir and reports size and time on a pipe. */
static struct run child(const char *fmt, const char *dir, int n_controls, int n_samples)
{
    int fds[2];
    struct run r = {0};
    if (pipe(fds) != 0)
        exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        struct app app;
        struct arena a = ARENA_INIT;
        struct err e = ERR_INIT;
        app_init(&app);
        struct app_report_data d;
        program(&app, &a, n_controls, n_samples, &d);
        struct rpt_doc *doc = NULL;
        double t0 = now_ms();
        if (app_report_soc2(&app, &a, &d, "en", true, &doc, &e))
            die("soc2", &e);
        struct sb out = SB_INIT;
        int rc = 0;
        if (strcmp(fmt, "pdf") == 0)
            rc = rpt_render_pdf(doc, &out, &e);
        else if (strcmp(fmt, "docx") == 0)
            rc = rpt_render_docx(doc, &out, &e);
        else if (strcmp(fmt, "xlsx") == 0)
            rc = rpt_render_xlsx(doc, &out, &e);
        else if (strcmp(fmt, "html") == 0)
            rc = rpt_render_html(doc, &out);
        if (rc)
            die(fmt, &e);
        double ms = now_ms() - t0;
        if (*fmt) {
            char path[512];
            snprintf(path, sizeof(path), "%s/report.%s", dir, fmt);
            if (sb_write_file(path, out.buf, out.len, &e))
                die("write", &e);
        }
        struct run mine = {.ms = ms, .maxrss_kb = 0, .bytes = out.len, .status = 0};
        if (write(fds[1], &mine, sizeof(mine)) != (ssize_t)sizeof(mine))
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
        r.status = -1;
    close(fds[0]);
    struct rusage ru;
    int status = 0;
    wait4(pid, &status, 0, &ru);
    r.maxrss_kb = ru.ru_maxrss;
    r.cpu = cpu_ms(&ru);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        r.status = -1;
    return r;
}

static const char *find_chromium(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/usr/bin/google-chrome", NULL};
    for (const char *const *n = names; *n; n++)
        if (access(*n, X_OK) == 0)
            return *n;
    return NULL;
}

/* Chromium prints the HTML to PDF: wall time of the whole browser run.  Its
 * CPU time is printed too, but it misses the renderer processes (children
 * of chromium's zygote, not reaped by the process we wait for), so the
 * ratio is taken on wall time. */
static double chromium(const char *bin, const char *dir, long *maxrss_kb, double *cpu)
{
    char html[512], pdf[600], url[600], profile[600];
    snprintf(html, sizeof(html), "%s/report.html", dir);
    snprintf(pdf, sizeof(pdf), "--print-to-pdf=%s/chromium.pdf", dir);
    snprintf(url, sizeof(url), "file://%s", html);
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium-profile", dir);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(bin, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
              profile, pdf, url, (char *)NULL);
        _exit(127);
    }
    struct rusage ru;
    int status = 0;
    wait4(pid, &status, 0, &ru);
    *maxrss_kb = ru.ru_maxrss;
    *cpu = cpu_ms(&ru);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return now_ms() - t0;
}

int main(int argc, char **argv)
{
    int n_controls = argc > 1 ? atoi(argv[1]) : 150;
    int n_samples = argc > 2 ? atoi(argv[2]) : 25;
    char tmpl[] = "/tmp/tillit-bench-report-XXXXXX";
    const char *dir = argc > 3 ? argv[3] : mkdtemp(tmpl);
    struct err e = ERR_INIT;
    if (!dir || crypto_init(&e))
        return 1;
    mkdir(dir, 0755);
    printf("report: Type II, %d controls x %d samples (%d sample rows), files in %s\n", n_controls,
           n_samples, n_controls * n_samples, dir);
    struct run base = child("", dir, n_controls, n_samples);
    printf("  %-9s %8.0f ms  peak %6.1f MB  (building the tree; included below)\n", "document",
           base.ms, base.maxrss_kb / 1024.0);
    /* BENCH_REPORT_ONLY=pdf runs one format and no browser (for profiling). */
    const char *only = getenv("BENCH_REPORT_ONLY");
    static const char *const fmts[] = {"pdf", "docx", "xlsx", "html"};
    struct run runs[4];
    for (int i = 0; i < 4; i++) {
        if (only && strcmp(only, fmts[i]) != 0) {
            runs[i] = (struct run){.ms = 1};
            continue;
        }
        runs[i] = child(fmts[i], dir, n_controls, n_samples);
        if (runs[i].status) {
            printf("  %-9s FAILED\n", fmts[i]);
            return 1;
        }
        printf("  %-9s %8.0f ms  cpu %6.0f ms  peak %6.1f MB  %8.1f kB\n", fmts[i], runs[i].ms,
               runs[i].cpu, runs[i].maxrss_kb / 1024.0, runs[i].bytes / 1024.0);
    }
    const char *bin = find_chromium();
    if (only)
        return 0;
    if (!bin) {
        printf("  chromium: skipped (not installed)\n");
        return 0;
    }
    long rss = 0;
    double cpu = 0;
    double ms = chromium(bin, dir, &rss, &cpu);
    if (ms < 0) {
        printf("  chromium: failed\n");
        return 0;
    }
    printf("  %-9s %8.0f ms  cpu %6.0f ms  peak %6.1f MB (browser process only)\n", "chromium", ms,
           cpu, rss / 1024.0);
    printf("  ratio: PDF is %.1fx faster than chromium (%.0f vs %.0f ms wall; target >= 10x); "
           "PDF peak %.1f MB (target < 100 MB)\n",
           ms / runs[0].ms, runs[0].ms, ms, runs[0].maxrss_kb / 1024.0);
    return 0;
}
