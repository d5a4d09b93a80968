//! Answers for files addressed by their content (space photos, floor plans): the address carries
//! a hash of the file, so a new file is a new address and an answer may be cached for a year. A
//! browser's `If-None-Match` naming the hash is answered 304 once the caller has checked that the
//! file is still there (a removed file is 404 at every address).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};

/// A year, never revalidated: the content at an address never changes.
const CACHE_FOR_A_YEAR: &str = "public, max-age=31536000, immutable";

/// The hash in a file name such as `0f3a….svg`; `None` when the name is not one.
pub fn hash_in(file: &str, extension: &str) -> Option<String> {
    let hash = file.strip_suffix(extension)?.strip_suffix('.')?;
    (!hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hash.to_owned())
}

fn etag(hash: &str) -> String {
    format!("\"{hash}\"")
}

/// Whether the browser says it holds the file with this hash.
pub fn is_cached(req: &HttpRequest, hash: &str) -> bool {
    let etag = etag(hash);
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag))
}

/// 304: the browser's copy is current.
pub fn not_modified(hash: &str) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header((header::ETAG, etag(hash)))
        .insert_header((header::CACHE_CONTROL, CACHE_FOR_A_YEAR))
        .finish()
}

/// 200 with the file's type, caching and tag; the caller adds the body (and any header of its
/// kind of file).
pub fn file(hash: &str, content_type: &'static str) -> HttpResponseBuilder {
    let mut answer = HttpResponse::Ok();
    answer
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, CACHE_FOR_A_YEAR))
        .insert_header((header::ETAG, etag(hash)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_hashes_with_the_extension_are_addresses() {
        assert_eq!(hash_in("0f3a.svg", "svg").as_deref(), Some("0f3a"));
        assert_eq!(hash_in("0f3a.jpg", "svg"), None);
        assert_eq!(hash_in(".svg", "svg"), None);
        assert_eq!(hash_in("../x.svg", "svg"), None);
        assert_eq!(hash_in("0f3asvg", "svg"), None);
    }
}
