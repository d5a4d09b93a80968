//! RegioHub: books desks, rooms and equipment in public coworking hubs and opens their doors
//! only for valid bookings.
//!
//! Layers, top to bottom: `web` (HTTP) → `service` (use cases) → `domain` (pure rules) and
//! `db` (storage). ARCHITECTURE.md at the repository root maps the layers, the unit of work,
//! how a request flows and where a door decision is made; the README says how to run it.

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
pub mod metrics;
pub mod secrets;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
