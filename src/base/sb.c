/* sb.c - growable string buffer. */
#include "base/sb.h"

#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char sb__empty[1];

void sb_init(struct sb *sb)
{
    struct sb empty = SB_INIT;
    *sb = empty;
}

void sb_init_capped(struct sb *sb, size_t cap)
{
    sb_init(sb);
    sb->cap = cap;
}

void sb_release(struct sb *sb)
{
    size_t cap = sb->cap;
    if (sb->alloc)
        free(sb->buf);
    sb_init(sb);
    sb->cap = cap;
}

char *sb_detach(struct sb *sb, size_t *len)
{
    char *p;
    if (len)
        *len = sb->len;
    if (sb->alloc) {
        p = sb->buf;
    } else {
        p = xmalloc(1);
        p[0] = '\0';
    }
    size_t cap = sb->cap;
    sb_init(sb);
    sb->cap = cap;
    return p;
}

int sb_grow(struct sb *sb, size_t extra)
{
    if (extra > (size_t)-1 - sb->len - 1)
        return TL_ETOOBIG;
    size_t need = sb->len + extra + 1;
    if (sb->cap && need > sb->cap + 1) {
        sb->overflow = 1;
        return TL_ETOOBIG;
    }
    if (need <= sb->alloc)
        return 0;
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need)
        n = n < ((size_t)-1) / 2 ? n * 2 : need;
    if (sb->alloc) {
        sb->buf = xrealloc(sb->buf, n);
    } else {
        sb->buf = xmalloc(n);
        sb->buf[0] = '\0';
    }
    sb->alloc = n;
    return 0;
}

int sb_add(struct sb *sb, const void *data, size_t n)
{
    if (n == 0)
        return 0;
    int rc = sb_grow(sb, n);
    if (rc)
        return rc;
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

int sb_adds(struct sb *sb, const char *s)
{
    return sb_add(sb, s, strlen(s));
}

int sb_addc(struct sb *sb, char c)
{
    return sb_add(sb, &c, 1);
}

int sb_vaddf(struct sb *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return TL_EINTERNAL;
    int rc = sb_grow(sb, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return 0;
}

int sb_addf(struct sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sb_vaddf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

void sb_setlen(struct sb *sb, size_t len)
{
    if (len >= sb->len)
        return;
    sb->len = len;
    sb->buf[len] = '\0';
}

void sb_reset(struct sb *sb)
{
    if (sb->alloc)
        sb_setlen(sb, 0);
}

int sb_add_html(struct sb *sb, const char *s)
{
    int rc = 0;
    for (const char *p = s; *p && rc == 0; p++) {
        switch (*p) {
        case '&':
            rc = sb_adds(sb, "&amp;");
            break;
        case '<':
            rc = sb_adds(sb, "&lt;");
            break;
        case '>':
            rc = sb_adds(sb, "&gt;");
            break;
        case '"':
            rc = sb_adds(sb, "&quot;");
            break;
        case '\'':
            rc = sb_adds(sb, "&#39;");
            break;
        default:
            rc = sb_addc(sb, *p);
        }
    }
    return rc;
}

int sb_add_csv(struct sb *sb, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return sb_adds(sb, s);
    int rc = sb_addc(sb, '"');
    for (const char *p = s; *p && rc == 0; p++) {
        if (*p == '"')
            rc = sb_addc(sb, '"');
        if (rc == 0)
            rc = sb_addc(sb, *p);
    }
    return rc ? rc : sb_addc(sb, '"');
}

int sb_read_file(struct sb *sb, const char *path, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EIO, "cannot open '%s': %s", path,
                       strerror(errno));
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = sb_add(sb, chunk, n);
    if (rc == 0 && ferror(f))
        rc = ERR_SET(e, TL_EIO, "cannot read '%s': %s", path, strerror(errno));
    else if (rc)
        rc = ERR_SET(e, rc, "file '%s' is larger than %zu bytes", path, sb->cap);
    fclose(f);
    return rc;
}

int sb_write_file(const char *path, const void *data, size_t len, struct err *e)
{
    struct sb tmp = SB_INIT;
    sb_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp.buf, "wb");
    int rc = 0;
    if (!f) {
        rc = ERR_SET(e, TL_EIO, "cannot create '%s': %s", path, strerror(errno));
    } else {
        if (len && fwrite(data, 1, len, f) != len)
            rc = ERR_SET(e, TL_EIO, "cannot write '%s': %s", path, strerror(errno));
        if (fclose(f) != 0 && rc == 0)
            rc = ERR_SET(e, TL_EIO, "cannot write '%s': %s", path, strerror(errno));
        if (rc == 0 && rename(tmp.buf, path) != 0)
            rc = ERR_SET(e, TL_EIO, "cannot rename onto '%s': %s", path, strerror(errno));
        if (rc)
            remove(tmp.buf);
    }
    sb_release(&tmp);
    return rc;
}
