//! The register path: for a function whose call travels entirely in registers and whose
//! parameters need no scratch memory (scalars, structs by value, strings, pointers), each
//! converter reads its Lua argument straight into the register it will occupy, and the
//! direct invoker calls C. No scratch block, no argument-pointer array; the frame arena is
//! touched only when a plain table stands in for a struct.

use std::ffi::{c_int, c_void};

use crate::arena::CallScope;
use crate::ffi::direct::{invoker, Eightbyte, Invoker, Regs};
use crate::ffi::direct_stack::{stack_invoker, StackInvoker, StackRet, MAX_STACK_WORDS};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::{c_string_at, CMem};
use crate::registry::semantics::{ParamKind, Semantics};
use crate::registry::{CType, FuncDecl, Prim, Registry};

use super::converters::RetConv;
use super::plan::CallPlan;
use super::scalar::{to_c_integer, ScalarError};
use super::structs::{scalar_expected, struct_into};
use super::sysv::{stack_shape, ArgPlace};
use super::Ctx;

/// One eightbyte of a struct argument, into register `reg` of its class.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Part {
    sse: bool,
    reg: u8,
}

#[derive(Clone, Debug)]
pub(crate) enum FastArg {
    F32(u8),
    F64(u8),
    Int {
        prim: Prim,
        reg: u8,
    },
    Bool(u8),
    Struct {
        sid: u32,
        size: usize,
        align: usize,
        parts: [Part; 2],
        nparts: u8,
    },
    CString(u8),
    StructRef {
        sid: u32,
        tag: u32,
        reg: u8,
    },
    Pointer {
        tag: u32,
        reg: u8,
    },
    Owned {
        tag: u32,
        reg: u8,
    },
    /// A struct larger than 16 bytes: copied into stack words `first..first + words`.
    Memory {
        sid: u32,
        size: usize,
        align: usize,
        first: u8,
        words: u8,
    },
}

pub(crate) struct FastPath {
    args: Box<[FastArg]>,
    call: FastCall,
    ret: RetConv,
}

enum FastCall {
    /// Everything in registers: an invoker typed by exactly its register counts.
    Regs(Invoker),
    /// Structs in memory too: all registers plus stack words.
    Stack(StackInvoker),
}

/// The register path for `f`, if it has one.
pub(crate) fn build(ctx: &Ctx, f: &FuncDecl, sem: &Semantics, ret: &RetConv) -> Option<FastPath> {
    if !cfg!(all(target_arch = "x86_64", unix, not(target_os = "macos"))) {
        return None;
    }
    let reg: &Registry = &ctx.registry;
    let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
    let shape = stack_shape(reg, &types, &f.ret)?;
    let eightbytes: Vec<Eightbyte> = shape
        .args
        .iter()
        .flat_map(|a| match a {
            ArgPlace::Regs(e) => e.clone(),
            ArgPlace::Stack { .. } => Vec::new(),
        })
        .collect();
    // A struct returned in memory: its destination pointer is the first INTEGER argument.
    let mem_ret = shape.ret == StackRet::Memory;
    let (mut next_int, mut next_float) = (mem_ret as u8, 0u8);
    let mut take = |sse: bool| {
        let r = if sse { &mut next_float } else { &mut next_int };
        *r += 1;
        *r - 1
    };
    let mut args = Vec::with_capacity(f.params.len());
    for (i, kind) in sem.params.iter().enumerate() {
        let mine: Vec<_> = eightbytes
            .iter()
            .filter(|e| e.param as usize == i)
            .collect();
        let arg = match kind {
            ParamKind::Scalar(Prim::Float) => FastArg::F32(take(true)),
            ParamKind::Scalar(Prim::Double) => FastArg::F64(take(true)),
            ParamKind::Scalar(Prim::Bool) => FastArg::Bool(take(false)),
            ParamKind::Scalar(Prim::Void) => return None,
            ParamKind::Scalar(p) => FastArg::Int {
                prim: *p,
                reg: take(false),
            },
            ParamKind::Struct(id) if matches!(shape.args[i], ArgPlace::Stack { .. }) => {
                let ArgPlace::Stack { first, words } = shape.args[i] else {
                    unreachable!("matched above")
                };
                let l = reg.layout_of(&CType::Struct(*id));
                FastArg::Memory {
                    sid: *id as u32,
                    size: l.size,
                    align: l.align,
                    first: first as u8,
                    words: words as u8,
                }
            }
            ParamKind::Struct(id) => {
                let l = reg.layout_of(&CType::Struct(*id));
                let mut parts = [Part { sse: false, reg: 0 }; 2];
                for (k, e) in mine.iter().enumerate() {
                    parts[k] = Part {
                        sse: e.sse,
                        reg: take(e.sse),
                    };
                }
                let n = mine.len();
                FastArg::Struct {
                    sid: *id as u32,
                    size: l.size,
                    align: l.align,
                    parts,
                    nparts: n as u8,
                }
            }
            ParamKind::CString => FastArg::CString(take(false)),
            ParamKind::StructRef(id) => FastArg::StructRef {
                sid: *id as u32,
                tag: ctx.tag_of(&CType::Struct(*id)),
                reg: take(false),
            },
            ParamKind::Owned(to) => FastArg::Owned {
                tag: ctx.tag_of(to),
                reg: take(false),
            },
            ParamKind::Pointer(to) => FastArg::Pointer {
                tag: ctx.tag_of(to),
                reg: take(false),
            },
            ParamKind::Array { .. } | ParamKind::Count { .. } | ParamKind::Out(_) => return None,
        };
        args.push(arg);
    }
    let call = match shape.ret {
        StackRet::Reg(r) if shape.words == 0 => {
            FastCall::Regs(invoker(next_int as usize, next_float as usize, r)?)
        }
        r => FastCall::Stack(stack_invoker(shape.words, r)?),
    };
    Some(FastPath {
        args: args.into_boxed_slice(),
        call,
        ret: ret.clone(),
    })
}

impl CallPlan {
    /// Converts each argument into its register, calls C directly, pushes the result.
    pub(super) fn run_fast(&self, st: &mut Stack, fast: &FastPath) -> Result<c_int, String> {
        let ctx = self.ctx;
        let mut regs = Regs::default();
        match fast.call {
            FastCall::Regs(invoker) => {
                let scope = self.fast_args(st, fast, &mut regs, &mut [])?;
                let bits = invoker(self.func.fn_ptr(), &regs);
                self.after_call();
                drop(scope);
                Ok(push_ret(ctx, st, &fast.ret, bits))
            }
            FastCall::Stack(invoker) => {
                let mut stack = [0u64; MAX_STACK_WORDS];
                let scope = self.fast_args(st, fast, &mut regs, &mut stack)?;
                let mut out = [0u64; 2];
                let fun = self.func.fn_ptr();
                match &fast.ret {
                    RetConv::Struct { sid, size } if *size > 16 => {
                        // C writes the result straight into the new struct value's bytes,
                        // through the hidden pointer in the first INTEGER register.
                        let mem = st.push_struct(*sid, *size, ctx.struct_mt);
                        regs.ints[0] = mem.as_ptr() as u64;
                        invoker(fun, &regs, &stack, CMem::from_words(&mut out));
                        self.after_call();
                        drop(scope);
                        Ok(1)
                    }
                    r => {
                        invoker(fun, &regs, &stack, CMem::from_words(&mut out));
                        self.after_call();
                        drop(scope);
                        Ok(push_ret(ctx, st, r, out))
                    }
                }
            }
        }
    }

    /// Converts every argument into its register or stack words. Returns the scope of any
    /// scratch memory (a table standing in for a struct), to keep until the call returns.
    #[inline(always)]
    fn fast_args(
        &self,
        st: &mut Stack,
        fast: &FastPath,
        regs: &mut Regs,
        stack: &mut [u64],
    ) -> Result<Option<CallScope>, String> {
        let mut scope: Option<CallScope> = None;
        for (i, arg) in fast.args.iter().enumerate() {
            let a = i as c_int + 1;
            match *arg {
                FastArg::F32(r) => {
                    let v = st
                        .number(a)
                        .ok_or_else(|| self.type_error(st, a, "number"))?;
                    regs.floats[r as usize] = f64::from_bits((v as f32).to_bits() as u64);
                }
                FastArg::F64(r) => {
                    regs.floats[r as usize] = st
                        .number(a)
                        .ok_or_else(|| self.type_error(st, a, "number"))?;
                }
                FastArg::Int { prim, reg } => {
                    let v = to_c_integer(st, a, prim).map_err(|e| match e {
                        ScalarError::Type => self.type_error(st, a, scalar_expected(prim)),
                        other => self.arg_error(st, a, other),
                    })?;
                    regs.ints[reg as usize] = v as i64 as u64;
                }
                FastArg::Bool(r) => {
                    regs.ints[r as usize] = match st.type_of(a) {
                        LuaType::Boolean => st.boolean(a) as u64,
                        LuaType::Nil | LuaType::None => 0,
                        _ => return Err(self.type_error(st, a, "boolean")),
                    };
                }
                FastArg::Struct {
                    sid,
                    size,
                    align,
                    parts,
                    nparts,
                } => {
                    let mem = self.struct_bytes(st, a, sid, size, align, &mut scope)?;
                    // At most 16 bytes: read once, then hand out the eightbytes.
                    let mut words = [0u64; 2];
                    mem.read_words(&mut words);
                    for (p, bits) in parts[..nparts as usize].iter().zip(words) {
                        put(regs, p.sse, p.reg, bits);
                    }
                }
                FastArg::CString(r) => regs.ints[r as usize] = self.cstring_arg(st, a)? as u64,
                FastArg::StructRef { sid, tag, reg } => {
                    regs.ints[reg as usize] = self.struct_ref_arg(st, a, sid, tag)? as u64
                }
                FastArg::Pointer { tag, reg } => {
                    regs.ints[reg as usize] = self.pointer_arg(st, a, tag)? as u64
                }
                FastArg::Owned { tag, reg } => {
                    regs.ints[reg as usize] = self.owned_arg(st, a, tag)? as u64
                }
                FastArg::Memory {
                    sid,
                    size,
                    align,
                    first,
                    words,
                } => {
                    let mem = self.struct_bytes(st, a, sid, size, align, &mut scope)?;
                    let first = first as usize;
                    mem.read_words(&mut stack[first..first + words as usize]);
                }
            }
        }
        Ok(scope)
    }

    /// The bytes of a struct argument: a struct value's own, or a table converted into the
    /// frame arena (opening the call's scope on first use).
    #[inline(always)]
    fn struct_bytes(
        &self,
        st: &mut Stack,
        a: c_int,
        sid: u32,
        size: usize,
        align: usize,
        scope: &mut Option<CallScope>,
    ) -> Result<CMem, String> {
        match st.struct_at(a) {
            Some(s) if s.ty == sid => Ok(s.mem),
            None if st.type_of(a) == LuaType::Table => {
                let scope = scope.get_or_insert_with(|| self.scope());
                let buf = CMem::from_arena(scope.alloc(size, align), size);
                struct_into(self.ctx, st, a, sid, buf, false)
                    .map_err(|e| self.arg_error(st, a, e))?;
                Ok(buf)
            }
            _ => Err(self.type_error(st, a, &self.struct_name(sid))),
        }
    }

    fn scope(&self) -> CallScope {
        if self.ctx.modes.heap_arena.get() {
            CallScope::enter_heap()
        } else {
            CallScope::enter()
        }
    }

    fn struct_name(&self, sid: u32) -> String {
        self.ctx.structs[sid as usize].name.clone()
    }
}

/// Puts an eightbyte's bits into register `reg` of its class.
#[inline(always)]
fn put(regs: &mut Regs, sse: bool, reg: u8, bits: u64) {
    if sse {
        regs.floats[reg as usize] = f64::from_bits(bits);
    } else {
        regs.ints[reg as usize] = bits;
    }
}

/// Pushes a scalar returned in rax or xmm0 (only its low bytes are meaningful).
#[inline(always)]
fn push_scalar_bits(st: &mut Stack, p: Prim, bits: u64) {
    match p {
        Prim::Float => st.push_number(f32::from_bits(bits as u32) as f64),
        Prim::Double => st.push_number(f64::from_bits(bits)),
        Prim::Bool => st.push_boolean(bits as u8 != 0),
        Prim::Char | Prim::SChar => st.push_integer(bits as i8 as i64),
        Prim::UChar => st.push_integer(bits as u8 as i64),
        Prim::Short => st.push_integer(bits as i16 as i64),
        Prim::UShort => st.push_integer(bits as u16 as i64),
        Prim::Int => st.push_integer(bits as i32 as i64),
        Prim::UInt => st.push_integer(bits as u32 as i64),
        Prim::Long | Prim::LongLong | Prim::ULong | Prim::ULongLong => st.push_integer(bits as i64),
        Prim::Void => st.push_nil(),
    }
}

/// Pushes a return value from its register bits.
#[inline(always)]
fn push_ret(ctx: &Ctx, st: &mut Stack, ret: &RetConv, bits: [u64; 2]) -> c_int {
    match ret {
        RetConv::Void => return 0,
        RetConv::Scalar(p) => push_scalar_bits(st, *p, bits[0]),
        RetConv::Struct { sid, size } => {
            let mem = st.push_struct(*sid, *size, ctx.struct_mt);
            mem.write_bits(0, bits[0], (*size).min(8));
            if *size > 8 {
                mem.write_bits(8, bits[1], *size - 8);
            }
        }
        RetConv::CString => match c_string_at(bits[0] as usize as *const c_void) {
            Some(bytes) => st.push_bytes(&bytes),
            None => st.push_nil(),
        },
        RetConv::Pointer { tag } => {
            st.push_pointer(*tag, bits[0] as usize as *mut c_void, ctx.pointer_mt)
        }
    }
    1
}
