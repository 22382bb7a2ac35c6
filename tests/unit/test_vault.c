/* test_vault.c - the content-addressed blob store and signed packages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/crypto.h"
#include "base/mem.h"
#include "vault/vault.h"

struct fixture {
    char dir[64];
    char vdir[96];
    struct vault v;
    struct arena a;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/tillit-test-vault-XXXXXX");
    if (!mkdtemp(f->dir) || crypto_init(NULL) != 0)
        return -1;
    snprintf(f->vdir, sizeof(f->vdir), "%s/t.db.vault", f->dir);
    vault_init(&f->v, f->vdir, 1 << 20);
    *state = f;
    return 0;
}

static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char sub[512];
            snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
            remove_tree(sub);
        }
        if (d)
            closedir(d);
    }
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    remove_tree(f->dir);
    arena_release(&f->a);
    free(f);
    return 0;
}

static char *write_src(struct fixture *f, const char *name, const void *data, size_t len)
{
    char *path = arena_printf(&f->a, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return path;
}

/* Files in dir whose name starts with prefix (NULL = all). */
static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (!prefix || strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

static void add_blob(struct fixture *f, const char *src, struct vault_blob *b)
{
    struct err e = ERR_INIT;
    assert_int_equal(vault_stage(&f->v, &f->a, src, b, &e), 0);
    assert_int_equal(vault_publish(&f->v, b, &e), 0);
}

static void test_store_and_address(void **state)
{
    struct fixture *f = *state;
    const char text[] = "user,mfa\nalice,yes\n";
    char want[SHA256_HEX];
    crypto_sha256_hex(text, strlen(text), want);
    struct vault_blob b;
    add_blob(f, write_src(f, "users.csv", text, strlen(text)), &b);
    assert_string_equal(b.sha256, want);
    assert_int_equal(b.size, strlen(text));
    assert_string_equal(b.media_type, "text/csv");
    assert_true(b.created);
    assert_false(b.existed);
    assert_null(b.tmp);
    char *path = arena_printf(&f->a, "%s/%.2s/%s", f->vdir, want, want + 2);
    assert_string_equal(b.path, path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0444);
    assert_int_equal(count_files(f->vdir, ".tmp-"), 0);
}

static void test_dedupe(void **state)
{
    struct fixture *f = *state;
    const char text[] = "same bytes";
    struct vault_blob b1, b2;
    add_blob(f, write_src(f, "a.txt", text, strlen(text)), &b1);
    add_blob(f, write_src(f, "b.log", text, strlen(text)), &b2);
    assert_string_equal(b1.sha256, b2.sha256);
    assert_true(b2.existed);
    assert_false(b2.created);
    char *sub = arena_printf(&f->a, "%s/%.2s", f->vdir, b1.sha256);
    assert_int_equal(count_files(sub, NULL), 1);
    assert_int_equal(count_files(f->vdir, ".tmp-"), 0);
    /* Undoing the second publish must not remove the blob the first one made. */
    vault_unpublish(&b2);
    assert_int_equal(access(b1.path, F_OK), 0);
    vault_unpublish(&b1);
    assert_int_not_equal(access(b1.path, F_OK), 0);
}

static void test_size_limit_before_writing(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct vault small;
    vault_init(&small, f->vdir, 10);
    char *src = write_src(f, "big.bin", "0123456789A", 11);
    uint64_t size = 0;
    assert_int_equal(vault_source_check(&small, src, &size, &e), TL_ETOOBIG);
    assert_non_null(strstr(e.msg, "big.bin"));
    assert_non_null(strstr(e.msg, "over the limit of 10 bytes"));
    /* Staging enforces the limit too (a file can grow after the check). */
    struct vault_blob b;
    assert_int_equal(vault_stage(&small, &f->a, src, &b, &e), TL_ETOOBIG);
    assert_null(b.tmp);
    assert_int_equal(count_files(f->vdir, ".tmp-"), 0);
    assert_int_equal(vault_source_check(&f->v, src, &size, &e), 0);
    assert_int_equal(size, 11);
}

static void test_source_check_refusals(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    uint64_t size;
    char *missing = arena_printf(&f->a, "%s/none.txt", f->dir);
    assert_int_equal(vault_source_check(&f->v, missing, &size, &e), TL_ENOTFOUND);
    assert_int_equal(vault_source_check(&f->v, f->dir, &size, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "not a regular file"));
    char *empty = write_src(f, "empty.txt", "", 0);
    assert_int_equal(vault_source_check(&f->v, empty, &size, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "is empty"));
    /* Nothing was written: the vault directory does not even exist. */
    assert_int_not_equal(access(f->vdir, F_OK), 0);
}

static void test_discard(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct vault_blob b;
    assert_int_equal(vault_stage(&f->v, &f->a, write_src(f, "x.txt", "x", 1), &b, &e), 0);
    assert_non_null(b.tmp);
    assert_int_equal(count_files(f->vdir, ".tmp-"), 1);
    vault_discard(&b);
    assert_null(b.tmp);
    assert_int_equal(count_files(f->vdir, ".tmp-"), 0);
    assert_int_not_equal(access(b.path, F_OK), 0);
}

static void test_large_file_streams(void **state)
{
    struct fixture *f = *state;
    size_t n = 700000; /* several copy buffers, not a multiple of any */
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    char want[SHA256_HEX];
    crypto_sha256_hex(data, n, want);
    struct vault_blob b;
    add_blob(f, write_src(f, "dump.bin", data, n), &b);
    free(data);
    assert_string_equal(b.sha256, want);
    assert_int_equal(b.size, n);
    assert_string_equal(b.media_type, "application/octet-stream");
}

static void test_check_detects_tampering(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct vault_blob b;
    enum vault_state st;
    add_blob(f, write_src(f, "log.txt", "backup ok\n", 10), &b);
    assert_int_equal(vault_check(&f->v, &f->a, b.sha256, 10, &st, &e), 0);
    assert_int_equal(st, VAULT_OK);
    assert_int_equal(vault_check(&f->v, &f->a, b.sha256, 11, &st, &e), 0);
    assert_int_equal(st, VAULT_CHANGED);
    chmod(b.path, 0644);
    FILE *fp = fopen(b.path, "r+b");
    assert_non_null(fp);
    fputc('B', fp);
    fclose(fp);
    assert_int_equal(vault_check(&f->v, &f->a, b.sha256, 10, &st, &e), 0);
    assert_int_equal(st, VAULT_CHANGED);
    remove(b.path);
    assert_int_equal(vault_check(&f->v, &f->a, b.sha256, 10, &st, &e), 0);
    assert_int_equal(st, VAULT_MISSING);
    assert_int_equal(vault_check(&f->v, &f->a, "../../etc/passwd", 1, &st, &e), TL_EINPUT);
    assert_null(vault_path(&f->v, &f->a, "ABCDEF"));
}

static void test_media_types(void **state)
{
    (void)state;
    static const struct {
        const char *name, *head, *type;
        size_t n;
    } cases[] = {
        {"report.pdf", "%PDF-1.7\n", "application/pdf", 9},
        {"noext", "%PDF-1.4", "application/pdf", 8},
        {"shot.png", "\x89PNG\r\n\x1a\n\0\0", "image/png", 10},
        {"photo.JPG", "\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg", 10},
        {"a.zip", "PK\x03\x04\x14\0", "application/zip", 6},
        {"matrix.xlsx", "PK\x03\x04\x14\0",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 6},
        {"users.csv", "a,b\n1,2\n", "text/csv", 8},
        {"users.CSV", "a,b\n", "text/csv", 4},
        {"pulls.json", "[{\"id\": 1}]", "application/json", 11},
        {"notes.txt", "hello\n", "text/plain", 6},
        {"README", "hello\n", "text/plain", 6},
        {"fake.csv",
         "\x7f"
         "ELF\x02\x01",
         "application/octet-stream", 6},
        {"fake.pdf", "not a pdf", "text/plain", 9},
        {"data.bin", "\0\1\2\3", "application/octet-stream", 4},
        {"x.gz", "\x1f\x8b\x08", "application/gzip", 3},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(
            vault_media_type(cases[i].name, (const unsigned char *)cases[i].head, cases[i].n),
            cases[i].type);
}

/* --- packages ------------------------------------------------------------ */

static const char *make_package(struct fixture *f, const char *sk, struct vault_blob *b)
{
    struct err e = ERR_INIT;
    add_blob(f, write_src(f, "review.csv", "user,reviewed\nbob,yes\n", 22), b);
    const char *zip = arena_printf(&f->a, "%s/pkg.zip", f->dir);
    struct vault_pkg *p;
    const char *entry;
    assert_int_equal(vault_pkg_create(zip, &p, &e), 0);
    assert_int_equal(vault_pkg_add_blob(p, &f->v, &f->a, b->sha256, "q1/review.csv", &entry, &e),
                     0);
    assert_string_equal(entry, arena_printf(&f->a, "files/%s-q1_review.csv", b->sha256));
    /* The same blob and name twice is one file. */
    assert_int_equal(vault_pkg_add_blob(p, &f->v, &f->a, b->sha256, "q1/review.csv", &entry, &e),
                     0);
    char *manifest = arena_printf(&f->a,
                                  "{\"items\": [{\"file\": \"%s\", \"sha256\": \"%s\", "
                                  "\"size\": 22}]}\n",
                                  entry, b->sha256);
    assert_int_equal(vault_pkg_finish(p, manifest, strlen(manifest), sk, &e), 0);
    return zip;
}

static void verify(const char *zip, const char *key, struct vault_pkg_result *r)
{
    struct err e = ERR_INIT;
    assert_int_equal(vault_pkg_verify(zip, key, r, &e), 0);
}

static void test_package_round_trip(void **state)
{
    struct fixture *f = *state;
    char pk[VAULT_PK_HEX], sk[VAULT_SK_HEX];
    vault_keypair(pk, sk);
    struct vault_blob b;
    const char *zip = make_package(f, sk, &b);
    struct vault_pkg_result r;
    verify(zip, NULL, &r);
    assert_true(r.ok);
    assert_int_equal(r.files, 1);
    assert_string_equal(r.public_key, pk);
    verify(zip, pk, &r);
    assert_true(r.ok);
    char other[VAULT_PK_HEX], other_sk[VAULT_SK_HEX];
    vault_keypair(other, other_sk);
    verify(zip, other, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, "public_key.txt");
    struct err e = ERR_INIT;
    assert_int_equal(vault_pkg_verify(zip, "abc", &r, &e), TL_EUSAGE);
    char *none = arena_printf(&f->a, "%s/none.zip", f->dir);
    assert_int_equal(vault_pkg_verify(none, NULL, &r, &e), TL_ENOTFOUND);
    mem_wipe(sk, sizeof(sk));
    mem_wipe(other_sk, sizeof(other_sk));
}

/* Replaces (or adds) one member with the given bytes; libzip writes a
 * correct CRC, so only the manifest's hashes and signature can tell. */
static void put_member(const char *zip, const char *name, const char *data)
{
    int code;
    zip_t *za = zip_open(zip, 0, &code);
    assert_non_null(za);
    zip_source_t *src = zip_source_buffer(za, data, strlen(data), 0);
    assert_non_null(src);
    assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(za), 0);
}

static void test_package_tampering(void **state)
{
    struct fixture *f = *state;
    char pk[VAULT_PK_HEX], sk[VAULT_SK_HEX];
    vault_keypair(pk, sk);
    struct vault_blob b;
    const char *zip = make_package(f, sk, &b);
    const char *copy = arena_printf(&f->a, "%s/copy.zip", f->dir);
    const char *entry = arena_printf(&f->a, "files/%s-q1_review.csv", b.sha256);
    struct vault_pkg_result r;
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", zip, copy);
    assert_int_equal(system(cmd), 0);
    put_member(copy, entry, "user,reviewed\nbob,nah\n");
    verify(copy, NULL, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, entry);
    assert_non_null(strstr(r.reason, "SHA-256"));

    assert_int_equal(system(cmd), 0);
    put_member(copy, entry, "user,reviewed\n");
    verify(copy, NULL, &r);
    assert_false(r.ok);
    assert_non_null(strstr(r.reason, "fewer"));

    assert_int_equal(system(cmd), 0);
    put_member(copy, "files/extra.txt", "slipped in");
    verify(copy, NULL, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, "files/extra.txt");

    assert_int_equal(system(cmd), 0);
    put_member(copy, "manifest.json", "{\"items\": []}\n");
    verify(copy, NULL, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, "manifest.json");

    assert_int_equal(system(cmd), 0);
    put_member(copy, "public_key.txt", "0000");
    verify(copy, NULL, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, "public_key.txt");

    /* A forger who re-signs with their own key is caught by --key only. */
    char fake_pk[VAULT_PK_HEX], fake_sk[VAULT_SK_HEX];
    vault_keypair(fake_pk, fake_sk);
    zip = make_package(f, fake_sk, &b);
    verify(zip, NULL, &r);
    assert_true(r.ok);
    verify(zip, pk, &r);
    assert_false(r.ok);
    assert_string_equal(r.bad, "public_key.txt");
    mem_wipe(sk, sizeof(sk));
    mem_wipe(fake_sk, sizeof(fake_sk));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_and_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedupe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit_before_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_check_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_file_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_detects_tampering, setup, teardown),
        cmocka_unit_test(test_media_types),
        cmocka_unit_test_setup_teardown(test_package_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_package_tampering, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
