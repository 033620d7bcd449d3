//! Call plans: everything about a function decided once, when it is registered: one
//! converter per parameter (specialised to its C type, slot offset and size), the libffi CIF,
//! the return reader. A call walks the converters in order; it looks nothing up by name,
//! computes no layout, and allocates only from the frame arena.

use std::cell::Cell;
use std::ffi::{c_int, c_void};

use crate::arena::CallScope;
use crate::ffi::cif::{BoundFunction, RetBuf, RET_BUF_SIZE};
use crate::ffi::library::FnPtr;
use crate::ffi::lua_stack::{LuaHandler, LuaType, Stack};
use crate::ffi::memory::{c_string_at, CMem};
use crate::registry::semantics::{classify, ParamKind, ReturnKind, Unsupported};
use crate::registry::{CType, FuncDecl, Prim};

use super::scalar::{read_scalar, write_scalar, ScalarError};
use super::structs::{describe, scalar_expected, struct_into, write_field, FieldKind};
use super::Ctx;

/// Most parameters any registered function has (raylib's widest takes 8).
pub const MAX_PARAMS: usize = 16;

/// One parameter's converter, with everything it needs fixed at plan time.
#[derive(Clone, Debug)]
enum ArgConv {
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
}

#[derive(Clone, Debug)]
enum RetConv {
    Void,
    Scalar(Prim),
    Struct { sid: u32, size: usize },
    CString,
    Pointer { tag: u32 },
}

/// How an out-parameter's value comes back to Lua.
#[derive(Clone, Debug)]
enum OutConv {
    Scalar(Prim),
    Struct { sid: u32, size: usize },
    Pointer { tag: u32 },
}

#[derive(Debug)]
struct Param {
    conv: ArgConv,
    /// Position among the Lua arguments (1-based); 0 for out-parameters.
    lua_arg: c_int,
    /// Offset of this parameter's 8-byte slot in the per-call block.
    slot: usize,
    /// For out-parameters: where C writes the value, inside the block.
    out_offset: usize,
    out_conv: Option<OutConv>,
}

pub struct CallPlan {
    ctx: &'static Ctx,
    pub name: String,
    func: BoundFunction,
    params: Vec<Param>,
    ret: RetConv,
    /// Bytes of per-call scratch: one 8-byte slot per parameter, then out-parameter buffers.
    block_size: usize,
    /// Refuse the call unless a window is open (raylib would crash without one).
    needs_window: bool,
    /// `InitWindow` / `CloseWindow` change whether a window is open.
    window_effect: WindowEffect,
    pub calls: Cell<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WindowEffect {
    None,
    Opens,
    Closes,
}

impl CallPlan {
    /// Builds the plan for `f`, resolved at `fun`. Fails for functions Lua cannot call.
    pub fn new(ctx: &'static Ctx, f: &FuncDecl, fun: FnPtr) -> Result<CallPlan, Unsupported> {
        let reg = &ctx.registry;
        let sem = classify(reg, f)?;
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
                    let l = reg.structs[*id].layout;
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
                    let l = reg.layout_of(elem);
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
                    let l = reg.layout_of(ty);
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
                size: reg.structs[*id].layout.size,
            },
            ReturnKind::CString => RetConv::CString,
            ReturnKind::Pointer(to) => RetConv::Pointer {
                tag: ctx.tag_of(to),
            },
        };
        let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        Ok(CallPlan {
            ctx,
            name: f.name.clone(),
            func: BoundFunction::new(reg, fun, &types, &f.ret),
            params,
            ret,
            block_size: block.max(8),
            needs_window: crate::registry::semantics::needs_window(f),
            window_effect: match f.name.as_str() {
                "InitWindow" => WindowEffect::Opens,
                "CloseWindow" => WindowEffect::Closes,
                _ => WindowEffect::None,
            },
            calls: Cell::new(0),
        })
    }

    fn arg_error(&self, st: &Stack, arg: c_int, msg: impl std::fmt::Display) -> String {
        let _ = st;
        format!("bad argument #{arg} to '{}' ({msg})", self.name)
    }

    fn type_error(&self, st: &Stack, arg: c_int, expected: &str) -> String {
        let got = if arg > st.top() {
            "no value".to_string()
        } else {
            describe(self.ctx, st, arg)
        };
        self.arg_error(st, arg, format!("{expected} expected, got {got}"))
    }

    /// Converts the Lua arguments, calls C, pushes the results. Every temporary comes from
    /// the frame arena and is released (by the scope) before returning.
    fn invoke(&self, st: &mut Stack) -> Result<c_int, String> {
        let ctx = self.ctx;
        if self.needs_window && !ctx.window_open.get() {
            return Err(format!(
                "{} needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)",
                self.name
            ));
        }
        let scope = CallScope::enter();
        let block = CMem::from_arena(scope.alloc(self.block_size, 16), self.block_size);
        let mut args: [*mut c_void; MAX_PARAMS] = [std::ptr::null_mut(); MAX_PARAMS];
        // Lengths of array arguments, for their count parameters.
        let mut lens: [usize; MAX_PARAMS] = [0; MAX_PARAMS];
        for (i, p) in self.params.iter().enumerate() {
            let a = p.lua_arg;
            let slot = block.slice(p.slot, 8);
            args[i] = slot.as_ptr().cast();
            match &p.conv {
                ArgConv::Scalar(prim) => {
                    write_scalar(st, a, *prim, slot, 0).map_err(|e| match e {
                        ScalarError::Type => self.type_error(st, a, scalar_expected(*prim)),
                        other => self.arg_error(st, a, other),
                    })?;
                }
                ArgConv::Struct { sid, size, align } => match st.struct_at(a) {
                    Some(s) if s.ty == *sid => args[i] = s.mem.as_ptr().cast(),
                    Some(_) => {
                        return Err(self.type_error(st, a, &ctx.structs[*sid as usize].name))
                    }
                    None => {
                        if st.type_of(a) != LuaType::Table {
                            return Err(self.type_error(st, a, &ctx.structs[*sid as usize].name));
                        }
                        let buf = CMem::from_arena(scope.alloc(*size, *align), *size);
                        struct_into(ctx, st, a, *sid, buf, false)
                            .map_err(|e| self.arg_error(st, a, e))?;
                        args[i] = buf.as_ptr().cast();
                    }
                },
                ArgConv::CString => {
                    let p = match st.type_of(a) {
                        LuaType::Nil | LuaType::None => 0,
                        LuaType::String => st.string(a).map_or(0, |m| m.as_ptr() as usize),
                        LuaType::Number => {
                            st.number_as_string(a).map_or(0, |m| m.as_ptr() as usize)
                        }
                        _ => return Err(self.type_error(st, a, "string")),
                    };
                    slot.write::<usize>(0, p);
                }
                ArgConv::StructRef { sid, tag } => {
                    let p = match (st.struct_at(a), st.pointer_at(a)) {
                        (Some(s), _) if s.ty == *sid => s.mem.as_ptr() as usize,
                        (_, Some((t, p))) if t == *tag => p as usize,
                        _ if matches!(st.type_of(a), LuaType::Nil | LuaType::None) => 0,
                        _ => return Err(self.type_error(st, a, &ctx.structs[*sid as usize].name)),
                    };
                    slot.write::<usize>(0, p);
                }
                ArgConv::Array {
                    elem,
                    elem_size,
                    align,
                    elem_tag,
                } => {
                    let (ptr, len) =
                        self.array_arg(st, &scope, a, elem, *elem_size, *align, *elem_tag)?;
                    slot.write::<usize>(0, ptr);
                    lens[i] = len;
                }
                ArgConv::Count { of, prim } => {
                    let available = lens[*of];
                    let n = match st.type_of(a) {
                        LuaType::Nil | LuaType::None if available != usize::MAX => {
                            available as i128
                        }
                        LuaType::Nil | LuaType::None => {
                            return Err(self.arg_error(st, a, "count expected with a pointer"))
                        }
                        _ => super::scalar::to_c_integer(st, a, *prim).map_err(|e| match e {
                            ScalarError::Type => self.type_error(st, a, "number"),
                            other => self.arg_error(st, a, other),
                        })?,
                    };
                    if n < 0 || (available != usize::MAX && n as usize > available) {
                        return Err(self.arg_error(
                            st,
                            a,
                            format!("count {n} outside the array's {available} elements"),
                        ));
                    }
                    slot.write::<u32>(0, n as u32);
                }
                ArgConv::Out { size, .. } => {
                    let out = block.slice(p.out_offset, (*size).max(8));
                    out.fill_zero();
                    slot.write::<usize>(0, out.as_ptr() as usize);
                }
                ArgConv::Pointer { tag } => {
                    let p = if let Some(s) = st.struct_at(a) {
                        s.mem.as_ptr() as usize
                    } else if let Some((t, p)) = st.pointer_at(a) {
                        if *tag != 0 && t != *tag && t != 0 {
                            return Err(self.type_error(st, a, &self.pointer_name(*tag)));
                        }
                        p as usize
                    } else {
                        match st.type_of(a) {
                            LuaType::Nil | LuaType::None => 0,
                            LuaType::String => st.string(a).map_or(0, |m| m.as_ptr() as usize),
                            _ => return Err(self.type_error(st, a, &self.pointer_name(*tag))),
                        }
                    };
                    slot.write::<usize>(0, p);
                }
            }
        }
        let mut ret = RetBuf::new();
        self.func.call(&mut args[..self.params.len()], &mut ret);
        self.calls.set(self.calls.get() + 1);
        match self.window_effect {
            WindowEffect::None => {}
            WindowEffect::Opens => ctx.window_open.set(ctx.is_window_ready()),
            WindowEffect::Closes => ctx.window_open.set(false),
        }
        let results = self.push_results(st, &ret, block);
        drop(scope);
        Ok(results)
    }

    fn pointer_name(&self, tag: u32) -> String {
        self.ctx.pointer_name(tag)
    }

    /// A Lua array (table), a string (bytes), a struct value (one element), a pointer value
    /// (length unknown: the count must be given), or nil.
    #[allow(clippy::too_many_arguments)]
    fn array_arg(
        &self,
        st: &mut Stack,
        scope: &CallScope,
        a: c_int,
        elem: &FieldKind,
        elem_size: usize,
        align: usize,
        elem_tag: u32,
    ) -> Result<(usize, usize), String> {
        let ctx = self.ctx;
        match st.type_of(a) {
            LuaType::Nil | LuaType::None => Ok((0, 0)),
            LuaType::String if elem_size == 1 => {
                let s = st.string(a).expect("checked string");
                Ok((s.as_ptr() as usize, s.len() - 1))
            }
            LuaType::Table => {
                let n = st.raw_len(a);
                let buf = CMem::from_arena(scope.alloc(n * elem_size, align.max(1)), n * elem_size);
                if !st.ensure(2) {
                    return Err(self.arg_error(st, a, "stack overflow"));
                }
                for i in 0..n {
                    st.raw_get_index(a, i as i64 + 1);
                    let dst = buf.slice(i * elem_size, elem_size);
                    let r = if let FieldKind::Pointer(u32::MAX) = elem {
                        // An array of C strings: pointers into the table's own strings,
                        // which the table keeps alive for the call.
                        match st.string(-1) {
                            Some(s) => {
                                dst.write::<usize>(0, s.as_ptr() as usize);
                                Ok(())
                            }
                            None => Err(format!("string expected, got {}", describe(ctx, st, -1))),
                        }
                    } else {
                        write_field(ctx, st, -1, elem, dst)
                    };
                    st.pop(1);
                    r.map_err(|e| self.arg_error(st, a, format!("element {}: {e}", i + 1)))?;
                }
                Ok((buf.as_ptr() as usize, n))
            }
            _ => {
                if let Some(s) = st.struct_at(a) {
                    if let FieldKind::Struct(sid) = elem {
                        if s.ty == *sid {
                            return Ok((s.mem.as_ptr() as usize, 1));
                        }
                    }
                }
                if let Some((t, p)) = st.pointer_at(a) {
                    if t == elem_tag || t == 0 {
                        return Ok((p as usize, usize::MAX));
                    }
                }
                Err(self.type_error(st, a, "table"))
            }
        }
    }

    fn push_results(&self, st: &mut Stack, ret: &RetBuf, block: CMem) -> c_int {
        let ctx = self.ctx;
        let retmem = ret_mem(ret);
        let mut n = 0;
        match &self.ret {
            RetConv::Void => {}
            RetConv::Scalar(p) => {
                read_scalar(st, *p, retmem, 0);
                n += 1;
            }
            RetConv::Struct { sid, size } => {
                let mem = st.push_struct(*sid, *size, ctx.struct_mt);
                mem.copy_from(0, retmem.slice(0, *size));
                n += 1;
            }
            RetConv::CString => {
                match c_string_at(retmem.read::<usize>(0) as *const c_void) {
                    Some(bytes) => st.push_bytes(&bytes),
                    None => st.push_nil(),
                }
                n += 1;
            }
            RetConv::Pointer { tag } => {
                st.push_pointer(*tag, retmem.read::<usize>(0) as *mut c_void, ctx.pointer_mt);
                n += 1;
            }
        }
        for p in &self.params {
            let Some(out) = &p.out_conv else { continue };
            match out {
                OutConv::Scalar(prim) => read_scalar(st, *prim, block, p.out_offset),
                OutConv::Struct { sid, size } => {
                    let mem = st.push_struct(*sid, *size, ctx.struct_mt);
                    mem.copy_from(0, block.slice(p.out_offset, *size));
                }
                OutConv::Pointer { tag } => st.push_pointer(
                    *tag,
                    block.read::<usize>(p.out_offset) as *mut c_void,
                    ctx.pointer_mt,
                ),
            }
            n += 1;
        }
        n
    }
}

fn ret_mem(ret: &RetBuf) -> CMem {
    CMem::from_ret_buf(ret)
}

impl LuaHandler for CallPlan {
    fn call(&self, stack: &mut Stack) -> Result<c_int, String> {
        self.invoke(stack)
    }
}
