//! `regiohub demo`, all of it: the seeded hubs, people and history, the demo's door bridge with
//! simulated devices and keypads in process, its keypad pages and the command that starts it.
//! Compiled only with the default-on `demo` cargo feature: a production build without it has no
//! demo routes, no `demo` subcommand and does not link the bridge or its simulator.
//!
//! The layers still hold in here, each sub-module says which it belongs to:
//! service level (`logins`, `seed`, `history`, `card`, `door_bridge`): write demo data through
//! the db layer and the services, no HTTP; start-up level (`door_loop`, `run`): wire the bridge
//! and the server together; web level (`door_page`): the keypad pages, no SQL and no rules.
//! Within the crate only the command line's `demo` subcommand reaches in here.

pub mod card;
pub mod door_bridge;
pub mod door_loop;
pub mod door_page;
pub mod floor_plan;
pub mod guest;
pub mod history;
pub mod house_rules;
pub mod logins;
pub mod run;
pub mod seed;
pub mod series;
pub mod space_details;
