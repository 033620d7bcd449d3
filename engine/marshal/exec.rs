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
//! state at all. The argument converters live beside it: `arg_texts` (strings, paths, edited
//! texts), `arg_pointers` (pointers, arrays, in/out targets), `arg_checked` (preconditions).

use std::ffi::{c_int, c_void};

use crate::abi::FRAME_WORDS;
use crate::abi::MEMORY_BASE;
use crate::arena::CallScope;
use crate::error::{Error, Problem};
use crate::ffi::cif::BoundFunction;
use crate::ffi::direct::{MemoryInvoker, RegInvoker, REG_WORDS};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;

use super::arg_checked::{checked_arg, scalar_problem};
use super::arg_pointers::{
    array_arg, count_arg, owned_arg, pointer_arg, struct_ref_arg, target_name, value_target,
};
use super::arg_texts::{
    cstring_arg, file_name_arg, gui_text_arg, near_memory_limit, text_buffer, text_size_arg,
    url_arg,
};
use super::args::{ArgKind, ArgPlan, Ret, MAX_PARAMS, MAX_VOUCHED};
use super::contracts::{
    check_byte_need, check_coordinates, check_font, check_rect_in_image, check_text_fit,
    check_text_image,
};
use super::plan::{CallPlan, Pipeline};
use super::records::{record, update_records, vouched_arg, Seen};
use super::ret::{push_out, push_ret};
use super::scalar::{int_arg_bits, ScalarError};
use super::structs::{describe, scalar_expected, struct_into, write_field};

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
pub(super) fn execute<const N: usize, const SCRATCH: bool>(
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
                    (_, elem) => st.pointer_len(a).map_or(0, |b| b / elem as usize),
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
                // (An out-parameter before others has no Lua position: 0 is no stack index.)
                let given = match (a, if a == 0 { LuaType::None } else { st.type_of(a) }) {
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
        if let Some(t) = ap.text_image {
            check_text_image(plan, ap, st, &frame, t)?;
        }
        if let Some(a) = ap.automation {
            super::automation::before(plan, ap, st, &frame, a)?;
        }
        if let Some(image) = ap.rotates {
            super::image_rotate::check(plan, ap, st, &frame, image)?;
        }
        if let Some(f) = &ap.font {
            check_font(plan, ap, st, &frame, f, &converted_bytes)?;
        }
        if let Some(fit) = ap.text_fit {
            check_text_fit(plan, ap, st, &frame, fit)?;
        }
        if let Some((most, why)) = ap.count_bound {
            if let Some(count) = ap.args.iter().find(|a| {
                matches!(a.kind, ArgKind::Count { .. })
                    && frame[a.slot as usize] as u32 as u64 > most
            }) {
                return Err(plan.arg_error(
                    count.lua,
                    Problem::Other(format!(
                        "a count of {} bytes, more than {most}: {why}",
                        frame[count.slot as usize] as u32
                    )),
                ));
            }
        }
        if let Some(why) = ap.non_empty {
            if let Some(count) = ap.args.iter().find(|a| {
                matches!(a.kind, ArgKind::Count { .. }) && frame[a.slot as usize] as u32 == 0
            }) {
                return Err(
                    plan.arg_error(count.lua, Problem::Other(format!("a count of 0: {why}")))
                );
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
        if let Some(a) = ap.automation {
            super::automation::after(plan, ap, st, &frame, a);
        }
    }
    if SCRATCH && ap.frees {
        // The memory is gone: every reference to these pointer values now sees them freed,
        // and the struct values unloaded are zeroed and marked unloaded: unloading one again
        // or using it is an error naming the function that unloaded it (an `Is*Valid` still
        // answers false), and its zeroed bytes reach nothing freed.
        for arg in ap.args.iter() {
            match arg.kind {
                ArgKind::Owned { .. } => st.free_pointer(arg.lua, plan.decl as u32),
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
    // The length of returned memory, carried by the pointer value: it makes the value
    // indexable and bounds array counts, byte needs and the `Unload*` count that frees it.
    let ret_bytes = match (SCRATCH, ap.ret_len) {
        (true, Some(len)) if bits[0] != 0 => super::ret_len::bytes(ap, &frame, &outs, len),
        _ => None,
    };
    let mut results = push_ret(ctx, st, &ap.ret, bits, ret_bytes.unwrap_or(0));
    if memory_return {
        results = 1;
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

#[inline(always)]
pub(super) fn number(plan: &CallPlan, st: &Stack, a: c_int) -> Result<f64, Error> {
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

/// An array length that is no length: the array was nil where raylib documents NULL with a
/// count, which may be up to the low bits (see `ArgKind::Array::nil_count`).
pub(super) const NIL_WITH_COUNT: usize = 1 << (usize::BITS - 1);

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

/// A copy of the `len` bytes at `ptr`, the address the executor put in the frame for an
/// `Array` argument whose `Count` it checked (`FontPlan` takes only those): the font check's
/// read of a font loader's bytes and codepoints.
fn converted_bytes(ptr: u64, len: usize) -> Vec<u8> {
    if ptr == 0 || len == 0 {
        return Vec::new();
    }
    // SAFETY: `array_arg` put `ptr` in the frame: a Lua string or typed buffer on the stack
    // for the call, the call scope's converted table, or live raylib memory of the length
    // raylib returned it with; `count_arg` checked that the count (here in bytes: elements
    // times their size) is no more than that memory holds. Nothing writes to it meanwhile.
    unsafe { std::slice::from_raw_parts(ptr as *const u8, len) }.to_vec()
}
