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
//! rounds in its own order). `==` stays exact equality of the bytes (values.rs), not
//! raymath's epsilon comparison, which `rl.Vector2Equals` keeps offering.

use std::ffi::c_int;

use crate::error::Error;
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

    fn apply(self, a: f32, b: f32) -> f32 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::Unm | Op::Len => unreachable!("binary operations only"),
        }
    }
}

/// The value types operators know, with what they need.
pub struct Types {
    /// (struct id, component count) of Vector2, Vector3 and Vector4.
    vectors: Vec<(u32, usize)>,
    vector3: Option<u32>,
    matrix: Option<MatrixInfo>,
}

struct MatrixInfo {
    sid: u32,
    /// Byte offsets of m0..m15.
    offsets: [usize; 16],
    multiply: Option<&'static CallPlan>,
    add: Option<&'static CallPlan>,
    subtract: Option<&'static CallPlan>,
}

impl Types {
    pub fn new(ctx: &Ctx, plans: &'static [CallPlan]) -> Types {
        let reg = &ctx.registry;
        let sid = |name: &str| reg.struct_id(name).map(|s| s as u32);
        let vectors = [("Vector2", 2), ("Vector3", 3), ("Vector4", 4)]
            .iter()
            .filter_map(|&(n, k)| sid(n).map(|s| (s, k)))
            .collect();
        let plan = |name: &str| plans.iter().find(|p| p.name == name);
        let matrix = sid("Matrix").and_then(|m| {
            let decl = &reg.structs[m as usize];
            let mut offsets = [0; 16];
            for (i, o) in offsets.iter_mut().enumerate() {
                *o = decl.field(&format!("m{i}"))?.offset;
            }
            Some(MatrixInfo {
                sid: m,
                offsets,
                multiply: plan("MatrixMultiply"),
                add: plan("MatrixAdd"),
                subtract: plan("MatrixSubtract"),
            })
        });
        Types {
            vectors,
            vector3: sid("Vector3"),
            matrix,
        }
    }

    fn components(&self, sid: u32) -> Option<usize> {
        self.vectors.iter().find(|v| v.0 == sid).map(|v| v.1)
    }
}

/// One operator metamethod of struct values.
pub struct Operator {
    pub ctx: &'static Ctx,
    pub types: &'static Types,
    pub op: Op,
}

/// An operand: a struct value (its type and components read out) or a number.
enum Operand {
    Vector { sid: u32, v: [f32; 4], n: usize },
    Matrix,
    Number(f32),
    Other(String),
}

impl Operator {
    fn operand(&self, st: &Stack, idx: c_int) -> Operand {
        if let Some(s) = st.struct_at(idx) {
            if let Some(n) = self.types.components(s.ty) {
                let mut v = [0.0; 4];
                for (i, c) in v.iter_mut().enumerate().take(n) {
                    *c = s.mem.read::<f32>(i * 4);
                }
                return Operand::Vector { sid: s.ty, v, n };
            }
            if self.types.matrix.as_ref().is_some_and(|m| m.sid == s.ty) {
                return Operand::Matrix;
            }
            let name = &self.ctx.registry.structs[s.ty as usize].name;
            return Operand::Other(format!("a {name} value"));
        }
        match st.type_of(idx) {
            LuaType::Number => Operand::Number(st.number(idx).unwrap_or(f64::NAN) as f32),
            t => Operand::Other(format!("a {} value", t.name())),
        }
    }

    fn push_vector(&self, st: &mut Stack, sid: u32, v: [f32; 4], n: usize) -> c_int {
        let mem = st.push_struct(sid, n * 4, self.ctx.struct_mt);
        for (i, c) in v.iter().enumerate().take(n) {
            mem.write::<f32>(i * 4, *c);
        }
        1
    }

    fn refuse(&self, what: &str) -> Error {
        Error::runtime(format!(
            "attempt to perform arithmetic ({}) on {what}",
            self.op.symbol()
        ))
    }

    /// `m * v`: raymath's Vector3Transform(v, m), in its order of operations.
    fn transform(&self, st: &mut Stack, v: [f32; 4]) -> Result<c_int, Error> {
        let (Some(m), Some(v3)) = (self.types.matrix.as_ref(), self.types.vector3) else {
            return Err(self.refuse("a Matrix"));
        };
        let mat = st.struct_at(1).expect("checked: a Matrix");
        let e = |i: usize| mat.mem.read::<f32>(m.offsets[i]);
        let (x, y, z) = (v[0], v[1], v[2]);
        let r = [
            e(0) * x + e(4) * y + e(8) * z + e(12),
            e(1) * x + e(5) * y + e(9) * z + e(13),
            e(2) * x + e(6) * y + e(10) * z + e(14),
            0.0,
        ];
        Ok(self.push_vector(st, v3, r, 3))
    }
}

impl LuaHandler for Operator {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let a = self.operand(st, 1);
        if matches!(self.op, Op::Unm | Op::Len) {
            let Operand::Vector { sid, v, n } = a else {
                let what = match a {
                    Operand::Other(w) => w,
                    _ => "a Matrix value".into(),
                };
                return Err(match self.op {
                    Op::Len => Error::runtime(format!("attempt to get length of {what}")),
                    _ => self.refuse(&what),
                });
            };
            if self.op == Op::Len {
                // raymath: sqrtf((v.x*v.x) + (v.y*v.y) [+ ...]), summed left to right.
                let sum = v[1..n].iter().fold(v[0] * v[0], |s, c| s + c * c);
                st.push_number(f64::from(sum.sqrt()));
                return Ok(1);
            }
            return Ok(self.push_vector(st, sid, v.map(|c| -c), n));
        }
        let b = self.operand(st, 2);
        match (a, b) {
            (Operand::Vector { sid, v, n }, Operand::Vector { sid: sb, v: w, .. }) if sid == sb => {
                let mut r = [0.0; 4];
                for i in 0..n {
                    r[i] = self.op.apply(v[i], w[i]);
                }
                Ok(self.push_vector(st, sid, r, n))
            }
            (Operand::Vector { sid, v, n }, Operand::Number(x)) => {
                // Vector2AddValue, Vector2SubtractValue, Vector2Scale, Vector2Divide(v, {x, x}).
                let r = v.map(|c| self.op.apply(c, x));
                Ok(self.push_vector(st, sid, r, n))
            }
            (Operand::Number(x), Operand::Vector { sid, v, n }) => {
                // x + v and x * v as raymath's AddValue(v, x) / Scale(v, x); x - v and x / v
                // as Subtract({x, x}, v) / Divide({x, x}, v).
                let r = v.map(|c| match self.op {
                    Op::Add | Op::Mul => self.op.apply(c, x),
                    _ => self.op.apply(x, c),
                });
                Ok(self.push_vector(st, sid, r, n))
            }
            (Operand::Matrix, Operand::Matrix) => {
                let m = self.types.matrix.as_ref().expect("a Matrix type");
                let plan = match self.op {
                    Op::Mul => m.multiply,
                    Op::Add => m.add,
                    Op::Sub => m.subtract,
                    _ => None,
                };
                match plan {
                    // The operands are already the call's two arguments, in order.
                    Some(plan) => plan.call(st),
                    None => Err(self.refuse("two Matrix values")),
                }
            }
            (Operand::Matrix, Operand::Vector { sid, v, .. })
                if self.op == Op::Mul && Some(sid) == self.types.vector3 =>
            {
                self.transform(st, v)
            }
            (Operand::Vector { sid, .. }, Operand::Vector { sid: sb, .. }) => {
                let name = |s: u32| &self.ctx.registry.structs[s as usize].name;
                Err(self.refuse(&format!("a {} and a {}", name(sid), name(sb))))
            }
            (Operand::Other(what), _) | (_, Operand::Other(what)) => Err(self.refuse(&what)),
            (Operand::Matrix, _) | (_, Operand::Matrix) => {
                Err(self.refuse("a Matrix and a value it has no raymath operation with"))
            }
            (Operand::Number(_), Operand::Number(_)) => Err(self.refuse("two numbers")),
        }
    }
}
