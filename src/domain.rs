//! The domain layer: the types and rules of RegioHub, free of HTTP, SQL and I/O.
//!
//! Everything here is pure: values are parsed into types that cannot hold invalid states, and rule
//! checks take the current time as a parameter instead of reading the clock, so the same inputs
//! always give the same answer. Storage, web and mail code live in other layers.

pub mod account;
pub mod approval;
pub mod booking;
pub mod booking_change;
pub mod booking_purpose;
pub mod calendar;
pub mod check_in;
pub mod email;
pub mod floor_plan;
pub mod guests;
pub mod ids;
pub mod local_time;
pub mod recurrence;
pub mod role;
pub mod slot;
pub mod space_details;
pub mod utilization;
pub mod vocabulary;
