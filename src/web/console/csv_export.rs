//! CSV downloads as a German spreadsheet opens them right: UTF-8 with a byte order mark,
//! semicolon-separated, CRLF line ends, every field quoted where needed by the `csv` crate.

use actix_web::HttpResponse;
use actix_web::http::header;

use super::super::pages::PageError;

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

/// The CSV bytes: BOM, header row, rows.
///
/// # Errors
/// When the writer fails.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn starts_with_a_bom_and_separates_with_semicolons() {
        let bytes =
            csv_bytes(&["Raum".into(), "Notiz".into()], &[vec!["Schreibtisch 1".into(), "a;b \"c\"".into()]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}Raum;Notiz\r\nSchreibtisch 1;\"a;b \"\"c\"\"\"\r\n");
    }
}
