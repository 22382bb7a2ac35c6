/* log.h - leveled logging into a sink the face provides.
 *
 * Nothing below the faces prints; code that has something worth logging
 * takes a const struct tl_log * and the face decides where lines go
 * (stderr for the CLI, the access log for the server).  A NULL log or a
 * NULL sink discards everything.
 */
#ifndef TL_LOG_H
#define TL_LOG_H

#include "base/err.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct tl_log {
    enum log_level level; /* lines above this level are dropped */
    void (*sink)(void *ud, enum log_level level, const char *line);
    void *ud;
};

/** Formats and hands one line to the sink when level is enabled. */
void log_msg(const struct tl_log *log, enum log_level level, const char *fmt, ...) TL_PRINTF(3, 4);

/** "error", "warn", "info" or "debug". */
const char *log_level_name(enum log_level level);

#endif
