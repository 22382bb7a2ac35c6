/* dataset_git.c - a repository's history, read with libgit2.
 *
 * One row per commit reachable from HEAD, oldest first.  "mainline" marks
 * the commits on HEAD's first-parent chain: on a protected branch those are
 * the merges of pull requests (or their squashed commits) and anything
 * pushed directly.  pr_number is read from the subject GitHub writes
 * ("Merge pull request #12 from ...", "Title (#12)").  Text that is not
 * valid UTF-8 (old commits in Latin-1) is kept with U+FFFD in place of the
 * bad bytes rather than refused: history cannot be corrected.
 */
#include "engine/dataset.h"

#include "base/date.h"
#include "base/mem.h"
#include "base/sb.h"

#include <git2.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    enum eng_type type;
} git_cols[] = {
    {"sha", ENG_T_TEXT},
    {"parents", ENG_T_TEXT},
    {"parent_count", ENG_T_INTEGER},
    {"is_merge", ENG_T_BOOLEAN},
    {"mainline", ENG_T_BOOLEAN},
    {"branch", ENG_T_TEXT},
    {"author_name", ENG_T_TEXT},
    {"author_email", ENG_T_TEXT},
    {"authored_at", ENG_T_DATETIME},
    {"committer_name", ENG_T_TEXT},
    {"committer_email", ENG_T_TEXT},
    {"committed_at", ENG_T_DATETIME},
    {"summary", ENG_T_TEXT},
    {"message", ENG_T_TEXT},
    {"signed", ENG_T_BOOLEAN},
    {"pr_number", ENG_T_INTEGER},
};
#define N_GIT_COLS (sizeof(git_cols) / sizeof(*git_cols))

enum {
    C_SHA,
    C_PARENTS,
    C_PARENT_COUNT,
    C_IS_MERGE,
    C_MAINLINE,
    C_BRANCH,
    C_AUTHOR_NAME,
    C_AUTHOR_EMAIL,
    C_AUTHORED_AT,
    C_COMMITTER_NAME,
    C_COMMITTER_EMAIL,
    C_COMMITTED_AT,
    C_SUMMARY,
    C_MESSAGE,
    C_SIGNED,
    C_PR_NUMBER
};

/* A set of object ids (the first-parent chain). */
struct oid_set {
    git_oid *ids;
    bool *used;
    size_t n, cap;
};

static size_t oid_slot(const struct oid_set *s, const git_oid *id)
{
    uint64_t h;
    memcpy(&h, id->id, sizeof(h));
    size_t i = (size_t)h & (s->cap - 1);
    while (s->used[i] && git_oid_cmp(&s->ids[i], id) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static void oid_add(struct oid_set *s, const git_oid *id)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct oid_set bigger = {NULL, NULL, 0, s->cap ? s->cap * 2 : 1024};
        bigger.ids = xcalloc(bigger.cap, sizeof(git_oid));
        bigger.used = xcalloc(bigger.cap, sizeof(bool));
        for (size_t i = 0; i < s->cap; i++)
            if (s->used[i])
                oid_add(&bigger, &s->ids[i]);
        free(s->ids);
        free(s->used);
        *s = bigger;
    }
    size_t i = oid_slot(s, id);
    if (!s->used[i]) {
        s->used[i] = true;
        git_oid_cpy(&s->ids[i], id);
        s->n++;
    }
}

static bool oid_has(const struct oid_set *s, const git_oid *id)
{
    return s->cap && s->used[oid_slot(s, id)];
}

static int git_fail(struct err *e, const char *what, const char *path)
{
    const git_error *g = git_error_last();
    return ERR_SET(e, TL_EINPUT, "%s '%s': %s", what, path,
                   g && g->message ? g->message : "failed");
}

/* Appends s as valid UTF-8 (U+FFFD for bad bytes), NUL-terminated; returns its offset. */
static size_t add_text(struct sb *sb, const char *s)
{
    size_t start = sb->len;
    size_t n = s ? strlen(s) : 0;
    while (n) {
        size_t ok = eng_utf8_check(s, n);
        sb_add(sb, s, ok);
        if (ok == n)
            break;
        sb_adds(sb, "\xef\xbf\xbd");
        s += ok + 1;
        n -= ok + 1;
    }
    sb_addc(sb, '\0');
    return start;
}

static size_t add_time(struct sb *sb, const git_time *t)
{
    char buf[TIME_BUF];
    time_format((tl_time)t->time, buf);
    return add_text(sb, buf);
}

/* The pull request a subject names, or 0. */
static long pr_number_of(const char *summary)
{
    if (!summary)
        return 0;
    if (strncmp(summary, "Merge pull request #", 20) == 0)
        return strtol(summary + 20, NULL, 10);
    size_t n = strlen(summary);
    if (n > 4 && summary[n - 1] == ')') {
        const char *open = strrchr(summary, '(');
        if (open && open[1] == '#' && open[2] >= '0' && open[2] <= '9')
            return strtol(open + 2, NULL, 10);
    }
    return 0;
}

struct git_load {
    git_repository *repo;
    const char *branch;
    struct oid_set mainline;
    struct crypto_sha256 hash;
    struct eng__table t;
    struct sb text;
};

static int commit_row(struct git_load *g, const git_oid *id, struct err *e)
{
    git_commit *c;
    if (git_commit_lookup(&c, g->repo, id) != 0)
        return git_fail(e, "cannot read a commit of", "repository");
    struct sb *sb = &g->text;
    size_t off[N_GIT_COLS];
    bool null[N_GIT_COLS] = {0};
    char hex[GIT_OID_HEXSZ + 1];
    sb_reset(sb);
    git_oid_tostr(hex, sizeof(hex), id);
    crypto_sha256_update(&g->hash, hex, GIT_OID_HEXSZ);
    crypto_sha256_update(&g->hash, "\n", 1);
    off[C_SHA] = add_text(sb, hex);
    unsigned np = git_commit_parentcount(c);
    off[C_PARENTS] = sb->len;
    for (unsigned i = 0; i < np; i++) {
        git_oid_tostr(hex, sizeof(hex), git_commit_parent_id(c, i));
        sb_addf(sb, "%s%s", i ? " " : "", hex);
    }
    sb_addc(sb, '\0');
    off[C_PARENT_COUNT] = sb->len;
    sb_addf(sb, "%u", np);
    sb_addc(sb, '\0');
    off[C_IS_MERGE] = add_text(sb, np > 1 ? "true" : "false");
    off[C_MAINLINE] = add_text(sb, oid_has(&g->mainline, id) ? "true" : "false");
    off[C_BRANCH] = add_text(sb, g->branch);
    const git_signature *au = git_commit_author(c), *co = git_commit_committer(c);
    off[C_AUTHOR_NAME] = add_text(sb, au->name);
    off[C_AUTHOR_EMAIL] = add_text(sb, au->email);
    off[C_AUTHORED_AT] = add_time(sb, &au->when);
    off[C_COMMITTER_NAME] = add_text(sb, co->name);
    off[C_COMMITTER_EMAIL] = add_text(sb, co->email);
    off[C_COMMITTED_AT] = add_time(sb, &co->when);
    const char *summary = git_commit_summary(c);
    off[C_SUMMARY] = add_text(sb, summary);
    off[C_MESSAGE] = add_text(sb, git_commit_message(c));
    git_buf sig = {0};
    bool is_signed = git_commit_header_field(&sig, c, "gpgsig") == 0;
    git_buf_dispose(&sig);
    off[C_SIGNED] = add_text(sb, is_signed ? "true" : "false");
    long pr = pr_number_of(summary);
    off[C_PR_NUMBER] = sb->len;
    if (pr > 0)
        sb_addf(sb, "%ld", pr);
    else
        null[C_PR_NUMBER] = true;
    sb_addc(sb, '\0');
    git_commit_free(c);
    struct eng_field f[N_GIT_COLS];
    for (size_t i = 0; i < N_GIT_COLS; i++)
        f[i] = null[i] ? (struct eng_field){NULL, 0}
                       : (struct eng_field){sb->buf + off[i], strlen(sb->buf + off[i])};
    return eng__table_insert(&g->t, f, 0, e);
}

static int walk_mainline(struct git_load *g, const char *path, struct err *e)
{
    git_revwalk *w;
    if (git_revwalk_new(&w, g->repo) != 0 || git_revwalk_push_head(w) != 0)
        return git_fail(e, "cannot walk the history of", path);
    git_revwalk_simplify_first_parent(w);
    git_oid id;
    while (git_revwalk_next(&id, w) == 0)
        oid_add(&g->mainline, &id);
    git_revwalk_free(w);
    return 0;
}

static int walk_all(struct git_load *g, const char *path, struct err *e)
{
    git_revwalk *w;
    if (git_revwalk_new(&w, g->repo) != 0 || git_revwalk_push_head(w) != 0)
        return git_fail(e, "cannot walk the history of", path);
    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
    git_oid id;
    int rc = 0, step;
    while (rc == 0 && (step = git_revwalk_next(&id, w)) == 0)
        rc = commit_row(g, &id, e);
    git_revwalk_free(w);
    return rc;
}

static int open_repo(struct git_load *g, const char *path, struct arena *a, struct err *e)
{
    if (git_repository_open_ext(&g->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a git repository: it looks like %s", path,
                       eng__sniff(path));
    git_reference *head;
    int rc = git_repository_head(&head, g->repo);
    if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND)
        return ERR_SET(e, TL_EINPUT, "repository '%s' has no commits", path);
    if (rc != 0)
        return git_fail(e, "cannot read HEAD of", path);
    g->branch = arena_strdup(a, git_reference_shorthand(head));
    git_reference_free(head);
    return 0;
}

int eng__load_git(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                  struct eng_load_out *out, struct err *e)
{
    if (in->n_declared)
        return ERR_SET(e, TL_EUSAGE, "--column does not apply to --kind git");
    git_libgit2_init();
    struct git_load g;
    memset(&g, 0, sizeof(g));
    sb_init(&g.text);
    crypto_sha256_begin(&g.hash);
    int rc = open_repo(&g, in->path, a, e);
    struct eng_column *cols = arena_calloc(a, N_GIT_COLS, sizeof(*cols));
    for (size_t i = 0; i < N_GIT_COLS; i++)
        cols[i] = (struct eng_column){git_cols[i].name, git_cols[i].name, git_cols[i].type, false};
    if (rc == 0) {
        crypto_sha256_update(&g.hash, "HEAD ", 5);
        crypto_sha256_update(&g.hash, g.branch, strlen(g.branch));
        crypto_sha256_update(&g.hash, "\n", 1);
        rc = walk_mainline(&g, in->path, e);
    }
    if (rc == 0)
        rc = eng__table_create(&g.t, db, a, in->path, in->name, cols, N_GIT_COLS, e);
    if (rc == 0)
        rc = walk_all(&g, in->path, e);
    if (rc == 0) {
        crypto_sha256_end(&g.hash, out->sha256);
        out->bytes = 0;
        out->tables = arena_calloc(a, 1, sizeof(*out->tables));
        out->tables[0] = g.t.info;
        out->n_tables = 1;
    }
    eng__table_release(&g.t);
    sb_release(&g.text);
    free(g.mainline.ids);
    free(g.mainline.used);
    git_repository_free(g.repo);
    git_libgit2_shutdown();
    return rc;
}
