//! The span every request is logged in: method, route pattern, status and request id — never
//! the path itself, the query, the client's address or its user agent. Paths carry secrets
//! (a calendar feed's address, a verification or reset link, a check-in token) and addresses and
//! agents are personal data; the route pattern (`/calendar/{file}`) tells enough.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

/// The [`RootSpanBuilder`] of the service's request log.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        match outcome {
            Ok(response) => {
                span.record("http.status_code", response.status().as_u16());
                if let Some(error) = response.response().error() {
                    span.record("exception.message", tracing::field::display(error));
                }
            }
            Err(error) => {
                span.record("http.status_code", error.as_response_error().status_code().as_u16());
                span.record("exception.message", tracing::field::display(error));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use actix_web::{App, HttpResponse, test, web};
    use tracing_actix_web::TracingLogger;

    use super::RequestSpan;

    /// Collects what the log subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[actix_web::test]
    async fn the_request_log_names_the_route_but_never_the_path_or_the_client() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(App::new().wrap(TracingLogger::<RequestSpan>::new()).route(
            "/calendar/{file}",
            web::get().to(|| async {
                tracing::info!("feed served");
                HttpResponse::Ok().finish()
            }),
        ))
        .await;
        let request = test::TestRequest::get()
            .uri("/calendar/rhcal_secret-part.ics?x=query-part")
            .insert_header(("User-Agent", "agent-part"))
            .peer_addr("203.0.113.9:4000".parse().unwrap())
            .to_request();
        let response = test::call_service(&app, request).await;
        assert!(response.status().is_success());
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("feed served"), "the event is logged: {log}");
        assert!(log.contains("/calendar/{file}"), "the route pattern is logged: {log}");
        for secret in ["secret-part", "query-part", "agent-part", "203.0.113.9"] {
            assert!(!log.contains(secret), "{secret} must not be logged: {log}");
        }
    }
}
