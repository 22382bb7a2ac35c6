/* test_dataset.c - loading exports into the analysis database: typed
 * columns, declared types, JSON flattening, the AWS credential report and
 * GitHub pull requests, refusal of the wrong kind, and a failed load that
 * leaves the previous version in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sb.h"
#include "engine/dataset.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tillit-dataset-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[16][256];
    static int k;
    char *p = path[k++ % 16];
    snprintf(p, 256, "%s/%s", dir, name);
    struct err e = ERR_INIT;
    assert_int_equal(sb_write_file(p, text, strlen(text), &e), 0);
    return p;
}

static const char *db_path(void)
{
    static char p[256];
    snprintf(p, sizeof(p), "%s/data/org.sqlite", dir);
    return p;
}

/* Loads and commits; returns the engine's code. */
static int load(const char *name, const char *kind, const char *path, const char *const *decl,
                size_t n_decl, struct eng_load_out *out, struct arena *a, struct err *e)
{
    struct eng_adb *db;
    assert_int_equal(eng_adb_open(db_path(), false, &db, e), 0);
    struct eng_load_in in = {name, kind, path, decl, n_decl, "2026-03-01T09:00:00Z"};
    int rc = eng_load_begin(db, a, &in, out, e);
    if (rc == 0)
        rc = eng_load_commit(db, e);
    eng_adb_close(db);
    return rc;
}

/* The first column of the first row of a query, as text ("" for none). */
static const char *query(const char *sql)
{
    static char buf[512];
    sqlite3 *db;
    sqlite3_stmt *st;
    buf[0] = '\0';
    assert_int_equal(sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    } else {
        snprintf(buf, sizeof(buf), "error: %s", sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    return buf;
}

static enum eng_type type_of(const struct eng_table_info *t, const char *col)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].name, col) == 0)
            return t->cols[i].type;
    fail_msg("no column %s", col);
    return ENG_T_AUTO;
}

static void test_csv_types(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    static const char text[] = "\xef\xbb\xbf"
                               "Employee ID,E-mail,Start Date,Active,Score,Zip,Last Login\r\n"
                               "1,a@x.se,2024-01-15,true,9.5,01234,2026-02-01T10:00:00+01:00\r\n"
                               "2,\"b@x.se\",2025-12-01,FALSE,7,11122,\r\n";
    const char *p = write_file("people.csv", text);
    assert_int_equal(load("people", "csv", p, NULL, 0, &out, &a, &e), 0);
    const struct eng_table_info *t = &out.tables[0];
    assert_int_equal(t->rows, 2);
    assert_int_equal(t->n_cols, 7);
    assert_string_equal(t->cols[0].name, "employee_id");
    assert_string_equal(t->cols[1].name, "e_mail");
    assert_string_equal(t->cols[1].source, "E-mail");
    assert_int_equal(type_of(t, "employee_id"), ENG_T_INTEGER);
    assert_int_equal(type_of(t, "start_date"), ENG_T_DATE);
    assert_int_equal(type_of(t, "active"), ENG_T_BOOLEAN);
    assert_int_equal(type_of(t, "score"), ENG_T_REAL);
    assert_int_equal(type_of(t, "zip"), ENG_T_TEXT);
    assert_int_equal(type_of(t, "last_login"), ENG_T_DATETIME);
    assert_int_equal(out.bytes, sizeof(text) - 1);
    assert_string_equal(query("SELECT typeof(employee_id) || typeof(score) || active FROM people "
                              "WHERE e_mail = 'a@x.se'"),
                        "integerreal1");
    assert_string_equal(query("SELECT last_login FROM people WHERE employee_id = 1"),
                        "2026-02-01T09:00:00Z");
    assert_string_equal(query("SELECT count(*) FROM people WHERE last_login IS NULL"), "1");
    assert_string_equal(query("SELECT zip FROM people WHERE employee_id = 1"), "01234");
    assert_string_equal(query("SELECT sha256 || rows FROM _tillit_dataset WHERE name='people'"),
                        arena_printf(&a, "%s2", out.sha256));
    arena_release(&a);
}

/* Types are those of all rows, also when only a late row decides them. */
static void test_late_rows_decide_types(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    struct sb big = SB_INIT;
    sb_adds(&big, "code,day,n\n");
    for (int i = 0; i < 30000; i++)
        sb_addf(&big, "%d,2026-01-%02d,%d\n", 100 + i, 1 + i % 28, i);
    sb_adds(&big, "A7,2026-02-01T12:00:00Z,1.5\n");
    assert_int_equal(load("late", "csv", write_file("late.csv", big.buf), NULL, 0, &out, &a, &e),
                     0);
    const struct eng_table_info *t = &out.tables[0];
    assert_int_equal(t->rows, 30001);
    assert_int_equal(type_of(t, "code"), ENG_T_TEXT);
    assert_int_equal(type_of(t, "day"), ENG_T_DATETIME);
    assert_int_equal(type_of(t, "n"), ENG_T_REAL);
    assert_string_equal(query("SELECT typeof(code) || code || day FROM late WHERE n = 0"),
                        "text1002026-01-01T00:00:00Z");
    assert_string_equal(query("SELECT count(*) FROM late WHERE code IS NULL OR day IS NULL"), "0");
    /* And when they agree with the first rows, one pass was enough. */
    sb_reset(&big);
    sb_adds(&big, "code,day\n");
    for (int i = 0; i < 30000; i++)
        sb_addf(&big, "%d,2026-01-%02d\n", 100 + i, 1 + i % 28);
    assert_int_equal(load("same", "csv", write_file("same.csv", big.buf), NULL, 0, &out, &a, &e),
                     0);
    assert_int_equal(type_of(&out.tables[0], "code"), ENG_T_INTEGER);
    assert_int_equal(type_of(&out.tables[0], "day"), ENG_T_DATE);
    assert_string_equal(query("SELECT sum(typeof(code) = 'integer') FROM same"), "30000");
    sb_release(&big);
    arena_release(&a);
}

static void test_declared_types(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    const char *p = write_file("codes.csv", "code,version\n10,2026.1\n20,2025.2\n");
    const char *decl[] = {"code:text", "Version:text"};
    assert_int_equal(load("codes", "csv", p, decl, 2, &out, &a, &e), 0);
    assert_int_equal(type_of(&out.tables[0], "code"), ENG_T_TEXT);
    assert_int_equal(type_of(&out.tables[0], "version"), ENG_T_TEXT);
    assert_string_equal(query("SELECT typeof(code) || version FROM codes LIMIT 1"), "text2026.1");
    /* A value that does not fit a declared type names column and line. */
    const char *bad[] = {"version:integer"};
    assert_int_equal(load("codes", "csv", p, bad, 1, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "column 'version' is integer, but '2026.1' is not"));
    assert_non_null(strstr(e.where, "codes.csv:2"));
    const char *unknown[] = {"nope:text"};
    assert_int_equal(load("codes", "csv", p, unknown, 1, &out, &a, &e), TL_EUSAGE);
    assert_non_null(strstr(e.msg, "has no column 'nope' (columns: code, version)"));
    const char *badtype[] = {"code:money"};
    assert_int_equal(load("codes", "csv", p, badtype, 1, &out, &a, &e), TL_EUSAGE);
    arena_release(&a);
}

static void test_failed_load_keeps_previous(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    const char *good = write_file("h1.csv", "id,name\n1,a\n2,b\n");
    assert_int_equal(load("hist", "csv", good, NULL, 0, &out, &a, &e), 0);
    const char *ragged = write_file("h2.csv", "id,name\n1,a\n2,b,c\n3,d\n");
    assert_int_equal(load("hist", "csv", ragged, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "row has 3 fields, the header has 2"));
    assert_string_equal(e.where, arena_printf(&a, "%s:3", ragged));
    assert_string_equal(query("SELECT group_concat(name) FROM hist"), "a,b");
    const char *quote = write_file("h3.csv", "id,name\n1,\"open\n2,b\n");
    assert_int_equal(load("hist", "csv", quote, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_string_equal(e.where, arena_printf(&a, "%s:2:3", quote));
    const char *utf = write_file("h4.csv", "id,name\n1,a\n2,b\xe4r\n");
    assert_int_equal(load("hist", "csv", utf, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_string_equal(e.where, arena_printf(&a, "%s:3:4", utf));
    assert_string_equal(query("SELECT rows FROM _tillit_dataset WHERE name = 'hist'"), "2");
    /* Past the first batches of the pipelined pass the line is still right. */
    struct sb big = SB_INIT;
    sb_adds(&big, "id,name,at\n");
    for (int i = 1; i <= 9000; i++)
        sb_addf(&big, "%d,name %d,2026-01-%02dT10:00:00Z\n", i, i, 1 + i % 28);
    const char *bp = write_file("h5.csv", big.buf);
    const char *decl[] = {"id:integer"};
    assert_int_equal(load("hist", "csv", bp, decl, 1, &out, &a, &e), 0);
    assert_string_equal(query("SELECT count(*) || max(at) FROM hist"), "90002026-01-28T10:00:00Z");
    sb_addf(&big, "x,late,2026-01-01\n");
    bp = write_file("h6.csv", big.buf);
    assert_int_equal(load("hist", "csv", bp, decl, 1, &out, &a, &e), TL_EINPUT);
    assert_string_equal(e.where, arena_printf(&a, "%s:9002", bp));
    assert_non_null(strstr(e.msg, "column 'id' is integer, but 'x' is not"));
    assert_string_equal(query("SELECT count(*) FROM hist"), "9000");
    sb_release(&big);
    /* A new name that fails leaves no table behind. */
    assert_int_equal(load("never", "csv", ragged, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_string_equal(query("SELECT count(*) FROM sqlite_master WHERE name = 'never'"), "0");
    assert_int_equal(load("Bad-Name", "csv", good, NULL, 0, &out, &a, &e), TL_EUSAGE);
    assert_int_equal(load("x", "xml", good, NULL, 0, &out, &a, &e), TL_EUSAGE);
    assert_int_equal(load("x", "csv", "/nonexistent.csv", NULL, 0, &out, &a, &e), TL_ENOTFOUND);
    arena_release(&a);
}

static void test_json_and_jsonl(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    const char *p =
        write_file("vols.json", "{\"NextToken\": null, \"Volumes\": ["
                                "{\"VolumeId\": \"vol-1\", \"Encrypted\": true, \"Size\": 8,"
                                " \"Tags\": [{\"Key\": \"Name\", \"Value\": \"db\"}],"
                                " \"State\": {\"Name\": \"in-use\"}},"
                                "{\"VolumeId\": \"vol-2\", \"Encrypted\": false, \"Size\": 16.5,"
                                " \"Extra\": \"late key\"}]}");
    assert_int_equal(load("vols", "json", p, NULL, 0, &out, &a, &e), 0);
    const struct eng_table_info *t = &out.tables[0];
    assert_int_equal(t->rows, 2);
    assert_int_equal(type_of(t, "encrypted"), ENG_T_BOOLEAN);
    assert_int_equal(type_of(t, "size"), ENG_T_REAL);
    assert_int_equal(type_of(t, "state_name"), ENG_T_TEXT);
    assert_int_equal(type_of(t, "extra"), ENG_T_TEXT);
    assert_string_equal(query("SELECT json_extract(tags, '$[0].Value') FROM vols "
                              "WHERE volume_id = 'vol-1'"),
                        "db");
    assert_string_equal(query("SELECT volume_id FROM vols WHERE NOT encrypted"), "vol-2");
    const char *l = write_file("inc.jsonl", "{\"id\": 1, \"at\": \"2026-01-01T00:00:00Z\"}\n\n"
                                            "{\"id\": 2, \"pm\": {\"done\": false}}\n");
    assert_int_equal(load("inc", "jsonl", l, NULL, 0, &out, &a, &e), 0);
    assert_int_equal(out.tables[0].rows, 2);
    assert_int_equal(type_of(&out.tables[0], "pm_done"), ENG_T_BOOLEAN);
    const char *bad = write_file("bad.jsonl", "{\"id\": 1}\n{\"id\": 2,}\n");
    assert_int_equal(load("inc", "jsonl", bad, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.where, "bad.jsonl:2:"));
    /* JSON Lines given as JSON, and a JSON array given as JSON Lines. */
    assert_int_equal(load("x", "json", l, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "use --kind jsonl"));
    const char *arr = write_file("arr.json", "[{\"a\": 1}]");
    assert_int_equal(load("x", "jsonl", arr, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "use --kind json"));
    arena_release(&a);
}

static const char pulls[] =
    "[{\"number\": 7, \"title\": \"Fix\", \"state\": \"closed\", \"user\": {\"login\": \"ann\"},"
    " \"merged_at\": \"2026-01-02T10:00:00Z\", \"merged_by\": {\"login\": \"ann\"},"
    " \"head\": {\"ref\": \"fix\", \"sha\": \"abc\"}, \"base\": {\"ref\": \"main\"},"
    " \"merge_commit_sha\": \"def\", \"labels\": [{\"name\": \"bug\"}, {\"name\": \"p1\"}],"
    " \"reviews\": [{\"id\": 1, \"user\": {\"login\": \"bo\"}, \"state\": \"APPROVED\","
    " \"submitted_at\": \"2026-01-02T09:00:00Z\"}]},"
    " {\"number\": 8, \"title\": \"Open\", \"state\": \"open\", \"user\": {\"login\": \"bo\"},"
    " \"merged_at\": null, \"head\": {\"ref\": \"x\"}, \"base\": {\"ref\": \"main\"}}]";

static void test_pulls_and_aws(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    const char *p = write_file("pulls.json", pulls);
    assert_int_equal(load("gh", "github-pulls", p, NULL, 0, &out, &a, &e), 0);
    assert_int_equal(out.n_tables, 2);
    assert_string_equal(out.tables[1].name, "gh_reviews");
    assert_int_equal(out.tables[0].rows, 2);
    assert_int_equal(out.tables[1].rows, 1);
    assert_string_equal(query("SELECT author || merged || labels || reviews FROM gh "
                              "WHERE number = 7"),
                        "ann1bug,p11");
    assert_string_equal(query("SELECT merged FROM gh WHERE number = 8"), "0");
    assert_string_equal(query("SELECT reviewer || pull_number FROM gh_reviews"), "bo7");
    /* A pull request export is not a credential report, and the reverse. */
    assert_int_equal(load("iam", "aws-iam-credential-report", p, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "is not an AWS IAM credential report: it looks like a GitHub "
                                  "pull request export"));
    const char *cr = write_file(
        "cred.csv", "user,arn,user_creation_time,password_enabled,password_last_used,"
                    "password_last_changed,password_next_rotation,mfa_active\n"
                    "<root_account>,arn:aws:iam::1:root,2019-01-01T00:00:00+00:00,not_supported,"
                    "2026-01-01T10:00:00+00:00,not_supported,not_supported,true\n"
                    "bob,arn:aws:iam::1:user/bob,2020-01-01T00:00:00+00:00,true,N/A,"
                    "2025-06-01T00:00:00+00:00,N/A,false\n");
    assert_int_equal(load("iam", "aws-iam-credential-report", cr, NULL, 0, &out, &a, &e), 0);
    assert_int_equal(type_of(&out.tables[0], "mfa_active"), ENG_T_BOOLEAN);
    assert_int_equal(type_of(&out.tables[0], "password_last_used"), ENG_T_DATETIME);
    assert_string_equal(query("SELECT quote(password_enabled) || quote(password_last_used) "
                              "FROM iam WHERE user = 'bob'"),
                        "1NULL");
    assert_int_equal(load("gh2", "github-pulls", cr, NULL, 0, &out, &a, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "looks like an AWS IAM credential report"));
    const char *other = write_file("other.csv", "user,name\nx,y\n");
    assert_int_equal(load("iam2", "aws-iam-credential-report", other, NULL, 0, &out, &a, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "column 2 is 'name', expected 'arn'"));
    /* A dataset's name cannot take a table another dataset owns. */
    assert_int_equal(load("gh_reviews", "csv", other, NULL, 0, &out, &a, &e), TL_ECONFLICT);
    arena_release(&a);
}

static int collect(void *ud, const char *const *cols, const char *const *vals, size_t n)
{
    struct sb *sb = ud;
    (void)cols;
    if (vals)
        sb_addf(sb, "%s%s;", vals[0], n > 1 && vals[1] ? vals[1] : "-");
    return 0;
}

static void test_rows_by_period(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_load_out out;
    const char *p = write_file("ch.csv", "id,at\n1,2026-01-01T10:00:00Z\n2,2026-01-31T23:59:59Z\n"
                                         "3,2026-02-01T00:00:00Z\n4,\n");
    assert_int_equal(load("ch", "csv", p, NULL, 0, &out, &a, &e), 0);
    struct eng_adb *db;
    assert_int_equal(eng_adb_open(db_path(), true, &db, &e), 0);
    struct sb sb = SB_INIT;
    int64_t total = 0;
    assert_int_equal(
        eng_adb_rows(db, "ch", "at", "2026-01-01", "2026-01-31", -1, collect, &sb, &total, &e), 0);
    assert_string_equal(sb.buf, "12026-01-01T10:00:00Z;22026-01-31T23:59:59Z;");
    assert_int_equal(total, 2);
    sb_reset(&sb);
    assert_int_equal(eng_adb_rows(db, "ch", NULL, NULL, NULL, 2, collect, &sb, &total, &e), 0);
    assert_int_equal(total, 4);
    assert_int_equal(
        eng_adb_rows(db, "ch", "nope", "2026-01-01", "2026-01-31", -1, collect, &sb, NULL, &e),
        TL_ENOTFOUND);
    sb_release(&sb);
    const char *sha;
    bool found;
    assert_int_equal(eng_adb_dataset_sha(db, &a, "ch", &sha, &found, &e), 0);
    assert_true(found);
    assert_string_equal(sha, out.sha256);
    eng_adb_close(db);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_types),      cmocka_unit_test(test_late_rows_decide_types),
        cmocka_unit_test(test_declared_types), cmocka_unit_test(test_failed_load_keeps_previous),
        cmocka_unit_test(test_json_and_jsonl), cmocka_unit_test(test_pulls_and_aws),
        cmocka_unit_test(test_rows_by_period),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
