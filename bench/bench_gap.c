/* bench_gap.c - the gap analysis of one organization in a database of many.
 *
 * Builds two databases: one holding only the demo organization, one holding
 * it among N-1 other copies (default N = 1000). Then runs the gap analysis
 * of the same organization in both, interleaved, and prints the median
 * times and their ratio. The target: ratio <= 1.2, low milliseconds.
 *
 * usage: bench_gap [N] [ITERATIONS]
 */
#include "app/app.h"
#include "app/demo.h"
#include "app/gap.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    fprintf(stderr, "bench_gap: %s: %s %s\n", what, e->where, e->msg);
    exit(1);
}

/* Creates a database with n demo organizations; the measured one is in the middle. */
static void build(const char *path, int n, const char **target_id)
{
    struct app app;
    struct err e = ERR_INIT;
    int from, to;
    app_init(&app);
    app.now = time_now();
    if (app_create_db(&app, path, &from, &to, &e))
        die("init", &e);
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        struct arena a = ARENA_INIT;
        struct app_demo_counts c;
        const char *slug;
        char name[32];
        snprintf(name, sizeof(name), "org-%05d", i);
        if (app_demo_create(&app, &a, i == n / 2 ? "target" : name, &c, &slug, &e))
            die("demo", &e);
        arena_release(&a);
        if (n > 1 && (i + 1) % 100 == 0)
            fprintf(stderr, "  %d/%d organizations (%.0f s)\n", i + 1, n, (now_ms() - t0) / 1e3);
    }
    struct arena a = ARENA_INIT;
    struct app_org org;
    if (app_org_get(&app, &a, "target", &org, &e))
        die("org", &e);
    *target_id = strdup(org.id);
    arena_release(&a);
    app_release(&app);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double time_gap(struct app *app, const char *org_id)
{
    struct arena a = ARENA_INIT;
    struct gap_result g;
    struct err e = ERR_INIT;
    double t0 = now_ms();
    if (app_gap(app, &a, org_id, &g, &e))
        die("gap", &e);
    double t = now_ms() - t0;
    arena_release(&a);
    return t;
}

static void open_app(struct app *app, const char *path)
{
    struct err e = ERR_INIT;
    app_init(app);
    app->now = time_now();
    if (app_open_db(app, path, true, &e))
        die("open", &e);
    const struct dom_catalog *c;
    if (app_catalog(app, &c, &e)) /* loaded once per process, as in the server */
        die("catalog", &e);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;   /* checkstyle: ok, bench arguments */
    int iters = argc > 2 ? atoi(argv[2]) : 300; /* checkstyle: ok */
    struct err e = ERR_INIT;
    if (crypto_init(&e) || n < 1 || iters < 1)
        return 2;
    char dir[] = "/tmp/tillit-bench-gap.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char one[256], many[256];
    snprintf(one, sizeof(one), "%s/one.db", dir);
    snprintf(many, sizeof(many), "%s/many.db", dir);
    const char *id_one, *id_many;
    fprintf(stderr, "building a database with 1 organization\n");
    build(one, 1, &id_one);
    fprintf(stderr, "building a database with %d organizations\n", n);
    double t0 = now_ms();
    build(many, n, &id_many);
    double build_s = (now_ms() - t0) / 1e3;

    struct app a1, an;
    open_app(&a1, one);
    open_app(&an, many);
    double *t1 = calloc((size_t)iters, sizeof(double)), *tn = calloc((size_t)iters, sizeof(double));
    for (int i = 0; i < 5; i++) { /* warm the page cache and statements */
        time_gap(&a1, id_one);
        time_gap(&an, id_many);
    }
    for (int i = 0; i < iters; i++) {
        t1[i] = time_gap(&a1, id_one);
        tn[i] = time_gap(&an, id_many);
    }
    qsort(t1, (size_t)iters, sizeof(double), cmp_double);
    qsort(tn, (size_t)iters, sizeof(double), cmp_double);
    double m1 = t1[iters / 2], mn = tn[iters / 2];
    printf("bench/gap: gap analysis of one demo organization (%d iterations, interleaved)\n",
           iters);
    printf("  database with 1 organization:    median %.3f ms  p90 %.3f ms\n", m1,
           t1[iters * 9 / 10]);
    printf("  database with %d organizations: median %.3f ms  p90 %.3f ms\n", n, mn,
           tn[iters * 9 / 10]);
    printf("  ratio many/one: %.2f (target <= 1.20)\n", mn / m1);
    printf("  building %d demo organizations took %.1f s\n", n, build_s);
    app_release(&a1);
    app_release(&an);
    free(t1);
    free(tn);
    free((void *)id_one);
    free((void *)id_many);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
