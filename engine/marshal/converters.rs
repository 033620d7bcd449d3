//! Converters: what each parameter and the return value of a function become, with every
//! size, offset and type decision made up front. Call plans build them once; the naive path
//! rebuilds them on every call, looking layouts up by type name.

use std::ffi::c_int;

use crate::ffi::cif::RET_BUF_SIZE;
use crate::registry::layout::{place_fields, Layout};
use crate::registry::semantics::{ParamKind, ReturnKind, Semantics, Unsupported};
use crate::registry::{CType, FuncDecl, Prim, Registry};

use super::structs::FieldKind;
use super::Ctx;

pub const MAX_PARAMS: usize = 16;

/// One parameter's converter, with everything it needs fixed at plan time.
#[derive(Clone, Debug)]
pub(crate) enum ArgConv {
    Scalar(Prim),
    /// By value: a struct value's own bytes are passed in place; a table is converted into an
    /// arena buffer of `size` bytes.
    Struct {
        sid: u32,
        size: usize,
        align: usize,
    },
    CString,
    StructRef {
        sid: u32,
        tag: u32,
    },
    Array {
        elem: FieldKind,
        elem_size: usize,
        align: usize,
        elem_tag: u32,
    },
    Count {
        of: usize,
        prim: Prim,
    },
    Out {
        size: usize,
    },
    Pointer {
        tag: u32,
    },
    /// A pointer C frees: pointer values only.
    Owned {
        tag: u32,
    },
}

#[derive(Clone, Debug)]
pub(crate) enum RetConv {
    Void,
    Scalar(Prim),
    Struct { sid: u32, size: usize },
    CString,
    Pointer { tag: u32 },
}

/// How an out-parameter's value comes back to Lua.
#[derive(Clone, Debug)]
pub(crate) enum OutConv {
    Scalar(Prim),
    Struct { sid: u32, size: usize },
    Pointer { tag: u32 },
}

#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) conv: ArgConv,
    /// Position among the Lua arguments (1-based); 0 for out-parameters.
    pub(crate) lua_arg: c_int,
    /// Offset of this parameter's 8-byte slot in the per-call block.
    pub(crate) slot: usize,
    /// For out-parameters: where C writes the value, inside the block.
    pub(crate) out_offset: usize,
    pub(crate) out_conv: Option<OutConv>,
}

/// Everything a call needs besides the function itself.
#[derive(Debug)]
pub(crate) struct Converters {
    pub(crate) params: Vec<Param>,
    pub(crate) ret: RetConv,
    /// Bytes of per-call scratch: one 8-byte slot per parameter, out-parameter buffers, then
    /// the return value's slot at `ret_offset`.
    pub(crate) block_size: usize,
    pub(crate) ret_offset: usize,
    pub(crate) ret_size: usize,
}

/// Builds the converters of `f`, taking each type's layout from `layout`.
pub(crate) fn build(
    ctx: &Ctx,
    f: &FuncDecl,
    sem: &Semantics,
    layout: &dyn Fn(&Registry, &CType) -> Layout,
) -> Result<Converters, Unsupported> {
    let reg = &ctx.registry;
    if f.params.len() > MAX_PARAMS || reg.layout_of(&f.ret).size > RET_BUF_SIZE {
        return Err(Unsupported::Parameter("too many or too large".into()));
    }
    let mut block = f.params.len() * 8;
    let mut lua_arg = 0;
    let mut params = Vec::with_capacity(f.params.len());
    for (i, kind) in sem.params.iter().enumerate() {
        let mut out_offset = 0;
        let mut out_conv = None;
        let conv = match kind {
            ParamKind::Scalar(p) => ArgConv::Scalar(*p),
            ParamKind::Struct(id) => {
                let l = layout(reg, &CType::Struct(*id));
                ArgConv::Struct {
                    sid: *id as u32,
                    size: l.size,
                    align: l.align,
                }
            }
            ParamKind::CString => ArgConv::CString,
            ParamKind::StructRef(id) => ArgConv::StructRef {
                sid: *id as u32,
                tag: ctx.tag_of(&CType::Struct(*id)),
            },
            ParamKind::Array { elem, .. } => {
                let l = layout(reg, elem);
                let elem_kind = match elem {
                    // Arrays of C strings (`TextJoin`): each element a Lua string.
                    CType::Pointer { to, .. } if **to == CType::Prim(Prim::Char) => {
                        FieldKind::Pointer(u32::MAX)
                    }
                    other => super::structs::field_kind(reg, other, &mut |t| ctx.tag_of(t)),
                };
                ArgConv::Array {
                    elem: elem_kind,
                    elem_size: l.size,
                    align: l.align,
                    elem_tag: ctx.tag_of(elem),
                }
            }
            ParamKind::Count { of, prim } => ArgConv::Count {
                of: *of,
                prim: *prim,
            },
            ParamKind::Out(ty) => {
                let l = layout(reg, ty);
                block = block.div_ceil(l.align.max(8)) * l.align.max(8);
                out_offset = block;
                block += l.size.max(8);
                out_conv = Some(match ty {
                    CType::Prim(p) => OutConv::Scalar(*p),
                    CType::Struct(id) => OutConv::Struct {
                        sid: *id as u32,
                        size: l.size,
                    },
                    CType::Pointer { to, .. } => OutConv::Pointer {
                        tag: ctx.tag_of(to),
                    },
                    _ => return Err(Unsupported::Parameter(f.params[i].name.clone())),
                });
                ArgConv::Out { size: l.size }
            }
            ParamKind::Owned(to) => ArgConv::Owned {
                tag: ctx.tag_of(to),
            },
            ParamKind::Pointer(to) => ArgConv::Pointer {
                tag: ctx.tag_of(to),
            },
        };
        let is_out = matches!(conv, ArgConv::Out { .. });
        if !is_out {
            lua_arg += 1;
        }
        params.push(Param {
            conv,
            lua_arg: if is_out { 0 } else { lua_arg },
            slot: i * 8,
            out_offset,
            out_conv,
        });
    }
    let ret = match &sem.ret {
        ReturnKind::Void => RetConv::Void,
        ReturnKind::Scalar(p) => RetConv::Scalar(*p),
        ReturnKind::Struct(id) => RetConv::Struct {
            sid: *id as u32,
            size: layout(reg, &CType::Struct(*id)).size,
        },
        ReturnKind::CString => RetConv::CString,
        ReturnKind::Pointer(to) => RetConv::Pointer {
            tag: ctx.tag_of(to),
        },
    };
    let ret_size = crate::ffi::cif::ret_slot_size(layout(reg, &f.ret).size);
    let ret_offset = block.div_ceil(16) * 16;
    Ok(Converters {
        params,
        ret,
        block_size: ret_offset + ret_size,
        ret_offset,
        ret_size,
    })
}

/// The planned path's layouts: computed once, when the registry was built.
pub(crate) fn planned_layout(reg: &Registry, ty: &CType) -> Layout {
    reg.layout_of(ty)
}

/// The naive path's layouts: the struct looked up by its type name and its fields placed
/// again, every time (what a binding without plans does on each call).
pub(crate) fn layout_by_name(reg: &Registry, ty: &CType) -> Layout {
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
