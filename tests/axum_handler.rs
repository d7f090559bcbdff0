//! Serves the router of `examples/axum_handler.rs` on 127.0.0.1 and sends it
//! real HTTP/1.1 requests: signed, tampered, unsigned, invalid and oversized
//! bodies.

// The example needs tokio's sockets, which do not build for wasm32.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../examples/axum_handler.rs"]
#[allow(dead_code)] // The example's `main` is not used here.
mod example;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use freeclimb_callstatus::signature::sign;
use freeclimb_callstatus::DEFAULT_MAX_BYTES;
use serde_json::Value;

const SECRET: &str = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";

const VALID: &str = concat!(
    r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
    r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
    r#""to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup","#,
    r#""direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","#,
    r#""parentCallId":null}"#
);

/// A response as read off the socket.
struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the response body is JSON")
    }
}

/// Starts the example's router on an ephemeral port, on a thread with its
/// own runtime. The socket is bound before this returns, so requests sent
/// right away wait in the backlog instead of being refused.
fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener
        .set_nonblocking(true)
        .expect("set the listener non-blocking");
    let address = listener.local_addr().expect("read the bound address");

    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("build a tokio runtime");
        runtime.block_on(async move {
            let listener =
                tokio::net::TcpListener::from_std(listener).expect("hand the socket to tokio");
            axum::serve(listener, example::webhook::router(SECRET))
                .await
                .expect("serve the router");
        });
    });
    address
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// Sends one request on a new connection and reads the whole response,
/// which `Connection: close` ends.
fn send(address: SocketAddr, method: &str, signature: Option<&str>, body: &[u8]) -> HttpResponse {
    send_typed(address, method, "application/json", signature, body)
}

/// Sends one request with the given Content-Type, like [`send`].
fn send_typed(address: SocketAddr, method: &str, content_type: &str, signature: Option<&str>, body: &[u8]) -> HttpResponse {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set a read timeout");

    let mut head = format!(
        "{method} {} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        example::webhook::CALL_STATUS_PATH,
        body.len()
    );
    if let Some(value) = signature {
        head.push_str(&format!("FreeClimb-Signature: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .expect("send the request head");
    // The server may respond and close before reading a body it rejects, so a
    // failed write is not an error here: the response is what is checked.
    let _ = stream.write_all(body);

    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> HttpResponse {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("a response head ends with a blank line");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("a status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status code in the status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_owned(),
    }
}

#[test]
fn signed_valid_body_gets_204() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), SECRET, unix_now());

    let response = send(address, "POST", Some(&header), VALID.as_bytes());

    assert_eq!(response.status, 204, "body: {}", response.body);
    assert_eq!(response.body, "");
}

#[test]
fn tampered_body_gets_401() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), SECRET, unix_now());
    let tampered = VALID.replace("\"37\"", "\"3700\"");

    let response = send(address, "POST", Some(&header), tampered.as_bytes());

    assert_eq!(response.status, 401, "body: {}", response.body);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json();
    assert_eq!(body["error"], "no_matching_signature");
    assert!(body["message"]
        .as_str()
        .is_some_and(|message| !message.contains(SECRET)));
}

#[test]
fn other_secret_gets_401() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), "sigsec_another_account", unix_now());

    let response = send(address, "POST", Some(&header), VALID.as_bytes());

    assert_eq!(response.status, 401, "body: {}", response.body);
    assert_eq!(response.json()["error"], "no_matching_signature");
}

#[test]
fn missing_header_gets_401() {
    let address = start_server();

    let response = send(address, "POST", None, VALID.as_bytes());

    assert_eq!(response.status, 401, "body: {}", response.body);
    assert_eq!(response.json()["error"], "missing_header");
}

#[test]
fn old_signature_gets_401() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), SECRET, unix_now() - 3600);

    let response = send(address, "POST", Some(&header), VALID.as_bytes());

    assert_eq!(response.status, 401, "body: {}", response.body);
    assert_eq!(response.json()["error"], "timestamp_outside_tolerance");
}

#[test]
fn signed_invalid_body_gets_400() {
    let address = start_server();
    let invalid = VALID
        .replace("CAccb0b00506553cda09b51c5477f672a49e0b2213", "CA-1234")
        .replace("+13121000109", "Anonymous");
    let header = sign(invalid.as_bytes(), SECRET, unix_now());

    let response = send(address, "POST", Some(&header), invalid.as_bytes());

    assert_eq!(response.status, 400, "body: {}", response.body);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json();
    assert_eq!(body["error"], "invalid_payload");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("invalid callStatus payload: callId:"),
        "{message}"
    );
    let issues = body["issues"].as_array().expect("an issues array");
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert_eq!(issues[0]["path"], "/callId");
    assert_eq!(issues[0]["code"], "invalid_id");
    assert_eq!(issues[0]["severity"], "error");
    assert_eq!(issues[0]["line"], 1);
    assert_eq!(issues[0]["length"], "\"CA-1234\"".len());
    // Lenient mode keeps a withheld caller id, with a warning.
    assert_eq!(issues[1]["path"], "/from");
    assert_eq!(issues[1]["severity"], "warning");
}

#[test]
fn signed_non_json_gets_400() {
    let address = start_server();
    let body = b"callId=CAccb0b00506553cda09b51c5477f672a49e0b2213";
    let header = sign(body, SECRET, unix_now());

    let response = send(address, "POST", Some(&header), body);

    assert_eq!(response.status, 400, "body: {}", response.body);
    assert_eq!(response.json()["issues"][0]["code"], "invalid_json");
}

#[test]
fn empty_body_gets_401() {
    let address = start_server();
    let header = sign(b"{}", SECRET, unix_now());

    let response = send(address, "POST", Some(&header), b"");

    assert_eq!(response.status, 401, "body: {}", response.body);
    assert_eq!(response.json()["error"], "empty_body");
}

#[test]
fn oversized_body_gets_413() {
    let address = start_server();
    let body = vec![b' '; DEFAULT_MAX_BYTES + 1];

    let response = send(address, "POST", None, &body);

    assert_eq!(response.status, 413, "body: {}", response.body);
    assert_eq!(response.json()["error"], "payload_too_large");
}

#[test]
fn non_json_content_type_gets_415() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), SECRET, unix_now());

    for content_type in ["text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded"] {
        let response = send_typed(address, "POST", content_type, Some(&header), VALID.as_bytes());

        assert_eq!(response.status, 415, "{content_type}: {}", response.body);
        assert_eq!(response.json()["error"], "unsupported_media_type", "{content_type}");
    }
}

#[test]
fn json_with_utf8_charset_gets_204() {
    let address = start_server();
    let header = sign(VALID.as_bytes(), SECRET, unix_now());

    let response = send_typed(address, "POST", "Application/JSON; charset=\"UTF-8\"", Some(&header), VALID.as_bytes());

    assert_eq!(response.status, 204, "body: {}", response.body);
}

#[test]
fn get_gets_405() {
    let address = start_server();

    let response = send(address, "GET", None, b"");

    assert_eq!(response.status, 405, "body: {}", response.body);
    assert_eq!(response.header("allow"), Some("POST"));
}
