//! The executor's side of vouching (`vouch`): struct values with pointer fields checked
//! against the records before a call, and the records kept up to date after it (values C
//! changed in place, freed or took over; values raylib returned).
//!
//! Contract: a check copies the value's bytes as the call received them (no allocation); a
//! record is added or removed only after C returned; a returned value whose pointer fields
//! are all NULL (a failed load) is not recorded.

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;
use crate::ffi::memory::CMem;

use super::args::{After, ArgKind, ArgPlan, VouchArg, MAX_VOUCHED};
use super::plan::CallPlan;
use super::structs::FieldKind;
use super::vouch::{Key, Standing};
use super::Ctx;

/// A copy of a vouched argument's bytes as the call received them.
#[derive(Clone, Copy)]
pub(super) struct Seen {
    pub(super) words: [u64; SEEN_WORDS],
    pub(super) size: usize,
}

/// The largest struct with pointer fields passed by value, in words.
pub(super) const SEEN_WORDS: usize = 32;

impl Seen {
    pub(super) fn copy(mem: CMem<'_>) -> Option<Seen> {
        let mut words = [0u64; SEEN_WORDS];
        if mem.len() > SEEN_WORDS * 8 {
            return None;
        }
        CMem::from_words(&mut words).copy_from(0, mem);
        Some(Seen {
            words,
            size: mem.len(),
        })
    }

    pub(super) fn mem(&mut self) -> CMem<'_> {
        CMem::from_words(&mut self.words).slice(0, self.size)
    }
}

/// The bytes of a struct value passed by reference: its own, or a buffer's first element;
/// None for a pointer value (raylib's own memory).
pub(super) fn ref_bytes<'s>(st: &'s Stack, a: c_int, sid: u32, size: usize) -> Option<CMem<'s>> {
    if let Some(s) = st.struct_at(a).filter(|s| s.ty == sid) {
        return Some(s.mem);
    }
    st.buffer_at(a)
        .filter(|b| b.mem.len() >= size)
        .map(|b| b.mem.slice(0, size))
}

/// Checks a vouched argument against the records; returns a copy of its bytes (None for a
/// pointer value raylib returned).
#[cold]
#[inline(never)]
pub(super) fn vouched_arg<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    v: &VouchArg,
) -> Result<Option<Seen>, Error> {
    let arg = &ap.args[v.arg as usize];
    let size = plan.ctx.structs[v.sid as usize].size;
    if st.is_borrowed(arg.lua) {
        return borrowed_arg(plan, st, arg.lua, v);
    }
    let (slot, slot2) = (arg.slot as usize, arg.slot2 as usize);
    let seen = match arg.kind {
        ArgKind::StructRegs { .. } => {
            let mut w = [frame[slot], frame[slot2]];
            Seen::copy(CMem::from_words(&mut w).slice(0, size))
        }
        ArgKind::StructWords { .. } => {
            let n = size.div_ceil(8);
            let mut w = [0u64; SEEN_WORDS];
            let words = frame.get(slot..slot + n).ok_or_else(Error::internal)?;
            w.get_mut(..n)
                .ok_or_else(Error::internal)?
                .copy_from_slice(words);
            Seen::copy(CMem::from_words(&mut w).slice(0, size))
        }
        ArgKind::StructRef { .. } => match ref_bytes(st, arg.lua, v.sid, size) {
            Some(mem) => Seen::copy(mem),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let mut seen = seen.ok_or_else(Error::internal)?;
    check_described(plan, st, arg.lua, v.sid, seen.mem(), v.zero_ok)?;
    Ok(Some(seen))
}

/// A view into raylib's memory (`model.materials[0]`, `model.meshes`) where C takes a struct
/// with pointer fields: its chain was checked when its bytes were read (`struct_at`), and
/// its describing fields cannot be written through views, so it stands as raylib made it;
/// but it belongs to the struct it was read from, so nothing may free or take it over, and
/// no record follows it (a copy of it is no value raylib made).
#[cold]
fn borrowed_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    v: &VouchArg,
) -> Result<Option<Seen>, Error> {
    if v.after == After::Forget {
        let whose = st
            .view_state(a)
            .map(|vs| super::views::rule_name(vs.rule))
            .unwrap_or_default();
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "{} in {whose} is a view into raylib's memory: it is never freed or handed \
                 over on its own (unload what it was read from)",
                plan.ctx.structs[v.sid as usize].name
            )),
        ));
    }
    Ok(None)
}

/// A struct value with pointer fields must be one raylib made (or, where `zero_ok`, empty).
pub(super) fn check_described(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    sid: u32,
    mem: CMem<'_>,
    zero_ok: bool,
) -> Result<(), Error> {
    let info = &plan.ctx.structs[sid as usize];
    let Some(ranges) = info.describing.as_deref() else {
        return Ok(());
    };
    let name = &info.name;
    match plan.ctx.vouched.standing(&Key::of(ranges, mem)) {
        Standing::Known => Ok(()),
        // Elements of a pointer view (`Model.meshes` as an array): raylib's own, alive
        // (checked when the view's bytes were read), their describing fields unwritable.
        _ if st.is_borrowed(a) => Ok(()),
        Standing::Empty if zero_ok => Ok(()),
        Standing::Empty => Err(plan.arg_error(
            a,
            Problem::Other(format!("{name} is empty (zeroed or unloaded)")),
        )),
        Standing::Unknown => Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "{name} not made by raylib: built from a table or rl.new, changed where it \
                 describes its memory (sizes, counts, formats, ids, pointers), or unloaded"
            )),
        )),
    }
}

/// Records (`add`) or forgets a struct value raylib made, with the structs with pointer
/// fields embedded in it (a Material's Shader, a Sound's AudioStream).
pub(super) fn record(ctx: &Ctx, sid: u32, mem: CMem<'_>, add: bool) {
    let info = &ctx.structs[sid as usize];
    let Some(ranges) = info.describing.as_deref() else {
        return;
    };
    let key = Key::of(ranges, mem);
    if add {
        let zero_made = super::vouch::ZERO_MADE.contains(&info.name.as_str());
        // A value whose pointers are all NULL is a failed load or allocation (an Image of
        // a file that did not decode keeps its size): nothing to vouch for.
        let mut pointers = info
            .fields
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Pointer(_)))
            .peekable();
        let failed =
            pointers.peek().is_some() && pointers.all(|f| mem.read::<usize>(f.offset) == 0);
        if !failed || zero_made {
            ctx.vouched.add(&key, zero_made);
        }
    } else {
        ctx.vouched.remove(&key);
    }
    for f in &info.fields {
        if let FieldKind::Struct(sub) = f.kind {
            record(ctx, sub, mem.slice(f.offset, f.size), add);
        }
    }
}

/// After the call: records follow values C changed in place, and go with values it freed or
/// took over.
#[cold]
#[inline(never)]
pub(super) fn update_records(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    seen: &mut [Option<Seen>; MAX_VOUCHED],
) {
    let ctx = plan.ctx;
    for (v, before) in ap.vouch.iter().zip(seen.iter_mut()) {
        let Some(before) = before else { continue };
        match v.after {
            After::Keep => {}
            After::Forget => record(ctx, v.sid, before.mem(), false),
            After::Rekey => {
                let arg = &ap.args[v.arg as usize];
                let size = ctx.structs[v.sid as usize].size;
                if let Some(now) = ref_bytes(st, arg.lua, v.sid, size) {
                    if now.bytes_eq(before.mem()) {
                        continue;
                    }
                    record(ctx, v.sid, before.mem(), false);
                    record(ctx, v.sid, now, true);
                }
            }
        }
    }
}
