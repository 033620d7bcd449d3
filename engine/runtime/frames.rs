//! Frame accounting: where each frame's time goes (the script and its calls into C, then
//! raylib's `EndDrawing`: render, present, wait), how many calls it made and what one cost
//! (one call in 64 is timed), smoothed for the overlay and kept whole for `--report`.

use std::time::Instant;

use crate::marshal::Ctx;

/// One frame's numbers.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct FrameRecord {
    pub frame_ms: f64,
    /// From the end of the previous frame to `EndDrawing`: Lua and its calls into C.
    pub script_ms: f64,
    /// Inside `EndDrawing`: raylib renders the batch, presents, and waits for the target FPS.
    pub rest_ms: f64,
    pub ffi_calls: u64,
}

pub struct FrameClock {
    pub frames: u64,
    pub target: Option<u64>,
    frame_start: Instant,
    script_end: Instant,
    calls_at_start: u64,
    calls_at_mark: u64,
    pub last: FrameRecord,
    /// Exponential moving averages, for a steady overlay.
    pub smooth: FrameRecord,
    pub smooth_ns_per_call: f64,
    sampled_at: (u64, u64),
    /// Every frame's record, when a report was asked for.
    pub history: Option<Vec<FrameRecord>>,
}

impl FrameClock {
    pub fn new(target: Option<u64>, keep_history: bool) -> FrameClock {
        let now = Instant::now();
        FrameClock {
            frames: 0,
            target,
            frame_start: now,
            script_end: now,
            calls_at_start: 0,
            calls_at_mark: 0,
            last: FrameRecord::default(),
            smooth: FrameRecord::default(),
            smooth_ns_per_call: 0.0,
            sampled_at: (0, 0),
            history: keep_history.then(Vec::new),
        }
    }

    /// The script's part of the frame ends (`EndDrawing` was entered).
    pub fn mark(&mut self, ctx: &Ctx) {
        self.script_end = Instant::now();
        self.calls_at_mark = ctx.ffi_calls.get();
    }

    /// The frame was presented. Returns whether the frame budget (`--frames`) is reached.
    pub fn end(&mut self, ctx: &Ctx) -> bool {
        let now = Instant::now();
        let ms = |a: Instant, b: Instant| b.saturating_duration_since(a).as_secs_f64() * 1e3;
        let calls = ctx.ffi_calls.get();
        self.last = FrameRecord {
            frame_ms: ms(self.frame_start, now),
            script_ms: ms(self.frame_start, self.script_end),
            rest_ms: ms(self.script_end, now),
            ffi_calls: self.calls_at_mark.saturating_sub(self.calls_at_start),
        };
        let k = if self.frames == 0 { 1.0 } else { 0.1 };
        let ema = |old: f64, new: f64| old + k * (new - old);
        self.smooth = FrameRecord {
            frame_ms: ema(self.smooth.frame_ms, self.last.frame_ms),
            script_ms: ema(self.smooth.script_ms, self.last.script_ms),
            rest_ms: ema(self.smooth.rest_ms, self.last.rest_ms),
            ffi_calls: ema(self.smooth.ffi_calls as f64, self.last.ffi_calls as f64).round() as u64,
        };
        let sampled = (ctx.sampled_ns.get(), ctx.sampled_calls.get());
        let (dn, dc) = (sampled.0 - self.sampled_at.0, sampled.1 - self.sampled_at.1);
        if dc > 0 {
            self.smooth_ns_per_call = ema(self.smooth_ns_per_call, dn as f64 / dc as f64);
            self.sampled_at = sampled;
        }
        if let Some(h) = &mut self.history {
            h.push(self.last);
        }
        self.frames += 1;
        self.frame_start = now;
        self.calls_at_start = calls;
        self.target.is_some_and(|t| self.frames >= t)
    }
}

/// What `--report FILE.json` writes.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub scene: String,
    pub backend: String,
    pub lua: String,
    pub frames: u64,
    pub marshal: String,
    pub arena: String,
    pub fps_mean: f64,
    pub frame_ms_median: f64,
    pub frame_ms_p95: f64,
    pub script_ms_median: f64,
    pub ffi_calls_per_frame: f64,
    pub ffi_ns_per_call: f64,
    pub arena_peak_bytes: usize,
}

/// Frame-time statistics over every frame but the first (which includes loading).
pub fn summarize(history: &[FrameRecord]) -> (f64, f64, f64, f64, f64) {
    let frames: Vec<&FrameRecord> = history.iter().skip(1).collect();
    if frames.is_empty() {
        return (0.0, 0.0, 0.0, 0.0, 0.0);
    }
    let mut times: Vec<f64> = frames.iter().map(|f| f.frame_ms).collect();
    times.sort_by(f64::total_cmp);
    let mut script: Vec<f64> = frames.iter().map(|f| f.script_ms).collect();
    script.sort_by(f64::total_cmp);
    let pick = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let total: f64 = times.iter().sum();
    let calls: f64 = frames.iter().map(|f| f.ffi_calls as f64).sum();
    (
        1000.0 * times.len() as f64 / total.max(1e-9),
        pick(&times, 0.5),
        pick(&times, 0.95),
        pick(&script, 0.5),
        calls / frames.len() as f64,
    )
}
