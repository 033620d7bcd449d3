//! Builds the two raylib shared libraries lunaray loads at run time, from the raylib-sys 6.0.0
//! crate's C sources (../shared/FACTS.md records why it is done this way):
//!
//! - windowed (GLFW/X11 + OpenGL): raylib-sys's own static `WITH_PIC` build, relinked as a
//!   shared library (its `BUILD_SHARED_LIBS` feature is broken);
//! - headless (`PLATFORM=Memory`, the rlsw software renderer): the same source tree built again
//!   with the `cmake` crate, since one cargo graph gets one raylib-sys platform, from a copy
//!   with the software renderer's crash fixes and an input fix applied (`HEADLESS_PATCHES`).
//!
//! Both libraries also carry raygui (raylib-sys's `binding/raygui.h`, compiled from
//! engine/ffi/raygui.c). build.rs compiles lunaray's one other C file (engine/ffi/trace_log.c,
//! raylib's log callback), hands the headers to the registry (`LUNARAY_RAYLIB_INCLUDE`) and the library paths to
//! the loader (`LUNARAY_LIB_WINDOWED`, `LUNARAY_LIB_HEADLESS`), and copies both libraries next to
//! the binary (`target/<profile>/raylib/<backend>/libraylib.so`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // raylib's log callback takes a va_list: formatted in C (engine/ffi/trace_log.rs).
    println!("cargo:rerun-if-changed=engine/ffi/trace_log.c");
    cc::Build::new()
        .file("engine/ffi/trace_log.c")
        .warnings(true)
        .compile("lunaray_trace_log");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let include = PathBuf::from(env::var("DEP_RAYLIB_INCLUDE").expect(
        "raylib-sys did not report its include directory (DEP_RAYLIB_INCLUDE); \
         is it a direct dependency?",
    ));
    let sys_out = include
        .parent()
        .expect("include dir has a parent")
        .to_path_buf();

    let raylib_source = raylib_source_dir(&sys_out);
    let raygui_header = patched_raygui(&raygui_header(&raylib_source), &out_dir);
    let raygui = build_raygui(&raygui_header, &include);

    let windowed_static = find_static_lib(&sys_out);
    let windowed = out_dir.join("windowed").join("libraylib.so");
    relink_shared(&windowed_static, &windowed, &raygui, &["-lX11"]);

    let source = patched_source(&raylib_source, &out_dir);
    let headless_static = build_headless(&source, &out_dir);
    let headless = out_dir.join("headless").join("libraylib.so");
    relink_shared(&headless_static, &headless, &raygui, &[]);

    copy_next_to_binary(&out_dir, &windowed, "windowed");
    copy_next_to_binary(&out_dir, &headless, "headless");

    // The benchmark scenes' native C floors, linked against each backend's library.
    let native_dir = out_dir.join("native");
    for (backend, lib) in [("headless", &headless), ("windowed", &windowed)] {
        let dir = native_dir.join(backend);
        build_native_floors(&include, lib, &dir);
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            copy_next_to_binary(&out_dir, &entry.path(), backend);
        }
    }
    println!(
        "cargo:rustc-env=LUNARAY_NATIVE_DIR={}",
        native_dir.display()
    );

    println!(
        "cargo:rustc-env=LUNARAY_RAYLIB_INCLUDE={}",
        include.display()
    );
    println!(
        "cargo:rustc-env=LUNARAY_RAYGUI_H={}",
        raygui_header.display()
    );
    println!(
        "cargo:rustc-env=LUNARAY_LIB_WINDOWED={}",
        windowed.display()
    );
    println!(
        "cargo:rustc-env=LUNARAY_LIB_HEADLESS={}",
        headless.display()
    );
}

/// cmake puts the archive in lib/, lib64/ or lib32/ depending on the system.
fn find_static_lib(prefix: &Path) -> PathBuf {
    ["lib", "lib64", "lib32"]
        .iter()
        .map(|dir| prefix.join(dir).join("libraylib.a"))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no libraylib.a under {}", prefix.display()))
}

/// raylib-sys's CMake cache records where its copy of raylib's sources lives.
fn raylib_source_dir(sys_out: &Path) -> PathBuf {
    let cache = sys_out.join("build").join("CMakeCache.txt");
    let text = fs::read_to_string(&cache)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", cache.display()));
    let src = text
        .lines()
        .find_map(|l| l.strip_prefix("raylib_SOURCE_DIR:STATIC="))
        .unwrap_or_else(|| panic!("raylib_SOURCE_DIR missing from {}", cache.display()));
    // raylib_SOURCE_DIR is raylib/src's parent project dir or src itself; we want the top.
    let src = PathBuf::from(src.trim());
    if src.join("CMakeLists.txt").exists() && src.join("src").exists() {
        src
    } else {
        src.parent().expect("source dir has a parent").to_path_buf()
    }
}

/// Fixes to the headless backend's sources: the software renderer (rlsw), for crashes `lunaray
/// fuzz` found in raylib 6.0's own code where no argument check in lunaray can prevent them,
/// and the memory platform's input polling: file, the exact text replaced, its replacement,
/// and why. A replacement whose text is not
/// found fails the build, so a raylib upgrade re-examines every one.
const HEADLESS_PATCHES: &[(&str, &str, &str, &str)] = &[
    (
        "src/external/rlsw.h",
        "#define SW_SUPPORT_LOG_INFO\n",
        "\n",
        "its one INFO line went to stdout with printf, outside raylib's log callback, into a \
         game's output (and after `lunaray bench --json`'s JSON, when C flushed at exit)",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackProjectionCounter <= 0)",
        "if (RLSW.stackProjectionCounter <= 1)",
        "the stack's base matrix is element 0 (counter 1): popping it pointed the current \
         matrix at element -1 (rlPopMatrix or EndMode3D with nothing pushed)",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackModelviewCounter <= 0)",
        "if (RLSW.stackModelviewCounter <= 1)",
        "as above, for the modelview stack",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackTextureCounter <= 0)",
        "if (RLSW.stackTextureCounter <= 1)",
        "as above, for the texture stack",
    ),
    (
        "src/external/rlsw.h",
        "if ((int)handle >= pool->capacity) return NULL;",
        "if (handle >= (sw_handle_t)pool->capacity) return NULL;",
        "a handle of 2^31 or more became negative and passed the bound (rlSetTexture(2^31), \
         rlBindFramebuffer(..., 2^31)): an index far outside the pool",
    ),
    (
        "src/external/rlsw.h",
        "    if (v < min) return min;\n    if (v > max) return max;\n    return v;",
        "    if (!(v >= min)) return min;\n    if (v > max) return max;\n    return v;",
        "NaN passed the clamp (and became INT_MIN as an int): a line with a NaN end wrote \
         outside the framebuffer",
    ),
    (
        "src/external/rlsw.h",
        "            sw_project_ndc_to_screen(v->position);\n        }",
        "            sw_project_ndc_to_screen(v->position);\n            \
         if (!(v->position[0] >= 0.0f)) v->position[0] = 0.0f;\n            \
         if (!(v->position[0] <= RLSW.colorBuffer->width + 0.5f)) v->position[0] = RLSW.colorBuffer->width + 0.5f;\n            \
         if (!(v->position[1] >= 0.0f)) v->position[1] = 0.0f;\n            \
         if (!(v->position[1] <= RLSW.colorBuffer->height + 0.5f)) v->position[1] = RLSW.colorBuffer->height + 0.5f;\n        }",
        "triangles and quads are clipped in clip space, then mapped by the viewport, which may be \
         larger than the framebuffer (rlViewport), and non-finite coordinates pass the clipper: \
         their vertices are kept on the framebuffer (where clipped ones already are), NaN at 0",
    ),
    (
        "src/external/rlsw.h",
        "    return (tex != NULL) && (tex->pixels != NULL);\n}\n",
        "    return (tex != NULL) && (tex->pixels != NULL);\n}\n\n\
         // lunaray: draw, clear and read only through complete attachments of the framebuffer's\n\
         // formats and sizes; otherwise the default framebuffer (and no depth buffer).\n\
         static void sw_framebuffer_sanitize(void)\n{\n    \
         if (!sw_is_texture_complete(RLSW.colorBuffer) || (RLSW.colorBuffer->format != SW_FRAMEBUFFER_COLOR_FORMAT)) \
         { RLSW.colorBuffer = &RLSW.framebuffer.color; RLSW.depthBuffer = &RLSW.framebuffer.depth; }\n    \
         if ((RLSW.depthBuffer != NULL) && ((RLSW.depthBuffer->format != SW_FRAMEBUFFER_DEPTH_FORMAT) || \
         (RLSW.depthBuffer->width != RLSW.colorBuffer->width) || (RLSW.depthBuffer->height != RLSW.colorBuffer->height))) \
         RLSW.depthBuffer = NULL;\n}\n",
        "a framebuffer whose colour texture was unloaded, never attached, or of another format or \
         size left the rasterizer writing through NULL or past a smaller texture (UnloadTexture \
         of a render texture's copy, rlFramebufferAttach of any texture)",
    ),
    (
        "src/external/rlsw.h",
        "    uint32_t state = RLSW.userState;",
        "    sw_framebuffer_sanitize();\n    uint32_t state = RLSW.userState;",
        "every primitive is drawn through a sanitized framebuffer",
    ),
    (
        "src/external/rlsw.h",
        "    if (w > RLSW.colorBuffer->width) w = RLSW.colorBuffer->width;",
        "    sw_framebuffer_sanitize();\n    if (w > RLSW.colorBuffer->width) w = RLSW.colorBuffer->width;",
        "reading pixels too (rlReadScreenPixels, LoadImageFromScreen)",
    ),
    (
        "src/external/rlsw.h",
        "    if (wSrc > RLSW.colorBuffer->width) wSrc = RLSW.colorBuffer->width;",
        "    sw_framebuffer_sanitize();\n    if (wSrc > RLSW.colorBuffer->width) wSrc = RLSW.colorBuffer->width;",
        "blitting too",
    ),
    (
        "src/external/rlsw.h",
        "    if ((bitmask & (SW_COLOR_BUFFER_BIT)) && (RLSW.colorBuffer != NULL)",
        "    sw_framebuffer_sanitize();\n    if ((bitmask & (SW_COLOR_BUFFER_BIT)) && (RLSW.colorBuffer != NULL)",
        "clearing too",
    ),
    (
        "src/external/rlsw.h",
        "    int offset = y*RLSW.colorBuffer->width + x;\n",
        "    if ((x < 0) || (y < 0) || (x >= RLSW.colorBuffer->width) || (y >= RLSW.colorBuffer->height)) return;\n    \
         int offset = y*RLSW.colorBuffer->width + x;\n",
        "a point's square is not clipped to the framebuffer: a point near its edge (or any, with \
         rlSetPointSize) wrote outside it",
    ),
    (
        "src/external/rlsw.h",
        "        int px = x;\n        int py = y;\n",
        "        int px = x;\n        int py = y;\n        \
         if ((px < 0) || (py < 0) || (px >= fbWidth) || (py >= RLSW.colorBuffer->height)) goto discard;\n",
        "thick lines (rlSetLineWidth) are drawn as lines shifted sideways, past the clipped ends: \
         their pixels wrote outside the framebuffer",
    ),
    (
        "src/platforms/rcore_memory.c",
        "    // TODO: Poll input events for current platform\n",
        "    for (int i = 0; i < MAX_MOUSE_BUTTONS; i++) CORE.Input.Mouse.previousButtonState[i] = CORE.Input.Mouse.currentButtonState[i];\n    \
         CORE.Input.Mouse.previousWheelMove = CORE.Input.Mouse.currentWheelMove;\n    \
         CORE.Input.Mouse.currentWheelMove = (Vector2){ 0.0f, 0.0f };\n    \
         CORE.Input.Mouse.previousPosition = CORE.Input.Mouse.currentPosition;\n",
        "not a crash: the memory platform never registered the previous mouse state as the \
         desktop ones do, so a button played in (automation events) was 'pressed' every frame and \
         never 'released', the wheel never stopped and the mouse delta never settled: headless \
         input tests (raygui's buttons react on release) could not see what a player does",
    ),
];

/// A copy of raylib's source tree with [`HEADLESS_PATCHES`] applied, for the headless build.
fn patched_source(source: &Path, out_dir: &Path) -> PathBuf {
    let dst = out_dir.join("raylib-patched");
    let _ = fs::remove_dir_all(&dst);
    copy_tree(source, &dst);
    for (file, from, to, why) in HEADLESS_PATCHES {
        let path = dst.join(file);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        assert!(
            text.contains(from),
            "{file}: `{from}` not found: re-examine this patch for the new raylib ({why})"
        );
        fs::write(&path, text.replace(from, to))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    dst
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        }
    }
}

fn build_headless(source: &Path, out_dir: &Path) -> PathBuf {
    let dst = cmake::Config::new(source)
        .out_dir(out_dir.join("headless-build"))
        .profile("Release")
        .define("PLATFORM", "Memory")
        .define("BUILD_EXAMPLES", "OFF")
        .define("WITH_PIC", "ON")
        .define("BUILD_SHARED_LIBS", "OFF")
        // raylib's config.h defaults: every module and the usual file formats.
        .define("CUSTOMIZE_BUILD", "OFF")
        .build();
    find_static_lib(&dst)
}

/// Fixes to raygui 4.x for memory errors found reading its code against hostile values, where
/// a check in lunaray cannot reach (values read from files, or kept by raygui): file text
/// replaced, its replacement, and why. Applied to a copy (`patched_raygui`); a replacement
/// whose text is not found fails the build, so a raygui upgrade re-examines every one.
const RAYGUI_PATCHES: &[(&str, &str, &str)] = &[
    (
        "#include \"../raylib/src/raylib.h\"",
        "#include \"raylib.h\"",
        "not a fix: the copy is read beside raylib's headers, not inside the raylib-sys crate",
    ),
    (
        "    guiStyle[control * (RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED) + property] = value;\n",
        "    if ((control < 0) || (control >= RAYGUI_MAX_CONTROLS) || (property < 0) || \
         (property >= RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED)) return;\n    \
         guiStyle[control * (RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED) + property] = value;\n",
        "GuiSetStyle wrote guiStyle[control*24 + property] unchecked, with ids read from style \
         files (lunaray also refuses such ids from scripts)",
    ),
    (
        "    return guiStyle[control * (RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED) + property];",
        "    if ((control < 0) || (control >= RAYGUI_MAX_CONTROLS) || (property < 0) || \
         (property >= RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED)) return 0;\n    \
         return guiStyle[control * (RAYGUI_MAX_PROPS_BASE + RAYGUI_MAX_PROPS_EXTENDED) + property];",
        "GuiGetStyle read it unchecked, with properties computed from the control state",
    ),
    (
        "#define BIT_CHECK(a, b) ((a) & (1u << (b)))\n",
        "#define BIT_CHECK(a, b) ((a) & (1u << (b)))\n    \
         if ((iconId < 0) || (iconId >= RAYGUI_ICON_MAX_ICONS)) return;\n",
        "any control's text may start with an icon id (\"#999#text\"), which GuiDrawIcon read \
         from its 256-icon array unchecked",
    ),
    (
        "        fread(&iconSize, sizeof(short), 1, rgiFile);\n",
        "        fread(&iconSize, sizeof(short), 1, rgiFile);\n        \
         if ((iconSize != RAYGUI_ICON_SIZE) || (iconCount <= 0) || (iconCount > RAYGUI_ICON_MAX_ICONS)) signature[0] = 0;\n",
        "GuiLoadIcons read iconCount*iconSize^2/32 words from the file into the 256-icon array \
         unchecked; only icon sets of raygui's icon size and count fit (as its docs require)",
    ),
    (
        "    unsigned char *fileDataPtr = (unsigned char *)fileData;\n    char **guiIconsName = NULL;\n",
        "    if ((fileData == NULL) || (dataSize < 12)) return NULL;\n    \
         unsigned char *fileDataPtr = (unsigned char *)fileData;\n    char **guiIconsName = NULL;\n",
        "GuiLoadIconsFromMemory read its 12-byte header without looking at dataSize",
    ),
    (
        "    memcpy(&iconSize, fileDataPtr + 4 + 2 + 2 + 2, sizeof(short));\n    fileDataPtr += 12;\n",
        "    memcpy(&iconSize, fileDataPtr + 4 + 2 + 2 + 2, sizeof(short));\n    fileDataPtr += 12;\n    \
         if ((iconSize != RAYGUI_ICON_SIZE) || (iconCount <= 0) || (iconCount > RAYGUI_ICON_MAX_ICONS) || \
         ((dataSize - 12) / (RAYGUI_ICON_MAX_NAME_LENGTH + RAYGUI_ICON_DATA_ELEMENTS * (int)sizeof(unsigned int)) < iconCount)) signature[0] = 0;\n",
        "... and the names and icons after it as the header claimed, past the end of the data",
    ),
    (
        "        guiIconsPtr = (unsigned int *)RAYGUI_MALLOC(iconDataSize);\n",
        "        memset(guiIcons, 0, sizeof(guiIcons));\n        guiIconsPtr = guiIcons;\n",
        "... into a new allocation of just the loaded icons (leaked on the next load), which \
         GuiDrawIcon read as 256: loaded over raygui's own array, as GuiLoadIcons does",
    ),
    (
        "// Load style from memory\n// WARNING: Binary files only\n",
        "// lunaray: whether the font part of a binary style (from p to end) holds every byte the\n\
         // loader reads, with sizes that agree (compressed parts are decompressed to check).\n\
         static bool LunarayStyleFontFits(const unsigned char *p, const unsigned char *end, short version)\n{\n    \
         int glyphCount = 0, uncomp = 0, comp = 0, width = 0, height = 0, format = 0;\n    \
         if (end - p < 48) return false;\n    \
         memcpy(&glyphCount, p + 4, sizeof(int));\n    \
         memcpy(&uncomp, p + 28, sizeof(int));\n    memcpy(&comp, p + 32, sizeof(int));\n    \
         memcpy(&width, p + 36, sizeof(int));\n    memcpy(&height, p + 40, sizeof(int));\n    \
         memcpy(&format, p + 44, sizeof(int));\n    p += 48;\n    \
         if ((glyphCount <= 0) || (glyphCount > 65536)) return false;\n    \
         if ((width <= 0) || (height <= 0) || (width > 16384) || (height > 16384)) return false;\n    \
         if ((format < PIXELFORMAT_UNCOMPRESSED_GRAYSCALE) || (format > PIXELFORMAT_UNCOMPRESSED_R16G16B16A16)) return false;\n    \
         if (uncomp < GetPixelDataSize(width, height, format)) return false;\n    \
         int sizes[3] = { uncomp, glyphCount * 16, glyphCount * 16 };\n    \
         for (int part = 0; part < 3; part++)\n    {\n        \
         int packed = (part == 0) ? comp : 0;\n        \
         if ((part > 0) && (version >= 400))\n        {\n            \
         if (end - p < 4) return false;\n            \
         memcpy(&packed, p, sizeof(int));\n            p += 4;\n        }\n        \
         if ((packed > 0) && (packed != sizes[part]))\n        {\n            \
         if (end - p < packed) return false;\n            \
         int unpacked = 0;\n            \
         unsigned char *data = DecompressData(p, packed, &unpacked);\n            \
         MemFree(data);\n            \
         if ((data == NULL) || (unpacked != sizes[part])) return false;\n            \
         p += packed;\n        }\n        \
         else\n        {\n            \
         if ((sizes[part] < 0) || (end - p < sizes[part])) return false;\n            \
         p += sizes[part];\n        }\n    }\n    \
         return true;\n}\n\n\
         // Load style from memory\n// WARNING: Binary files only\n",
        "GuiLoadStyleFromMemory read every count and size in the data (properties, font atlas, \
         recs, glyphs) without looking at dataSize, and used decompressed parts of any size as \
         the size it expected: the font is loaded only if all of it fits",
    ),
    (
        "    unsigned char *fileDataPtr = (unsigned char *)fileData;\n\n    char signature[5] = {0};\n    short version = 0;\n    short reserved = 0;\n    int propertyCount = 0;\n",
        "    if ((fileData == NULL) || (dataSize < 16)) return;\n    \
         unsigned char *fileDataPtr = (unsigned char *)fileData;\n\n    char signature[5] = {0};\n    short version = 0;\n    short reserved = 0;\n    int propertyCount = 0;\n",
        "... its header too",
    ),
    (
        "    memcpy(&propertyCount, fileDataPtr + 4 + 2 + 2, sizeof(int));\n    fileDataPtr += 12;\n",
        "    memcpy(&propertyCount, fileDataPtr + 4 + 2 + 2, sizeof(int));\n    fileDataPtr += 12;\n    \
         if ((propertyCount < 0) || ((dataSize - 16) / 8 < propertyCount)) return;\n",
        "... and its properties",
    ),
    (
        "        if (fontDataSize > 0)\n",
        "        if ((fontDataSize > 0) && LunarayStyleFontFits(fileDataPtr, fileData + dataSize, version))\n",
        "... and its font",
    ),
    (
        "    result[0] = buffer;\n    int counter = 1;\n",
        "    if (text == NULL) text = \"\";\n    result[0] = buffer;\n    int counter = 1;\n",
        "GuiTextSplit read a NULL text (lunaray passes nil texts as \"\"; this covers raygui's own calls)",
    ),
    (
        "    for (int i = 0; i < RAYGUI_TEXTSPLIT_MAX_TEXT_SIZE; i++)\n    {",
        "    for (int i = 0; i < RAYGUI_TEXTSPLIT_MAX_TEXT_SIZE - 1; i++)\n    {",
        "... and filled all of its 1024-byte buffer from a longer text, leaving the last item \
         without a NUL for the controls that read it",
    ),
    (
        "    int rows[RAYGUI_TOGGLEGROUP_MAX_ITEMS] = {0};\n",
        "    int rows[RAYGUI_TEXTSPLIT_MAX_ITEMS] = {0};\n",
        "GuiToggleGroup's row array held 32 entries, and GuiTextSplit writes one per item, up to \
         128 (RAYGUI_TEXTSPLIT_MAX_ITEMS, defined before raygui.h in engine/ffi/raygui.c)",
    ),
    (
        "    if (*active >= itemCount)\n        *active = 0;\n",
        "    if ((*active < 0) || (*active >= itemCount))\n        *active = 0;\n",
        "GuiToggleSlider drew items[*active] for a negative active",
    ),
    (
        "    const char **items = GuiTextSplit(text, ';', &itemCount, NULL);\n\n    Rectangle boundsOpen = bounds;\n",
        "    const char **items = GuiTextSplit(text, ';', &itemCount, NULL);\n    \
         if ((itemSelected < 0) || (itemSelected >= itemCount)) itemSelected = 0;\n\n    Rectangle boundsOpen = bounds;\n",
        "GuiDropdownBox drew items[*active] for any active",
    ),
    (
        "    int visibleItems = (int)bounds.height / (GuiGetStyle(LISTVIEW, LIST_ITEMS_HEIGHT) + GuiGetStyle(LISTVIEW, LIST_ITEMS_SPACING));\n",
        "    int itemStride = GuiGetStyle(LISTVIEW, LIST_ITEMS_HEIGHT) + GuiGetStyle(LISTVIEW, LIST_ITEMS_SPACING);\n    \
         int visibleItems = (itemStride > 0) ? (int)bounds.height / itemStride : 0;\n",
        "GuiListViewEx divided by two style values a script sets (SIGFPE at 0, or INT_MIN by -1)",
    ),
    (
        "            while (textWidth >= textBounds.width)\n",
        "            while ((textWidth >= textBounds.width) && (text[textIndexOffset] != '\\0'))\n",
        "a text box narrower than its padding (textBounds.width <= 0) scrolled its text offset \
         past the end of the text, reading beyond the buffer",
    ),
    (
        "    int thisCursorIndex = textBoxCursorIndex;\n",
        "    if (editMode && (textBoxCursorIndex > textLength)) textBoxCursorIndex = textLength;\n    \
         int thisCursorIndex = textBoxCursorIndex;\n",
        "the text cursor is one index for every text box: an edited box shorter than the last \
         one inserted and deleted at the other box's cursor, past its text and its textSize",
    ),
    (
        "                    sscanf(buffer, \"f %d %s %[^\\r\\n]s\", &fontSize, charmapFileName, fontFileName);\n",
        "                    sscanf(buffer, \"f %d %s %[^\\r\\n]s\", &fontSize, charmapFileName, fontFileName);\n                    \
         if ((fontSize < 1) || (fontSize > 1024)) fontFileName[0] = '\\0';\n",
        "a text style's font size went to LoadFontEx unchecked, which allocates glyph images of \
         that size (lunaray refuses such sizes from scripts): the style keeps raygui's default font",
    ),
    (
        "                    if (fontFileName[0] != '\\0')\n",
        "                    if ((fontFileName[0] != '\\0') && !((lunarayStyleFontCheck != NULL) && \
         lunarayStyleFontCheck(TextFormat(\"%s/%s\", GetDirectoryPath(fileName), fontFileName), fontSize, codepoints, codepointCount))) fontFileName[0] = '\\0';\n                    \
         if (fontFileName[0] != '\\0')\n",
        "... and its TrueType font to stb_truetype, which trusts the file: lunaray checks it \
         first (engine/ffi/style_fonts.rs; a font it refuses leaves raygui's default font)",
    ),
];

/// raygui.h with [`RAYGUI_PATCHES`] applied, in `out_dir/raygui/`.
fn patched_raygui(original: &Path, out_dir: &Path) -> PathBuf {
    println!("cargo:rerun-if-changed={}", original.display());
    let mut text = fs::read_to_string(original)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", original.display()));
    for (from, to, why) in RAYGUI_PATCHES {
        assert!(
            text.matches(from).count() == 1,
            "raygui.h: `{from}` not found once: re-examine this patch for the new raygui ({why})"
        );
        text = text.replace(from, to);
    }
    let dir = out_dir.join("raygui");
    fs::create_dir_all(&dir).expect("mkdir raygui");
    let patched = dir.join("raygui.h");
    fs::write(&patched, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", patched.display()));
    patched
}

/// raygui.h, beside raylib's sources in the raylib-sys crate (`binding/raygui.h`).
fn raygui_header(raylib_source: &Path) -> PathBuf {
    let header = raylib_source
        .parent()
        .expect("raylib's source dir has a parent")
        .join("binding")
        .join("raygui.h");
    assert!(header.exists(), "{} missing", header.display());
    header
}

/// raygui's implementation (engine/ffi/raygui.c), compiled once as position-independent
/// objects and linked into both libraries, so the windowed and headless builds export the same
/// `Gui*` functions.
fn build_raygui(header: &Path, raylib_include: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed=engine/ffi/raygui.c");
    cc::Build::new()
        .file("engine/ffi/raygui.c")
        .include(header.parent().expect("raygui's dir"))
        .include(raylib_include)
        .pic(true)
        .opt_level(2)
        .warnings(false)
        .compile_intermediates()
}

fn relink_shared(archive: &Path, output: &Path, objects: &[PathBuf], extra: &[&str]) {
    fs::create_dir_all(output.parent().expect("output has a parent")).expect("mkdir");
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc)
        .arg("-shared")
        .arg("-o")
        .arg(output)
        .arg("-Wl,--whole-archive")
        .arg(archive)
        .arg("-Wl,--no-whole-archive")
        .args(objects)
        .args(extra)
        .args(["-lm", "-lpthread", "-ldl"])
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
    assert!(status.success(), "linking {} failed", output.display());
}

/// Compiles each `scripts/bench/native/<scene>.c` into `<scene>_c`, linked against `lib`
/// with an rpath to it, so the scene benchmark can run the C floor of the same scene.
fn build_native_floors(include: &Path, lib: &Path, dest: &Path) {
    let src_dir = Path::new("scripts/bench/native");
    println!("cargo:rerun-if-changed={}", src_dir.display());
    fs::create_dir_all(dest).expect("mkdir native");
    let lib_dir = lib.parent().expect("library has a folder");
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    for entry in fs::read_dir(src_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().expect("file name").to_string_lossy();
        let output = dest.join(format!("{stem}_c"));
        let status = Command::new(&cc)
            .args(["-O2", "-std=c99"])
            .arg("-I")
            .arg(include)
            .arg(&path)
            .arg("-o")
            .arg(&output)
            .arg("-L")
            .arg(lib_dir)
            .args(["-lraylib", "-lm"])
            // Beside itself first (lunaray bench extracts a floor next to the raylib copy it
            // extracted), then the build's library.
            .arg("-Wl,-rpath,$ORIGIN")
            .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
            .status()
            .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
        assert!(status.success(), "compiling {} failed", path.display());
    }
}

/// OUT_DIR is `target/<profile>/build/<pkg>-<hash>/out`; the binary lives in `target/<profile>`.
fn copy_next_to_binary(out_dir: &Path, file: &Path, backend: &str) {
    let Some(profile_dir) = out_dir.ancestors().nth(3) else {
        return;
    };
    let dest_dir = profile_dir.join("raylib").join(backend);
    if let (Ok(()), Some(name)) = (fs::create_dir_all(&dest_dir), file.file_name()) {
        let _ = fs::copy(file, dest_dir.join(name));
    }
}
