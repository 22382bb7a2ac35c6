/* vault.c - content-addressed blobs: staging, publishing, rehashing. */
#include "vault/vault.h"

#include "base/js.h"
#include "base/mem.h"
#include "base/sb.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#define COPY_BUF 65536

void vault_init(struct vault *v, const char *dir, uint64_t max_bytes)
{
    v->dir = dir;
    v->max_bytes = max_bytes;
}

char *vault_dir_for_db(struct arena *a, const char *db_path)
{
    return arena_printf(a, "%s.vault", db_path);
}

static bool is_sha256_hex(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

char *vault_path(const struct vault *v, struct arena *a, const char *sha256)
{
    if (!is_sha256_hex(sha256))
        return NULL;
    return arena_printf(a, "%s/%.2s/%s", v->dir, sha256, sha256 + 2);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int too_big(struct err *e, const char *src, uint64_t size, uint64_t max)
{
    return ERR_SET(e, TL_ETOOBIG, "evidence '%s' is %llu bytes, over the limit of %llu bytes", src,
                   (unsigned long long)size, (unsigned long long)max);
}

int vault_source_check(const struct vault *v, const char *src, uint64_t *size, struct err *e)
{
    struct stat st;
    if (stat(src, &st) != 0)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EINPUT,
                       "cannot open evidence '%s': %s", src, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ERR_SET(e, TL_EINPUT, "evidence '%s' is not a regular file", src);
    if (st.st_size == 0)
        return ERR_SET(e, TL_EINPUT, "evidence '%s' is empty", src);
    if (v->max_bytes && (uint64_t)st.st_size > v->max_bytes)
        return too_big(e, src, (uint64_t)st.st_size, v->max_bytes);
    if (access(src, R_OK) != 0)
        return ERR_SET(e, TL_EINPUT, "cannot read evidence '%s': %s", src, strerror(errno));
    *size = (uint64_t)st.st_size;
    return 0;
}

/* Creates dir unless it exists; the parent must exist. */
static int ensure_dir(const char *dir, bool *created, struct err *e)
{
    if (created)
        *created = false;
    if (mkdir(dir, 0755) == 0) {
        if (created)
            *created = true;
        return 0;
    }
    struct stat st;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return ERR_SET(e, TL_EIO, "cannot create vault directory '%s': %s", dir, strerror(errno));
}

/* Makes a directory entry durable: a rename is only on disk once the
 * directory that holds it has been synced.  Filesystems that cannot sync a
 * directory (EINVAL) give no stronger promise, so that is not an error. */
static int sync_dir(const char *dir, struct err *e)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ERR_SET(e, TL_EIO, "cannot open vault directory '%s': %s", dir, strerror(errno));
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = ERR_SET(e, TL_EIO, "cannot sync vault directory '%s': %s", dir, strerror(errno));
    close(fd);
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

struct copy {
    unsigned char head[VAULT_HEAD];
    size_t head_len;
    uint64_t size;
    struct crypto_sha256 h;
};

/* Copies in to out through a fixed buffer, hashing and counting; refuses
 * to go past the limit (the file may have grown since it was checked). */
static int copy_hashing(const struct vault *v, int in, int out, const char *src, struct copy *c,
                        struct err *e)
{
    unsigned char *buf = xmalloc(COPY_BUF);
    int rc = 0;
    crypto_sha256_begin(&c->h);
    for (;;) {
        ssize_t r = read(in, buf, COPY_BUF);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = ERR_SET(e, TL_EIO, "cannot read evidence '%s': %s", src, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        c->size += (uint64_t)r;
        if (v->max_bytes && c->size > v->max_bytes) {
            rc = too_big(e, src, c->size, v->max_bytes);
            break;
        }
        if (c->head_len < VAULT_HEAD) {
            size_t k = VAULT_HEAD - c->head_len < (size_t)r ? VAULT_HEAD - c->head_len : (size_t)r;
            memcpy(c->head + c->head_len, buf, k);
            c->head_len += k;
        }
        crypto_sha256_update(&c->h, buf, (size_t)r);
        if (write_all(out, buf, (size_t)r) != 0) {
            rc = ERR_SET(e, TL_EIO, "cannot write to vault '%s': %s", v->dir, strerror(errno));
            break;
        }
    }
    free(buf);
    return rc;
}

/* Read-only blobs: the vault never changes a blob, and neither should anyone else. */
static int finish_tmp(const struct vault *v, int out, struct err *e)
{
    if (fchmod(out, 0444) != 0 || fsync(out) != 0)
        return ERR_SET(e, TL_EIO, "cannot sync a file in vault '%s': %s", v->dir, strerror(errno));
    return 0;
}

/* O_NONBLOCK: a FIFO put where a file was checked must not hang us. */
static int open_source(const char *src, int *fd, struct err *e)
{
    struct stat st;
    *fd = open(src, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EINPUT,
                       "cannot open evidence '%s': %s", src, strerror(errno));
    if (fstat(*fd, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    close(*fd);
    return ERR_SET(e, TL_EINPUT, "evidence '%s' is not a regular file", src);
}

int vault_stage(const struct vault *v, struct arena *a, const char *src, struct vault_blob *b,
                struct err *e)
{
    memset(b, 0, sizeof(*b));
    int in, out = -1;
    int rc = open_source(src, &in, e);
    if (rc)
        return rc;
    rc = ensure_dir(v->dir, NULL, e);
    char *tmp = arena_printf(a, "%s/.tmp-XXXXXX", v->dir);
    if (rc == 0)
        out = mkstemp(tmp);
    if (rc == 0 && out < 0)
        rc = ERR_SET(e, TL_EIO, "cannot create a file in vault '%s': %s", v->dir, strerror(errno));
    struct copy *c = xcalloc(1, sizeof(*c));
    if (rc == 0) {
        b->tmp = tmp;
        rc = copy_hashing(v, in, out, src, c, e);
    }
    if (rc == 0)
        rc = finish_tmp(v, out, e);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = ERR_SET(e, TL_EIO, "cannot write to vault '%s': %s", v->dir, strerror(errno));
    close(in);
    if (rc == 0) {
        crypto_sha256_end(&c->h, b->sha256);
        b->size = c->size;
        b->media_type = vault_media_type(base_name(src), c->head, c->head_len);
        b->path = vault_path(v, a, b->sha256);
    } else {
        vault_discard(b);
    }
    free(c);
    return rc;
}

/* Links the staged file to its address: link() fails with EEXIST when the
 * blob is already there, atomically, which is what deduplication needs.
 * Filesystems without hard links get a rename after a check instead. */
static int place(struct vault_blob *b, struct err *e)
{
    if (link(b->tmp, b->path) == 0) {
        b->created = true;
        return 0;
    }
    if (errno == EEXIST) {
        b->existed = true;
        return 0;
    }
    struct stat st;
    if (stat(b->path, &st) == 0) {
        b->existed = true;
        return 0;
    }
    if (rename(b->tmp, b->path) != 0)
        return ERR_SET(e, TL_EIO, "cannot store blob '%s': %s", b->path, strerror(errno));
    b->tmp = NULL;
    b->created = true;
    return 0;
}

int vault_publish(const struct vault *v, struct vault_blob *b, struct err *e)
{
    if (!b->tmp)
        return 0;
    struct sb sub = SB_INIT;
    sb_addf(&sub, "%s/%.2s", v->dir, b->sha256);
    bool new_dir;
    int rc = ensure_dir(sub.buf, &new_dir, e);
    if (rc == 0)
        rc = place(b, e);
    if (rc == 0)
        vault_discard(b);
    if (rc == 0 && b->created)
        rc = sync_dir(sub.buf, e);
    if (rc == 0 && new_dir)
        rc = sync_dir(v->dir, e);
    sb_release(&sub);
    return rc;
}

void vault_discard(struct vault_blob *b)
{
    if (b->tmp)
        unlink(b->tmp);
    b->tmp = NULL;
}

void vault_unpublish(struct vault_blob *b)
{
    if (b->created && b->path)
        unlink(b->path);
    b->created = false;
}

static int hash_fd(int fd, const char *path, char out[SHA256_HEX], uint64_t *size, struct err *e)
{
    unsigned char *buf = xmalloc(COPY_BUF);
    struct crypto_sha256 h;
    int rc = 0;
    crypto_sha256_begin(&h);
    *size = 0;
    for (;;) {
        ssize_t r = read(fd, buf, COPY_BUF);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = ERR_SET(e, TL_EIO, "cannot read blob '%s': %s", path, strerror(errno));
        if (r <= 0)
            break;
        crypto_sha256_update(&h, buf, (size_t)r);
        *size += (uint64_t)r;
    }
    crypto_sha256_end(&h, out);
    free(buf);
    return rc;
}

int vault_check(const struct vault *v, struct arena *a, const char *sha256, uint64_t size,
                enum vault_state *state, struct err *e)
{
    const char *path = vault_path(v, a, sha256);
    if (!path)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a SHA-256 in hex", sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        *state = VAULT_MISSING;
        return 0;
    }
    if (fd < 0)
        return ERR_SET(e, TL_EIO, "cannot open blob '%s': %s", path, strerror(errno));
    char got[SHA256_HEX];
    uint64_t got_size;
    int rc = hash_fd(fd, path, got, &got_size, e);
    close(fd);
    if (rc == 0)
        *state = strcmp(got, sha256) == 0 && got_size == size ? VAULT_OK : VAULT_CHANGED;
    return rc;
}

void vault_keypair(char pk_hex[VAULT_PK_HEX], char sk_hex[VAULT_SK_HEX])
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    sodium_bin2hex(pk_hex, VAULT_PK_HEX, pk, sizeof(pk));
    sodium_bin2hex(sk_hex, VAULT_SK_HEX, sk, sizeof(sk));
    mem_wipe(sk, sizeof(sk));
}

/* --- media types ---------------------------------------------------------- */

struct magic {
    const char *bytes;
    size_t n;
    const char *type;
};

static const struct magic magics[] = {
    {"%PDF-", 5, "application/pdf"},      {"\x89PNG\r\n\x1a\n", 8, "image/png"},
    {"\xff\xd8\xff", 3, "image/jpeg"},    {"GIF87a", 6, "image/gif"},
    {"GIF89a", 6, "image/gif"},           {"PK\x03\x04", 4, "application/zip"},
    {"PK\x05\x06", 4, "application/zip"}, {"\x1f\x8b", 2, "application/gzip"},
};

struct ext_type {
    const char *ext;
    const char *type;
};

/* Office documents are zip archives; their extension tells them apart. */
static const struct ext_type zip_exts[] = {
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {NULL, NULL},
};

static const struct ext_type text_exts[] = {
    {"csv", "text/csv"},
    {"tsv", "text/tab-separated-values"},
    {"json", "application/json"},
    {"jsonl", "application/x-ndjson"},
    {"ndjson", "application/x-ndjson"},
    {"txt", "text/plain"},
    {"log", "text/plain"},
    {"md", "text/markdown"},
    {"yaml", "application/yaml"},
    {"yml", "application/yaml"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xml", "application/xml"},
    {NULL, NULL},
};

static const char *ext_lookup(const struct ext_type *table, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return NULL;
    for (const struct ext_type *t = table; t->ext; t++)
        if (strcasecmp(t->ext, dot + 1) == 0)
            return t->type;
    return NULL;
}

/* Text as far as the head shows: no control bytes other than whitespace
 * and escape.  UTF-8 and Latin-1 both pass; binary formats do not. */
static bool looks_like_text(const unsigned char *head, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = head[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            return false;
        if (c == 0x7f)
            return false;
    }
    return true;
}

const char *vault_media_type(const char *name, const unsigned char *head, size_t n)
{
    for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
        if (n < magics[i].n || memcmp(head, magics[i].bytes, magics[i].n) != 0)
            continue;
        const char *office = NULL;
        if (strcmp(magics[i].type, "application/zip") == 0)
            office = ext_lookup(zip_exts, name);
        return office ? office : magics[i].type;
    }
    if (!looks_like_text(head, n))
        return "application/octet-stream";
    const char *text = ext_lookup(text_exts, name);
    return text ? text : "text/plain";
}

/* --- packages -------------------------------------------------------------- */

#define MANIFEST_MAX ((zip_uint64_t)64 << 20) /* a manifest is metadata, never this big */
#define SMALL_MAX 1024                        /* key and signature files */

struct vault_pkg {
    zip_t *za;
    char *path;
};

static int zip_fail(struct err *e, const char *what, const char *path, zip_error_t *ze)
{
    return ERR_SET(e, TL_EIO, "cannot %s '%s': %s", what, path, zip_error_strerror(ze));
}

int vault_pkg_create(const char *path, struct vault_pkg **out, struct err *e)
{
    int code = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        int rc = zip_fail(e, "create package", path, &ze);
        zip_error_fini(&ze);
        return rc;
    }
    *out = xcalloc(1, sizeof(**out));
    (*out)->za = za;
    (*out)->path = xstrdup(path);
    return 0;
}

void vault_pkg_abort(struct vault_pkg *p)
{
    if (!p)
        return;
    zip_discard(p->za);
    free(p->path);
    free(p);
}

/* A name as it may appear inside the zip: no directories, no control
 * characters, so that unpacking cannot escape files/. */
static char *entry_name(struct arena *a, const char *sha256, const char *name)
{
    char *safe = arena_strdup(a, *name ? name : "blob");
    for (char *c = safe; *c; c++)
        if (*c == '/' || *c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '_';
    if (strcmp(safe, ".") == 0 || strcmp(safe, "..") == 0)
        safe = "blob";
    return arena_printf(a, "files/%s-%s", sha256, safe);
}

static int add_source(struct vault_pkg *p, const char *name, zip_source_t *src, struct err *e)
{
    zip_int64_t idx = zip_file_add(p->za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        return zip_fail(e, "add to package", name, zip_get_error(p->za));
    }
    /* Stored, not deflated: an auditor can look at a file with any tool,
     * and a changed byte stays a changed byte. */
    if (zip_set_file_compression(p->za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0)
        return zip_fail(e, "add to package", name, zip_get_error(p->za));
    return 0;
}

int vault_pkg_add_blob(struct vault_pkg *p, const struct vault *v, struct arena *a,
                       const char *sha256, const char *name, const char **entry, struct err *e)
{
    const char *path = vault_path(v, a, sha256);
    if (!path)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a SHA-256 in hex", sha256);
    *entry = entry_name(a, sha256, name);
    if (zip_name_locate(p->za, *entry, 0) >= 0)
        return 0;
    /* The file is read when the archive is written: memory stays bounded. */
    zip_source_t *src = zip_source_file(p->za, path, 0, -1);
    if (!src)
        return zip_fail(e, "read blob", path, zip_get_error(p->za));
    return add_source(p, *entry, src, e);
}

static int add_buffer(struct vault_pkg *p, const char *name, const void *data, size_t len,
                      struct err *e)
{
    zip_source_t *src = zip_source_buffer(p->za, data, len, 0);
    if (!src)
        return zip_fail(e, "add to package", name, zip_get_error(p->za));
    return add_source(p, name, src, e);
}

/* Ends hex text with a newline; the buffer has room for it. */
static void add_newline(char *s)
{
    size_t n = strlen(s);
    s[n] = '\n';
    s[n + 1] = '\0';
}

/* Signs the manifest; sig_hex and pk_hex receive hex text with a newline. */
static int sign_manifest(const char *manifest, size_t len, const char *sk_hex,
                         char sig_hex[2 * crypto_sign_BYTES + 2], char pk_hex[VAULT_PK_HEX + 1],
                         struct err *e)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    size_t n = 0;
    int rc = 0;
    if (sodium_hex2bin(sk, sizeof(sk), sk_hex, strlen(sk_hex), NULL, &n, NULL) != 0 ||
        n != sizeof(sk))
        rc = ERR_SET(e, TL_EINPUT, "the organization's signing key is not valid hex");
    if (rc == 0) {
        crypto_sign_detached(sig, NULL, (const unsigned char *)manifest, len, sk);
        crypto_sign_ed25519_sk_to_pk(pk, sk);
        sodium_bin2hex(sig_hex, 2 * crypto_sign_BYTES + 1, sig, sizeof(sig));
        sodium_bin2hex(pk_hex, VAULT_PK_HEX, pk, sizeof(pk));
        add_newline(sig_hex);
        add_newline(pk_hex);
    }
    mem_wipe(sk, sizeof(sk));
    return rc;
}

int vault_pkg_finish(struct vault_pkg *p, const char *manifest, size_t len, const char *sk_hex,
                     struct err *e)
{
    char sig_hex[2 * crypto_sign_BYTES + 2], pk_hex[VAULT_PK_HEX + 1];
    int rc = sign_manifest(manifest, len, sk_hex, sig_hex, pk_hex, e);
    if (rc == 0)
        rc = add_buffer(p, "manifest.json", manifest, len, e);
    if (rc == 0)
        rc = add_buffer(p, "manifest.sig", sig_hex, strlen(sig_hex), e);
    if (rc == 0)
        rc = add_buffer(p, "public_key.txt", pk_hex, strlen(pk_hex), e);
    /* zip_close writes a temporary file next to the target and renames
     * it: a reader never sees half a package. */
    if (rc == 0 && zip_close(p->za) != 0)
        rc = zip_fail(e, "write package", p->path, zip_get_error(p->za));
    else if (rc == 0)
        p->za = NULL;
    if (p->za)
        zip_discard(p->za);
    free(p->path);
    free(p);
    return rc;
}

/* Records the first problem found; TL_ECHECK stops the walk and is turned
 * into r->ok = false by vault_pkg_verify. */
static int bad(struct vault_pkg_result *r, const char *what, const char *fmt, ...) TL_PRINTF(3, 4);

static int bad(struct vault_pkg_result *r, const char *what, const char *fmt, ...)
{
    va_list ap;
    r->ok = false;
    snprintf(r->bad, sizeof(r->bad), "%s", what);
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
    return TL_ECHECK;
}

static int parse_hex(const char *hex, unsigned char *out, size_t n)
{
    size_t got = 0;
    if (strlen(hex) != 2 * n)
        return -1;
    if (sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) != 0 || got != n)
        return -1;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Reads a small member (manifest, key, signature) whole. */
static int read_entry(zip_t *za, const char *name, zip_uint64_t cap, struct sb *out,
                      struct vault_pkg_result *r)
{
    zip_stat_t zs;
    if (zip_stat(za, name, 0, &zs) != 0)
        return bad(r, name, "is missing from the package");
    if (!(zs.valid & ZIP_STAT_SIZE) || zs.size > cap)
        return bad(r, name, "is larger than a package member of its kind can be");
    zip_file_t *f = zip_fopen(za, name, 0);
    if (!f)
        return bad(r, name, "cannot be read: %s", zip_strerror(za));
    char buf[8192];
    zip_int64_t got = 0;
    int rc = 0;
    /* The header's size is a claim: the buffer enforces the cap as well. */
    sb_init_capped(out, (size_t)cap + 1);
    while (rc == 0 && (got = zip_fread(f, buf, sizeof(buf))) > 0)
        if (sb_add(out, buf, (size_t)got) != 0)
            rc = bad(r, name, "is larger than a package member of its kind can be");
    if (rc == 0 && got < 0)
        rc = bad(r, name, "is damaged: %s", zip_file_strerror(f));
    zip_fclose(f);
    return rc;
}

/* Hashes a member as it streams; stops as soon as it is longer than the
 * manifest says, so a forged size cannot make us read forever. */
static int hash_entry(zip_t *za, const char *name, uint64_t limit, char sha[SHA256_HEX],
                      uint64_t *size, struct vault_pkg_result *r)
{
    zip_file_t *f = zip_fopen(za, name, 0);
    if (!f)
        return bad(r, name, "is listed in the manifest but missing from the package");
    unsigned char *buf = xmalloc(COPY_BUF);
    struct crypto_sha256 h;
    zip_int64_t got = 0;
    int rc = 0;
    crypto_sha256_begin(&h);
    *size = 0;
    while (*size <= limit && (got = zip_fread(f, buf, COPY_BUF)) > 0) {
        crypto_sha256_update(&h, buf, (size_t)got);
        *size += (uint64_t)got;
    }
    if (*size <= limit && got < 0)
        rc = bad(r, name, "is damaged: %s", zip_file_strerror(f));
    crypto_sha256_end(&h, sha);
    free(buf);
    zip_fclose(f);
    return rc;
}

static int check_signature(zip_t *za, const unsigned char *want, struct sb *manifest,
                           struct vault_pkg_result *r)
{
    struct sb pk_txt = SB_INIT, sig_txt = SB_INIT;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    int rc = read_entry(za, "public_key.txt", SMALL_MAX, &pk_txt, r);
    if (rc == 0 && parse_hex(trim(pk_txt.buf), pk, sizeof(pk)) != 0)
        rc = bad(r, "public_key.txt", "is not an Ed25519 public key in hex");
    if (rc == 0)
        sodium_bin2hex(r->public_key, sizeof(r->public_key), pk, sizeof(pk));
    if (rc == 0 && want && sodium_memcmp(want, pk, sizeof(pk)) != 0)
        rc = bad(r, "public_key.txt", "holds key %s, not the expected one", r->public_key);
    if (rc == 0)
        rc = read_entry(za, "manifest.sig", SMALL_MAX, &sig_txt, r);
    if (rc == 0 && parse_hex(trim(sig_txt.buf), sig, sizeof(sig)) != 0)
        rc = bad(r, "manifest.sig", "is not an Ed25519 signature in hex");
    if (rc == 0)
        rc = read_entry(za, "manifest.json", MANIFEST_MAX, manifest, r);
    if (rc == 0 && crypto_sign_verify_detached(sig, (const unsigned char *)manifest->buf,
                                               manifest->len, pk) != 0)
        rc = bad(r, "manifest.json", "does not match its signature in manifest.sig");
    sb_release(&pk_txt);
    sb_release(&sig_txt);
    return rc;
}

static int check_item(zip_t *za, const json_t *it, size_t i, json_t *seen,
                      struct vault_pkg_result *r)
{
    const char *file = json_string_value(json_object_get(it, "file"));
    const char *sha = json_string_value(json_object_get(it, "sha256"));
    json_t *size_j = json_object_get(it, "size");
    if (!file || !sha || !json_is_integer(size_j) || json_integer_value(size_j) < 0)
        return bad(r, "manifest.json", "item %zu lacks a file, sha256 or size", i + 1);
    const char *prev = json_string_value(json_object_get(seen, file));
    if (prev)
        return strcmp(prev, sha) == 0 ? 0 : bad(r, file, "is listed twice with different hashes");
    uint64_t want = (uint64_t)json_integer_value(size_j), got = 0;
    char hex[SHA256_HEX];
    int rc = hash_entry(za, file, want, hex, &got, r);
    if (rc == 0 && got != want)
        rc = bad(r, file, "does not match the manifest: %s bytes, not %llu",
                 got > want ? "more than" : "fewer", (unsigned long long)want);
    if (rc == 0 && strcmp(hex, sha) != 0)
        rc = bad(r, file, "does not match the manifest: its SHA-256 is %s, not %s", hex, sha);
    if (rc == 0)
        json_object_set_new(seen, file, json_string(sha));
    return rc;
}

static bool is_meta(const char *name)
{
    return strcmp(name, "manifest.json") == 0 || strcmp(name, "manifest.sig") == 0 ||
           strcmp(name, "public_key.txt") == 0;
}

/* Anything in the zip that the signed manifest does not list was added
 * afterwards; directory entries (from repacking with another tool) hold
 * nothing and are allowed. */
static int check_unlisted(zip_t *za, const json_t *seen, struct vault_pkg_result *r)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t len = name ? strlen(name) : 0;
        if (!name || is_meta(name) || (len && name[len - 1] == '/'))
            continue;
        if (!json_object_get(seen, name))
            return bad(r, name, "is in the package but not in the signed manifest");
    }
    return 0;
}

static int check_files(zip_t *za, const struct sb *manifest, struct vault_pkg_result *r)
{
    json_t *m = NULL, *items, *it;
    struct err pe = ERR_INIT;
    if (js_parse("manifest.json", manifest->buf, manifest->len, &m, &pe) != 0)
        return bad(r, "manifest.json", "is not valid JSON: %s", pe.msg);
    items = json_object_get(m, "items");
    int rc = json_is_array(items) ? 0 : bad(r, "manifest.json", "has no list of items");
    json_t *seen = json_object();
    size_t i;
    json_array_foreach (items, i, it) {
        if (rc == 0)
            rc = check_item(za, it, i, seen, r);
    }
    if (rc == 0)
        rc = check_unlisted(za, seen, r);
    if (rc == 0)
        r->files = (int64_t)json_object_size(seen);
    json_decref(seen);
    json_decref(m);
    return rc;
}

static int open_package(const char *path, zip_t **za, struct vault_pkg_result *r, struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EIO, "cannot open package '%s': %s",
                       path, strerror(errno));
    int code = 0;
    *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (*za)
        return 0;
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    bad(r, path, "is not a readable zip archive: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return TL_ECHECK;
}

int vault_pkg_verify(const char *path, const char *key_hex, struct vault_pkg_result *r,
                     struct err *e)
{
    unsigned char want[crypto_sign_PUBLICKEYBYTES];
    memset(r, 0, sizeof(*r));
    if (key_hex && parse_hex(key_hex, want, sizeof(want)) != 0)
        return ERR_SET(e, TL_EUSAGE, "'%s' is not an Ed25519 public key (64 hex digits)", key_hex);
    r->ok = true;
    zip_t *za = NULL;
    int rc = open_package(path, &za, r, e);
    struct sb manifest = SB_INIT;
    if (rc == 0)
        rc = check_signature(za, key_hex ? want : NULL, &manifest, r);
    if (rc == 0)
        rc = check_files(za, &manifest, r);
    sb_release(&manifest);
    if (za)
        zip_discard(za);
    return rc == TL_ECHECK ? 0 : rc;
}
