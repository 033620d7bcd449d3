function lunaray.conf(t)
  t.title = "lunaray: raygui"
  t.width, t.height = 800, 450
  t.fps = 60
end
