//! The day view's filter form (kind, equipment, accessibility): a plain GET form, read from the
//! query string and written back into the page so the date links and the date picker keep it.
//! Which spaces pass is decided by the domain's `SpaceFilter` in the service.

use crate::domain::space_details::{AccessibilityFact, Equipment, SpaceFilter};
use crate::domain::vocabulary::SpaceKind;
use crate::i18n::{self, Lang};

use super::messages::kind_label;

/// One choice of the form.
pub struct FilterChoice {
    pub name: &'static str,
    pub value: &'static str,
    pub label: String,
    pub chosen: bool,
}

/// The filter as the day view shows it.
pub struct DayFilterView {
    pub kinds: Vec<FilterChoice>,
    pub equipment: Vec<FilterChoice>,
    pub accessibility: Vec<FilterChoice>,
    /// The filter's query pairs, for hidden fields of the date form.
    pub pairs: Vec<(&'static str, &'static str)>,
    /// `&kind=room&equipment=monitor…`, appended to the previous/next day links ("" unfiltered).
    pub query: String,
    pub active: bool,
    /// Whether the page shows the form: when asked for (`filter=1`, the link's) or filtering.
    /// Otherwise a link to it keeps the day view of a big hub within its byte budget.
    pub open: bool,
    /// No kind chosen: "any kind" is the ticked choice.
    pub any_kind: bool,
}

/// The filter a query string asks for (unknown words are ignored).
pub fn filter_of(query: &str) -> SpaceFilter {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    SpaceFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Whether the query asks for the filter form (`filter=1`).
pub fn form_asked(query: &str) -> bool {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.iter().any(|(k, v)| k == "filter" && v == "1")
}

impl DayFilterView {
    pub fn new(lang: Lang, filter: &SpaceFilter, asked: bool) -> DayFilterView {
        let pairs = filter.query_pairs();
        let query = pairs.iter().map(|(k, v)| format!("&{k}={v}")).collect();
        DayFilterView {
            kinds: SpaceKind::ALL
                .iter()
                .map(|k| FilterChoice {
                    name: "kind",
                    value: k.as_str(),
                    label: kind_label(lang, *k),
                    chosen: filter.kind == Some(*k),
                })
                .collect(),
            equipment: Equipment::ALL
                .iter()
                .map(|e| FilterChoice {
                    name: "equipment",
                    value: e.as_str(),
                    label: i18n::t(lang, &format!("space-equipment-{e}")),
                    chosen: filter.equipment.contains(*e),
                })
                .collect(),
            accessibility: AccessibilityFact::ALL
                .iter()
                .map(|a| FilterChoice {
                    name: "access",
                    value: a.as_str(),
                    label: i18n::t(lang, &format!("space-accessibility-{a}")),
                    chosen: filter.accessibility.contains(*a),
                })
                .collect(),
            active: filter.is_active(),
            open: asked || filter.is_active(),
            any_kind: filter.kind.is_none(),
            pairs,
            query,
        }
    }
}
