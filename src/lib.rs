//! RegioHub: books desks, rooms and equipment in public coworking hubs.

pub mod domain;
