//! RegioHub: books desks, rooms and equipment in public coworking hubs and opens their doors
//! only for valid bookings.
//!
//! Layers, top to bottom: `web` (HTTP) → `service` (use cases) → `domain` (pure rules) and
//! `db` (storage). See DESIGN.md in the shared folder and the README.

pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod secrets;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
