//! Value preconditions raylib does not check on type-correct arguments, declared by hand, each
//! with its reason: a divisor that must not be zero, an index into a fixed array, a size that
//! would overflow an allocation (image sides, mesh and drawing segment counts, bounded by
//! lunaray where raylib has no bound of its own). `semantics::classify` attaches them to their parameters; the
//! call is refused with a Lua error before raylib sees the value.

/// What a number parameter must satisfy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// An integer in `min..=max`.
    Range { min: i64, max: i64 },
    /// An integer from 0 to the byte length of the string parameter at this index.
    AtMostLenOf(usize),
    /// A float at least this.
    AtLeast(f64),
    /// A float from the first to the second (NaN is neither).
    Between(f64, f64),
    /// An integer from 0 to the smallest of these integer fields of the struct parameter at
    /// index `of` (a struct raylib made, so its fields describe its memory); below it unless
    /// `inclusive`.
    InFields {
        of: usize,
        fields: &'static [&'static str],
        inclusive: bool,
    },
    /// An integer among these.
    OneOf(&'static [i64]),
    /// An offset of a struct into a new size: from minus the integer `field` of the struct
    /// parameter at index `of` to the value of the number parameter at index `size` (which,
    /// like every parameter before it, is a Lua argument: no out-parameter comes first).
    Offset {
        of: usize,
        field: &'static str,
        size: usize,
    },
}

/// One declared precondition: function, parameter, rule, and why.
pub struct Precondition {
    pub function: &'static str,
    pub param: &'static str,
    pub rule: Rule,
    pub reason: &'static str,
}

/// raylib's `MAX_GAMEPADS` (config.h) and `MAX_MATERIAL_MAPS`.
pub const MAX_GAMEPADS: i64 = 4;
/// raylib's `MAX_GAMEPAD_BUTTONS`, `MAX_GAMEPAD_AXES`, `MAX_TOUCH_POINTS`,
/// `MAX_KEYBOARD_KEYS` and `MAX_MOUSE_BUTTONS` (rcore.c): the sizes of its input arrays.
pub const MAX_GAMEPAD_BUTTONS: i64 = 32;
pub const MAX_GAMEPAD_AXES: i64 = 8;
pub const MAX_TOUCH_POINTS: i64 = 8;
pub const MAX_KEYBOARD_KEYS: i64 = 512;
pub const MAX_MOUSE_BUTTONS: i64 = 8;
/// raylib's `MAX_MESH_VERTEX_BUFFERS` (rmodels.c: 9 with GPU skinning, else 7): the
/// smaller, so every build's vboId array holds the index.
const MAX_MESH_VERTEX_BUFFERS: i64 = 7;
const MAX_MATERIAL_MAPS: i64 = 12;

const fn range(
    function: &'static str,
    param: &'static str,
    min: i64,
    max: i64,
    reason: &'static str,
) -> Precondition {
    Precondition {
        function,
        param,
        rule: Rule::Range { min, max },
        reason,
    }
}

const DIVIDES: &str = "raylib divides by it";

/// lunaray's largest image side: raylib allocates width*height pixels (up to 16 bytes each)
/// without checking the product, and writes through the allocation when it fails.
pub const MAX_IMAGE_SIDE: i64 = 8192;
const IMAGE_SIZE: &str =
    "raylib allocates width*height pixels unchecked and writes through a failed allocation";

/// lunaray's bound on mesh segment counts: raylib and par_shapes allocate rings*slices
/// vertices unchecked, and par_shapes returns nothing (which raylib then reads) below 3.
pub const MAX_MESH_SEGMENTS: i64 = 1024;
const MESH_SEGMENTS: &str =
    "raylib allocates vertices for every segment unchecked (par_shapes needs at least 3)";

/// lunaray's bound on the segment counts of the meshes par_shapes welds for their normals
/// (`GenMeshTorus`, `GenMeshKnot`): on denser ones its weld leaves indices uninitialised,
/// which `par_shapes_compute_normals` then reads and writes through (valgrind, raylib 6.0:
/// `GenMeshKnot(0.5, 1, 128, 7)`, `GenMeshTorus(0.1, 1, 256, 7)`; clean up to 96 in a sweep
/// of each one's clamped radius range with up to 256 of the other count).
pub const MAX_WELDED_MESH_SEGMENTS: i64 = 96;
const WELDED_MESH_SEGMENTS: &str =
    "par_shapes' welded normals read uninitialised indices on denser knots and tori";

/// lunaray's bound on segment counts of drawing functions: raylib has none, and beyond it
/// one call draws millions of vertices (seconds a call) with overflowing vertex counts.
pub const MAX_DRAW_SEGMENTS: i64 = 4096;
const DRAW_SEGMENTS: &str = "raylib draws that many segments unchecked (its counts overflow)";

/// lunaray's bound on the angles of circle sectors and rings (a hundred turns): raylib draws
/// at least one segment per 90 degrees between them, and more for large radii.
pub const MAX_ANGLE: f64 = 36000.0;
const ANGLE: &str = "raylib draws a segment per few degrees between the angles unchecked";

/// Angle parameters of sector and ring drawing functions.
const ANGLES: &[(&str, &str)] = &[
    ("DrawCircleSector", "startAngle"),
    ("DrawCircleSector", "endAngle"),
    ("DrawCircleSectorLines", "startAngle"),
    ("DrawCircleSectorLines", "endAngle"),
    ("DrawRing", "startAngle"),
    ("DrawRing", "endAngle"),
    ("DrawRingLines", "startAngle"),
    ("DrawRingLines", "endAngle"),
];

/// Image size parameters: (function, width parameter, height parameter).
const IMAGE_SIZES: &[(&str, &str, &str)] = &[
    ("GenImageColor", "width", "height"),
    ("GenImageGradientLinear", "width", "height"),
    ("GenImageGradientRadial", "width", "height"),
    ("GenImageGradientSquare", "width", "height"),
    ("GenImageChecked", "width", "height"),
    ("GenImageWhiteNoise", "width", "height"),
    ("GenImagePerlinNoise", "width", "height"),
    ("GenImageCellular", "width", "height"),
    ("GenImageText", "width", "height"),
    ("LoadImageRaw", "width", "height"),
    ("rlResizeFramebuffer", "width", "height"),
    ("ImageResize", "newWidth", "newHeight"),
    ("ImageResizeCanvas", "newWidth", "newHeight"),
    ("LoadRenderTexture", "width", "height"),
    ("rlReadScreenPixels", "width", "height"),
    ("rlLoadTextureDepth", "width", "height"),
];

/// Segment count parameters of mesh generators.
const MESH_COUNTS: &[(&str, &str)] = &[
    ("GenMeshPoly", "sides"),
    ("GenMeshSphere", "rings"),
    ("GenMeshSphere", "slices"),
    ("GenMeshHemiSphere", "rings"),
    ("GenMeshHemiSphere", "slices"),
    ("GenMeshCylinder", "slices"),
    ("GenMeshCone", "slices"),
    ("GenMeshTorus", "radSeg"),
    ("GenMeshTorus", "sides"),
    ("GenMeshKnot", "radSeg"),
    ("GenMeshKnot", "sides"),
];

/// Segment count parameters of drawing functions.
const DRAW_COUNTS: &[(&str, &str)] = &[
    ("DrawCircleSector", "segments"),
    ("DrawCircleSectorLines", "segments"),
    ("DrawRing", "segments"),
    ("DrawRingLines", "segments"),
    ("DrawRectangleRounded", "segments"),
    ("DrawRectangleRoundedLines", "segments"),
    ("DrawRectangleRoundedLinesEx", "segments"),
    ("DrawPoly", "sides"),
    ("DrawPolyLines", "sides"),
    ("DrawPolyLinesEx", "sides"),
    ("DrawSphereEx", "rings"),
    ("DrawSphereEx", "slices"),
    ("DrawSphereWires", "rings"),
    ("DrawSphereWires", "slices"),
    ("DrawCylinder", "slices"),
    ("DrawCylinderWires", "slices"),
    ("DrawCylinderEx", "sides"),
    ("DrawCylinderWiresEx", "sides"),
    ("DrawCapsule", "slices"),
    ("DrawCapsule", "rings"),
    ("DrawCapsuleWires", "slices"),
    ("DrawCapsuleWires", "rings"),
    ("DrawGrid", "slices"),
];
const GAMEPAD: &str = "raylib indexes its gamepad arrays with it unchecked";

/// raygui's style table: RAYGUI_MAX_CONTROLS controls of RAYGUI_MAX_PROPS_BASE +
/// RAYGUI_MAX_PROPS_EXTENDED properties; RAYGUI_ICON_MAX_ICONS icons.
const GUI_CONTROLS: i64 = 16;
const GUI_PROPERTIES: i64 = 16 + 8;
const GUI_ICONS: i64 = 256;
const GUI_STYLE: &str =
    "raygui indexes its style table (16 controls of 24 properties) with them unchecked";

/// lunaray's bound on the font loaders' sizes (`marshal::font_check`): stb renders each glyph
/// at that pixel height into a bitmap it allocates unchecked.
const FONT_SIZE_MAX: i64 = crate::marshal::font_check::MAX_FONT_SIZE as i64;
const FONT_SIZE: &str = "stb_truetype renders glyph bitmaps of that height, allocated unchecked";

/// Every declared precondition. Functions taking `int gamepad` are covered by
/// [`for_param`]'s rule for that name.
pub const PRECONDITIONS: &[Precondition] = &[
    range("GenImageChecked", "checksX", 1, i32::MAX as i64, DIVIDES),
    range("GenImageChecked", "checksY", 1, i32::MAX as i64, DIVIDES),
    range("GenImageCellular", "tileSize", 1, i32::MAX as i64, DIVIDES),
    range("ImageResizeNN", "newWidth", 1, MAX_IMAGE_SIDE, DIVIDES),
    range("ImageResizeNN", "newHeight", 1, MAX_IMAGE_SIDE, DIVIDES),
    Precondition {
        function: "ImageTextEx",
        param: "fontSize",
        rule: Rule::Between(1.0, 1024.0),
        reason: DIVIDES,
    },
    Precondition {
        function: "ImageTextEx",
        param: "spacing",
        rule: Rule::Between(0.0, 1024.0),
        reason:
            "the text image is as wide as its glyphs and spacing: raylib allocates it unchecked",
    },
    Precondition {
        function: "ImageDrawTextEx",
        param: "spacing",
        rule: Rule::Between(0.0, 1024.0),
        reason:
            "the text image is as wide as its glyphs and spacing: raylib allocates it unchecked",
    },
    Precondition {
        function: "ImageDrawTextEx",
        param: "fontSize",
        rule: Rule::Between(1.0, 1024.0),
        reason: DIVIDES,
    },
    range(
        "SetMaterialTexture",
        "mapType",
        0,
        MAX_MATERIAL_MAPS - 1,
        "raylib writes material.maps[mapType] unchecked",
    ),
    range(
        "TextSubtext",
        "position",
        0,
        i32::MAX as i64,
        "raylib reads text + position unchecked",
    ),
    range(
        "TextSubtext",
        "length",
        0,
        i32::MAX as i64,
        "raylib copies length bytes unchecked",
    ),
    Precondition {
        function: "TextInsert",
        param: "position",
        rule: Rule::AtMostLenOf(0),
        reason: "raylib copies position bytes of text unchecked",
    },
    Precondition {
        function: "TextInsertAlloc",
        param: "position",
        rule: Rule::AtMostLenOf(0),
        reason: "raylib copies position bytes of text unchecked",
    },
    Precondition {
        function: "ImageBlurGaussian",
        param: "blurSize",
        rule: Rule::InFields {
            of: 0,
            fields: &["width", "height"],
            inclusive: true,
        },
        reason: "raylib reads blurSize pixels along each row and column unchecked",
    },
    Precondition {
        function: "SetModelMeshMaterial",
        param: "meshId",
        rule: Rule::InFields {
            of: 0,
            fields: &["meshCount"],
            inclusive: false,
        },
        reason: "raylib writes model.meshMaterial[meshId] unchecked",
    },
    Precondition {
        function: "SetModelMeshMaterial",
        param: "materialId",
        rule: Rule::InFields {
            of: 0,
            fields: &["materialCount"],
            inclusive: false,
        },
        reason: "raylib stores it as an index into model.materials, read unchecked when drawing",
    },
    range(
        "UpdateMeshBuffer",
        "index",
        0,
        MAX_MESH_VERTEX_BUFFERS - 1,
        "raylib reads mesh.vboId[index] unchecked",
    ),
    Precondition {
        function: "WaveFormat",
        param: "sampleSize",
        rule: Rule::OneOf(&[8, 16, 32]),
        reason: "raylib converts to 32-bit floats for any other size into a buffer of that size",
    },
    range(
        "WaveFormat",
        "channels",
        1,
        8,
        "raylib allocates frames*channels samples unchecked",
    ),
    range(
        "WaveFormat",
        "sampleRate",
        1,
        384000,
        "raylib allocates the resampled frames unchecked",
    ),
    Precondition {
        function: "rlSetLineWidth",
        param: "width",
        rule: Rule::Between(0.0, 1024.0),
        reason: "the software renderer draws a line once per pixel of width (1e9 is a hang)",
    },
    Precondition {
        function: "rlSetPointSize",
        param: "size",
        rule: Rule::Between(0.0, 1024.0),
        reason: "the software renderer fills size*size pixels a point (1e9 is a hang)",
    },
    range(
        "DrawLineDashed",
        "spaceSize",
        0,
        i32::MAX as i64,
        "raylib steps by dashSize + spaceSize, which must be positive (else it never ends)",
    ),
    range(
        "rlLoadTexture",
        "format",
        1,
        24,
        "raylib's pixel formats: the software renderer indexes its format tables with it",
    ),
    range(
        "rlUpdateTexture",
        "format",
        1,
        24,
        "raylib's pixel formats: the software renderer indexes its format tables with it",
    ),
    range(
        "rlLoadTexture",
        "mipmapCount",
        1,
        1,
        "raylib reads each further level's pixels after the first's, beyond what lunaray checks",
    ),
    Precondition {
        function: "GenMeshTorus",
        param: "radius",
        rule: Rule::Between(-1e9, 1e9),
        reason: "NaN passes raylib's clamp into par_shapes",
    },
    Precondition {
        function: "ImageResizeCanvas",
        param: "offsetX",
        rule: Rule::Offset {
            of: 0,
            field: "width",
            size: 1,
        },
        reason: "raylib copies rows of the image's width less the offset: negative beyond it",
    },
    Precondition {
        function: "ImageResizeCanvas",
        param: "offsetY",
        rule: Rule::Offset {
            of: 0,
            field: "height",
            size: 2,
        },
        reason: "raylib copies the image's height less the offset: negative beyond it",
    },
    range(
        "LoadImageRaw",
        "format",
        1,
        24,
        "raylib's pixel formats: raylib sizes the pixels by it, and stores any other",
    ),
    range(
        "LoadImageRaw",
        "headerSize",
        0,
        i32::MAX as i64,
        "raylib skips that many bytes of the file",
    ),
    range(
        "ImageFormat",
        "newFormat",
        1,
        24,
        "raylib's pixel formats: raylib stores any other and then sizes the pixels by it",
    ),
    Precondition {
        function: "GenMeshKnot",
        param: "size",
        rule: Rule::Between(-1e9, 1e9),
        reason: "a non-finite size reaches par_shapes",
    },
    Precondition {
        function: "GenMeshTorus",
        param: "size",
        rule: Rule::Between(-1e9, 1e9),
        reason: "a non-finite size reaches par_shapes",
    },
    Precondition {
        function: "GenMeshKnot",
        param: "radius",
        rule: Rule::Between(-1e9, 1e9),
        reason: "NaN passes raylib's clamp into par_shapes",
    },
    range(
        "LoadRandomSequence",
        "count",
        0,
        1 << 14,
        "raylib allocates count values unchecked and compares each new one with all before it",
    ),
    range(
        "ImageDrawText",
        "fontSize",
        1,
        1024,
        "raylib allocates an image of the text at that size unchecked (and divides by it)",
    ),
    range(
        "ImageText",
        "fontSize",
        1,
        1024,
        "raylib allocates an image of the text at that size unchecked",
    ),
    range(
        "GetTouchPosition",
        "index",
        0,
        MAX_TOUCH_POINTS - 1,
        "raylib indexes its touch arrays with it, checking only the upper bound",
    ),
    range(
        "GetTouchPointId",
        "index",
        0,
        MAX_TOUCH_POINTS - 1,
        "raylib indexes its touch arrays with it, checking only the upper bound",
    ),
    range("GuiSetStyle", "control", 0, GUI_CONTROLS - 1, GUI_STYLE),
    range("GuiSetStyle", "property", 0, GUI_PROPERTIES - 1, GUI_STYLE),
    range("GuiGetStyle", "control", 0, GUI_CONTROLS - 1, GUI_STYLE),
    range("GuiGetStyle", "property", 0, GUI_PROPERTIES - 1, GUI_STYLE),
    range(
        "GuiDrawIcon",
        "iconId",
        0,
        GUI_ICONS - 1,
        "raygui reads its icon array (RAYGUI_ICON_MAX_ICONS) with it unchecked",
    ),
    Precondition {
        function: "GuiGrid",
        param: "spacing",
        rule: Rule::Between(2.0, 8192.0),
        reason: "raygui draws (bounds / spacing) * subdivs lines in each direction",
    },
    range(
        "GuiGrid",
        "subdivs",
        0,
        16,
        "raygui draws (bounds / spacing) * subdivs lines in each direction",
    ),
    range(
        "GuiSetState",
        "state",
        0,
        3,
        "raygui's controls read style properties at offsets computed from the state (STATE_NORMAL to STATE_DISABLED)",
    ),
    range(
        "LoadImagePalette",
        "maxPaletteSize",
        0,
        1 << 24,
        "raylib allocates that many colors and writes through a failed allocation",
    ),
    range(
        "LoadFontEx",
        "fontSize",
        1,
        FONT_SIZE_MAX,
        FONT_SIZE,
    ),
    range(
        "LoadFontFromMemory",
        "fontSize",
        1,
        FONT_SIZE_MAX,
        FONT_SIZE,
    ),
    range(
        "LoadFontData",
        "fontSize",
        1,
        FONT_SIZE_MAX,
        FONT_SIZE,
    ),
    range(
        "GenImageFontAtlas",
        "fontSize",
        1,
        1024,
        "raylib sizes the atlas by it unchecked (a negative size makes it NaN pixels wide)",
    ),
    range(
        "GenImageFontAtlas",
        "padding",
        0,
        256,
        "raylib sizes the atlas by it unchecked",
    ),
    range(
        "GenMeshPlane",
        "resX",
        1,
        1 << 12,
        "raylib allocates resX*resZ vertices and overflows past that",
    ),
    range(
        "GenMeshPlane",
        "resZ",
        1,
        1 << 12,
        "raylib allocates resX*resZ vertices and overflows past that",
    ),
];

/// lunaray's bound on every number and float struct field (`Vector2`, `Rectangle`) passed to
/// the image-drawing functions: raylib turns them into ints (a NaN or 1e18 is undefined) and
/// computes `(dy << 16)/dx` in int arithmetic, which overflows for differences of 2^15.
pub const IMAGE_COORDINATE_LIMIT: f64 = 16383.0;

/// The coordinate bound of `function` and why, if it has one (`ImageDraw*`).
pub fn coordinate_bound(function: &str) -> Option<(f64, &'static str)> {
    match function {
        // Drawing loops sized by the bounds: one checker square per 10 pixels; grid lines.
        "GuiColorBarAlpha" => {
            return Some((
                4096.0,
                "raygui draws a checkered square per 10 pixels of its bounds",
            ))
        }
        "GuiGrid" => {
            return Some((
                8192.0,
                "raygui draws a grid line per subdivision of its bounds",
            ))
        }
        _ => {}
    }
    if function == "DrawLineDashed" {
        return Some((
            1e6,
            "raylib steps along the line a dash at a time (1e18 long is a hang)",
        ));
    }
    let named = ["ImageCrop", "ImageFromImage", "ImageResizeCanvas"];
    (function.starts_with("ImageDraw") || named.contains(&function)).then_some((
        IMAGE_COORDINATE_LIMIT,
        "raylib's integer pixel math overflows beyond it",
    ))
}

/// The longest path a function takes, in bytes: raylib copies paths into buffers of
/// `MAX_FILEPATH_LENGTH` (4096 on Linux), and the `Export*AsCode` functions write the name
/// several times into a 2000-byte margin of their output buffer.
pub fn max_path_len(function: &str) -> u16 {
    if function.starts_with("Export") && function.ends_with("AsCode") {
        128
    } else {
        4095
    }
}

/// Loaders that pick the file format by the name's extension, which raylib takes as NULL
/// when there is none (and compares unchecked).
pub const NEEDS_EXTENSION: &[&str] = &[
    "LoadImage",
    "LoadImageAnim",
    "LoadTexture",
    "LoadWave",
    "LoadSound",
    "LoadMusicStream",
];

/// Functions that draw text into a new image as tall as the font size and about as wide as
/// the text at that size: (function, text parameter, size parameter). raylib allocates it
/// unchecked, so lunaray bounds its pixels: bytes of text x size^2 at most
/// [`MAX_TEXT_IMAGE`]. raylib makes it at the font's base size and scales it to the font
/// size, dividing by the scaled size: the check measures the text as raylib does
/// (`MeasureTextEx`, with the font and spacing the call uses, `font` and `spacing` parameters
/// or the default font) and refuses an image scaled below a pixel, or one of two negative
/// sides, or one too wide for `ImageResizeNN`'s int math (`contracts::check_text_image`).
pub const TEXT_IMAGES: &[(&str, &str, &str)] = &[
    ("ImageText", "text", "fontSize"),
    ("ImageTextEx", "text", "fontSize"),
    ("ImageDrawText", "text", "fontSize"),
    ("ImageDrawTextEx", "text", "fontSize"),
];
pub const MAX_TEXT_IMAGE: f64 = (1u64 << 26) as f64;

/// Functions whose array count must not be 0, and why.
pub const NON_EMPTY: &[(&str, &str)] = &[
    ("ExportDataAsCode", "raylib reads the array's last element"),
    (
        "GenImageFontAtlas",
        "raylib reads 95 glyphs for it (its default count)",
    ),
];

/// lunaray's bound on the bytes one call of raylib's data functions takes: over a pointer
/// value of `MemAlloc(2^31 - 1)`, `ComputeCRC32` runs 6 s (a fuzzer hang, seed 37) and
/// `EncodeDataBase64` overflows its int output size (4 * dataSize / 3) and writes past it.
pub const MAX_DATA_BYTES: u64 = 1 << 28;
const DATA_WORK: &str = "raylib works through them in one call (seconds beyond it)";

/// Functions whose array count has a bound of its own: (function, most, why).
pub const COUNT_BOUNDS: &[(&str, u64, &str)] = &[
    (
        "EncodeDataBase64",
        MAX_DATA_BYTES,
        "raylib computes 4 * dataSize / 3 in an int (past 1.6e9 it overflows and raylib \
         writes past its output) and works through them in one call",
    ),
    ("ComputeCRC32", MAX_DATA_BYTES, DATA_WORK),
    ("ComputeMD5", MAX_DATA_BYTES, DATA_WORK),
    ("ComputeSHA1", MAX_DATA_BYTES, DATA_WORK),
    ("ComputeSHA256", MAX_DATA_BYTES, DATA_WORK),
    ("CompressData", MAX_DATA_BYTES, DATA_WORK),
    ("DecompressData", MAX_DATA_BYTES, DATA_WORK),
];

/// raylib's `MAX_TEXT_BUFFER_LENGTH` (rtext.c): the size of its static text buffers.
pub const MAX_TEXT_BUFFER: usize = 1024;

/// Text functions whose result raylib builds without checking it against the texts: in its
/// static buffer of [`MAX_TEXT_BUFFER`] bytes, or from past the end of a text. Checked
/// against the texts themselves before the call; the parameters are taken by position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TextFit {
    /// `TextJoin(textList, count, delimiter)`: raylib checks each text against the buffer
    /// but not the delimiter after it. Every text with the delimiters between them must fit
    /// (with the NUL).
    Join,
    /// `TextReplaceBetween(text, begin, end, replacement)`: raylib copies the text with the
    /// part between `begin` and `end` replaced without checking its length, which must fit.
    ReplaceBetween,
    /// `TextInsert(text, insert, position)`: raylib copies the text after the insert from
    /// `text[i]`, not `text[i - insertLen]`, so it reads past the text's end unless the
    /// insert goes at the end or is at most one byte.
    Insert,
    /// `TextToCamel(text)`, `TextToPascal(text)`: raylib starts at `text[1]` and steps over
    /// each `_` to the byte after it, so an empty text, or one ending in a separating `_`,
    /// is read past its end.
    Camel,
    /// `TextToSnake(text)`: raylib writes an `_` before each capital, and a result that
    /// reaches the last byte of its buffer is left without its NUL.
    Snake,
}

/// The functions of [`TextFit`], with the parameter names it takes by position.
pub const TEXT_FITS: &[(&str, TextFit, &[&str])] = &[
    (
        "TextJoin",
        TextFit::Join,
        &["textList", "count", "delimiter"],
    ),
    (
        "TextReplaceBetween",
        TextFit::ReplaceBetween,
        &["text", "begin", "end", "replacement"],
    ),
    (
        "TextInsert",
        TextFit::Insert,
        &["text", "insert", "position"],
    ),
    (
        "TextInsertAlloc",
        TextFit::Insert,
        &["text", "insert", "position"],
    ),
    ("TextToCamel", TextFit::Camel, &["text"]),
    ("TextToPascal", TextFit::Camel, &["text"]),
    ("TextToSnake", TextFit::Snake, &["text"]),
];

/// Functions taking a rectangle that raylib reads pixels from unchecked, and the image it must
/// lie within: (function, rectangle parameter, image parameter).
/// (`ImageCrop` clips its rectangle itself: there only a negative size is refused.)
pub const RECT_IN_IMAGE: &[(&str, usize, usize)] = &[
    ("ImageFromImage", 1, 0),
    ("ImageDraw", 2, 1),
    ("ImageCrop", 1, 0),
];

/// The precondition of parameter `param` of `function`, if one is declared.
pub fn for_param(function: &str, param: &str) -> Option<(Rule, &'static str)> {
    let listed = |table: &[(&str, &str)]| table.iter().any(|&(f, p)| f == function && p == param);
    if IMAGE_SIZES
        .iter()
        .any(|&(f, w, h)| f == function && (w == param || h == param))
    {
        let rule = Rule::Range {
            min: 1,
            max: MAX_IMAGE_SIDE,
        };
        return Some((rule, IMAGE_SIZE));
    }
    if listed(MESH_COUNTS) {
        if matches!(function, "GenMeshTorus" | "GenMeshKnot") {
            let rule = Rule::Range {
                min: 3,
                max: MAX_WELDED_MESH_SEGMENTS,
            };
            return Some((rule, WELDED_MESH_SEGMENTS));
        }
        let rule = Rule::Range {
            min: 3,
            max: MAX_MESH_SEGMENTS,
        };
        return Some((rule, MESH_SEGMENTS));
    }
    if listed(ANGLES) {
        return Some((Rule::Between(-MAX_ANGLE, MAX_ANGLE), ANGLE));
    }
    if listed(DRAW_COUNTS) {
        let rule = Rule::Range {
            min: i32::MIN as i64,
            max: MAX_DRAW_SEGMENTS,
        };
        return Some((rule, DRAW_SEGMENTS));
    }
    if function.contains("Gamepad") && (param == "button" || param == "axis") {
        let max = if param == "button" {
            MAX_GAMEPAD_BUTTONS
        } else {
            MAX_GAMEPAD_AXES
        };
        return Some((
            Rule::Range {
                min: 0,
                max: max - 1,
            },
            GAMEPAD,
        ));
    }
    if param == "gamepad" {
        return Some((
            Rule::Range {
                min: 0,
                max: MAX_GAMEPADS - 1,
            },
            GAMEPAD,
        ));
    }
    PRECONDITIONS
        .iter()
        .find(|p| p.function == function && p.param == param)
        .map(|p| (p.rule, p.reason))
}

/// The rule in words (`from 0 to 3`, `at least 1`, `at most the length of text`).
pub fn describe(rule: &Rule, params: &[super::Param]) -> String {
    match rule {
        Rule::Range { min, max } if *max == i32::MAX as i64 => format!("at least {min}"),
        Rule::Range { min, max } if *min == i32::MIN as i64 => format!("at most {max}"),
        Rule::Range { min, max } => format!("from {min} to {max}"),
        Rule::AtMostLenOf(i) => format!(
            "from 0 to the length of {}",
            params.get(*i).map_or("the text", |p| p.name.as_str())
        ),
        Rule::AtLeast(v) => format!("at least {v}"),
        Rule::Between(a, b) => format!("from {a} to {b}"),
        Rule::InFields {
            of,
            fields,
            inclusive,
        } => format!(
            "from 0 to {}{} {}",
            if *inclusive { "" } else { "below " },
            params.get(*of).map_or("the struct", |p| p.name.as_str()),
            fields.join(" and ")
        ),
        Rule::Offset { of, field, size } => format!(
            "from minus the {} {field} to {}",
            params.get(*of).map_or("struct", |p| p.name.as_str()),
            params.get(*size).map_or("the size", |p| p.name.as_str())
        ),
        Rule::OneOf(values) => {
            let v: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            format!("one of {}", v.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{CType, Registry};

    #[test]
    fn every_declared_rule_names_a_number_parameter_of_raylib() {
        let reg = Registry::raylib();
        for p in PRECONDITIONS {
            let f = reg
                .function(p.function)
                .unwrap_or_else(|| panic!("{}", p.function));
            let param = f.params.iter().position(|q| q.name == p.param);
            let i = param.unwrap_or_else(|| panic!("{}.{}", p.function, p.param));
            assert!(
                matches!(f.params[i].ty, CType::Prim(_)),
                "{}.{}",
                p.function,
                p.param
            );
            if let Rule::AtMostLenOf(k) = p.rule {
                assert!(k < i, "{}: the bounding string comes first", p.function);
            }
            if let Rule::Offset { size, .. } = p.rule {
                assert!(size < i, "{}: the size comes first", p.function);
                let out = crate::registry::semantics::classify(&reg, f).unwrap();
                assert!(
                    !out.params[..size]
                        .iter()
                        .any(|k| matches!(k, crate::registry::ParamKind::Out(_))),
                    "{}: no out-parameter before the size",
                    p.function
                );
            }
        }
        let sized = IMAGE_SIZES
            .iter()
            .flat_map(|&(f, w, h)| [(f, w), (f, h)])
            .chain(MESH_COUNTS.iter().copied())
            .chain(ANGLES.iter().copied())
            .chain(DRAW_COUNTS.iter().copied());
        for (function, param) in sized {
            let f = reg
                .function(function)
                .unwrap_or_else(|| panic!("{function}"));
            assert!(
                f.params
                    .iter()
                    .any(|q| q.name == param && matches!(q.ty, CType::Prim(_))),
                "{function}.{param}"
            );
        }
        for (function, _, _) in COUNT_BOUNDS {
            assert!(reg.function(function).is_some(), "{function}");
        }
        for (function, _, params) in TEXT_FITS {
            let f = reg
                .function(function)
                .unwrap_or_else(|| panic!("{function}"));
            let names: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(&names[..], *params, "{function}");
        }
        for (function, param) in crate::registry::semantics::UNCHECKED_STRINGS {
            let f = reg
                .function(function)
                .unwrap_or_else(|| panic!("{function}"));
            assert!(
                f.params.iter().any(|q| q.name == *param),
                "{function}.{param}"
            );
        }
    }
}
