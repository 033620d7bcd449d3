//! The `rl` table: every bound function by its C name, enum values, defines, colors, struct
//! constructors, `rl.new`; and the metatables of struct and pointer values. Thin: conversions
//! live in `marshal`, raw stack access in `ffi`.

pub mod operators;
pub mod values;

use crate::ffi::lua_stack::{build_value, with_main_stack, LuaHandler, Stack};
use crate::marshal::{Bindings, Ctx};
use crate::registry::DefineValue;

/// What `getmetatable` gives for a struct value (its metatable's `__metatable`).
pub const STRUCT_MT_NAME: &str = "lunaray struct";

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

/// Builds the `rl` table for `bindings` and installs the value metatables.
pub fn build_rl_table(lua: &mlua::Lua, bindings: &Bindings) -> mlua::Result<mlua::Table> {
    let ctx = bindings.ctx;
    install_metatables(lua, ctx, bindings);
    // LuaJIT: plain-number structs are cdata (before any struct value is made).
    #[cfg(feature = "luajit")]
    let cdata_on = crate::marshal::cdata::install(lua, ctx)?;
    let rl: mlua::Table = build_value(lua, |st| {
        st.new_table();
        for plan in bindings.plans {
            st.set_field(-1, &plan.name, |st| st.push_handler(plan));
        }
        for (alias, target) in &ctx.registry.function_aliases {
            if let Some(plan) = bindings.plans.iter().find(|p| &p.name == target) {
                st.set_field(-1, alias, |st| st.push_handler(plan));
            }
        }
        for e in &ctx.registry.enums {
            for (name, v) in &e.values {
                st.set_field(-1, name, |st| st.push_integer(*v));
            }
        }
        let color = ctx.registry.struct_id("Color").map(|c| c as u32);
        for d in &ctx.registry.defines {
            match (&d.value, color) {
                (DefineValue::Int(i), _) => st.set_field(-1, &d.name, |st| st.push_integer(*i)),
                (DefineValue::Float(f), _) => st.set_field(-1, &d.name, |st| st.push_number(*f)),
                (DefineValue::Str(s), _) => {
                    st.set_field(-1, &d.name, |st| st.push_bytes(s.as_bytes()))
                }
                // Constants: `local c = rl.RED; c.a = 100` is an error, not a change to
                // every later use of rl.RED.
                (DefineValue::Color(rgba), Some(sid)) => {
                    st.set_field(-1, &d.name, |st| st.push_constant(sid, rgba, ctx.struct_mt))
                }
                (DefineValue::Color(_), None) => {}
            }
        }
        let new = leak(values::New { ctx });
        st.set_field(-1, "new", |st| st.push_handler(new));
        let reference = leak(values::Ref { ctx });
        st.set_field(-1, "ref", |st| st.push_handler(reference));
        let names = ctx
            .registry
            .structs
            .iter()
            .map(|s| s.name.clone())
            .chain(ctx.registry.aliases.iter().map(|(a, _)| a.clone()));
        for name in names {
            if let Some(sid) = ctx.registry.struct_id(&name) {
                let ctor = leak(values::Constructor {
                    ctx,
                    sid: sid as u32,
                    name: Box::leak(name.clone().into_boxed_str()),
                });
                st.set_field(-1, &name, |st| st.push_handler(ctor));
            }
        }
    })?;
    // LuaJIT: the functions whose calls the JIT compiles get their wrappers (which fall back
    // to the planned functions outside jit mode).
    #[cfg(feature = "luajit")]
    crate::marshal::jit::install(lua, bindings, &rl, cdata_on)?;
    Ok(rl)
}

fn install_metatables(lua: &mlua::Lua, ctx: &'static Ctx, bindings: &Bindings) {
    let types = leak(operators::Types::new(ctx, bindings.plans));
    with_main_stack(lua, |st: &mut Stack| {
        st.push_ref(ctx.struct_mt);
        for (name, op) in [
            ("__add", operators::Op::Add),
            ("__sub", operators::Op::Sub),
            ("__mul", operators::Op::Mul),
            ("__div", operators::Op::Div),
            ("__unm", operators::Op::Unm),
            ("__len", operators::Op::Len),
        ] {
            set_method(st, name, leak(operators::Operator { ctx, types, op }));
        }
        set_method(st, "__index", leak(values::Index { ctx }));
        set_method(st, "__newindex", leak(values::NewIndex { ctx }));
        set_method(st, "__tostring", leak(values::ToString { ctx }));
        set_method(st, "__eq", leak(values::Eq));
        st.set_field(-1, "__metatable", |st| {
            st.push_bytes(STRUCT_MT_NAME.as_bytes())
        });
        st.pop(1);
        st.push_ref(ctx.pointer_mt);
        set_method(st, "__index", leak(values::PointerIndex { ctx }));
        set_method(st, "__newindex", leak(values::PointerNewIndex { ctx }));
        set_method(st, "__len", leak(values::PointerLen { ctx }));
        set_method(st, "__tostring", leak(values::ToString { ctx }));
        set_method(st, "__eq", leak(values::Eq));
        st.set_field(-1, "__metatable", |st| st.push_bytes(b"lunaray pointer"));
        st.pop(1);
        st.push_ref(ctx.buffer_mt);
        set_method(st, "__index", leak(values::BufferIndex { ctx }));
        set_method(st, "__newindex", leak(values::BufferNewIndex { ctx }));
        set_method(st, "__len", leak(values::BufferLen { ctx }));
        set_method(st, "__tostring", leak(values::ToString { ctx }));
        set_method(st, "__eq", leak(values::Eq));
        st.set_field(-1, "__metatable", |st| st.push_bytes(b"lunaray buffer"));
        st.pop(1);
    });
}

fn set_method<H: LuaHandler>(st: &mut Stack, name: &str, h: &'static H) {
    st.set_field(-1, name, |st| st.push_handler(h));
}
