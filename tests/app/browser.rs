//! The pages in a real browser (headless Chromium through chromedriver) on a 320 px wide
//! screen: nothing may scroll sideways. Needs `chromium` and `chromium-driver` (Debian packages;
//! `.ci/run` installs them), hence ignored in a plain `cargo test`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::{Backend, TestApp};

/// A chromedriver process for one test; stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned()))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed (Debian package chromium-driver; .ci/run installs it)");
    Driver { child, url: format!("http://127.0.0.1:{port}") }
}

async fn browser(driver: &Driver, width: u32) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
            // A phone's viewport: desktop windows cannot be made this narrow.
            "mobileEmulation": {"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 2.0}},
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--lang=de-DE"]
        }),
    );
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

/// The width the page needs beyond the window, in CSS pixels.
async fn overflow(client: &Client) -> i64 {
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
    let (_, _) = app.book(&f.bob_token, &f.desk.id, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let driver = start_driver();
    let client = browser(&driver, 320).await;
    let pages = [
        "/".to_owned(),
        "/hubs/testhub?date=2026-11-24".to_owned(),
        format!("/legal/{}/privacy", f.hub.operator_id),
        "/legal".to_owned(),
        "/no/such/page".to_owned(),
    ];
    for path in pages {
        client.goto(&app.url(&path)).await.unwrap();
        let width = client.execute("return window.innerWidth;", vec![]).await.unwrap();
        assert_eq!(width.as_i64(), Some(320), "{path}: the viewport is phone-sized");
        assert_eq!(overflow(&client).await, 0, "{path} scrolls sideways at 320 px");
    }
    client.close().await.unwrap();
}
