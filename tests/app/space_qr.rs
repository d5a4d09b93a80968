//! The check-in QR sheet of a space as a standalone A4 SVG document: the code, the space's and
//! hub's names, the instruction in the viewer's language and the address in writing, every text
//! escaped; only for staff of the space's hub.

use regiohub::db::catalog::{self, Space};
use regiohub::db::{self, users};
use regiohub::domain::ids::SpaceId;
use regiohub::domain::role::Role;
use regiohub::i18n::Lang;
use regiohub::service::{UnitOfWork, accounts};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::browser::{Browser, logged_in_member};
use crate::console::{ConsoleFixture, STAFF_PASSWORD, staff_browser};
use crate::helpers::{Backend, TestApp, default_now};
use crate::on_both_backends;

on_both_backends!(the_sheet_downloads_as_an_a4_svg_for_the_hubs_staff_only);

/// Status, content type, content disposition and body of `path`.
async fn fetch(browser: &Browser, path: &str) -> (StatusCode, String, String, String) {
    let response = browser.client.get(browser.url(path)).send().await.unwrap();
    let header = |name| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (content_type, disposition) = (header(CONTENT_TYPE), header(CONTENT_DISPOSITION));
    (response.status(), content_type, disposition, response.text().await.unwrap())
}

async fn the_sheet_downloads_as_an_a4_svg_for_the_hubs_staff_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let space = Space { id: SpaceId::from(db::new_id()), name: "Desk <1> & \"Co\"".into(), ..f.desk.clone() };
    catalog::insert_space(&mut app.conn(), &space).unwrap();
    let sheet = format!("/console/hubs/testhub/spaces/{}/qr", space.id);
    let svg = format!("{sheet}.svg");
    let url = format!("{}/check-in/{}", app.state.settings.public_url.trim_end_matches('/'), space.id);

    let page = console.manager.get(&sheet).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("href=\"{svg}\"")) && page.body.contains("Als SVG herunterladen"),
        "{}",
        page.body
    );

    let (status, content_type, disposition, body) = fetch(&console.manager, &svg).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(content_type.starts_with("image/svg+xml"), "{content_type}");
    assert_eq!(disposition, "inline; filename=\"checkin-desk-1-co.svg\"");
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(body.contains("width=\"210mm\" height=\"297mm\""), "A4: {body}");
    assert!(body.contains(&format!(">{url}</text>")), "the address in writing: {body}");
    assert!(body.contains(">Desk &lt;1&gt; &amp; &quot;Co&quot;</text>") && !body.contains("<1>"), "{body}");
    assert!(body.contains(">Test Hub</text>") && body.contains(">Zum Einchecken scannen</text>"), "{body}");
    assert!(body.contains("<path fill=\"#000\" d=\"M"), "the code: {body}");

    // In the viewer's language.
    let manager_id = users::find_user_by_email(&mut app.conn(), &console.manager_email).unwrap().unwrap().id;
    accounts::set_language(&mut UnitOfWork::new(&mut app.conn()), &manager_id, Lang::En, default_now()).unwrap();
    let english = Browser::new(&app);
    assert_eq!(english.log_in(&console.manager_email, STAFF_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let (status, _, _, body) = fetch(&english, &svg).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(">Scan to check in</text>") && body.contains("xml:lang=\"en\""), "{body}");
    assert!(english.get(&sheet).await.body.contains("Download as SVG"));

    // Only the hub's staff: another hub's manager and members get nothing.
    let other_role = Role::HubManager(console.other_hub.id.clone());
    let other = staff_browser(&app, "other-manager@example.org", other_role).await;
    assert_eq!(fetch(&other, &svg).await.0, StatusCode::NOT_FOUND, "not their hub");
    let through_own_hub = format!("/console/hubs/otherhub/spaces/{}/qr.svg", space.id);
    assert_eq!(fetch(&other, &through_own_hub).await.0, StatusCode::NOT_FOUND, "not under their hub");
    let own = format!("/console/hubs/otherhub/spaces/{}/qr.svg", console.other_space.id);
    assert_eq!(fetch(&other, &own).await.0, StatusCode::OK, "their own space");
    let (member, _) = logged_in_member(&app, "qr-svg").await;
    assert_eq!(fetch(&member, &svg).await.0, StatusCode::NOT_FOUND);
}
