/* sheet.c - strict CSV and XLSX readers (see sheet.h).
 *
 * The XLSX half is a minimal XML reader written for SpreadsheetML, not a
 * general one: it knows elements, attributes, text, character references
 * and the five predefined entities, CDATA, comments and processing
 * instructions, and refuses everything else (DOCTYPE and so entity
 * expansion in particular).  Element names are matched by their local part,
 * so a prefixed "x:row" reads like "row".
 */
#include "base/sheet.h"

#include "base/sb.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

const char *sheet_cell(const struct sheet_row *r, size_t col)
{
    return r && col < r->n && r->cells[col] ? r->cells[col] : "";
}

/* --- shared helpers ------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * invalid: overlong forms, surrogates and code points past U+10FFFF are
 * refused, as is NUL. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool sheet_utf8_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq((const unsigned char *)s + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/* Line and column (1-based, in bytes) of offset off in data. */
static void position(const char *data, size_t off, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (int)(off - start) + 1;
}

/* Checks that data is UTF-8 without NUL bytes; fails at the first bad byte. */
static int check_utf8(const char *path, const char *data, size_t len, struct err *e)
{
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_seq((const unsigned char *)data + i, len - i);
        if (n == 0) {
            int line, col;
            position(data, i, &line, &col);
            ERR_SET(e, TL_EINPUT, "%s (byte 0x%02x)",
                    data[i] ? "invalid UTF-8" : "NUL byte in text", (unsigned char)data[i]);
            err_where(e, path, line, col);
            return TL_EINPUT;
        }
        i += n;
    }
    return 0;
}

static size_t skip_bom(const char *data, size_t len)
{
    return len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* A growable array of pointers in an arena (the old block is abandoned). */
struct vec {
    const void **v;
    size_t n, cap;
};

static void vec_push(struct arena *a, struct vec *v, const void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        const void **nv = arena_calloc(a, cap, sizeof(*nv));
        if (v->n)
            memcpy(nv, v->v, v->n * sizeof(*nv));
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = p;
}

/* Rows are collected as struct sheet_row values in an arena array. */
struct rows {
    struct sheet_row *r;
    size_t n, cap;
};

static void rows_push(struct arena *a, struct rows *rs, const struct sheet_row *row)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        struct sheet_row *nr = arena_calloc(a, cap, sizeof(*nr));
        if (rs->n)
            memcpy(nr, rs->r, rs->n * sizeof(*nr));
        rs->r = nr;
        rs->cap = cap;
    }
    rs->r[rs->n++] = *row;
}

static void row_from_vec(struct arena *a, const struct vec *v, int line, struct sheet_row *row)
{
    row->n = v->n;
    row->line = line;
    row->cells = arena_calloc(a, v->n + 1, sizeof(char *));
    for (size_t i = 0; i < v->n; i++)
        row->cells[i] = v->v[i] ? v->v[i] : "";
}

/* --- CSV ----------------------------------------------------------------- */

struct csv {
    struct arena *a;
    const char *path, *data;
    size_t len, pos;
    int line;
    struct err *e;
};

static int csv_fail(struct csv *c, size_t at, const char *msg)
{
    int line, col;
    position(c->data, at, &line, &col);
    ERR_SET(c->e, TL_EINPUT, "%s", msg);
    err_where(c->e, c->path, line, col);
    return TL_EINPUT;
}

static bool csv_eol(const struct csv *c)
{
    return c->pos >= c->len || c->data[c->pos] == '\n' ||
           (c->data[c->pos] == '\r' && c->pos + 1 < c->len && c->data[c->pos + 1] == '\n');
}

/* Reads one field at c->pos into *out (in the arena). */
static int csv_field(struct csv *c, const char **out)
{
    struct sb f;
    sb_init_capped(&f, SHEET_MAX_CELL);
    int rc = 0;
    if (c->pos < c->len && c->data[c->pos] == '"') {
        size_t open = c->pos++;
        for (;;) {
            if (c->pos >= c->len) {
                rc = csv_fail(c, open, "unterminated quoted field");
                break;
            }
            char ch = c->data[c->pos];
            if (ch == '"') {
                if (c->pos + 1 < c->len && c->data[c->pos + 1] == '"') {
                    rc = sb_addc(&f, '"');
                    c->pos += 2;
                    if (rc)
                        break;
                    continue;
                }
                c->pos++;
                break;
            }
            if (ch == '\n')
                c->line++;
            rc = sb_addc(&f, ch);
            c->pos++;
            if (rc)
                break;
        }
        if (rc == 0 && !csv_eol(c) && c->data[c->pos] != ',')
            rc = csv_fail(c, c->pos, "text after the closing quote of a field");
    } else {
        size_t start = c->pos;
        while (!csv_eol(c) && c->data[c->pos] != ',') {
            if (c->data[c->pos] == '"') {
                rc = csv_fail(c, c->pos, "stray quote in an unquoted field");
                break;
            }
            if (c->data[c->pos] == '\r') {
                rc = csv_fail(c, c->pos, "carriage return without a line feed");
                break;
            }
            c->pos++;
        }
        if (rc == 0)
            rc = sb_add(&f, c->data + start, c->pos - start);
    }
    if (rc == TL_ETOOBIG)
        rc = csv_fail(c, c->pos, "field longer than the limit");
    if (rc == 0)
        *out = arena_strndup(c->a, f.buf, f.len);
    sb_release(&f);
    return rc;
}

int sheet_parse_csv(struct arena *a, const char *path, const char *data, size_t len,
                    struct sheet *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (len > SHEET_MAX_PART)
        return ERR_SET(e, TL_ETOOBIG, "'%s' is larger than %d bytes", path, SHEET_MAX_PART);
    int rc = check_utf8(path, data, len, e);
    if (rc)
        return rc;
    struct csv c = {a, path, data, len, skip_bom(data, len), 1, e};
    struct rows rs = {0};
    size_t width = 0;
    while (c.pos < c.len) {
        if (c.data[c.pos] == '\n' || (c.data[c.pos] == '\r' && csv_eol(&c))) {
            c.pos += c.data[c.pos] == '\r' ? 2 : 1;
            c.line++;
            continue;
        }
        if (rs.n >= SHEET_MAX_ROWS)
            return csv_fail(&c, c.pos, "more rows than the limit");
        struct vec cells = {0};
        int line = c.line;
        size_t row_start = c.pos;
        for (;;) {
            const char *cell;
            rc = csv_field(&c, &cell);
            if (rc)
                return rc;
            if (cells.n >= SHEET_MAX_COLS)
                return csv_fail(&c, c.pos, "more fields than the limit");
            vec_push(a, &cells, cell);
            if (c.pos < c.len && c.data[c.pos] == ',') {
                c.pos++;
                continue;
            }
            break;
        }
        if (c.pos < c.len) {
            c.pos += c.data[c.pos] == '\r' ? 2 : 1;
            c.line++;
        }
        if (rs.n == 0)
            width = cells.n;
        else if (cells.n != width) {
            char msg[96];
            snprintf(msg, sizeof(msg), "row has %zu fields, the first row has %zu", cells.n, width);
            return csv_fail(&c, row_start, msg);
        }
        struct sheet_row row;
        row_from_vec(a, &cells, line, &row);
        rows_push(a, &rs, &row);
    }
    out->rows = rs.r;
    out->n_rows = rs.n;
    return 0;
}

/* --- a minimal XML reader ------------------------------------------------ */

#define XML_MAX_ATTRS 32

struct xattr {
    const char *name; /* local name, NUL-terminated copy */
    const char *value;
};

struct xml;

struct xml_handler {
    int (*start)(struct xml *x, const char *name, const struct xattr *attrs, size_t n);
    int (*end)(struct xml *x, const char *name);
    int (*text)(struct xml *x, const char *s, size_t n);
};

struct xml {
    const char *path, *data;
    size_t len, pos;
    const struct xml_handler *h;
    void *ud;
    struct err *e;
    struct sb scratch; /* decoded attribute values and text of the current token */
    size_t fail_at;    /* offset a handler's error refers to */
};

static int xml_vfail(struct xml *x, size_t at, const char *fmt, va_list ap)
{
    char msg[256];
    int line, col;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    position(x->data, at < x->len ? at : x->len, &line, &col);
    ERR_SET(x->e, TL_EINPUT, "%s", msg);
    err_where(x->e, x->path, line, col);
    return TL_EINPUT;
}

static int xml_fail_at(struct xml *x, size_t at, const char *fmt, ...) TL_PRINTF(3, 4);
static int xml_fail_at(struct xml *x, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = xml_vfail(x, at, fmt, ap);
    va_end(ap);
    return rc;
}

/* For handlers: fails at the start of the current token. */
static int xml_fail(struct xml *x, const char *fmt, ...) TL_PRINTF(2, 3);
static int xml_fail(struct xml *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = xml_vfail(x, x->fail_at, fmt, ap);
    va_end(ap);
    return rc;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static void skip_space(struct xml *x)
{
    while (x->pos < x->len && is_space(x->data[x->pos]))
        x->pos++;
}

static bool starts(const struct xml *x, const char *s)
{
    size_t n = strlen(s);
    return x->len - x->pos >= n && memcmp(x->data + x->pos, s, n) == 0;
}

/* Reads a name at x->pos; *start and *n describe it in the input. */
static int read_name(struct xml *x, size_t *start, size_t *n)
{
    *start = x->pos;
    if (x->pos >= x->len || !is_name_start((unsigned char)x->data[x->pos]))
        return xml_fail_at(x, x->pos, "expected a name");
    while (x->pos < x->len && is_name_char((unsigned char)x->data[x->pos]))
        x->pos++;
    *n = x->pos - *start;
    if (*n > 256)
        return xml_fail_at(x, *start, "name longer than 256 bytes");
    return 0;
}

/* The local part of a name (after its last ':'), copied into sb with a NUL. */
static size_t add_local(struct sb *sb, const char *name, size_t n)
{
    const char *colon = memchr(name, ':', n);
    while (colon) {
        n -= (size_t)(colon + 1 - name);
        name = colon + 1;
        colon = memchr(name, ':', n);
    }
    size_t at = sb->len;
    sb_add(sb, name, n);
    sb_addc(sb, '\0');
    return at;
}

static void add_utf8(struct sb *sb, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    } else {
        b[0] = (char)(0xf0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    }
    sb_add(sb, b, n);
}

static bool xml_char_ok(uint32_t cp)
{
    return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Decodes the reference at data[*i] ('&') into sb and advances *i past ';'. */
static int decode_ref(struct xml *x, size_t *i, size_t end, struct sb *sb)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    size_t at = *i;
    const char *semi = memchr(x->data + at, ';', end - at);
    if (!semi || semi - (x->data + at) > 12)
        return xml_fail_at(x, at, "unterminated entity reference");
    const char *ref = x->data + at + 1;
    size_t n = (size_t)(semi - ref);
    *i = (size_t)(semi - x->data) + 1;
    if (n >= 2 && ref[0] == '#') {
        bool hex = ref[1] == 'x';
        uint32_t cp = 0;
        size_t k = hex ? 2 : 1;
        if (k >= n)
            return xml_fail_at(x, at, "empty character reference");
        for (; k < n; k++) {
            char ch = ref[k];
            uint32_t d;
            if (ch >= '0' && ch <= '9')
                d = (uint32_t)(ch - '0');
            else if (hex && ch >= 'a' && ch <= 'f')
                d = (uint32_t)(ch - 'a' + 10);
            else if (hex && ch >= 'A' && ch <= 'F')
                d = (uint32_t)(ch - 'A' + 10);
            else
                return xml_fail_at(x, at, "bad character reference");
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10ffff)
                return xml_fail_at(x, at, "character reference out of range");
        }
        if (!xml_char_ok(cp))
            return xml_fail_at(x, at, "character reference to a character XML forbids");
        add_utf8(sb, cp);
        return 0;
    }
    for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
        if (strlen(named[k].name) == n && memcmp(named[k].name, ref, n) == 0)
            return sb_addc(sb, named[k].c);
    char name[16];
    snprintf(name, sizeof(name), "%.*s", (int)n, ref);
    return xml_fail_at(x, at, "unknown entity '&%s;'", name);
}

/* Appends data[from, to) to sb with references decoded. */
static int decode_text(struct xml *x, size_t from, size_t to, struct sb *sb)
{
    size_t i = from;
    while (i < to) {
        const char *amp = memchr(x->data + i, '&', to - i);
        size_t stop = amp ? (size_t)(amp - x->data) : to;
        if (sb_add(sb, x->data + i, stop - i))
            return xml_fail_at(x, i, "text longer than the limit");
        i = stop;
        if (amp) {
            int rc = decode_ref(x, &i, to, sb);
            if (rc)
                return rc;
        }
    }
    return sb->overflow ? xml_fail_at(x, from, "text longer than the limit") : 0;
}

/* Skips past the terminator of a construct that started at x->pos. */
static int skip_past(struct xml *x, const char *term, const char *what)
{
    size_t at = x->pos;
    size_t tn = strlen(term);
    for (size_t i = x->pos; i + tn <= x->len; i++)
        if (memcmp(x->data + i, term, tn) == 0) {
            x->pos = i + tn;
            return 0;
        }
    return xml_fail_at(x, at, "unterminated %s", what);
}

/* The XML declaration may only name UTF-8. */
static int check_decl(struct xml *x, size_t from, size_t to)
{
    const char *enc = NULL;
    for (size_t i = from; i + 8 <= to; i++)
        if (memcmp(x->data + i, "encoding", 8) == 0) {
            enc = x->data + i + 8;
            break;
        }
    if (!enc)
        return 0;
    while (enc < x->data + to && (is_space(*enc) || *enc == '=' || *enc == '"' || *enc == '\''))
        enc++;
    if ((size_t)(x->data + to - enc) < 5 || strncasecmp(enc, "utf-8", 5) != 0)
        return xml_fail_at(x, from, "only UTF-8 documents are read");
    return 0;
}

struct open_el {
    size_t start, n; /* the element's name in the input */
};

static int parse_start_tag(struct xml *x, struct open_el *stack, int *depth)
{
    size_t tag = x->pos++;
    size_t ns, nn;
    int rc = read_name(x, &ns, &nn);
    if (rc)
        return rc;
    sb_reset(&x->scratch);
    size_t name_at = add_local(&x->scratch, x->data + ns, nn);
    size_t name_off[XML_MAX_ATTRS], value_off[XML_MAX_ATTRS];
    size_t raw_start[XML_MAX_ATTRS], raw_n[XML_MAX_ATTRS];
    size_t n_attrs = 0;
    bool empty = false;
    for (;;) {
        size_t before = x->pos;
        skip_space(x);
        if (x->pos >= x->len)
            return xml_fail_at(x, tag, "unterminated tag");
        if (x->data[x->pos] == '>') {
            x->pos++;
            break;
        }
        if (starts(x, "/>")) {
            x->pos += 2;
            empty = true;
            break;
        }
        if (x->pos == before)
            return xml_fail_at(x, x->pos, "expected a space before an attribute");
        if (n_attrs == XML_MAX_ATTRS)
            return xml_fail_at(x, x->pos, "too many attributes");
        size_t as, an;
        rc = read_name(x, &as, &an);
        if (rc)
            return rc;
        for (size_t k = 0; k < n_attrs; k++)
            if (raw_n[k] == an && memcmp(x->data + raw_start[k], x->data + as, an) == 0)
                return xml_fail_at(x, as, "attribute given twice");
        skip_space(x);
        if (x->pos >= x->len || x->data[x->pos] != '=')
            return xml_fail_at(x, x->pos, "expected '=' after an attribute name");
        x->pos++;
        skip_space(x);
        if (x->pos >= x->len || (x->data[x->pos] != '"' && x->data[x->pos] != '\''))
            return xml_fail_at(x, x->pos, "expected a quoted attribute value");
        char q = x->data[x->pos++];
        size_t vs = x->pos;
        while (x->pos < x->len && x->data[x->pos] != q) {
            if (x->data[x->pos] == '<')
                return xml_fail_at(x, x->pos, "'<' in an attribute value");
            x->pos++;
        }
        if (x->pos >= x->len)
            return xml_fail_at(x, vs, "unterminated attribute value");
        raw_start[n_attrs] = as;
        raw_n[n_attrs] = an;
        name_off[n_attrs] = add_local(&x->scratch, x->data + as, an);
        value_off[n_attrs] = x->scratch.len;
        rc = decode_text(x, vs, x->pos, &x->scratch);
        if (rc)
            return rc;
        sb_addc(&x->scratch, '\0');
        if (x->scratch.overflow)
            return xml_fail_at(x, tag, "tag longer than the limit");
        x->pos++;
        n_attrs++;
    }
    struct xattr attrs[XML_MAX_ATTRS];
    for (size_t k = 0; k < n_attrs; k++) {
        attrs[k].name = x->scratch.buf + name_off[k];
        attrs[k].value = x->scratch.buf + value_off[k];
    }
    const char *name = x->scratch.buf + name_at;
    x->fail_at = tag;
    rc = x->h->start(x, name, attrs, n_attrs);
    if (rc == 0 && empty)
        rc = x->h->end(x, name);
    if (rc == 0 && !empty) {
        if (*depth == SHEET_MAX_DEPTH)
            return xml_fail_at(x, tag, "elements nested too deeply");
        stack[*depth].start = ns;
        stack[*depth].n = nn;
        (*depth)++;
    }
    return rc;
}

static int parse_end_tag(struct xml *x, struct open_el *stack, int *depth)
{
    size_t tag = x->pos;
    x->pos += 2;
    size_t ns, nn;
    int rc = read_name(x, &ns, &nn);
    if (rc)
        return rc;
    skip_space(x);
    if (x->pos >= x->len || x->data[x->pos] != '>')
        return xml_fail_at(x, x->pos, "expected '>' to close the end tag");
    x->pos++;
    if (*depth == 0)
        return xml_fail_at(x, tag, "end tag without a start tag");
    const struct open_el *top = &stack[*depth - 1];
    if (top->n != nn || memcmp(x->data + top->start, x->data + ns, nn) != 0) {
        char want[64];
        snprintf(want, sizeof(want), "%.*s", (int)(top->n < 60 ? top->n : 60),
                 x->data + top->start);
        return xml_fail_at(x, tag, "end tag does not match the open element '%s'", want);
    }
    (*depth)--;
    sb_reset(&x->scratch);
    size_t at = add_local(&x->scratch, x->data + ns, nn);
    x->fail_at = tag;
    return x->h->end(x, x->scratch.buf + at);
}

static int emit_text(struct xml *x, size_t from, size_t to, bool raw)
{
    sb_reset(&x->scratch);
    int rc = raw ? (sb_add(&x->scratch, x->data + from, to - from) ? TL_ETOOBIG : 0)
                 : decode_text(x, from, to, &x->scratch);
    if (rc == TL_ETOOBIG || x->scratch.overflow)
        return xml_fail_at(x, from, "text longer than the limit");
    x->fail_at = from;
    return rc ? rc : x->h->text(x, x->scratch.buf, x->scratch.len);
}

static int xml_parse(struct xml *x)
{
    struct open_el stack[SHEET_MAX_DEPTH];
    int depth = 0;
    bool root_seen = false;
    int rc = check_utf8(x->path, x->data, x->len, x->e);
    x->pos = skip_bom(x->data, x->len);
    while (rc == 0 && x->pos < x->len) {
        if (x->data[x->pos] != '<') {
            size_t from = x->pos;
            const char *lt = memchr(x->data + from, '<', x->len - from);
            x->pos = lt ? (size_t)(lt - x->data) : x->len;
            if (depth > 0) {
                rc = emit_text(x, from, x->pos, false);
                continue;
            }
            for (size_t i = from; i < x->pos; i++)
                if (!is_space(x->data[i]))
                    return xml_fail_at(x, i, "text outside the root element");
            continue;
        }
        if (starts(x, "<?")) {
            size_t from = x->pos;
            rc = skip_past(x, "?>", "processing instruction");
            if (rc == 0 && x->pos - from >= 5 && memcmp(x->data + from, "<?xml", 5) == 0)
                rc = check_decl(x, from, x->pos);
        } else if (starts(x, "<!--")) {
            rc = skip_past(x, "-->", "comment");
        } else if (starts(x, "<![CDATA[")) {
            size_t from = x->pos + 9;
            if (depth == 0)
                return xml_fail_at(x, x->pos, "CDATA outside the root element");
            rc = skip_past(x, "]]>", "CDATA section");
            if (rc == 0)
                rc = emit_text(x, from, x->pos - 3, true);
        } else if (starts(x, "<!")) {
            return xml_fail_at(x, x->pos, "document type declarations are not allowed");
        } else if (starts(x, "</")) {
            rc = parse_end_tag(x, stack, &depth);
        } else {
            if (root_seen && depth == 0)
                return xml_fail_at(x, x->pos, "a second root element");
            root_seen = true;
            rc = parse_start_tag(x, stack, &depth);
        }
    }
    if (rc == 0 && depth > 0)
        return xml_fail_at(x, x->len, "document ends inside an element");
    if (rc == 0 && !root_seen)
        return xml_fail_at(x, 0, "no root element");
    return rc;
}

static int xml_run(struct xml *x, const char *path, const char *data, size_t len,
                   const struct xml_handler *h, void *ud, struct err *e)
{
    memset(x, 0, sizeof(*x));
    x->path = path;
    x->data = data;
    x->len = len;
    x->h = h;
    x->ud = ud;
    x->e = e;
    sb_init_capped(&x->scratch, SHEET_MAX_CELL + 4096);
    int rc = xml_parse(x);
    sb_release(&x->scratch);
    return rc;
}

/* --- shared strings -------------------------------------------------------- */

struct sst {
    struct arena *a;
    struct vec strings;
    int in_si, in_t, in_rph;
    struct sb cur;
};

static int sst_start(struct xml *x, const char *name, const struct xattr *attrs, size_t n)
{
    struct sst *s = x->ud;
    (void)attrs, (void)n;
    if (strcmp(name, "si") == 0) {
        if (s->in_si)
            return xml_fail(x, "nested string item");
        s->in_si = 1;
        sb_reset(&s->cur);
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(name, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
    return 0;
}

static int sst_end(struct xml *x, const char *name)
{
    struct sst *s = x->ud;
    if (strcmp(name, "si") == 0) {
        s->in_si = 0;
        vec_push(s->a, &s->strings, arena_strndup(s->a, s->cur.buf, s->cur.len));
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph--;
    } else if (strcmp(name, "t") == 0) {
        s->in_t = 0;
    }
    return 0;
}

static int sst_text(struct xml *x, const char *t, size_t n)
{
    struct sst *s = x->ud;
    if (s->in_t && (sb_add(&s->cur, t, n) || s->cur.overflow))
        return xml_fail(x, "shared string longer than the limit");
    return 0;
}

/* --- the worksheet ----------------------------------------------------------- */

enum cell_type { CT_NUMBER, CT_SHARED, CT_STR, CT_INLINE, CT_BOOL, CT_ERROR, CT_DATE };

struct ws {
    struct arena *a;
    const struct vec *shared;
    struct rows rows;
    int in_data, in_row, in_c, in_v, in_f, in_is, in_t, in_rph;
    long row_no, last_row;
    long col, last_col;
    enum cell_type type;
    struct vec cells;
    struct sb cur;
};

static const char *attr(const struct xattr *attrs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(attrs[i].name, name) == 0)
            return attrs[i].value;
    return NULL;
}

/* A cell reference "BC12": column index 54 (0-based) and row 12. */
static bool parse_ref(const char *ref, long *col, long *row)
{
    long c = 0, r = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z'; p++) {
        c = c * 26 + (*p - 'A' + 1);
        if (c > 16384)
            return false;
    }
    if (p == ref || *p < '1' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        r = r * 10 + (*p - '0');
        if (r > SHEET_MAX_ROWS)
            return false;
    }
    if (*p)
        return false;
    *col = c - 1;
    *row = r;
    return true;
}

static bool parse_long(const char *s, long max, long *out)
{
    long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

static int ws_start_row(struct xml *x, struct ws *w, const struct xattr *attrs, size_t n)
{
    const char *r = attr(attrs, n, "r");
    long no = w->last_row + 1;
    if (r && !parse_long(r, SHEET_MAX_ROWS, &no))
        return xml_fail(x, "bad row number '%s'", r);
    if (no <= w->last_row || no < 1 || no > SHEET_MAX_ROWS)
        return xml_fail(x, "row %s is out of order", r ? r : "?");
    w->in_row = 1;
    w->row_no = no;
    w->last_col = -1;
    w->cells.n = 0;
    return 0;
}

static int ws_start_cell(struct xml *x, struct ws *w, const struct xattr *attrs, size_t n)
{
    static const char *const types[] = {"n", "s", "str", "inlineStr", "b", "e", "d"};
    const char *r = attr(attrs, n, "r"), *t = attr(attrs, n, "t");
    long col = w->last_col + 1, row = w->row_no;
    if (r && !parse_ref(r, &col, &row))
        return xml_fail(x, "bad cell reference '%s'", r);
    if (row != w->row_no)
        return xml_fail(x, "cell '%s' is not in its row", r);
    if (col <= w->last_col)
        return xml_fail(x, "cell '%s' is out of order", r ? r : "?");
    if (col >= SHEET_MAX_COLS)
        return xml_fail(x, "cell '%s' is beyond the columns read", r ? r : "?");
    w->type = CT_NUMBER;
    if (t) {
        size_t k = 0;
        while (k < sizeof(types) / sizeof(types[0]) && strcmp(types[k], t) != 0)
            k++;
        if (k == sizeof(types) / sizeof(types[0]))
            return xml_fail(x, "unknown cell type '%s'", t);
        w->type = (enum cell_type)k;
    }
    w->in_c = 1;
    w->col = col;
    sb_reset(&w->cur);
    return 0;
}

static int ws_start(struct xml *x, const char *name, const struct xattr *attrs, size_t n)
{
    struct ws *w = x->ud;
    if (strcmp(name, "sheetData") == 0) {
        w->in_data = 1;
        return 0;
    }
    if (strcmp(name, "row") == 0) {
        if (!w->in_data || w->in_row)
            return xml_fail(x, "a row outside the sheet data");
        return ws_start_row(x, w, attrs, n);
    }
    if (strcmp(name, "c") == 0) {
        if (!w->in_row || w->in_c)
            return xml_fail(x, "a cell outside a row");
        return ws_start_cell(x, w, attrs, n);
    }
    if (!w->in_c)
        return 0;
    if (strcmp(name, "v") == 0)
        w->in_v = 1;
    else if (strcmp(name, "f") == 0)
        w->in_f = 1;
    else if (strcmp(name, "is") == 0)
        w->in_is = 1;
    else if (strcmp(name, "rPh") == 0)
        w->in_rph++;
    else if (strcmp(name, "t") == 0 && w->in_is && !w->in_rph)
        w->in_t = 1;
    return 0;
}

static int ws_end_cell(struct xml *x, struct ws *w)
{
    const char *v = NULL;
    if (w->type == CT_SHARED) {
        long idx;
        if (w->cur.len == 0)
            v = "";
        else if (!parse_long(w->cur.buf, (long)SHEET_MAX_PART, &idx) || (size_t)idx >= w->shared->n)
            return xml_fail(x, "cell refers to a shared string '%s' that does not exist",
                            w->cur.buf);
        else
            v = w->shared->v[idx];
    } else if (w->type == CT_BOOL) {
        if (strcmp(w->cur.buf, "1") == 0)
            v = "TRUE";
        else if (strcmp(w->cur.buf, "0") == 0)
            v = "FALSE";
        else if (w->cur.len == 0)
            v = "";
        else
            return xml_fail(x, "bad boolean cell value '%s'", w->cur.buf);
    } else {
        v = arena_strndup(w->a, w->cur.buf, w->cur.len);
    }
    while ((long)w->cells.n < w->col)
        vec_push(w->a, &w->cells, "");
    vec_push(w->a, &w->cells, v);
    w->last_col = w->col;
    w->in_c = w->in_v = w->in_f = w->in_is = w->in_t = w->in_rph = 0;
    return 0;
}

static int ws_end(struct xml *x, const char *name)
{
    struct ws *w = x->ud;
    if (strcmp(name, "sheetData") == 0) {
        w->in_data = 0;
    } else if (strcmp(name, "row") == 0 && w->in_row) {
        bool any = false;
        for (size_t i = 0; i < w->cells.n && !any; i++)
            any = *(const char *)w->cells.v[i] != '\0';
        if (any) {
            struct sheet_row row;
            row_from_vec(w->a, &w->cells, (int)w->row_no, &row);
            rows_push(w->a, &w->rows, &row);
        }
        w->in_row = 0;
        w->last_row = w->row_no;
    } else if (strcmp(name, "c") == 0 && w->in_c) {
        return ws_end_cell(x, w);
    } else if (strcmp(name, "v") == 0) {
        w->in_v = 0;
    } else if (strcmp(name, "f") == 0) {
        w->in_f = 0;
    } else if (strcmp(name, "is") == 0) {
        w->in_is = 0;
    } else if (strcmp(name, "rPh") == 0 && w->in_rph) {
        w->in_rph--;
    } else if (strcmp(name, "t") == 0) {
        w->in_t = 0;
    }
    return 0;
}

static int ws_text(struct xml *x, const char *t, size_t n)
{
    struct ws *w = x->ud;
    bool keep = w->in_c && ((w->in_v && !w->in_f) || (w->in_is && w->in_t && !w->in_rph));
    if (keep && (sb_add(&w->cur, t, n) || w->cur.overflow))
        return xml_fail(x, "cell longer than the limit");
    return 0;
}

int sheet_parse_xlsx_xml(struct arena *a, const char *path, const char *shared, size_t shared_len,
                         const char *sheet_xml, size_t sheet_len, struct sheet *out, struct err *e)
{
    static const struct xml_handler sst_h = {sst_start, sst_end, sst_text};
    static const struct xml_handler ws_h = {ws_start, ws_end, ws_text};
    memset(out, 0, sizeof(*out));
    if (shared_len > SHEET_MAX_PART || sheet_len > SHEET_MAX_PART)
        return ERR_SET(e, TL_ETOOBIG, "'%s' has a part larger than %d bytes", path, SHEET_MAX_PART);
    struct xml x;
    struct sst s = {.a = a};
    sb_init_capped(&s.cur, SHEET_MAX_CELL);
    int rc = 0;
    if (shared) {
        char *p = arena_printf(a, "%s:xl/sharedStrings.xml", path);
        rc = xml_run(&x, p, shared, shared_len, &sst_h, &s, e);
    }
    sb_release(&s.cur);
    if (rc)
        return rc;
    struct ws w = {.a = a, .shared = &s.strings, .last_row = 0};
    sb_init_capped(&w.cur, SHEET_MAX_CELL);
    char *p = arena_printf(a, "%s:xl/worksheets/sheet1.xml", path);
    rc = xml_run(&x, p, sheet_xml, sheet_len, &ws_h, &w, e);
    sb_release(&w.cur);
    if (rc)
        return rc;
    out->rows = w.rows.r;
    out->n_rows = w.rows.n;
    return 0;
}

/* --- files ------------------------------------------------------------------ */

static int read_part(zip_t *za, const char *path, const char *name, bool required, struct sb *sb,
                     bool *found, struct err *e)
{
    *found = false;
    zip_int64_t idx = zip_name_locate(za, name, 0);
    if (idx < 0) {
        if (!required)
            return 0;
        return ERR_SET(e, TL_EINPUT, "'%s' is not a workbook with a first worksheet ('%s')", path,
                       name);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return ERR_SET(e, TL_EINPUT, "cannot read '%s' in '%s'", name, path);
    if (st.size > SHEET_MAX_PART)
        return ERR_SET(e, TL_ETOOBIG, "'%s' in '%s' is larger than %d bytes", name, path,
                       SHEET_MAX_PART);
    zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf)
        return ERR_SET(e, TL_EINPUT, "cannot read '%s' in '%s': %s", name, path, zip_strerror(za));
    sb_init_capped(sb, SHEET_MAX_PART);
    char buf[65536];
    int rc = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf, sizeof(buf));
        if (got < 0) {
            rc = ERR_SET(e, TL_EINPUT, "cannot read '%s' in '%s': %s", name, path,
                         zip_file_strerror(zf));
            break;
        }
        if (got == 0)
            break;
        if (sb_add(sb, buf, (size_t)got)) {
            rc = ERR_SET(e, TL_ETOOBIG, "'%s' in '%s' is larger than %d bytes", name, path,
                         SHEET_MAX_PART);
            break;
        }
    }
    zip_fclose(zf);
    *found = rc == 0;
    return rc;
}

int sheet_read_xlsx(struct arena *a, const char *path, struct sheet *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    int code = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!za) {
        if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN)
            return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s'", path);
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        ERR_SET(e, TL_EINPUT, "'%s' is not an XLSX file (a zip archive): %s", path,
                zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return TL_EINPUT;
    }
    struct sb shared = SB_INIT, ws = SB_INIT;
    bool has_shared = false, has_ws = false;
    int rc = read_part(za, path, "xl/sharedStrings.xml", false, &shared, &has_shared, e);
    if (rc == 0)
        rc = read_part(za, path, "xl/worksheets/sheet1.xml", true, &ws, &has_ws, e);
    zip_discard(za);
    if (rc == 0)
        rc = sheet_parse_xlsx_xml(a, path, has_shared ? shared.buf : NULL, shared.len, ws.buf,
                                  ws.len, out, e);
    sb_release(&shared);
    sb_release(&ws);
    return rc;
}

int sheet_read(struct arena *a, const char *path, struct sheet *out, struct err *e)
{
    size_t n = strlen(path);
    if (n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0)
        return sheet_read_xlsx(a, path, out, e);
    struct sb sb;
    sb_init_capped(&sb, SHEET_MAX_PART);
    int rc = sb_read_file(&sb, path, e);
    if (rc == 0)
        rc = sheet_parse_csv(a, path, sb.buf, sb.len, out, e);
    sb_release(&sb);
    return rc;
}
