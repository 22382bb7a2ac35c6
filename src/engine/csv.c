/* csv.c - a streaming RFC 4180 reader that validates UTF-8 as it goes.
 *
 * The reader keeps one buffer of the file.  A record is parsed from its
 * first byte; when the buffer ends inside it, the record's bytes move to
 * the front, more are read behind them, and the record is parsed again
 * from the start (records are small next to the buffer, so the repeat
 * costs nothing measurable, and the state machine needs no resumption).
 * Only once a record is complete are its fields terminated and unescaped
 * in place: the delimiter after each field becomes its NUL, and "" inside
 * quotes becomes ".  Fields therefore point into the buffer and are
 * valid until the next call.
 */
#include "engine/dataset.h"

#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CSV_CHUNK ((size_t)1 << 20)

/* A field of the record being parsed, as offsets from the record start. */
struct span {
    size_t off, len;
    bool escapes; /* quoted with "" inside: unescape when complete */
};

struct eng_csv {
    const char *path;
    int fd;          /* -1 when reading from memory */
    const char *mem; /* memory source */
    size_t mem_len, mem_pos;
    char *buf;           /* cap + 1 bytes: room for a final NUL */
    size_t cap, len;     /* bytes in buf */
    size_t rec;          /* offset of the record being parsed */
    bool eof;            /* nothing more to read */
    bool started;        /* the byte order mark was looked at */
    uint64_t base;       /* file offset of buf[0] */
    int line;            /* line at the record start */
    uint64_t line_start; /* file offset of that line's first byte */
    int rec_line;        /* line of the last record returned */
    struct span *spans;
    struct eng_field *fields;
    size_t cap_fields;
};

/* Bytes that end the fast scan of an unquoted field, and of a quoted one. */
static unsigned char plain_stop[256], quoted_stop[256];

static void init_tables(void)
{
    static bool done;
    if (done)
        return;
    for (int c = 0x80; c < 0x100; c++)
        plain_stop[c] = quoted_stop[c] = 1;
    plain_stop[','] = plain_stop['\n'] = plain_stop['\r'] = plain_stop[0] = 1;
    quoted_stop['"'] = quoted_stop['\n'] = quoted_stop[0] = 1;
    done = true;
}

/* The length of the well-formed UTF-8 sequence at p (avail bytes there),
 * 0 when avail ends inside one that could still be valid, -1 when it is
 * invalid (overlong, surrogate, past U+10FFFF, bad continuation). */
static int utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    int n;
    unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return -1;
    }
    for (int k = 1; k < n; k++) {
        if ((size_t)k >= avail)
            return 0;
        unsigned b = p[k];
        if (k == 1 ? b < lo || b > hi : (b & 0xc0) != 0x80)
            return -1;
    }
    return n;
}

size_t eng_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(p + i, len - i);
        if (k <= 0)
            return i;
        i += (size_t)k;
    }
    return len;
}

static struct eng_csv *csv_new(const char *path)
{
    init_tables();
    struct eng_csv *c = xcalloc(1, sizeof(*c));
    c->path = xstrdup(path);
    c->fd = -1;
    c->cap = CSV_CHUNK;
    c->buf = xmalloc(c->cap + 1);
    c->line = 1;
    return c;
}

int eng_csv_open(const char *path, struct eng_csv **out, struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EIO, "cannot open '%s': %s", path,
                       strerror(errno));
    *out = csv_new(path);
    (*out)->fd = fd;
    return 0;
}

int eng_csv_open_mem(const char *name, const char *data, size_t len, struct eng_csv **out,
                     struct err *e)
{
    (void)e;
    *out = csv_new(name);
    (*out)->mem = data;
    (*out)->mem_len = len;
    return 0;
}

void eng_csv_close(struct eng_csv *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free((char *)c->path);
    free(c->buf);
    free(c->spans);
    free(c->fields);
    free(c);
}

int eng_csv_rewind(struct eng_csv *c, struct err *e)
{
    if (c->fd >= 0 && lseek(c->fd, 0, SEEK_SET) != 0)
        return ERR_SET(e, TL_EIO, "cannot read '%s' again: %s", c->path, strerror(errno));
    c->mem_pos = 0;
    c->len = c->rec = 0;
    c->eof = c->started = false;
    c->base = c->line_start = 0;
    c->line = 1;
    c->rec_line = 0;
    return 0;
}

int eng_csv_line(const struct eng_csv *c)
{
    return c->rec_line;
}

/* Moves the record being parsed to the front and reads more behind it.
 * Returns 0, or an error; sets eof when nothing more came. */
static int refill(struct eng_csv *c, struct err *e)
{
    if (c->rec > 0) {
        memmove(c->buf, c->buf + c->rec, c->len - c->rec);
        c->base += c->rec;
        c->len -= c->rec;
        c->rec = 0;
    }
    if (c->cap - c->len < CSV_CHUNK / 2) {
        if (c->len >= ENG_CSV_MAX_RECORD)
            return ERR_SET(e, TL_ETOOBIG, "%s:%d: record is longer than %zu MiB", c->path, c->line,
                           ENG_CSV_MAX_RECORD >> 20);
        c->cap *= 2;
        c->buf = xrealloc(c->buf, c->cap + 1);
    }
    size_t want = c->cap - c->len;
    ssize_t got;
    if (c->fd >= 0) {
        do
            got = read(c->fd, c->buf + c->len, want);
        while (got < 0 && errno == EINTR);
        if (got < 0)
            return ERR_SET(e, TL_EIO, "cannot read '%s': %s", c->path, strerror(errno));
    } else {
        size_t left = c->mem_len - c->mem_pos;
        got = (ssize_t)(left < want ? left : want);
        memcpy(c->buf + c->len, c->mem + c->mem_pos, (size_t)got);
        c->mem_pos += (size_t)got;
    }
    if (got == 0) {
        c->eof = true;
        return 0;
    }
    c->len += (size_t)got;
    return 0;
}

static int fail_at(struct eng_csv *c, struct err *e, int line, uint64_t line_start, size_t at,
                   const char *what)
{
    int col = (int)(c->base + at - line_start) + 1;
    ERR_SET(e, TL_EINPUT, "%s", what);
    err_where(e, c->path, line, col);
    return TL_EINPUT;
}

static void add_span(struct eng_csv *c, size_t n, size_t off, size_t len, bool escapes)
{
    if (n == c->cap_fields) {
        c->cap_fields = c->cap_fields ? c->cap_fields * 2 : 64;
        c->spans = xrealloc(c->spans, c->cap_fields * sizeof(*c->spans));
        c->fields = xrealloc(c->fields, c->cap_fields * sizeof(*c->fields));
    }
    c->spans[n] = (struct span){off, len, escapes};
}

/* Validates the UTF-8 sequence at buf[p]: its length, 0 when more bytes
 * are needed first, or -1 when invalid. */
static int utf8_at(const struct eng_csv *c, size_t p)
{
    int k = utf8_seq((const unsigned char *)c->buf + p, c->len - p);
    return k == 0 && c->eof ? -1 : k;
}

enum scan { SCAN_OK, SCAN_MORE, SCAN_FAIL };

/* Parses one record starting at c->rec into spans.  SCAN_MORE: the buffer
 * ended first (and more may come). */
static enum scan scan_record(struct eng_csv *c, size_t *n_out, size_t *next, bool *blank,
                             struct err *e)
{
    const char *b = c->buf;
    size_t p = c->rec, end = c->len, n = 0;
    int line = c->line;
    uint64_t line_start = c->line_start;
    *blank = false;
    for (;;) {
        size_t fstart = p;
        bool escapes = false;
        size_t off, flen;
        if (p < end && b[p] == '"') {
            int qline = line;
            uint64_t qls = line_start;
            p++;
            off = p;
            for (;;) {
                while (p < end && !quoted_stop[(unsigned char)b[p]])
                    p++;
                if (p >= end) {
                    if (!c->eof)
                        return SCAN_MORE;
                    fail_at(c, e, qline, qls, fstart, "unterminated quoted field");
                    return SCAN_FAIL;
                }
                unsigned char ch = (unsigned char)b[p];
                if (ch == '"') {
                    if (p + 1 >= end && !c->eof)
                        return SCAN_MORE;
                    if (p + 1 < end && b[p + 1] == '"') {
                        escapes = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                if (ch == '\n') {
                    p++;
                    line++;
                    line_start = c->base + p;
                    continue;
                }
                if (ch == 0) {
                    fail_at(c, e, line, line_start, p, "NUL byte in the data");
                    return SCAN_FAIL;
                }
                int k = utf8_at(c, p);
                if (k == 0)
                    return SCAN_MORE;
                if (k < 0) {
                    fail_at(c, e, line, line_start, p, "invalid UTF-8");
                    return SCAN_FAIL;
                }
                p += (size_t)k;
            }
            flen = p - off;
            p++; /* the closing quote */
            if (p < end && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
                fail_at(c, e, line, line_start, p, "unexpected text after a closing quote");
                return SCAN_FAIL;
            }
            if (p < end && b[p] == '\r') {
                if (p + 1 >= end && !c->eof)
                    return SCAN_MORE;
                if (p + 1 < end && b[p + 1] != '\n') {
                    fail_at(c, e, line, line_start, p, "unexpected text after a closing quote");
                    return SCAN_FAIL;
                }
            }
        } else {
            off = p;
            for (;;) {
                while (p < end && !plain_stop[(unsigned char)b[p]])
                    p++;
                if (p >= end) {
                    if (!c->eof)
                        return SCAN_MORE;
                    break;
                }
                unsigned char ch = (unsigned char)b[p];
                if (ch == ',' || ch == '\n')
                    break;
                if (ch == '\r') {
                    if (p + 1 >= end && !c->eof)
                        return SCAN_MORE;
                    if (p + 1 < end && b[p + 1] == '\n')
                        break;
                    p++; /* a lone CR is data */
                    continue;
                }
                if (ch == 0) {
                    fail_at(c, e, line, line_start, p, "NUL byte in the data");
                    return SCAN_FAIL;
                }
                int k = utf8_at(c, p);
                if (k == 0)
                    return SCAN_MORE;
                if (k < 0) {
                    fail_at(c, e, line, line_start, p, "invalid UTF-8");
                    return SCAN_FAIL;
                }
                p += (size_t)k;
            }
            flen = p - off;
        }
        add_span(c, n++, off - c->rec, flen, escapes);
        /* The delimiter. */
        if (p >= end) {
            *next = p;
            break;
        }
        if (b[p] == ',') {
            p++;
            continue;
        }
        if (b[p] == '\r' && p + 1 < end && b[p + 1] == '\n')
            p++;
        p++; /* '\n', or a CR that ends the file */
        *next = p;
        line++;
        line_start = c->base + p;
        break;
    }
    *blank = n == 1 && c->spans[0].len == 0 && b[c->rec] != '"';
    *n_out = n;
    c->line = line;
    c->line_start = line_start;
    return SCAN_OK;
}

/* Terminates (and unescapes) the fields of a complete record in place. */
static void finish_fields(struct eng_csv *c, size_t n)
{
    char *rec = c->buf + c->rec;
    for (size_t i = 0; i < n; i++) {
        struct span *s = &c->spans[i];
        char *f = rec + s->off;
        size_t len = s->len;
        if (s->escapes) {
            size_t w = 0;
            for (size_t r = 0; r < len; r++) {
                f[w++] = f[r];
                if (f[r] == '"')
                    r++; /* skip the second quote of "" */
            }
            len = w;
        }
        f[len] = '\0';
        c->fields[i] = (struct eng_field){f, len};
    }
}

int eng_csv_next(struct eng_csv *c, const struct eng_field **fields, size_t *n, struct err *e)
{
    for (;;) {
        if (!c->started) {
            while (c->len < 3 && !c->eof) {
                int rc = refill(c, e);
                if (rc)
                    return rc;
            }
            if (c->len >= 3 && memcmp(c->buf, "\xef\xbb\xbf", 3) == 0)
                c->rec = 3;
            c->started = true;
        }
        if (c->rec >= c->len && c->eof)
            return TL_DONE;
        size_t count = 0, next = 0;
        bool blank = false;
        int saved_line = c->line;
        uint64_t saved_ls = c->line_start;
        enum scan s = c->rec < c->len ? scan_record(c, &count, &next, &blank, e) : SCAN_MORE;
        if (s == SCAN_FAIL)
            return TL_EINPUT;
        if (s == SCAN_MORE) {
            c->line = saved_line;
            c->line_start = saved_ls;
            int rc = refill(c, e);
            if (rc)
                return rc;
            continue;
        }
        if (blank) {
            c->rec = next;
            continue;
        }
        c->rec_line = saved_line;
        finish_fields(c, count);
        c->rec = next;
        *fields = c->fields;
        *n = count;
        return TL_ROW;
    }
}
