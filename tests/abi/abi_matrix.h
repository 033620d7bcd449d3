/*
 * abi_matrix.h: a small C library with one struct for every shape raylib passes or returns
 * by value, written in raylib's header style so lunaray's own header parser reads it.
 * tests/abi_matrix.rs compiles abi_matrix.c into a shared library at test time, binds this
 * header through the registry and call plans, and calls every function from Lua.
 *
 * Transforms used by every echo / in-place function (applied field by field):
 *   float, double:         x*2 + 1
 *   int, unsigned int:     x + 1
 *   short:                 x * 2
 *   char (signed):         x - 3
 *   unsigned char:         x ^ 0x5A
 *   char name[N] (string): every non-NUL byte ^ 0x20 (flips ASCII letter case)
 *   bool:                  !x
 *   pointer:               (char *)p + 1 (NULL stays NULL)
 *
 * Checksums (abi_sum_*) fold every field, in declaration order, into
 *   h = (h*31 + v) mod 2^32, starting from h = 7,
 * where v is the field as an unsigned 32-bit value: integers as (uint32_t)x, floats and
 * doubles as (uint32_t)(int32_t)(x*4), bools as 0/1, pointers as their byte offset from
 * abi_buffer (0 for NULL), strings byte by byte up to the NUL.
 */
#ifndef ABI_MATRIX_H
#define ABI_MATRIX_H

#include <stdbool.h>

#ifndef RLAPI
    #define RLAPI
#endif

#define ABI_MATRIX_VERSION "1.0"
#define ABI_BUFFER_SIZE 256

// 4 bytes: one INTEGER eightbyte (like Color)
typedef struct ColorLike {
    unsigned char r;
    unsigned char g;
    unsigned char b;
    unsigned char a;
} ColorLike;

// 8 bytes: one SSE eightbyte (like Vector2)
typedef struct Vec2Like {
    float x;
    float y;
} Vec2Like;

// 8 bytes of bytes: one INTEGER eightbyte
typedef struct Bytes8Like {
    unsigned char b0, b1, b2, b3, b4, b5, b6, b7;
} Bytes8Like;

// 12 bytes: two SSE eightbytes, the second half full (like Vector3)
typedef struct Vec3Like {
    float x;
    float y;
    float z;
} Vec3Like;

// 16 bytes: two SSE eightbytes (like Vector4, Rectangle, Quaternion)
typedef struct Vec4Like {
    float x;
    float y;
    float z;
    float w;
} Vec4Like;

// 16 bytes, float and int sharing each eightbyte: two INTEGER eightbytes
typedef struct MixedFI {
    float a;
    int b;
    float c;
    int d;
} MixedFI;

// 16 bytes, char + short + float in the first eightbyte (INTEGER), a double in the second (SSE)
typedef struct MixedCSFD {
    char c;
    short s;
    float f;
    double d;
} MixedCSFD;

// 16 bytes with bools: two INTEGER eightbytes
typedef struct FlagsLike {
    bool visible;
    int count;
    bool active;
    float weight;
} FlagsLike;

// 16 bytes, an int and a float array: INTEGER then SSE (like a small VrDeviceInfo part)
typedef struct ArrLike {
    int n;
    float vals[3];
} ArrLike;

// 12 bytes, a char array and an int: two INTEGER eightbytes (like BoneInfo, smaller)
typedef struct NamedLike {
    char name[8];
    int parent;
} NamedLike;

// 20 bytes: memory class (like Texture)
typedef struct TexLike {
    unsigned int id;
    int width;
    int height;
    int mipmaps;
    int format;
} TexLike;

// Texture2D-style alias
typedef TexLike Tex2DLike;

// 24 bytes with a pointer: memory class (like Image)
typedef struct ImgLike {
    void *data;
    int width;
    int height;
    int mipmaps;
    int format;
} ImgLike;

// 24 bytes of nested Vec2Like and floats: memory class (like Camera2D)
typedef struct Cam2DLike {
    Vec2Like offset;
    Vec2Like target;
    float rotation;
    float zoom;
} Cam2DLike;

// A struct only ever seen behind a pointer (like rAudioBuffer)
typedef struct Hidden Hidden;

// 24 bytes with a pointer to an opaque struct (like AudioStream, shorter)
typedef struct StreamLike {
    Hidden *buffer;
    unsigned int rate;
    unsigned int size;
    unsigned int channels;
} StreamLike;

// 40 bytes: ints then a nested pointer-carrying struct (like GlyphInfo)
typedef struct GlyphLike {
    int value;
    int offsetX;
    int offsetY;
    int advanceX;
    ImgLike image;
} GlyphLike;

// 44 bytes: an id and two nested 20-byte structs (like RenderTexture)
typedef struct RTLike {
    unsigned int id;
    TexLike texture;
    TexLike depth;
} RTLike;

// 64 bytes: 16 floats (like Matrix)
typedef struct MatLike {
    float m0, m4, m8, m12;
    float m1, m5, m9, m13;
    float m2, m6, m10, m14;
    float m3, m7, m11, m15;
} MatLike;

// 140 bytes: an array of structs (like VrStereoConfig)
typedef struct StereoLike {
    MatLike proj[2];
    float lens[2];
    int eyes;
} StereoLike;

// Pointers into a static buffer, for pointer fields
RLAPI void *abi_ptr(int offset);                          // abi_buffer + offset
RLAPI int abi_ptr_offset(const void *ptr);                // ptr - abi_buffer (-1 for NULL)
RLAPI Hidden *abi_hidden(int offset);                     // abi_buffer + offset, as Hidden *
RLAPI int abi_hidden_offset(Hidden *hidden);              // hidden - abi_buffer (-1 for NULL)

// Echo: every field transformed (see the top of this file)
RLAPI ColorLike abi_echo_color(ColorLike v);
RLAPI Vec2Like abi_echo_vec2(Vec2Like v);
RLAPI Bytes8Like abi_echo_bytes8(Bytes8Like v);
RLAPI Vec3Like abi_echo_vec3(Vec3Like v);
RLAPI Vec4Like abi_echo_vec4(Vec4Like v);
RLAPI MixedFI abi_echo_mixedfi(MixedFI v);
RLAPI MixedCSFD abi_echo_mixedcsfd(MixedCSFD v);
RLAPI FlagsLike abi_echo_flags(FlagsLike v);
RLAPI ArrLike abi_echo_arr(ArrLike v);
RLAPI NamedLike abi_echo_named(NamedLike v);
RLAPI TexLike abi_echo_tex(TexLike v);
RLAPI Tex2DLike abi_echo_tex2d(Tex2DLike v);
RLAPI ImgLike abi_echo_img(ImgLike v);
RLAPI Cam2DLike abi_echo_cam2d(Cam2DLike v);
RLAPI StreamLike abi_echo_stream(StreamLike v);
RLAPI GlyphLike abi_echo_glyph(GlyphLike v);
RLAPI RTLike abi_echo_rt(RTLike v);
RLAPI MatLike abi_echo_mat(MatLike v);
RLAPI StereoLike abi_echo_stereo(StereoLike v);

// Checksums over the fields (see the top of this file)
RLAPI unsigned int abi_sum_color(ColorLike v);
RLAPI unsigned int abi_sum_vec2(Vec2Like v);
RLAPI unsigned int abi_sum_bytes8(Bytes8Like v);
RLAPI unsigned int abi_sum_vec3(Vec3Like v);
RLAPI unsigned int abi_sum_vec4(Vec4Like v);
RLAPI unsigned int abi_sum_mixedfi(MixedFI v);
RLAPI unsigned int abi_sum_mixedcsfd(MixedCSFD v);
RLAPI unsigned int abi_sum_flags(FlagsLike v);
RLAPI unsigned int abi_sum_arr(ArrLike v);
RLAPI unsigned int abi_sum_named(NamedLike v);
RLAPI unsigned int abi_sum_tex(TexLike v);
RLAPI unsigned int abi_sum_tex2d(Tex2DLike v);
RLAPI unsigned int abi_sum_img(ImgLike v);
RLAPI unsigned int abi_sum_cam2d(Cam2DLike v);
RLAPI unsigned int abi_sum_stream(StreamLike v);
RLAPI unsigned int abi_sum_glyph(GlyphLike v);
RLAPI unsigned int abi_sum_rt(RTLike v);
RLAPI unsigned int abi_sum_mat(MatLike v);
RLAPI unsigned int abi_sum_stereo(StereoLike v);

// By reference: the echo transform applied in place
RLAPI void abi_ref_color(ColorLike *color);
RLAPI void abi_ref_vec2(Vec2Like *vec);
RLAPI void abi_ref_vec3(Vec3Like *vec);
RLAPI void abi_ref_mixedcsfd(MixedCSFD *value);
RLAPI void abi_ref_flags(FlagsLike *flags);
RLAPI void abi_ref_tex(TexLike *texture);
RLAPI void abi_ref_img(ImgLike *image);
RLAPI void abi_ref_rt(RTLike *target);
RLAPI void abi_ref_mat(MatLike *mat);
RLAPI int abi_ref_tex_scaled(TexLike *texture, int factor);   // width, height *= factor; returns width*height

// Mixed arguments: scalars and structs of every class in one call
RLAPI float abi_mix(Vec2Like a, float b, ColorLike c, TexLike t, MatLike m, int k);
RLAPI double abi_mix_sse(Vec2Like a, Vec2Like b, Vec3Like c, Vec4Like d, Vec2Like e, Vec3Like f, double g, Vec2Like h);
RLAPI long long abi_mix_int(ColorLike a, MixedFI b, int c, MixedCSFD d, FlagsLike e, int f, ImgLike g, int h);
RLAPI MatLike abi_mix_ret(float s, MatLike m, Vec2Like a, int k);
RLAPI TexLike abi_mix_tex(ColorLike c, double d, Tex2DLike t, char ch, Vec3Like v);

// Scalar returns narrower than a register
RLAPI bool abi_is_visible(FlagsLike v);
RLAPI char abi_char_of(MixedCSFD v);
RLAPI short abi_short_of(MixedCSFD v);
RLAPI unsigned char abi_alpha_of(ColorLike v);

// Out-parameters: C writes them, Lua gets them after the return value
RLAPI int abi_divide(int total, int divisor, int *count);          // total / divisor; count = total % divisor
RLAPI void abi_out_vec(float s, Vec2Like *outVec);                 // outVec = {s, s*2}
RLAPI bool abi_out_tex(unsigned int id, TexLike *outTexture);      // outTexture = {id, 2, 3, 4, 5}; true

// Strings
RLAPI const char *abi_describe_color(ColorLike c);                 // "ColorLike(r,g,b,a)"
RLAPI const char *abi_name_of(int index);                          // "zero", "one", "two"; NULL otherwise
RLAPI const char *abi_echo_text(const char *text);                 // text itself

#endif // ABI_MATRIX_H
