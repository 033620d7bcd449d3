//! Opening a libraylib shared library and resolving its symbols, once each.

use std::path::{Path, PathBuf};

/// An address of a C function inside a loaded library, made only by [`Library::function`].
/// Valid while the [`Library`] that produced it is alive; the bindings keep the library alive
/// for the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FnPtr(*const std::ffi::c_void);

impl FnPtr {
    /// The function's address, for calling it through a pointer type.
    pub(crate) fn addr(self) -> *const std::ffi::c_void {
        self.0
    }

    /// The function at `addr` back from [`FnPtr::addr`] (LuaJIT's wrappers hand it over).
    ///
    /// # Safety
    /// `addr` must be the address of a function resolved from a library that stays loaded.
    #[cfg(feature = "luajit")]
    pub(crate) unsafe fn from_addr(addr: *const std::ffi::c_void) -> FnPtr {
        FnPtr(addr)
    }
}

/// A loaded libraylib (or any C library described by a header in the registry).
pub struct Library {
    lib: libloading::Library,
    path: PathBuf,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("path", &self.path).finish()
    }
}

impl Library {
    /// Loads the shared library at `path`.
    pub fn open(path: &Path) -> Result<Library, libloading::Error> {
        // SAFETY:
        // - Loading runs the library's initialisers. raylib's only set up static data and
        //   do not depend on anything from this process beyond libc.
        // - The library stays loaded for the `Library`'s lifetime; symbols handed out as
        //   `FnPtr` are only called while an `Arc<Library>` is held next to them.
        let lib = unsafe { libloading::Library::new(path) }?;
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Library { lib, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Resolves a function symbol by name, or None if the library does not export it.
    pub fn function(&self, name: &str) -> Option<FnPtr> {
        let mut cname = Vec::with_capacity(name.len() + 1);
        cname.extend_from_slice(name.as_bytes());
        cname.push(0);
        // SAFETY:
        // - The symbol is read as an untyped address, never called through this type;
        //   callers call it only through a CIF or direct invoker built from the registry's
        //   declaration of the same function.
        let sym = unsafe { self.lib.get::<*const std::ffi::c_void>(&cname) }.ok()?;
        // A `*const c_void` symbol's value is the symbol's address.
        let addr = *sym;
        (!addr.is_null()).then_some(FnPtr(addr))
    }
}
