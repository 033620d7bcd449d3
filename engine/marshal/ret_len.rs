//! The length of memory a function returns: its rule (`registry::return_lengths`) resolved
//! once per plan to argument indices and field offsets, and the bytes computed per call
//! from the call's frame, as raylib's own allocation computed them.
//!
//! Contract: `bytes` gives a length only where every integer it multiplies is within the C
//! type raylib computed it in (an `int` product past `INT_MAX` is no length), and only for a
//! non-NULL return (the executor asks for none other).

use crate::registry::layout::Layout;
use crate::registry::semantics::Unsupported;
use crate::registry::{CType, FuncDecl, Prim, Registry};

use super::args::{Arg, ArgKind, ArgPlan, OutConv, MAX_PARAMS};
use crate::ffi::memory::CMem;

/// The length of memory a function returns (`registry::return_lengths`), resolved to the
/// call frame: elements of `elem` bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum RetLen {
    /// An out-parameter's value (`int *count`, `int *dataSize`).
    Out { arg: u8, elem: u32 },
    /// An integer argument's value (`LoadRandomSequence(count)`, `MemAlloc(size)`).
    Arg { arg: u8, elem: u32 },
    /// The product of two integer arguments, `times` elements each.
    Args { a: u8, b: u8, times: u32, elem: u32 },
    /// The product of the `int`/`unsigned int` fields at offsets `a` and `b` of a struct
    /// argument (`image.width*image.height`).
    Fields {
        arg: u8,
        a: u32,
        b: u32,
        unsigned: bool,
        elem: u32,
    },
    /// A fixed number of bytes.
    Fixed { bytes: u32 },
}

/// The return length rule of `f` (`registry::return_lengths`) resolved to argument indices
/// and field offsets, for a pointee of layout `elem`.
pub(super) fn resolve(
    reg: &Registry,
    f: &FuncDecl,
    args: &[Arg],
    elem: Layout,
) -> Result<Option<RetLen>, Unsupported> {
    use crate::registry::return_lengths::{for_function, Length};
    let Some((length, _)) = for_function(f) else {
        return Ok(None);
    };
    let elem = elem.size.max(1) as u32;
    let bad = || Unsupported::Parameter(format!("return length of {}", f.name));
    let idx = |name: &str| {
        f.params
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as u8)
            .ok_or_else(bad)
    };
    Ok(Some(match length {
        Length::Out(p) => {
            let arg = idx(p)?;
            // Only an out-parameter the call gives C a slot for (not one Lua filled).
            if !matches!(
                args[arg as usize].kind,
                ArgKind::Out {
                    conv: OutConv::Scalar(Prim::Int),
                    ..
                }
            ) {
                return Ok(None);
            }
            RetLen::Out { arg, elem }
        }
        Length::Param(p) => RetLen::Arg { arg: idx(p)?, elem },
        Length::Params(a, b, times) => RetLen::Args {
            a: idx(a)?,
            b: idx(b)?,
            times,
            elem,
        },
        Length::Fields(p, a, b) => {
            let arg = idx(p)?;
            let CType::Struct(sid) = f.params[arg as usize].ty else {
                return Err(bad());
            };
            let s = &reg.structs[sid];
            let (fa, fb) = (s.field(a).ok_or_else(bad)?, s.field(b).ok_or_else(bad)?);
            RetLen::Fields {
                arg,
                a: fa.offset as u32,
                b: fb.offset as u32,
                unsigned: fa.ty == CType::Prim(Prim::UInt),
                elem,
            }
        }
        Length::Fixed(n) => RetLen::Fixed { bytes: n * elem },
    }))
}

/// The bytes behind a returned pointer, from its declared length and the call's frame; None
/// where C's arithmetic in raylib's allocation would have overflowed (so the allocation is
/// not the product) or a count is negative.
#[cold]
pub(super) fn bytes<const N: usize>(
    ap: &ArgPlan,
    frame: &[u64; N],
    outs: &[Option<CMem<'_>>; MAX_PARAMS],
    len: RetLen,
) -> Option<usize> {
    // An integer argument as C saw it: its register word holds the value sign- or
    // zero-extended (`scalar` conversion), an `unsigned int` never above u32::MAX.
    let int = |arg: u8| {
        let a = ap.args.get(arg as usize)?;
        let w = frame[a.slot as usize];
        Some(match a.kind {
            ArgKind::Int(p) if p.is_signed() => (w as i64, i32::MAX as i64),
            _ => (w as u32 as i64, u32::MAX as i64),
        })
    };
    let within = |n: i64, max: i64| (0..=max).contains(&n).then_some(n as usize);
    let elems = |n: usize, elem: u32| n.checked_mul(elem as usize);
    match len {
        RetLen::Out { arg, elem } => {
            let n = outs[arg as usize]?.read::<i32>(0) as i64;
            elems(within(n, i32::MAX as i64)?, elem)
        }
        RetLen::Arg { arg, elem } => {
            let (n, max) = int(arg)?;
            elems(within(n, max)?, elem)
        }
        RetLen::Args { a, b, times, elem } => {
            let ((x, max), (y, _)) = (int(a)?, int(b)?);
            let n = within(x.checked_mul(y)?.checked_mul(times as i64)?, max)?;
            elems(n, elem)
        }
        RetLen::Fields {
            arg,
            a,
            b,
            unsigned,
            elem,
        } => {
            let mut seen = super::contracts::frame_struct(frame, ap.args.get(arg as usize)?)?;
            let m = seen.mem();
            let (x, y, max) = if unsigned {
                let (x, y) = (m.read::<u32>(a as usize), m.read::<u32>(b as usize));
                (x as i64, y as i64, u32::MAX as i64)
            } else {
                let (x, y) = (m.read::<i32>(a as usize), m.read::<i32>(b as usize));
                (x as i64, y as i64, i32::MAX as i64)
            };
            let n = within(x.checked_mul(y)?, max)?;
            elems(n, elem)
        }
        RetLen::Fixed { bytes } => Some(bytes as usize),
    }
}
