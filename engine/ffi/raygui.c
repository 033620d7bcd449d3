// raygui 4.x, as raylib-sys ships it (binding/raygui.h, patched by build.rs), compiled into both libraylib builds
// (build.rs) so its RAYGUIAPI functions are bound through the registry like raylib's own.
#include <stdio.h>

// raygui's own log goes to stdout with printf (RAYGUI_LOG, defined unconditionally), outside
// raylib's log and into a game's output: its few lines (style loading) go to TraceLog instead.
// stdio.h is included first, so its printf declaration is untouched; raygui.h brings
// raylib.h, which declares TraceLog, before the implementation uses the macro.
#define printf(...) TraceLog(LOG_WARNING, __VA_ARGS__)

// GuiTextSplit's item limit, defined here so GuiToggleGroup's row array can use it too (see
// build.rs RAYGUI_PATCHES).
#define RAYGUI_TEXTSPLIT_MAX_ITEMS 128

// lunaray's check of the TrueType font a text style names (engine/ffi/style_fonts.rs), which
// GuiLoadStyle asks before its LoadFontEx (build.rs RAYGUI_PATCHES); unset, no such font loads.
#include <stdbool.h>
static bool (*lunarayStyleFontCheck)(const char *fileName, int fontSize, const int *codepoints, int codepointCount) = NULL;
void LunaraySetStyleFontCheck(bool (*check)(const char *, int, const int *, int)) { lunarayStyleFontCheck = check; }

#define RAYGUI_IMPLEMENTATION
#include "raygui.h"
