//! The admin audit trail as pages: one hub's changes for its managers, every change for admins.

use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::ConsoleUser;
use super::nav::ConsoleNav;
use crate::i18n;
use crate::service::approvals;
use crate::service::console::audit::{self, AuditEntry};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::pages::hubs::zone;

/// How many entries a page shows.
const PAGE_SIZE: i64 = 200;

/// One entry as the table shows it.
pub struct AuditLine {
    pub when: String,
    pub who: String,
    pub action: String,
    pub subject: String,
    pub details: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub lines: Vec<AuditLine>,
}

fn lines(layout: &Layout, entries: Vec<AuditEntry>, time_zone: &str) -> Vec<AuditLine> {
    let tz = zone(time_zone);
    entries
        .into_iter()
        .map(|entry| AuditLine {
            when: i18n::format_date_time(layout.lang, from_db_time(entry.row.created_at), tz),
            who: match entry.actor_name {
                Some(name) => name,
                None if approvals::is_system_action(&entry.row.action) => layout.t("approvals-audit-system"),
                None => layout.t("console-audit-deleted-user"),
            },
            action: entry.row.action,
            subject: entry.row.subject,
            details: entry.row.details,
        })
        .collect()
}

/// `GET /console/hubs/{hub}/audit`: the changes made to one hub.
pub async fn hub_audit(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> Result<impl Responder, PageError> {
    let scope = staff.scope.clone();
    let slug = path.into_inner();
    let (hub, entries) = state
        .db(move |conn| {
            let hub = scope.hub(conn, &slug)?;
            let entries = audit::entries(conn, &scope, Some(&hub.id), PAGE_SIZE)?;
            Ok((hub, entries))
        })
        .await?;
    let layout = staff.layout(&req);
    Ok(AuditPage {
        lines: lines(&layout, entries, &hub.time_zone),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "audit"),
        layout,
    })
}

/// `GET /console/audit`: every change the viewer may read (admins: all, managers: their hubs').
pub async fn all_audit(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
) -> Result<impl Responder, PageError> {
    let scope = staff.scope.clone();
    let entries = state.db(move |conn| audit::entries(conn, &scope, None, PAGE_SIZE)).await?;
    let layout = staff.layout(&req);
    Ok(AuditPage {
        lines: lines(&layout, entries, "Europe/Berlin"),
        nav: ConsoleNav::general(staff.scope.is_admin(), "audit"),
        layout,
    })
}
