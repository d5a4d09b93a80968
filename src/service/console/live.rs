//! What is happening now: the live occupancy dashboard (with server-sent events), alarms, and the access log.
//! `occupancy` is the pure rule for a space's state; `dashboard` gathers a hub's state now and
//! acknowledges alarms; `access_log` lists door events; `retention` deletes old ones.

pub mod access_log;
pub mod dashboard;
pub mod occupancy;
pub mod retention;
