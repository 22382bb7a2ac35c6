/* err.h - error codes and the error value every fallible function fills.
 *
 * A function that can fail returns 0 or a negative TL_E* code and, when the
 * caller passed a non-NULL struct err, describes the failure there: what went
 * wrong (msg), where in the input (where: "file:line:col" or a field name) and
 * where in our code (file, line, func) for debugging.  The struct is owned by
 * the caller and holds no heap memory.
 */
#ifndef TL_ERR_H
#define TL_ERR_H

#include <stddef.h>

#if defined(__GNUC__)
#define TL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TL_PRINTF(f, a)
#endif

#define TL_FALLTHROUGH __attribute__((fallthrough))

/* X(name, value, default text).  Values are stable: they appear in logs. */
#define TL_ERRNO_MAP(X)                                                        \
    X(OK, 0, "success")                                                        \
    X(EUSAGE, -1, "bad usage")                                                 \
    X(EINPUT, -2, "invalid input")                                             \
    X(ENOTFOUND, -3, "not found")                                              \
    X(EEXIST, -4, "already exists")                                            \
    X(ECONFLICT, -5, "conflicting change")                                     \
    X(EPERM, -6, "permission denied")                                          \
    X(ESTORE, -7, "storage error")                                             \
    X(EVERSION, -8, "incompatible version")                                    \
    X(EIO, -9, "input/output error")                                           \
    X(ETOOBIG, -10, "too big")                                                 \
    X(ECHECK, -11, "check failed")                                             \
    X(EINTERNAL, -12, "internal error")                                        \
    X(EUNSUPPORTED, -13, "not supported in this build")

enum tl_errno {
#define TL__ERR_ENUM(name, value, text) TL_##name = value,
    TL_ERRNO_MAP(TL__ERR_ENUM)
#undef TL__ERR_ENUM
};

/* Returned by iterators that produced a row / reached the end. */
#define TL_ROW 1
#define TL_DONE 0

struct err {
    int code;
    char msg[512];
    char where[256]; /* location in the input, "" when none */
    const char *file; /* location in our source, for debugging */
    int line;
    const char *func;
};

#define ERR_INIT {0, {0}, {0}, NULL, 0, NULL}

/** Name of a code, e.g. "ENOTFOUND". */
const char *err_name(int code);

/** Default text of a code, e.g. "not found". */
const char *err_text(int code);

/** Fills e (if non-NULL) and returns code.  Use through ERR_SET. */
int err_set_at(struct err *e, int code, const char *file, int line, const char *func,
               const char *fmt, ...) TL_PRINTF(6, 7);

#define ERR_SET(e, code, ...) err_set_at((e), (code), __FILE__, __LINE__, __func__, __VA_ARGS__)

/** Prefixes e->msg with context ("loading catalog: " + msg).  Returns e->code. */
int err_wrap(struct err *e, const char *fmt, ...) TL_PRINTF(2, 3);

/** Records where in the input the error is: "path:line:col" (line/col 0 = omitted). */
void err_where(struct err *e, const char *path, int line, int col);

/** Records a field name as the location ("field 'frequency'"). */
void err_field(struct err *e, const char *field);

/** Resets e to "no error". */
void err_clear(struct err *e);

#endif
