//! The generator: one call per index, rendered as Lua source, from the registry's declared
//! parameter kinds (`registry::semantics`). Most arguments are of the kind the parameter
//! wants, often plausible, so calls get past the first check and into raylib; a share of
//! every kind is hostile (wrong type, nil, NaN, ±inf, limits, forged or mutated structs,
//! buffers of the wrong type or length, pool values of another kind).
//!
//! Contract: `call(i)` depends only on the seed, `i` and the calls made before it by this
//! generator (through the pool model), so a worker started at the same index with the same
//! seed makes the same calls. Every call is one line of Lua source.

use super::exclusions;
use super::pool::{Held, Pool};
use super::values::{self, Rng};
use crate::registry::semantics::{classify, ParamKind, ReturnKind};
use crate::registry::{CType, Prim, Registry, StructId};

/// A function the generator calls, with its parameters' meanings.
struct Target {
    name: String,
    params: Vec<ParamKind>,
    ret: ReturnKind,
}

/// One generated call: the function and the Lua source that makes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub function: String,
    pub source: String,
}

/// Every this many calls the frame ends and a new one begins (so most calls draw between
/// BeginDrawing and EndDrawing, as a game's do).
pub const FRAME_EVERY: u64 = 97;

/// The share of generated lines that index, write, measure or read a field of a pool value
/// instead of calling a function (`super::access`).
const ACCESS_PERCENT: usize = 4;

pub struct Generator<'r> {
    reg: &'r Registry,
    targets: Vec<Target>,
    pool: Pool,
    seed: u64,
}

impl<'r> Generator<'r> {
    /// A generator over the `bound` functions (those the `rl` table has), minus the
    /// exclusion table's.
    pub fn new(reg: &'r Registry, bound: &[&str], seed: u64) -> Generator<'r> {
        let mut targets: Vec<Target> = bound
            .iter()
            .filter(|n| exclusions::reason(n).is_none())
            .filter_map(|n| {
                let sem = classify(reg, reg.function(n)?).ok()?;
                Some(Target {
                    name: n.to_string(),
                    params: sem.params,
                    ret: sem.ret,
                })
            })
            .collect();
        targets.sort_by(|a, b| a.name.cmp(&b.name));
        Generator {
            reg,
            targets,
            pool: Pool::after_setup(reg),
            seed,
        }
    }

    /// The functions this generator calls.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.targets.iter().map(|t| t.name.as_str())
    }

    /// The call at `index`.
    pub fn call(&mut self, index: u64) -> Call {
        if index % FRAME_EVERY == FRAME_EVERY - 1 {
            return Call {
                function: "EndDrawing".into(),
                source: "rl.EndDrawing() rl.BeginDrawing()".into(),
            };
        }
        let mut r = Rng::for_call(self.seed, index);
        if r.chance(ACCESS_PERCENT) {
            return super::access::access(self.reg, &mut self.pool, &mut r);
        }
        let t = &self.targets[r.below(self.targets.len())];
        let mut b = Build {
            reg: self.reg,
            pool: &self.pool,
            r: &mut r,
            prelude: String::new(),
            locals: 0,
        };
        let mut args: Vec<String> = t
            .params
            .iter()
            .filter(|k| !matches!(k, ParamKind::Out(_)))
            .map(|k| b.arg(k))
            .collect();
        if b.r.chance(3) && !args.is_empty() {
            let keep = b.r.below(args.len());
            args.truncate(keep);
        }
        if b.r.chance(2) {
            args.push(b.hostile());
        }
        let prelude = std::mem::take(&mut b.prelude);
        let call = format!("rl.{}({})", t.name, args.join(", "));
        let stored = match &t.ret {
            ReturnKind::Struct(id) => Some(Held::Struct(*id)),
            ReturnKind::Pointer { to, .. } => Some(Held::Pointer(to.clone())),
            _ => None,
        };
        let function = t.name.clone();
        let source = match stored {
            Some(held) => {
                let k = self.pool.result_slot(&mut r);
                self.pool.set(k, Some(held));
                format!("{prelude}P[{k}] = nil P[{k}] = {call}")
            }
            None => format!("{prelude}{call}"),
        };
        Call { function, source }
    }
}

/// Builds the arguments of one call.
struct Build<'a> {
    reg: &'a Registry,
    pool: &'a Pool,
    r: &'a mut Rng,
    /// Statements run before the call (mutated struct copies), ending in a space.
    prelude: String,
    locals: usize,
}

impl Build<'_> {
    fn arg(&mut self, kind: &ParamKind) -> String {
        if self.r.chance(12) {
            return self.hostile();
        }
        match kind {
            ParamKind::Scalar(p) | ParamKind::Checked { prim: p, .. } => self.number(*p),
            ParamKind::Struct(id) => self.struct_value(*id, false),
            ParamKind::StructRef(id) => self.struct_value(*id, true),
            // No catalog string is a plain http(s) URL: OpenURL never reaches a shell.
            ParamKind::CString
            | ParamKind::StringNilEmpty
            | ParamKind::StringNotNull
            | ParamKind::Url => self.string(),
            ParamKind::FileName { .. } => self.r.pick(values::FILE_NAMES).to_string(),
            ParamKind::Array { elem, .. } => self.array(elem),
            ParamKind::Count { .. } => match self.r.below(10) {
                0..=3 => "nil".into(),
                4..=7 => self.r.pick(values::PLAIN_NUMBERS).to_string(),
                _ => self.r.pick(values::HOSTILE_NUMBERS).to_string(),
            },
            ParamKind::Pointer { to, .. } => self.pointer(to),
            ParamKind::Owned(to) => match self.r.below(10) {
                0..=6 => self.pooled(|h| matches!(h, Held::Pointer(t) if same_pointee(t, to))),
                7 => "nil".into(),
                _ => self.hostile(),
            },
            ParamKind::Out(ty) => match self.r.below(4) {
                0 => self.buffer_of(ty),
                1 => self.hostile(),
                _ => "nil".into(),
            },
            ParamKind::InOut(ty) => match (self.r.below(6), ty) {
                (0, _) => self.buffer_of(ty),
                (1, _) => "nil".into(),
                (_, CType::Struct(id)) => self.struct_value(*id, true),
                (_, CType::Prim(p)) => self.number(*p),
                _ => self.hostile(),
            },
            ParamKind::Text(_) => match self.r.below(6) {
                0 => format!("rl.new('char[?]', {})", self.r.pick(values::COUNTS)),
                1 => format!(
                    "rl.new('unsigned char[{}]', {{65, 66}})",
                    self.r.pick(&["1", "2", "3", "64"])
                ),
                _ => self.string(),
            },
            ParamKind::TextSize { .. } => self.number(Prim::Int),
        }
    }

    /// A typed buffer of `ty` (one element, none, or several), or of another type.
    fn buffer_of(&mut self, ty: &CType) -> String {
        let name = self.reg.type_name(ty);
        match self.r.below(4) {
            0 => format!("rl.new('{name}[?]', 0)"),
            1 => format!("rl.new('{name}[?]', {})", self.r.pick(values::COUNTS)),
            2 => "rl.new('double[1]')".into(),
            _ => format!("rl.new('{name}[1]')"),
        }
    }

    /// Anything: a hostile number, a value of the wrong type, or any pool slot.
    fn hostile(&mut self) -> String {
        match self.r.below(4) {
            0 | 1 => self.r.pick(values::HOSTILE_NUMBERS).to_string(),
            2 => self.r.pick(values::WRONG_TYPES).to_string(),
            _ => format!("P[{}]", self.pool.any(self.r)),
        }
    }

    /// A pool slot holding what `want` accepts, else any slot.
    fn pooled(&mut self, want: impl Fn(&Held) -> bool) -> String {
        let k = self
            .pool
            .find(self.r, want)
            .unwrap_or_else(|| self.pool.any(self.r));
        format!("P[{k}]")
    }

    fn number(&mut self, p: Prim) -> String {
        if p == Prim::Bool && self.r.chance(80) {
            return self.r.pick(&["true", "false"]).to_string();
        }
        if self.r.chance(75) {
            self.r.pick(values::PLAIN_NUMBERS).to_string()
        } else {
            self.r.pick(values::HOSTILE_NUMBERS).to_string()
        }
    }

    fn string(&mut self) -> String {
        if self.r.chance(85) {
            self.r.pick(values::STRINGS).to_string()
        } else {
            self.hostile()
        }
    }

    fn struct_name(&self, id: StructId) -> &str {
        &self.reg.structs[id].name
    }

    /// A struct argument: a pool value (or a copy), a mutated copy, a zeroed value, a table
    /// with plausible, missing or extra fields, a one-element buffer, another struct.
    fn struct_value(&mut self, id: StructId, by_ref: bool) -> String {
        let name = self.struct_name(id).to_string();
        let slot = self
            .pool
            .find(self.r, |h| matches!(h, Held::Struct(s) if *s == id));
        match (self.r.below(10), slot) {
            // By reference, C changes the value in place: a copy keeps the pool's intact
            // half the time.
            (0..=3, Some(k)) if by_ref && self.r.chance(50) => format!("rl.new('{name}', P[{k}])"),
            (0..=3, Some(k)) => format!("P[{k}]"),
            (4, _) => self.mutated(id, slot),
            (5, _) => format!("rl.new('{name}')"),
            (8, _) if self.r.chance(50) => "{}".into(),
            (8, _) => {
                let t = self.table_of(id, 0);
                format!("{}, foo = 1, [99] = 2}}", &t[..t.len() - 1])
            }
            (9, _) if by_ref => format!("rl.new('{name}[?]', {})", self.r.pick(values::COUNTS)),
            (9, _) => self.pooled(|h| matches!(h, Held::Struct(s) if *s != id)),
            _ => self.table_of(id, 0),
        }
    }

    /// A copy of a pool value (or a zeroed one) with one field changed to disagree with the
    /// rest (`img.width = 5000`, `font.glyphs = nil`, `mesh.vertices = P[21]`).
    fn mutated(&mut self, id: StructId, slot: Option<usize>) -> String {
        self.locals += 1;
        let local = format!("a{}", self.locals);
        let name = self.struct_name(id).to_string();
        let src = slot.map_or("{}".to_string(), |k| format!("P[{k}] or {{}}"));
        let mut s = format!("local {local} = rl.new('{name}', {src}) ");
        let fields = &self.reg.structs[id].fields;
        if !fields.is_empty() {
            let f = &fields[self.r.below(fields.len())];
            let (path, ty) = match &f.ty {
                CType::Struct(inner) if !self.reg.structs[*inner].fields.is_empty() => {
                    let sub = &self.reg.structs[*inner].fields;
                    let g = &sub[self.r.below(sub.len())];
                    (format!("{local}.{}.{}", f.name, g.name), g.ty.clone())
                }
                other => (format!("{local}.{}", f.name), other.clone()),
            };
            let value = self.field_value(&ty);
            s.push_str(&format!("{path} = {value} "));
        }
        self.prelude.push_str(&s);
        local
    }

    /// A value a field of type `ty` accepts (so the assignment itself does not fail), chosen
    /// to disagree with the struct's other fields.
    fn field_value(&mut self, ty: &CType) -> String {
        match ty {
            CType::Prim(p) if p.is_float() => self.r.pick(values::HOSTILE_NUMBERS).to_string(),
            CType::Prim(Prim::Bool) => "true".into(),
            CType::Prim(p) if p.size() == 1 => self.r.below(256).to_string(),
            CType::Prim(p) if !p.is_signed() => self
                .r
                .pick(&["0", "1", "5000", "65535", "1000000", "4294967295"])
                .to_string(),
            CType::Prim(_) => self
                .r
                .pick(&[
                    "0",
                    "-1",
                    "5000",
                    "100000",
                    "2147483647",
                    "-2147483648",
                    "7",
                ])
                .to_string(),
            CType::Pointer { .. } => match self.r.below(3) {
                0 => "nil".into(),
                _ => self.pooled(|h| matches!(h, Held::Pointer(_))),
            },
            _ => "nil".into(),
        }
    }

    /// A table standing for struct `id`: plausible values, positional or named.
    fn table_of(&mut self, id: StructId, depth: usize) -> String {
        let fields: Vec<(String, CType)> = self.reg.structs[id]
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect();
        if depth > 2 {
            return "{}".into();
        }
        let named = self.r.chance(50);
        let parts: Vec<String> = fields
            .iter()
            .map(|(n, ty)| {
                let v = self.element(ty, depth + 1);
                if named {
                    format!("{n} = {v}")
                } else {
                    v
                }
            })
            .collect();
        format!("{{{}}}", parts.join(", "))
    }

    /// One value of C type `ty` as a table field or array element.
    fn element(&mut self, ty: &CType, depth: usize) -> String {
        match ty {
            CType::Prim(Prim::Bool) => "true".into(),
            CType::Prim(p) if p.size() == 1 && !p.is_signed() => self.r.below(256).to_string(),
            CType::Prim(p) => self.number(*p),
            CType::Struct(id) => self.table_of(*id, depth),
            CType::Pointer { to, .. } if **to == CType::Prim(Prim::Char) => self.string(),
            CType::Pointer { to, .. } if self.r.chance(30) => {
                let to = (**to).clone();
                self.pooled(|h| matches!(h, Held::Pointer(t) if same_pointee(t, &to)))
            }
            CType::Array { of, .. } if **of == CType::Prim(Prim::Char) => self.string(),
            CType::Array { of, len } => {
                let n = (*len).min(4);
                let items: Vec<String> = (0..n).map(|_| self.element(of, depth + 1)).collect();
                format!("{{{}}}", items.join(", "))
            }
            _ => "nil".into(),
        }
    }

    /// The `rl.new` spelling of a buffer of `ty`, if it can make one.
    fn buffer_type(&self, ty: &CType) -> Option<String> {
        match ty {
            CType::Prim(Prim::Void) => None,
            CType::Prim(p) => Some(p.c_name().to_string()),
            CType::Struct(id) => Some(self.struct_name(*id).to_string()),
            _ => None,
        }
    }

    /// An array argument: a Lua table of elements, a typed buffer of the right or wrong type
    /// and any length, a pool pointer or buffer, a string, nil.
    fn array(&mut self, elem: &CType) -> String {
        let n = *self.r.pick(values::COUNTS);
        match self.r.below(8) {
            0..=2 => {
                let items: Vec<String> = (0..n.min(16)).map(|_| self.element(elem, 1)).collect();
                format!("{{{}}}", items.join(", "))
            }
            3 => match self.buffer_type(elem) {
                Some(t) => format!("rl.new('{t}[?]', {n})"),
                None => self.string(),
            },
            4 => format!("rl.new('{}[?]', {n})", self.r.pick(values::BUFFER_TYPES)),
            5 => self.pooled(|h| match h {
                Held::Pointer(t) | Held::Buffer(t) => same_pointee(t, elem),
                Held::Struct(s) => *elem == CType::Struct(*s),
            }),
            6 => self.string(),
            _ => self.hostile(),
        }
    }

    /// Any other pointer: a pool pointer or buffer or struct of the pointee type, a typed
    /// buffer, a string, nil.
    fn pointer(&mut self, to: &CType) -> String {
        let n = *self.r.pick(values::COUNTS);
        match self.r.below(8) {
            0..=2 => self.pooled(|h| match h {
                Held::Pointer(t) | Held::Buffer(t) => same_pointee(t, to),
                Held::Struct(s) => *to == CType::Struct(*s) || to.is_void(),
            }),
            3 => match self.buffer_type(to) {
                Some(t) => format!("rl.new('{t}[?]', {n})"),
                None => format!("rl.new('{}[?]', {n})", self.r.pick(values::BUFFER_TYPES)),
            },
            4 => format!("rl.new('{}[?]', {n})", self.r.pick(values::BUFFER_TYPES)),
            5 => self.string(),
            6 => "nil".into(),
            _ => self.hostile(),
        }
    }
}

/// Whether a pointer to `a` can stand where a pointer to `b` is taken (equal, or one is
/// `void`).
fn same_pointee(a: &CType, b: &CType) -> bool {
    a == b || a.is_void() || b.is_void()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(reg: &Registry) -> Vec<&str> {
        reg.functions.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn the_same_seed_makes_the_same_calls() {
        let reg = Registry::raylib();
        let bound = names(&reg);
        let run = |seed| {
            let mut g = Generator::new(&reg, &bound, seed);
            (0..2000).map(|i| g.call(i)).collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        assert!(a.iter().all(|c| !c.source.contains('\n')));
        // Excluded functions are never called.
        for c in &a {
            assert!(
                exclusions::reason(&c.function).is_none() || c.function == "EndDrawing",
                "{}",
                c.function
            );
        }
    }
}
