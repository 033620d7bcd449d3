//! The generator's raw material: a small seeded random number generator and the catalogs of
//! hostile Lua values, as Lua source. Nothing here knows raylib: [`super::gen`] picks from
//! these per parameter kind.
//!
//! Contract: every entry is a single-line Lua expression that evaluates without error on
//! Lua 5.4 and LuaJIT; no string or file name entry holds `/` or `..` (so generated paths,
//! directory names and URLs stay inside the worker's scratch directory), checked by a unit
//! test.

/// SplitMix64: fast, tiny, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of one call: independent of every other call's draws.
    pub fn for_call(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5EED_F022_0000_0000);
        r.0 = r.0.wrapping_add(index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers that break things: zero, signs, type limits, NaN, infinities, fractions.
pub const HOSTILE_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-2",
    "1e9",
    "-1e9",
    "1e6",
    "65535",
    "65536",
    "2147483647",
    "-2147483648",
    "2147483648",
    "4294967295",
    "4294967296",
    "1e18",
    "-1e18",
    "2^53",
    "2^63",
    "-2^63",
    "1e300",
    "-1e300",
    "0.5",
    "-0.5",
    "1e-300",
    "0/0",
    "-(0/0)",
    "1/0",
    "-1/0",
    "100000",
    "46341",
    "16385",
];

/// Numbers a caller might plausibly pass: small counts, sizes, indices, coordinates.
pub const PLAIN_NUMBERS: &[&str] = &[
    "0", "1", "2", "3", "4", "5", "7", "8", "10", "12", "16", "20", "32", "45", "64", "100", "128",
    "255", "256", "0.5", "1.5", "-3", "-10", "0.25", "3.75",
];

/// Strings: empty, short, long, NUL-containing, format directives, invalid UTF-8.
pub const STRINGS: &[&str] = &[
    r#""""#,
    r#""a""#,
    r#""abc""#,
    r#""hello world""#,
    r#""\0""#,
    r#""a\0b""#,
    r#"("x"):rep(300)"#,
    r#"("ab"):rep(40000)"#,
    r#"("\0"):rep(64)"#,
    r#""%s%d%n%x%s%s""#,
    r#""\255\254\253""#,
    r#""\240\159\152\128 \226\130\172""#,
    r#""\192""#,
    r#""\n\t\r""#,
    r#""a;b,c,d;""#,
    r#""-1""#,
    r#""123""#,
    r#""f0.png""#,
    r#"".png""#,
    r#"".ttf""#,
    r#""x'$(id)`\"\\""#,
    r#""http:example""#,
    r#""vec4 main""#,
    r#"("\195\169"):rep(100)"#,
];

/// File names: plain relative names only (the scratch directory's files, missing ones, odd
/// ones). See [`super::worker::SCRATCH_FILES`] for what exists.
pub const FILE_NAMES: &[&str] = &[
    r#""f0.png""#,
    r#""f1.txt""#,
    r#""a.wav""#,
    r#""m.obj""#,
    r#""s.fs""#,
    r#""j.ttf""#,
    r#""t0.ttf""#,
    r#""t1.ttf""#,
    r#""t2.ttf""#,
    r#""t3.ttf""#,
    r#""missing.png""#,
    r#""f0.PNG""#,
    r#""x""#,
    r#""""#,
    r#""f0.png\0.txt""#,
    r#""d""#,
    r#""out.h""#,
    r#""f2.qoi""#,
    r#""f3.bmp""#,
    r#""new.txt""#,
    r#"".hidden""#,
    r#""noext.""#,
    r#"("n"):rep(5000)"#,
];

/// Values of the wrong type for anything.
pub const WRONG_TYPES: &[&str] = &[
    "nil",
    "true",
    "false",
    "{}",
    "{1, 2, 3}",
    "{x = 1}",
    "{{}}",
    "{1, {2}, \"3\"}",
    "print",
    "coroutine.create(print)",
    "\"abc\"",
    "0",
    "0/0",
    "rl",
    "setmetatable({}, {__index = function() error('boom') end})",
];

/// Element types typed buffers are made of, as `rl.new` spells them.
pub const BUFFER_TYPES: &[&str] = &[
    "unsigned char",
    "char",
    "int",
    "unsigned int",
    "float",
    "double",
    "short",
    "Color",
    "Vector2",
    "Vector3",
    "Matrix",
    "Rectangle",
];

/// Element counts for typed buffers and Lua arrays.
pub const COUNTS: &[usize] = &[0, 1, 2, 3, 4, 8, 16, 100];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_generated_string_leaves_the_scratch_directory() {
        // (`WRONG_TYPES` and the numbers hold no path-like string: `0/0` is a division.)
        for s in STRINGS.iter().chain(FILE_NAMES) {
            assert!(!s.contains('/') && !s.contains(".."), "{s}");
            // Nor as a Lua escape: `\47` is '/', `\x2f` too.
            assert!(
                !s.contains("\\47") && !s.to_lowercase().contains("\\x2f"),
                "{s}"
            );
        }
    }

    #[test]
    fn calls_draw_independently() {
        let a: Vec<u64> = (0..4).map(|i| Rng::for_call(1, i).next_u64()).collect();
        let b: Vec<u64> = (0..4).map(|i| Rng::for_call(1, i).next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(
            Rng::for_call(1, 0).next_u64(),
            Rng::for_call(2, 0).next_u64()
        );
    }
}
