//! LuaJIT only: which struct types are made as cdata (`ffi::lua_cdata`), and installing them.
//!
//! A struct is cdata when every field is a plain number (`float`, a C integer of at most 32
//! bits, `bool`) and it describes no raylib memory (`vouch`): `Vector2`, `Vector3`,
//! `Vector4`, `Matrix`, `Color`, `Rectangle`... Values of those types never point anywhere,
//! are never unloaded and need no record, so a cdata with their bytes is all there is to
//! them. The others (`Image`, `Texture`, `Camera3D` with its embedded vectors, whose field
//! reads are views) stay lunaray's userdata, and so do views of any type (`cam.position`).

use crate::ffi::lua_cdata::{self, CdataField, CdataType};
use crate::ffi::lua_stack::build_value;
use crate::registry::Prim;

use super::structs::FieldKind;
use super::Ctx;

fn field(p: Prim) -> Option<CdataField> {
    let int = |c, min, max| Some(CdataField::Int { c, min, max });
    match p {
        Prim::Float => Some(CdataField::Float),
        Prim::Bool => Some(CdataField::Bool),
        Prim::SChar => int("int8_t", i8::MIN as i64, i8::MAX as i64),
        Prim::UChar => int("uint8_t", 0, u8::MAX as i64),
        Prim::Short => int("int16_t", i16::MIN as i64, i16::MAX as i64),
        Prim::UShort => int("uint16_t", 0, u16::MAX as i64),
        Prim::Int => int("int32_t", i32::MIN as i64, i32::MAX as i64),
        Prim::UInt => int("uint32_t", 0, u32::MAX as i64),
        // `char`'s signedness, and 64-bit numbers (LuaJIT reads those as boxed integers),
        // and doubles (no NaN guard here) keep the type userdata.
        _ => None,
    }
}

/// The struct types of `ctx` made as cdata.
pub fn types(ctx: &Ctx) -> Vec<CdataType> {
    let mut out = Vec::new();
    'structs: for (sid, info) in ctx.structs.iter().enumerate() {
        if info.describing.is_some() || info.fields.is_empty() {
            continue;
        }
        let mut fields = Vec::with_capacity(info.fields.len());
        let mut end = 0;
        for f in &info.fields {
            let FieldKind::Scalar(p) = f.kind else {
                continue 'structs;
            };
            let Some(kind) = field(p) else {
                continue 'structs;
            };
            // In order and naturally aligned: LuaJIT lays the declaration out as C did.
            if f.offset < end || f.offset % p.size() != 0 {
                continue 'structs;
            }
            end = f.offset + f.size;
            fields.push((f.name.clone(), f.offset, kind));
        }
        out.push(CdataType {
            sid: sid as u32,
            name: info.name.clone(),
            size: info.size,
            fields,
        });
    }
    out
}

/// Declares the cdata types in `lua` (with lunaray's private `ffi`) and makes the C side
/// make and recognise them; the struct metatable must have its metamethods. Returns whether
/// cdata values are on (false: LuaJIT's layout is not the one read, and structs stay
/// userdata).
pub fn install(lua: &mlua::Lua, ctx: &Ctx) -> mlua::Result<bool> {
    let ffi = crate::ffi::lua_jit::private_ffi(lua)?;
    let struct_mt: mlua::Table = build_value(lua, |st| st.push_ref(ctx.struct_mt))?;
    lua_cdata::install(lua, &ffi, &struct_mt, &types(ctx), ctx.structs.len())
}
