/* sb.h - growable string buffer (after git's strbuf).
 *
 * Invariants: buf is never NULL and always NUL-terminated; len excludes the
 * NUL.  A buffer initialised with SB_INIT points at a shared empty string
 * until the first write.  The owner releases it with sb_release(), or takes
 * the bytes with sb_detach() and then owns them (free()).  A buffer with a
 * cap (sb_init_capped) refuses to grow past it and reports TL_ETOOBIG:
 * use one for anything that holds untrusted input.
 */
#ifndef TL_SB_H
#define TL_SB_H

#include "base/err.h"

#include <stdarg.h>
#include <stddef.h>

struct sb {
    char *buf;
    size_t len;
    size_t alloc; /* 0 while buf points at the shared empty string */
    size_t cap;   /* 0 = unlimited */
    int overflow; /* set once a capped write was refused */
};

extern char sb__empty[1];
#define SB_INIT {sb__empty, 0, 0, 0, 0}

/** Initialises an empty buffer with no cap. */
void sb_init(struct sb *sb);

/** Initialises an empty buffer that never grows past cap bytes. */
void sb_init_capped(struct sb *sb, size_t cap);

/** Frees the bytes and resets to SB_INIT. */
void sb_release(struct sb *sb);

/** Returns the bytes (caller frees) and resets the buffer. */
char *sb_detach(struct sb *sb, size_t *len);

/** Ensures room for extra more bytes; returns 0 or TL_ETOOBIG. */
int sb_grow(struct sb *sb, size_t extra);

/** Appends n bytes. Returns 0 or TL_ETOOBIG (buffer unchanged). */
int sb_add(struct sb *sb, const void *data, size_t n);

/** Appends a NUL-terminated string. */
int sb_adds(struct sb *sb, const char *s);

/** Appends one character. */
int sb_addc(struct sb *sb, char c);

/** Appends formatted text. */
int sb_addf(struct sb *sb, const char *fmt, ...) TL_PRINTF(2, 3);
int sb_vaddf(struct sb *sb, const char *fmt, va_list ap);

/** Truncates to len bytes (len <= sb->len). */
void sb_setlen(struct sb *sb, size_t len);

/** Empties the buffer, keeping its memory. */
void sb_reset(struct sb *sb);

/** Appends s with the escaping HTML text and attributes need. */
int sb_add_html(struct sb *sb, const char *s);

/** Appends s as one CSV field (quoted when needed, RFC 4180). */
int sb_add_csv(struct sb *sb, const char *s);

/** Reads a whole file into sb. Returns 0, TL_ENOTFOUND, TL_EIO or TL_ETOOBIG. */
int sb_read_file(struct sb *sb, const char *path, struct err *e);

/** Writes len bytes of data to path atomically (temp file + rename). */
int sb_write_file(const char *path, const void *data, size_t len, struct err *e);

#endif
