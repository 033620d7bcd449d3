//! How many bytes C reads through a `const void *` (or a `const char *` taken as bytes), or
//! writes through a `void *`, that has no length parameter of its own: a texture's pixels, a shader uniform's value. Declared per function, from the arguments
//! that determine the size (raylib's `GetPixelDataSize`, the uniform type's size), so a
//! string, buffer or struct value that holds fewer bytes is refused before the call. Pointer
//! values raylib returned pass where C reads; where C writes, only those whose length lunaray
//! knows, and long enough. A path's need is the named file's (`LoadImageRaw`).

/// Which arguments determine the bytes read, by parameter name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Needs {
    /// A whole texture's pixels: its width, height and format (`UpdateTexture`).
    TexturePixels { texture: &'static str },
    /// A rectangle of a texture's format (`UpdateTextureRec`).
    RectPixels {
        texture: &'static str,
        rect: &'static str,
    },
    /// Pixels of this width, height and format (`rlUpdateTexture`, `rlLoadTexture`).
    Pixels {
        width: &'static str,
        height: &'static str,
        format: &'static str,
    },
    /// One byte per pixel of `width` x `height` (`GenImageText`'s grayscale text).
    Bytes {
        width: &'static str,
        height: &'static str,
    },
    /// C writes a copy of the C string `src` with its NUL (`TextCopy`): into memory whose
    /// length lunaray knows (from `MemAlloc`...), never one it does not.
    StringCopy { src: &'static str },
    /// C writes a copy of the C string `src` with its NUL at the offset the `int *` `position`
    /// holds, and moves it on (`TextAppend`): into memory whose length lunaray knows, never
    /// one it does not, with the copy inside it.
    StringAppend {
        src: &'static str,
        position: &'static str,
    },
    /// C writes pixels of this width, height and format (`rlCopyFramebuffer`): only into
    /// memory whose length lunaray knows (a pointer value raylib returned with its length,
    /// such as `MemAlloc`'s), never one it does not.
    WrittenPixels {
        width: &'static str,
        height: &'static str,
        format: &'static str,
    },
    /// C reads pixels of this width, height and format from the file named by the `const
    /// char *`, after `header` bytes (`LoadImageRaw`): the file must hold them all.
    FilePixels {
        width: &'static str,
        height: &'static str,
        format: &'static str,
        header: &'static str,
    },
    /// A fixed number of bytes (`rlMultMatrixf`'s 16 floats).
    Fixed { bytes: u32 },
    /// `count` values of a shader uniform type (one without a count).
    Uniform {
        ty: &'static str,
        count: Option<&'static str>,
    },
    /// As many bytes as this argument says (`rlLoadShaderBuffer(size, data)`).
    Size { size: &'static str },
    /// `unsigned short` indices from `offset` on, `count` of them
    /// (`rlDrawVertexArrayElements`: the software renderer reads them through the pointer).
    Indices {
        offset: &'static str,
        count: &'static str,
    },
}

/// One declared need: function, pointer parameter, what sizes it, whether nil (NULL) is
/// taken (`rlLoadTexture(nil, ...)` makes an empty texture).
pub struct ByteNeed {
    pub function: &'static str,
    pub param: &'static str,
    pub needs: Needs,
    pub nullable: bool,
}

const fn need(
    function: &'static str,
    param: &'static str,
    needs: Needs,
    nullable: bool,
) -> ByteNeed {
    ByteNeed {
        function,
        param,
        needs,
        nullable,
    }
}

pub const BYTE_NEEDS: &[ByteNeed] = &[
    need("TextCopy", "dst", Needs::StringCopy { src: "src" }, false),
    need(
        "TextAppend",
        "text",
        Needs::StringAppend {
            src: "append",
            position: "position",
        },
        false,
    ),
    need(
        "GenImageText",
        "text",
        Needs::Bytes {
            width: "width",
            height: "height",
        },
        false,
    ),
    need(
        "UpdateTexture",
        "pixels",
        Needs::TexturePixels { texture: "texture" },
        false,
    ),
    need(
        "UpdateTextureRec",
        "pixels",
        Needs::RectPixels {
            texture: "texture",
            rect: "rec",
        },
        false,
    ),
    need(
        "rlUpdateTexture",
        "data",
        Needs::Pixels {
            width: "width",
            height: "height",
            format: "format",
        },
        false,
    ),
    need(
        "rlLoadTexture",
        "data",
        Needs::Pixels {
            width: "width",
            height: "height",
            format: "format",
        },
        true,
    ),
    need(
        "rlCopyFramebuffer",
        "pixels",
        Needs::WrittenPixels {
            width: "width",
            height: "height",
            format: "format",
        },
        false,
    ),
    need(
        "LoadImageRaw",
        "fileName",
        Needs::FilePixels {
            width: "width",
            height: "height",
            format: "format",
            header: "headerSize",
        },
        false,
    ),
    need(
        "rlMultMatrixf",
        "matf",
        Needs::Fixed { bytes: 16 * 4 },
        false,
    ),
    need(
        "rlSetVertexAttributeDefault",
        "value",
        // Attribute types 0-3 are float to vec4, as uniform types 0-3 are.
        Needs::Uniform {
            ty: "attribType",
            count: None,
        },
        false,
    ),
    need(
        "rlLoadShaderBuffer",
        "data",
        Needs::Size { size: "size" },
        true,
    ),
    need(
        "rlDrawVertexArrayElements",
        "buffer",
        Needs::Indices {
            offset: "offset",
            count: "count",
        },
        true,
    ),
    need(
        "SetShaderValue",
        "value",
        Needs::Uniform {
            ty: "uniformType",
            count: None,
        },
        false,
    ),
    need(
        "SetShaderValueV",
        "value",
        Needs::Uniform {
            ty: "uniformType",
            count: Some("count"),
        },
        false,
    ),
    need(
        "rlSetUniform",
        "value",
        Needs::Uniform {
            ty: "uniformType",
            count: Some("count"),
        },
        false,
    ),
];

/// The declared need of `function`'s parameter `param`, if any.
pub fn for_param(function: &str, param: &str) -> Option<&'static ByteNeed> {
    BYTE_NEEDS
        .iter()
        .find(|n| n.function == function && n.param == param)
}

impl Needs {
    /// The parameters the need reads, in the order its check reads them (`None`: unused).
    pub fn params(&self) -> [Option<&'static str>; 4] {
        match *self {
            Needs::TexturePixels { texture } => [Some(texture), None, None, None],
            Needs::RectPixels { texture, rect } => [Some(texture), Some(rect), None, None],
            Needs::Pixels {
                width,
                height,
                format,
            }
            | Needs::WrittenPixels {
                width,
                height,
                format,
            } => [Some(width), Some(height), Some(format), None],
            Needs::FilePixels {
                width,
                height,
                format,
                header,
            } => [Some(width), Some(height), Some(format), Some(header)],
            Needs::Fixed { .. } => [None; 4],
            Needs::Uniform { ty, count } => [Some(ty), count, None, None],
            Needs::Bytes { width, height } => [Some(width), Some(height), None, None],
            Needs::StringCopy { src } => [Some(src), None, None, None],
            Needs::StringAppend { src, position } => [Some(src), Some(position), None, None],
            Needs::Size { size } => [Some(size), None, None, None],
            Needs::Indices { offset, count } => [Some(offset), Some(count), None, None],
        }
    }
}

/// A need as an expression of the parameters it reads, for the memory contracts.
pub fn describe(n: &Needs) -> String {
    match n {
        Needs::TexturePixels { texture } => {
            format!("pixel bytes of {texture}.width*{texture}.height in {texture}.format")
        }
        Needs::RectPixels { texture, rect } => {
            format!("pixel bytes of {rect}.width*{rect}.height in {texture}.format")
        }
        Needs::Pixels {
            width,
            height,
            format,
        }
        | Needs::WrittenPixels {
            width,
            height,
            format,
        } => format!("pixel bytes of {width}*{height} in {format}"),
        Needs::Bytes { width, height } => format!("{width}*{height} bytes"),
        Needs::StringCopy { src } => format!("#{src}+1 bytes"),
        Needs::Uniform { ty, count: None } => format!("one value of uniform type {ty}"),
        Needs::Uniform {
            ty,
            count: Some(count),
        } => format!("{count} values of uniform type {ty}"),
        Needs::Size { size } => format!("{size} bytes"),
        Needs::StringAppend { src, position } => {
            format!("{position}+#{src}+1 bytes (memory whose length lunaray knows)")
        }
        Needs::FilePixels {
            width,
            height,
            format,
            header,
        } => format!("a file of {header} bytes then the pixels of {width}*{height} in {format}"),
        Needs::Fixed { bytes } => format!("{bytes} bytes"),
        Needs::Indices { offset, count } => format!("({offset}+{count})*2 bytes"),
    }
}

/// Bytes of `width` x `height` pixels of raylib pixel format `format` (its
/// `GetPixelDataSize`, with compressed formats rounded up to whole 4x4 blocks); None for a
/// format raylib does not know or a negative size.
pub fn pixel_bytes(width: i64, height: i64, format: i64) -> Option<u64> {
    let bits: u64 = match format {
        1 => 8,
        2..=3 | 5..=6 | 11 => 16,
        4 => 24,
        7 | 8 => 32,
        9 => 96,
        10 => 128,
        12 => 48,
        13 => 64,
        14 | 15 | 18 | 19 | 21 | 22 => 4,
        16 | 17 | 20 | 23 => 8,
        24 => 2,
        _ => return None,
    };
    if width < 0 || height < 0 {
        return None;
    }
    let (w, h) = if format >= 14 {
        (
            (width as u64).div_ceil(4) * 4,
            (height as u64).div_ceil(4) * 4,
        )
    } else {
        (width as u64, height as u64)
    };
    Some((w * h * bits).div_ceil(8))
}

/// Bytes of one value of raylib shader uniform type `ty` (0 for a type raylib ignores).
pub fn uniform_bytes(ty: i64) -> u64 {
    match ty {
        0 | 4 | 8 | 12 => 4,
        1 | 5 | 9 => 8,
        2 | 6 | 10 => 12,
        3 | 7 | 11 => 16,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    #[test]
    fn every_need_names_parameters_of_raylib() {
        let reg = Registry::raylib();
        for n in BYTE_NEEDS {
            let f = reg
                .function(n.function)
                .unwrap_or_else(|| panic!("{}", n.function));
            let has = |p: &str| f.params.iter().any(|q| q.name == p);
            let names = n.needs.params().into_iter().flatten();
            for p in names.chain([n.param]) {
                assert!(has(p), "{}.{p}", n.function);
            }
        }
        assert_eq!(pixel_bytes(4, 4, 7), Some(64));
        assert_eq!(pixel_bytes(3, 3, 14), Some(8));
        assert_eq!(pixel_bytes(4, 4, 99), None);
    }
}
