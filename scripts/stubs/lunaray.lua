---@meta lunaray
-- The `lunaray` table: what the runtime tells a script about itself, its helpers, and the
-- callbacks a game may define on it. Written by `lunaray stubs`; do not edit.

---The runtime: facts about this run, helpers with no raylib name, and the callbacks a game
---may define (`function lunaray.update(dt) ... end`); every callback is optional.
---@class lunaray
---@field version string lunaray's version (`"0.1.0"`)
---@field backend "windowed"|"headless" the raylib backend this run uses
---@field lua string the Lua running the game: `"Lua 5.4"`, or LuaJIT's own version
---@field library string the path of the libraylib that was loaded
---@field uncapped boolean true under `--uncapped` (SetTargetFPS is ignored)
---@field conf? fun(t: table) Called before the window opens, with the configuration table to fill in (title, size...).
---@field load? fun(arg: string[]) Called once at start, with the game's command-line arguments.
---@field update? fun(dt: number) Called every frame with the seconds since the last one.
---@field draw? fun() Called every frame to draw it, between BeginDrawing and EndDrawing.
---@field keypressed? fun(key: integer) A key went down (`rl.KEY_*`).
---@field keyreleased? fun(key: integer) A key went up (`rl.KEY_*`).
---@field textinput? fun(codepoint: integer) A character was typed (a Unicode codepoint).
---@field mousepressed? fun(x: number, y: number, button: integer) A mouse button went down (`rl.MOUSE_BUTTON_*`).
---@field mousereleased? fun(x: number, y: number, button: integer) A mouse button went up.
---@field mousemoved? fun(x: number, y: number, dx: number, dy: number) The mouse moved by (dx, dy) to (x, y).
---@field wheelmoved? fun(dx: number, dy: number) The mouse wheel moved.
---@field resize? fun(w: integer, h: integer) The window was resized to w x h.
---@field filedropped? fun(paths: string[]) Files were dropped on the window.
---@field focus? fun(f: boolean) The window gained (true) or lost (false) the focus.
---@field quit? fun() The game is about to end.
---@field run? fun() The main loop; define it to replace the runtime's own.
---@field reload? fun(changed: string[]) Under `--watch`: files of the game changed (their paths).
lunaray = {}

---The bytes behind a pointer raylib returned (like LuaJIT's `ffi.string`): up to the first
---NUL, or exactly `len` bytes.
---@param ptr rl.Pointer
---@param len? integer
---@return string
function lunaray.string(ptr, len) end

---@class lunaray.Stats
---@field frames integer frames presented so far
---@field fps number frames per second (smoothed)
---@field frame_ms number milliseconds per frame (smoothed)
---@field script_ms number of which the script and its calls into C
---@field rest_ms number of which the rest (raylib's presenting, waiting)
---@field ffi_calls integer calls into C in the last frame
---@field ffi_calls_smooth number calls into C per frame (smoothed)
---@field ffi_calls_total integer calls into C since the start
---@field ffi_ns_per_call number sampled nanoseconds per call into C
---@field arena_bytes integer frame-arena bytes used in the last frame
---@field arena_peak integer the most frame-arena bytes one frame used

---Frame and call statistics.
---@return lunaray.Stats
function lunaray.stats() end

---Shows or hides the overlay (FPS, frame split, calls per frame, ns per call, arena, modes)
---and its keys; returns whether it is on.
---@param on? boolean
---@return boolean
function lunaray.overlay(on) end

---The overlay's load factor (changed with its + and - keys), for scenes that scale their work.
---@return number
function lunaray.scale() end

---@class lunaray.Modes
---@field marshal? "planned"|"naive" call plans, or the naive per-call path
---@field arena? "frame"|"heap" call temporaries from the frame arena, or the heap
---@field direct? boolean direct invokers (true) or libffi for every call

---Switches the given call paths live and returns the current ones.
---@param modes? lunaray.Modes
---@return lunaray.Modes
function lunaray.mode(modes) end
