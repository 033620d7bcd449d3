//! One call: the Lua arguments converted by the function's converters into a scratch block,
//! C called (directly by register shape, or through libffi), the results pushed.

use std::ffi::{c_int, c_void};

use crate::arena::CallScope;
use crate::ffi::direct::{load_regs, Regs};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::{c_string_at, CMem};

use super::converters::{ArgConv, Converters, OutConv, RetConv, MAX_PARAMS};
use super::plan::CallPlan;
use super::scalar::{read_scalar, write_scalar, ScalarError};
use super::structs::{describe, scalar_expected, struct_into, write_field, FieldKind};

impl CallPlan {
    pub(super) fn arg_error(&self, st: &Stack, arg: c_int, msg: impl std::fmt::Display) -> String {
        let _ = st;
        format!("bad argument #{arg} to '{}' ({msg})", self.name)
    }

    pub(super) fn type_error(&self, st: &Stack, arg: c_int, expected: &str) -> String {
        let got = if arg > st.top() {
            "no value".to_string()
        } else {
            describe(self.ctx, st, arg)
        };
        self.arg_error(st, arg, format!("{expected} expected, got {got}"))
    }

    /// Converts the Lua arguments, calls C, pushes the results. Every temporary comes from
    /// the frame arena and is released (by the scope) before returning.
    pub(super) fn run(
        &self,
        st: &mut Stack,
        conv: &Converters,
        scope: &CallScope,
        direct: bool,
    ) -> Result<c_int, String> {
        let ctx = self.ctx;
        let block = CMem::from_arena(scope.alloc(conv.block_size, 16), conv.block_size);
        let mut args: [*mut c_void; MAX_PARAMS] = [std::ptr::null_mut(); MAX_PARAMS];
        // Lengths of array arguments, for their count parameters.
        let mut lens: [usize; MAX_PARAMS] = [0; MAX_PARAMS];
        for (i, p) in conv.params.iter().enumerate() {
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
                ArgConv::CString => slot.write::<usize>(0, self.cstring_arg(st, a)?),
                ArgConv::StructRef { sid, tag } => {
                    slot.write::<usize>(0, self.struct_ref_arg(st, a, *sid, *tag)?)
                }
                ArgConv::Array {
                    elem,
                    elem_size,
                    align,
                    elem_tag,
                } => {
                    let (ptr, len) =
                        self.array_arg(st, scope, a, elem, *elem_size, *align, *elem_tag)?;
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
                ArgConv::Pointer { tag } => slot.write::<usize>(0, self.pointer_arg(st, a, *tag)?),
                ArgConv::Owned { tag } => {
                    let p = self.owned_arg(st, a, *tag)?;
                    // Its count, if it has one, may not claim elements behind NULL; behind a
                    // pointer raylib returned, the length is raylib's to know.
                    lens[i] = if p == 0 { 0 } else { usize::MAX };
                    slot.write::<usize>(0, p)
                }
            }
        }
        let ret = block.slice(conv.ret_offset, conv.ret_size);
        ret.write::<u64>(0, 0);
        ret.write::<u64>(8, 0);
        match &self.direct {
            Some(d) if direct => {
                let mut regs = Regs::default();
                load_regs(&d.eightbytes, &args, &mut regs);
                let bits = (d.invoker)(self.func.fn_ptr(), &regs);
                ret.write(0, bits[0]);
                ret.write(8, bits[1]);
            }
            _ => self.func.call(&mut args[..conv.params.len()], ret),
        }
        self.after_call();
        let results = self.push_results(st, conv, ret, block);
        Ok(results)
    }

    /// `const char *`: a string (numbers converted as Lua does), nil is NULL. The pointer is
    /// into the Lua string, which stays on the stack for the call.
    #[inline]
    pub(super) fn cstring_arg(&self, st: &mut Stack, a: c_int) -> Result<usize, String> {
        Ok(match st.type_of(a) {
            LuaType::Nil | LuaType::None => 0,
            LuaType::String => st.string(a).map_or(0, |m| m.as_ptr() as usize),
            LuaType::Number => st.number_as_string(a).map_or(0, |m| m.as_ptr() as usize),
            _ => return Err(self.type_error(st, a, "string")),
        })
    }

    /// `T *`: a struct value's own bytes, a pointer value of that type, or nil.
    #[inline]
    pub(super) fn struct_ref_arg(
        &self,
        st: &Stack,
        a: c_int,
        sid: u32,
        tag: u32,
    ) -> Result<usize, String> {
        match (st.struct_at(a), st.pointer_at(a)) {
            (Some(s), _) if s.ty == sid => Ok(s.mem.as_ptr() as usize),
            (_, Some((t, p))) if t == tag => Ok(p as usize),
            _ if matches!(st.type_of(a), LuaType::Nil | LuaType::None) => Ok(0),
            _ => Err(self.type_error(st, a, &self.ctx.structs[sid as usize].name)),
        }
    }

    /// Any other pointer: a struct value's bytes, a pointer value (of the right pointee type
    /// unless either side is `void *`), a string's bytes, or nil.
    #[inline]
    pub(super) fn pointer_arg(&self, st: &Stack, a: c_int, tag: u32) -> Result<usize, String> {
        if let Some(s) = st.struct_at(a) {
            return Ok(s.mem.as_ptr() as usize);
        }
        if let Some((t, p)) = st.pointer_at(a) {
            if tag != 0 && t != tag && t != 0 {
                return Err(self.type_error(st, a, &self.pointer_name(tag)));
            }
            return Ok(p as usize);
        }
        match st.type_of(a) {
            LuaType::Nil | LuaType::None => Ok(0),
            LuaType::String => Ok(st.string(a).map_or(0, |m| m.as_ptr() as usize)),
            _ => Err(self.type_error(st, a, &self.pointer_name(tag))),
        }
    }

    /// A pointer C will free: only a pointer value raylib returned (of the right pointee type
    /// unless either side is `void *`), or nil.
    #[inline]
    pub(super) fn owned_arg(&self, st: &Stack, a: c_int, tag: u32) -> Result<usize, String> {
        match st.pointer_at(a) {
            Some((t, p)) if tag == 0 || t == tag || t == 0 => Ok(p as usize),
            None if matches!(st.type_of(a), LuaType::Nil | LuaType::None) => Ok(0),
            _ => Err(self.type_error(st, a, &self.pointer_name(tag))),
        }
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

    fn push_results(&self, st: &mut Stack, conv: &Converters, retmem: CMem, block: CMem) -> c_int {
        let ctx = self.ctx;
        let mut n = 0;
        match &conv.ret {
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
        for p in &conv.params {
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
