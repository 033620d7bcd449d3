// bench/native/bench.h: what the native floors share: the common command line, frame timing,
// the --report JSON and the --screenshot capture. Header-only (static functions), C99, raylib.h
// and rlgl.h only, so each floor still builds from its one .c file.
#ifndef LUNARAY_BENCH_H
#define LUNARAY_BENCH_H

#include "raylib.h"
#include "rlgl.h"        // rlDrawRenderBatchActive(), to flush the batch before a capture

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct BenchOptions {
    int frames;             // --frames N: run exactly N frames (0: until the window closes)
    int load;               // --load N
    int seed;               // --seed S
    int hasDt;              // --dt X given
    double dt;              // the fixed frame time
    int fps;                // --fps N: SetTargetFPS(N); 0 is unthrottled
    int software;           // --software: fix the software renderer's capture
    const char *screenshot; // --screenshot FILE
    const char *report;     // --report FILE
    const char *texture;    // --texture FILE (bunnymark)
} BenchOptions;

// Parses the common options; `loadAlias` is a second name for --load (or NULL).
static BenchOptions BenchParseArgs(int argc, char **argv, const char *scene, int defaultLoad, const char *loadAlias)
{
    BenchOptions o;
    memset(&o, 0, sizeof(o));
    o.frames = 300;
    o.load = defaultLoad;
    o.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (!strcmp(a, "--software")) { o.software = 1; continue; }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s --frames N [--load N] [--seed S] [--dt X] [--fps N]\n"
                   "       [--screenshot FILE [--software]] [--report FILE]%s\n",
                   scene, strcmp(scene, "bunnymark") ? "" : " [--texture FILE]");
            exit(0);
        }
        if (!v) { fprintf(stderr, "%s: %s needs a value\n", scene, a); exit(2); }
        if (!strcmp(a, "--frames")) o.frames = atoi(v);
        else if (!strcmp(a, "--load") || (loadAlias && !strcmp(a, loadAlias))) o.load = atoi(v);
        else if (!strcmp(a, "--seed")) o.seed = atoi(v);
        else if (!strcmp(a, "--dt")) { o.dt = strtod(v, NULL); o.hasDt = 1; }
        else if (!strcmp(a, "--fps")) o.fps = atoi(v);
        else if (!strcmp(a, "--screenshot")) o.screenshot = v;
        else if (!strcmp(a, "--report")) o.report = v;
        else if (!strcmp(a, "--texture")) o.texture = v;
        else { fprintf(stderr, "%s: unknown option %s (try --help)\n", scene, a); exit(2); }
        i++;
    }
    if (o.frames < 0) o.frames = 0;
    return o;
}

// Whether the frame being drawn is the last one (the one --screenshot captures).
static int BenchLastFrame(const BenchOptions *o, int framesDone)
{
    return o->frames > 0 && framesDone + 1 == o->frames;
}

// Saves the frame drawn so far as PNG, top row first in true colours. Call it before the
// frame's EndDrawing (after the swap the back buffer is undefined).
static void BenchScreenshot(const BenchOptions *o)
{
    rlDrawRenderBatchActive();          // everything drawn this frame, into the framebuffer
    Image img = LoadImageFromScreen();  // PIXELFORMAT_UNCOMPRESSED_R8G8B8A8
    if (o->software) {
        // The software renderer (PLATFORM_MEMORY) returns the frame bottom row first with
        // red and blue swapped.
        ImageFlipVertical(&img);
        unsigned char *p = (unsigned char *)img.data;
        for (int i = 0; i < img.width*img.height; i++) {
            unsigned char c = p[4*i];
            p[4*i] = p[4*i + 2];
            p[4*i + 2] = c;
        }
    }
    if (!ExportImage(img, o->screenshot)) {
        fprintf(stderr, "%s: could not write the screenshot\n", o->screenshot);
        exit(1);
    }
    UnloadImage(img);
}

// Frame times, GetTime() between EndDrawing calls.
typedef struct BenchTimer {
    double *times;
    int count, cap;
    double last;
} BenchTimer;

static void BenchTimerStart(BenchTimer *t)
{
    memset(t, 0, sizeof(*t));
    t->last = GetTime();
}

// Call right after EndDrawing.
static void BenchTimerFrame(BenchTimer *t)
{
    double now = GetTime();
    if (t->count == t->cap) {
        t->cap = t->cap ? 2*t->cap : 1024;
        t->times = (double *)realloc(t->times, sizeof(double)*(size_t)t->cap);
        if (!t->times) { fprintf(stderr, "out of memory\n"); exit(1); }
    }
    t->times[t->count++] = now - t->last;
    t->last = now;
}

static int BenchCompareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Nearest-rank percentile of a sorted array: the same rule as the Lua scenes' report=FILE.
static double BenchRank(const double *t, int n, double p)
{
    if (n == 0) return 0.0;
    int r = (int)(p*n + 0.999999);
    if (r < 1) r = 1;
    if (r > n) r = n;
    return t[r - 1];
}

// {"scene": ..., "lua": "C", "frames": N, "load": N, "fps_mean": ..., "frame_ms_median": ...,
// "frame_ms_p95": ...}; the statistics leave out the first frame (when there is more than one).
static void BenchWriteReport(const BenchOptions *o, const char *scene, const BenchTimer *t)
{
    int n = t->count;
    double *ms = (double *)malloc(sizeof(double)*(size_t)(n > 0 ? n : 1));
    int m = 0;
    for (int i = 1; i < n; i++) ms[m++] = t->times[i]*1000.0;
    if (m == 0 && n > 0) ms[m++] = t->times[0]*1000.0;
    qsort(ms, (size_t)m, sizeof(double), BenchCompareDoubles);
    double sum = 0.0;
    for (int i = 0; i < m; i++) sum += ms[i];
    FILE *f = fopen(o->report, "w");
    if (!f) { fprintf(stderr, "%s: cannot write the report\n", o->report); exit(1); }
    fprintf(f, "{\"scene\": \"%s\", \"lua\": \"C\", \"frames\": %d, \"load\": %d, \"fps_mean\": %.3f, "
               "\"frame_ms_median\": %.4f, \"frame_ms_p95\": %.4f}\n",
            scene, n, o->load, sum > 0.0 ? 1000.0*m/sum : 0.0,
            BenchRank(ms, m, 0.5), BenchRank(ms, m, 0.95));
    fclose(f);
    free(ms);
}

#endif
