/* serve.c - 'tillit serve': the web pages and the JSON API. */
#include "cli/cli.h"

#include "web/web.h"

#include <stdlib.h>
#include <string.h>

static void log_line(void *ud, enum log_level level, const char *line)
{
    (void)ud;
    char at[TIME_BUF];
    time_format(time_now(), at);
    fprintf(stderr, "%s %s %s\n", at, log_level_name(level), line);
}

static void on_listen(void *ud, const char *url)
{
    FILE *out = ud;
    fprintf(out, "tillit: listening on %s\n", url);
    fflush(out);
}

static int positive(struct cli_ctx *ctx, const char *opt, const char *s, int max, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > max) {
        ERR_SET(&ctx->e, TL_EUSAGE, "%s must be a number from 1 to %d, not '%s'", opt, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cmd_serve(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *listen = "127.0.0.1:8080", *threads = NULL, *max_seconds = NULL;
    const char *tls_proxy = NULL, *quiet = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"listen", true, &listen},
                                   {"threads", true, &threads},
                                   {"max-seconds", true, &max_seconds},
                                   {"tls-proxy", false, &tls_proxy},
                                   {"quiet", false, &quiet},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    struct tl_log log = {quiet ? LOG_WARN : LOG_INFO, log_line, NULL};
    struct web_config cfg = {.db_url = ctx->db_url,
                             .content_dir = ctx->app.content_dir,
                             .listen = listen,
                             .threads = 4,
                             .tls_proxy = tls_proxy != NULL,
                             .now = getenv("TILLIT_NOW"),
                             .log = &log,
                             .on_listen = on_listen,
                             .ud = ctx->out};
    if (threads && positive(ctx, "--threads", threads, 256, &cfg.threads))
        return EXIT_USAGE;
    if (max_seconds && positive(ctx, "--max-seconds", max_seconds, 1 << 30, &cfg.max_seconds))
        return EXIT_USAGE;
    int rc = web_serve(&cfg, &ctx->e);
    return rc ? cli_exit_for(rc) : EXIT_OK;
}
