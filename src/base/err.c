/* err.c - error codes and messages. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *err_name(int code)
{
    switch (code) {
#define TL__ERR_NAME(name, value, text)                                                            \
    case value:                                                                                    \
        return #name;
        TL_ERRNO_MAP(TL__ERR_NAME)
#undef TL__ERR_NAME
    }
    return "EUNKNOWN";
}

const char *err_text(int code)
{
    switch (code) {
#define TL__ERR_TEXT(name, value, text)                                                            \
    case value:                                                                                    \
        return text;
        TL_ERRNO_MAP(TL__ERR_TEXT)
#undef TL__ERR_TEXT
    }
    return "unknown error";
}

int err_set_at(struct err *e, int code, const char *file, int line, const char *func,
               const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    e->file = file;
    e->line = line;
    e->func = func;
    e->where[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
    if (!e)
        return TL_EINTERNAL;
    char prefix[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    char old[sizeof(e->msg)];
    memcpy(old, e->msg, sizeof(old));
    snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
    return e->code;
}

void err_where(struct err *e, const char *path, int line, int col)
{
    if (!e)
        return;
    if (line > 0 && col > 0)
        snprintf(e->where, sizeof(e->where), "%s:%d:%d", path, line, col);
    else if (line > 0)
        snprintf(e->where, sizeof(e->where), "%s:%d", path, line);
    else
        snprintf(e->where, sizeof(e->where), "%s", path);
}

void err_field(struct err *e, const char *field)
{
    if (!e)
        return;
    snprintf(e->where, sizeof(e->where), "field '%s'", field);
}

void err_clear(struct err *e)
{
    if (!e)
        return;
    memset(e, 0, sizeof(*e));
}
