//! The pages in a real browser (headless Chromium through chromedriver): nothing may scroll
//! sideways on a 320 px wide screen, axe-core finds no WCAG 2.1 A/AA or best-practice violation,
//! and screenshots at 1280 px and 375 px land in `target/screenshots/`. The helpers here serve the
//! other browser test modules too. Needs `chromium` and `chromium-driver` (Debian packages) and
//! axe-core (`.ci/run` installs them), hence ignored in a plain `cargo test`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::{Backend, TestApp};

/// A chromedriver process for one test; stopped when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_driver() -> Driver {
    let port = crate::helpers::free_port();
    let child = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned()))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed (Debian package chromium-driver; .ci/run installs it)");
    Driver { child, url: format!("http://127.0.0.1:{port}") }
}

/// Widths up to this are phones (emulated); wider ones are desktop windows.
const WIDEST_PHONE: u32 = 600;

/// A browser session whose viewport is `width` CSS pixels wide: a phone (mobile emulation, as
/// desktop windows cannot be made this narrow) up to [`WIDEST_PHONE`], a desktop window beyond.
pub(crate) async fn browser(driver: &Driver, width: u32) -> Client {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--lang=de-DE".to_owned(),
        "--hide-scrollbars".to_owned(),
    ];
    let mut options = json!({
        "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
    });
    if width <= WIDEST_PHONE {
        options["mobileEmulation"] = json!({"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 2.0}});
    } else {
        args.push(format!("--window-size={width},900"));
    }
    options["args"] = json!(args);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    let mut last_error = None;
    // chromedriver needs a moment to listen; try for a while.
    for _ in 0..50 {
        match ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&driver.url).await {
            Ok(client) => return client,
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not start a browser session: {last_error:?}");
}

/// Logs in through the login form in the browser.
pub(crate) async fn log_in(app: &TestApp, client: &Client, email: &str, password: &str) {
    client.goto(&app.url("/login")).await.unwrap();
    client.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
    client.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(password).await.unwrap();
    client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    // Logged in: the header now offers "log out".
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("form[action='/logout']")).await.unwrap();
}

/// A member created directly (active) and logged in through the login form in the browser;
/// returns the pages only a member sees, one booking's among them.
pub(crate) async fn log_in_with_a_booking(app: &TestApp, client: &Client, desk_id: &str) -> Vec<String> {
    let email = "chromium@example.org";
    app.user(email, "Chris Chromium", regiohub::domain::role::Role::Member, "a long browser password");
    log_in(app, client, email, "a long browser password").await;
    client.goto(&app.url(&format!("/spaces/{desk_id}/book?date=2026-11-25&from=09:00"))).await.unwrap();
    // Time inputs take typed keys in the browser's locale format; set the value as a picker would.
    client.execute("document.querySelector('input[name=to]').value = '11:00';", vec![]).await.unwrap();
    client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("p.pin")).await.unwrap();
    let booking_page = client.current_url().await.unwrap();
    assert!(booking_page.path().starts_with("/bookings/"), "booked through the form: {booking_page}");
    vec![
        format!("/spaces/{desk_id}/book?date=2026-11-25&from=13:00"),
        booking_page.path().to_owned(),
        format!("{}/cancel", booking_page.path()),
        format!("{}/change", booking_page.path()),
        format!("{}/guests", booking_page.path()),
        format!("/check-in/{desk_id}"),
        "/bookings".to_owned(),
        "/account".to_owned(),
        "/account/calendar".to_owned(),
        "/waitlist".to_owned(),
        format!("/spaces/{desk_id}/series?date=2026-11-26&from=13:00&to=15:00"),
    ]
}

/// The width the page needs beyond the window, in CSS pixels.
pub(crate) async fn overflow(client: &Client) -> i64 {
    let value = client
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    value.as_i64().unwrap()
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: .ci/run installs them and runs it"]
async fn the_main_pages_do_not_scroll_sideways_at_320_px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let (_, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let driver = start_driver();
    let client = browser(&driver, 320).await;
    let pages = [
        "/".to_owned(),
        "/hubs/testhub?date=2026-11-24".to_owned(),
        format!("/legal/{}/privacy", f.hub.operator_id),
        "/legal".to_owned(),
        "/no/such/page".to_owned(),
        "/login".to_owned(),
        "/register".to_owned(),
        "/password/forgot".to_owned(),
        "/hubs/testhub?date=2026-11-24&filter=1".to_owned(),
        "/hubs/testhub?date=2026-11-24&kind=room&equipment=projector".to_owned(),
        "/hubs/testhub?date=2026-11-24&hour=10:00".to_owned(),
        "/hubs/testhub/spaces".to_owned(),
        format!("/spaces/{}", f.desk.id),
    ];
    crate::space_details::give_a_photo(&app, &f.desk.id);
    crate::floor_plan::give_a_plan(&app, &f);
    let member_pages = log_in_with_a_booking(&app, &client, f.desk.id.as_str()).await;
    let member_pages: Vec<String> =
        member_pages.into_iter().chain(crate::house_rules::member_pages_with_house_rules(&app, &f)).collect();
    for path in pages.into_iter().chain(member_pages) {
        client.goto(&app.url(&path)).await.unwrap();
        let width = client.execute("return window.innerWidth;", vec![]).await.unwrap();
        assert_eq!(width.as_i64(), Some(320), "{path}: the viewport is phone-sized");
        assert_eq!(overflow(&client).await, 0, "{path} scrolls sideways at 320 px");
    }
    client.close().await.unwrap();
}

/// The axe-core accessibility engine (npm package, installed by `.ci/run` into `.ci/node`).
pub(crate) fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .unwrap_or_else(|_| format!("{}/.ci/node/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR")));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core not found at {path} ({e}): run .ci/run or set AXE_CORE_JS"))
}

/// The violations axe finds on the current page, as "rule: target" lines: the WCAG 2.1 A and AA
/// rules and axe's best-practice rules (landmarks, heading order, unique names), which catch
/// what WCAG leaves open but screen-reader users still trip over.
pub(crate) async fn violations(client: &Client, axe: &str) -> Vec<String> {
    let script = format!(
        "{axe}\nconst done = arguments[arguments.length - 1];\n\
         axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}}})\n\
           .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\n\
           .catch(e => done(['axe failed: ' + e]));"
    );
    let value = client.execute_async(&script, vec![]).await.unwrap();
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
#[ignore = "needs chromium, chromedriver and axe-core: .ci/run installs them and runs it"]
async fn the_main_pages_pass_the_automated_wcag_21_aa_checks() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let (_, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let axe = axe_source();
    let driver = start_driver();
    let client = browser(&driver, 320).await;
    let pages = [
        "/".to_owned(),
        "/hubs/testhub?date=2026-11-24".to_owned(),
        format!("/legal/{}/imprint", f.hub.operator_id),
        format!("/legal/{}/privacy", f.hub.operator_id),
        "/legal".to_owned(),
        "/no/such/page".to_owned(),
        "/login".to_owned(),
        "/register".to_owned(),
        "/password/forgot".to_owned(),
        "/hubs/testhub?date=2026-11-24&filter=1".to_owned(),
        "/hubs/testhub?date=2026-11-24&kind=room&equipment=projector".to_owned(),
        "/hubs/testhub?date=2026-11-24&hour=10:00".to_owned(),
        "/hubs/testhub/spaces".to_owned(),
        format!("/spaces/{}", f.desk.id),
    ];
    crate::space_details::give_a_photo(&app, &f.desk.id);
    crate::floor_plan::give_a_plan(&app, &f);
    let member_pages = log_in_with_a_booking(&app, &client, f.desk.id.as_str()).await;
    let member_pages: Vec<String> =
        member_pages.into_iter().chain(crate::house_rules::member_pages_with_house_rules(&app, &f)).collect();
    // Every page is checked before the test fails, so one run lists everything left to fix.
    let mut problems = Vec::new();
    for path in pages.into_iter().chain(member_pages) {
        client.goto(&app.url(&path)).await.unwrap();
        problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("{path}: {v}")));
    }
    // The calendar feed's page as it shows a new address (the answer to its form, no URL of its own).
    client.goto(&app.url("/account/calendar")).await.unwrap();
    client.find(Locator::Css("main form[action='/account/calendar'] button")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#feed-address")).await.unwrap();
    problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("new calendar feed: {v}")));
    if overflow(&client).await > 0 {
        problems.push("new calendar feed: scrolls sideways at 320 px".to_owned());
    }
    // A series: its preview (an answer to the form), the series page and its cancel page.
    client.goto(&app.url(&format!("/spaces/{}/series?date=2026-11-26&from=13:00&to=15:00", f.desk.id))).await.unwrap();
    // The preview needs no acceptance of the house rules published above; booking without the
    // checkbox is answered with the preview again and the message beside the checkbox.
    client.find(Locator::Css("button[value=preview]")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#preview-title")).await.unwrap();
    problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("series preview: {v}")));
    client.find(Locator::Css("button[value=book]")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#accept_house_rules-error"))
        .await
        .unwrap();
    problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("house rules refused: {v}")));
    client.find(Locator::Css("#accept_house_rules")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("button[value=book]")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("a[href$='/cancel']")).await.unwrap();
    let series = client.current_url().await.unwrap().path().to_owned();
    assert!(series.starts_with("/series/"), "booked a series through the form: {series}");
    for path in [series.clone(), format!("{series}/cancel"), "/bookings".to_owned()] {
        client.goto(&app.url(&path)).await.unwrap();
        problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("{path}: {v}")));
        if overflow(&client).await > 0 {
            problems.push(format!("{path}: scrolls sideways at 320 px"));
        }
    }
    // The check itself: a fault only the best-practice rules know (two navigation landmarks with
    // one name) must be reported, or the pages above were never held to those rules.
    let twin_navs = "document.querySelector('main').insertAdjacentHTML('beforeend', \
                     '<nav aria-label=\"Twin\"><a href=\"/\">a</a></nav><nav aria-label=\"Twin\"><a href=\"/\">b</a></nav>');";
    client.execute(twin_navs, vec![]).await.unwrap();
    let found = violations(&client, &axe).await;
    assert!(found.iter().any(|v| v.starts_with("landmark-unique:")), "best-practice rules did not run: {found:?}");
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The console's pages as an admin sees them (every area, with a booking, a door and a space
/// to show): none scrolls sideways at 320 px and none has an automated WCAG 2.1 AA violation.
#[tokio::test]
#[ignore = "needs chromium, chromedriver and axe-core: .ci/run installs them and runs it"]
async fn the_console_pages_fit_320_px_and_pass_the_automated_wcag_21_aa_checks() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let (_, booked) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let booking_id = booked["id"].as_str().unwrap().to_owned();
    let email = "chromium-admin@example.org";
    let password = "a long browser password";
    app.user(email, "Ada Admin", regiohub::domain::role::Role::Admin, password);
    let axe = axe_source();
    let driver = start_driver();
    let client = browser(&driver, 320).await;
    log_in(&app, &client, email, password).await;
    let hub = "/console/hubs/testhub";
    crate::space_details::give_a_photo(&app, &f.desk.id);
    let pages = [
        "/console".to_owned(),
        hub.to_owned(),
        format!("{hub}/bookings"),
        format!("{hub}/bookings/new"),
        format!("{hub}/bookings/{booking_id}/move"),
        format!("{hub}/door-controls"),
        format!("{hub}/cards"),
        format!("{hub}/spaces/{}/qr", f.desk.id),
        format!("{hub}/utilization?from=2026-11-01&to=2026-11-30"),
        format!("{hub}/access-log"),
        format!("{hub}/settings"),
        format!("{hub}/spaces"),
        format!("{hub}/spaces/{}", f.desk.id),
        format!("{hub}/spaces/{}/disable", f.desk.id),
        format!("{hub}/spaces/{}/details", f.desk.id),
        format!("{hub}/floor-plan"),
        format!("{hub}/doors"),
        format!("{hub}/doors/new"),
        format!("{hub}/sensors"),
        format!("{hub}/bridges"),
        format!("{hub}/audit"),
        "/console/users".to_owned(),
        "/console/operators".to_owned(),
        "/console/hubs/new".to_owned(),
        "/console/audit".to_owned(),
    ];
    crate::house_rules::member_pages_with_house_rules(&app, &f);
    crate::floor_plan::give_a_plan(&app, &f);
    let pages: Vec<String> =
        pages.into_iter().chain(crate::house_rules::console_pages_with_house_rules(&app, &f, &booking_id)).collect();
    // Every page is checked before the test fails, so one run lists everything left to fix.
    let mut problems = Vec::new();
    for path in pages {
        client.goto(&app.url(&path)).await.unwrap();
        let heading = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert_ne!(heading, "Das hat nicht geklappt", "{path} is an error page");
        let overflow = overflow(&client).await;
        if overflow != 0 {
            problems.push(format!("{path} scrolls sideways at 320 px by {overflow} px"));
        }
        problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("{path}: {v}")));
    }
    // The plan's coordinates form sent back with a problem: the summary and the marked row.
    client.goto(&app.url(&format!("{hub}/floor-plan"))).await.unwrap();
    let first_x = client.find(Locator::Css("#x-1")).await.unwrap();
    first_x.clear().await.unwrap();
    first_x.send_keys("links").await.unwrap();
    client.find(Locator::Css("form[action$='/floor-plan/spots'] button")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#spot-1-error")).await.unwrap();
    problems.extend(violations(&client, &axe).await.into_iter().map(|v| format!("floor plan refused: {v}")));
    if overflow(&client).await > 0 {
        problems.push("floor plan refused: scrolls sideways at 320 px".to_owned());
    }
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Where the screenshots land: `target/screenshots/`, a build artefact that is never committed.
fn screenshot_dir() -> PathBuf {
    // Cargo hands integration tests `<target>/tmp`; its parent is the target directory wherever
    // CARGO_TARGET_DIR puts it.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

/// Runs a Chrome DevTools Protocol command in the browser session through chromedriver's
/// `goog/cdp/execute` endpoint and returns its result.
async fn devtools(driver: &Driver, client: &Client, command: &str, params: serde_json::Value) -> serde_json::Value {
    let session = client.session_id().await.unwrap().unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/session/{session}/goog/cdp/execute", driver.url))
        .json(&json!({"cmd": command, "params": params}))
        .send()
        .await
        .unwrap();
    let mut body: serde_json::Value = response.json().await.unwrap();
    body["value"].take()
}

/// Saves a screenshot of the whole current page, not just the first screenful, as
/// `<dir>/<name>-<width>.png` and returns its path. WebDriver only captures the viewport, so this
/// asks Chromium directly, clipped to the page's size (as puppeteer's `fullPage` does).
async fn save_screenshot(driver: &Driver, client: &Client, dir: &Path, name: &str, width: u32) -> PathBuf {
    let metrics = devtools(driver, client, "Page.getLayoutMetrics", json!({})).await;
    let page_height = metrics["cssContentSize"]["height"].as_f64().unwrap();
    let clip = json!({"x": 0, "y": 0, "width": width, "height": page_height.min(10_000.0), "scale": 1});
    let params = json!({"format": "png", "captureBeyondViewport": true, "clip": clip});
    let shot = devtools(driver, client, "Page.captureScreenshot", params).await;
    let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
    let path = dir.join(format!("{name}-{width}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

/// Checks that `path` holds a real picture of a page `width` CSS pixels wide: the PNG signature, an
/// image header whose width is the viewport's in device pixels, and more than a blank page's bytes.
fn assert_screenshot(path: &Path, width: u32, pixel_ratio: f64) {
    let png = std::fs::read(path).unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", path.display());
    assert_eq!(&png[12..16], b"IHDR", "{}: no image header", path.display());
    let pixels_wide = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(f64::from(pixels_wide), f64::from(width) * pixel_ratio, "{}: image width", path.display());
    // A blank page of this size compresses to a few hundred bytes; text and colour take far more.
    assert!(png.len() > 10_000, "{} is only {} bytes: a blank page?", path.display(), png.len());
}

/// Screenshots of the pages people see most, at 1280 px (a laptop) and 375 px (a phone), kept in
/// `target/screenshots/` for a look at the design: the start page, the day view, the booking form
/// and the booking page after booking as a member, the console dashboard and the utilization page
/// as an admin. Each page is checked on the way: the viewport has the width, nothing scrolls
/// sideways and axe finds no violation (the wide day view grid is only seen here).
#[tokio::test]
#[ignore = "needs chromium, chromedriver and axe-core: .ci/run installs them and runs it"]
async fn screenshots_of_the_main_pages_at_1280_and_375_px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    // Someone else's booking, so the day view shows taken time next to free time.
    let (_, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let password = "a long browser password";
    let member = "screenshots@example.org";
    let admin = "screenshots-admin@example.org";
    app.user(member, "Sam Screenshot", regiohub::domain::role::Role::Member, password);
    app.user(admin, "Ada Admin", regiohub::domain::role::Role::Admin, password);
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let axe = axe_source();
    let driver = start_driver();
    let day = "2026-11-24";
    // One booking per width, at times that do not overlap: a member may not hold two at once.
    for (width, from, to) in [(1280, "14:00", "16:00"), (375, "17:00", "19:00")] {
        let client = browser(&driver, width).await;
        let mut shots = Vec::new();
        let mut visit = async |path: Option<&str>, name: &str| {
            if let Some(path) = path {
                client.goto(&app.url(path)).await.unwrap();
            }
            let page = client.current_url().await.unwrap();
            let inner_width = client.execute("return window.innerWidth;", vec![]).await.unwrap();
            assert_eq!(inner_width.as_u64(), Some(u64::from(width)), "{page}: the viewport's width");
            assert_eq!(overflow(&client).await, 0, "{page} scrolls sideways at {width} px");
            let violations = violations(&client, &axe).await;
            assert!(violations.is_empty(), "{page} at {width} px: {violations:#?}");
            let ratio = client.execute("return window.devicePixelRatio;", vec![]).await.unwrap();
            let path = save_screenshot(&driver, &client, &dir, name, width).await;
            shots.push((path, ratio.as_f64().unwrap()));
        };
        log_in(&app, &client, member, password).await;
        visit(Some("/"), "start").await;
        visit(Some(&format!("/hubs/testhub?date={day}")), "day-view").await;
        visit(Some(&format!("/spaces/{}/book?date={day}&from={from}", f.desk.id)), "booking-form").await;
        // Time inputs take typed keys in the browser's locale format; set the value as a picker would.
        client.execute(&format!("document.querySelector('input[name=to]').value = '{to}';"), vec![]).await.unwrap();
        client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("p.pin")).await.unwrap();
        assert!(client.current_url().await.unwrap().path().starts_with("/bookings/"), "booked through the form");
        visit(None, "booking").await;
        client.delete_all_cookies().await.unwrap();
        log_in(&app, &client, admin, password).await;
        visit(Some("/console/hubs/testhub"), "dashboard").await;
        visit(Some("/console/hubs/testhub/utilization?from=2026-11-01&to=2026-11-30"), "utilization").await;
        client.close().await.unwrap();
        assert_eq!(shots.len(), 6, "one screenshot per page at {width} px");
        for (path, ratio) in shots {
            assert_screenshot(&path, width, ratio);
        }
    }
}
