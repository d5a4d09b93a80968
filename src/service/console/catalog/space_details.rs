//! A space's details as staff keep them: the description, equipment and accessibility facts, and
//! up to three photos (each with a German alt text, English optional). Photos arrive here already
//! processed (`service::space_photos`); each change is one write transaction with its audit entry.

use chrono::{DateTime, Utc};

use super::spaces::find;
use super::{CatalogError, Problem, Problems, Staff, changed_fields, record};
use crate::db::catalog::{Hub, Space};
use crate::db::space_details::{self as rows, NewPhoto, PhotoInfo, SpaceFacts};
use crate::db::{self, DbConn, DbError};
use crate::domain::ids::SpaceId;
use crate::domain::space_details::{
    AccessibilityFact, AltProblem, AltTexts, DESCRIPTION_MAX_CHARS, Equipment, FeatureSet, MAX_PHOTOS,
};
use crate::service::space_photos::ProcessedPhoto;
use crate::service::{ServiceError, UnitOfWork, to_db_time};

/// What the details page of the console shows.
#[derive(Debug, Clone)]
pub struct StaffDetails {
    pub hub: Hub,
    pub space: Space,
    pub facts: SpaceFacts,
    pub photos: Vec<PhotoInfo>,
}

/// The submitted details form: the description and the ticked values' texts.
#[derive(Debug, Clone, Default)]
pub struct FactsInput {
    pub description: String,
    pub equipment: Vec<String>,
    pub accessibility: Vec<String>,
}

/// The hub, the space, its details and photos.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space.
pub fn load(conn: &mut DbConn, staff: Staff<'_>, hub: &str, space_id: &SpaceId) -> Result<StaffDetails, ServiceError> {
    let (hub, space) = find(conn, staff, hub, space_id)?;
    let facts = rows::space_facts(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    let photos = rows::photos_of(conn, space_id)?;
    Ok(StaffDetails { hub, space, facts, photos })
}

/// Reads the form: a description within its length, values of the closed sets only.
fn read(input: &FactsInput) -> Result<SpaceFacts, CatalogError> {
    let mut problems = Problems::default();
    let description = input.description.trim().replace("\r\n", "\n");
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        problems.add("description", "description-too-long");
    }
    let equipment: Result<Vec<_>, _> = input.equipment.iter().map(|e| Equipment::parse(e)).collect();
    let accessibility: Result<Vec<_>, _> = input.accessibility.iter().map(|a| AccessibilityFact::parse(a)).collect();
    let equipment = equipment.map_err(|_| problems.add("equipment", "choose-one")).ok();
    let accessibility = accessibility.map_err(|_| problems.add("accessibility", "choose-one")).ok();
    problems.finish()?;
    Ok(SpaceFacts {
        description,
        equipment: FeatureSet::of(equipment.unwrap_or_default()),
        accessibility: FeatureSet::of(accessibility.unwrap_or_default()),
    })
}

/// Stores the space's description, equipment and accessibility facts.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems (nothing stored).
pub fn update_facts(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    input: &FactsInput,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let (hub, space) = find(tx, staff, hub, space_id)?;
    let after = read(input)?;
    tx.write_transaction(|tx| {
        let before = rows::space_facts(tx, space_id)?.ok_or(ServiceError::NotFound)?;
        rows::set_space_facts(tx, space_id, &after)?;
        let details = changed_fields(&[
            ("description", before.description, after.description.clone()),
            ("equipment", before.equipment.as_stored(), after.equipment.as_stored()),
            ("accessibility", before.accessibility.as_stored(), after.accessibility.as_stored()),
        ]);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &space.name, "space_details_updated", details, now)?)
    })
}

/// An upload's alt texts, read before the image is looked at.
///
/// # Errors
/// The problem of each alt text field that is wrong.
pub fn read_alt_texts(de: &str, en: &str) -> Result<AltTexts, Vec<Problem>> {
    alt_texts(de, en, "alt-missing")
}

/// Alt texts read with `missing` as the code of an empty German text (a photo's and a floor
/// plan's ask for different things).
pub(super) fn alt_texts(de: &str, en: &str, missing: &'static str) -> Result<AltTexts, Vec<Problem>> {
    AltTexts::parse(de, en).map_err(|problems| {
        problems
            .into_iter()
            .map(|(field, problem)| Problem {
                field,
                code: match problem {
                    AltProblem::Missing => missing,
                    AltProblem::TooLong => "alt-too-long",
                },
                range: None,
            })
            .collect()
    })
}

/// Whether the space still has room for a photo (checked before the slow decoding; the insert
/// checks again).
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` on `photo` when the space has its three.
pub fn check_room_for_photo(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
) -> Result<(), CatalogError> {
    find(conn, staff, hub, space_id)?;
    if rows::photos_of(conn, space_id)?.len() >= MAX_PHOTOS {
        return Err(photo_limit());
    }
    Ok(())
}

/// The refusal of a photo past the limit; its message names the limit.
fn photo_limit() -> CatalogError {
    let limit = i64::try_from(MAX_PHOTOS).unwrap_or(i64::MAX);
    CatalogError::Invalid(vec![Problem { field: "photo", code: "photo-limit", range: Some((0, limit)) }])
}

/// Adds a processed photo at the first free position. The positions 1 to 3 are unique per space
/// in the database, so two uploads at once cannot make a fourth: the later one is refused.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` on `photo` when the space has its three.
pub fn add_photo(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    photo: ProcessedPhoto,
    alt: &AltTexts,
    now: DateTime<Utc>,
) -> Result<String, CatalogError> {
    let (hub, space) = find(tx, staff, hub, space_id)?;
    let id = db::new_id();
    let outcome = tx.write_transaction(|tx| {
        let taken: Vec<i32> = rows::photos_of(tx, space_id)?.iter().map(|p| p.position).collect();
        let limit = i32::try_from(MAX_PHOTOS).unwrap_or(3);
        let Some(position) = (1..=limit).find(|p| !taken.contains(p)) else {
            return Err(photo_limit());
        };
        let new = NewPhoto {
            id: id.clone(),
            space_id: space_id.clone(),
            position,
            width: i32::try_from(photo.width).unwrap_or(i32::MAX),
            height: i32::try_from(photo.height).unwrap_or(i32::MAX),
            content_hash: photo.content_hash.clone(),
            image: photo.jpeg,
            alt_de: alt.de().to_owned(),
            alt_en: alt.en().map(str::to_owned),
            created_at: to_db_time(now),
        };
        rows::insert_photo(tx, &new)?;
        let details = format!("photo {position} added ({}×{}): {:?}", new.width, new.height, alt.de());
        Ok(record(tx, staff, &hub, &space.name, "space_photo_added", details, now)?)
    });
    match outcome {
        Ok(()) => Ok(id),
        Err(CatalogError::Service(ServiceError::Db(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))))) => Err(photo_limit()),
        Err(other) => Err(other),
    }
}

/// Removes one of the space's photos.
///
/// # Errors
/// `NotFound` outside the caller's scope or for a photo of another space.
pub fn remove_photo(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    photo_id: &str,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let (hub, space) = find(tx, staff, hub, space_id)?;
    tx.write_transaction(|tx| {
        let photo =
            rows::find_photo(tx, photo_id)?.filter(|p| &p.space_id == space_id).ok_or(ServiceError::NotFound)?;
        rows::delete_photo(tx, space_id, photo_id)?;
        let details = format!("photo {} removed: {:?}", photo.position, photo.alt_de);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &space.name, "space_photo_removed", details, now)?)
    })
}
