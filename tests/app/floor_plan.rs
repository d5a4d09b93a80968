//! Floor plans over HTTP: staff upload an SVG (cleaned of scripts and outside references, served
//! only as an image with a year's caching), the limits of an upload and who may make it, placing
//! spaces by coordinates, the day view's plan with free and taken per space for the chosen hour
//! linking to the booking forms, and Polch's demo plan.

use diesel::prelude::*;
use regiohub::db::floor_plans as rows;
use regiohub::db::schema::audit_log;
use regiohub::domain::ids::{HubId, SpaceId};
use regiohub::domain::role::Role;
use reqwest::StatusCode;

use crate::browser::{Browser, Page, csrf_token_in, logged_in_member};
use crate::console::{ConsoleFixture, staff_browser};
use crate::helpers::{Backend, TestApp, page_in_english};
use crate::on_both_backends;
use crate::space_details::multipart;

on_both_backends!(
    a_plan_is_cleaned_stored_and_served_only_as_an_image,
    an_upload_needs_a_drawing_an_alt_text_and_the_hubs_staff,
    spaces_are_placed_by_coordinates_and_a_bad_line_changes_nothing,
    the_day_view_shows_free_and_taken_on_the_plan_for_the_chosen_hour,
    the_plan_says_past_and_disabled_and_offers_the_shortest_booking,
    the_demo_shows_polchs_floor_plan,
);

/// A drawing with everything that must not survive: a script, handlers, outside references.
pub(crate) const HOSTILE_PLAN: &str = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" height="400" onload="alert(1)">
  <script>alert(2)</script>
  <rect x="10" y="10" width="780" height="380" fill="#eee" stroke="#333" onclick="steal()"/>
  <image xlink:href="https://tracker.example/pixel.gif" width="1" height="1"/>
  <text x="40" y="40">Erdgeschoss &amp; Hof</text>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <defs><g id="desk"><rect width="8" height="4"/></g><g id="row"><use href="#desk"/><use href="#desk" x="10"/></g></defs>
  <use href="#row"/>
</svg>"##;

const PLAN_PATH: &str = "/console/hubs/testhub/floor-plan";

async fn post_plan(browser: &Browser, hub: &str, token: &str, alt_de: &str, bytes: &[u8]) -> Page {
    let (content_type, body) =
        multipart(&[("csrf_token", token), ("alt_de", alt_de), ("alt_en", "")], Some(("plan", "image/svg+xml", bytes)));
    let request = browser.client.post(browser.url(&format!("/console/hubs/{hub}/floor-plan")));
    Page::from(request.header("content-type", content_type).body(body).send().await.unwrap()).await
}

/// Opens the plan page (for its token) and uploads `bytes`.
async fn upload(browser: &Browser, alt_de: &str, bytes: &[u8]) -> Page {
    let page = browser.get(PLAN_PATH).await;
    let token = if page.status == StatusCode::OK { csrf_token_in(&page.body) } else { String::new() };
    post_plan(browser, "testhub", &token, alt_de, bytes).await
}

fn stored_plan(app: &TestApp, hub: &HubId) -> Option<rows::PlanInfo> {
    rows::plan_of(&mut app.conn(), hub).unwrap()
}

/// The `href` of the plan's image on a page.
fn plan_src(html: &str) -> String {
    let marker = "<image href=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no plan image: {html}")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn a_plan_is_cleaned_stored_and_served_only_as_an_image(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let hub = console.fixture.hub.id.clone();

    let done = upload(&console.manager, "Erdgeschoss mit Hof", HOSTILE_PLAN.as_bytes()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // onload, script, onclick, the outside image's href, foreignObject, the use of uses.
    assert_eq!(done.location.as_deref(), Some("/console/hubs/testhub/floor-plan?done=plan-cleaned&count=6"));
    let plan = stored_plan(&app, &hub).expect("the plan is stored");
    assert_eq!((plan.width, plan.height), (1000, 500));
    let page = console.manager.get(done.location.as_deref().unwrap()).await;
    assert!(page.body.contains("6 Teile der Datei, die Code ausführen"), "{}", page.body);
    let src = plan_src(&page.body);
    assert_eq!(src, format!("/plans/{hub}/{}.svg", plan.content_hash));
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("floor_plan_uploaded"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);

    // Served to anyone as an image that may run nothing and load nothing.
    let client = reqwest::Client::new();
    let response = client.get(format!("{}{src}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some("image/svg+xml"));
    assert_eq!(header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    let policy = header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'") && policy.contains("sandbox"), "{policy}");
    let etag = header("etag").unwrap();
    let svg = response.text().await.unwrap();
    for gone in ["script", "alert", "onload", "onclick", "tracker.example", "foreignObject", "xhtml"] {
        assert!(!svg.contains(gone), "{gone} is served: {svg}");
    }
    // What is served is well-formed SVG that keeps the drawing and its text.
    let document = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(document.root_element().tag_name().name(), "svg");
    assert_eq!(document.root_element().attribute("viewBox"), Some("0 0 800 400"));
    assert!(document.descendants().any(|n| n.text() == Some("Erdgeschoss & Hof")), "{svg}");
    assert!(document.descendants().any(|n| n.has_tag_name("rect") && n.attribute("stroke") == Some("#333")));
    // The row's two uses of the desk are drawn; the use of the row (a use of uses) is not.
    let uses: Vec<_> =
        document.descendants().filter(|n| n.has_tag_name("use")).filter_map(|n| n.attribute("href")).collect();
    assert_eq!(uses, ["#desk", "#desk"], "{svg}");

    let again = client.get(format!("{}{src}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let wrong = format!("/plans/{hub}/{}.svg", "0".repeat(32));
    assert_eq!(client.get(format!("{}{wrong}", app.address)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let other = format!("/plans/{}/{}.svg", console.other_hub.id, plan.content_hash);
    assert_eq!(client.get(format!("{}{other}", app.address)).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Removing it takes it off every address, a cached copy included.
    let page = console.manager.get(PLAN_PATH).await;
    let token = csrf_token_in(&page.body);
    let removed = console.manager.post(&format!("{PLAN_PATH}/remove"), &[("csrf_token", &token)]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(stored_plan(&app, &hub).is_none());
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("floor_plan_removed"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    let gone = client.get(format!("{}{src}", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let page = console.manager.get(PLAN_PATH).await;
    assert!(page.body.contains("Dieser Hub hat noch keinen Lageplan."), "{}", page.body);
}

async fn an_upload_needs_a_drawing_an_alt_text_and_the_hubs_staff(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let hub = console.fixture.hub.id.clone();
    let small = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="10" height="10"/></svg>"#;

    let no_alt = upload(&console.manager, "  ", small).await;
    assert_eq!(no_alt.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_alt.body);
    assert!(no_alt.body.contains("id=\"alt_de-error\">Bitte beschreiben, was der Plan zeigt."), "{}", no_alt.body);
    let not_svg = upload(&console.manager, "Plan", b"%PDF-1.7 a plan").await;
    assert_eq!(not_svg.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_svg.body);
    assert!(not_svg.body.contains("id=\"plan-error\">Das ist keine SVG-Zeichnung."), "{}", not_svg.body);
    assert!(not_svg.body.contains("href=\"#plan\""), "the summary links the field: {}", not_svg.body);
    let no_size = upload(&console.manager, "Plan", br#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#).await;
    assert_eq!(no_size.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_size.body);
    assert!(no_size.body.contains("keine lesbare Größe"), "{}", no_size.body);
    let deep = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">{}<rect/>{}</svg>"#,
        "<g>".repeat(50_000),
        "</g>".repeat(50_000)
    );
    let too_deep = upload(&console.manager, "Plan", deep.as_bytes()).await;
    assert_eq!(too_deep.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", too_deep.body);
    assert!(too_deep.body.contains("id=\"plan-error\">Die Zeichnung ist zu verschachtelt"), "{}", too_deep.body);
    let huge = vec![b' '; 3 * 1024 * 1024];
    let too_big = upload(&console.manager, "Plan", &huge).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.body);
    assert!(too_big.body.contains("Die Datei ist zu groß: höchstens 2 MB."), "{}", too_big.body);
    let forged = post_plan(&console.manager, "testhub", "forged", "Plan", small).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(stored_plan(&app, &hub).is_none(), "nothing was stored");

    // Members and another hub's manager cannot reach the page or the upload.
    let (member, _) = logged_in_member(&app, "plan-member").await;
    assert!(matches!(member.get(PLAN_PATH).await.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    let token = csrf_token_in(&member.get("/bookings").await.body);
    let refused = post_plan(&member, "testhub", &token, "Plan", small).await;
    assert!(matches!(refused.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", refused.status);
    let other = staff_browser(&app, "other-manager@example.org", Role::HubManager(console.other_hub.id.clone())).await;
    assert_eq!(other.get(PLAN_PATH).await.status, StatusCode::NOT_FOUND);
    let own = other.get("/console/hubs/otherhub/floor-plan").await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let token = csrf_token_in(&own.body);
    assert_eq!(post_plan(&other, "testhub", &token, "Plan", small).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post(&format!("{PLAN_PATH}/remove"), &[("csrf_token", &token)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(stored_plan(&app, &hub).is_none());

    // The admin may; a plan without anything to clean says only that it is saved.
    let done = upload(&console.admin, "Plan", small).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/console/hubs/testhub/floor-plan?done=plan-uploaded"));
    assert!(stored_plan(&app, &hub).is_some());
}

fn spots(app: &TestApp, hub: &HubId) -> Vec<(SpaceId, i32, i32)> {
    let mut spots: Vec<_> =
        rows::spots_of_hub(&mut app.conn(), hub).unwrap().into_iter().map(|s| (s.space_id, s.x, s.y)).collect();
    spots.sort();
    spots
}

/// The coordinates form: a line per space, in the page's order.
async fn place(browser: &Browser, lines: &[(&SpaceId, &str, &str)]) -> Page {
    let page = browser.get(PLAN_PATH).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = csrf_token_in(&page.body);
    let mut form = vec![("csrf_token".to_owned(), token)];
    for (space, x, y) in lines {
        form.push(("space".into(), space.to_string()));
        form.push(("x".into(), (*x).to_owned()));
        form.push(("y".into(), (*y).to_owned()));
    }
    Page::from(browser.client.post(browser.url(&format!("{PLAN_PATH}/spots"))).form(&form).send().await.unwrap()).await
}

async fn spaces_are_placed_by_coordinates_and_a_bad_line_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let mut expected = vec![(f.desk.id.clone(), 375, 200), (f.room.id.clone(), 800, 600)];
    expected.sort();

    let done =
        place(&console.manager, &[(&f.desk.id, "37,5", "20"), (&f.room.id, "80.0", " 60 "), (&f.desk2.id, "", "")])
            .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/console/hubs/testhub/floor-plan?done=plan-placed"));
    assert_eq!(spots(&app, &f.hub.id), expected);
    // The form shows them back in German notation.
    let page = console.manager.get(PLAN_PATH).await;
    assert!(page.body.contains("name=\"x\" value=\"37,5\""), "{}", page.body);

    // A bad line: 422, its row marked with the message, what was sent kept, nothing stored.
    let refused =
        place(&console.manager, &[(&f.desk.id, "links", "101"), (&f.room.id, "50", ""), (&f.desk2.id, "10", "10")])
            .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("Einige Positionen sind nicht lesbar; nichts wurde gespeichert."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(
            "Von links (%): Bitte eine Zahl von 0 bis 100 angeben. Von oben (%): Bitte eine Zahl von 0 bis 100 angeben."
        ),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Von oben (%): Bitte beide Werte angeben oder beide leer lassen."),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("name=\"x\" value=\"links\""), "{}", refused.body);
    assert_eq!(refused.body.matches("aria-invalid=\"true\"").count(), 4, "two lines, two inputs each");
    assert_eq!(spots(&app, &f.hub.id), expected);

    // Empty coordinates take a space off; another hub's space is not found.
    let done = place(&console.manager, &[(&f.room.id, "", "")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(spots(&app, &f.hub.id), vec![(f.desk.id.clone(), 375, 200)]);
    let foreign = place(&console.manager, &[(&console.other_space.id, "10", "10")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    assert!(spots(&app, &console.other_hub.id).is_empty());
    // One space twice in a form is no form the page sends: 400, nothing stored.
    let twice = place(&console.manager, &[(&f.desk.id, "1", "1"), (&f.desk.id, "2", "2")]).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST, "{}", twice.body);
    assert_eq!(spots(&app, &f.hub.id), vec![(f.desk.id.clone(), 375, 200)]);
    // Two changes that stored something, each in the audit trail; the refused ones none.
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("floor_plan_spots_placed"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 2);
}

/// The mark of the space `name` on the day view's plan: from its link to the end of its texts.
fn mark<'a>(html: &'a str, name: &str) -> &'a str {
    let plan = &html[html.find("<svg class=\"plan-svg\"").expect("the page has a plan")..];
    let plan = &plan[..plan.find("</svg>").unwrap()];
    let name_at = plan.find(&format!(">{name}</text>")).unwrap_or_else(|| panic!("no mark {name}: {plan}"));
    let start = plan[..name_at].rfind("<a ").unwrap();
    let end = plan[name_at..].find("</a>").unwrap() + name_at;
    &plan[start..end]
}

async fn the_day_view_shows_free_and_taken_on_the_plan_for_the_chosen_hour(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let visitor = Browser::new(&app);
    let day = "/hubs/testhub?date=2026-11-24";
    // Without a plan the day view is as it was.
    let before = visitor.get(day).await.body;
    assert!(!before.contains("plan-svg") && !before.contains("Lageplan zeigen"), "{before}");

    let small =
        br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="10" height="10"/></svg>"#;
    assert_eq!(upload(&console.manager, "Erdgeschoss", small).await.status, StatusCode::SEE_OTHER);
    let placed = place(
        &console.manager,
        &[(&f.desk.id, "20", "30"), (&f.desk2.id, "50", "30"), (&f.room.id, "80", "90"), (&f.equipment.id, "50", "90")],
    )
    .await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.body);
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);

    // The day view links the plan (at the first hour still to come); the plan is that page.
    let linked = visitor.get(day).await.body;
    assert!(!linked.contains("plan-svg"), "{linked}");
    assert!(
        linked.contains("<a href=\"/hubs/testhub?date=2026-11-24&#38;hour=08:00#plan-heading\">Lageplan zeigen</a>"),
        "{linked}"
    );
    let at_ten = visitor.get(&format!("{day}&hour=10:00")).await;
    assert_eq!(at_ten.status, StatusCode::OK, "{}", at_ten.body);
    let html = &at_ten.body;
    assert!(html.contains("<option value=\"10:00\" selected>10:00–11:00</option>"), "{html}");
    assert!(html.contains("Lageplan für 10:00–11:00 Uhr: welcher Platz frei, belegt oder zu ist."), "{html}");
    assert!(html.contains("role=\"img\" aria-label=\"Erdgeschoss\""), "{html}");
    // The booked desk is taken and leads to its form for the day; its neighbour is free and
    // leads to the form with the hour filled in.
    let taken = mark(html, "Desk 1");
    assert!(taken.contains("class=\"mark taken\""), "{taken}");
    assert!(taken.contains(&format!("href=\"/spaces/{}/book?date=2026-11-24\"", f.desk.id)), "{taken}");
    assert!(taken.contains(">belegt</text>"), "{taken}");
    let free = mark(html, "Desk 2");
    assert!(free.contains("class=\"mark free\""), "{free}");
    assert!(
        free.contains(&format!("href=\"/spaces/{}/book?date=2026-11-24&#38;from=10:00&#38;to=11:00\"", f.desk2.id)),
        "{free}"
    );
    assert!(free.contains(">frei</text>"), "{free}");
    // Marks sit in the plan's coordinates (1000 × 500): 20 %, 30 % is (200, 150).
    assert!(taken.contains("<circle cx=\"200\" cy=\"150\""), "{taken}");
    // A space booked by the day says so for the whole day; the unplaced ones are counted.
    assert!(mark(html, "Beamer").contains("class=\"mark free\""));
    assert!(html.contains("Ein Platz ist nicht im Plan eingezeichnet"), "Desk 9 has no place: {html}");
    // The list stays.
    assert!(html.contains("<div class=\"day-list\">"), "{html}");

    // At one o'clock the desk is free again; the booking form opens with that hour.
    let at_one = visitor.get(&format!("{day}&hour=13:00")).await;
    let free_again = mark(&at_one.body, "Desk 1");
    assert!(
        free_again.contains("class=\"mark free\"") && free_again.contains("from=13:00&#38;to=14:00"),
        "{free_again}"
    );
    let (member, _) = logged_in_member(&app, "plan-booker").await;
    let form = member.get(&format!("/spaces/{}/book?date=2026-11-24&from=13:00&to=14:00", f.desk.id)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"13:00\"") && form.body.contains("value=\"14:00\""), "{}", form.body);

    // An hour that is not one of the day's falls back to the first open hour; the filter keeps
    // to its spaces on the plan too; English words.
    let unknown = visitor.get(&format!("{day}&hour=25:00")).await;
    assert!(unknown.body.contains("<option value=\"08:00\" selected>"), "{}", unknown.body);
    let rooms = visitor.get(&format!("{day}&hour=10:00&kind=room")).await;
    assert!(rooms.body.contains(">Room</text>") && !rooms.body.contains(">Desk 2</text>"), "{}", rooms.body);
    assert!(rooms.body.contains("<input type=hidden name=kind value=room>"), "{}", rooms.body);
    let english = page_in_english(&app, &format!("{day}&hour=10:00")).await;
    assert!(english.contains("Floor plan for 10:00–11:00: which space is free, taken or closed."), "{english}");
    assert!(mark(&english, "Desk 1").contains(">taken</text>"), "{english}");
}

async fn the_plan_says_past_and_disabled_and_offers_the_shortest_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    give_a_plan(&app, &f);
    regiohub::db::floor_plans::set_spot(&mut app.conn(), &f.disabled_desk.id, Some((900, 100))).unwrap();
    // Desk 2 takes at least 90 minutes.
    diesel::update(regiohub::db::schema::spaces::table.find(&f.desk2.id))
        .set(regiohub::db::schema::spaces::min_minutes.eq(90))
        .execute(&mut app.conn())
        .unwrap();
    // Today at 13:20.
    app.clock.set(crate::helpers::utc("2026-11-23T12:20:00Z"));
    let visitor = Browser::new(&app);
    let today = "/hubs/testhub?date=2026-11-23";
    // Without a usable hour the plan shows the current one.
    let fallback = visitor.get(&format!("{today}&hour=25:00")).await;
    assert!(fallback.body.contains("<option value=\"13:00\" selected>"), "{}", fallback.body);
    // A past hour is said to be over; a disabled space says so and leads to its details page.
    let morning = visitor.get(&format!("{today}&hour=10:00")).await.body;
    assert!(mark(&morning, "Desk 2").contains(">vorbei</text>"), "{morning}");
    let disabled = mark(&morning, "Desk 9");
    assert!(disabled.contains(&format!("href=\"/spaces/{}\"", f.disabled_desk.id)), "{disabled}");
    assert!(
        disabled.contains(">Derzeit nicht buchbar.</text>") && disabled.contains("class=\"mark closed\""),
        "{disabled}"
    );
    // A free hour of a space with a longer shortest booking offers that much.
    let afternoon = visitor.get(&format!("{today}&hour=14:00")).await.body;
    assert!(mark(&afternoon, "Desk 2").contains("from=14:00&#38;to=15:30"), "{afternoon}");
    // The day links and the date form keep the plan's hour.
    assert!(afternoon.contains("?date=2026-11-24&#38;hour=14:00\""), "{afternoon}");
    assert!(afternoon.contains("<input type=hidden name=hour value=\"14:00\">"), "{afternoon}");
}

async fn the_demo_shows_polchs_floor_plan(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert!(
        regiohub::demo::seed::seed_demo(&mut app.conn(), &app.state.context, crate::helpers::default_now()).unwrap()
    );
    let visitor = Browser::new(&app);
    let page = visitor.get("/hubs/polch?date=2026-11-24&hour=10:00").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in ["Arbeitsplatz 1", "Arbeitsplatz 6", "Besprechungsraum Maifeld", "Vereinsraum", "Beamer"] {
        assert!(mark(&page.body, name).contains("/book?date=2026-11-24"), "{name}");
    }
    assert!(!page.body.contains("nicht im Plan eingezeichnet"), "every space is placed");
    let image = visitor.client.get(visitor.url(&plan_src(&page.body))).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
    assert!(image.text().await.unwrap().contains("Vereinsraum"));
}

/// Gives the fixture hub a plan with Desk 1, Desk 2, the room and the Beamer placed (the browser
/// tests' day view and console page show it).
pub(crate) fn give_a_plan(app: &TestApp, f: &crate::helpers::Fixture) {
    let plan = regiohub::service::floor_plan_svg::sanitise(HOSTILE_PLAN.as_bytes()).unwrap();
    let mut conn = app.conn();
    let new = rows::NewPlan {
        hub_id: f.hub.id.clone(),
        svg: plan.svg,
        width: plan.width,
        height: plan.height,
        content_hash: plan.content_hash,
        alt_de: "Erdgeschoss mit Hof".into(),
        alt_en: Some("Ground floor with courtyard".into()),
        updated_at: crate::helpers::db_time(crate::helpers::default_now()),
    };
    rows::put_plan(&mut conn, &new).unwrap();
    for (space, x, y) in [(&f.desk, 200, 300), (&f.desk2, 500, 300), (&f.room, 800, 850), (&f.equipment, 500, 850)] {
        rows::set_spot(&mut conn, &space.id, Some((x, y))).unwrap();
    }
}
