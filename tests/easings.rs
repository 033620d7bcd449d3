//! raylib-lua's easing functions (Penner's equations, reasings.h names and `(t, b, c, d)`):
//! every one starts at b and ends at b + c, the symmetric ones pass b + c/2 at d/2, and
//! sample values match the published equations.

mod common;

use common::Game;

#[test]
fn easings_start_end_and_cross_where_the_equations_say() {
    let game = Game::new(
        r#"
local names = {}
for _, family in ipairs{"Linear", "Sine", "Circ", "Cubic", "Quad", "Expo", "Back", "Bounce", "Elastic"} do
  for _, kind in ipairs{"In", "Out", "InOut"} do names[#names + 1] = "Ease" .. family .. kind end
end
names[#names + 1] = "EaseLinearNone"
local bad = {}
local function near(a, b) return math.abs(a - b) < 1e-9 end
for _, n in ipairs(names) do
  local f = rl[n]
  if type(f) ~= "function" then bad[#bad + 1] = n .. " missing"
  else
    if not near(f(0, 10, 5, 2), 10) then bad[#bad + 1] = n .. " start " .. f(0, 10, 5, 2) end
    if not near(f(2, 10, 5, 2), 15) then bad[#bad + 1] = n .. " end " .. f(2, 10, 5, 2) end
    if n:find("InOut$") and not near(f(1, 10, 5, 2), 12.5) then
      bad[#bad + 1] = n .. " middle " .. f(1, 10, 5, 2)
    end
  end
end
-- Sample points from the equations, worked by hand: t = d/2 of b = 0, c = 1.
local samples = {
  EaseQuadIn = 0.25, EaseQuadOut = 0.75, EaseCubicIn = 0.125, EaseCubicOut = 0.875,
  EaseSineIn = 1 - math.cos(math.pi / 4), EaseSineOut = math.sin(math.pi / 4),
  EaseCircIn = 1 - math.sqrt(0.75), EaseCircOut = math.sqrt(0.75),
  EaseExpoIn = 2 ^ -5, EaseExpoOut = 1 - 2 ^ -5, EaseLinearIn = 0.5,
  EaseBackIn = 0.25 * (2.70158 * 0.5 - 1.70158), EaseBounceOut = 7.5625 * (0.5 - 1.5 / 2.75) ^ 2 + 0.75,
}
for n, want in pairs(samples) do
  local got = rl[n](1, 0, 1, 2)
  if not near(got, want) then bad[#bad + 1] = n .. " at d/2: " .. got .. " want " .. want end
end
-- Back overshoots below the start; Elastic oscillates past the end.
if not (rl.EaseBackIn(0.5, 0, 1, 2) < 0) then bad[#bad + 1] = "EaseBackIn no overshoot" end
local above = false
for i = 1, 99 do if rl.EaseElasticOut(i / 50, 0, 1, 2) > 1 then above = true end end
if not above then bad[#bad + 1] = "EaseElasticOut never passes the end" end
print(#names, #bad == 0 and "ok" or table.concat(bad, "; "))
"#,
    );
    assert_eq!(common::script_lines(&game.run_ok(&[])), ["28\tok"]);
}
