//! `lunaray api [--json]`: the registry as bound to the loaded library.

use serde_json::{json, Value};

use crate::marshal::Bindings;
use crate::registry::memory;
use crate::registry::semantics::{classify, needs_window};
use crate::registry::{DefineValue, Source};

pub fn json(bindings: &Bindings) -> Value {
    let reg = &bindings.ctx.registry;
    let structs: Vec<Value> = reg
        .structs
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "doc": reg.doc(&s.name),
                "size": s.layout.size,
                "align": s.layout.align,
                "source": s.source,
                "fields": s.fields.iter().map(|f| json!({
                    "name": f.name,
                    "type": reg.type_name(&f.ty),
                    "offset": f.offset,
                    "doc": reg.doc(&format!("{}.{}", s.name, f.name)),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let functions: Vec<Value> = bindings
        .plans
        .iter()
        .filter_map(|p| reg.function(&p.name))
        .map(|f| {
            let sem = classify(reg, f).ok();
            json!({
                "name": f.name,
                "doc": reg.doc(&f.name),
                "returns": reg.type_name(&f.ret),
                "source": f.source,
                "needs_window": needs_window(f),
                "returns_memory": sem.as_ref().and_then(|s| memory::of_return(reg, f, &s.ret)),
                "params": f.params.iter().enumerate().map(|(i, p)| json!({
                    "name": p.name,
                    "type": reg.type_name(&p.ty),
                    "contract": sem.as_ref().map(|s| {
                        let mut c = s.params[i].contract(reg, &f.params);
                        c.push_str(crate::registry::semantics::contract_note(
                            &f.name,
                            &p.name,
                            &s.params[i],
                        ));
                        c
                    }),
                    "memory": sem.as_ref().and_then(|s| memory::of_param(reg, f, i, &s.params[i])),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let (colors, defines): (Vec<_>, Vec<_>) = reg
        .defines
        .iter()
        .partition(|d| matches!(d.value, DefineValue::Color(_)));
    json!({
        "library": bindings.ctx.library.path().display().to_string(),
        "structs": structs,
        "aliases": reg.aliases.iter().map(|(a, t)| json!({"name": a, "type": reg.type_name(t)})).collect::<Vec<_>>(),
        "functions": functions,
        "function_aliases": reg.function_aliases.iter().map(|(a, t)| json!({"name": a, "target": t})).collect::<Vec<_>>(),
        "unsupported": bindings.skipped.iter().map(|(n, why)| json!({"name": n, "reason": why})).collect::<Vec<_>>(),
        "enums": reg.enums.iter().map(|e| json!({
            "name": e.name,
            "doc": reg.doc(&e.name),
            "values": e.values.iter().map(|(n, v)| json!({"name": n, "value": v, "doc": reg.doc(n)})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "defines": defines.iter().map(|d| json!({"name": d.name, "value": d.value, "doc": reg.doc(&d.name)})).collect::<Vec<_>>(),
        "colors": colors.iter().filter_map(|d| match d.value {
            DefineValue::Color([r, g, b, a]) => Some(json!({"name": d.name, "r": r, "g": g, "b": b, "a": a, "doc": reg.doc(&d.name)})),
            _ => None,
        }).collect::<Vec<_>>(),
    })
}

pub fn summary(bindings: &Bindings) -> String {
    let reg = &bindings.ctx.registry;
    let by = |s: Source| {
        bindings
            .plans
            .iter()
            .filter(|p| reg.function(&p.name).is_some_and(|f| f.source == s))
            .count()
    };
    let total = reg.functions.len();
    let callable = bindings.plans.len();
    let mut out = format!(
        "library:   {}\nstructs:   {} ({} aliases)\nenums:     {} ({} values)\ndefines:   {} ({} colors)\nfunctions: {callable} of {total} callable ({:.1}%): {}\n",
        bindings.ctx.library.path().display(),
        reg.structs.len(),
        reg.aliases.len(),
        reg.enums.len(),
        reg.enums.iter().map(|e| e.values.len()).sum::<usize>(),
        reg.defines.len(),
        reg.defines.iter().filter(|d| matches!(d.value, DefineValue::Color(_))).count(),
        100.0 * callable as f64 / total.max(1) as f64,
        crate::registry::headers::HEADERS
            .iter()
            .map(|h| format!("{} {}", h.library, by(h.source)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    if !bindings.skipped.is_empty() {
        out.push_str("left out:\n");
        for (name, why) in &bindings.skipped {
            out.push_str(&format!("  {name}: {why}\n"));
        }
    }
    out
}
