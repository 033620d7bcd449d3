//! raylib's automation events, whose list pointer C keeps: `SetAutomationEventList(list)`
//! hands raylib the list's address, and raylib writes every recorded event through it, at
//! every frame, until another list is set. lunaray keeps that Lua value alive for as long as
//! raylib holds it, refuses what raylib does not check, and never leaves raylib holding a
//! list whose events were freed:
//! - the list set is an `AutomationEventList` value raylib made (its events and capacity),
//!   never a table (converted into temporary memory) or a view;
//! - recording needs a list set through lunaray (raylib writes through NULL otherwise);
//! - a list's `count` stays within its `capacity` wherever raylib reads that many events
//!   (raylib updates `count` in place while recording, so it is not part of what describes
//!   the list's memory, `vouch`);
//! - unloading the list raylib holds (or a copy sharing its events) points raylib at an
//!   empty list of capacity 0, which it never writes;
//! - a played event's type and parameters index raylib's input arrays only within them.
//!
//! Contract: `before` runs after the arguments are converted and vouched for, `after` after
//! a successful call; both only for the plans that declare one of these (cold).

use std::cell::Cell;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;

use super::args::ArgPlan;
use super::contracts::frame_struct;
use super::plan::CallPlan;

/// What a function does with automation events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Automation {
    /// `SetAutomationEventList(list)`: the list at this argument is kept.
    SetList { arg: u8 },
    /// `StartAutomationEventRecording()`: a list must be set.
    StartRecording,
    /// A list by value raylib reads `count` events of (`ExportAutomationEventList`), or frees
    /// (`UnloadAutomationEventList`, `unloads`).
    List { arg: u8, unloads: bool },
    /// `PlayAutomationEvent(event)`: the event at this argument.
    PlayEvent { arg: u8 },
}

/// The declaration for function `name`.
pub(crate) fn for_function(name: &str) -> Option<Automation> {
    Some(match name {
        "SetAutomationEventList" => Automation::SetList { arg: 0 },
        "StartAutomationEventRecording" => Automation::StartRecording,
        "ExportAutomationEventList" => Automation::List {
            arg: 0,
            unloads: false,
        },
        "UnloadAutomationEventList" => Automation::List {
            arg: 0,
            unloads: true,
        },
        "PlayAutomationEvent" => Automation::PlayEvent { arg: 0 },
        _ => return None,
    })
}

/// The list raylib holds: the registry reference keeping the Lua value alive and the
/// events pointer it was set with.
#[derive(Default)]
pub struct Kept {
    list: Cell<Option<(std::ffi::c_int, usize)>>,
}

// AutomationEventList: capacity, count (unsigned ints), then the events pointer.
const CAPACITY: usize = 0;
const COUNT: usize = 4;
const EVENTS: usize = 8;

/// Checks made before the call.
#[cold]
#[inline(never)]
pub(super) fn before<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    a: Automation,
) -> Result<(), Error> {
    let ctx = plan.ctx;
    match a {
        Automation::SetList { arg } => {
            let lua = ap.args[arg as usize].lua;
            // C keeps the address: only a struct value Lua keeps alive will do.
            let own = st
                .struct_at(lua)
                .is_some_and(|s| !st.is_borrowed(lua) && !s.read_only && st.owns_its_bytes(lua));
            if !own {
                return Err(plan.arg_error(
                    lua,
                    Problem::Other(
                        "raylib keeps this list and records into it after the call: pass an \
                         AutomationEventList value (from LoadAutomationEventList), not a table \
                         or a view"
                            .into(),
                    ),
                ));
            }
            let s = st.struct_at(lua).ok_or_else(Error::internal)?;
            count_within_capacity(
                plan,
                lua,
                s.mem.read::<u32>(COUNT),
                s.mem.read::<u32>(CAPACITY),
            )
        }
        Automation::StartRecording => match ctx.automation.list.get() {
            Some(_) => Ok(()),
            None => Err(Error::value(Problem::Other(
                "no automation event list to record into: call \
                 rl.SetAutomationEventList(list) first"
                    .into(),
            ))),
        },
        Automation::List { arg, .. } => {
            let a = &ap.args[arg as usize];
            let mut seen = frame_struct(frame, a).ok_or_else(Error::internal)?;
            let m = seen.mem();
            count_within_capacity(plan, a.lua, m.read::<u32>(COUNT), m.read::<u32>(CAPACITY))
        }
        Automation::PlayEvent { arg } => {
            let a = &ap.args[arg as usize];
            let mut seen = frame_struct(frame, a).ok_or_else(Error::internal)?;
            let m = seen.mem();
            let ty = m.read::<u32>(4);
            let p = |i: usize| m.read::<i32>(8 + 4 * i) as i64;
            match event_problem(ty, p(0), p(1)) {
                None => Ok(()),
                Some(why) => Err(plan.arg_error(a.lua, Problem::Other(why))),
            }
        }
    }
}

fn count_within_capacity(
    plan: &CallPlan,
    lua: std::ffi::c_int,
    count: u32,
    capacity: u32,
) -> Result<(), Error> {
    if count <= capacity {
        return Ok(());
    }
    Err(plan.arg_error(
        lua,
        Problem::Other(format!(
            "count {count} is more than the list's capacity {capacity}: raylib reads count \
             events"
        )),
    ))
}

/// What raylib's `PlayAutomationEvent` would index out of its arrays with, in words.
fn event_problem(ty: u32, p0: i64, p1: i64) -> Option<String> {
    use crate::registry::preconditions::{
        MAX_GAMEPADS as GAMEPADS, MAX_GAMEPAD_AXES as GAMEPAD_AXES,
        MAX_GAMEPAD_BUTTONS as GAMEPAD_BUTTONS, MAX_KEYBOARD_KEYS as KEYS,
        MAX_MOUSE_BUTTONS as MOUSE_BUTTONS, MAX_TOUCH_POINTS as TOUCH_POINTS,
    };
    let within = |v: i64, n: i64, what: &str, param: usize| {
        (!(0..n).contains(&v)).then(|| {
            format!(
                "event type {ty} takes {what} 0 to {} in params[{param}], got {v}: raylib \
                 indexes its input state with it unchecked",
                n - 1
            )
        })
    };
    match ty {
        // Key up, down, pressed, released.
        1..=4 => within(p0, KEYS, "a key", 0),
        5 | 6 => within(p0, MOUSE_BUTTONS, "a mouse button", 0),
        7 | 8 | 17..=23 => None,
        9 | 10 => within(p0, GAMEPADS, "a gamepad", 0),
        11 | 12 => within(p0, GAMEPADS, "a gamepad", 0)
            .or_else(|| within(p1, GAMEPAD_BUTTONS, "a gamepad button", 1)),
        13 => within(p0, GAMEPADS, "a gamepad", 0)
            .or_else(|| within(p1, GAMEPAD_AXES, "a gamepad axis", 1)),
        14..=16 => within(p0, TOUCH_POINTS, "a touch point", 0),
        0 => None,
        _ => Some(format!(
            "event type {ty} is none raylib knows (0 to 23): raylib names it from a table \
             indexed unchecked"
        )),
    }
}

/// What a successful call leaves: the list set is kept (the one before released); an
/// unloaded list that raylib holds is replaced by the empty one.
#[cold]
#[inline(never)]
pub(super) fn after<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &mut Stack,
    frame: &[u64; N],
    a: Automation,
) {
    let ctx = plan.ctx;
    match a {
        Automation::SetList { arg } => {
            let lua = ap.args[arg as usize].lua;
            let events = st.struct_at(lua).map_or(0, |s| s.mem.read::<usize>(EVENTS));
            st.push_copy(lua);
            let r = st.reference();
            if let Some((old, _)) = ctx.automation.list.replace(Some((r, events))) {
                st.release(old);
            }
        }
        Automation::List { arg, unloads: true } => {
            let Some((r, events)) = ctx.automation.list.get() else {
                return;
            };
            let Some(mut seen) = frame_struct(frame, &ap.args[arg as usize]) else {
                return;
            };
            if seen.mem().read::<usize>(EVENTS) != events {
                return;
            }
            crate::ffi::automation_list::hand_raylib_an_empty_list(&ctx.registry, &ctx.library);
            ctx.automation.list.set(None);
            st.release(r);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::event_problem;

    #[test]
    fn played_events_stay_inside_raylibs_input_arrays() {
        assert_eq!(event_problem(2, 65, 0), None);
        assert!(event_problem(2, 512, 0).unwrap().contains("a key 0 to 511"));
        assert!(event_problem(5, -1, 0).is_some());
        assert_eq!(
            event_problem(7, 1_000_000, -5),
            None,
            "positions are values"
        );
        assert!(event_problem(12, 0, 32).unwrap().contains("params[1]"));
        assert!(event_problem(13, 3, 8).is_some());
        assert!(event_problem(16, 8, 0).is_some());
        assert_eq!(event_problem(23, 60, 0), None, "ACTION_SETTARGETFPS");
        assert!(event_problem(24, 0, 0)
            .unwrap()
            .contains("none raylib knows"));
    }
}
