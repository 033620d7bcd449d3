// bench/native/bunnymark.c: the native floor for ../bunnymark.lua.
//
// The same scene written directly against raylib: the same logic, the same draw calls in the
// same order and the same random sequence (SetRandomSeed(seed), then GetRandomValue in the Lua
// version's order), so that for the same --seed, --load and --dt it draws the same frames as
// `lunaray run scripts/bench/bunnymark.lua -- seed=S load=N dt=X`. Bunny state is double, like
// Lua's numbers, so both compute the same positions.
//
// Usage: bunnymark --frames N [--load N] [--seed S] [--dt X] [--fps N]
//                  [--screenshot FILE [--software]] [--report FILE] [--texture FILE]
//   --frames N        run exactly N frames, then exit (default 300; 0: until the window closes)
//   --load N          bunnies at start (default 1000; --bunnies N is the same)
//   --seed S          random seed (default 1)
//   --dt X            fixed frame time in seconds; also skips DrawFPS, as the Lua scene does
//   --fps N           SetTargetFPS(N) (default 0: unthrottled)
//   --screenshot FILE save the last frame as PNG (captured before its EndDrawing)
//   --software        the library is the headless software renderer (PLATFORM_MEMORY), whose
//                     screen capture is upside down with red and blue swapped: fix that
//   --report FILE     frame-time JSON (GetTime() between EndDrawing calls; median and p95 over
//                     all frames but the first)
//   --texture FILE    the bunny (default: assets/wabbit_alpha.png, looked up from the repo root,
//                     scripts/bench or scripts/bench/native)
//
// Build against the headless library (from the repository root; see ../README.md):
//   INC=$(ls -d target/release/build/raylib-sys-*/out/include | head -1)
//   LIB=$PWD/target/release/raylib/headless
//   cc -O2 -std=c99 -I$INC scripts/bench/native/bunnymark.c -o /tmp/bunnymark_c -L$LIB -lraylib -lm -Wl,-rpath,$LIB

#include "bench.h"    // raylib.h, rlgl.h; options, timing, --report, --screenshot

#define MAX_BUNNIES        50000    // mouse-spawned bunnies stop here, as in the example
#define MAX_BATCH_ELEMENTS  8192    // rlgl's quads per batch: only for the counter text

typedef struct Bunny {
    double x, y;        // position
    double vx, vy;      // speed, pixels per 1/60 s
    Color color;
} Bunny;

static Bunny *bunnies = NULL;
static int bunniesCount = 0;
static int bunniesCap = 0;

// The C example's bunny: position, speed (GetRandomValue(-250, 250)/60), color.
static void AddBunny(double x, double y)
{
    if (bunniesCount == bunniesCap) {
        bunniesCap = bunniesCap ? 2*bunniesCap : 1024;
        bunnies = (Bunny *)realloc(bunnies, (size_t)bunniesCap*sizeof(Bunny));
        if (!bunnies) { fprintf(stderr, "bunnymark: out of memory\n"); exit(1); }
    }
    Bunny *b = &bunnies[bunniesCount++];
    b->x = x;
    b->y = y;
    b->vx = (double)GetRandomValue(-250, 250)/60.0;
    b->vy = (double)GetRandomValue(-250, 250)/60.0;
    // One statement each: Lua evaluates the Color constructor's arguments left to right
    int r = GetRandomValue(50, 240);
    int g = GetRandomValue(80, 240);
    int bl = GetRandomValue(100, 240);
    b->color = (Color){ (unsigned char)r, (unsigned char)g, (unsigned char)bl, 255 };
}

static const char *FindTexture(const char *given)
{
    static const char *candidates[] = {
        "assets/wabbit_alpha.png", "../../assets/wabbit_alpha.png", "../../../assets/wabbit_alpha.png",
    };
    if (given) return given;
    for (int i = 0; i < 3; i++) if (FileExists(candidates[i])) return candidates[i];
    return candidates[0];
}

int main(int argc, char **argv)
{
    BenchOptions opt = BenchParseArgs(argc, argv, "bunnymark", 1000, "--bunnies");
    if (opt.load < 0) opt.load = 0;

    SetTraceLogLevel(LOG_WARNING);

    // Initialization
    //--------------------------------------------------------------------------------------
    const int screenWidth = 800;
    const int screenHeight = 450;

    InitWindow(screenWidth, screenHeight, "lunaray bench - bunnymark");
    SetRandomSeed((unsigned int)opt.seed);  // after InitWindow, which seeds from the clock

    Texture2D texBunny = LoadTexture(FindTexture(opt.texture));
    if (texBunny.id == 0) { fprintf(stderr, "bunnymark: could not load the bunny texture\n"); return 1; }

    // The initial bunnies, at random positions
    for (int i = 0; i < opt.load; i++) {
        int x = GetRandomValue(0, screenWidth - texBunny.width);
        int y = GetRandomValue(40, screenHeight - texBunny.height);
        AddBunny(x, y);
    }

    SetTargetFPS(opt.fps);

    BenchTimer timer;
    BenchTimerStart(&timer);
    //--------------------------------------------------------------------------------------

    // Main game loop
    while (!WindowShouldClose())
    {
        // Update
        //----------------------------------------------------------------------------------
        double dt = opt.hasDt ? opt.dt : (double)GetFrameTime();

        if (IsMouseButtonDown(MOUSE_BUTTON_LEFT))
        {
            // Create more bunnies
            for (int i = 0; i < 100; i++)
            {
                if (bunniesCount < MAX_BUNNIES)
                {
                    Vector2 m = GetMousePosition();
                    AddBunny(m.x, m.y);
                }
            }
        }

        // Update bunnies
        double k = dt*60.0;
        int sw = GetScreenWidth(), sh = GetScreenHeight();
        int halfW = texBunny.width/2, halfH = texBunny.height/2;
        for (int i = 0; i < bunniesCount; i++)
        {
            Bunny *b = &bunnies[i];
            b->x = b->x + b->vx*k;
            b->y = b->y + b->vy*k;

            if (((b->x + halfW) > sw) || ((b->x + halfW) < 0)) b->vx = -b->vx;
            if (((b->y + halfH) > sh) || ((b->y + halfH - 40) < 0)) b->vy = -b->vy;
        }
        //----------------------------------------------------------------------------------

        // Draw
        //----------------------------------------------------------------------------------
        BeginDrawing();

            ClearBackground(RAYWHITE);

            for (int i = 0; i < bunniesCount; i++)
            {
                DrawTexture(texBunny, (int)bunnies[i].x, (int)bunnies[i].y, bunnies[i].color);
            }

            DrawRectangle(0, 0, screenWidth, 40, BLACK);
            DrawText(TextFormat("bunnies: %i", bunniesCount), 120, 10, 20, GREEN);
            DrawText(TextFormat("batched draw calls: %i", 1 + bunniesCount/MAX_BATCH_ELEMENTS), 320, 10, 20, MAROON);

            if (!opt.hasDt) DrawFPS(10, 10);    // its number differs from run to run

            if (opt.screenshot && BenchLastFrame(&opt, timer.count)) BenchScreenshot(&opt);

        EndDrawing();
        //----------------------------------------------------------------------------------

        BenchTimerFrame(&timer);
        if (opt.frames > 0 && timer.count >= opt.frames) break;
    }

    // De-Initialization
    //--------------------------------------------------------------------------------------
    free(bunnies);
    UnloadTexture(texBunny);
    CloseWindow();
    //--------------------------------------------------------------------------------------

    if (opt.report) BenchWriteReport(&opt, "bunnymark", &timer);
    return 0;
}
