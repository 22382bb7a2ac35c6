/* test_checks.c - check files and their runs: parsing with positions, the
 * read-only authorizer, parameters, and SQL errors that name file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sb.h"
#include "engine/checks.h"

static char dir[64], dbpath[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tillit-checks-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(dbpath, sizeof(dbpath), "%s/org.sqlite", dir);
    char csv[128], other[128];
    snprintf(csv, sizeof(csv), "%s/users.csv", dir);
    snprintf(other, sizeof(other), "%s/secret.csv", dir);
    static const char users[] = "user,mfa,last_login\n"
                                "ann,true,2026-02-20T10:00:00Z\n"
                                "bo,false,2026-02-27T10:00:00Z\n"
                                "cy,false,2025-10-01T10:00:00Z\n";
    struct err e = ERR_INIT;
    assert_int_equal(sb_write_file(csv, users, strlen(users), &e), 0);
    assert_int_equal(sb_write_file(other, "k\nv\n", 4, &e), 0);
    struct eng_adb *db;
    struct arena a = ARENA_INIT;
    assert_int_equal(eng_adb_open(dbpath, false, &db, &e), 0);
    struct eng_load_out out;
    struct eng_load_in in = {"users", "csv", csv, NULL, 0, "2026-03-01T09:00:00Z"};
    assert_int_equal(eng_load_begin(db, &a, &in, &out, &e), 0);
    assert_int_equal(eng_load_commit(db, &e), 0);
    struct eng_load_in in2 = {"secret", "csv", other, NULL, 0, "2026-03-01T09:00:00Z"};
    assert_int_equal(eng_load_begin(db, &a, &in2, &out, &e), 0);
    assert_int_equal(eng_load_commit(db, &e), 0);
    eng_adb_close(db);
    arena_release(&a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char good[] = "id: mfa-off\n"
                           "title: {en: \"Users without MFA\", sv: \"Anv\xc3\xa4ndare utan MFA\"}\n"
                           "controls: [IAM-02]\n"
                           "criteria: [CC6.1]\n"
                           "datasets: [users]\n"
                           "population: SELECT user FROM users\n"
                           "sql: |\n"
                           "  SELECT user, last_login\n"
                           "  FROM users\n"
                           "  WHERE NOT mfa AND last_login >= :period_start\n"
                           "  ORDER BY user;\n";

/* Runs check text over the test database; returns the engine's code. */
static int run(const char *text, struct eng_check_result *r, struct err *e)
{
    struct arena a = ARENA_INIT;
    struct eng_check c;
    int rc = eng_check_parse(&a, "checks/t.yaml", text, strlen(text), &c, e);
    if (rc == 0) {
        struct eng_adb *db;
        assert_int_equal(eng_adb_open(dbpath, true, &db, e), 0);
        static const char *const tables[] = {"users"};
        struct eng_check_params p = {"2026-03-01", "2025-11-01", "2026-03-01"};
        rc = eng_check_run(db, &a, &c, tables, 1, &p, 1, r, e);
        if (rc)
            json_decref(r->rows);
        eng_adb_close(db);
    }
    arena_release(&a);
    return rc;
}

static void test_parse(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct eng_check c;
    assert_int_equal(eng_check_parse(&a, "checks/t.yaml", good, strlen(good), &c, &e), 0);
    assert_string_equal(c.id, "mfa-off");
    assert_string_equal(c.title_sv, "Anv\xc3\xa4ndare utan MFA");
    assert_int_equal(c.n_controls, 1);
    assert_string_equal(c.datasets[0], "users");
    assert_int_equal(c.sql_src.line, 8);
    assert_int_equal(c.sql_src.col, 3);
    assert_true(c.sql_src.block);
    assert_int_equal(c.population_src.line, 6);
    assert_int_equal(c.population_src.col, 13);
    static const struct {
        const char *text, *msg, *where;
    } bad[] = {
        {"id: x\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [d]\nsql: SELECT 1\n",
         "missing required field 'population'", "checks/t.yaml:1:1"},
        {"id: Bad_Id\n", "invalid check id 'Bad_Id'", "checks/t.yaml:1:5"},
        {"id: x\nowner: me\n", "owner", "checks/t.yaml:2:1"},
        {"id: x\ntitle: T\ncontrols: []\n", "'controls' must be a non-empty list",
         "checks/t.yaml:3:11"},
        {"id: x\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [Bad]\n",
         "invalid dataset name 'Bad'", "checks/t.yaml:5:12"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        err_clear(&e);
        assert_int_equal(
            eng_check_parse(&a, "checks/t.yaml", bad[i].text, strlen(bad[i].text), &c, &e),
            TL_EINPUT);
        if (!strstr(e.msg, bad[i].msg))
            fail_msg("case %zu: %s", i, e.msg);
        assert_string_equal(e.where, bad[i].where);
    }
    arena_release(&a);
}

static void test_run(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct eng_check_result r;
    assert_int_equal(run(good, &r, &e), 0);
    assert_int_equal(r.population, 3);
    assert_int_equal(r.exceptions, 1); /* cy's last login is before the period */
    assert_true(r.uses_period);
    assert_int_equal(r.n_cols, 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r.rows, 0), "user")),
                        "bo");
    json_decref(r.rows);
}

static void test_keep_limits_rows(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct eng_check_result r;
    const char *all = "id: all\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                      "population: SELECT 1\n"
                      "sql: WITH x AS (SELECT user FROM users) SELECT user FROM x\n";
    assert_int_equal(run(all, &r, &e), 0);
    assert_int_equal(r.exceptions, 3);
    assert_int_equal(json_array_size(r.rows), 1); /* keep = 1 */
    assert_false(r.uses_period);
    json_decref(r.rows);
}

static void expect_refused(const char *sql_line, const char *msg, const char *where)
{
    struct sb text = SB_INIT;
    sb_addf(&text,
            "id: bad\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
            "population: SELECT user FROM users\nsql: |\n  SELECT 1;\n%s",
            sql_line);
    struct err e = ERR_INIT;
    struct eng_check_result r;
    assert_int_equal(run(text.buf, &r, &e), TL_EINPUT);
    if (!strstr(e.msg, msg))
        fail_msg("'%s': %s", sql_line, e.msg);
    if (where)
        assert_string_equal(e.where, where);
    sb_release(&text);
}

static void test_read_only(void **state)
{
    (void)state;
    /* Every refusal names the file and the line of the statement. */
    expect_refused("  DELETE FROM users\n", "holds more than one statement", "checks/t.yaml:9:3");
    struct err e = ERR_INIT;
    struct eng_check_result r;
    static const char *const writes[] = {
        "DELETE FROM users",
        "UPDATE users SET mfa = 1",
        "INSERT INTO users VALUES (1, 2, 3)",
        "CREATE TABLE x (a)",
        "DROP TABLE users",
        "ATTACH 'x.db' AS x",
        "PRAGMA writable_schema = 1",
        "SELECT * FROM secret",
        "SELECT * FROM _tillit_dataset",
        "SELECT name FROM sqlite_master",
        "UPDATE sqlite_master SET sql = ''",
    };
    for (size_t i = 0; i < sizeof(writes) / sizeof(*writes); i++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "id: w\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                 "population: SELECT 1\nsql: %s\n",
                 writes[i]);
        err_clear(&e);
        assert_int_equal(run(text, &r, &e), TL_EINPUT);
        if (!strstr(e.msg, "check 'w': sql"))
            fail_msg("'%s': %s", writes[i], e.msg);
        assert_string_equal(e.where, "checks/t.yaml:7:6");
    }
    err_clear(&e);
    assert_int_equal(run("id: w\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                         "population: SELECT 1\nsql: SELECT * FROM secret\n",
                         &r, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "reads table 'secret', which is not one of its datasets"));
    /* Table-valued functions and JSON functions are reading, and allowed. */
    err_clear(&e);
    int rc = (run("id: w\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                  "population: SELECT 1\n"
                  "sql: SELECT value FROM json_each('[1,2]'), users WHERE user = 'ann'\n",
                  &r, &e));
    assert_int_equal(rc, 0);
    assert_int_equal(r.exceptions, 2);
    json_decref(r.rows);
}

static void test_sql_errors_name_the_line(void **state)
{
    (void)state;
    /* The syntax error is on the second line of the block: file line 10. */
    expect_refused("  SELECT user\n  FROM users WHERE nope = 1\n", "", NULL);
    struct err e = ERR_INIT;
    struct eng_check_result r;
    const char *text = "id: e\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                       "population: SELECT user FROM users\n"
                       "sql: |\n"
                       "  SELECT user\n"
                       "  FROM users WHERE nope = 1\n";
    assert_int_equal(run(text, &r, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "check 'e': sql: no such column: nope"));
    assert_string_equal(e.where, "checks/t.yaml:9:20");
    const char *pop = "id: e\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                      "population: SELECT usr FROM users\n"
                      "sql: SELECT 1\n";
    assert_int_equal(run(pop, &r, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "check 'e': population: no such column: usr"));
    assert_string_equal(e.where, "checks/t.yaml:6:20");
    const char *param = "id: e\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                        "population: SELECT 1\n"
                        "sql: SELECT user FROM users WHERE last_login > :since\n";
    assert_int_equal(run(param, &r, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "uses parameter ':since' (known: :as_of"));
    /* A double-quoted name is an identifier, never a string. */
    const char *dq = "id: e\ntitle: T\ncontrols: [A]\ncriteria: [B]\ndatasets: [users]\n"
                     "population: SELECT 1\n"
                     "sql: SELECT user FROM users WHERE user = \"ann\"\n";
    assert_int_equal(run(dq, &r, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "no such column: ann"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_keep_limits_rows),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_sql_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
