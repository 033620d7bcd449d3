// raylib's TraceLogCallback receives its message as a printf format and a va_list, which Rust
// cannot take apart. This formats it with C's own vsnprintf and hands the finished text to the
// sink Rust installed (engine/ffi/trace_log.rs).
#include <stdarg.h>
#include <stdio.h>

typedef void (*lunaray_log_sink)(int level, const char *text);

static lunaray_log_sink sink;

void lunaray_set_log_sink(lunaray_log_sink s) { sink = s; }

// raylib's own limit is 256 bytes (MAX_TRACELOG_MSG_LENGTH); longer messages are cut here too.
void lunaray_trace_log_callback(int level, const char *format, va_list args) {
    char text[1024];
    vsnprintf(text, sizeof text, format, args);
    lunaray_log_sink s = sink;
    if (s) s(level, text);
}
