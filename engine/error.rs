//! lunaray's one error type. Every failure a script can cause is a structured [`Error`]
//! (which function, which argument, what was expected) rendered in Lua's own message forms
//! (`bad argument #2 to 'DrawCircleV' (number expected, got string)`); the trampoline that
//! raises it adds the caller's position (`main.lua:12: `).
//!
//! Errors are built only on the failure path: nothing here runs on a successful call.

use std::borrow::Cow;
use std::ffi::c_int;

/// Why a call, a field access or the runtime failed: an [`ErrorKind`], boxed so that a
/// `Result` of it is two words (returned in registers on every call's success path).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorKind>);

impl Error {
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    #[cold]
    pub fn internal() -> Error {
        ErrorKind::Internal.into()
    }

    #[cold]
    pub fn stack_overflow() -> Error {
        ErrorKind::StackOverflow.into()
    }

    #[cold]
    pub fn runtime(message: impl Into<String>) -> Error {
        ErrorKind::Runtime(message.into()).into()
    }

    /// A wrong value outside any argument list (`v.x = "a"`).
    #[cold]
    pub fn value(problem: Problem) -> Error {
        ErrorKind::BadValue(problem).into()
    }

    #[cold]
    pub fn no_audio(function: &'static str) -> Error {
        ErrorKind::NoAudio {
            function: function.into(),
        }
        .into()
    }

    #[cold]
    pub fn no_window(function: &'static str) -> Error {
        ErrorKind::NoWindow {
            function: function.into(),
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

/// The kinds of [`Error`], with what each one knows.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument of a function could not be converted.
    #[error("bad argument #{position} to '{function}' ({problem})")]
    BadArgument {
        function: Cow<'static, str>,
        position: c_int,
        problem: Problem,
    },
    /// A value was wrong outside any argument list (a field assignment: `v.x = "a"`).
    #[error("{0}")]
    BadValue(Problem),
    /// A raylib function that needs a window was called without one.
    #[error("{function} needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)")]
    NoWindow { function: Cow<'static, str> },
    /// A loader's file is missing or unreadable: checked before raylib is called, which would
    /// only log a warning and return an empty value.
    #[error("{function}: cannot open '{path}' ({reason})")]
    CannotOpen {
        function: Cow<'static, str>,
        path: String,
        reason: String,
    },
    /// A loader's file exists but raylib could not decode it, and returned an empty value.
    #[error("{function}: cannot decode '{path}' (not a format raylib reads, or a damaged file)")]
    CannotDecode {
        function: Cow<'static, str>,
        path: String,
    },
    /// A sound, music or audio stream function was called without an audio device.
    #[error("{function} needs an audio device (call rl.InitAudioDevice first; rl.IsAudioDeviceReady() tells whether it started)")]
    NoAudio { function: Cow<'static, str> },
    /// The Lua stack could not grow.
    #[error("stack overflow")]
    StackOverflow,
    /// A constant struct value (`rl.RED`) written to, or passed where C writes.
    #[error("{strukt} constant cannot be changed: change a copy (rl.new(\"{strukt}\", value))")]
    ReadOnly { strukt: String },
    /// A panic inside lunaray, caught before it reached a C frame.
    #[error("internal error in lunaray (a bug: please report it)")]
    Internal,
    /// No raylib library could be loaded.
    #[error("could not load raylib: {0}")]
    LibraryLoad(String),
    /// Anything else the runtime reports, as its message.
    #[error("{0}")]
    Runtime(String),
}

/// What is wrong with one value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error("{expected} expected, got {got}")]
    Type { expected: String, got: String },
    #[error("number has no integer representation")]
    NotInteger,
    #[error("value out of range")]
    OutOfRange,
    /// A field of a struct being converted (`{x = "a"}` as a Vector2).
    #[error("field '{field}' of {strukt}: {problem}")]
    Field {
        strukt: String,
        field: String,
        problem: Box<Problem>,
    },
    /// A positional constructor argument (`rl.new("Vector2", "a")`).
    #[error("field '{field}': {problem}")]
    Initialiser {
        field: String,
        problem: Box<Problem>,
    },
    /// An element of an array being converted (1-based, as Lua counts).
    #[error("element {index}: {problem}")]
    Element { index: usize, problem: Box<Problem> },
    #[error("{strukt} has no field '{field}'")]
    NoField { strukt: String, field: String },
    #[error("{strukt} fields are named by strings, got {got}")]
    FieldKey { strukt: String, got: String },
    #[error("{strukt} has {fields} fields")]
    TooManyInitialisers { strukt: String, fields: usize },
    #[error("count {count} outside the array's {available} elements")]
    Count { count: i128, available: usize },
    #[error("count expected with a pointer")]
    CountMissing,
    #[error("stack overflow")]
    StackOverflow,
    /// A constant struct value (`rl.RED`) written to, or passed where C writes.
    #[error("{strukt} constant cannot be changed: change a copy (rl.new(\"{strukt}\", value))")]
    ReadOnly { strukt: String },
    /// Anything else, as its message (`unknown struct 'Nope'`).
    #[error("{0}")]
    Other(String),
}

impl Problem {
    pub fn type_mismatch(expected: impl Into<String>, got: impl Into<String>) -> Problem {
        Problem::Type {
            expected: expected.into(),
            got: got.into(),
        }
    }

    /// This problem as the `position`th argument of `function`.
    #[cold]
    pub fn at(self, function: impl Into<Cow<'static, str>>, position: c_int) -> Error {
        ErrorKind::BadArgument {
            function: function.into(),
            position,
            problem: self,
        }
        .into()
    }

    /// This problem inside field `field` of struct `strukt`.
    pub fn in_field(self, strukt: &str, field: &str) -> Problem {
        Problem::Field {
            strukt: strukt.to_string(),
            field: field.to_string(),
            problem: Box::new(self),
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Error {
        Error::value(p)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_lua() {
        let e = Problem::type_mismatch("number", "string").at("DrawCircleV", 2);
        assert_eq!(
            e.to_string(),
            "bad argument #2 to 'DrawCircleV' (number expected, got string)"
        );
        let nested = Problem::type_mismatch("number", "string")
            .in_field("Rectangle", "x")
            .at("DrawRectangleRec", 1);
        assert_eq!(
            nested.to_string(),
            "bad argument #1 to 'DrawRectangleRec' (field 'x' of Rectangle: number expected, got string)"
        );
        let field: Error = Problem::type_mismatch("number", "string")
            .in_field("Vector2", "x")
            .into();
        assert_eq!(
            field.to_string(),
            "field 'x' of Vector2: number expected, got string"
        );
        assert_eq!(
            Error::no_window("DrawCircleV").to_string(),
            "DrawCircleV needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)"
        );
    }
}
