//! The one executor: a call's Lua arguments converted by its [`ArgPlan`] into the words of
//! one call frame (registers, memory words, pointers to arena scratch for arrays and
//! out-parameters alike), C called through the plan's invoker (direct, or libffi on the same
//! frame), the results pushed by the one return pusher.
//!
//! Contract: every pointer put in a frame points into a live Lua value (on the stack for the
//! whole call) or the call's [`CallScope`] (alive until the results are pushed); every
//! conversion error is returned before C is called; nothing here allocates outside the
//! arena on the planned path. The executor is monomorphised per frame size and per "needs
//! scratch bookkeeping" at plan time, so the common call carries no array or out-parameter
//! state at all.

use std::ffi::{c_int, c_void};

use crate::abi::FRAME_WORDS;
use crate::abi::MEMORY_BASE;
use crate::arena::CallScope;
use crate::error::{Error, ErrorKind, Problem};
use crate::ffi::cif::BoundFunction;
use crate::ffi::direct::{MemoryInvoker, RegInvoker, REG_WORDS};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;

use super::args::{ArgKind, ArgPlan, Ret, RetLen, MAX_PARAMS, MAX_VOUCHED};
use super::contracts::{check_byte_need, check_coordinates, check_rect_in_image, check_text_image};
use super::plan::{CallPlan, Pipeline};
use super::records::{check_described, record, update_records, vouched_arg, Seen};
use super::ret::{push_out, push_ret};
use super::scalar::{int_arg_bits, to_c_integer, ScalarError};
use super::structs::{describe, scalar_expected, struct_into, write_field, FieldKind};
use super::Ctx;

/// How a plan's frame reaches C.
#[derive(Clone, Copy)]
pub(crate) enum Invoke {
    /// A register invoker (the frame's first `REG_WORDS` words).
    Regs(RegInvoker),
    /// A memory invoker (all `FRAME_WORDS` words).
    Memory(MemoryInvoker),
    /// libffi on the prepared CIF, each argument's words in the frame.
    Ffi,
}

/// An executor specialised for one frame size and scratch need, chosen at plan time.
pub(crate) type Executor = fn(&CallPlan, &Pipeline, &mut Stack, bool) -> Result<c_int, Error>;

/// The executor for an argument plan.
pub(crate) fn executor(args: &ArgPlan) -> Executor {
    match (args.frame == super::args::REG_FRAME, args.scratch) {
        (true, false) => execute::<{ super::args::REG_FRAME }, false>,
        (true, true) => execute::<{ super::args::REG_FRAME }, true>,
        (false, false) => execute::<{ super::args::FULL_FRAME }, false>,
        (false, true) => execute::<{ super::args::FULL_FRAME }, true>,
    }
}

/// Converts every argument into the frame, calls C, pushes the results. `heap`: scratch
/// from the heap instead of the frame arena.
#[inline(never)]
fn execute<const N: usize, const SCRATCH: bool>(
    plan: &CallPlan,
    pipe: &Pipeline,
    st: &mut Stack,
    heap: bool,
) -> Result<c_int, Error> {
    let ctx = plan.ctx;
    let (ap, invoke) = (&pipe.args, pipe.invoke);
    let mut frame = [0u64; N];
    if SCRATCH && ctx.memory_limit.get() > 0 {
        near_memory_limit(plan, st)?;
    }
    // Arena scratch for arrays and out-parameters, only in plans that have them. A table
    // standing in for a struct is converted straight into the frame (or, for the naive
    // path's honesty, into heap scratch first).
    let scope = SCRATCH.then(|| {
        if heap {
            CallScope::enter_heap()
        } else {
            CallScope::enter()
        }
    });
    let heap_scratch = scope.as_ref().filter(|_| heap);
    // Array lengths for their counts, and out-parameter slots: only in plans that have them
    // (dead and removed otherwise).
    let mut lens = [0usize; MAX_PARAMS];
    let mut outs: [Option<CMem<'_>>; MAX_PARAMS] = [None; MAX_PARAMS];
    for (i, arg) in ap.args.iter().enumerate() {
        let a = arg.lua;
        let slot = arg.slot as usize;
        match &arg.kind {
            ArgKind::Float => frame[slot] = (number(plan, st, a)? as f32).to_bits() as u64,
            ArgKind::Double => frame[slot] = number(plan, st, a)?.to_bits(),
            ArgKind::Int(p) => {
                frame[slot] = int_arg_bits(st, a, *p).map_err(|e| match e {
                    ScalarError::Type => plan.type_error(st, a, scalar_expected(*p)),
                    other => plan.arg_error(a, scalar_problem(other)),
                })?
            }
            ArgKind::Checked {
                prim,
                rule,
                reason,
                param,
                len_arg,
            } => frame[slot] = checked_arg(plan, st, a, *prim, rule, reason, *param, *len_arg)?,
            ArgKind::Bool => {
                frame[slot] = match st.type_of(a) {
                    LuaType::Boolean => st.boolean(a) as u64,
                    LuaType::Nil | LuaType::None => 0,
                    _ => return Err(plan.type_error(st, a, "boolean")),
                }
            }
            ArgKind::StructRegs { sid, size } => {
                let words = match st.struct_at(a) {
                    Some(s) if s.ty == *sid => s.mem.read_two_words(),
                    _ => {
                        let mut words = [0u64; 2];
                        let dst = CMem::from_words(&mut words).slice(0, *size as usize);
                        table_struct(plan, st, a, *sid, dst, heap_scratch)?;
                        words
                    }
                };
                frame[slot] = words[0];
                frame[arg.slot2 as usize] = words[1];
            }
            ArgKind::StructWords { sid, size } => {
                let size = *size as usize;
                let dst = CMem::from_words(&mut frame[slot..slot + size.div_ceil(8)]);
                match st.struct_at(a) {
                    Some(s) if s.ty == *sid => dst.copy_from(0, s.mem),
                    _ => table_struct(plan, st, a, *sid, dst.slice(0, size), heap_scratch)?,
                }
            }
            ArgKind::CString => frame[slot] = cstring_arg(plan, st, a)? as u64,
            ArgKind::StringNilEmpty => frame[slot] = gui_text_arg(plan, st, a)? as u64,
            ArgKind::FileName {
                nullable,
                must_exist,
                max_len,
                opened,
            } => {
                frame[slot] =
                    file_name_arg(plan, st, a, *nullable, *must_exist, *max_len, *opened)? as u64
            }
            ArgKind::Url => frame[slot] = url_arg(plan, st, a)? as u64,
            ArgKind::StructRef { sid, tag } => {
                frame[slot] = struct_ref_arg(plan, st, a, *sid, *tag)? as u64
            }
            ArgKind::Pointer {
                tag,
                writable,
                pointee,
            } => frame[slot] = pointer_arg(plan, st, a, *tag, *writable, *pointee)? as u64,
            ArgKind::Owned { tag, counted } if SCRATCH => {
                let p = owned_arg(plan, st, a, *tag)?;
                // Its count, if it has one, may claim no elements behind NULL and no more than
                // raylib returned the array with (none if it did not say); without a count,
                // the length is raylib's to know.
                lens[i] = match (p, *counted) {
                    (0, _) => 0,
                    (_, 0) => usize::MAX,
                    (_, elem) => ctx.vouched.len(p).map_or(0, |b| b / elem as usize),
                };
                frame[slot] = p as u64;
            }
            ArgKind::Array {
                elem,
                elem_size,
                elem_tag,
                nil_count,
            } if SCRATCH => {
                let (p, len) = array_arg(
                    plan,
                    st,
                    scope.as_ref().ok_or_else(Error::internal)?,
                    a,
                    elem,
                    *elem_size as usize,
                    *elem_tag,
                )?;
                frame[slot] = p as u64;
                lens[i] = if *nil_count > 0 && matches!(st.type_of(a), LuaType::Nil | LuaType::None)
                {
                    NIL_WITH_COUNT | *nil_count as usize
                } else {
                    len
                };
            }
            ArgKind::Count { of, prim } if SCRATCH => {
                frame[slot] = count_arg(plan, st, a, *prim, lens[*of as usize])? as u64;
            }
            ArgKind::Out { size, tag, conv } if SCRATCH => {
                let scope = scope.as_ref().ok_or_else(Error::internal)?;
                // A trailing out-parameter given a buffer or struct value is filled there.
                let given = match (a, st.type_of(a)) {
                    (0, _) | (_, LuaType::Nil | LuaType::None) => None,
                    _ => Some(
                        value_target(plan, st, a, *tag, conv, *size)
                            .ok_or_else(|| plan.type_error(st, a, &target_name(plan, *tag)))?,
                    ),
                };
                let mem = given.unwrap_or_else(|| scope.alloc((*size as usize).max(8)));
                frame[slot] = mem.as_ptr() as u64;
                outs[i] = Some(mem);
            }
            ArgKind::InOut {
                elem,
                size,
                conv,
                tag,
            } if SCRATCH => {
                let scope = scope.as_ref().ok_or_else(Error::internal)?;
                let mem = match value_target(plan, st, a, *tag, conv, *size) {
                    Some(target) => target,
                    None => {
                        let mem = scope.alloc((*size as usize).max(8));
                        if !matches!(st.type_of(a), LuaType::Nil | LuaType::None) {
                            write_field(ctx, st, a, elem, mem.slice(0, *size as usize))
                                .map_err(|e| plan.arg_error(a, e))?;
                        }
                        mem
                    }
                };
                frame[slot] = mem.as_ptr() as u64;
                outs[i] = Some(mem);
            }
            ArgKind::Text { fixed } if SCRATCH => {
                // With no size parameter, the buffer is made here; otherwise by the size's.
                if *fixed > 0 {
                    let scope = scope.as_ref().ok_or_else(Error::internal)?;
                    let mem = text_buffer(plan, st, scope, a, *fixed as usize, a)?;
                    frame[slot] = mem.as_ptr() as u64;
                    outs[i] = Some(mem);
                }
            }
            ArgKind::TextSize { of } if SCRATCH => {
                let scope = scope.as_ref().ok_or_else(Error::internal)?;
                let text = ap.args.get(*of as usize).ok_or_else(Error::internal)?;
                let n = text_size_arg(plan, st, a)?;
                let mem = text_buffer(plan, st, scope, text.lua, n, a)?;
                frame[text.slot as usize] = mem.as_ptr() as u64;
                outs[*of as usize] = Some(mem);
                frame[slot] = n as u64;
            }
            _ => return Err(Error::internal()),
        }
    }
    // Struct values with pointer fields go to C only as raylib made them.
    let mut seen = [None::<Seen>; MAX_VOUCHED];
    if SCRATCH {
        for (k, v) in ap.vouch.iter().enumerate() {
            seen[k] = vouched_arg(plan, ap, st, &frame, v)?;
        }
        if let Some((bound, reason)) = ap.coord_bound {
            check_coordinates(plan, ap, &frame, bound, reason)?;
        }
        if let Some((rect, image)) = ap.rect_in_image {
            check_rect_in_image(plan, ap, &frame, rect, image)?;
        }
        if let Some(n) = &ap.needs {
            check_byte_need(plan, ap, st, &frame, n)?;
        }
        if let Some((text, size)) = ap.text_image {
            check_text_image(plan, ap, st, &frame, text, size)?;
        }
        if ap.non_empty {
            if let Some(count) = ap.args.iter().find(|a| {
                matches!(a.kind, ArgKind::Count { .. }) && frame[a.slot as usize] as u32 == 0
            }) {
                return Err(plan.arg_error(
                    count.lua,
                    Problem::Other("a count of 0: raylib reads the array's last element".into()),
                ));
            }
        }
    }
    let fun = plan.func.fn_ptr();
    // A struct returned in memory is written by C straight into the new struct value.
    let dest = match ap.ret {
        Ret::StructMem { sid, size } => {
            let mem = st.push_struct(sid, size as usize, ctx.struct_mt);
            frame[0] = mem.as_ptr() as u64;
            Some(mem)
        }
        _ => None,
    };
    let memory_return = dest.is_some();
    let bits = match invoke {
        Invoke::Regs(f) => {
            let regs = frame
                .first_chunk::<REG_WORDS>()
                .ok_or_else(Error::internal)?;
            // SAFETY:
            // - The invoker was chosen at plan time for this function's call shape
            //   (`abi::call_shape`, from the same declaration as `fun`).
            // - Every word the invoker passes was written above from the function's argument
            //   plan; pointers among them point into Lua values on the stack for the whole
            //   call or into `scope`, alive until after the results are pushed (module
            //   contract).
            unsafe { f(fun, regs) }
        }
        Invoke::Memory(f) => {
            let words = frame
                .first_chunk::<FRAME_WORDS>()
                .ok_or_else(Error::internal)?;
            // SAFETY: as for register invokers; a memory return's destination (slot 0) is
            // the new struct value's bytes, of the return type's size.
            unsafe { f(fun, words) }
        }
        Invoke::Ffi => ffi_call(&plan.func, ap, &mut frame, dest)?,
    };
    // A struct with pointer fields raylib returned is one it made.
    if SCRATCH && ap.ret_vouch {
        match (&ap.ret, dest) {
            (Ret::StructMem { sid, .. }, Some(mem)) => record(ctx, *sid, mem, true),
            (Ret::StructRegs { sid, size }, _) => {
                let mut w = bits;
                record(
                    ctx,
                    *sid,
                    CMem::from_words(&mut w).slice(0, *size as usize),
                    true,
                )
            }
            _ => {}
        }
    }
    plan.after_call();
    if SCRATCH {
        update_records(plan, ap, st, &mut seen);
    }
    if SCRATCH && ap.frees {
        // The memory is gone: every reference to these pointer values now sees them freed,
        // and the struct values unloaded are zeroed and marked unloaded: unloading one again
        // or using it is an error naming the function that unloaded it (an `Is*Valid` still
        // answers false), and its zeroed bytes reach nothing freed.
        for arg in ap.args.iter() {
            match arg.kind {
                ArgKind::Owned { .. } => {
                    ctx.vouched.remove_len(frame[arg.slot as usize] as usize);
                    st.free_pointer(arg.lua)
                }
                ArgKind::StructRegs { sid, .. } | ArgKind::StructWords { sid, .. } => {
                    if let Some(s) = st
                        .struct_at(arg.lua)
                        .filter(|s| s.ty == sid && !s.read_only)
                    {
                        s.mem.fill_zero();
                        st.mark_unloaded(arg.lua, plan.decl as u32);
                    }
                }
                _ => {}
            }
        }
    }
    let mut results = push_ret(ctx, st, &ap.ret, bits);
    if memory_return {
        results = 1;
    }
    if let (true, Some(len)) = (SCRATCH, ap.ret_len) {
        let bytes = match len {
            RetLen::Out { arg, elem } => {
                outs[arg as usize].map(|count| count.read::<i32>(0).max(0) as usize * elem as usize)
            }
            RetLen::Arg { arg } => ap
                .args
                .get(arg as usize)
                .map(|a| frame[a.slot as usize] as usize),
        };
        if let Some(bytes) = bytes {
            ctx.vouched.add_len(bits[0] as usize, bytes);
        }
    }
    if SCRATCH {
        // Values C wrote back, in parameter order after the result.
        for (arg, out) in ap.args.iter().zip(&outs) {
            match (&arg.kind, out) {
                (ArgKind::Out { conv, .. } | ArgKind::InOut { conv, .. }, Some(mem)) => {
                    push_out(ctx, st, conv, *mem)
                }
                (ArgKind::Text { .. }, Some(mem)) => {
                    let len = (0..mem.len()).find(|&k| mem.read::<u8>(k) == 0);
                    st.push_mem(mem.slice(0, len.unwrap_or(mem.len())))
                }
                _ => continue,
            }
            results += 1;
        }
    }
    // The scope ends here, after the results are pushed; plans without scratch have none,
    // and forgetting a `None` skips its drop check on the common path.
    if SCRATCH {
        drop(scope);
    } else {
        std::mem::forget(scope);
    }
    Ok(results)
}

/// libffi on the frame: each argument's value is at its first word (the ffi shape gives
/// every argument words of its own), the return into two words or the memory destination.
fn ffi_call<const N: usize>(
    func: &BoundFunction,
    ap: &ArgPlan,
    frame: &mut [u64; N],
    dest: Option<CMem<'_>>,
) -> Result<[u64; 2], Error> {
    let mut ptrs = [std::ptr::null_mut::<c_void>(); MAX_PARAMS];
    for (p, arg) in ptrs.iter_mut().zip(ap.args.iter()) {
        if (arg.slot as usize) < MEMORY_BASE || arg.slot as usize >= N {
            return Err(Error::internal());
        }
        *p = frame.as_mut_ptr().wrapping_add(arg.slot as usize).cast();
    }
    let mut ret = [0u64; 2];
    let n = ap.args.len();
    match dest {
        // SAFETY:
        // - Each pointer is into the frame at the argument's words (in bounds, checked
        //   above), holding a value of the parameter's C type written from the same
        //   declaration the CIF was prepared from; pointers inside those values are valid for
        //   the call (module contract).
        // - The return goes to the struct value's bytes (memory returns, the type's size) or
        //   to two words, room for any register return libffi stores.
        Some(mem) => unsafe { func.call(&mut ptrs[..n], mem) },
        // SAFETY: as above.
        None => unsafe { func.call(&mut ptrs[..n], CMem::from_words(&mut ret)) },
    }
    Ok(ret)
}

/// A number with a declared precondition: converted as any, then held to its rule.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn checked_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    prim: crate::registry::Prim,
    rule: &crate::registry::preconditions::Rule,
    reason: &str,
    param: u8,
    len_arg: c_int,
) -> Result<u64, Error> {
    use crate::registry::preconditions::Rule;
    let decl = &plan.ctx.registry.functions[plan.decl];
    let refuse = || {
        let words = crate::registry::preconditions::describe(rule, &decl.params);
        let name = decl
            .params
            .get(param as usize)
            .map_or("?", |p| p.name.as_str());
        plan.arg_error(
            a,
            Problem::Other(format!("{name} must be {words}: {reason}")),
        )
    };
    if prim.is_float() {
        let v = number(plan, st, a)?;
        let ok = match rule {
            Rule::AtLeast(min) => v >= *min,
            Rule::Between(min, max) => v >= *min && v <= *max,
            _ => false,
        };
        if !ok {
            return Err(refuse());
        }
        return Ok(if prim == crate::registry::Prim::Float {
            (v as f32).to_bits() as u64
        } else {
            v.to_bits()
        });
    }
    let bits = int_arg_bits(st, a, prim).map_err(|e| match e {
        ScalarError::Type => plan.type_error(st, a, scalar_expected(prim)),
        other => plan.arg_error(a, scalar_problem(other)),
    })?;
    // Signed types arrive sign-extended, unsigned zero-extended: as i64 either way.
    let v = bits as i64;
    let ok = match rule {
        Rule::Range { min, max } => (*min..=*max).contains(&v),
        Rule::AtMostLenOf(_) => {
            // C's length: up to the first NUL (`"\0\0"` is an empty C string).
            let len = st.string(len_arg).map_or(0, |s| {
                (0..s.len() - 1)
                    .find(|&i| s.read::<u8>(i) == 0)
                    .unwrap_or(s.len() - 1) as i64
            });
            (0..=len).contains(&v)
        }
        Rule::AtLeast(min) => v as f64 >= *min,
        Rule::Between(min, max) => (*min..=*max).contains(&(v as f64)),
        Rule::OneOf(values) => values.contains(&v),
        Rule::InFields {
            of,
            fields,
            inclusive,
        } => match fields_bound(plan, st, len_arg, *of, fields) {
            Some(b) if *inclusive => (0..=b).contains(&v),
            Some(b) => (0..b).contains(&v),
            None => false,
        },
        Rule::Offset { of, field, size } => {
            // The size parameter's Lua argument: parameters before it are all Lua arguments
            // (checked by the registry's test of this rule).
            let max = st.number(*size as c_int + 1).map(|n| n as i64);
            match (fields_bound(plan, st, len_arg, *of, &[field]), max) {
                (Some(min), Some(max)) => (-min..=max).contains(&v),
                _ => false,
            }
        }
    };
    if ok {
        Ok(bits)
    } else {
        Err(refuse())
    }
}

/// The smallest of the integer `fields` of the struct value at Lua argument `a` (parameter
/// `of`): None unless it is a struct value of the parameter's type.
fn fields_bound(plan: &CallPlan, st: &Stack, a: c_int, of: usize, fields: &[&str]) -> Option<i64> {
    use crate::registry::CType;
    let reg = &plan.ctx.registry;
    let sid = match &reg.functions[plan.decl].params.get(of)?.ty {
        CType::Struct(id) => *id,
        CType::Pointer { to, .. } => match **to {
            CType::Struct(id) => id,
            _ => return None,
        },
        _ => return None,
    };
    let s = st.struct_at(a).filter(|s| s.ty as usize == sid)?;
    let decl = &reg.structs[sid];
    fields
        .iter()
        .map(|name| decl.field(name).map(|f| s.mem.read::<i32>(f.offset) as i64))
        .min()
        .flatten()
}

fn scalar_problem(e: ScalarError) -> Problem {
    match e {
        ScalarError::Type => Problem::Other("wrong type".into()),
        ScalarError::NotInteger => Problem::NotInteger,
        ScalarError::Range => Problem::OutOfRange,
    }
}

#[inline(always)]
fn number(plan: &CallPlan, st: &Stack, a: c_int) -> Result<f64, Error> {
    st.number(a).ok_or_else(|| plan.type_error(st, a, "number"))
}

/// A table standing in for a struct, converted into `dst` (through a heap buffer first when
/// `heap` is given: the naive path's "malloc per temporary").
#[cold]
#[inline(never)]
fn table_struct(
    plan: &CallPlan,
    st: &mut Stack,
    a: c_int,
    sid: u32,
    dst: CMem<'_>,
    heap: Option<&CallScope>,
) -> Result<(), Error> {
    let ctx = plan.ctx;
    if st.type_of(a) != LuaType::Table {
        // An unloaded value of the type is all zeros to an `Is*Valid`: not valid.
        let asks_valid = plan.fname.starts_with("Is") && plan.fname.ends_with("Valid");
        if asks_valid && st.unloaded_struct_at(a).is_some_and(|(ty, _)| ty == sid) {
            dst.fill_zero();
            return Ok(());
        }
        return Err(plan.type_error(st, a, &ctx.structs[sid as usize].name));
    }
    let buf = match heap {
        Some(scope) => scope.alloc(dst.len()),
        None => dst,
    };
    struct_into(ctx, st, a, sid, buf).map_err(|e| plan.arg_error(a, e))?;
    if heap.is_some() {
        dst.copy_from(0, buf);
    }
    Ok(())
}

/// `const char *`: a string (numbers converted as Lua does), nil is NULL. The pointer is into
/// the Lua string, which stays on the stack for the call. A live `char *` text raylib
/// returned (`LoadFileText`) goes too.
#[inline]
fn cstring_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    Ok(match st.type_of(a) {
        LuaType::Nil | LuaType::None => 0,
        LuaType::String => st.string(a).map_or(0, |m| m.as_ptr() as usize),
        LuaType::Number => st.number_as_string(a).map_or(0, |m| m.as_ptr() as usize),
        _ => raylib_text(plan, st, a)?,
    })
}

/// A raygui text: a string of at most [`MAX_GUI_TEXT`] bytes; nil is "".
#[inline]
fn gui_text_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::semantics::MAX_GUI_TEXT;
    let p = match cstring_arg(plan, st, a)? {
        0 => return Ok(c"".as_ptr() as usize),
        p => p,
    };
    let len = st.string(a).map_or(0, |s| s.len() - 1);
    if len > MAX_GUI_TEXT {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a text of at most {MAX_GUI_TEXT} bytes expected, got {len}: raygui measures \
                 its texts glyph by glyph as it wraps them, in time that grows with the square \
                 of their length"
            )),
        ));
    }
    Ok(p)
}

/// A live `char *` pointer value: raylib returns those only as texts it allocated with their
/// NUL (`LoadFileText`, `LoadUTF8`, `EncodeDataBase64`, `Text*Alloc`; the others' `char *`
/// results are copied into Lua strings), so C reads a terminated string through it.
#[cold]
fn raylib_text(plan: &CallPlan, st: &Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::{CType, Prim};
    match st.pointer_at(a) {
        Some(p)
            if !p.freed
                && plan.ctx.pointer_type(p.tag) == CType::Prim(Prim::Char)
                && !p.ptr.is_null() =>
        {
            Ok(p.ptr as usize)
        }
        _ => Err(plan.type_error(st, a, "string")),
    }
}

/// A path: a string (never NULL unless `nullable`); a loader's file must open as a file.
#[inline(never)]
fn file_name_arg(
    plan: &CallPlan,
    st: &mut Stack,
    a: c_int,
    nullable: bool,
    must_exist: bool,
    max_len: u16,
    opened: bool,
) -> Result<usize, Error> {
    let p = match st.type_of(a) {
        LuaType::Nil | LuaType::None if nullable => return Ok(0),
        LuaType::String | LuaType::Number => cstring_arg(plan, st, a)?,
        _ => return Err(plan.type_error(st, a, "string")),
    };
    if opened {
        if let Some(sandbox) = plan.ctx.sandbox.borrow().as_ref() {
            let bytes = st.string(a).map(|s| s.to_vec()).unwrap_or_default();
            let path = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
            let checked = sandbox.check(path).and_then(|resolved| {
                let obj = resolved
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("obj"));
                if obj && plan.fname == "LoadModel" {
                    sandbox.check_obj_materials(&resolved)
                } else {
                    Ok(())
                }
            });
            if let Err(why) = checked {
                return Err(plan.arg_error(a, Problem::Other(sandbox_refusal(path, &why))));
            }
        }
    }
    let len = st.string(a).map_or(0, |s| s.len() - 1);
    if max_len > 0 && len > max_len as usize {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a path of at most {max_len} bytes expected, got {len}: raylib copies paths \
                 into fixed buffers"
            )),
        ));
    }
    if must_exist {
        let Some(path) = st.string(a) else {
            return Err(plan.type_error(st, a, "string"));
        };
        let bytes = path.to_vec();
        let path = &bytes[..bytes.len() - 1];
        let extension = path
            .rsplit(|&b| b == b'/')
            .next()
            .and_then(|name| name.iter().rposition(|&b| b == b'.'))
            .is_some_and(|dot| dot > 0);
        let needs_extension = crate::registry::preconditions::NEEDS_EXTENSION.contains(&plan.fname);
        let reason = unopenable(path).or_else(|| {
            (needs_extension && !extension)
                .then(|| "no file extension: raylib picks the format by it".to_string())
        });
        if let Some(reason) = reason {
            return Err(ErrorKind::CannotOpen {
                function: plan.fname.into(),
                path: String::from_utf8_lossy(path).into_owned(),
                reason,
            }
            .into());
        }
    }
    Ok(p)
}

/// Lua memory a call with scratch may need for its results (out-parameters, struct values):
/// near the limit it is refused before it starts, because Lua failing to allocate a result
/// would raise its error across this call's frames while they hold the arena.
const RESULT_RESERVE: usize = 256 << 10;

/// "not enough memory" when the Lua state is within [`RESULT_RESERVE`] of its limit.
#[inline(never)]
fn near_memory_limit(plan: &CallPlan, st: &Stack) -> Result<(), Error> {
    if (st.memory_kib() << 10) + RESULT_RESERVE > plan.ctx.memory_limit.get() {
        return Err(ErrorKind::Runtime(format!("{}: not enough memory", plan.fname)).into());
    }
    Ok(())
}

/// Why the sandbox refused a path, as a bad argument's problem.
fn sandbox_refusal(path: &[u8], why: &str) -> String {
    format!(
        "the sandbox refused '{}': {why}",
        String::from_utf8_lossy(path.split(|&b| b == 0).next().unwrap_or_default())
    )
}

/// A URL raylib passes to a shell: a plain http(s) URL only; none under the sandbox.
#[cold]
#[inline(never)]
fn url_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    if plan.ctx.sandbox.borrow().is_some() {
        return Err(plan.arg_error(a, Problem::Other("the sandbox refuses to open URLs".into())));
    }
    if st.type_of(a) != LuaType::String {
        return Err(plan.type_error(st, a, "string"));
    }
    let safe = st.string(a).is_some_and(|s| {
        let bytes = s.to_vec();
        crate::registry::semantics::is_safe_url(&bytes[..bytes.len() - 1])
    });
    if !safe {
        return Err(plan.arg_error(
            a,
            Problem::Other(
                "a plain http:// or https:// URL expected (letters, digits and \
                 -._~:/?#[]@+,=%&): raylib runs it through a shell"
                    .into(),
            ),
        ));
    }
    cstring_arg(plan, st, a)
}

/// Why the file at `path` cannot be read, if it cannot: missing, a directory, or refused.
fn unopenable(path: &[u8]) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    match std::fs::File::open(path).and_then(|f| f.metadata()) {
        Ok(m) if m.is_dir() => Some("a directory, not a file".into()),
        // raylib's loaders return NULL data for an empty file, which some then read.
        Ok(m) if m.len() == 0 => Some("an empty file".into()),
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("no such file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("permission denied".into())
        }
        Err(e) => Some(e.to_string()),
    }
}

/// `T *`: a struct value's own bytes, or a live pointer value of that type. Never NULL:
/// raylib dereferences these.
#[inline]
fn struct_ref_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    sid: u32,
    tag: u32,
) -> Result<usize, Error> {
    match (st.struct_at(a), st.pointer_at(a)) {
        (Some(s), _) if s.ty == sid && s.read_only => Err(read_only(plan, a, sid)),
        (Some(s), _) if s.ty == sid => Ok(s.mem.as_ptr() as usize),
        (_, Some(p)) if p.tag == tag && !p.freed => Ok(p.ptr as usize),
        _ => match one_element(plan, st, a, tag, true) {
            Some(p) => Ok(p),
            None => Err(plan.type_error(st, a, &plan.ctx.structs[sid as usize].name)),
        },
    }
}

/// A typed buffer of at least one element of the pointee type (tag `tag`), where C reads or
/// writes one element: its first element's address.
#[inline]
fn one_element(plan: &CallPlan, st: &Stack, a: c_int, tag: u32, writes: bool) -> Option<usize> {
    let b = st.buffer_at(a)?;
    if writes && read_only_view(st, a) {
        return None;
    }
    (b.count >= 1 && tag != 0 && plan.ctx.buffer_elem_tag(b.elem) == tag)
        .then(|| b.mem.as_ptr() as usize)
}

/// A pointer view whose rule makes it read-only (`Mesh.indices`): C never writes it.
#[cold]
fn read_only_view(st: &Stack, a: c_int) -> bool {
    st.is_pointer_view(a) && st.view_state(a).is_some_and(|v| v.read_only)
}

/// Any other pointer: a live pointer value (of the right pointee type unless either side is
/// `void *`); a struct value of the pointee type, or any struct value behind a `const void *`
/// (a shader uniform); a string's bytes only where C does not write; nil (NULL) only for
/// `const void *` and `const char *`-like bytes.
#[inline]
fn pointer_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    tag: u32,
    writable: bool,
    pointee: u32,
) -> Result<usize, Error> {
    if let Some(s) = st.struct_at(a) {
        if writable && s.read_only {
            return Err(read_only(plan, a, s.ty));
        }
        if s.ty == pointee || (tag == 0 && !writable) {
            return Ok(s.mem.as_ptr() as usize);
        }
        return Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag)));
    }
    if let Some(p) = st.pointer_at(a) {
        if p.freed || (tag != 0 && p.tag != tag && p.tag != 0) {
            return Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag)));
        }
        return Ok(p.ptr as usize);
    }
    if let Some(p) = one_element(plan, st, a, tag, writable).filter(|_| !is_char(plan, tag)) {
        return Ok(p);
    }
    // Behind a `const void *` C reads bytes, as it would a string's: any typed buffer's
    // (`UpdateTexture(tex, pixels)` with a `Color[?]`; declared byte needs check its length).
    if let (0, false, Some(b)) = (tag, writable, st.buffer_at(a)) {
        return Ok(b.mem.as_ptr() as usize);
    }
    match st.type_of(a) {
        // NULL only where C reads untyped data (`rlLoadTexture(NULL, ...)` makes an empty
        // texture): raylib writes through its pointers, and reads typed ones, unchecked.
        LuaType::Nil | LuaType::None if !writable && (tag == 0 || is_char(plan, tag)) => Ok(0),
        LuaType::String if !writable => Ok(st.string(a).map_or(0, |m| m.as_ptr() as usize)),
        _ => Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag))),
    }
}

/// Where C writes a value of the pointee type (`tag`, `size` bytes) for a Lua argument that
/// is a one-element typed buffer of that type or a struct value of it: that memory, alive
/// for the whole call (an argument). None for anything else.
fn value_target<'call>(
    plan: &CallPlan,
    st: &Stack<'call>,
    a: c_int,
    tag: u32,
    conv: &super::args::OutConv,
    size: u32,
) -> Option<CMem<'call>> {
    use super::args::OutConv;
    if let Some(b) = st.arg_buffer_at(a) {
        let fits = b.count >= 1
            && tag != 0
            && plan.ctx.buffer_elem_tag(b.elem) == tag
            && !read_only_view(st, a);
        return fits.then(|| b.mem.slice(0, size as usize));
    }
    match (st.arg_struct_at(a), conv) {
        // A constant (`rl.RED`) is read as a value, never written.
        (Some(s), OutConv::Struct { sid, .. }) if s.ty == *sid && !s.read_only => Some(s.mem),
        _ => None,
    }
}

/// A constant struct value where C would write.
#[cold]
fn read_only(plan: &CallPlan, a: c_int, sid: u32) -> Error {
    plan.arg_error(
        a,
        Problem::ReadOnly {
            strukt: plan.ctx.structs[sid as usize].name.clone(),
        },
    )
}

/// What an out-parameter takes, for its message: `Vector2 buffer or value`.
#[cold]
fn target_name(plan: &CallPlan, tag: u32) -> String {
    use crate::registry::CType;
    match plan.ctx.pointer_type(tag) {
        ty @ CType::Struct(_) => {
            let name = plan.ctx.registry.type_name(&ty);
            format!("{name} or {name}[1] buffer or nil")
        }
        ty => format!("{}[1] buffer or nil", plan.ctx.registry.type_name(&ty)),
    }
}

/// An edited text's byte size: an integer from 1 to `MAX_TEXT_SIZE`.
fn text_size_arg(plan: &CallPlan, st: &Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::semantics::MAX_TEXT_SIZE;
    let n = to_c_integer(st, a, crate::registry::Prim::Int).map_err(|e| match e {
        ScalarError::Type => plan.type_error(st, a, "number"),
        other => plan.arg_error(a, scalar_problem(other)),
    })?;
    if !(1..=MAX_TEXT_SIZE as i128).contains(&n) {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a text size from 1 to {MAX_TEXT_SIZE} bytes expected, got {n}"
            )),
        ));
    }
    Ok(n as usize)
}

/// The buffer C edits a text in, `n` bytes with its NUL: a `char[?]` buffer argument (at
/// least `n` bytes, NUL-terminated within them), or a string (or nil: empty) copied into
/// arena scratch, cut to `n - 1` bytes. `size_arg` is the argument a size error names.
fn text_buffer<'call: 'm, 'm>(
    plan: &CallPlan,
    st: &mut Stack<'call>,
    scope: &'m CallScope,
    a: c_int,
    n: usize,
    size_arg: c_int,
) -> Result<CMem<'m>, Error> {
    use crate::registry::{CType, Prim};
    if let Some(b) = st.arg_buffer_at(a) {
        let bytes = matches!(
            plan.ctx.pointer_type(plan.ctx.buffer_elem_tag(b.elem)),
            CType::Prim(Prim::Char | Prim::SChar | Prim::UChar)
        );
        if !bytes || read_only_view(st, a) {
            return Err(plan.type_error(st, a, "string or char buffer"));
        }
        if b.mem.len() < n {
            return Err(plan.arg_error(
                size_arg,
                Problem::Other(format!(
                    "a text size of {n} bytes, but the buffer holds {}",
                    b.mem.len()
                )),
            ));
        }
        let text = b.mem.slice(0, n);
        if !(0..n).any(|k| text.read::<u8>(k) == 0) {
            return Err(plan.arg_error(
                a,
                Problem::Other(format!(
                    "the text buffer has no NUL in its first {n} bytes: C would read past them"
                )),
            ));
        }
        return Ok(text);
    }
    let mem = scope.alloc(n);
    match st.type_of(a) {
        LuaType::Nil | LuaType::None => {}
        ty @ (LuaType::String | LuaType::Number) => {
            let s = match ty {
                LuaType::String => st.string(a),
                _ => st.number_as_string(a),
            }
            .ok_or_else(Error::internal)?;
            // The Lua string's bytes, without its NUL, cut to leave room for one.
            let len = (s.len() - 1).min(n - 1);
            mem.copy_from(0, s.slice(0, len));
        }
        _ => return Err(plan.type_error(st, a, "string or char buffer")),
    }
    Ok(mem)
}

/// A pointer C will free: only a live pointer value raylib allocated for the caller (of the
/// right pointee type unless either side is `void *`), or nil.
#[inline]
fn owned_arg(plan: &CallPlan, st: &Stack, a: c_int, tag: u32) -> Result<usize, Error> {
    let ctx = plan.ctx;
    match st.pointer_at(a) {
        Some(p) if p.freed => Err(plan.arg_error(
            a,
            Problem::Other(format!("{} already freed", ctx.pointer_name(p.tag))),
        )),
        // C frees through the elements of pointer arrays (`UnloadTextLines`), and of structs
        // with pointer fields: only their own pointer type, never a `void *`.
        Some(p) if !(tag == 0 || p.tag == tag || (p.tag == 0 && plain_pointee(ctx, tag))) => {
            Err(plan.type_error(st, a, &ctx.pointer_name(tag)))
        }
        Some(p) if !p.owned => Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "{} not allocated for the caller: only pointers from Load*, MemAlloc and \
                 the like can be freed",
                ctx.pointer_name(p.tag)
            )),
        )),
        Some(p) => Ok(p.ptr as usize),
        None if matches!(st.type_of(a), LuaType::Nil | LuaType::None) => Ok(0),
        None => Err(plan.type_error(st, a, &ctx.pointer_name(tag))),
    }
}

/// Whether pointees of type `tag` hold no pointers C follows.
fn plain_pointee(ctx: &Ctx, tag: u32) -> bool {
    use crate::registry::CType;
    match ctx.pointer_type(tag) {
        CType::Pointer { .. } => false,
        CType::Struct(sid) => ctx.structs[sid].describing.is_none(),
        _ => true,
    }
}

/// Whether `tag` is a byte type's: `char *` and `unsigned char *` without a count are strings
/// or pixel data C reads or writes to a length of its own, so no buffer goes there.
fn is_char(plan: &CallPlan, tag: u32) -> bool {
    use crate::registry::{CType, Prim};
    matches!(
        plan.ctx.pointer_type(tag),
        CType::Prim(Prim::Char | Prim::SChar | Prim::UChar)
    )
}

/// The count of an array: nil means the whole array; never negative, never more than it
/// holds (`available` is `usize::MAX` behind a pointer raylib returned).
fn count_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    prim: crate::registry::Prim,
    available: usize,
) -> Result<u32, Error> {
    if available & NIL_WITH_COUNT != 0 && available != usize::MAX {
        // NULL with a count raylib documents: it fills in that many codepoints itself.
        let most = available & !NIL_WITH_COUNT;
        let n = match st.type_of(a) {
            LuaType::Nil | LuaType::None => 0,
            _ => to_c_integer(st, a, prim).map_err(|e| match e {
                ScalarError::Type => plan.type_error(st, a, "number"),
                other => plan.arg_error(a, scalar_problem(other)),
            })?,
        };
        if n < 0 || n > most as i128 {
            return Err(plan.arg_error(
                a,
                Problem::Other(format!(
                    "a count from 0 to {most} expected with nil codepoints, got {n}: raylib \
                     loads that many codepoints from 32 up"
                )),
            ));
        }
        return Ok(n as u32);
    }
    let n = match st.type_of(a) {
        LuaType::Nil | LuaType::None if available != usize::MAX => available as i128,
        LuaType::Nil | LuaType::None => return Err(plan.arg_error(a, Problem::CountMissing)),
        _ => to_c_integer(st, a, prim).map_err(|e| match e {
            ScalarError::Type => plan.type_error(st, a, "number"),
            other => plan.arg_error(a, scalar_problem(other)),
        })?,
    };
    if n as f64 > prim.int_range().1 {
        // A Lua array or string longer than the C count type can say (`#s` = 2^31).
        return Err(plan.arg_error(a, Problem::OutOfRange));
    }
    if n < 0 || (available != usize::MAX && n as usize > available) {
        return Err(plan.arg_error(
            a,
            Problem::Count {
                count: n,
                available,
            },
        ));
    }
    Ok(n as u32)
}

/// An array length that is no length: the array was nil where raylib documents NULL with a
/// count, which may be up to the low bits (see `ArgKind::Array::nil_count`).
const NIL_WITH_COUNT: usize = 1 << (usize::BITS - 1);

/// A Lua array (table), a string (bytes), a struct value (one element), a pointer value
/// (length unknown: the count must be given), or nil. Returns the pointer and the length.
fn array_arg(
    plan: &CallPlan,
    st: &mut Stack,
    scope: &CallScope,
    a: c_int,
    elem: &FieldKind,
    elem_size: usize,
    elem_tag: u32,
) -> Result<(usize, usize), Error> {
    let ctx: &Ctx = plan.ctx;
    match st.type_of(a) {
        LuaType::Nil | LuaType::None => Ok((0, 0)),
        LuaType::String if elem_size == 1 => {
            let s = st.string(a).ok_or_else(Error::internal)?;
            Ok((s.as_ptr() as usize, s.len() - 1))
        }
        LuaType::Table => {
            let n = st.raw_len(a);
            let bytes = n
                .checked_mul(elem_size)
                .ok_or_else(|| plan.arg_error(a, Problem::OutOfRange))?;
            let buf = scope.alloc(bytes);
            if !st.ensure(2) {
                return Err(plan.arg_error(a, Problem::StackOverflow));
            }
            for i in 0..n {
                st.raw_get_index(a, i as i64 + 1);
                let dst = buf.slice(i * elem_size, elem_size);
                let r = if let FieldKind::Pointer(u32::MAX) = elem {
                    // An array of C strings: pointers into the table's own strings, which the
                    // table keeps alive for the call.
                    match st.string(-1) {
                        Some(s) => {
                            dst.write::<usize>(0, s.as_ptr() as usize);
                            Ok(())
                        }
                        None => Err(Problem::type_mismatch("string", describe(ctx, st, -1))),
                    }
                } else {
                    write_field(ctx, st, -1, elem, dst)
                };
                st.pop(1);
                if let (Ok(()), FieldKind::Struct(sid)) = (&r, elem) {
                    check_described(plan, st, a, *sid, dst, false)?;
                }
                r.map_err(|e| {
                    plan.arg_error(
                        a,
                        Problem::Element {
                            index: i + 1,
                            problem: Box::new(e),
                        },
                    )
                })?;
            }
            Ok((buf.as_ptr() as usize, n))
        }
        _ => {
            if let Some(b) = st.buffer_at(a) {
                // A typed buffer: its own elements, or its bytes where C takes bytes.
                if ctx.buffer_elem_tag(b.elem) == elem_tag {
                    if let FieldKind::Struct(sid) = elem {
                        for i in 0..b.count {
                            let e = b.mem.slice(i * elem_size, elem_size);
                            check_described(plan, st, a, *sid, e, false)?;
                        }
                    }
                    return Ok((b.mem.as_ptr() as usize, b.count));
                }
                if elem_size == 1 {
                    return Ok((b.mem.as_ptr() as usize, b.mem.len()));
                }
            }
            if let Some(s) = st.struct_at(a) {
                if let FieldKind::Struct(sid) = elem {
                    if s.ty == *sid {
                        check_described(plan, st, a, *sid, s.mem, false)?;
                        return Ok((s.mem.as_ptr() as usize, 1));
                    }
                }
            }
            if let Some(p) = st.pointer_at(a) {
                // A `void *` stands for plain elements only: C follows pointers in the
                // elements of pointer arrays and of structs with pointer fields.
                let plain = match elem {
                    FieldKind::Pointer(_) => false,
                    FieldKind::Struct(sid) => ctx.structs[*sid as usize].describing.is_none(),
                    _ => true,
                };
                if !p.freed && (p.tag == elem_tag || (p.tag == 0 && plain)) {
                    // Only as long as raylib said the memory is.
                    let Some(bytes) = ctx.vouched.len(p.ptr as usize) else {
                        return Err(plan.arg_error(
                            a,
                            Problem::Other(format!(
                                "{} of unknown length: pass a typed buffer or a table (lunaray \
                                 knows the length of memory only from functions that return it)",
                                ctx.pointer_name(p.tag)
                            )),
                        ));
                    };
                    return Ok((p.ptr as usize, bytes / elem_size.max(1)));
                }
            }
            Err(plan.type_error(st, a, "table"))
        }
    }
}

impl CallPlan {
    pub(crate) fn arg_error(&self, arg: c_int, problem: Problem) -> Error {
        problem.at(self.fname, arg)
    }

    #[cold]
    pub(crate) fn type_error(&self, st: &Stack, arg: c_int, expected: &str) -> Error {
        let got = if arg > st.top() {
            "no value".to_string()
        } else {
            describe(self.ctx, st, arg)
        };
        self.arg_error(arg, Problem::type_mismatch(expected, got))
    }
}
