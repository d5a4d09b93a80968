//! Languages: German by default, English beside it. Every visible string comes from the Fluent
//! catalogues in `locales/<lang>/*.ftl` (one file per area), compiled into the binary; dates and times are shown in
//! the hub's zone with the language's formats.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use parking_lot::RwLock;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "de",
        // No Unicode isolation marks around arguments: they end up in e-mails and plain text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static GERMAN: LanguageIdentifier = langid!("de");
static ENGLISH: LanguageIdentifier = langid!("en");

/// A language the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// The BCP 47 code, for `lang=""` attributes and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch ("Deutsch", "English").
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
        }
    }

    /// A stored or submitted code; anything unknown is `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best match for an `Accept-Language` header, German when nothing matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && quality > 0.0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::De, |(_, lang)| lang)
    }

    /// The language's place in per-language tables (its place in [`Lang::ALL`]).
    fn index(self) -> usize {
        match self {
            Lang::De => 0,
            Lang::En => 1,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::De => &GERMAN,
            Lang::En => &ENGLISH,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The catalogue's text for `key`. A missing key shows as Fluent's "Unknown localization key"
/// with the key, which the catalogue test catches before it reaches anyone.
pub fn t(lang: Lang, key: &str) -> String {
    let resolved = &RESOLVED[lang.index()];
    if let Some(text) = resolved.read().get(key) {
        return text.clone();
    }
    let text = LOCALES.lookup(lang.id(), key);
    resolved.write().insert(key.to_owned(), text.clone());
    text
}

/// Messages without arguments, per language, as resolved once: the catalogues are compiled in
/// and never change while the process runs, and a page asks for the same few dozen labels on
/// every request (resolving one through Fluent is a language negotiation, a bundle lookup and a
/// pattern walk). Bounded by the keys the code asks for: literals, or built from fixed sets (no key
/// comes from a request).
static RESOLVED: LazyLock<[RwLock<HashMap<String, String>>; Lang::ALL.len()]> = LazyLock::new(Default::default);

/// The catalogue's text for `key` with named arguments (`{ $name }` in the .ftl file).
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    // Whole numbers go in as numbers so that plural selectors ("[one]", "[0]") match them.
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| {
            let value = match value.parse::<i64>() {
                Ok(number) => FluentValue::from(number),
                Err(_) => FluentValue::from(value.clone()),
            };
            (Cow::Borrowed(*name), value)
        })
        .collect();
    LOCALES.lookup_with_args(lang.id(), key, &map)
}

/// A day as people write it: "Di., 24.11.2026" / "Tue, 24 Nov 2026".
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    let weekday = t(lang, &format!("weekday-short-{}", date.weekday().number_from_monday()));
    match lang {
        Lang::De => format!("{weekday}, {}", date.format("%d.%m.%Y")),
        Lang::En => {
            format!("{weekday}, {} {} {}", date.day(), t(lang, &format!("month-short-{}", date.month())), date.year())
        }
    }
}

/// A day without the weekday: "24.11.2026" / "24 Nov 2026".
pub fn format_short_date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::De => date.format("%d.%m.%Y").to_string(),
        Lang::En => format!("{} {} {}", date.day(), t(lang, &format!("month-short-{}", date.month())), date.year()),
    }
}

/// A time of day in the zone, 24-hour in both languages: "09:00". Written from the hour and
/// minute rather than through a `strftime` pattern, which chrono parses again on every call (a
/// day view formats a few hundred times).
pub fn format_time(instant: DateTime<Utc>, tz: Tz) -> String {
    let local = instant.with_timezone(&tz);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Day and time in the zone: "Di., 24.11.2026, 09:00".
pub fn format_date_time(lang: Lang, instant: DateTime<Utc>, tz: Tz) -> String {
    let local = instant.with_timezone(&tz);
    format!("{}, {:02}:{:02}", format_date(lang, local.date_naive()), local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every catalogue file of a language, concatenated (each area keeps its own file).
    fn catalogue(lang: &str) -> String {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .map(|p| std::fs::read_to_string(p).unwrap() + "\n")
            .collect()
    }

    fn keys(lang: &str) -> Vec<String> {
        let text = catalogue(lang);
        text.lines()
            .filter(|l| !l.starts_with(['#', ' ', '\t', '.', '*', '[']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_owned())
            .collect()
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let (mut de, mut en) = (keys("de"), keys("en"));
        de.sort();
        en.sort();
        for keys in [&de, &en] {
            let doubled: Vec<_> = keys.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
            assert!(doubled.is_empty(), "keys defined twice across the catalogue files: {doubled:?}");
        }
        let only_de: Vec<_> = de.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !de.contains(k)).collect();
        assert!(only_de.is_empty() && only_en.is_empty(), "only in de: {only_de:?}; only in en: {only_en:?}");
        // Messages with placeholders only format with their arguments: give every name used.
        let text = catalogue("de");
        let mut names: Vec<&'static str> = text
            .split("$")
            .skip(1)
            .map(|rest| rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).next().unwrap())
            .map(|name| &*Box::leak(name.to_owned().into_boxed_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        let args: Vec<(&'static str, String)> = names.iter().map(|n| (*n, "1".to_owned())).collect();
        for key in &de {
            for lang in Lang::ALL {
                let text = t_args(lang, key, &args);
                assert!(
                    !text.is_empty() && text != *key && !text.contains("Unknown localization"),
                    "{key} ({lang}): {text}"
                );
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,de;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr-FR,de;q=0.5,en;q=0.4"), Lang::De);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::De);
        assert_eq!(Lang::from_accept_language(""), Lang::De);
        assert_eq!(Lang::from_accept_language("de;q=0.2, en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0"), Lang::De);
    }

    #[test]
    fn dates_use_each_languages_format() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(format_date(Lang::De, day), "Di., 24.11.2026");
        assert_eq!(format_date(Lang::En, day), "Tue, 24 Nov 2026");
        let instant = DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(format_time(instant, chrono_tz::Europe::Berlin), "03:30");
        assert_eq!(format_time(instant, chrono_tz::America::St_Johns), "23:00");
        assert_eq!(format_date_time(Lang::De, instant, chrono_tz::Europe::Berlin), "So., 29.03.2026, 03:30");
    }

    #[test]
    fn a_message_resolved_once_stays_in_its_own_language() {
        for _ in 0..2 {
            assert_eq!(t(Lang::De, "slot-free"), "frei");
            assert_eq!(t(Lang::En, "slot-free"), "free");
            assert!(t(Lang::En, "no-such-key-anywhere").contains("\"no-such-key-anywhere\""));
        }
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(t_args(Lang::En, "hubs-free-desks", &[("count", "3".to_owned())]), "3 desks still free today");
        assert_eq!(t_args(Lang::De, "hubs-free-desks", &[("count", "1".to_owned())]), "Heute noch 1 Arbeitsplatz frei");
        assert_eq!(
            t_args(Lang::De, "hubs-free-desks", &[("count", "0".to_owned())]),
            "Heute kein Arbeitsplatz mehr frei"
        );
    }
}
