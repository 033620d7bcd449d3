//! Generated lines that are not calls: a pool value indexed (`P[3][7]`), written
//! (`P[3][0] = rl.RED`), measured (`#P[3]`), or read field by field with the result kept in
//! the pool (`P[48] = P[1].data`), so later calls get field pointers, element views and
//! pointers of every standing, dead ones included.
//!
//! Contract: as the generator's (`super::gen`): the line depends only on the rng and the
//! pool model, and it is one line of Lua source.

use super::gen::Call;
use super::pool::{Held, Pool};
use super::values::{Rng, HOSTILE_NUMBERS, WRONG_TYPES};
use crate::registry::{CType, Registry};

/// Indices: plausible (0, small), at the edges (-1, one past a 16-element value), huge,
/// fractional, and of the wrong type.
const INDICES: &[&str] = &[
    "0", "1", "2", "3", "-1", "15", "16", "63", "64", "1e9", "2^53", "0.5", "'r'", "'data'", "nil",
    "true",
];

/// Values written into elements.
const VALUES: &[&str] = &[
    "rl.RED",
    "0",
    "255",
    "-1",
    "1e300",
    "'text'",
    "{1, 2}",
    "rl.new('Color')",
    "rl.new('Vector2', 1, 2)",
    "nil",
];

/// One access line.
pub fn access(reg: &Registry, pool: &mut Pool, r: &mut Rng) -> Call {
    let k = pool.any(r);
    let index = |r: &mut Rng| r.pick(INDICES).to_string();
    let (function, source) = match r.below(5) {
        0 => ("index", format!("local v = P[{k}][{}]", index(r))),
        1 => {
            let value = match r.below(4) {
                0 => r.pick(HOSTILE_NUMBERS).to_string(),
                1 => r.pick(WRONG_TYPES).to_string(),
                2 => format!("P[{}]", pool.any(r)),
                _ => r.pick(VALUES).to_string(),
            };
            ("newindex", format!("P[{k}][{}] = {value}", index(r)))
        }
        2 => ("len", format!("local n = #P[{k}]")),
        3 => {
            // A field of the struct the slot holds (its pointer fields first), kept.
            let (name, held) = match pool.held(k) {
                Some(Held::Struct(id)) => field_of(reg, *id, r),
                _ => ("data".to_string(), None),
            };
            let slot = pool.result_slot(r);
            pool.set(slot, held);
            (
                "field",
                format!("P[{slot}] = nil P[{slot}] = P[{k}].{name}"),
            )
        }
        _ => {
            // An element kept: a view into an array, alive while what it points into is.
            let held = match pool.held(k) {
                Some(Held::Pointer(CType::Struct(id)) | Held::Buffer(CType::Struct(id))) => {
                    Some(Held::Struct(*id))
                }
                _ => None,
            };
            let slot = pool.result_slot(r);
            pool.set(slot, held);
            (
                "element",
                format!("P[{slot}] = nil P[{slot}] = P[{k}][{}]", index(r)),
            )
        }
    };
    Call {
        function: function.into(),
        source,
    }
}

/// A field name of struct `id`, a pointer field two times in three where it has one, and
/// what the pool should think the value is.
fn field_of(reg: &Registry, id: usize, r: &mut Rng) -> (String, Option<Held>) {
    let fields = &reg.structs[id].fields;
    if fields.is_empty() {
        return ("data".into(), None);
    }
    let pointers: Vec<_> = fields
        .iter()
        .filter(|f| matches!(f.ty, CType::Pointer { .. }))
        .collect();
    let f = if !pointers.is_empty() && r.below(3) < 2 {
        pointers[r.below(pointers.len())]
    } else {
        &fields[r.below(fields.len())]
    };
    let held = match &f.ty {
        CType::Pointer { to, .. } => Some(Held::Pointer((**to).clone())),
        CType::Struct(s) => Some(Held::Struct(*s)),
        _ => None,
    };
    (f.name.clone(), held)
}
