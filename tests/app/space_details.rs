//! Space details over HTTP: staff upload photos (metadata stripped, fitted, served with long
//! cache lifetimes), the limits of an upload (alt text, three photos, images only, size), who may
//! upload, the details form, the day view's filter, and the details page in German and English.

use regiohub::db::space_details as rows;
use regiohub::domain::ids::SpaceId;
use regiohub::domain::role::Role;
use regiohub::domain::space_details::{AccessibilityFact, Equipment, FeatureSet};
use reqwest::StatusCode;

use crate::browser::{Browser, Page, csrf_token_in, logged_in_member};
use crate::console::{ConsoleFixture, staff_browser};
use crate::helpers::{Backend, TestApp, page_in_english};
use crate::on_both_backends;

on_both_backends!(
    an_upload_is_stored_without_its_metadata_and_served_for_a_year,
    an_upload_needs_an_alt_text_an_image_and_room_for_it,
    only_the_hubs_staff_upload_photos,
    the_day_view_filters_by_kind_equipment_and_accessibility,
    the_details_page_tells_the_facts_in_german_and_english,
    the_demo_shows_polchs_spaces_with_details_and_photos,
);

/// A camera model that must not survive the upload.
const CAMERA: &[u8] = b"RegioCam Model X-100";

/// A JPEG of `width` × `height` with an EXIF APP1 segment (camera model, a GPS marker) right after
/// the start-of-image marker, as phones write them.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut plain = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let mut payload = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    payload.extend_from_slice(CAMERA);
    payload.extend_from_slice(b"\0GPSInfo\0N 50.2999 E 7.3144\0");
    let length = u16::try_from(payload.len() + 2).unwrap();
    let mut jpeg = plain[..2].to_vec();
    jpeg.extend_from_slice(&[0xFF, 0xE1]);
    jpeg.extend_from_slice(&length.to_be_bytes());
    jpeg.extend_from_slice(&payload);
    jpeg.extend_from_slice(&plain[2..]);
    jpeg
}

/// Stores a processed photo with its details for `space` (the browser tests' pages show one).
pub(crate) fn give_a_photo(app: &TestApp, space: &SpaceId) {
    let photo = regiohub::service::space_photos::process(&jpeg_with_exif(1200, 900)).unwrap();
    let mut conn = app.conn();
    let facts = rows::SpaceFacts {
        description: "Ein ruhiger Platz am Fenster.\n\nMit Blick auf den Hof.".into(),
        equipment: FeatureSet::of([Equipment::Monitor, Equipment::HeightAdjustableDesk]),
        accessibility: FeatureSet::of([AccessibilityFact::StepFreeAccess]),
    };
    rows::set_space_facts(&mut conn, space, &facts).unwrap();
    let new = rows::NewPhoto {
        id: regiohub::db::new_id(),
        space_id: space.clone(),
        position: 1,
        image: photo.jpeg,
        width: i32::try_from(photo.width).unwrap(),
        height: i32::try_from(photo.height).unwrap(),
        content_hash: photo.content_hash,
        alt_de: "Schreibtisch mit Bildschirm".into(),
        alt_en: Some("Desk with a monitor".into()),
        created_at: crate::helpers::db_time(crate::helpers::default_now()),
    };
    rows::insert_photo(&mut conn, &new).unwrap();
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A multipart form as a browser sends it: text fields, then the file (if any).
pub(crate) fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----regiohub-test-boundary-7d0c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((name, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"photo\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn details_path(hub: &str, space: &SpaceId) -> String {
    format!("/console/hubs/{hub}/spaces/{space}/details")
}

/// Opens the details page (for its token) and uploads `bytes` with the alt texts.
async fn upload(browser: &Browser, hub: &str, space: &SpaceId, alt_de: &str, alt_en: &str, bytes: &[u8]) -> Page {
    let page = browser.get(&details_path(hub, space)).await;
    let token = if page.status == StatusCode::OK { csrf_token_in(&page.body) } else { String::new() };
    post_upload(browser, hub, space, &token, alt_de, alt_en, bytes).await
}

async fn post_upload(
    browser: &Browser,
    hub: &str,
    space: &SpaceId,
    token: &str,
    alt_de: &str,
    alt_en: &str,
    bytes: &[u8],
) -> Page {
    let (content_type, body) = multipart(
        &[("csrf_token", token), ("alt_de", alt_de), ("alt_en", alt_en)],
        Some(("photo", "image/jpeg", bytes)),
    );
    let response = browser
        .client
        .post(browser.url(&format!("/console/hubs/{hub}/spaces/{space}/photos")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap_or_default();
    Page { status, location, set_cookies: Vec::new(), body }
}

fn photo_count(app: &TestApp, space: &SpaceId) -> usize {
    rows::photos_of(&mut app.conn(), space).unwrap().len()
}

/// The `src` of every photo on a page.
fn photo_sources(html: &str) -> Vec<String> {
    html.match_indices("<img src=\"/photos/")
        .map(|(at, _)| {
            let start = at + "<img src=\"".len();
            let end = start + html[start..].find('"').unwrap();
            html[start..end].to_owned()
        })
        .collect()
}

async fn an_upload_is_stored_without_its_metadata_and_served_for_a_year(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let desk = console.fixture.desk.id.clone();
    let upload_bytes = jpeg_with_exif(2400, 1800);
    assert!(contains(&upload_bytes, b"Exif\0\0") && contains(&upload_bytes, CAMERA) && contains(&upload_bytes, b"GPS"));

    let done = upload(
        &console.manager,
        "testhub",
        &desk,
        "Ein Schreibtisch am Fenster",
        "A desk by the window",
        &upload_bytes,
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some(format!("{}?done=photo-added", details_path("testhub", &desk)).as_str()));
    assert_eq!(photo_count(&app, &desk), 1);

    // The members' page shows it with its size and the German alt text.
    let page = Browser::new(&app).get(&format!("/spaces/{desk}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let sources = photo_sources(&page.body);
    assert_eq!(sources.len(), 1, "{}", page.body);
    let src = &sources[0];
    assert!(
        page.body.contains(&format!(
            "<img src=\"{src}\" width=\"1600\" height=\"1200\" alt=\"Ein Schreibtisch am Fenster\""
        )),
        "{}",
        page.body
    );

    let client = reqwest::Client::new();
    let response = client.get(format!("{}{src}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some("image/jpeg"));
    assert_eq!(header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
    let etag = header("etag").unwrap();
    let served = response.bytes().await.unwrap().to_vec();
    assert_eq!(&served[..2], &[0xFF, 0xD8], "a JPEG");
    assert!(!contains(&served, &[0xFF, 0xE1]), "no APP1 (EXIF/XMP) segment");
    assert!(!contains(&served, b"Exif"), "no EXIF");
    assert!(!contains(&served, b"GPS"), "no GPS marker");
    assert!(!contains(&served, CAMERA), "no camera model");
    let decoded = image::load_from_memory_with_format(&served, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200), "fitted into 1600 × 1200, aspect kept");

    // Asked again with its ETag: 304, still cacheable.
    let again = client.get(format!("{}{src}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // A wrong hash or an unknown photo: 404.
    let id = src.trim_start_matches("/photos/").split('/').next().unwrap();
    for wrong in
        [format!("/photos/{id}/{}.jpg", "0".repeat(32)), format!("/photos/nope/{}", src.rsplit('/').next().unwrap())]
    {
        let response = client.get(format!("{}{wrong}", app.address)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{wrong}");
    }

    // English readers get the English alt text; removing the photo takes it off every address.
    let english = page_in_english(&app, &format!("/spaces/{desk}")).await;
    assert!(english.contains("alt=\"A desk by the window\""), "{english}");
    let page = console.manager.get(&details_path("testhub", &desk)).await;
    let token = csrf_token_in(&page.body);
    let removed = console
        .manager
        .post(&format!("/console/hubs/testhub/spaces/{desk}/photos/{id}/remove"), &[("csrf_token", &token)])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(photo_count(&app, &desk), 0);
    let gone = client.get(format!("{}{src}", app.address)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let gone = client.get(format!("{}{src}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "a cached copy of a removed photo is not confirmed");
}

async fn an_upload_needs_an_alt_text_an_image_and_room_for_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let room = console.fixture.room.id.clone();
    let small = jpeg_with_exif(64, 48);

    // No alt text: the form again, the message next to the field, nothing stored.
    let refused = upload(&console.manager, "testhub", &room, "  ", "", &small).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("href=\"#alt_de\""), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("<p class=\"error-message\" id=\"alt_de-error\">Bitte beschreiben Sie, was das Foto zeigt."),
        "{}",
        refused.body
    );
    assert_eq!(photo_count(&app, &room), 0);

    // Not an image.
    let refused = upload(&console.manager, "testhub", &room, "Ein Text", "", b"%PDF-1.7 not a photo").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("id=\"photo-error\">Das ist kein JPEG-, PNG- oder WebP-Bild."), "{}", refused.body);
    assert_eq!(photo_count(&app, &room), 0);

    // Too large a body: 413 with the page, nothing stored.
    let huge = vec![0xFFu8; 9 * 1024 * 1024];
    let refused = upload(&console.manager, "testhub", &room, "Riesig", "", &huge).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    assert!(refused.body.contains("Die Datei ist zu groß: höchstens 8 MB."), "{}", refused.body);
    assert_eq!(photo_count(&app, &room), 0);

    // A missing CSRF token changes nothing.
    let forged = post_upload(&console.manager, "testhub", &room, "forged", "Foto", "", &small).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert_eq!(photo_count(&app, &room), 0);

    for n in 1..=3 {
        let done = upload(&console.manager, "testhub", &room, &format!("Foto {n}"), "", &small).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    assert_eq!(photo_count(&app, &room), 3);
    let page = console.manager.get(&details_path("testhub", &room)).await;
    assert!(page.body.contains("Dieser Bereich hat schon 3 Fotos."), "{}", page.body);
    let fourth = upload(&console.manager, "testhub", &room, "Foto 4", "", &small).await;
    assert_eq!(fourth.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", fourth.body);
    assert!(fourth.body.contains("Ein Bereich hat höchstens 3 Fotos."), "{}", fourth.body);
    assert_eq!(photo_count(&app, &room), 3);
}

async fn only_the_hubs_staff_upload_photos(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let desk = console.fixture.desk.id.clone();
    let small = jpeg_with_exif(64, 48);

    let (member, _) = logged_in_member(&app, "photo-member").await;
    let page = member.get(&details_path("testhub", &desk)).await;
    assert!(matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", page.status);
    let token = csrf_token_in(&member.get("/bookings").await.body);
    let refused = post_upload(&member, "testhub", &desk, &token, "Foto", "", &small).await;
    assert!(matches!(refused.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", refused.status);

    let other = staff_browser(&app, "other-manager@example.org", Role::HubManager(console.other_hub.id.clone())).await;
    assert_eq!(other.get(&details_path("testhub", &desk)).await.status, StatusCode::NOT_FOUND);
    let own_page = other.get(&details_path("otherhub", &console.other_space.id)).await;
    assert_eq!(own_page.status, StatusCode::OK, "{}", own_page.body);
    let token = csrf_token_in(&own_page.body);
    let refused = post_upload(&other, "testhub", &desk, &token, "Foto", "", &small).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    // Their own hub in the path does not reach our space either.
    let refused = post_upload(&other, "otherhub", &desk, &token, "Foto", "", &small).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let refused = other
        .post(&format!("/console/hubs/otherhub/spaces/{desk}/details"), &[("csrf_token", &token), ("description", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(photo_count(&app, &desk), 0);

    // The admin may.
    let done = upload(&console.admin, "testhub", &desk, "Foto", "", &small).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(photo_count(&app, &desk), 1);
}

/// Saves a space's details through the console form.
async fn save_facts(browser: &Browser, space: &SpaceId, fields: &[(&str, &str)]) -> Page {
    let path = details_path("testhub", space);
    browser.submit(&path, &path, fields).await
}

/// The names of the spaces the day view's grid lists.
fn listed(html: &str) -> Vec<&str> {
    let row = "<th scope=\"row\">";
    let mut names: Vec<&str> = html
        .match_indices(row)
        .map(|(at, _)| {
            let rest = &html[at + row.len()..];
            &rest[..rest.find(" <span>").unwrap()]
        })
        .collect();
    names.sort_unstable();
    names
}

async fn the_day_view_filters_by_kind_equipment_and_accessibility(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let desk = save_facts(
        &console.manager,
        &f.desk.id,
        &[
            ("description", "Am Fenster."),
            ("equipment", "monitor"),
            ("equipment", "height_adjustable_desk"),
            ("accessibility", "step_free_access"),
        ],
    )
    .await;
    assert_eq!(desk.status, StatusCode::SEE_OTHER, "{}", desk.body);
    let room = save_facts(
        &console.manager,
        &f.room.id,
        &[
            ("equipment", "whiteboard"),
            ("equipment", "monitor"),
            ("accessibility", "step_free_access"),
            ("accessibility", "hearing_loop"),
        ],
    )
    .await;
    assert_eq!(room.status, StatusCode::SEE_OTHER, "{}", room.body);
    // A value outside the closed set: 422, nothing stored.
    let refused = save_facts(&console.manager, &f.desk2.id, &[("equipment", "espresso_machine")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(rows::space_facts(&mut app.conn(), &f.desk2.id).unwrap().unwrap().equipment.is_empty());

    let visitor = Browser::new(&app);
    let day = |query: &str| {
        let path = format!("/hubs/testhub?date=2026-11-24{query}");
        let visitor = &visitor;
        async move {
            let page = visitor.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            page.body
        }
    };
    let all = day("").await;
    assert_eq!(listed(&all), ["Beamer", "Desk 1", "Desk 2", "Desk 9", "Room"], "{all}");
    // Unfiltered, the form is one link away (the same page with `filter=1`).
    assert!(all.contains("<a href=\"/hubs/testhub?date=2026-11-24&amp;filter=1\">Filtern</a>"), "{all}");
    assert!(!all.contains("name=equipment"), "{all}");
    let asked = day("&filter=1").await;
    assert!(asked.contains("<input type=checkbox name=equipment value=monitor>"), "{asked}");
    assert!(asked.contains("<input type=radio name=kind value=\"\" checked>"), "{asked}");
    assert_eq!(listed(&day("&kind=room").await), ["Room"]);
    assert_eq!(listed(&day("&equipment=monitor").await), ["Desk 1", "Room"]);
    assert_eq!(listed(&day("&equipment=monitor&access=hearing_loop").await), ["Room"]);
    assert_eq!(listed(&day("&kind=desk&access=step_free_access").await), ["Desk 1"]);
    let filtered = day("&kind=desk&equipment=height_adjustable_desk").await;
    assert_eq!(listed(&filtered), ["Desk 1"]);
    // The date links and the date picker keep the filter; the form shows it chosen.
    assert!(filtered.contains("?date=2026-11-25&#38;kind=desk&#38;equipment=height_adjustable_desk\""), "{filtered}");
    assert!(filtered.contains("?date=2026-11-23&#38;kind=desk&#38;equipment=height_adjustable_desk\""), "{filtered}");
    assert!(filtered.contains("<input type=hidden name=equipment value=height_adjustable_desk>"), "{filtered}");
    assert!(filtered.contains("name=kind value=desk checked"), "{filtered}");
    assert!(filtered.contains("name=equipment value=height_adjustable_desk checked"), "{filtered}");
    // Nothing matches: said so, with a way back.
    let none = day("&equipment=projector").await;
    assert!(listed(&none).is_empty(), "{none}");
    assert!(none.contains("Kein Bereich passt zu diesem Filter."), "{none}");
    // Unknown words are ignored.
    assert_eq!(listed(&day("&equipment=espresso_machine&kind=castle").await).len(), 5);
}

async fn the_details_page_tells_the_facts_in_german_and_english(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let saved = save_facts(
        &console.manager,
        &f.room.id,
        &[
            ("description", "Heller Raum im Erdgeschoss.\r\n\r\nMit Blick auf den Hof."),
            ("equipment", "video_conferencing"),
            ("equipment", "whiteboard"),
            ("accessibility", "accessible_toilet_nearby"),
            ("accessibility", "step_free_access"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let client = reqwest::Client::new();
    let read = |lang: &'static str| {
        let url = format!("{}/spaces/{}", app.address, f.room.id);
        let client = &client;
        async move {
            let response = client.get(url).header("accept-language", lang).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await.unwrap()
        }
    };
    let german = read("de").await;
    for text in [
        "<h1>Room</h1>",
        "<p>Heller Raum im Erdgeschoss.</p>",
        "<p>Mit Blick auf den Hof.</p>",
        "<li>Whiteboard</li>",
        "<li>Videokonferenz-Technik</li>",
        "<li>Stufenloser Zugang</li>",
        "<li>Barrierefreies WC in der Nähe</li>",
        "<dd>1 Person</dd>",
        &format!("href=\"/spaces/{}/book\"", f.room.id),
    ] {
        assert!(german.contains(text), "{text} in {german}");
    }
    let english = read("en").await;
    for text in [
        "<li>Video conferencing</li>",
        "<li>Step-free access</li>",
        "<li>Accessible toilet nearby</li>",
        "<dd>1 person</dd>",
        "Accessibility",
    ] {
        assert!(english.contains(text), "{text} in {english}");
    }
    // A space without details says so; an unknown one is 404.
    let bare = client.get(format!("{}/spaces/{}", app.address, f.desk2.id)).send().await.unwrap().text().await.unwrap();
    assert!(bare.contains("Noch keine Angaben zur Barrierefreiheit."), "{bare}");
    let unknown = client.get(format!("{}/spaces/no-such-space", app.address)).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // The booking form and the day view lead to the details.
    let form = console.manager.get(&format!("/spaces/{}/book", f.room.id)).await;
    assert!(form.body.contains(&format!("<a href=\"/spaces/{}\">", f.room.id)), "{}", form.body);
    let day = client.get(format!("{}/hubs/testhub", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(day.contains("<a href=\"/hubs/testhub/spaces\">Alle Bereiche im Detail</a>"), "{day}");
    let overview = client.get(format!("{}/hubs/testhub/spaces", app.address)).send().await.unwrap();
    assert_eq!(overview.status(), StatusCode::OK);
    let overview = overview.text().await.unwrap();
    assert!(overview.contains(&format!("<a href=\"/spaces/{}\">Room</a>", f.room.id)), "{overview}");
    assert!(overview.contains("<dd>Whiteboard, Videokonferenz-Technik</dd>"), "{overview}");
    assert!(
        overview.contains("<dd>Barrierefreies WC in der Nähe, Stufenloser Zugang</dd>")
            || overview.contains("<dd>Stufenloser Zugang, Barrierefreies WC in der Nähe</dd>"),
        "{overview}"
    );
}

async fn the_demo_shows_polchs_spaces_with_details_and_photos(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert!(
        regiohub::demo::seed::seed_demo(&mut app.conn(), &app.state.context, crate::helpers::default_now()).unwrap()
    );
    let visitor = Browser::new(&app);
    let overview = visitor.get("/hubs/polch/spaces").await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    assert!(overview.body.contains("Bildschirm, Höhenverstellbarer Schreibtisch, Dockingstation"), "{}", overview.body);
    assert!(overview.body.contains("Induktionsschleife"), "{}", overview.body);
    let filtered = visitor.get("/hubs/polch?date=2026-11-24&access=hearing_loop").await;
    assert_eq!(listed(&filtered.body), ["Vereinsraum"], "{}", filtered.body);
    let hub = regiohub::db::catalog::find_hub(&mut app.conn(), "polch").unwrap().unwrap();
    let spaces = regiohub::db::catalog::list_spaces(&mut app.conn(), &hub.id).unwrap();
    let desk = spaces.iter().find(|s| s.name == "Arbeitsplatz 1").unwrap();
    let page = visitor.get(&format!("/spaces/{}", desk.id)).await;
    let sources = photo_sources(&page.body);
    assert_eq!(sources.len(), 2, "{}", page.body);
    assert!(page.body.contains("alt=\"Schreibtisch mit Bildschirm vor einer hellen Wand\""), "{}", page.body);
    let photo = visitor.client.get(visitor.url(&sources[0])).send().await.unwrap();
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
}
