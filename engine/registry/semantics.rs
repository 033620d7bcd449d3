//! What each parameter and return value means to a Lua caller. C's type alone does not say
//! whether `Image *image` is a struct C changes in place, `const Vector2 *points` an array, or
//! `int *dataSize` a result, so these rules declare it, from the type, the parameter's name
//! and its neighbour (`points, pointCount`). They are data, applied once per function when
//! plans are built; `docs/registry.md` lists them and what they leave out.

use super::{CType, FuncDecl, Prim, Registry, StructId};

/// How a Lua argument becomes a C argument.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    /// A number or boolean, converted to the C scalar type.
    Scalar(Prim),
    /// A number with a declared precondition raylib does not check (`preconditions.rs`).
    Checked {
        prim: Prim,
        rule: super::preconditions::Rule,
        reason: &'static str,
    },
    /// A struct by value: a struct value or a plain table (`{3, 4}`, `{x = 3, y = 4}`).
    Struct(StructId),
    /// `const char *`: a Lua string; nil is NULL.
    CString,
    /// `const char *` raylib reads without a NULL check ([`UNCHECKED_STRINGS`]): a Lua
    /// string, never nil.
    StringNotNull,
    /// `const char *` a library reads without a NULL check where nil has an obvious meaning
    /// (raygui's labels, item lists, titles): a Lua string; nil is passed as "".
    StringNilEmpty,
    /// A URL raylib hands to a shell (`OpenURL`): only a plain `http://` or `https://` URL of
    /// characters no shell treats specially ([`is_safe_url`]); never nil.
    Url,
    /// `const char *fileName` and other paths: a Lua string, never NULL unless raylib gives
    /// NULL a meaning (`LoadShader`'s "default shader"); `must_exist` for loaders, whose
    /// file is checked before the call so a missing asset is a Lua error, not an empty value.
    FileName { nullable: bool, must_exist: bool },
    /// `T *` for a struct `T`: a struct value passed by reference, which C may change
    /// (`ImageResize(img, ...)`), or a pointer value of that type from raylib; nil is NULL.
    StructRef(StructId),
    /// `const T *items, int count`: a Lua array of `T` (a string for bytes), or a pointer value
    /// from raylib. `count` is the index of the parameter that carries the length.
    Array { elem: CType, count: Option<usize> },
    /// The length of the array at index `of`: optional from Lua (nil means the whole array),
    /// never more than the array holds.
    Count { of: usize, prim: Prim },
    /// `int *dataSize`: C writes it; Lua gets it back after the return value, not passing it
    /// (trailing ones may be given a one-element typed buffer or a struct value to fill too,
    /// as C code does).
    Out(CType),
    /// `bool *active`, `Vector2 *scroll` (raygui's control state, [`super::in_out`]): Lua
    /// passes the value (nil is zero) or a one-element typed buffer or struct value C writes
    /// into; the new value comes back after the result.
    InOut(CType),
    /// `char *text` C edits in place within `size` bytes: Lua passes a string (copied into
    /// a buffer of that size) or a `char[?]` buffer; the new text comes back after the result.
    Text(super::in_out::TextSize),
    /// The byte size of the edited text at `of` (1 to [`MAX_TEXT_SIZE`]).
    TextSize { of: usize },
    /// Any other pointer: a pointer value raylib returned, a struct value of the pointee type
    /// (or any struct behind a `const void *`), or nil; a Lua string (read-only bytes) only
    /// where C does not write (`writable` false).
    Pointer { to: CType, writable: bool },
    /// A pointer that C frees or reallocates (`UnloadImageColors(Color *colors)`,
    /// `MemFree`): only a pointer value raylib returned, or nil; never a struct value or a
    /// string, whose memory belongs to Lua.
    Owned(CType),
}

impl ParamKind {
    /// What the parameter takes from Lua, in words (`lunaray api --json` shows it).
    pub fn contract(&self, reg: &Registry, params: &[super::Param]) -> String {
        let name = |i: usize| params.get(i).map_or("?", |p| p.name.as_str()).to_string();
        match self {
            ParamKind::Scalar(p) => format!("{} (a number; integers range-checked)", p.c_name()),
            ParamKind::Checked { prim, rule, reason } => format!(
                "{} (a number) {}: {reason}",
                prim.c_name(),
                super::preconditions::describe(rule, params)
            ),
            ParamKind::Struct(id) => format!(
                "{} by value: a struct value or a table",
                reg.structs[*id].name
            ),
            ParamKind::CString => {
                "a string, or a char * text raylib returned (LoadFileText); nil is NULL".into()
            }
            ParamKind::StringNilEmpty => format!(
                "a string of at most {MAX_GUI_TEXT} bytes; nil is an empty string (raygui reads its texts without a NULL check)"
            ),
            ParamKind::Url => {
                "a plain http:// or https:// URL (letters, digits and -._~:/?#[]@+,=%&), never nil: raylib runs it through a shell".into()
            }
            ParamKind::StringNotNull => {
                "a string, never nil (raylib reads it without a NULL check)".into()
            }
            ParamKind::FileName {
                nullable,
                must_exist,
            } => format!(
                "a path{}{}",
                if *nullable { "; nil is NULL" } else { ", never nil" },
                if *must_exist {
                    "; the file must exist (checked before the call)"
                } else {
                    ""
                }
            ),
            ParamKind::StructRef(id) => format!(
                "{0} by reference, changed in place: a {0} value, a {0} pointer or a {0} buffer; never nil",
                reg.structs[*id].name
            ),
            ParamKind::Array { elem, count } => format!(
                "array of {}: a table, a typed buffer or a pointer value{}",
                reg.type_name(elem),
                count.map_or(String::new(), |c| format!("; its count is `{}`", name(c)))
            ),
            ParamKind::Count { of, .. } => format!(
                "the element count of `{}`: optional (nil means all), never more than it holds",
                name(*of)
            ),
            ParamKind::Out(ty) => format!(
                "out: C writes a {0}; returned after the result, not passed (a trailing one may be given a {0}[1] buffer or a {0} value to fill)",
                reg.type_name(ty)
            ),
            ParamKind::Pointer { to, writable } => format!(
                "{} pointer{}: a pointer value{}{}",
                reg.type_name(to),
                if *writable { " C writes through" } else { " C reads" },
                match to {
                    CType::Struct(_) => format!(", a {0} value or a {0} buffer", reg.type_name(to)),
                    CType::Prim(Prim::Void) if !*writable => ", any struct value or typed buffer".into(),
                    CType::Prim(Prim::Void | Prim::Char | Prim::SChar | Prim::UChar) => {
                        String::new()
                    }
                    _ => format!(", a {} buffer of one element", reg.type_name(to)),
                },
                if *writable {
                    "; never a string or nil"
                } else {
                    "; a string's bytes; nil is NULL"
                }
            ),
            ParamKind::Owned(to) => format!(
                "{} pointer C frees: only one raylib allocated for the caller (Load*, MemAlloc...), then dead",
                reg.type_name(to)
            ),
            ParamKind::InOut(to) => format!(
                "in/out: the current {0} (nil is zero) or a one-element {0} buffer C writes into; the new value is returned after the result",
                reg.type_name(to)
            ),
            ParamKind::Text(size) => format!(
                "in/out text: a string (copied into {}) or a char buffer C edits; the new text is returned after the result",
                match size {
                    super::in_out::TextSize::Param(i) => format!("`{}` bytes", name(*i)),
                    super::in_out::TextSize::Fixed(n) => format!("{n} bytes"),
                }
            ),
            ParamKind::TextSize { of } => format!(
                "the byte size of `{}` (1 to {MAX_TEXT_SIZE}, with its NUL; no more than a buffer given holds)",
                name(*of)
            ),
        }
    }
}

/// The largest edited text (16 KiB): raygui measures a text box's text glyph by glyph as it
/// wraps and scrolls it, in time that grows with the square of its length.
pub const MAX_TEXT_SIZE: usize = 16 << 10;

/// The longest text a raygui control takes (labels, item lists; its item splitting reads 1024
/// bytes at most): longer ones only cost quadratic time to measure.
pub const MAX_GUI_TEXT: usize = 4096;

/// How a C return value reaches Lua.
#[derive(Clone, Debug, PartialEq)]
pub enum ReturnKind {
    Void,
    Scalar(Prim),
    Struct(StructId),
    /// `const char *`: copied into a Lua string; NULL is nil.
    CString,
    /// Any other pointer: a pointer value of this pointee type, indexable where its length
    /// is declared (`return_lengths`); NULL is nil. `owned`: memory raylib allocated for the
    /// caller, which an `Unload*`/`MemFree` frees.
    Pointer {
        to: CType,
        owned: bool,
    },
}

/// Why a function is left out of the `rl` table.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Unsupported {
    #[error("variadic (C `...`): use string.format in Lua instead")]
    Variadic,
    #[error("takes a C callback `{0}`: a Lua function cannot be called from C here")]
    Callback(String),
    #[error("parameter `{0}` has a type with no Lua meaning")]
    Parameter(String),
    #[error("reads or writes a format-dependent number of bytes through a raw pointer: no Lua value can be checked against it")]
    RawPixelPointer,
    #[error("raylib's own renderer setup or teardown (InitWindow and CloseWindow call it): from a script it frees or replaces the renderer under the open window")]
    RendererLifecycle,
    #[error("C keeps the pointer after the call: {0}")]
    KeptPointer(&'static str),
}

/// rlgl's setup and teardown, which only raylib's window functions may call.
const RENDERER_LIFECYCLE: &[&str] = &["rlglInit", "rlglClose", "rlLoadExtensions"];

/// Functions that keep a pointer parameter beyond the call for C to use later, where no
/// Lua value could stay alive and long enough for it, with why.
pub const KEPT_POINTERS: &[(&str, &str)] = &[
    (
        "rlEnableStatePointer",
        "later draws read a count given to them through it, unchecked (GL 1.1 client arrays, \
         the software renderer's; a no-op on OpenGL 3.3): use rlLoadVertexBuffer, or a Mesh",
    ),
    (
        "rlSetShader",
        "rlgl draws with its locs array until the next shader is set, and a Lua buffer could be \
         collected before: use BeginShaderMode(shader), which passes the shader's own locs",
    ),
    (
        "rlSetRenderBatchActive",
        "rlgl draws into the batch until another is set, and a Lua value could be collected \
         before: draw a batch with rlDrawRenderBatch",
    ),
];

/// Functions that keep a text parameter's pointer until their next call (raygui's tooltip,
/// drawn by every later control): the string passed is kept alive (anchored in the
/// registry) until the next successful call replaces it. The parameter's Lua position.
pub const KEPT_TEXTS: &[(&str, i32)] = &[("GuiSetTooltip", 1)];

/// Functions whose pointer parameter is read or written with a size that depends on another
/// argument's value (a pixel format), so no argument check can make a call safe.
const RAW_PIXEL_POINTERS: &[&str] = &["GetPixelColor", "SetPixelColor"];

/// Whether `f` frees or reallocates the memory behind its pointer parameters (so the pointer
/// values passed are dead after a successful call).
pub fn frees_its_pointers(name: &str) -> bool {
    name.starts_with("Unload") || name == "MemFree" || name == "MemRealloc"
}

#[derive(Clone, Debug, PartialEq)]
pub struct Semantics {
    pub params: Vec<ParamKind>,
    pub ret: ReturnKind,
}

impl Semantics {
    /// Number of values a Lua caller passes (out-parameters are not passed).
    pub fn lua_arity(&self) -> usize {
        self.params
            .iter()
            .filter(|p| !matches!(p, ParamKind::Out(_)))
            .count()
    }
}

/// Arrays whose count is not the parameter after them: (function, array, count).
/// `GenImageFontAtlas` reads `glyphCount` glyphs, and its `glyphRecs` out-parameter comes
/// between the two.
pub const COUNTS_APART: &[(&str, &str, &str)] = &[("GenImageFontAtlas", "glyphs", "glyphCount")];

/// Names of pointer parameters C writes a single result into.
const OUT_NAMES: &[&str] = &[
    "dataSize",
    "compDataSize",
    "outputSize",
    "count",
    "colorCount",
    "glyphCount",
    "codepointSize",
    "utf8Size",
    "animCount",
    "materialCount",
    "collisionPoint",
    "glyphRecs",
    "fileSize",
    "frames",
];

/// `outAxis`, `outAngle`: raymath's naming for results.
fn is_out_name(name: &str) -> bool {
    OUT_NAMES.contains(&name)
        || name
            .strip_prefix("out")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

fn is_count_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("count")
        || lower.ends_with("size")
        || lower == "length"
        || lower == "instances"
        || lower == "count"
}

pub fn classify(reg: &Registry, f: &FuncDecl) -> Result<Semantics, Unsupported> {
    if f.variadic {
        return Err(Unsupported::Variadic);
    }
    if RAW_PIXEL_POINTERS.contains(&f.name.as_str()) {
        return Err(Unsupported::RawPixelPointer);
    }
    if let Some((_, why)) = KEPT_POINTERS.iter().find(|(n, _)| *n == f.name) {
        return Err(Unsupported::KeptPointer(why));
    }
    if RENDERER_LIFECYCLE.contains(&f.name.as_str()) {
        return Err(Unsupported::RendererLifecycle);
    }
    let frees = frees_its_pointers(&f.name);
    let mut params: Vec<ParamKind> = Vec::with_capacity(f.params.len());
    for (i, p) in f.params.iter().enumerate() {
        let count_prim = f.params.get(i + 1).and_then(|n| match n.ty {
            CType::Prim(prim @ (Prim::Int | Prim::UInt)) if is_count_name(&n.name) => Some(prim),
            _ => None,
        });
        let count_apart = COUNTS_APART
            .iter()
            .any(|&(func, array, _)| func == f.name && array == p.name);
        if let Some(io) = super::in_out::classify(reg, f, i) {
            params.push(match io {
                super::in_out::InOut::Value(ty) => ParamKind::InOut(ty),
                super::in_out::InOut::Text(size) => ParamKind::Text(size),
            });
            continue;
        }
        if let Some(of) = i
            .checked_sub(1)
            .filter(|&j| params.get(j) == Some(&ParamKind::Text(super::in_out::TextSize::Param(i))))
        {
            params.push(ParamKind::TextSize { of });
            continue;
        }
        let kind = match &p.ty {
            CType::Prim(prim) => match super::preconditions::for_param(&f.name, &p.name) {
                Some((rule, reason)) => ParamKind::Checked {
                    prim: *prim,
                    rule,
                    reason,
                },
                None => ParamKind::Scalar(*prim),
            },
            CType::Struct(id) => ParamKind::Struct(*id),
            CType::Callback(name) => return Err(Unsupported::Callback(name.clone())),
            CType::Opaque(_) | CType::Array { .. } => {
                return Err(Unsupported::Parameter(p.name.clone()))
            }
            CType::Pointer { to, is_const }
                if frees && !(*is_const && **to == CType::Prim(Prim::Char)) =>
            {
                ParamKind::Owned((**to).clone())
            }
            CType::Pointer { to, is_const } => {
                let counted = count_prim.is_some() || count_apart;
                classify_pointer(reg, &f.name, &p.name, to, *is_const, counted)
            }
        };
        params.push(kind);
    }
    // A freed array's neighbour carries its length (`UnloadModelAnimations(anims, count)`).
    for i in 0..params.len().saturating_sub(1) {
        if let (ParamKind::Owned(_), CType::Prim(prim @ (Prim::Int | Prim::UInt))) =
            (&params[i], &f.params[i + 1].ty)
        {
            if is_count_name(&f.params[i + 1].name) {
                params[i + 1] = ParamKind::Count { of: i, prim: *prim };
            }
        }
    }
    // An array's neighbour carries its length.
    for i in 0..params.len() {
        if let ParamKind::Array { count, .. } = &mut params[i] {
            if let Some(CType::Prim(prim)) = f.params.get(i + 1).map(|p| &p.ty) {
                if is_count_name(&f.params[i + 1].name) {
                    *count = Some(i + 1);
                    let prim = *prim;
                    params[i + 1] = ParamKind::Count { of: i, prim };
                }
            }
        }
    }
    // Or a parameter further on, declared.
    for &(_, array, count) in COUNTS_APART.iter().filter(|(func, _, _)| *func == f.name) {
        let index = |name: &str| f.params.iter().position(|p| p.name == name);
        if let (Some(i), Some(j)) = (index(array), index(count)) {
            if let (ParamKind::Array { count, .. }, CType::Prim(prim)) =
                (&mut params[i], &f.params[j].ty)
            {
                *count = Some(j);
                params[j] = ParamKind::Count { of: i, prim: *prim };
            }
        }
    }
    let ret = match &f.ret {
        CType::Prim(Prim::Void) => ReturnKind::Void,
        CType::Prim(p) => ReturnKind::Scalar(*p),
        CType::Struct(id) => ReturnKind::Struct(*id),
        CType::Pointer { to, is_const } if **to == CType::Prim(Prim::Char) => {
            if *is_const || !returns_caller_memory(&f.name) {
                ReturnKind::CString
            } else {
                ReturnKind::Pointer {
                    to: (**to).clone(),
                    owned: true,
                }
            }
        }
        CType::Pointer { to, .. } => ReturnKind::Pointer {
            to: (**to).clone(),
            owned: returns_caller_memory(&f.name),
        },
        _ => return Err(Unsupported::Parameter("return value".into())),
    };
    Ok(Semantics { params, ret })
}

/// Functions whose returned pointer is memory raylib allocated for the caller, to be freed
/// with its `Unload*` or `MemFree` (`LoadImageColors`, `TextReplaceAlloc`, `MemAlloc`,
/// `CompressData`...). Other pointers point into raylib's static buffers (`TextSplit`,
/// `ComputeMD5`) or its state, and can never be freed from Lua. `char *` returns of the first
/// kind stay pointers, so the script can free them; the rest are copied into Lua strings.
pub fn returns_caller_memory(name: &str) -> bool {
    const ALLOCATING: &[&str] = &[
        "MemAlloc",
        "MemRealloc",
        "CompressData",
        "DecompressData",
        "EncodeDataBase64",
        "DecodeDataBase64",
        "ExportImageToMemory",
        "rlReadTexturePixels",
        "rlReadScreenPixels",
    ];
    name.starts_with("Load") || name.ends_with("Alloc") || ALLOCATING.contains(&name)
}

/// Parameter names that are paths: raylib dereferences them unchecked (`TakeScreenshot(NULL)`
/// crashes in `strchr`).
fn is_path_name(name: &str) -> bool {
    matches!(
        name,
        "fileName"
            | "filePath"
            | "dirPath"
            | "basePath"
            | "srcPath"
            | "dstPath"
            | "fileRename"
            | "path"
            | "vsFileName"
            | "fsFileName"
    )
}

/// `const char *` parameters raylib 6.0 dereferences without a NULL check (audited against
/// its sources: no `!= NULL` guard in the function or in what it passes the string to). Paths
/// are covered by [`is_path_name`]; the text-drawing family (`DrawText`, `MeasureText`...)
/// goes through `TextLength`, which checks, so nil stays NULL there.
pub const UNCHECKED_STRINGS: &[(&str, &str)] = &[
    ("SetWindowTitle", "title"),
    ("SetClipboardText", "text"),
    ("GetShaderLocation", "uniformName"),
    ("GetShaderLocationAttrib", "attribName"),
    ("OpenURL", "url"),
    ("SaveFileText", "text"),
    ("FileTextReplace", "search"),
    ("FileTextReplace", "replacement"),
    ("FileTextFindIndex", "search"),
    ("IsFileExtension", "ext"),
    ("SetGamepadMappings", "mappings"),
    ("ExportImageToMemory", "fileType"),
    ("LoadImageFromMemory", "fileType"),
    ("LoadImageAnimFromMemory", "fileType"),
    ("LoadFontFromMemory", "fileType"),
    ("LoadWaveFromMemory", "fileType"),
    ("LoadMusicStreamFromMemory", "fileType"),
    ("GetTextBetween", "text"),
    ("GetTextBetween", "begin"),
    ("GetTextBetween", "end"),
    ("TextJoin", "delimiter"),
    ("TextFindIndex", "search"),
    ("rlGetProcAddress", "procName"),
    ("rlGetLocationUniform", "uniformName"),
    ("rlGetLocationAttrib", "attribName"),
    ("rlLoadShader", "code"),
];

/// Arrays raylib documents NULL for, with a count: `LoadFontEx(path, 32, NULL, 255)` loads
/// the first `count` codepoints from 32 (space) up, the default set when the count is 0
/// (`LoadFontData` fills them in; `LoadFontEx` and `LoadFontFromMemory` pass them on). Every
/// other array's count is checked against what the script passed.
pub const NULL_ARRAY_WITH_COUNT: &[(&str, &str)] = &[
    ("LoadFontEx", "codepoints"),
    ("LoadFontFromMemory", "codepoints"),
    ("LoadFontData", "codepoints"),
];

/// The largest count given with a NULL [`NULL_ARRAY_WITH_COUNT`] array: raylib mallocs
/// `count` codepoints and looks each up, from 32 up; past Unicode's last there are none.
pub const MAX_DEFAULT_CODEPOINTS: u32 = 0x11_0000 - 32;

/// Functions whose path parameters are only strings to take apart, never opened: the
/// sandbox (`lunaray run --sandbox`) checks every other path parameter.
pub const PATH_STRING_ONLY: &[&str] = &[
    "IsFileExtension",
    "IsFileNameValid",
    "GetFileExtension",
    "GetFileName",
    "GetFileNameWithoutExt",
    "GetDirectoryPath",
    "GetPrevDirectoryPath",
];

/// What a parameter's contract adds for its function: NULL with a count where raylib
/// documents it, and the sandbox's rule for paths raylib opens.
pub fn contract_note(function: &str, param: &str, kind: &ParamKind) -> &'static str {
    match kind {
        ParamKind::Array { .. } if NULL_ARRAY_WITH_COUNT.contains(&(function, param)) => {
            "; nil with a count of 0 to 1114080 loads that many codepoints from 32 up (raylib's NULL)"
        }
        ParamKind::FileName { .. } if !PATH_STRING_ONLY.contains(&function) => {
            "; under --sandbox it must lead inside the game's folder or its save folder"
        }
        _ => "",
    }
}

/// Functions that read a file's text and search it without checking that it loaded (an empty
/// file or a directory gives `strstr(NULL, ...)`): their file must exist, like a loader's.
const FILE_TEXT_READERS: &[&str] = &["FileTextFindIndex", "FileTextReplace"];

/// Whether `url` is a plain `http://` or `https://` URL whose characters no shell treats
/// specially: raylib's `OpenURL` builds a shell command from it (`xdg-open '%s'` on desktops,
/// `explorer "%s"` on the memory platform), checking only for `'`.
pub fn is_safe_url(url: &[u8]) -> bool {
    let rest = url
        .strip_prefix(b"https://")
        .or_else(|| url.strip_prefix(b"http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.iter()
                .all(|&c| c.is_ascii_alphanumeric() || b"-._~:/?#[]@+,=%&".contains(&c))
    })
}

/// Paths raylib documents NULL for: `LoadShader(NULL, fs)` uses the default vertex shader,
/// `LoadAutomationEventList(NULL)` makes an empty list.
fn nullable_path(function: &str, name: &str) -> bool {
    matches!(
        (function, name),
        ("LoadShader", _) | ("LoadAutomationEventList", "fileName")
    )
}

fn classify_pointer(
    reg: &Registry,
    fname: &str,
    name: &str,
    to: &CType,
    is_const: bool,
    next_is_count: bool,
) -> ParamKind {
    let callback = matches!(to, CType::Callback(_));
    match to {
        CType::Prim(Prim::Char) if is_const && is_path_name(name) => ParamKind::FileName {
            nullable: nullable_path(fname, name),
            must_exist: (fname.starts_with("Load")
                || fname.starts_with("GuiLoad")
                || FILE_TEXT_READERS.contains(&fname))
                && (name == "fileName" || name.ends_with("FileName")),
        },
        CType::Prim(Prim::Char) if is_const && (fname, name) == ("OpenURL", "url") => {
            ParamKind::Url
        }
        CType::Prim(Prim::Char) if is_const && UNCHECKED_STRINGS.contains(&(fname, name)) => {
            ParamKind::StringNotNull
        }
        CType::Prim(Prim::Char) if is_const && fname.starts_with("Gui") => {
            ParamKind::StringNilEmpty
        }
        CType::Prim(Prim::Char) if is_const => ParamKind::CString,
        _ if is_out_name(name) && !is_const => ParamKind::Out(to.clone()),
        // A writable struct pointer is an array only under a plural name (`Image *images,
        // int count`); `Image *image, int blurSize` is one image changed in place.
        CType::Struct(id) if !is_const && !name.ends_with('s') => ParamKind::StructRef(*id),
        _ if next_is_count && !callback && reg.layout_of(to).size > 0 => ParamKind::Array {
            elem: to.clone(),
            count: None,
        },
        // `void *data, int dataSize`: a byte buffer, length checked like any array.
        CType::Prim(Prim::Void) if next_is_count => ParamKind::Array {
            elem: CType::Prim(Prim::UChar),
            count: None,
        },
        CType::Struct(id) => ParamKind::StructRef(*id),
        _ => ParamKind::Pointer {
            to: to.clone(),
            writable: !is_const,
        },
    }
}

/// Name prefixes of raylib functions that do not touch the window or the GPU (CPU-only image,
/// text, file, math and audio work). Every other raylib and rlgl function needs an open
/// window: called before `InitWindow` or after `CloseWindow` it would dereference raylib's
/// missing platform or GL state and crash the process, so it raises a Lua error instead.
const WINDOWLESS_PREFIXES: &[&str] = &[
    "InitWindow",
    "IsWindowReady",
    "SetConfigFlags",
    "SetTraceLogLevel",
    "OpenURL",
    "Image",
    "GenImage",
    "GetImage",
    "ExportImage",
    "UnloadImage",
    "IsImageValid",
    "Color",
    "Fade",
    "GetColor",
    "GetPixel",
    "SetPixelColor",
    "CheckCollision",
    "GetCollision",
    "Text",
    "GetCodepoint",
    "LoadCodepoints",
    "UnloadCodepoints",
    "CodepointToUTF8",
    "LoadUTF8",
    "UnloadUTF8",
    "LoadFontData",
    "UnloadFontData",
    "GenImageFontAtlas",
    "File",
    "Directory",
    "GetFile",
    "GetDirectory",
    "GetPrevDirectory",
    "GetWorkingDirectory",
    "GetApplicationDirectory",
    "ChangeDirectory",
    "IsPathFile",
    "IsFileNameValid",
    "IsFileExtension",
    "IsFileDropped",
    "LoadDirectoryFiles",
    "UnloadDirectoryFiles",
    "MakeDirectory",
    "LoadFileData",
    "UnloadFileData",
    "SaveFileData",
    "ExportDataAsCode",
    "LoadFileText",
    "UnloadFileText",
    "SaveFileText",
    "Compress",
    "Decompress",
    "Encode",
    "Decode",
    "Compute",
    "GetRandomValue",
    "SetRandomSeed",
    "LoadRandomSequence",
    "UnloadRandomSequence",
    "Mem",
    "InitAudioDevice",
    "CloseAudioDevice",
    "IsAudioDeviceReady",
    "SetMasterVolume",
    "GetMasterVolume",
    "Wave",
    "LoadWave",
    "UnloadWave",
    "ExportWave",
    "IsWaveValid",
    "LoadAutomationEvent",
    "UnloadAutomationEvent",
    "ExportAutomationEvent",
    "GetTime",
];

/// Whether calling `f` requires raylib's audio device: sounds, music and audio streams use
/// its buffers and mixer, and raylib crashes using them without one (`SeekMusicStream`,
/// `LoadSoundAlias` headless, where the device often fails to start). Waves are CPU data.
pub fn needs_audio(f: &FuncDecl) -> bool {
    let n = f.name.as_str();
    f.source == super::Source::Raylib
        && (n.contains("Sound")
            || n.contains("Music")
            || n.contains("AudioStream")
            || n.ends_with("MasterVolume"))
        && !n.ends_with("Valid")
}

/// Whether calling `f` requires an open window (see [`WINDOWLESS_PREFIXES`]).
pub fn needs_window(f: &FuncDecl) -> bool {
    match f.source {
        super::Source::Raymath | super::Source::Custom => false,
        // raygui draws, and loads its default style with raylib's default font on first use.
        super::Source::Rlgl | super::Source::Raygui => true,
        super::Source::Raylib => {
            let image_from_gpu = matches!(
                f.name.as_str(),
                "LoadImageFromScreen" | "LoadImageFromTexture"
            );
            let cpu_image = f.name.starts_with("LoadImage") && !image_from_gpu;
            // They draw with the default font, which `InitWindow` loads.
            let default_font = matches!(f.name.as_str(), "ImageText" | "ImageDrawText");
            default_font
                || !(cpu_image || WINDOWLESS_PREFIXES.iter().any(|p| f.name.starts_with(p)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe_url;

    #[test]
    fn only_plain_http_urls_reach_the_shell() {
        assert!(is_safe_url(
            b"https://www.raylib.com/examples.html?a=1&b=2#top"
        ));
        assert!(is_safe_url(b"http://localhost:8080/"));
        for bad in [
            &b"http:example"[..],
            b"https://",
            b"file:///etc/passwd",
            b"https://x.org/$(id)",
            b"https://x.org/`id`",
            b"https://x.org/\"; id; \"",
            b"https://x.org/a b",
            b"https://x.org/'",
            b"javascript:alert(1)",
        ] {
            assert!(!is_safe_url(bad), "{}", String::from_utf8_lossy(bad));
        }
    }
}
