/*
 * abi_matrix.c: the implementation of abi_matrix.h (see there for the transforms and the
 * checksum). Built by tests/abi_matrix.rs with `cc -shared -fPIC -O1`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "abi_matrix.h"

_Static_assert(sizeof(ColorLike) == 4, "ColorLike");
_Static_assert(sizeof(Vec2Like) == 8, "Vec2Like");
_Static_assert(sizeof(Bytes8Like) == 8, "Bytes8Like");
_Static_assert(sizeof(Vec3Like) == 12, "Vec3Like");
_Static_assert(sizeof(Vec4Like) == 16, "Vec4Like");
_Static_assert(sizeof(MixedFI) == 16, "MixedFI");
_Static_assert(sizeof(MixedCSFD) == 16, "MixedCSFD");
_Static_assert(sizeof(FlagsLike) == 16, "FlagsLike");
_Static_assert(sizeof(ArrLike) == 16, "ArrLike");
_Static_assert(sizeof(NamedLike) == 12, "NamedLike");
_Static_assert(sizeof(TexLike) == 20, "TexLike");
_Static_assert(sizeof(Tex2DLike) == 20, "Tex2DLike");
_Static_assert(sizeof(ImgLike) == 24, "ImgLike");
_Static_assert(sizeof(Cam2DLike) == 24, "Cam2DLike");
_Static_assert(sizeof(StreamLike) == 24, "StreamLike");
_Static_assert(sizeof(GlyphLike) == 40, "GlyphLike");
_Static_assert(sizeof(RTLike) == 44, "RTLike");
_Static_assert(sizeof(MatLike) == 64, "MatLike");
_Static_assert(sizeof(StereoLike) == 140, "StereoLike");

static char abi_buffer[ABI_BUFFER_SIZE];

void *abi_ptr(int offset) { return abi_buffer + offset; }

int abi_ptr_offset(const void *ptr) { return ptr ? (int)((const char *)ptr - abi_buffer) : -1; }

Hidden *abi_hidden(int offset) { return (Hidden *)(abi_buffer + offset); }

int abi_hidden_offset(Hidden *hidden) { return hidden ? (int)((char *)hidden - abi_buffer) : -1; }

/* ---- transforms ---- */

static float tf(float x) { return x * 2.0f + 1.0f; }
static double td(double x) { return x * 2.0 + 1.0; }
static unsigned char tb(unsigned char x) { return (unsigned char)(x ^ 0x5A); }
static void *tp(void *p) { return p ? (char *)p + 1 : NULL; }

static void t_color(ColorLike *v) { v->r = tb(v->r); v->g = tb(v->g); v->b = tb(v->b); v->a = tb(v->a); }
static void t_vec2(Vec2Like *v) { v->x = tf(v->x); v->y = tf(v->y); }
static void t_bytes8(Bytes8Like *v)
{
    v->b0 = tb(v->b0); v->b1 = tb(v->b1); v->b2 = tb(v->b2); v->b3 = tb(v->b3);
    v->b4 = tb(v->b4); v->b5 = tb(v->b5); v->b6 = tb(v->b6); v->b7 = tb(v->b7);
}
static void t_vec3(Vec3Like *v) { v->x = tf(v->x); v->y = tf(v->y); v->z = tf(v->z); }
static void t_vec4(Vec4Like *v) { v->x = tf(v->x); v->y = tf(v->y); v->z = tf(v->z); v->w = tf(v->w); }
static void t_mixedfi(MixedFI *v) { v->a = tf(v->a); v->b += 1; v->c = tf(v->c); v->d += 1; }
static void t_mixedcsfd(MixedCSFD *v) { v->c = (char)(v->c - 3); v->s = (short)(v->s * 2); v->f = tf(v->f); v->d = td(v->d); }
static void t_flags(FlagsLike *v) { v->visible = !v->visible; v->count += 1; v->active = !v->active; v->weight = tf(v->weight); }
static void t_arr(ArrLike *v) { v->n += 1; for (int i = 0; i < 3; i++) v->vals[i] = tf(v->vals[i]); }
static void t_named(NamedLike *v)
{
    for (int i = 0; i < 8 && v->name[i]; i++) v->name[i] = (char)(v->name[i] ^ 0x20);
    v->parent += 1;
}
static void t_tex(TexLike *v) { v->id += 1; v->width += 1; v->height += 1; v->mipmaps += 1; v->format += 1; }
static void t_img(ImgLike *v) { v->data = tp(v->data); v->width += 1; v->height += 1; v->mipmaps += 1; v->format += 1; }
static void t_cam2d(Cam2DLike *v) { t_vec2(&v->offset); t_vec2(&v->target); v->rotation = tf(v->rotation); v->zoom = tf(v->zoom); }
static void t_stream(StreamLike *v) { v->buffer = (Hidden *)tp(v->buffer); v->rate += 1; v->size += 1; v->channels += 1; }
static void t_glyph(GlyphLike *v) { v->value += 1; v->offsetX += 1; v->offsetY += 1; v->advanceX += 1; t_img(&v->image); }
static void t_rt(RTLike *v) { v->id += 1; t_tex(&v->texture); t_tex(&v->depth); }
static void t_mat(MatLike *v)
{
    float *f = &v->m0;
    for (int i = 0; i < 16; i++) f[i] = tf(f[i]);
}
static void t_stereo(StereoLike *v)
{
    t_mat(&v->proj[0]); t_mat(&v->proj[1]);
    v->lens[0] = tf(v->lens[0]); v->lens[1] = tf(v->lens[1]);
    v->eyes += 1;
}

#define ECHO(T, name) T abi_echo_##name(T v) { t_##name(&v); return v; }
ECHO(ColorLike, color)
ECHO(Vec2Like, vec2)
ECHO(Bytes8Like, bytes8)
ECHO(Vec3Like, vec3)
ECHO(Vec4Like, vec4)
ECHO(MixedFI, mixedfi)
ECHO(MixedCSFD, mixedcsfd)
ECHO(FlagsLike, flags)
ECHO(ArrLike, arr)
ECHO(NamedLike, named)
ECHO(TexLike, tex)
ECHO(ImgLike, img)
ECHO(Cam2DLike, cam2d)
ECHO(StreamLike, stream)
ECHO(GlyphLike, glyph)
ECHO(RTLike, rt)
ECHO(MatLike, mat)
ECHO(StereoLike, stereo)
Tex2DLike abi_echo_tex2d(Tex2DLike v) { t_tex(&v); return v; }

/* ---- checksums ---- */

static uint32_t h_u(uint32_t h, uint32_t v) { return h * 31u + v; }
static uint32_t h_i(uint32_t h, int64_t v) { return h_u(h, (uint32_t)v); }
static uint32_t h_f(uint32_t h, double x) { return h_u(h, (uint32_t)(int32_t)(x * 4.0)); }
static uint32_t h_b(uint32_t h, bool b) { return h_u(h, b ? 1u : 0u); }
static uint32_t h_p(uint32_t h, const void *p) { return h_u(h, p ? (uint32_t)((const char *)p - abi_buffer) : 0u); }

static uint32_t s_color(uint32_t h, ColorLike v) { h = h_i(h, v.r); h = h_i(h, v.g); h = h_i(h, v.b); return h_i(h, v.a); }
static uint32_t s_vec2(uint32_t h, Vec2Like v) { h = h_f(h, v.x); return h_f(h, v.y); }
static uint32_t s_bytes8(uint32_t h, Bytes8Like v)
{
    h = h_i(h, v.b0); h = h_i(h, v.b1); h = h_i(h, v.b2); h = h_i(h, v.b3);
    h = h_i(h, v.b4); h = h_i(h, v.b5); h = h_i(h, v.b6); return h_i(h, v.b7);
}
static uint32_t s_vec3(uint32_t h, Vec3Like v) { h = h_f(h, v.x); h = h_f(h, v.y); return h_f(h, v.z); }
static uint32_t s_vec4(uint32_t h, Vec4Like v) { h = h_f(h, v.x); h = h_f(h, v.y); h = h_f(h, v.z); return h_f(h, v.w); }
static uint32_t s_mixedfi(uint32_t h, MixedFI v) { h = h_f(h, v.a); h = h_i(h, v.b); h = h_f(h, v.c); return h_i(h, v.d); }
static uint32_t s_mixedcsfd(uint32_t h, MixedCSFD v) { h = h_i(h, v.c); h = h_i(h, v.s); h = h_f(h, v.f); return h_f(h, v.d); }
static uint32_t s_flags(uint32_t h, FlagsLike v) { h = h_b(h, v.visible); h = h_i(h, v.count); h = h_b(h, v.active); return h_f(h, v.weight); }
static uint32_t s_arr(uint32_t h, ArrLike v) { h = h_i(h, v.n); for (int i = 0; i < 3; i++) h = h_f(h, v.vals[i]); return h; }
static uint32_t s_named(uint32_t h, NamedLike v)
{
    for (int i = 0; i < 8 && v.name[i]; i++) h = h_i(h, (unsigned char)v.name[i]);
    return h_i(h, v.parent);
}
static uint32_t s_tex(uint32_t h, TexLike v) { h = h_i(h, v.id); h = h_i(h, v.width); h = h_i(h, v.height); h = h_i(h, v.mipmaps); return h_i(h, v.format); }
static uint32_t s_img(uint32_t h, ImgLike v) { h = h_p(h, v.data); h = h_i(h, v.width); h = h_i(h, v.height); h = h_i(h, v.mipmaps); return h_i(h, v.format); }
static uint32_t s_cam2d(uint32_t h, Cam2DLike v) { h = s_vec2(h, v.offset); h = s_vec2(h, v.target); h = h_f(h, v.rotation); return h_f(h, v.zoom); }
static uint32_t s_stream(uint32_t h, StreamLike v) { h = h_p(h, v.buffer); h = h_i(h, v.rate); h = h_i(h, v.size); return h_i(h, v.channels); }
static uint32_t s_glyph(uint32_t h, GlyphLike v) { h = h_i(h, v.value); h = h_i(h, v.offsetX); h = h_i(h, v.offsetY); h = h_i(h, v.advanceX); return s_img(h, v.image); }
static uint32_t s_rt(uint32_t h, RTLike v) { h = h_i(h, v.id); h = s_tex(h, v.texture); return s_tex(h, v.depth); }
static uint32_t s_mat(uint32_t h, MatLike v)
{
    const float *f = &v.m0;
    for (int i = 0; i < 16; i++) h = h_f(h, f[i]);
    return h;
}
static uint32_t s_stereo(uint32_t h, StereoLike v)
{
    h = s_mat(h, v.proj[0]); h = s_mat(h, v.proj[1]);
    h = h_f(h, v.lens[0]); h = h_f(h, v.lens[1]);
    return h_i(h, v.eyes);
}

#define SUM(T, name) unsigned int abi_sum_##name(T v) { return s_##name(7u, v); }
SUM(ColorLike, color)
SUM(Vec2Like, vec2)
SUM(Bytes8Like, bytes8)
SUM(Vec3Like, vec3)
SUM(Vec4Like, vec4)
SUM(MixedFI, mixedfi)
SUM(MixedCSFD, mixedcsfd)
SUM(FlagsLike, flags)
SUM(ArrLike, arr)
SUM(NamedLike, named)
SUM(TexLike, tex)
SUM(ImgLike, img)
SUM(Cam2DLike, cam2d)
SUM(StreamLike, stream)
SUM(GlyphLike, glyph)
SUM(RTLike, rt)
SUM(MatLike, mat)
SUM(StereoLike, stereo)
unsigned int abi_sum_tex2d(Tex2DLike v) { return s_tex(7u, v); }

/* ---- by reference ---- */

void abi_ref_color(ColorLike *color) { t_color(color); }
void abi_ref_vec2(Vec2Like *vec) { t_vec2(vec); }
void abi_ref_vec3(Vec3Like *vec) { t_vec3(vec); }
void abi_ref_mixedcsfd(MixedCSFD *value) { t_mixedcsfd(value); }
void abi_ref_flags(FlagsLike *flags) { t_flags(flags); }
void abi_ref_tex(TexLike *texture) { t_tex(texture); }
void abi_ref_img(ImgLike *image) { t_img(image); }
void abi_ref_rt(RTLike *target) { t_rt(target); }
void abi_ref_mat(MatLike *mat) { t_mat(mat); }

int abi_ref_tex_scaled(TexLike *texture, int factor)
{
    texture->width *= factor;
    texture->height *= factor;
    return texture->width * texture->height;
}

/* ---- mixed arguments ---- */

float abi_mix(Vec2Like a, float b, ColorLike c, TexLike t, MatLike m, int k)
{
    return a.x + 2.0f * a.y + 3.0f * b + (float)c.r + (float)c.g * 0.5f + (float)c.a
        + (float)t.id + (float)t.width * 10.0f + (float)t.format * 100.0f
        + m.m0 + m.m5 * 2.0f + m.m15 * 4.0f + (float)k * 1000.0f;
}

double abi_mix_sse(Vec2Like a, Vec2Like b, Vec3Like c, Vec4Like d, Vec2Like e, Vec3Like f, double g, Vec2Like h)
{
    return 1.0 * a.x + 2.0 * a.y + 3.0 * b.x + 4.0 * b.y
        + 5.0 * c.x + 6.0 * c.y + 7.0 * c.z
        + 8.0 * d.x + 9.0 * d.y + 10.0 * d.z + 11.0 * d.w
        + 12.0 * e.x + 13.0 * e.y
        + 14.0 * f.x + 15.0 * f.y + 16.0 * f.z
        + 17.0 * g + 18.0 * h.x + 19.0 * h.y;
}

long long abi_mix_int(ColorLike a, MixedFI b, int c, MixedCSFD d, FlagsLike e, int f, ImgLike g, int h)
{
    /* Each value times its own weight (1, 2, 3, ...): a value read from the wrong place shows. */
    long long x[20] = {
        a.r, a.a,
        b.b, b.d, (long long)b.a, (long long)b.c,
        c,
        d.c, d.s, (long long)d.f, (long long)d.d,
        e.visible, e.count, e.active, (long long)e.weight,
        f,
        abi_ptr_offset(g.data), g.width, g.format,
        h,
    };
    long long r = 0;
    for (int i = 0; i < 20; i++) r += (long long)(i + 1) * x[i] * (i % 2 ? 1000 : 1);
    return r;
}

MatLike abi_mix_ret(float s, MatLike m, Vec2Like a, int k)
{
    MatLike r = m;
    float *f = &r.m0;
    for (int i = 0; i < 16; i++) f[i] = f[i] * s + (float)i;
    r.m12 += a.x;
    r.m13 += a.y;
    r.m15 += (float)k;
    return r;
}

TexLike abi_mix_tex(ColorLike c, double d, Tex2DLike t, char ch, Vec3Like v)
{
    TexLike r;
    r.id = t.id + c.r;
    r.width = t.width + (int)d;
    r.height = t.height + ch;
    r.mipmaps = t.mipmaps + (int)v.x + (int)v.y;
    r.format = t.format + (int)v.z + c.a;
    return r;
}

/* ---- narrow scalar returns ---- */

bool abi_is_visible(FlagsLike v) { return v.visible && v.count > 0; }
char abi_char_of(MixedCSFD v) { return v.c; }
short abi_short_of(MixedCSFD v) { return v.s; }
unsigned char abi_alpha_of(ColorLike v) { return v.a; }

/* ---- out-parameters ---- */

int abi_divide(int total, int divisor, int *count)
{
    *count = total % divisor;
    return total / divisor;
}

void abi_out_vec(float s, Vec2Like *outVec)
{
    outVec->x = s;
    outVec->y = s * 2.0f;
}

bool abi_out_tex(unsigned int id, TexLike *outTexture)
{
    TexLike t = { id, 2, 3, 4, 5 };
    *outTexture = t;
    return true;
}

/* ---- strings ---- */

const char *abi_describe_color(ColorLike c)
{
    static char text[64];
    snprintf(text, sizeof(text), "ColorLike(%d,%d,%d,%d)", c.r, c.g, c.b, c.a);
    return text;
}

const char *abi_name_of(int index)
{
    static const char *names[] = { "zero", "one", "two" };
    return (index >= 0 && index < 3) ? names[index] : NULL;
}

const char *abi_echo_text(const char *text) { return text; }
