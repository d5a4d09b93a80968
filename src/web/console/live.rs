//! What is happening now: the live occupancy dashboard (with server-sent events), alarms, and the access log.

mod access_log;
mod dashboard;
mod events;

use actix_web::web;

/// This area's routes, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/hubs/{hub}").route(web::get().to(dashboard::dashboard_page)));
    cfg.service(web::resource("/hubs/{hub}/events").route(web::get().to(events::dashboard_events)));
    cfg.service(web::resource("/hubs/{hub}/alarms/{alarm}/acknowledge").route(web::post().to(dashboard::acknowledge)));
    cfg.service(web::resource("/hubs/{hub}/access-log").route(web::get().to(access_log::access_log_page)));
    cfg.service(web::resource("/hubs/{hub}/access-log.csv").route(web::get().to(access_log::access_log_csv)));
}
