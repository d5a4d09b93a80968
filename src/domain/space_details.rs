//! What a member learns about a space before booking it: its equipment and accessibility facts
//! (closed sets), the filter of the hub's day view over them, and the rules for a space's photos
//! (how many, how large, the alt texts). Decoding and storing images is not here.

use regiohub_hardware::closed_set;
pub use regiohub_hardware::vocabulary::UnknownValue;

use super::vocabulary::SpaceKind;

closed_set!(
    /// A piece of equipment a space offers; members filter the day view by it.
    Equipment, "equipment" {
        Monitor => "monitor",
        HeightAdjustableDesk => "height_adjustable_desk",
        Whiteboard => "whiteboard",
        VideoConferencing => "video_conferencing",
        Projector => "projector",
        DockingStation => "docking_station",
    }
);

closed_set!(
    /// A fact about reaching and using a space without barriers.
    AccessibilityFact, "accessibility fact" {
        StepFreeAccess => "step_free_access",
        AccessibleToiletNearby => "accessible_toilet_nearby",
        HearingLoop => "hearing_loop",
        AccessibleParking => "accessible_parking",
        /// A door at least 90 cm wide.
        WideDoor => "wide_door",
    }
);

/// The longest description staff may write (a few paragraphs, shown as plain text).
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
/// How many photos a space shows at most.
pub const MAX_PHOTOS: usize = 3;
/// The largest upload taken, in bytes (a phone photo fits; anything larger is refused unread).
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The largest image decoded, in pixels per side: a bigger one is refused before its pixels are
/// allocated (a small file can claim a huge image).
pub const MAX_DECODED_SIDE: u32 = 8000;
/// The most memory a decoder may allocate.
pub const MAX_DECODE_ALLOCATION: u64 = 256 * 1024 * 1024;
/// The box every stored photo fits in (aspect kept; smaller ones are not enlarged).
pub const STORED_MAX_WIDTH: u32 = 1600;
pub const STORED_MAX_HEIGHT: u32 = 1200;
/// The longest alt text, in characters: a sentence, not an essay.
pub const ALT_MAX_CHARS: usize = 250;

/// A set of values of one closed set, stored as their texts separated by spaces in the set's
/// canonical order (so equal sets are stored alike).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSet<T>(Vec<T>);

impl<T> Default for FeatureSet<T> {
    fn default() -> Self {
        FeatureSet(Vec::new())
    }
}

/// The closed sets a [`FeatureSet`] can hold.
pub trait Feature: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn text(&self) -> &'static str;
    /// # Errors
    /// A text that is none of the set's forms.
    fn read(text: &str) -> Result<Self, UnknownValue>;
}

impl Feature for Equipment {
    const ALL: &'static [Self] = Equipment::ALL;
    fn text(&self) -> &'static str {
        self.as_str()
    }
    fn read(text: &str) -> Result<Self, UnknownValue> {
        Equipment::parse(text)
    }
}

impl Feature for AccessibilityFact {
    const ALL: &'static [Self] = AccessibilityFact::ALL;
    fn text(&self) -> &'static str {
        self.as_str()
    }
    fn read(text: &str) -> Result<Self, UnknownValue> {
        AccessibilityFact::parse(text)
    }
}

impl<T: Feature> FeatureSet<T> {
    /// The set of the given values, in canonical order, each once.
    pub fn of(values: impl IntoIterator<Item = T>) -> Self {
        let given: Vec<T> = values.into_iter().collect();
        FeatureSet(T::ALL.iter().copied().filter(|v| given.contains(v)).collect())
    }

    /// Reads the stored form.
    ///
    /// # Errors
    /// The first word that is none of the set's values: stored data is never silently dropped.
    pub fn parse(stored: &str) -> Result<Self, UnknownValue> {
        let values = stored.split_whitespace().map(T::read).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::of(values))
    }

    /// The stored form: texts in canonical order, separated by one space ("" when empty).
    pub fn as_stored(&self) -> String {
        self.0.iter().map(Feature::text).collect::<Vec<_>>().join(" ")
    }

    pub fn contains(&self, value: T) -> bool {
        self.0.contains(&value)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.0.iter().copied()
    }

    /// Whether every value of `wanted` is in this set.
    pub fn covers(&self, wanted: &FeatureSet<T>) -> bool {
        wanted.0.iter().all(|v| self.0.contains(v))
    }
}

/// The day view's filter: a kind, and equipment and accessibility facts a space must all have.
/// An empty filter lets every space through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpaceFilter {
    pub kind: Option<SpaceKind>,
    pub equipment: FeatureSet<Equipment>,
    pub accessibility: FeatureSet<AccessibilityFact>,
}

impl SpaceFilter {
    /// The filter a query string asks for: `kind`, repeated `equipment` and `access` values.
    /// Words that are none of the sets' values are ignored, as a link may be old or typed by hand.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> SpaceFilter {
        let (mut kind, mut equipment, mut accessibility) = (None, Vec::new(), Vec::new());
        for (key, value) in pairs {
            match key {
                "kind" => kind = SpaceKind::parse(value).ok().or(kind),
                "equipment" => equipment.extend(Equipment::parse(value).ok()),
                "access" => accessibility.extend(AccessibilityFact::parse(value).ok()),
                _ => {}
            }
        }
        SpaceFilter { kind, equipment: FeatureSet::of(equipment), accessibility: FeatureSet::of(accessibility) }
    }

    /// Whether the filter asks for anything.
    pub fn is_active(&self) -> bool {
        self.kind.is_some() || !self.equipment.is_empty() || !self.accessibility.is_empty()
    }

    /// Whether a space of this kind with these features passes.
    pub fn admits(
        &self,
        kind: SpaceKind,
        equipment: &FeatureSet<Equipment>,
        accessibility: &FeatureSet<AccessibilityFact>,
    ) -> bool {
        self.kind.is_none_or(|k| k == kind)
            && equipment.covers(&self.equipment)
            && accessibility.covers(&self.accessibility)
    }

    /// The filter as query pairs, so the day view's date links keep it (`&kind=desk&…`).
    pub fn query_pairs(&self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = Vec::new();
        if let Some(kind) = self.kind {
            pairs.push(("kind", kind.as_str()));
        }
        pairs.extend(self.equipment.iter().map(|e| ("equipment", e.as_str())));
        pairs.extend(self.accessibility.iter().map(|a| ("access", a.as_str())));
        pairs
    }
}

/// Why a photo's alt text cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AltProblem {
    Missing,
    TooLong,
}

/// A photo's alt texts: German required (what the photo shows, for people who cannot see it),
/// English optional (English pages fall back to the German one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AltTexts {
    de: String,
    en: Option<String>,
}

impl AltTexts {
    /// # Errors
    /// Which field is wrong and why: `("alt_de", Missing)` for an empty German text, `TooLong`
    /// past [`ALT_MAX_CHARS`].
    pub fn parse(de: &str, en: &str) -> Result<AltTexts, Vec<(&'static str, AltProblem)>> {
        let (de, en) = (one_line(de), one_line(en));
        let mut problems = Vec::new();
        if de.is_empty() {
            problems.push(("alt_de", AltProblem::Missing));
        } else if de.chars().count() > ALT_MAX_CHARS {
            problems.push(("alt_de", AltProblem::TooLong));
        }
        if en.chars().count() > ALT_MAX_CHARS {
            problems.push(("alt_en", AltProblem::TooLong));
        }
        if problems.is_empty() { Ok(AltTexts { de, en: (!en.is_empty()).then_some(en) }) } else { Err(problems) }
    }

    pub fn de(&self) -> &str {
        &self.de
    }

    pub fn en(&self) -> Option<&str> {
        self.en.as_deref()
    }
}

/// Trimmed, with line breaks and runs of blanks made one space (alt texts are one line).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The size a photo of `width` × `height` is stored at: fitted into the stored box, aspect kept,
/// never enlarged, at least one pixel per side.
pub fn stored_size(width: u32, height: u32) -> (u32, u32) {
    if width <= STORED_MAX_WIDTH && height <= STORED_MAX_HEIGHT {
        return (width, height);
    }
    let scale =
        f64::min(f64::from(STORED_MAX_WIDTH) / f64::from(width), f64::from(STORED_MAX_HEIGHT) / f64::from(height));
    let fit = |side: u32| {
        // Rounded, within the box (the product is below the box's side, so it fits a u32).
        let scaled = (f64::from(side) * scale).round();
        if scaled < 1.0 { 1 } else { scaled as u32 }
    };
    (fit(width).min(STORED_MAX_WIDTH), fit(height).min(STORED_MAX_HEIGHT))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn feature_sets_are_stored_in_canonical_order_and_unknown_words_fail() {
        let set = FeatureSet::of([Equipment::Whiteboard, Equipment::Monitor, Equipment::Whiteboard]);
        assert_eq!(set.as_stored(), "monitor whiteboard");
        assert_eq!(FeatureSet::<Equipment>::parse("whiteboard  monitor").unwrap(), set);
        assert_eq!(FeatureSet::<Equipment>::parse("").unwrap().as_stored(), "");
        let error = FeatureSet::<AccessibilityFact>::parse("step_free_access lift").unwrap_err();
        assert_eq!(error.given, "lift");
    }

    #[test]
    fn the_filter_admits_only_spaces_with_everything_asked_for() {
        let filter = SpaceFilter::from_pairs([
            ("kind", "room"),
            ("equipment", "monitor"),
            ("equipment", "beamer"),
            ("access", "step_free_access"),
            ("date", "2026-12-08"),
        ]);
        assert!(filter.is_active());
        assert_eq!(filter.query_pairs(), [("kind", "room"), ("equipment", "monitor"), ("access", "step_free_access")]);
        let all_equipment = FeatureSet::of(Equipment::ALL.iter().copied());
        let step_free = FeatureSet::of([AccessibilityFact::StepFreeAccess]);
        assert!(filter.admits(SpaceKind::Room, &all_equipment, &step_free));
        assert!(!filter.admits(SpaceKind::Desk, &all_equipment, &step_free));
        assert!(!filter.admits(SpaceKind::Room, &FeatureSet::of([Equipment::Whiteboard]), &step_free));
        assert!(!filter.admits(SpaceKind::Room, &all_equipment, &FeatureSet::default()));
        let none = SpaceFilter::from_pairs([("kind", "castle")]);
        assert!(!none.is_active());
        assert!(none.admits(SpaceKind::Desk, &FeatureSet::default(), &FeatureSet::default()));
    }

    #[test]
    fn alt_texts_need_german_and_stay_short() {
        let alt = AltTexts::parse("  Ein Schreibtisch\n am Fenster ", "").unwrap();
        assert_eq!((alt.de(), alt.en()), ("Ein Schreibtisch am Fenster", None));
        assert_eq!(AltTexts::parse(" ", "A desk").unwrap_err(), [("alt_de", AltProblem::Missing)]);
        let long = "x".repeat(ALT_MAX_CHARS + 1);
        assert_eq!(AltTexts::parse("ok", &long).unwrap_err(), [("alt_en", AltProblem::TooLong)]);
    }

    #[test]
    fn photos_fit_the_box_with_their_aspect_and_are_never_enlarged() {
        assert_eq!(stored_size(800, 600), (800, 600));
        assert_eq!(stored_size(4000, 3000), (1600, 1200));
        assert_eq!(stored_size(3000, 1000), (1600, 533));
        assert_eq!(stored_size(1000, 3000), (400, 1200));
        assert_eq!(stored_size(8000, 1), (1600, 1));
    }
}
