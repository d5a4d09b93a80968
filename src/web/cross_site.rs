//! Refuses cross-site state-changing requests with 403 before any handler runs: a request other
//! than GET/HEAD whose `Origin` names another site, or that the browser marks
//! `Sec-Fetch-Site: cross-site`. Browsers send these headers on their own and pages cannot forge
//! them, so this stops forged form posts even where a CSRF token check were forgotten. It applies
//! to the JSON API too (programs send no `Origin`, browsers on other sites do).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::state::AppState;

/// The middleware; wrap it inside the error pages so the 403 gets a friendly page.
///
/// # Errors
/// Whatever the wrapped service returns.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if changes_state(req.method()) && is_cross_site(&req) {
        tracing::warn!(method = %req.method(), path = req.path(), "cross-site request refused");
        return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn changes_state(method: &Method) -> bool {
    method != Method::GET && method != Method::HEAD
}

fn is_cross_site(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|site| site.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let public_url = req.app_data::<web::Data<AppState>>().map(|s| s.settings.public_url.clone()).unwrap_or_default();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    !is_own_origin(origin, &public_url, host)
}

/// Whether `origin` (`scheme://host[:port]`, or `null`) is this service: the origin of
/// `public_url`, or the host the request was sent to.
fn is_own_origin(origin: &str, public_url: &str, host: &str) -> bool {
    let origin = origin.trim().trim_end_matches('/');
    let Some((_, origin_authority)) = origin.split_once("://") else {
        return false;
    };
    let public_origin = origin_of(public_url);
    origin.eq_ignore_ascii_case(&public_origin) || (!host.is_empty() && origin_authority.eq_ignore_ascii_case(host))
}

/// `scheme://authority` of a URL.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_origins_are_the_public_url_or_the_requested_host() {
        let public = "https://buchen.regiohub.example/";
        assert!(is_own_origin("https://buchen.regiohub.example", public, "internal:8080"));
        assert!(is_own_origin("http://127.0.0.1:8080", public, "127.0.0.1:8080"));
        assert!(!is_own_origin("https://evil.example", public, "buchen.regiohub.example"));
        assert!(!is_own_origin("https://buchen.regiohub.example.evil.example", public, ""));
        assert!(!is_own_origin("null", public, "buchen.regiohub.example"));
        assert!(!is_own_origin("http://buchen.regiohub.example:8443", public, "buchen.regiohub.example"));
    }
}
