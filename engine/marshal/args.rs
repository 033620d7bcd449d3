//! One description per parameter and one per return value, built once per function from its
//! one classification (`registry::semantics`) and its call shape (`abi`): what the Lua value
//! becomes, and which frame slot it goes to. The executor (`exec`) interprets nothing else.

use std::ffi::c_int;

use crate::abi::{ArgLoc, CallShape, RetLoc, FRAME_WORDS};
use crate::ffi::direct::REG_WORDS;
use crate::registry::layout::Layout;
use crate::registry::semantics::{ParamKind, ReturnKind, Semantics, Unsupported};
use crate::registry::{CType, FuncDecl, Prim, Registry};

use super::structs::FieldKind;
use super::Ctx;

/// Most parameters a function may have (raylib's widest has 10).
pub const MAX_PARAMS: usize = 16;

/// Words a call frame holds: the ones its invoker reads (registers only, or registers and
/// memory words), plus one spare word at the end, the sink that swallows the unused second
/// word of a one-register struct, so struct arguments store both words without a branch.
pub(crate) const REG_FRAME: usize = REG_WORDS + 1;
pub(crate) const FULL_FRAME: usize = FRAME_WORDS + 1;

/// What one parameter takes from Lua, with every size and type decision made.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ArgKind {
    Float,
    Double,
    /// Any C integer type (range-checked against it).
    Int(Prim),
    /// A number with a declared precondition (`registry::preconditions`); `param` is its
    /// index, for the message; `len_arg` the Lua argument whose length or fields bound it, if
    /// any.
    Checked {
        prim: Prim,
        rule: crate::registry::preconditions::Rule,
        reason: &'static str,
        param: u8,
        len_arg: c_int,
    },
    Bool,
    /// A struct by value in one or two registers (at most 16 bytes): a struct value's bytes,
    /// or a plain table converted in the frame arena.
    StructRegs {
        sid: u32,
        size: u32,
    },
    /// A struct by value copied into memory words (larger structs; every struct for libffi).
    StructWords {
        sid: u32,
        size: u32,
    },
    /// `const char *`: a string (numbers converted as Lua does); nil is NULL.
    CString,
    /// As `CString`, but nil is "" (texts read without a NULL check).
    StringNilEmpty,
    /// A path: a string; nil only if `nullable`; the file checked first if `must_exist`; at
    /// most `max_len` bytes (0: any length, for strings raylib reads unchecked for NULL).
    FileName {
        nullable: bool,
        must_exist: bool,
        max_len: u16,
        /// A path raylib opens, which the sandbox checks (not a string raylib only takes
        /// apart, nor a text raylib reads unchecked for NULL).
        opened: bool,
    },
    /// A URL for a shell: a string `registry::semantics::is_safe_url` accepts.
    Url,
    /// `T *` for a struct `T`: a struct value's own bytes or a pointer value of that type.
    StructRef {
        sid: u32,
        tag: u32,
    },
    /// Any other pointer: a pointer value, or nil; a struct value of the pointee type (any
    /// struct behind a `const void *`); a string's bytes only where C does not write.
    Pointer {
        tag: u32,
        writable: bool,
        /// The pointee's struct id, or `u32::MAX`.
        pointee: u32,
    },
    /// A pointer C frees: pointer values raylib returned only. `counted`: the size of its
    /// elements when a count follows, which may claim no more elements than raylib returned
    /// the memory with (0: no count).
    Owned {
        tag: u32,
        counted: u32,
    },
    /// `const T *items` with a count: a Lua array converted into the frame arena.
    Array {
        elem: FieldKind,
        elem_size: u32,
        elem_tag: u32,
        /// nil with any count up to this many is NULL with a count raylib documents
        /// ([`crate::registry::semantics::NULL_ARRAY_WITH_COUNT`]); 0: nil is an empty array.
        nil_count: u32,
    },
    /// The count of the array parameter `of` (optional from Lua, never more than it holds).
    Count {
        of: u8,
        prim: Prim,
    },
    /// `int *dataSize`: C writes it into a zeroed arena slot; Lua gets it after the return.
    /// A trailing one may be given (its `lua` position is not 0): a one-element typed buffer
    /// or a struct value of the pointee type (`tag`), which C fills instead.
    Out {
        size: u32,
        conv: OutConv,
        tag: u32,
    },
    /// `bool *active`, `Vector2 *scroll`: the current value (nil: zero) converted into an
    /// arena slot, or a one-element typed buffer or struct value of the pointee type (`tag`)
    /// C writes into; the new value is pushed after the result.
    InOut {
        elem: FieldKind,
        size: u32,
        conv: OutConv,
        tag: u32,
    },
    /// `char *text` C edits in place: a string copied into an arena buffer of its size, or a
    /// `char[?]` buffer. `fixed`: its byte size when no parameter carries it (0: its
    /// [`ArgKind::TextSize`] argument makes the buffer).
    Text {
        fixed: u32,
    },
    /// The byte size of the edited text at `of`.
    TextSize {
        of: u8,
    },
}

impl ArgKind {
    /// Whether the kind needs the executor's scratch bookkeeping (array lengths, out slots).
    pub(crate) fn needs_scratch(&self) -> bool {
        matches!(
            self,
            ArgKind::Array { .. }
                | ArgKind::Count { .. }
                | ArgKind::Out { .. }
                | ArgKind::Owned { .. }
                | ArgKind::InOut { .. }
                | ArgKind::Text { .. }
                | ArgKind::TextSize { .. }
        )
    }
}

/// One parameter: its kind, the Lua argument it reads, the frame slots it fills.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Arg {
    pub(crate) kind: ArgKind,
    /// Position among the Lua arguments (1-based); 0 for out-parameters.
    pub(crate) lua: c_int,
    /// Frame slot of the first (or only) word.
    pub(crate) slot: u8,
    /// Frame slot of a register struct's second word (the frame's sink if it has none).
    pub(crate) slot2: u8,
}

/// How an out-parameter's value comes back to Lua.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OutConv {
    Scalar(Prim),
    Struct { sid: u32, size: u32 },
    Pointer { tag: u32 },
}

/// How a value C wrote through a pointer to `ty` comes back to Lua.
fn out_conv(ctx: &Ctx, ty: &CType, struct_size: &dyn Fn(usize) -> u32) -> Option<OutConv> {
    Some(match ty {
        CType::Prim(p) => OutConv::Scalar(*p),
        CType::Struct(id) => OutConv::Struct {
            sid: *id as u32,
            size: struct_size(*id),
        },
        CType::Pointer { to, .. } => OutConv::Pointer {
            tag: ctx.tag_of(to),
        },
        _ => return None,
    })
}

/// What the return value becomes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ret {
    Void,
    Scalar(Prim),
    /// A struct returned in registers: its bytes rebuilt from the two return words.
    StructRegs {
        sid: u32,
        size: u32,
    },
    /// A struct returned in memory: written by C straight into the new struct value.
    StructMem {
        sid: u32,
        size: u32,
    },
    /// `const char *`: copied into a Lua string; NULL is nil.
    CString,
    /// Any other pointer: a pointer value (`owned` if raylib allocated it for the caller);
    /// NULL is nil.
    Pointer {
        tag: u32,
        owned: bool,
    },
}

/// What happens to a vouched argument's record after the call (`vouch`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum After {
    /// C only reads it.
    Keep,
    /// C may change it in place (by reference): the record follows the new bytes.
    Rekey,
    /// C frees it or takes it over (`Unload*`, `LoadModelFromMesh`): the record goes.
    Forget,
}

/// An argument whose struct type has pointer fields: checked against the records before
/// the call.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct VouchArg {
    /// Index into the plan's arguments.
    pub(crate) arg: u8,
    pub(crate) sid: u32,
    /// Whether an all-zero value is taken (`Unload*`, `Is*Valid`, which check for it).
    pub(crate) zero_ok: bool,
    pub(crate) after: After,
}

/// A declared byte need with its parameters resolved to argument indices.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NeedPlan {
    pub(crate) ptr: u8,
    pub(crate) needs: crate::registry::byte_needs::Needs,
    /// The arguments the need reads, in the order `Needs` names them (`u8::MAX`: none).
    pub(crate) from: [u8; 4],
    pub(crate) nullable: bool,
    pub(crate) name: &'static str,
}

/// The byte need of `f`, if one of its parameters has one.
fn need_plan(f: &FuncDecl) -> Option<NeedPlan> {
    use crate::registry::byte_needs::for_param;
    let (ptr, n) = f
        .params
        .iter()
        .enumerate()
        .find_map(|(i, p)| for_param(&f.name, &p.name).map(|n| (i, n)))?;
    let idx = |name: &str| {
        f.params
            .iter()
            .position(|p| p.name == name)
            .map_or(u8::MAX, |i| i as u8)
    };
    let from = n.needs.params().map(|p| p.map_or(u8::MAX, idx));
    Some(NeedPlan {
        ptr: ptr as u8,
        needs: n.needs,
        from,
        nullable: n.nullable,
        name: n.param,
    })
}

/// A font loader's parameters resolved to argument indices (`u8::MAX`: none; raylib's own
/// value).
#[derive(Clone, Debug)]
pub(crate) struct FontPlan {
    pub(crate) loader: &'static crate::registry::font_loaders::FontLoader,
    /// The path, or the bytes (an `Array` of bytes) and their `Count`.
    pub(crate) path: u8,
    pub(crate) data: u8,
    pub(crate) data_size: u8,
    pub(crate) file_type: u8,
    pub(crate) font_size: u8,
    /// An `Array` of ints and its `Count`.
    pub(crate) codepoints: u8,
    pub(crate) count: u8,
    pub(crate) kind: u8,
}

/// The font plan of `f`, if it is a font loader; refused unless its arrays were converted as
/// `Array` + `Count` (whose lengths the executor checked), which the check reads.
fn font_plan(f: &FuncDecl, args: &[Arg]) -> Result<Option<FontPlan>, Unsupported> {
    use crate::registry::font_loaders::{for_function, Source};
    let Some(loader) = for_function(&f.name) else {
        return Ok(None);
    };
    let idx = |name: Option<&str>| {
        name.and_then(|n| f.params.iter().position(|p| p.name == n))
            .map_or(u8::MAX, |i| i as u8)
    };
    let array = |a: u8, count: u8, size: u32| {
        let ok = matches!(args.get(a as usize).map(|x| &x.kind), Some(ArgKind::Array { elem_size, .. }) if *elem_size == size)
            && matches!(args.get(count as usize).map(|x| &x.kind), Some(ArgKind::Count { of, .. }) if *of == a);
        if ok {
            Ok(())
        } else {
            Err(Unsupported::Parameter(format!(
                "{}: the font check needs its arrays with their counts",
                f.name
            )))
        }
    };
    let (path, file_type, data, data_size) = match loader.source {
        Source::File(p) => (idx(Some(p)), u8::MAX, u8::MAX, u8::MAX),
        Source::Memory {
            file_type,
            data,
            size,
        } => (u8::MAX, idx(file_type), idx(Some(data)), idx(Some(size))),
    };
    if data != u8::MAX {
        array(data, data_size, 1)?;
    }
    let (codepoints, count) = (
        idx(loader.codepoints.map(|c| c.0)),
        idx(loader.codepoints.map(|c| c.1)),
    );
    if codepoints != u8::MAX {
        array(codepoints, count, 4)?;
    }
    Ok(Some(FontPlan {
        loader,
        path,
        data,
        data_size,
        file_type,
        font_size: idx(loader.size),
        codepoints,
        count,
        kind: idx(loader.kind),
    }))
}

/// The arguments of a function drawing a text into an image (indices into the plan's
/// arguments; `u8::MAX`: none, raylib's default font or spacing).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TextImage {
    pub(crate) text: u8,
    pub(crate) size: u8,
    pub(crate) font: u8,
    pub(crate) spacing: u8,
}

/// Most vouched arguments one function has.
pub(crate) const MAX_VOUCHED: usize = 4;

/// Functions that take over the memory of a struct they are given by value: the caller's
/// value is no longer its own (`LoadModelFromMesh`: the model unloads the mesh).
const HANDS_OVER: &[&str] = &["LoadModelFromMesh"];

/// The arguments and return of one function for one call shape.
#[derive(Clone, Debug)]
pub(crate) struct ArgPlan {
    pub(crate) args: Box<[Arg]>,
    pub(crate) ret: Ret,
    /// Arguments whose struct values must be ones raylib made (`vouch`).
    pub(crate) vouch: Box<[VouchArg]>,
    /// Whether the returned struct is recorded as made by raylib.
    pub(crate) ret_vouch: bool,
    /// Where the length of returned memory comes from, recorded for array counts and the
    /// `Unload*` that frees it.
    pub(crate) ret_len: Option<super::ret_len::RetLen>,
    /// Every number and float struct field must be finite and within this
    /// (`preconditions::coordinate_bound`), with why.
    pub(crate) coord_bound: Option<(f64, &'static str)>,
    /// A rectangle argument that must lie within an image argument (indices into `args`).
    pub(crate) rect_in_image: Option<(u8, u8)>,
    /// A `const void *` argument C reads a computed number of bytes through
    /// (`registry::byte_needs`).
    pub(crate) needs: Option<NeedPlan>,
    /// A text and a font size whose image raylib allocates (`preconditions::TEXT_IMAGES`).
    pub(crate) text_image: Option<TextImage>,
    /// A font loader whose TrueType bytes are checked before the call
    /// (`registry::font_loaders`).
    pub(crate) font: Option<FontPlan>,
    /// A text function whose result must fit, or whose reads stay in its text
    /// (`preconditions::TEXT_FITS`).
    pub(crate) text_fit: Option<crate::registry::preconditions::TextFit>,
    /// An array count that must not be 0, with why (`preconditions::NON_EMPTY`).
    pub(crate) non_empty: Option<&'static str>,
    /// The most an array count may be, with why (`preconditions::COUNT_BOUNDS`).
    pub(crate) count_bound: Option<(u64, &'static str)>,
    /// What the function does with automation events (`automation`).
    pub(crate) automation: Option<super::automation::Automation>,
    /// The image argument of `ImageRotate`, whose rotated size is checked (`image_rotate`).
    pub(crate) rotates: Option<u8>,
    /// Whether any argument needs scratch bookkeeping.
    pub(crate) scratch: bool,
    /// Whether a successful call frees the memory behind its `Owned` arguments.
    pub(crate) frees: bool,
    /// Words of its call frame ([`REG_FRAME`] or [`FULL_FRAME`]).
    pub(crate) frame: usize,
}

/// Builds the argument descriptions of `f` for `shape`, taking each type's layout from
/// `layout` (the registry's, computed once; or the naive path's, recomputed by name).
/// `registers_only`: the shape is called by a register invoker (a frame of registers only).
pub(crate) fn build(
    ctx: &Ctx,
    f: &FuncDecl,
    sem: &Semantics,
    shape: &CallShape,
    registers_only: bool,
    layout: &dyn Fn(&Registry, &CType) -> Layout,
) -> Result<ArgPlan, Unsupported> {
    let reg = &ctx.registry;
    let frame = if registers_only {
        REG_FRAME
    } else {
        FULL_FRAME
    };
    let sink = (frame - 1) as u8;
    if f.params.len() > MAX_PARAMS {
        return Err(Unsupported::Parameter("too many parameters".into()));
    }
    let mut lua = 0;
    let mut args = Vec::with_capacity(f.params.len());
    for (i, (kind, loc)) in sem.params.iter().zip(&shape.args).enumerate() {
        let (slot, slot2) = match loc {
            ArgLoc::Regs { parts, n: 2 } => (parts[0].slot, parts[1].slot),
            _ => (loc.first_slot() as u8, sink),
        };
        if slot as usize >= frame - 1 {
            return Err(Unsupported::Parameter("too many arguments".into()));
        }
        let struct_size = |id: usize| layout(reg, &CType::Struct(id)).size as u32;
        let kind = match kind {
            ParamKind::Scalar(Prim::Float) => ArgKind::Float,
            ParamKind::Scalar(Prim::Double) => ArgKind::Double,
            ParamKind::Scalar(Prim::Bool) => ArgKind::Bool,
            ParamKind::Scalar(Prim::Void) => {
                return Err(Unsupported::Parameter(f.params[i].name.clone()))
            }
            ParamKind::Scalar(p) => ArgKind::Int(*p),
            ParamKind::Checked { prim, rule, reason } => ArgKind::Checked {
                prim: *prim,
                rule: *rule,
                reason,
                param: i as u8,
                len_arg: match rule {
                    crate::registry::preconditions::Rule::AtMostLenOf(k)
                    | crate::registry::preconditions::Rule::InFields { of: k, .. }
                    | crate::registry::preconditions::Rule::Offset { of: k, .. } => {
                        args.get(*k).map_or(0, |a: &Arg| a.lua)
                    }
                    _ => 0,
                },
            },
            ParamKind::Struct(id) => match loc {
                ArgLoc::Regs { .. } => ArgKind::StructRegs {
                    sid: *id as u32,
                    size: struct_size(*id),
                },
                ArgLoc::Memory { .. } => ArgKind::StructWords {
                    sid: *id as u32,
                    size: struct_size(*id),
                },
            },
            ParamKind::CString => ArgKind::CString,
            ParamKind::StringNilEmpty => ArgKind::StringNilEmpty,
            ParamKind::Url => ArgKind::Url,
            ParamKind::StringNotNull => ArgKind::FileName {
                nullable: false,
                must_exist: false,
                max_len: 0,
                opened: false,
            },
            ParamKind::FileName {
                nullable,
                must_exist,
            } => ArgKind::FileName {
                nullable: *nullable,
                must_exist: *must_exist,
                max_len: crate::registry::preconditions::max_path_len(&f.name),
                opened: !crate::registry::semantics::PATH_STRING_ONLY.contains(&f.name.as_str()),
            },
            ParamKind::StructRef(id) => ArgKind::StructRef {
                sid: *id as u32,
                tag: ctx.tag_of(&CType::Struct(*id)),
            },
            ParamKind::Pointer { to, writable } => ArgKind::Pointer {
                tag: ctx.tag_of(to),
                writable: *writable,
                pointee: match to {
                    CType::Struct(id) => *id as u32,
                    _ => u32::MAX,
                },
            },
            ParamKind::Owned(to) => ArgKind::Owned {
                tag: ctx.tag_of(to),
                counted: match sem.params.get(i + 1) {
                    Some(ParamKind::Count { of, .. }) if *of == i => {
                        layout(reg, to).size.max(1) as u32
                    }
                    _ => 0,
                },
            },
            ParamKind::Array { elem, .. } => ArgKind::Array {
                elem: match elem {
                    // Arrays of C strings (`TextJoin`): each element a Lua string.
                    CType::Pointer { to, .. } if **to == CType::Prim(Prim::Char) => {
                        FieldKind::Pointer(u32::MAX)
                    }
                    other => super::structs::field_kind(reg, other, &mut |t| ctx.tag_of(t)),
                },
                elem_size: layout(reg, elem).size as u32,
                elem_tag: ctx.tag_of(elem),
                nil_count: if crate::registry::semantics::NULL_ARRAY_WITH_COUNT
                    .contains(&(f.name.as_str(), f.params[i].name.as_str()))
                {
                    crate::registry::semantics::MAX_DEFAULT_CODEPOINTS
                } else {
                    0
                },
            },
            ParamKind::Count { of, prim } => {
                if *of >= i {
                    // The array must be converted first, so its length is known.
                    return Err(Unsupported::Parameter(f.params[i].name.clone()));
                }
                ArgKind::Count {
                    of: *of as u8,
                    prim: *prim,
                }
            }
            ParamKind::Out(ty) => ArgKind::Out {
                size: layout(reg, ty).size as u32,
                conv: out_conv(ctx, ty, &struct_size)
                    .ok_or_else(|| Unsupported::Parameter(f.params[i].name.clone()))?,
                tag: ctx.tag_of(ty),
            },
            ParamKind::InOut(ty) => ArgKind::InOut {
                elem: super::structs::field_kind(reg, ty, &mut |t| ctx.tag_of(t)),
                size: layout(reg, ty).size as u32,
                conv: out_conv(ctx, ty, &struct_size)
                    .ok_or_else(|| Unsupported::Parameter(f.params[i].name.clone()))?,
                tag: ctx.tag_of(ty),
            },
            ParamKind::Text(size) => ArgKind::Text {
                fixed: match size {
                    crate::registry::in_out::TextSize::Fixed(n) => *n as u32,
                    crate::registry::in_out::TextSize::Param(_) => 0,
                },
            },
            ParamKind::TextSize { of } => ArgKind::TextSize { of: *of as u8 },
        };
        let is_out = matches!(kind, ArgKind::Out { .. });
        if !is_out {
            lua += 1;
        }
        args.push(Arg {
            kind,
            lua: if is_out { 0 } else { lua },
            slot,
            slot2,
        });
    }
    // Trailing out-parameters may be given, as in C (`CheckCollisionLines(a, b, c, d,
    // point)`, `LoadFileData(name, size)`): they take the Lua positions after the others.
    let trailing = args
        .iter()
        .rev()
        .take_while(|a| matches!(a.kind, ArgKind::Out { .. }))
        .count();
    let first = args.len() - trailing;
    for (k, a) in args[first..].iter_mut().enumerate() {
        a.lua = lua + 1 + k as c_int;
    }
    let ret = match (&sem.ret, shape.ret) {
        (ReturnKind::Void, _) => Ret::Void,
        (ReturnKind::Scalar(p), _) => Ret::Scalar(*p),
        (ReturnKind::Struct(id), RetLoc::Regs(_)) => Ret::StructRegs {
            sid: *id as u32,
            size: layout(reg, &CType::Struct(*id)).size as u32,
        },
        (ReturnKind::Struct(id), RetLoc::Memory) => Ret::StructMem {
            sid: *id as u32,
            size: layout(reg, &CType::Struct(*id)).size as u32,
        },
        (ReturnKind::CString, _) => Ret::CString,
        (ReturnKind::Pointer { to, owned }, _) => Ret::Pointer {
            tag: ctx.tag_of(to),
            owned: *owned,
        },
    };
    let frees = crate::registry::semantics::frees_its_pointers(&f.name);
    // An `Unload*` taking a struct by value also has after-call work: the struct value it
    // was given is zeroed, so a second unload frees nothing.
    let unloads_struct = frees
        && args.iter().any(|a| {
            matches!(
                a.kind,
                ArgKind::StructRegs { .. } | ArgKind::StructWords { .. }
            )
        });
    let zero_ok =
        f.name.starts_with("Unload") || (f.name.starts_with("Is") && f.name.ends_with("Valid"));
    let described = |sid: u32| ctx.structs[sid as usize].describing.is_some();
    let mut vouch = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let (sid, after) = match a.kind {
            ArgKind::StructRegs { sid, .. } | ArgKind::StructWords { sid, .. } => (
                sid,
                if frees || HANDS_OVER.contains(&f.name.as_str()) {
                    After::Forget
                } else {
                    After::Keep
                },
            ),
            ArgKind::StructRef { sid, .. } => (sid, After::Rekey),
            _ => continue,
        };
        let gpu_handle =
            super::vouch::GPU_HANDLES.contains(&ctx.structs[sid as usize].name.as_str());
        if described(sid) && !(gpu_handle && f.name.starts_with("Draw")) {
            vouch.push(VouchArg {
                arg: i as u8,
                sid,
                zero_ok,
                after,
            });
        }
    }
    if vouch.len() > MAX_VOUCHED {
        return Err(Unsupported::Parameter("too many struct arguments".into()));
    }
    let ret_vouch =
        matches!(ret, Ret::StructRegs { sid, .. } | Ret::StructMem { sid, .. } if described(sid));
    let ret_len = match &ret {
        Ret::Pointer { tag, .. } => {
            super::ret_len::resolve(reg, f, &args, layout(reg, &ctx.pointer_type(*tag)))?
        }
        _ => None,
    };
    let coord_bound = crate::registry::preconditions::coordinate_bound(&f.name);
    let needs = need_plan(f);
    let index_of = |name: &str| {
        f.params
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as u8)
    };
    let text_image = crate::registry::preconditions::TEXT_IMAGES
        .iter()
        .find(|(name, _, _)| *name == f.name)
        .and_then(|&(_, t, s)| index_of(t).zip(index_of(s)))
        .map(|(text, size)| TextImage {
            text,
            size,
            font: index_of("font").unwrap_or(u8::MAX),
            spacing: index_of("spacing").unwrap_or(u8::MAX),
        });
    let text_fit = crate::registry::preconditions::TEXT_FITS
        .iter()
        .find(|(name, _, _)| *name == f.name)
        .map(|&(_, fit, _)| fit);
    let count_bound = crate::registry::preconditions::COUNT_BOUNDS
        .iter()
        .find(|(name, _, _)| *name == f.name)
        .map(|&(_, most, why)| (most, why));
    let non_empty = crate::registry::preconditions::NON_EMPTY
        .iter()
        .find(|(name, _)| *name == f.name)
        .map(|&(_, why)| why);
    let automation = super::automation::for_function(&f.name);
    let rotates = super::image_rotate::for_function(&f.name);
    let font = font_plan(f, &args)?;
    let rect_in_image = crate::registry::preconditions::RECT_IN_IMAGE
        .iter()
        .find(|(name, _, _)| *name == f.name)
        .map(|&(_, r, i)| (r as u8, i as u8));
    let scratch = unloads_struct
        || args.iter().any(|a| a.kind.needs_scratch())
        || !vouch.is_empty()
        || ret_vouch
        || ret_len.is_some()
        || coord_bound.is_some()
        || rect_in_image.is_some()
        || needs.is_some()
        || text_image.is_some()
        || text_fit.is_some()
        || non_empty.is_some()
        || count_bound.is_some()
        || font.is_some()
        || automation.is_some()
        || rotates.is_some();
    Ok(ArgPlan {
        args: args.into_boxed_slice(),
        ret,
        vouch: vouch.into_boxed_slice(),
        ret_vouch,
        ret_len,
        coord_bound,
        rect_in_image,
        needs,
        text_image,
        font,
        text_fit,
        non_empty,
        count_bound,
        automation,
        rotates,
        scratch,
        frees,
        frame,
    })
}

/// The planned path's layouts: computed once, when the registry was built.
pub(crate) fn planned_layout(reg: &Registry, ty: &CType) -> Layout {
    reg.layout_of(ty)
}

/// The naive path's layouts: the struct looked up by its type name and its fields placed
/// again, every time (what a binding without plans does on each call).
pub(crate) fn layout_by_name(reg: &Registry, ty: &CType) -> Layout {
    use crate::registry::layout::place_fields;
    match ty {
        CType::Struct(id) => {
            let name = reg.type_name(ty);
            let id = reg.struct_id(&name).unwrap_or(*id);
            let types: Vec<CType> = reg.structs[id]
                .fields
                .iter()
                .map(|f| f.ty.clone())
                .collect();
            for t in &types {
                layout_by_name(reg, t);
            }
            place_fields(reg, &types).1
        }
        CType::Array { of, len } => {
            let inner = layout_by_name(reg, of);
            Layout {
                size: inner.size * len,
                align: inner.align,
            }
        }
        other => reg.layout_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{call_shape, ffi_shape, FLOAT_BASE, MEMORY_BASE};
    use crate::registry::semantics::classify;

    fn bindings() -> crate::marshal::Bindings {
        let lib =
            crate::runtime::libraries::load(crate::runtime::libraries::Backend::Headless, None)
                .expect("the headless libraylib loads");
        let lua = Box::leak(Box::new(mlua::Lua::new()));
        crate::marshal::bind(lua, Registry::raylib(), lib)
    }

    /// The argument plan of `name` for its direct call shape (or libffi's with `ffi`).
    fn plan_of(ctx: &Ctx, name: &str, ffi: bool) -> ArgPlan {
        let reg = &ctx.registry;
        let f = reg.function(name).unwrap();
        let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        let shape = if ffi {
            ffi_shape(reg, &types, &f.ret).unwrap()
        } else {
            call_shape(reg, &types, &f.ret).unwrap()
        };
        let regs = !ffi && shape.words == 0 && shape.ret != RetLoc::Memory;
        let sem = classify(reg, f).unwrap();
        build(ctx, f, &sem, &shape, regs, &planned_layout).unwrap()
    }

    fn kinds_and_slots(p: &ArgPlan) -> Vec<(ArgKind, c_int, u8)> {
        p.args
            .iter()
            .map(|a| (a.kind.clone(), a.lua, a.slot))
            .collect()
    }

    #[test]
    fn each_parameter_kind_gets_its_slot() {
        let b = bindings();
        let ctx = b.ctx;
        let sid = |n: &str| ctx.registry.struct_id(n).unwrap() as u32;
        let f = FLOAT_BASE as u8;
        // Vector2 in xmm0, float in xmm1, Color in rdi: a register frame.
        let p = plan_of(ctx, "DrawCircleV", false);
        assert_eq!(
            kinds_and_slots(&p),
            vec![
                (
                    ArgKind::StructRegs {
                        sid: sid("Vector2"),
                        size: 8
                    },
                    1,
                    f
                ),
                (ArgKind::Float, 2, f + 1),
                (
                    ArgKind::StructRegs {
                        sid: sid("Color"),
                        size: 4
                    },
                    3,
                    0
                ),
            ]
        );
        assert_eq!(
            (p.frame, p.scratch, p.ret.clone()),
            (REG_FRAME, false, Ret::Void)
        );
        // One-register structs put their (empty) second word in the frame's sink.
        assert_eq!(p.args[0].slot2 as usize, REG_FRAME - 1);
        // Rectangle: two SSE registers each.
        let p = plan_of(ctx, "CheckCollisionRecs", false);
        assert_eq!((p.args[0].slot, p.args[0].slot2), (f, f + 1));
        assert_eq!((p.args[1].slot, p.args[1].slot2), (f + 2, f + 3));
        assert_eq!(p.ret, Ret::Scalar(Prim::Bool));
        // Texture2D in memory words, then ints and the Color in registers.
        let s = MEMORY_BASE as u8;
        let p = plan_of(ctx, "DrawTexture", false);
        assert_eq!(
            kinds_and_slots(&p),
            vec![
                (
                    ArgKind::StructWords {
                        sid: sid("Texture"),
                        size: 20
                    },
                    1,
                    s
                ),
                (ArgKind::Int(Prim::Int), 2, 0),
                (ArgKind::Int(Prim::Int), 3, 1),
                (
                    ArgKind::StructRegs {
                        sid: sid("Color"),
                        size: 4
                    },
                    4,
                    2
                ),
            ]
        );
        assert_eq!(p.frame, FULL_FRAME);
        // A memory return: written into the new struct value; arguments after rdi.
        let p = plan_of(ctx, "MatrixMultiply", false);
        assert_eq!(
            p.ret,
            Ret::StructMem {
                sid: sid("Matrix"),
                size: 64
            }
        );
        assert_eq!((p.args[0].slot, p.args[1].slot), (s, s + 8));
        // An array with its count, and a trailing out-parameter (a result, which may also be
        // given as the next Lua argument).
        let p = plan_of(ctx, "DrawTriangleFan", false);
        assert!(p.scratch);
        assert!(matches!(
            p.args[0].kind,
            ArgKind::Array { elem_size: 8, .. }
        ));
        assert_eq!(
            p.args[1].kind,
            ArgKind::Count {
                of: 0,
                prim: Prim::Int
            }
        );
        let p = plan_of(ctx, "LoadFileData", false);
        assert_eq!(
            kinds_and_slots(&p),
            vec![
                (
                    ArgKind::FileName {
                        nullable: false,
                        must_exist: true,
                        max_len: 4095,
                        opened: true
                    },
                    1,
                    0
                ),
                (
                    ArgKind::Out {
                        size: 4,
                        conv: OutConv::Scalar(Prim::Int),
                        tag: ctx.tag_of(&CType::Prim(Prim::Int))
                    },
                    2,
                    1
                ),
            ]
        );
        // Pointers: a struct by reference, and one C frees.
        let p = plan_of(ctx, "ImageResize", false);
        assert!(matches!(p.args[0].kind, ArgKind::StructRef { sid: s, .. } if s == sid("Image")));
        let p = plan_of(ctx, "MemFree", false);
        assert!(matches!(p.args[0].kind, ArgKind::Owned { .. }));
    }

    #[test]
    fn libffi_plans_give_every_argument_words_of_its_own() {
        let b = bindings();
        let s = MEMORY_BASE as u8;
        let p = plan_of(b.ctx, "DrawCircleV", true);
        let slots: Vec<u8> = p.args.iter().map(|a| a.slot).collect();
        assert_eq!(slots, vec![s, s + 1, s + 2]);
        assert!(matches!(
            p.args[0].kind,
            ArgKind::StructWords { size: 8, .. }
        ));
        assert_eq!(p.frame, FULL_FRAME);
        // A Vector3 return through libffi comes back in its two-word buffer.
        let p = plan_of(b.ctx, "Vector3Add", true);
        assert!(matches!(p.ret, Ret::StructRegs { size: 12, .. }));
    }
}
