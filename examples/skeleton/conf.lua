-- Window and loop settings, read before main.lua (every setting and its default:
-- docs/callbacks.md).
function lunaray.conf(t)
  t.title = "lunaray - skeleton"
  t.width, t.height = 800, 450
  t.fps = 60
  t.resizable = true
  t.background = rl.RAYWHITE
end
