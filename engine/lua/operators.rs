//! Arithmetic on Vector2, Vector3, Vector4 (Quaternion) and Matrix values, as raymath defines
//! it: `a + b` is `Vector2Add(a, b)`, `v * 2` and `2 * v` are `Vector2Scale(v, 2)`, `v + n`
//! is `Vector2AddValue(v, n)`, `n - v` is `Vector2Subtract({n, n}, v)`, `v / n` is
//! `Vector2Divide(v, {n, n})`, `-v` is `Vector2Negate(v)`, `#v` is `Vector2Length(v)`, and so
//! on; `m1 * m2` is `MatrixMultiply(m1, m2)`, `m * v` is `Vector3Transform(v, m)`, `m1 + m2`
//! and `m1 - m2` are `MatrixAdd` / `MatrixSubtract`. Each result is a new value; operands are
//! never changed. `Vector4 * Vector4` is raymath's component-wise `Vector4Multiply` (the
//! rotation product of two quaternions is `rl.QuaternionMultiply`).
//!
//! The vector operations are one IEEE operation per component (and `sqrtf` of the same sums
//! in the same order for the length), so computing them here gives raymath's results bit for
//! bit without a call into C; the matrix products call raymath itself (its SSE code path
//! rounds in its own order), through a function pointer of its exact C type. `==` stays
//! exact equality of the bytes (values.rs), not raymath's epsilon comparison, which
//! `rl.Vector2Equals` keeps offering.
//!
//! Cost: an operator must cost no more than the `rl.*` call it stands for, although Lua's
//! metamethod dispatch (`luaT_trybinTM`: a metatable lookup, then a call) costs more than
//! `rl.X(...)`'s field lookup and call. So the metamethod does little else: each struct id
//! maps to its kind with one indexed load, operands are read as whole float arrays, the
//! number-on-either-side cases take one type check, and the result is written once into the
//! new value. Everything that is not a supported combination falls to [`Operator::refusal`],
//! which classifies the operands again for the error message. Operators are not call plans:
//! `lunaray.mode` (naive, libffi) does not reach them and they do not count as FFI calls.

use std::ffi::c_int;

use crate::error::Error;
use crate::ffi::direct::Floats16Binary;
use crate::ffi::lua_stack::{LuaHandler, LuaType, Stack};
use crate::marshal::plan::CallPlan;
use crate::marshal::Ctx;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Unm,
    Len,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Unm => "unary -",
            Op::Len => "#",
        }
    }

    /// `a[i] op b[i]` for each component, `a` on the left.
    #[inline(always)]
    fn apply<const N: usize>(self, a: [f32; N], b: [f32; N]) -> [f32; N] {
        let mut r = [0.0; N];
        for i in 0..N {
            r[i] = match self {
                Op::Add => a[i] + b[i],
                Op::Sub => a[i] - b[i],
                Op::Mul => a[i] * b[i],
                Op::Div => a[i] / b[i],
                Op::Unm | Op::Len => unreachable!("binary operations only"),
            };
        }
        r
    }
}

/// What operators make of a struct type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Other,
    Vector2,
    Vector3,
    Vector4,
    Matrix,
}

/// The value types operators know, with what they need.
pub struct Types {
    /// Each struct id's kind (Vector2/3/4: 2, 3 or 4 floats; Matrix: 16).
    kinds: Vec<Kind>,
    matrix: Option<MatrixInfo>,
}

struct MatrixInfo {
    sid: u32,
    /// Index among the sixteen floats (memory order) of m0..m15.
    index: [usize; 16],
    multiply: Option<Floats16Binary>,
    add: Option<Floats16Binary>,
    subtract: Option<Floats16Binary>,
}

impl Types {
    pub fn new(ctx: &Ctx, plans: &'static [CallPlan]) -> Types {
        let reg = &ctx.registry;
        let sid = |name: &str| reg.struct_id(name).map(|s| s as u32);
        let mut kinds = vec![Kind::Other; reg.structs.len()];
        for (name, n, kind) in [
            ("Vector2", 2, Kind::Vector2),
            ("Vector3", 3, Kind::Vector3),
            ("Vector4", 4, Kind::Vector4),
            ("Matrix", 16, Kind::Matrix),
        ] {
            if let Some(s) = reg.struct_id(name).filter(|&s| reg.is_floats(s, n)) {
                kinds[s] = kind;
            }
        }
        let plan = |name: &str| {
            plans
                .iter()
                .find(|p| p.name == name)
                .and_then(CallPlan::as_floats16_binary)
        };
        let matrix = sid("Matrix")
            .filter(|&m| kinds[m as usize] == Kind::Matrix)
            .and_then(|m| {
                let decl = &reg.structs[m as usize];
                let mut index = [0; 16];
                for (i, o) in index.iter_mut().enumerate() {
                    *o = decl.field(&format!("m{i}"))?.offset / 4;
                }
                Some(MatrixInfo {
                    sid: m,
                    index,
                    multiply: plan("MatrixMultiply"),
                    add: plan("MatrixAdd"),
                    subtract: plan("MatrixSubtract"),
                })
            });
        Types { kinds, matrix }
    }

    #[inline(always)]
    fn kind(&self, sid: u32) -> Kind {
        self.kinds.get(sid as usize).copied().unwrap_or(Kind::Other)
    }

    fn components(&self, sid: u32) -> Option<usize> {
        match self.kind(sid) {
            Kind::Vector2 => Some(2),
            Kind::Vector3 => Some(3),
            Kind::Vector4 => Some(4),
            Kind::Other | Kind::Matrix => None,
        }
    }
}

/// One operator metamethod of struct values.
pub struct Operator {
    pub ctx: &'static Ctx,
    pub types: &'static Types,
    pub op: Op,
}

/// An operand, classified for an error message.
enum Operand {
    Vector(u32),
    Matrix,
    Number,
    Other(String),
}

impl Operator {
    /// The supported combinations; None for everything else (an error, see `refusal`).
    #[inline(always)]
    fn compute(&self, st: &mut Stack) -> Option<c_int> {
        let Some(a) = st.struct_at(1) else {
            return self.number_left(st);
        };
        let (ty, mem) = (a.ty, a.mem);
        match self.types.kind(ty) {
            Kind::Vector2 => {
                let v = mem.read::<[f32; 2]>(0);
                self.vector_left(st, ty, v)
            }
            Kind::Vector3 => {
                let v = mem.read::<[f32; 3]>(0);
                self.vector_left(st, ty, v)
            }
            Kind::Vector4 => {
                let v = mem.read::<[f32; 4]>(0);
                self.vector_left(st, ty, v)
            }
            Kind::Matrix => {
                let m = mem.read::<[f32; 16]>(0);
                self.matrix_left(st, m)
            }
            Kind::Other => None,
        }
    }

    /// `v op w`, `v op x`, `-v`, `#v` for a vector `a` of type `ty` on the left.
    #[inline(always)]
    fn vector_left<const N: usize>(&self, st: &mut Stack, ty: u32, a: [f32; N]) -> Option<c_int>
    where
        [f32; N]: crate::ffi::memory::Scalar,
    {
        let r = match self.op {
            Op::Unm => a.map(|c| -c),
            Op::Len => {
                // raymath: sqrtf((v.x*v.x) + (v.y*v.y) [+ ...]), summed left to right.
                let sum = a[1..].iter().fold(a[0] * a[0], |s, c| s + c * c);
                st.push_number(f64::from(sum.sqrt()));
                return Some(1);
            }
            op => {
                let b = match st.struct_at(2) {
                    Some(b) if b.ty == ty => b.mem.read::<[f32; N]>(0),
                    Some(_) => return None,
                    // Vector2AddValue, Vector2SubtractValue, Vector2Scale,
                    // Vector2Divide(v, {x, x}).
                    None => [st.number(2)? as f32; N],
                };
                op.apply(a, b)
            }
        };
        st.push_struct_value(ty, r, self.ctx.struct_mt);
        Some(1)
    }

    /// `x op v` for a number `x` on the left: x + v and x * v as raymath's AddValue(v, x) /
    /// Scale(v, x); x - v and x / v as Subtract({x, x}, v) / Divide({x, x}, v).
    #[inline(always)]
    fn number_left(&self, st: &mut Stack) -> Option<c_int> {
        let b = st.struct_at(2)?;
        let (ty, mem) = (b.ty, b.mem);
        match self.types.kind(ty) {
            Kind::Vector2 => {
                let v = mem.read::<[f32; 2]>(0);
                self.number_vector(st, ty, v)
            }
            Kind::Vector3 => {
                let v = mem.read::<[f32; 3]>(0);
                self.number_vector(st, ty, v)
            }
            Kind::Vector4 => {
                let v = mem.read::<[f32; 4]>(0);
                self.number_vector(st, ty, v)
            }
            Kind::Other | Kind::Matrix => None,
        }
    }

    #[inline(always)]
    fn number_vector<const N: usize>(&self, st: &mut Stack, ty: u32, v: [f32; N]) -> Option<c_int>
    where
        [f32; N]: crate::ffi::memory::Scalar,
    {
        let x = [st.number(1)? as f32; N];
        let r = match self.op {
            Op::Add | Op::Mul => self.op.apply(v, x),
            Op::Sub | Op::Div => self.op.apply(x, v),
            Op::Unm | Op::Len => return None,
        };
        st.push_struct_value(ty, r, self.ctx.struct_mt);
        Some(1)
    }

    /// `m1 * m2`, `m1 + m2`, `m1 - m2` (raymath's own functions) and `m * v3`.
    #[inline(always)]
    fn matrix_left(&self, st: &mut Stack, a: [f32; 16]) -> Option<c_int> {
        let m = self.types.matrix.as_ref()?;
        let b = st.struct_at(2)?;
        let (ty, mem) = (b.ty, b.mem);
        match self.types.kind(ty) {
            Kind::Matrix => {
                let f = match self.op {
                    Op::Mul => m.multiply,
                    Op::Add => m.add,
                    Op::Sub => m.subtract,
                    _ => None,
                }?;
                let b = mem.read::<[f32; 16]>(0);
                let r = f.call(a, b);
                st.push_struct_value(m.sid, r, self.ctx.struct_mt);
                Some(1)
            }
            Kind::Vector3 if self.op == Op::Mul => {
                // raymath's Vector3Transform(v, m), in its order of operations.
                let [x, y, z] = mem.read::<[f32; 3]>(0);
                let e = |i: usize| a[m.index[i]];
                let r = [
                    e(0) * x + e(4) * y + e(8) * z + e(12),
                    e(1) * x + e(5) * y + e(9) * z + e(13),
                    e(2) * x + e(6) * y + e(10) * z + e(14),
                ];
                st.push_struct_value(ty, r, self.ctx.struct_mt);
                Some(1)
            }
            _ => None,
        }
    }

    fn operand(&self, st: &Stack, idx: c_int) -> Operand {
        if let Some(s) = st.struct_at(idx) {
            if self.types.components(s.ty).is_some() {
                return Operand::Vector(s.ty);
            }
            if self.types.kind(s.ty) == Kind::Matrix {
                return Operand::Matrix;
            }
            let name = &self.ctx.registry.structs[s.ty as usize].name;
            return Operand::Other(format!("a {name} value"));
        }
        match st.type_of(idx) {
            LuaType::Number => Operand::Number,
            t => Operand::Other(format!("a {} value", t.name())),
        }
    }

    fn refuse(&self, what: &str) -> Error {
        Error::runtime(format!(
            "attempt to perform arithmetic ({}) on {what}",
            self.op.symbol()
        ))
    }

    /// Why the operands have no operation, in Lua's words (`compute` found none).
    #[cold]
    #[inline(never)]
    fn refusal(&self, st: &Stack) -> Error {
        let a = self.operand(st, 1);
        if matches!(self.op, Op::Unm | Op::Len) {
            let what = match a {
                Operand::Other(w) => w,
                _ => "a Matrix value".into(),
            };
            return match self.op {
                Op::Len => Error::runtime(format!("attempt to get length of {what}")),
                _ => self.refuse(&what),
            };
        }
        let b = self.operand(st, 2);
        let name = |s: u32| &self.ctx.registry.structs[s as usize].name;
        match (a, b) {
            (Operand::Vector(sa), Operand::Vector(sb)) => {
                self.refuse(&format!("a {} and a {}", name(sa), name(sb)))
            }
            (Operand::Other(what), _) | (_, Operand::Other(what)) => self.refuse(&what),
            (Operand::Matrix, Operand::Matrix) => self.refuse("two Matrix values"),
            (Operand::Matrix, _) | (_, Operand::Matrix) => {
                self.refuse("a Matrix and a value it has no raymath operation with")
            }
            (Operand::Number, Operand::Number) => self.refuse("two numbers"),
            // A vector with a number or a vector of its type always has an operation.
            (Operand::Vector(_), Operand::Number) | (Operand::Number, Operand::Vector(_)) => {
                Error::internal()
            }
        }
    }
}

impl LuaHandler for Operator {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        match self.compute(st) {
            Some(n) => Ok(n),
            None => Err(self.refusal(st)),
        }
    }
}
