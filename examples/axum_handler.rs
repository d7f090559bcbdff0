//! A callStatus webhook endpoint in axum 0.8. It reads the raw body,
//! verifies the `FreeClimb-Signature` header, validates the body and responds
//! with 204 No Content, or with 401, 400, 413 or 415 and a JSON error body
//! shaped like the npm package's handlers:
//!
//! ```text
//! {"error":"no_matching_signature","message":"no matching signature among ..."}
//! {"error":"invalid_payload","message":"invalid callStatus payload: ...","issues":[{"path":"/callId","code":"invalid_id",...}]}
//! ```
//!
//! Run it with the account's signing secret:
//!
//! ```sh
//! FREECLIMB_SIGNING_SECRET=sigsec_... cargo run --example axum_handler
//! ```
//!
//! It listens on `127.0.0.1:3000/freeclimb/status`; `PORT` changes the
//! port. `tests/axum_handler.rs` serves [`webhook::router`] on an ephemeral
//! port and sends it signed requests.

// axum and tokio are native-only dev-dependencies, because tokio's sockets
// do not build for wasm32. `wasm-pack test` builds the examples for wasm32
// too, and gets an empty program there.
#[cfg(not(target_arch = "wasm32"))]
pub mod webhook {
    use std::sync::Arc;
    use std::time::{SystemTime, UNIX_EPOCH};

    use axum::body::Bytes;
    use axum::extract::rejection::BytesRejection;
    use axum::extract::{DefaultBodyLimit, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use axum::Router;
    use freeclimb_callstatus::signature::{
        SignatureError, SigningKey, DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER,
    };
    use freeclimb_callstatus::{validate, Issue, Options, Report, DEFAULT_MAX_BYTES};
    use serde_json::{json, Value};

    /// The path of the application's `statusCallbackUrl`, where FreeClimb
    /// posts callStatus requests.
    pub const CALL_STATUS_PATH: &str = "/freeclimb/status";

    /// The signing key and validation options, prepared once at startup.
    struct Webhook {
        key: SigningKey,
        options: Options,
    }

    /// Builds the router that handles callStatus webhooks signed with `secret`.
    ///
    /// Bodies over [`DEFAULT_MAX_BYTES`] get 413 Payload Too Large, and other
    /// methods on the route get axum's 405 Method Not Allowed.
    pub fn router(secret: &str) -> Router {
        let webhook = Webhook {
            key: SigningKey::new(secret),
            options: Options::default(),
        };
        Router::new()
            .route(CALL_STATUS_PATH, post(receive_call_status))
            .layer(DefaultBodyLimit::max(DEFAULT_MAX_BYTES))
            .with_state(Arc::new(webhook))
    }

    /// Verifies, then validates. `Bytes` is the body exactly as received, which
    /// is what FreeClimb signed: parsing it first as JSON would lose those bytes.
    async fn receive_call_status(
        State(webhook): State<Arc<Webhook>>,
        headers: HeaderMap,
        body: Result<Bytes, BytesRejection>,
    ) -> Response {
        if !is_json_content_type(&headers) {
            let body = json!({
                "error": "unsupported_media_type",
                "message": "the Content-Type must be application/json, as FreeClimb sends it, with no charset other than UTF-8",
            });
            return json_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, &body);
        }
        let body = match body {
            Ok(body) => body,
            Err(rejection) => return body_rejection(&rejection),
        };

        // A header with bytes outside visible ASCII still reaches the verifier,
        // which reports it as malformed or not matching.
        let signature_header = headers
            .get(SIGNATURE_HEADER)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .unwrap_or_default();

        let verified = webhook.key.verify_at(
            &body,
            &signature_header,
            unix_now(),
            DEFAULT_TOLERANCE_SECONDS,
        );
        // Rejections are not logged, as in the npm package's handlers, so
        // that a flood of forged requests does not flood the log.
        if let Err(error) = verified {
            return signature_rejection(&error);
        }

        let report = validate(&body, &webhook.options);
        let Some(call) = report.payload.as_ref() else {
            return payload_rejection(&report);
        };

        // A real handler would store the call or hand it to a queue here.
        println!(
            "{} ended: {} after {} s",
            call.call_id,
            call.call_status,
            call.call_duration.unwrap_or(0)
        );
        StatusCode::NO_CONTENT.into_response()
    }

    /// Returns whether the Content-Type declares JSON in UTF-8, the only
    /// charset JSON allows between systems.
    fn is_json_content_type(headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()) else {
            return false;
        };
        let mut parts = value.split(';').map(str::trim);
        let media_type = parts.next().unwrap_or_default();
        if !media_type.eq_ignore_ascii_case("application/json") {
            return false;
        }
        parts.all(|parameter| match parameter.split_once('=') {
            Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => {
                charset.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
    }

    /// Builds the response for a body that could not be read: 413 past the
    /// size limit, otherwise the status axum chose.
    fn body_rejection(rejection: &BytesRejection) -> Response {
        let status = rejection.status();
        let error = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "invalid_body" };
        let body = json!({ "error": error, "message": rejection.body_text() });
        json_response(status, &body)
    }

    /// Builds the 401 response: the stable code and the message, which never
    /// contains the secret.
    fn signature_rejection(error: &SignatureError) -> Response {
        let body = json!({ "error": error.code(), "message": error.to_string() });
        json_response(StatusCode::UNAUTHORIZED, &body)
    }

    /// Builds the 400 response, listing every error and warning of the report.
    fn payload_rejection(report: &Report) -> Response {
        let mut errors = report.errors();
        let mut message = String::from("invalid callStatus payload");
        if let Some(first) = errors.next() {
            message.push_str(": ");
            message.push_str(&first.message);
        }
        let more = errors.count();
        if more > 0 {
            let noun = if more == 1 { "error" } else { "errors" };
            message.push_str(&format!(" (and {more} more {noun})"));
        }

        let issues: Vec<Value> = report
            .errors()
            .chain(report.warnings())
            .map(issue_json)
            .collect();
        let body = json!({ "error": "invalid_payload", "message": message, "issues": issues });
        json_response(StatusCode::BAD_REQUEST, &body)
    }

    /// Converts one issue to the shape the npm package's handlers send.
    fn issue_json(issue: &Issue) -> Value {
        let mut object = json!({
            "path": issue.path,
            "code": issue.code.as_str(),
            "severity": issue.severity.as_str(),
            "message": issue.message,
        });
        if let (Some(start), Some(span)) = (issue.location, issue.span) {
            let end = issue.end_location.unwrap_or(start);
            object["line"] = json!(start.line);
            object["column"] = json!(start.column);
            object["endLine"] = json!(end.line);
            object["endColumn"] = json!(end.column);
            object["offset"] = json!(span.start);
            object["length"] = json!(span.end - span.start);
        }
        object
    }

    fn json_response(status: StatusCode, body: &Value) -> Response {
        let headers = [(header::CONTENT_TYPE, "application/json")];
        (status, headers, body.to_string()).into_response()
    }

    /// Returns the current time in Unix seconds. A clock set before 1970
    /// reads as 0, which then fails the tolerance check rather than panicking.
    fn unix_now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    use std::process::ExitCode;

    // An empty secret would make every request fail with 401, so the server
    // refuses to start instead, as the npm package's handlers do.
    let secret = std::env::var("FREECLIMB_SIGNING_SECRET").unwrap_or_default();
    if secret.trim().is_empty() {
        eprintln!("FREECLIMB_SIGNING_SECRET is not set or empty: set it to the account's signing secret (sigsec_...)");
        return ExitCode::from(2);
    }
    let port = match std::env::var("PORT") {
        Err(_) => 3000,
        Ok(text) => match text.parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("invalid PORT {text:?}: expected a port number from 0 to 65535");
                return ExitCode::from(2);
            }
        },
    };

    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("failed to listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Ok(address) = listener.local_addr() {
        eprintln!("listening on http://{address}{}", webhook::CALL_STATUS_PATH);
    }
    if let Err(error) = axum::serve(listener, webhook::router(&secret)).await {
        eprintln!("server failed: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(target_arch = "wasm32")]
fn main() {}
