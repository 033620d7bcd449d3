//! Strings, paths and edited texts as C arguments: `const char *` from Lua strings (and the
//! `char *` texts raylib returned), raygui's texts (nil is ""), paths with their existence,
//! length and sandbox checks, URLs for the shell, and the buffers C edits a text in. Each
//! returns the address the executor puts in the frame, or the argument's error.
//!
//! Contract: every address points into a Lua string on the stack for the call, a typed
//! buffer argument, or the call's arena scope; nothing is written into Lua's strings.

use std::ffi::c_int;

use crate::arena::CallScope;
use crate::error::{Error, ErrorKind, Problem};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;

use super::arg_checked::scalar_problem;
use super::arg_pointers::read_only_view;
use super::plan::CallPlan;
use super::scalar::{to_c_integer, ScalarError};

/// `const char *`: a string (numbers converted as Lua does), nil is NULL. The pointer is into
/// the Lua string, which stays on the stack for the call. A live `char *` text raylib
/// returned (`LoadFileText`) goes too.
#[inline]
pub(super) fn cstring_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    Ok(match st.type_of(a) {
        LuaType::Nil | LuaType::None => 0,
        LuaType::String => st.string(a).map_or(0, |m| m.as_ptr() as usize),
        LuaType::Number => st.number_as_string(a).map_or(0, |m| m.as_ptr() as usize),
        _ => raylib_text(plan, st, a)?,
    })
}

/// A raygui text: a string of at most [`MAX_GUI_TEXT`] bytes; nil is "".
#[inline]
pub(super) fn gui_text_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::semantics::MAX_GUI_TEXT;
    let p = match cstring_arg(plan, st, a)? {
        0 => return Ok(c"".as_ptr() as usize),
        p => p,
    };
    let len = st.string(a).map_or(0, |s| s.len() - 1);
    if len > MAX_GUI_TEXT {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a text of at most {MAX_GUI_TEXT} bytes expected, got {len}: raygui measures \
                 its texts glyph by glyph as it wraps them, in time that grows with the square \
                 of their length"
            )),
        ));
    }
    Ok(p)
}

/// A live `char *` pointer value: raylib returns those only as texts it allocated with their
/// NUL (`LoadFileText`, `LoadUTF8`, `EncodeDataBase64`, `Text*Alloc`; the others' `char *`
/// results are copied into Lua strings), so C reads a terminated string through it.
#[cold]
pub(super) fn raylib_text(plan: &CallPlan, st: &Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::{CType, Prim};
    match st.pointer_at(a) {
        Some(p)
            if !p.freed
                && plan.ctx.pointer_type(p.tag) == CType::Prim(Prim::Char)
                && !p.ptr.is_null() =>
        {
            Ok(p.ptr as usize)
        }
        _ => Err(plan.type_error(st, a, "string")),
    }
}

/// A path: a string (never NULL unless `nullable`); a loader's file must open as a file.
#[inline(never)]
pub(super) fn file_name_arg(
    plan: &CallPlan,
    st: &mut Stack,
    a: c_int,
    nullable: bool,
    must_exist: bool,
    max_len: u16,
    opened: bool,
) -> Result<usize, Error> {
    let p = match st.type_of(a) {
        LuaType::Nil | LuaType::None if nullable => return Ok(0),
        LuaType::String | LuaType::Number => cstring_arg(plan, st, a)?,
        _ => return Err(plan.type_error(st, a, "string")),
    };
    if opened {
        if let Some(sandbox) = plan.ctx.sandbox.borrow().as_ref() {
            let bytes = st.string(a).map(|s| s.to_vec()).unwrap_or_default();
            let path = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
            let checked = sandbox.check(path).and_then(|resolved| {
                let obj = resolved
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("obj"));
                if obj && plan.fname == "LoadModel" {
                    sandbox.check_obj_materials(&resolved)
                } else {
                    Ok(())
                }
            });
            if let Err(why) = checked {
                return Err(plan.arg_error(a, Problem::Other(sandbox_refusal(path, &why))));
            }
        }
    }
    let len = st.string(a).map_or(0, |s| s.len() - 1);
    if max_len > 0 && len > max_len as usize {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a path of at most {max_len} bytes expected, got {len}: raylib copies paths \
                 into fixed buffers"
            )),
        ));
    }
    if must_exist {
        let Some(path) = st.string(a) else {
            return Err(plan.type_error(st, a, "string"));
        };
        let bytes = path.to_vec();
        let path = &bytes[..bytes.len() - 1];
        let extension = path
            .rsplit(|&b| b == b'/')
            .next()
            .and_then(|name| name.iter().rposition(|&b| b == b'.'))
            .is_some_and(|dot| dot > 0);
        let needs_extension = crate::registry::preconditions::NEEDS_EXTENSION.contains(&plan.fname);
        let reason = unopenable(path).or_else(|| {
            (needs_extension && !extension)
                .then(|| "no file extension: raylib picks the format by it".to_string())
        });
        if let Some(reason) = reason {
            return Err(ErrorKind::CannotOpen {
                function: plan.fname.into(),
                path: String::from_utf8_lossy(path).into_owned(),
                reason,
            }
            .into());
        }
        if let Some(why) = tinyobj_problem(plan.fname, path) {
            return Err(plan.arg_error(
                a,
                Problem::Other(format!(
                    "'{}' is a file raylib's OBJ loader (tinyobj) reads or writes outside its buffers on: {why}",
                    String::from_utf8_lossy(path)
                )),
            ));
        }
    }
    Ok(p)
}

/// What in an OBJ model (`LoadModel`) or material library (`LoadMaterials`) tinyobj would
/// overflow on, if anything (`obj_file`).
#[cold]
fn tinyobj_problem(function: &str, path: &[u8]) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    let is = |ext: &str| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    match function {
        "LoadModel" if is("obj") => super::obj_file::obj_problem(path).or_else(|| {
            super::obj_file::mtl_candidates(path)
                .iter()
                .find_map(|m| super::obj_file::mtl_problem(m))
        }),
        "LoadMaterials" if is("mtl") => super::obj_file::mtl_problem(path),
        _ => None,
    }
}

/// Lua memory a call with scratch may need for its results (out-parameters, struct values):
/// near the limit it is refused before it starts, because Lua failing to allocate a result
/// would raise its error across this call's frames while they hold the arena.
pub(super) const RESULT_RESERVE: usize = 256 << 10;

/// "not enough memory" when the Lua state is within [`RESULT_RESERVE`] of its limit.
#[inline(never)]
pub(super) fn near_memory_limit(plan: &CallPlan, st: &Stack) -> Result<(), Error> {
    if (st.memory_kib() << 10) + RESULT_RESERVE > plan.ctx.memory_limit.get() {
        return Err(ErrorKind::Runtime(format!("{}: not enough memory", plan.fname)).into());
    }
    Ok(())
}

/// Why the sandbox refused a path, as a bad argument's problem.
pub(super) fn sandbox_refusal(path: &[u8], why: &str) -> String {
    format!(
        "the sandbox refused '{}': {why}",
        String::from_utf8_lossy(path.split(|&b| b == 0).next().unwrap_or_default())
    )
}

/// A URL raylib passes to a shell: a plain http(s) URL only; none under the sandbox.
#[cold]
#[inline(never)]
pub(super) fn url_arg(plan: &CallPlan, st: &mut Stack, a: c_int) -> Result<usize, Error> {
    if plan.ctx.sandbox.borrow().is_some() {
        return Err(plan.arg_error(a, Problem::Other("the sandbox refuses to open URLs".into())));
    }
    if st.type_of(a) != LuaType::String {
        return Err(plan.type_error(st, a, "string"));
    }
    let safe = st.string(a).is_some_and(|s| {
        let bytes = s.to_vec();
        crate::registry::semantics::is_safe_url(&bytes[..bytes.len() - 1])
    });
    if !safe {
        return Err(plan.arg_error(
            a,
            Problem::Other(
                "a plain http:// or https:// URL expected (letters, digits and \
                 -._~:/?#[]@+,=%&): raylib runs it through a shell"
                    .into(),
            ),
        ));
    }
    cstring_arg(plan, st, a)
}

/// Why the file at `path` cannot be read, if it cannot: missing, a directory, or refused.
pub(super) fn unopenable(path: &[u8]) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    match std::fs::File::open(path).and_then(|f| f.metadata()) {
        Ok(m) if m.is_dir() => Some("a directory, not a file".into()),
        // raylib's loaders return NULL data for an empty file, which some then read.
        Ok(m) if m.len() == 0 => Some("an empty file".into()),
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("no such file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("permission denied".into())
        }
        Err(e) => Some(e.to_string()),
    }
}

/// An edited text's byte size: an integer from 1 to `MAX_TEXT_SIZE`.
pub(super) fn text_size_arg(plan: &CallPlan, st: &Stack, a: c_int) -> Result<usize, Error> {
    use crate::registry::semantics::MAX_TEXT_SIZE;
    let n = to_c_integer(st, a, crate::registry::Prim::Int).map_err(|e| match e {
        ScalarError::Type => plan.type_error(st, a, "number"),
        other => plan.arg_error(a, scalar_problem(other)),
    })?;
    if !(1..=MAX_TEXT_SIZE as i128).contains(&n) {
        return Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "a text size from 1 to {MAX_TEXT_SIZE} bytes expected, got {n}"
            )),
        ));
    }
    Ok(n as usize)
}

/// The buffer C edits a text in, `n` bytes with its NUL: a `char[?]` buffer argument (at
/// least `n` bytes, NUL-terminated within them), or a string (or nil: empty) copied into
/// arena scratch, cut to `n - 1` bytes. `size_arg` is the argument a size error names.
pub(super) fn text_buffer<'call: 'm, 'm>(
    plan: &CallPlan,
    st: &mut Stack<'call>,
    scope: &'m CallScope,
    a: c_int,
    n: usize,
    size_arg: c_int,
) -> Result<CMem<'m>, Error> {
    use crate::registry::{CType, Prim};
    if let Some(b) = st.arg_buffer_at(a) {
        let bytes = matches!(
            plan.ctx.pointer_type(plan.ctx.buffer_elem_tag(b.elem)),
            CType::Prim(Prim::Char | Prim::SChar | Prim::UChar)
        );
        if !bytes || read_only_view(st, a) {
            return Err(plan.type_error(st, a, "string or char buffer"));
        }
        if b.mem.len() < n {
            return Err(plan.arg_error(
                size_arg,
                Problem::Other(format!(
                    "a text size of {n} bytes, but the buffer holds {}",
                    b.mem.len()
                )),
            ));
        }
        let text = b.mem.slice(0, n);
        if !(0..n).any(|k| text.read::<u8>(k) == 0) {
            return Err(plan.arg_error(
                a,
                Problem::Other(format!(
                    "the text buffer has no NUL in its first {n} bytes: C would read past them"
                )),
            ));
        }
        return Ok(text);
    }
    let mem = scope.alloc(n);
    match st.type_of(a) {
        LuaType::Nil | LuaType::None => {}
        ty @ (LuaType::String | LuaType::Number) => {
            let s = match ty {
                LuaType::String => st.string(a),
                _ => st.number_as_string(a),
            }
            .ok_or_else(Error::internal)?;
            // The Lua string's bytes, without its NUL, cut to leave room for one.
            let len = (s.len() - 1).min(n - 1);
            mem.copy_from(0, s.slice(0, len));
        }
        _ => return Err(plan.type_error(st, a, "string or char buffer")),
    }
    Ok(mem)
}
