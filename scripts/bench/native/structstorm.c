// bench/native/structstorm.c: the native floor for ../structstorm.lua.
//
// The same scene written directly against raylib: the same logic, the same calls (raymath's
// Vector2 functions too, called in the library exactly as the Lua version calls them), the
// same draw calls in the same order and the same random sequence (SetRandomSeed(seed), then
// GetRandomValue in the Lua version's order), so that for the same --seed, --load and --dt it
// draws the same frames as `lunaray run scripts/bench/structstorm.lua -- seed=S load=N dt=X`.
//
// Numbers: the Lua version reads struct fields (C floats) as doubles, computes in doubles and
// stores back rounded to float; its own state (dt, life, attractor speed) is double. This file
// does the same: double temporaries and state, float struct fields, explicit casts where Lua
// converts a number for a C float parameter.
//
// Usage: structstorm --frames N [--load N] [--seed S] [--dt X] [--fps N]
//                    [--screenshot FILE [--software]] [--report FILE]
//   --frames N        run exactly N frames, then exit (default 300; 0: until the window closes)
//   --load N          entities (default 5000)
//   --seed S          random seed (default 1)
//   --dt X            fixed frame time in seconds; also skips DrawFPS, as the Lua scene does
//   --fps N           SetTargetFPS(N) (default 0: unthrottled)
//   --screenshot FILE save the last frame as PNG (captured before its EndDrawing)
//   --software        the library is the headless software renderer (PLATFORM_MEMORY), whose
//                     screen capture is upside down with red and blue swapped: fix that
//   --report FILE     frame-time JSON (GetTime() between EndDrawing calls; median and p95 over
//                     all frames but the first)
//
// Build against the headless library (from the repository root; see ../README.md):
//   INC=$(ls -d target/release/build/raylib-sys-*/out/include | head -1)
//   LIB=$PWD/target/release/raylib/headless
//   cc -O2 -std=c99 -I$INC scripts/bench/native/structstorm.c -o /tmp/structstorm_c -L$LIB -lraylib -lm -Wl,-rpath,$LIB

#include "bench.h"    // raylib.h, rlgl.h; options, timing, --report, --screenshot

// raymath's functions as libraylib exports them (raylib.h does not declare them; including
// raymath.h would compile private inline copies instead of calling the library's, which is
// what the Lua version calls).
Vector2 Vector2Add(Vector2 v1, Vector2 v2);
Vector2 Vector2Subtract(Vector2 v1, Vector2 v2);
Vector2 Vector2Scale(Vector2 v, float scale);
float Vector2Length(Vector2 v);
Vector2 Vector2Normalize(Vector2 v);

#define SCREEN_W    800
#define SCREEN_H    450
#define HUD         40      // the top bar's height
#define HALF        2       // entities are 4x4 rectangles around their position
#define ENTITY_R    3       // entity radius for CheckCollisionCircles
#define ATTRACT_R   36      // attractor radius
#define ACCEL       260.0   // pull towards the attractor, px/s^2
#define MAX_SPEED   180.0   // px/s
#define FADE_RATE   0.6     // tint alpha lost per second
#define MIN_LIFE    0.25    // the faintest tint
#define DRAW_EVERY  16      // draw one entity in 16

typedef struct Entity {
    Vector2 pos;
    Vector2 vel;
    Rectangle rect;
    Color color;
    Color tint;
    double life;
} Entity;

int main(int argc, char **argv)
{
    BenchOptions opt = BenchParseArgs(argc, argv, "structstorm", 5000, NULL);
    if (opt.load < 1) opt.load = 1;
    const int n = opt.load;

    SetTraceLogLevel(LOG_WARNING);

    // Initialization
    //--------------------------------------------------------------------------------------
    InitWindow(SCREEN_W, SCREEN_H, "lunaray bench - structstorm");
    SetRandomSeed((unsigned int)opt.seed);  // after InitWindow, which seeds from the clock

    const Rectangle obstacles[4] = {
        { 110, 100, 150, 60 },
        { 520, 80, 90, 170 },
        { 290, 300, 220, 50 },
        { 640, 330, 110, 70 },
    };
    int obstacleHits[4] = { 0 };    // this frame's hits, for the obstacles' flash

    Vector2 attractor = { 400, 245 };
    double avx = 170, avy = 110;    // attractor speed, px/s

    Entity *entities = (Entity *)malloc(sizeof(Entity)*(size_t)n);
    if (!entities) { fprintf(stderr, "structstorm: out of memory\n"); return 1; }
    for (int i = 0; i < n; i++) {
        int x = GetRandomValue(0, SCREEN_W);
        int y = GetRandomValue(HUD, SCREEN_H);
        int vx = GetRandomValue(-120, 120);
        int vy = GetRandomValue(-120, 120);
        int r = GetRandomValue(40, 220);
        int g = GetRandomValue(40, 220);
        int b = GetRandomValue(40, 220);
        Entity *e = &entities[i];
        e->pos = (Vector2){ (float)x, (float)y };
        e->vel = (Vector2){ (float)vx, (float)vy };
        e->rect = (Rectangle){ (float)(x - HALF), (float)(y - HALF), 2*HALF, 2*HALF };
        e->color = (Color){ (unsigned char)r, (unsigned char)g, (unsigned char)b, 255 };
        e->tint = e->color;
        e->life = 1.0;
    }

    long hitsTotal = 0, caughtTotal = 0;

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

        // The attractor bounces around the play field
        attractor.x = (float)((double)attractor.x + avx*dt);
        attractor.y = (float)((double)attractor.y + avy*dt);
        if (attractor.x < ATTRACT_R) { attractor.x = ATTRACT_R; avx = -avx; }
        if (attractor.x > SCREEN_W - ATTRACT_R) { attractor.x = SCREEN_W - ATTRACT_R; avx = -avx; }
        if (attractor.y < HUD + ATTRACT_R) { attractor.y = HUD + ATTRACT_R; avy = -avy; }
        if (attractor.y > SCREEN_H - ATTRACT_R) { attractor.y = SCREEN_H - ATTRACT_R; avy = -avy; }

        for (int j = 0; j < 4; j++) obstacleHits[j] = 0;

        double accel = ACCEL*dt;
        for (int i = 0; i < n; i++)
        {
            Entity *e = &entities[i];
            Vector2 vel = e->vel;

            // Steer towards the attractor, limit the speed, move
            Vector2 toA = Vector2Subtract(attractor, e->pos);
            if (Vector2Length(toA) > 1)
            {
                vel = Vector2Add(vel, Vector2Scale(Vector2Normalize(toA), (float)accel));
            }
            float speed = Vector2Length(vel);
            if (speed > MAX_SPEED) vel = Vector2Scale(vel, (float)(MAX_SPEED/(double)speed));
            Vector2 pos = Vector2Add(e->pos, Vector2Scale(vel, (float)dt));

            // Screen edges
            if (pos.x < 0) { pos.x = 0; vel.x = -vel.x; }
            if (pos.x > SCREEN_W) { pos.x = SCREEN_W; vel.x = -vel.x; }
            if (pos.y < HUD) { pos.y = HUD; vel.y = -vel.y; }
            if (pos.y > SCREEN_H) { pos.y = SCREEN_H; vel.y = -vel.y; }

            // Obstacles: bounce back out of any one hit
            e->rect.x = (float)((double)pos.x - HALF);
            e->rect.y = (float)((double)pos.y - HALF);
            int hit = 0;
            for (int j = 0; j < 4; j++)
            {
                if (CheckCollisionRecs(e->rect, obstacles[j]))
                {
                    hit = 1;
                    obstacleHits[j]++;
                }
            }
            if (hit)
            {
                vel = Vector2Scale(vel, -1);
                pos = Vector2Add(pos, Vector2Scale(vel, (float)dt));
                hitsTotal++;
                e->life = 1.0;
            }

            // Caught by the attractor: flung away at full speed
            if (CheckCollisionCircles(pos, ENTITY_R, attractor, ATTRACT_R))
            {
                vel = Vector2Scale(Vector2Normalize(Vector2Subtract(pos, attractor)), (float)MAX_SPEED);
                caughtTotal++;
                e->life = 1.0;
            }

            // The tint fades until the next hit
            double life = e->life - dt*FADE_RATE;
            if (life < MIN_LIFE) life = MIN_LIFE;
            e->life = life;
            e->tint = ColorAlpha(e->color, (float)life);

            e->pos = pos;
            e->vel = vel;
        }
        //----------------------------------------------------------------------------------

        // Draw
        //----------------------------------------------------------------------------------
        BeginDrawing();

            ClearBackground(RAYWHITE);

            for (int j = 0; j < 4; j++)
            {
                double flash = obstacleHits[j]/40.0;
                if (flash > 0.6) flash = 0.6;
                DrawRectangleRec(obstacles[j], Fade(DARKBLUE, (float)(0.3 + flash)));
            }
            DrawCircleV(attractor, ATTRACT_R, Fade(MAROON, 0.35f));

            for (int i = 0; i < n; i += DRAW_EVERY)
            {
                DrawRectangleRec(entities[i].rect, entities[i].tint);
            }

            DrawRectangle(0, 0, SCREEN_W, HUD, BLACK);
            DrawText(TextFormat("entities: %i", n), 120, 10, 20, GREEN);
            DrawText(TextFormat("hits: %li  caught: %li", hitsTotal, caughtTotal), 360, 10, 20, SKYBLUE);

            if (!opt.hasDt) DrawFPS(10, 10);    // its number differs from run to run

            if (opt.screenshot && BenchLastFrame(&opt, timer.count)) BenchScreenshot(&opt);

        EndDrawing();
        //----------------------------------------------------------------------------------

        BenchTimerFrame(&timer);
        if (opt.frames > 0 && timer.count >= opt.frames) break;
    }

    // De-Initialization
    //--------------------------------------------------------------------------------------
    free(entities);
    CloseWindow();
    //--------------------------------------------------------------------------------------

    if (opt.report) BenchWriteReport(&opt, "structstorm", &timer);
    return 0;
}
