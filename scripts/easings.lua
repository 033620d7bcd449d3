-- Robert Penner's easing equations, under the names and the (t, b, c, d) signature of
-- raylib's reasings.h that raylib-lua scripts call: t is the time since the start, b the start
-- value, c the change (end - start), d the duration; each returns the value at t.
-- Written from the published equations (Penner, "Programming Macromedia Flash MX", ch. 7).
local rl = rl
local sin, cos, sqrt, pi = math.sin, math.cos, math.sqrt, math.pi

-- 2^x (math.pow is gone in Lua 5.4; `^` works in both).
local function pow2(x) return 2 ^ x end

function rl.EaseLinearNone(t, b, c, d) return c * t / d + b end
function rl.EaseLinearIn(t, b, c, d) return c * t / d + b end
function rl.EaseLinearOut(t, b, c, d) return c * t / d + b end
function rl.EaseLinearInOut(t, b, c, d) return c * t / d + b end

function rl.EaseSineIn(t, b, c, d) return -c * cos(t / d * (pi / 2)) + c + b end
function rl.EaseSineOut(t, b, c, d) return c * sin(t / d * (pi / 2)) + b end
function rl.EaseSineInOut(t, b, c, d) return -c / 2 * (cos(pi * t / d) - 1) + b end

function rl.EaseCircIn(t, b, c, d)
  t = t / d
  return -c * (sqrt(1 - t * t) - 1) + b
end
function rl.EaseCircOut(t, b, c, d)
  t = t / d - 1
  return c * sqrt(1 - t * t) + b
end
function rl.EaseCircInOut(t, b, c, d)
  t = t / (d / 2)
  if t < 1 then return -c / 2 * (sqrt(1 - t * t) - 1) + b end
  t = t - 2
  return c / 2 * (sqrt(1 - t * t) + 1) + b
end

function rl.EaseCubicIn(t, b, c, d)
  t = t / d
  return c * t * t * t + b
end
function rl.EaseCubicOut(t, b, c, d)
  t = t / d - 1
  return c * (t * t * t + 1) + b
end
function rl.EaseCubicInOut(t, b, c, d)
  t = t / (d / 2)
  if t < 1 then return c / 2 * t * t * t + b end
  t = t - 2
  return c / 2 * (t * t * t + 2) + b
end

function rl.EaseQuadIn(t, b, c, d)
  t = t / d
  return c * t * t + b
end
function rl.EaseQuadOut(t, b, c, d)
  t = t / d
  return -c * t * (t - 2) + b
end
function rl.EaseQuadInOut(t, b, c, d)
  t = t / (d / 2)
  if t < 1 then return c / 2 * t * t + b end
  t = t - 1
  return -c / 2 * (t * (t - 2) - 1) + b
end

function rl.EaseExpoIn(t, b, c, d)
  if t == 0 then return b end
  return c * pow2(10 * (t / d - 1)) + b
end
function rl.EaseExpoOut(t, b, c, d)
  if t == d then return b + c end
  return c * (-pow2(-10 * t / d) + 1) + b
end
function rl.EaseExpoInOut(t, b, c, d)
  if t == 0 then return b end
  if t == d then return b + c end
  t = t / (d / 2)
  if t < 1 then return c / 2 * pow2(10 * (t - 1)) + b end
  return c / 2 * (-pow2(-10 * (t - 1)) + 2) + b
end

-- Back overshoots by s (1.70158: a 10% overshoot).
local S = 1.70158
function rl.EaseBackIn(t, b, c, d)
  t = t / d
  return c * t * t * ((S + 1) * t - S) + b
end
function rl.EaseBackOut(t, b, c, d)
  t = t / d - 1
  return c * (t * t * ((S + 1) * t + S) + 1) + b
end
function rl.EaseBackInOut(t, b, c, d)
  local s = S * 1.525
  t = t / (d / 2)
  if t < 1 then return c / 2 * (t * t * ((s + 1) * t - s)) + b end
  t = t - 2
  return c / 2 * (t * t * ((s + 1) * t + s) + 2) + b
end

function rl.EaseBounceOut(t, b, c, d)
  t = t / d
  if t < 1 / 2.75 then
    return c * (7.5625 * t * t) + b
  elseif t < 2 / 2.75 then
    t = t - 1.5 / 2.75
    return c * (7.5625 * t * t + 0.75) + b
  elseif t < 2.5 / 2.75 then
    t = t - 2.25 / 2.75
    return c * (7.5625 * t * t + 0.9375) + b
  end
  t = t - 2.625 / 2.75
  return c * (7.5625 * t * t + 0.984375) + b
end
function rl.EaseBounceIn(t, b, c, d) return c - rl.EaseBounceOut(d - t, 0, c, d) + b end
function rl.EaseBounceInOut(t, b, c, d)
  if t < d / 2 then return rl.EaseBounceIn(t * 2, 0, c, d) * 0.5 + b end
  return rl.EaseBounceOut(t * 2 - d, 0, c, d) * 0.5 + c * 0.5 + b
end

function rl.EaseElasticIn(t, b, c, d)
  if t == 0 then return b end
  t = t / d
  if t == 1 then return b + c end
  local p = d * 0.3
  local s = p / 4
  t = t - 1
  return -(c * pow2(10 * t) * sin((t * d - s) * (2 * pi) / p)) + b
end
function rl.EaseElasticOut(t, b, c, d)
  if t == 0 then return b end
  t = t / d
  if t == 1 then return b + c end
  local p = d * 0.3
  local s = p / 4
  return c * pow2(-10 * t) * sin((t * d - s) * (2 * pi) / p) + c + b
end
function rl.EaseElasticInOut(t, b, c, d)
  if t == 0 then return b end
  t = t / (d / 2)
  if t == 2 then return b + c end
  local p = d * (0.3 * 1.5)
  local s = p / 4
  t = t - 1
  if t < 0 then
    return -0.5 * (c * pow2(10 * t) * sin((t * d - s) * (2 * pi) / p)) + b
  end
  return c * pow2(-10 * t) * sin((t * d - s) * (2 * pi) / p) * 0.5 + c + b
end
