/* log.c - leveled logging. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

void log_msg(const struct tl_log *log, enum log_level level, const char *fmt, ...)
{
    if (!log || !log->sink || level > log->level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    log->sink(log->ud, level, line);
}

const char *log_level_name(enum log_level level)
{
    switch (level) {
    case LOG_ERROR:
        return "error";
    case LOG_WARN:
        return "warn";
    case LOG_INFO:
        return "info";
    case LOG_DEBUG:
        return "debug";
    }
    return "?";
}
