//! Rows and queries for what a space's details page shows: the description, equipment and
//! accessibility columns of `spaces`, and `space_photos` (the processed images with their alt
//! texts). Which photos may be added and who may do it is decided in the service.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{space_photos, spaces};
use super::stored::UnknownStoredValue;
use super::{DbConn, DbError};
use crate::domain::ids::{HubId, SpaceId};
use crate::domain::space_details::{AccessibilityFact, Equipment, Feature, FeatureSet};

/// A space's details as stored, read into their closed sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpaceFacts {
    pub description: String,
    pub equipment: FeatureSet<Equipment>,
    pub accessibility: FeatureSet<AccessibilityFact>,
}

/// The stored words of one space.
type StoredFacts = (SpaceId, String, String, String);

fn read_set<T: Feature>(column: &'static str, stored: &str) -> Result<FeatureSet<T>, DbError> {
    FeatureSet::parse(stored)
        .map_err(|unknown| DbError::UnknownValue(UnknownStoredValue { table: "spaces", column, value: unknown.given }))
}

fn read_facts((_, description, equipment, accessibility): &StoredFacts) -> Result<SpaceFacts, DbError> {
    Ok(SpaceFacts {
        description: description.clone(),
        equipment: read_set("equipment", equipment)?,
        accessibility: read_set("accessibility", accessibility)?,
    })
}

/// The details of one space, if it exists.
///
/// # Errors
/// On a database error, or a stored word that is none of its set's values.
pub fn space_facts(conn: &mut DbConn, space_id: &SpaceId) -> Result<Option<SpaceFacts>, DbError> {
    let row: Option<StoredFacts> = spaces::table
        .find(space_id)
        .select((spaces::id, spaces::description, spaces::equipment, spaces::accessibility))
        .first(conn)
        .optional()?;
    row.as_ref().map(read_facts).transpose()
}

/// The details of every space of a hub, in one statement (the day view's filter).
///
/// # Errors
/// On a database error, or a stored word that is none of its set's values.
pub fn hub_space_facts(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<(SpaceId, SpaceFacts)>, DbError> {
    let rows: Vec<StoredFacts> = spaces::table
        .filter(spaces::hub_id.eq(hub_id))
        .select((spaces::id, spaces::description, spaces::equipment, spaces::accessibility))
        .load(conn)?;
    rows.iter().map(|row| Ok((row.0.clone(), read_facts(row)?))).collect()
}

/// Stores a space's details (the spaces triggers raise the catalogue version).
///
/// # Errors
/// On a database error.
pub fn set_space_facts(conn: &mut DbConn, space_id: &SpaceId, facts: &SpaceFacts) -> Result<usize, DbError> {
    Ok(diesel::update(spaces::table.find(space_id))
        .set((
            spaces::description.eq(&facts.description),
            spaces::equipment.eq(facts.equipment.as_stored()),
            spaces::accessibility.eq(facts.accessibility.as_stored()),
        ))
        .execute(conn)?)
}

/// A photo as a page lists it: everything but the image bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = space_photos)]
pub struct PhotoInfo {
    pub id: String,
    pub space_id: SpaceId,
    pub position: i32,
    pub width: i32,
    pub height: i32,
    pub content_hash: String,
    pub alt_de: String,
    pub alt_en: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A new photo: the processed JPEG and what the pages need to show it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = space_photos)]
pub struct NewPhoto {
    pub id: String,
    pub space_id: SpaceId,
    pub position: i32,
    pub image: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub content_hash: String,
    pub alt_de: String,
    pub alt_en: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A space's photos in their order.
///
/// # Errors
/// On a database error.
pub fn photos_of(conn: &mut DbConn, space_id: &SpaceId) -> Result<Vec<PhotoInfo>, DbError> {
    Ok(space_photos::table
        .filter(space_photos::space_id.eq(space_id))
        .order(space_photos::position.asc())
        .select(PhotoInfo::as_select())
        .load(conn)?)
}

/// One photo's description, if it exists.
///
/// # Errors
/// On a database error.
pub fn find_photo(conn: &mut DbConn, photo_id: &str) -> Result<Option<PhotoInfo>, DbError> {
    Ok(space_photos::table.find(photo_id).select(PhotoInfo::as_select()).first(conn).optional()?)
}

/// The image of the photo with this id and content hash (a stale address finds nothing).
///
/// # Errors
/// On a database error.
pub fn photo_image(conn: &mut DbConn, photo_id: &str, content_hash: &str) -> Result<Option<Vec<u8>>, DbError> {
    Ok(space_photos::table
        .filter(space_photos::id.eq(photo_id))
        .filter(space_photos::content_hash.eq(content_hash))
        .select(space_photos::image)
        .first(conn)
        .optional()?)
}

/// Whether a photo with this id and content hash is stored (without reading its image).
///
/// # Errors
/// On a database error.
pub fn photo_exists(conn: &mut DbConn, photo_id: &str, content_hash: &str) -> Result<bool, DbError> {
    let found: Option<String> = space_photos::table
        .filter(space_photos::id.eq(photo_id))
        .filter(space_photos::content_hash.eq(content_hash))
        .select(space_photos::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Stores a photo. Two photos at one position of a space fail on the unique key.
///
/// # Errors
/// On a database error.
pub fn insert_photo(conn: &mut DbConn, photo: &NewPhoto) -> Result<(), DbError> {
    diesel::insert_into(space_photos::table).values(photo).execute(conn)?;
    Ok(())
}

/// Removes one of a space's photos; how many rows went (0 for another space's photo).
///
/// # Errors
/// On a database error.
pub fn delete_photo(conn: &mut DbConn, space_id: &SpaceId, photo_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(
        space_photos::table.filter(space_photos::id.eq(photo_id)).filter(space_photos::space_id.eq(space_id)),
    )
    .execute(conn)?)
}
