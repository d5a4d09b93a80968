//! Demo data for space details: Polch's spaces get descriptions, equipment, accessibility facts
//! and photos. The photos are drawn here (plain shapes: a desk with a monitor, a table with
//! chairs), so the demo ships no image files and has no licence to mind; they pass through the
//! same processing as an upload.

use std::io::Cursor;

use chrono::{DateTime, Utc};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::db::catalog::{self, Space};
use crate::db::space_details::{self as rows, NewPhoto, SpaceFacts};
use crate::db::{self, DbConn};
use crate::domain::space_details::{AccessibilityFact as A, Equipment as E, FeatureSet};
use crate::domain::vocabulary::SpaceKind;
use crate::service::space_photos;
use crate::service::{ServiceError, to_db_time};

/// Gives Polch's spaces their details and photos.
///
/// # Errors
/// On a database failure.
pub fn seed_polch_details(conn: &mut DbConn, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let Some(hub) = catalog::find_hub(conn, "polch")? else {
        return Ok(());
    };
    for space in catalog::list_spaces(conn, &hub.id)? {
        rows::set_space_facts(conn, &space.id, &facts_of(&space))?;
        for (position, (picture, alt_de, alt_en)) in (1..).zip(pictures_of(&space)) {
            let Ok(photo) = space_photos::process(&png(&picture)) else {
                continue;
            };
            let new = NewPhoto {
                id: db::new_id(),
                space_id: space.id.clone(),
                position,
                width: i32::try_from(photo.width).unwrap_or(i32::MAX),
                height: i32::try_from(photo.height).unwrap_or(i32::MAX),
                content_hash: photo.content_hash,
                image: photo.jpeg,
                alt_de: alt_de.to_owned(),
                alt_en: Some(alt_en.to_owned()),
                created_at: to_db_time(now),
            };
            rows::insert_photo(conn, &new)?;
        }
    }
    Ok(())
}

fn facts_of(space: &Space) -> SpaceFacts {
    let desk_number: u32 = space.name.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let (description, equipment, accessibility): (&str, Vec<E>, Vec<A>) = match (space.kind, space.name.as_str()) {
        (SpaceKind::Desk, _) if desk_number <= 2 => (
            "Ruhiger Platz am Fenster im Erdgeschoss, mit Blick auf den Hof.\n\n\
             Der Tisch lässt sich per Knopfdruck von Sitz- auf Stehhöhe fahren.",
            vec![E::Monitor, E::HeightAdjustableDesk, E::DockingStation],
            vec![A::StepFreeAccess, A::AccessibleToiletNearby, A::WideDoor],
        ),
        (SpaceKind::Desk, _) => (
            "Arbeitsplatz im offenen Bereich im ersten Stock, mit großem Bildschirm.",
            vec![E::Monitor, E::DockingStation],
            vec![A::AccessibleToiletNearby],
        ),
        (SpaceKind::Room, "Vereinsraum") => (
            "Großer Raum für Vereine und Versammlungen, Stühle für 20 Personen.\n\n\
             Die Induktionsschleife deckt den ganzen Raum ab.",
            vec![E::Whiteboard, E::Projector],
            vec![A::StepFreeAccess, A::AccessibleToiletNearby, A::HearingLoop, A::AccessibleParking, A::WideDoor],
        ),
        (SpaceKind::Room, _) => (
            "Besprechungsraum für bis zu acht Personen mit Videokonferenz-Technik.",
            vec![E::Whiteboard, E::VideoConferencing, E::Monitor],
            vec![A::StepFreeAccess, A::AccessibleToiletNearby],
        ),
        (SpaceKind::Equipment, _) => ("Beamer zum Ausleihen, mit HDMI-Kabel.", vec![E::Projector], vec![]),
    };
    SpaceFacts {
        description: description.to_owned(),
        equipment: FeatureSet::of(equipment),
        accessibility: FeatureSet::of(accessibility),
    }
}

/// The photos of a space: pictures with their German and English alt texts.
fn pictures_of(space: &Space) -> Vec<(RgbImage, &'static str, &'static str)> {
    match space.kind {
        SpaceKind::Desk if space.name.ends_with(" 1") || space.name.ends_with(" 2") => vec![
            (
                desk(),
                "Schreibtisch mit Bildschirm vor einer hellen Wand",
                "Desk with a monitor in front of a light wall",
            ),
            (window(), "Fenster mit Blick in den begrünten Hof", "Window looking out onto the green courtyard"),
        ],
        SpaceKind::Desk => {
            vec![(
                desk(),
                "Schreibtisch mit Bildschirm vor einer hellen Wand",
                "Desk with a monitor in front of a light wall",
            )]
        }
        SpaceKind::Room => vec![
            (table(), "Langer Tisch mit Stühlen auf beiden Seiten", "Long table with chairs on both sides"),
            (board(), "Whiteboard an der Stirnwand des Raums", "Whiteboard on the room's end wall"),
        ],
        SpaceKind::Equipment => vec![],
    }
}

const WALL: Rgb<u8> = Rgb([236, 232, 222]);
const FLOOR: Rgb<u8> = Rgb([176, 150, 118]);
const WOOD: Rgb<u8> = Rgb([139, 94, 52]);
const DARK: Rgb<u8> = Rgb([40, 44, 52]);
const SCREEN: Rgb<u8> = Rgb([70, 130, 180]);
const GREEN: Rgb<u8> = Rgb([96, 160, 90]);
const WHITE: Rgb<u8> = Rgb([250, 250, 250]);

/// A room: wall above, floor below.
fn room() -> RgbImage {
    RgbImage::from_fn(800, 600, |_, y| if y < 420 { WALL } else { FLOOR })
}

fn fill(picture: &mut RgbImage, (x0, y0, x1, y1): (u32, u32, u32, u32), colour: Rgb<u8>) {
    for y in y0..y1.min(picture.height()) {
        for x in x0..x1.min(picture.width()) {
            picture.put_pixel(x, y, colour);
        }
    }
}

fn desk() -> RgbImage {
    let mut picture = room();
    fill(&mut picture, (150, 380, 650, 410), WOOD);
    fill(&mut picture, (170, 410, 190, 560), WOOD);
    fill(&mut picture, (610, 410, 630, 560), WOOD);
    fill(&mut picture, (300, 220, 500, 350), DARK);
    fill(&mut picture, (310, 230, 490, 340), SCREEN);
    fill(&mut picture, (390, 350, 410, 380), DARK);
    picture
}

fn window() -> RgbImage {
    let mut picture = room();
    fill(&mut picture, (200, 80, 600, 380), WHITE);
    fill(&mut picture, (215, 95, 585, 365), GREEN);
    fill(&mut picture, (395, 80, 405, 380), WHITE);
    picture
}

fn table() -> RgbImage {
    let mut picture = room();
    fill(&mut picture, (120, 400, 680, 440), WOOD);
    for x in [150, 270, 390, 510, 630] {
        fill(&mut picture, (x, 330, x + 40, 400), DARK);
        fill(&mut picture, (x, 440, x + 40, 520), DARK);
    }
    picture
}

fn board() -> RgbImage {
    let mut picture = room();
    fill(&mut picture, (180, 100, 620, 340), DARK);
    fill(&mut picture, (190, 110, 610, 330), WHITE);
    fill(&mut picture, (230, 160, 420, 170), SCREEN);
    fill(&mut picture, (230, 200, 520, 210), SCREEN);
    picture
}

fn png(picture: &RgbImage) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    // Writing a PNG into memory fails only on allocation failure; then the photo is left out.
    let _ = DynamicImage::ImageRgb8(picture.clone()).write_to(&mut bytes, ImageFormat::Png);
    bytes.into_inner()
}
