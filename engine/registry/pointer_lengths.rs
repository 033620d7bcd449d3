//! How long the arrays behind raylib's struct pointer fields are, declared by hand where the
//! header says it only in words (`Mesh *meshes; // Meshes array` next to `int meshCount`),
//! each rule with its reason. A pointer field with a rule reads as a bounded view
//! (`model.materials[0]`, `#model.materials`); one without stays an opaque pointer value.
//!
//! Contract: every rule names a pointer field of a raylib struct and a count that is an `int`
//! or `unsigned int` field of the same struct (a path through embedded structs, such as
//! `skeleton.boneCount`) or a fixed number raylib allocates; `resolve` turns it into byte
//! offsets once. `tests` check every rule against the header.

use super::{CType, Prim, Registry, StructId};

/// How many elements a field points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// `times` elements per unit of the integer field at this path (`vertexCount`, 3).
    Field(&'static str, u32),
    /// A number raylib allocates by (`MAX_MATERIAL_MAPS`).
    Fixed(u32),
}

/// One declared length.
#[derive(Clone, Copy, Debug)]
pub struct PointerLength {
    pub strukt: &'static str,
    pub field: &'static str,
    pub count: Count,
    /// Whether scripts may write the elements through the view. Elements whose values index
    /// other arrays (raylib reads those unchecked) are read-only.
    pub writable: bool,
    pub reason: &'static str,
}

const fn rule(
    strukt: &'static str,
    field: &'static str,
    count: Count,
    writable: bool,
    reason: &'static str,
) -> PointerLength {
    PointerLength {
        strukt,
        field,
        count,
        writable,
        reason,
    }
}

use Count::{Field, Fixed};

const VERTEX: &str = "one per vertex, the header's component count each: raylib allocates \
                      vertexCount times that (rmodels.c GenMesh*, LoadOBJ/LoadGLTF)";

/// The declared lengths.
pub const POINTER_LENGTHS: &[PointerLength] = &[
    rule(
        "Model",
        "meshes",
        Field("meshCount", 1),
        true,
        "LoadModel* allocate meshCount meshes (rmodels.c)",
    ),
    rule(
        "Model",
        "materials",
        Field("materialCount", 1),
        true,
        "LoadModel* allocate materialCount materials (rmodels.c)",
    ),
    rule(
        "Model",
        "meshMaterial",
        Field("meshCount", 1),
        false,
        "one material number per mesh; read-only: DrawModel reads materials[meshMaterial[i]] \
         unchecked",
    ),
    rule(
        "Model",
        "currentPose",
        Field("skeleton.boneCount", 1),
        true,
        "one Transform per bone (LoadModel allocates skeleton.boneCount)",
    ),
    rule(
        "Model",
        "boneMatrices",
        Field("skeleton.boneCount", 1),
        true,
        "one Matrix per bone (LoadModel allocates skeleton.boneCount)",
    ),
    rule(
        "ModelSkeleton",
        "bones",
        Field("boneCount", 1),
        false,
        "one BoneInfo per bone; read-only: each parent indexes the bone array unchecked",
    ),
    rule(
        "ModelSkeleton",
        "bindPose",
        Field("boneCount", 1),
        true,
        "one Transform per bone",
    ),
    rule(
        "Material",
        "maps",
        Fixed(12),
        true,
        "MAX_MATERIAL_MAPS (12, rmodels.c): LoadMaterialDefault, which every loader uses, \
         allocates that many; not in raylib.h, so declared here",
    ),
    rule(
        "Shader",
        "locs",
        Fixed(32),
        true,
        "RL_MAX_SHADER_LOCATIONS (32, rlgl.h): LoadShader allocates that many; locations go \
         to the GPU driver, which ignores unknown ones",
    ),
    rule("Mesh", "vertices", Field("vertexCount", 3), true, VERTEX),
    rule("Mesh", "texcoords", Field("vertexCount", 2), true, VERTEX),
    rule("Mesh", "texcoords2", Field("vertexCount", 2), true, VERTEX),
    rule("Mesh", "normals", Field("vertexCount", 3), true, VERTEX),
    rule("Mesh", "tangents", Field("vertexCount", 4), true, VERTEX),
    rule("Mesh", "colors", Field("vertexCount", 4), true, VERTEX),
    rule(
        "Mesh",
        "indices",
        Field("triangleCount", 3),
        false,
        "three per triangle; read-only: each indexes the vertex arrays, which raylib reads \
         unchecked (GenMeshTangents, ExportMesh)",
    ),
    rule(
        "Mesh",
        "boneIndices",
        Field("vertexCount", 4),
        false,
        "four per vertex; read-only: each indexes the bones, unchecked in UpdateModelAnimation",
    ),
    rule("Mesh", "boneWeights", Field("vertexCount", 4), true, VERTEX),
    rule(
        "Mesh",
        "animVertices",
        Field("vertexCount", 3),
        true,
        VERTEX,
    ),
    rule("Mesh", "animNormals", Field("vertexCount", 3), true, VERTEX),
    rule(
        "Font",
        "recs",
        Field("glyphCount", 1),
        true,
        "LoadFont* allocate glyphCount rectangles (rtext.c)",
    ),
    rule(
        "Font",
        "glyphs",
        Field("glyphCount", 1),
        true,
        "LoadFont* allocate glyphCount glyphs (rtext.c)",
    ),
    rule(
        "AutomationEventList",
        "events",
        Field("capacity", 1),
        false,
        "capacity events allocated (LoadAutomationEventList), the first count of them \
         recorded: count is raylib's to change while recording, capacity is not; read-only: \
         an event's type indexes raylib's tables unchecked when exported",
    ),
];

/// Pointer fields deliberately left opaque, each with its reason (documentation, and checked
/// to name real fields).
pub const NOT_VIEWED: &[(&str, &str, &str)] = &[
    (
        "Image",
        "data",
        "its length depends on the pixel format, compressed formats included \
        (GetPixelDataSize): read it with LoadImageColors or lunaray.string",
    ),
    (
        "Wave",
        "data",
        "frameCount * channels samples of sampleSize bits: read it with \
        LoadWaveSamples",
    ),
    (
        "Mesh",
        "vboId",
        "MAX_MESH_VERTEX_BUFFERS is 7 or 9 depending on raylib's build options",
    ),
    (
        "ModelAnimation",
        "keyframePoses",
        "an array of pointers: views of views are not built",
    ),
    (
        "FilePathList",
        "paths",
        "an array of C strings: use the loop over paths.count in Lua \
        with LoadDirectoryFiles's own results",
    ),
];

/// A rule turned into offsets for one struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLength {
    /// Index into [`POINTER_LENGTHS`].
    pub rule: u32,
    /// The element type.
    pub elem: CType,
    /// Byte offset of the count field in the struct (None for a fixed count), its type.
    pub count_at: Option<(u32, Prim)>,
    /// Elements per count unit, or the fixed count.
    pub times: u32,
    pub writable: bool,
}

/// The declared length of field `field` of struct `sid`, if it has one.
pub fn resolve(reg: &Registry, sid: StructId, field: &str) -> Option<ResolvedLength> {
    let s = &reg.structs[sid];
    let (i, r) = POINTER_LENGTHS
        .iter()
        .enumerate()
        .find(|(_, r)| r.strukt == s.name && r.field == field)?;
    let elem = match &s.field(field)?.ty {
        CType::Pointer { to, .. } => (**to).clone(),
        _ => return None,
    };
    let (count_at, times) = match r.count {
        Fixed(n) => (None, n),
        Field(path, times) => (Some(field_path(reg, sid, path)?), times),
    };
    Some(ResolvedLength {
        rule: i as u32,
        elem,
        count_at,
        times,
        writable: r.writable,
    })
}

/// The offset and type of the integer field at `path` (`skeleton.boneCount`).
fn field_path(reg: &Registry, sid: StructId, path: &str) -> Option<(u32, Prim)> {
    let mut sid = sid;
    let mut offset = 0usize;
    let mut parts = path.split('.').peekable();
    while let Some(name) = parts.next() {
        let f = reg.structs[sid].field(name)?;
        offset += f.offset;
        match (&f.ty, parts.peek()) {
            (CType::Struct(id), Some(_)) => sid = *id,
            (CType::Prim(p @ (Prim::Int | Prim::UInt)), None) => return Some((offset as u32, *p)),
            _ => return None,
        }
    }
    None
}

/// Whether the integer field `name` of struct `strukt` is a count some rule reads.
pub fn is_count_field(strukt: &str, name: &str) -> bool {
    POINTER_LENGTHS.iter().any(|r| {
        r.strukt == strukt
            && matches!(r.count, Field(path, _) if path == name || path.ends_with(&format!(".{name}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_a_pointer_field_and_an_integer_count() {
        let reg = Registry::raylib();
        for (i, r) in POINTER_LENGTHS.iter().enumerate() {
            let sid = reg.struct_id(r.strukt).expect(r.strukt);
            let got = resolve(&reg, sid, r.field)
                .unwrap_or_else(|| panic!("{}.{} does not resolve", r.strukt, r.field));
            assert_eq!(got.rule, i as u32);
            assert!(!r.reason.is_empty());
        }
        for (s, f, why) in NOT_VIEWED {
            let sid = reg.struct_id(s).expect(s);
            assert!(matches!(
                reg.structs[sid].field(f).map(|f| &f.ty),
                Some(CType::Pointer { .. })
            ));
            assert!(resolve(&reg, sid, f).is_none() && !why.is_empty());
        }
        let model = reg.struct_id("Model").unwrap();
        let pose = resolve(&reg, model, "currentPose").unwrap();
        let skel = reg.structs[model].field("skeleton").unwrap().offset as u32;
        assert_eq!(
            pose.count_at,
            Some((skel, Prim::Int)),
            "boneCount leads ModelSkeleton"
        );
        let mesh = reg.struct_id("Mesh").unwrap();
        let v = resolve(&reg, mesh, "vertices").unwrap();
        assert_eq!(
            (v.elem.clone(), v.count_at, v.times),
            (CType::Prim(Prim::Float), Some((0, Prim::Int)), 3)
        );
        assert!(is_count_field("Model", "meshCount") && is_count_field("Model", "boneCount"));
        assert!(!is_count_field("Model", "transform"));
    }
}
