//! One integration-test binary for the web service: the app over HTTP on port 0 with a fresh
//! database per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod helpers;

mod account_security;
mod accounts;
mod api;
mod approvals;
mod booking_changes;
mod booking_rules;
mod bridge_api;
mod catalogue;
mod check_in;
mod chromium;
mod chromium_day_view;
mod cli;
mod console;
mod console_catalog;
mod console_live;
mod console_people;
mod console_reports;
mod console_rough_edges;
mod day_view;
mod door_controls;
mod door_loop;
mod dst;
mod hardening;
mod health;
mod keypad_lockout;
mod mail;
mod mail_snapshots;
mod member_flow;
mod page_snapshots;
mod pages;
mod pin;
mod presence;
mod query_plans;
mod race;
mod remote_unlock;
mod rough_edges;
mod sessions;
mod space_qr;
mod storage;
mod throttling;
mod unit_of_work;
