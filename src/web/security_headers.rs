//! The headers every answer carries: no sniffing, no framing, no third-party anything, no
//! browser features the pages never use, HTTPS only once the service is reached over HTTPS, and
//! no caching of anything personal. Handlers that know better (static assets, downloads) set
//! their own `Cache-Control`, which is kept.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::AppState;
use crate::web::session::{SESSION_COOKIE_PLAIN, SESSION_COOKIE_SECURE};

/// The pages use no sensors, camera, microphone, location or payment, so none may be asked for,
/// even by an injected script.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), bluetooth=(), \
     camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), \
     midi=(), payment=(), publickey-credentials-get=(), serial=(), usb=(), xr-spatial-tracking=()";

/// Two years, subdomains included: once a browser has seen the service over HTTPS it never
/// falls back to plain HTTP (a downgraded request would carry the session cookie in clear).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// The middleware; wrap it outside the error pages so that they carry the headers too.
///
/// # Errors
/// Whatever the wrapped service returns.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let personal = is_personal(&req);
    let https = is_https(&req);
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    set_unless_present(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_unless_present(headers, header::X_FRAME_OPTIONS, "DENY");
    set_unless_present(headers, header::REFERRER_POLICY, "same-origin");
    set_unless_present(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    );
    set_unless_present(headers, HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    if https {
        set_unless_present(headers, header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY);
    }
    if personal {
        // PINs, bookings and names must not stay in a shared browser's or a proxy's cache.
        set_unless_present(headers, header::CACHE_CONTROL, "no-store");
    }
    Ok(response)
}

/// An answer for someone signed in (a session cookie or a bearer token), or any API answer.
fn is_personal(req: &ServiceRequest) -> bool {
    req.path().starts_with("/api/")
        || req.headers().contains_key(header::AUTHORIZATION)
        || req.cookie(SESSION_COOKIE_SECURE).is_some()
        || req.cookie(SESSION_COOKIE_PLAIN).is_some()
}

/// The configured public URL is HTTPS, or this request came over HTTPS (directly or, as the
/// proxy in front says, to it).
fn is_https(req: &ServiceRequest) -> bool {
    let configured =
        req.app_data::<web::Data<AppState>>().is_some_and(|state| state.settings.public_url.starts_with("https://"));
    configured || req.connection_info().scheme().eq_ignore_ascii_case("https")
}

fn set_unless_present(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
