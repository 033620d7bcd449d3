//! The C type model: what a declaration in raylib's headers says a value is.

/// C's scalar types, with their System V x86-64 (LP64) sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prim {
    Void,
    Bool,
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    Float,
    Double,
}

impl Prim {
    pub fn size(self) -> usize {
        match self {
            Prim::Void => 0,
            Prim::Bool | Prim::Char | Prim::SChar | Prim::UChar => 1,
            Prim::Short | Prim::UShort => 2,
            Prim::Int | Prim::UInt | Prim::Float => 4,
            Prim::Long | Prim::ULong | Prim::LongLong | Prim::ULongLong | Prim::Double => 8,
        }
    }

    pub fn align(self) -> usize {
        self.size().max(1)
    }

    pub fn is_float(self) -> bool {
        matches!(self, Prim::Float | Prim::Double)
    }

    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Prim::Char | Prim::SChar | Prim::Short | Prim::Int | Prim::Long | Prim::LongLong
        )
    }

    /// Smallest and largest value an integer type holds, as f64 (exact for all but 64-bit ends).
    pub fn int_range(self) -> (f64, f64) {
        match self {
            Prim::Bool => (0.0, 1.0),
            Prim::Char | Prim::SChar => (i8::MIN as f64, i8::MAX as f64),
            Prim::UChar => (0.0, u8::MAX as f64),
            Prim::Short => (i16::MIN as f64, i16::MAX as f64),
            Prim::UShort => (0.0, u16::MAX as f64),
            Prim::Int => (i32::MIN as f64, i32::MAX as f64),
            Prim::UInt => (0.0, u32::MAX as f64),
            Prim::Long | Prim::LongLong => (i64::MIN as f64, i64::MAX as f64),
            Prim::ULong | Prim::ULongLong => (0.0, u64::MAX as f64),
            Prim::Void | Prim::Float | Prim::Double => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    pub fn c_name(self) -> &'static str {
        match self {
            Prim::Void => "void",
            Prim::Bool => "bool",
            Prim::Char => "char",
            Prim::SChar => "signed char",
            Prim::UChar => "unsigned char",
            Prim::Short => "short",
            Prim::UShort => "unsigned short",
            Prim::Int => "int",
            Prim::UInt => "unsigned int",
            Prim::Long => "long",
            Prim::ULong => "unsigned long",
            Prim::LongLong => "long long",
            Prim::ULongLong => "unsigned long long",
            Prim::Float => "float",
            Prim::Double => "double",
        }
    }

    /// Parses the words of a scalar type as written in C (`unsigned int`, `long long`, ...).
    pub fn from_words(words: &[&str]) -> Option<Prim> {
        let unsigned = words.contains(&"unsigned");
        let signed = words.contains(&"signed");
        let core: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| *w != "unsigned" && *w != "signed")
            .collect();
        let p = match (core.as_slice(), unsigned) {
            ([], true) => Prim::UInt,
            ([], false) if signed => Prim::Int,
            (["void"], false) => Prim::Void,
            (["bool"], false) => Prim::Bool,
            (["char"], false) if signed => Prim::SChar,
            (["char"], false) => Prim::Char,
            (["char"], true) => Prim::UChar,
            (["short"] | ["short", "int"], u) => {
                if u {
                    Prim::UShort
                } else {
                    Prim::Short
                }
            }
            (["int"], u) => {
                if u {
                    Prim::UInt
                } else {
                    Prim::Int
                }
            }
            (["long"] | ["long", "int"], u) => {
                if u {
                    Prim::ULong
                } else {
                    Prim::Long
                }
            }
            (["long", "long"] | ["long", "long", "int"], u) => {
                if u {
                    Prim::ULongLong
                } else {
                    Prim::LongLong
                }
            }
            (["float"], false) => Prim::Float,
            (["double"], false) => Prim::Double,
            _ => return None,
        };
        Some(p)
    }
}

/// Index of a struct in [`crate::registry::Registry::structs`].
pub type StructId = usize;

/// A C type as declared, with typedef aliases already resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum CType {
    Prim(Prim),
    Struct(StructId),
    /// A struct declared but never defined (`rAudioBuffer`): only usable behind a pointer.
    Opaque(String),
    Pointer {
        to: Box<CType>,
        is_const: bool,
    },
    Array {
        of: Box<CType>,
        len: usize,
    },
    /// A function-pointer typedef (`AudioCallback`), by name.
    Callback(String),
}

impl CType {
    pub fn ptr(to: CType, is_const: bool) -> CType {
        CType::Pointer {
            to: Box::new(to),
            is_const,
        }
    }

    pub fn is_void(&self) -> bool {
        matches!(self, CType::Prim(Prim::Void))
    }

    pub fn is_pointer(&self) -> bool {
        matches!(self, CType::Pointer { .. } | CType::Callback(_))
    }
}
