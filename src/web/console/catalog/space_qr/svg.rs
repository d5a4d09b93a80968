//! The check-in QR code as SVG, drawn from the `qrcode` crate's module matrix: the bare code for
//! the HTML sheet, and a standalone A4 document (the code, the space's and hub's names, one line
//! of instructions and the address in writing) to download and print. Every text is
//! XML-escaped here, and nothing else writes SVG. What the texts say, and in which language, is
//! the caller's business; no I/O, no translation here.

use std::fmt::Write as _;

use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode};

/// White modules around the code, as the QR specification asks for.
const QUIET_ZONE: usize = 4;
/// Width of an A4 page in millimetres, the document's user unit.
const PAGE_WIDTH: f64 = 210.0;
/// Width a line of text may take, leaving a margin on both sides.
const LINE_WIDTH: f64 = 180.0;

/// The words on the A4 sheet, already in the reader's language, not yet escaped.
pub struct SheetText<'a> {
    /// BCP 47 code of the words' language.
    pub lang: &'a str,
    pub space: &'a str,
    pub hub: &'a str,
    /// The short instruction above the code ("scan to check in").
    pub scan: &'a str,
    /// The address the code encodes, written out for anyone who cannot scan.
    pub url: &'a str,
}

/// The QR code of `url` as an SVG element to put inline into an HTML page (no XML declaration).
///
/// # Errors
/// When the address is too long for a QR code.
pub fn code_element(url: &str) -> Result<String, QrError> {
    let code = encode(url)?;
    let side = code.width() + 2 * QUIET_ZONE;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" {}>{}</svg>"##,
        code_view_box(side),
        code_body(&code, side)
    ))
}

/// A standalone A4 SVG document with the QR code of `text.url` and the sheet's words.
///
/// # Errors
/// When the address is too long for a QR code.
pub fn a4_sheet(text: &SheetText<'_>) -> Result<String, QrError> {
    let code = encode(text.url)?;
    let side = code.width() + 2 * QUIET_ZONE;
    let centre = PAGE_WIDTH / 2.0;
    let space_size = fitting_size(text.space, 14.0, 0.62);
    let url_size = fitting_size(text.url, 6.0, 0.6);
    let mut doc = String::with_capacity(4096);
    doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        doc,
        r##"<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{lang}" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="sans-serif" text-anchor="middle">"##,
        lang = escape(text.lang)
    );
    let _ = writeln!(doc, "<title>{} – {}</title>", escape(text.space), escape(text.hub));
    doc.push_str("<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n");
    let _ = writeln!(
        doc,
        r#"<text x="{centre}" y="45" font-size="{space_size:.1}" font-weight="bold">{}</text>"#,
        escape(text.space)
    );
    let _ = writeln!(doc, r#"<text x="{centre}" y="60" font-size="9">{}</text>"#, escape(text.hub));
    let _ =
        writeln!(doc, r#"<text x="{centre}" y="82" font-size="10" font-weight="bold">{}</text>"#, escape(text.scan));
    let _ = writeln!(
        doc,
        r#"<svg x="40" y="92" width="130" height="130" {}>{}</svg>"#,
        code_view_box(side),
        code_body(&code, side)
    );
    let _ = writeln!(
        doc,
        r#"<text x="{centre}" y="240" font-size="{url_size:.1}" font-family="monospace">{}</text>"#,
        escape(text.url)
    );
    doc.push_str("</svg>\n");
    Ok(doc)
}

fn encode(url: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
}

/// The code's coordinate system: one unit per module, the quiet zone before (0, 0).
fn code_view_box(side: usize) -> String {
    format!(r#"viewBox="-{QUIET_ZONE} -{QUIET_ZONE} {side} {side}" shape-rendering="crispEdges""#)
}

/// A white square with the quiet zone, then one path of the dark modules, row by row, each run
/// of dark modules one rectangle.
fn code_body(code: &QrCode, side: usize) -> String {
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width.max(1)).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                let _ = write!(path, "M{x} {y}h{run}v1h-{run}z");
                x += run;
            } else {
                x += 1;
            }
        }
    }
    format!(
        r##"<rect x="-{QUIET_ZONE}" y="-{QUIET_ZONE}" width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/>"##
    )
}

/// A font size (in mm) at which `text` fits on one line, at most `largest`; `advance` is the
/// font's average glyph width in em.
fn fitting_size(text: &str, largest: f64, advance: f64) -> f64 {
    let chars = text.chars().count().max(1) as f64;
    (LINE_WIDTH / (chars * advance)).clamp(2.0, largest)
}

/// `text` as XML character data or attribute value: markup characters escaped, characters XML
/// does not allow (controls, non-characters) written as a space.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    const URL: &str = "https://buchen.regiohub.example/check-in/0190";

    #[test]
    fn the_code_is_an_inline_svg_element() {
        let svg = code_element(URL).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("<path fill=\"#000\" d=\"M"), "{svg}");
    }

    #[test]
    fn the_sheet_is_an_a4_document_with_every_text_escaped() {
        let text = SheetText {
            lang: "en",
            space: "Room <A> & \"B\"",
            hub: "Hub 'Mayen'\u{7}",
            scan: "Scan to check in",
            url: URL,
        };
        let svg = a4_sheet(&text).unwrap();
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "), "{svg}");
        assert!(svg.contains(r#"width="210mm" height="297mm" viewBox="0 0 210 297""#));
        assert!(svg.contains(r#"xml:lang="en""#));
        assert!(svg.contains("Room &lt;A&gt; &amp; &quot;B&quot;"), "{svg}");
        assert!(svg.contains("Hub &apos;Mayen&apos; <"), "{svg}");
        assert!(!svg.contains("<A>") && !svg.contains('\u{7}'));
        assert!(svg.contains(&format!(">{URL}</text>")) && svg.contains(">Scan to check in</text>"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn the_drawn_modules_are_the_codes_dark_modules() {
        let code = encode(URL).unwrap();
        let dark = code.to_colors().iter().filter(|c| **c == Color::Dark).count();
        let body = code_body(&code, code.width() + 2 * QUIET_ZONE);
        let drawn: usize = body
            .split('M')
            .skip(1)
            .map(|rect| rect.split('h').nth(1).unwrap().split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(drawn, dark);
    }

    #[test]
    fn long_names_get_smaller_type() {
        assert_eq!(fitting_size("Desk 1", 14.0, 0.62), 14.0);
        assert!(fitting_size(&"x".repeat(60), 14.0, 0.62) < 5.0);
    }
}
