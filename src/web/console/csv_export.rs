//! CSV downloads as a German spreadsheet opens them right: UTF-8 with a byte order mark,
//! semicolon-separated, CRLF line ends, every field quoted where needed by the `csv` crate.
//! Every cell is written as text a spreadsheet shows, never as a formula it runs: the names and
//! addresses in an export are typed by members. Every instant is written one way, by
//! [`csv_time`], whatever the export and the viewer's language.

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::super::pages::PageError;

/// An instant in an export: ISO 8601 local time in the hub's zone with its offset
/// ("2026-12-06T10:51:21+01:00"). Spreadsheets and scripts both read it, and the offset tells
/// apart the two 02:30 of the night the clocks go back.
pub fn csv_time(instant: DateTime<Utc>, tz: Tz) -> String {
    instant.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Writes `header` and `rows` as CSV and answers with it as a download named `filename`.
///
/// # Errors
/// `Internal` if writing fails (it only writes to memory).
pub fn csv_download(filename: &str, header: &[String], rows: &[Vec<String>]) -> Result<HttpResponse, PageError> {
    let body = csv_bytes(header, rows).map_err(|error| {
        tracing::error!(%error, "CSV export failed");
        PageError::Internal
    })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The CSV bytes: BOM, header row, rows; every cell through [`spreadsheet_text`].
///
/// # Errors
/// When the writer fails.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header.iter().map(|cell| spreadsheet_text(cell)))?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| spreadsheet_text(cell)))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell as a spreadsheet shows it, never runs it: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return would start a formula, so such text gets a leading apostrophe. Here, in the
/// one writer, so that no export can forget it for a cell a member typed.
fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn instants_are_local_iso_8601_with_the_offset() {
        let winter = "2026-12-06T09:51:21Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(csv_time(winter, chrono_tz::Europe::Berlin), "2026-12-06T10:51:21+01:00");
        let summer = "2026-07-01T07:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(csv_time(summer, chrono_tz::Europe::Berlin), "2026-07-01T09:00:00+02:00");
        // The night the clocks go back has 02:30 twice; the offset tells them apart.
        let first = "2026-10-25T00:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let second = "2026-10-25T01:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(csv_time(first, chrono_tz::Europe::Berlin), "2026-10-25T02:30:00+02:00");
        assert_eq!(csv_time(second, chrono_tz::Europe::Berlin), "2026-10-25T02:30:00+01:00");
    }

    #[test]
    fn starts_with_a_bom_and_separates_with_semicolons() {
        let bytes =
            csv_bytes(&["Raum".into(), "Notiz".into()], &[vec!["Schreibtisch 1".into(), "a;b \"c\"".into()]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}Raum;Notiz\r\nSchreibtisch 1;\"a;b \"\"c\"\"\"\r\n");
    }

    #[test]
    fn text_that_looks_like_a_formula_is_defused() {
        assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_text("-1+2"), "'-1+2");
        assert_eq!(spreadsheet_text("+49 2654"), "'+49 2654");
        assert_eq!(spreadsheet_text("\tx"), "'\tx");
        assert_eq!(spreadsheet_text("Erika Mustermann"), "Erika Mustermann");
        assert_eq!(spreadsheet_text(""), "");
    }

    #[test]
    fn every_cell_of_every_row_is_defused() {
        let bytes = csv_bytes(&["Name".into()], &[vec!["=1+1".into()], vec!["@x".into()]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}Name\r\n'=1+1\r\n'@x\r\n");
    }
}
