//! A minimal HTTP/1.1 client for tests of real server processes: one request per connection,
//! so a killed server shows as `None` instead of a hung read.

use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 exchange on a fresh connection: status, headers (lower-case names), body.
/// `None` when the connection failed or was cut (the server was killed).
pub async fn exchange(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, BTreeMap<String, String>, String)> {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    // Listings of a whole calendar come chunked (RFC 9112 section 7.1).
    let body = if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        dechunk(body)?
    } else {
        body.to_owned()
    };
    Some((status, headers, body))
}

/// A chunked body's data; `None` when it was cut before its last chunk (a killed server).
fn dechunk(mut rest: &str) -> Option<String> {
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(body);
        }
        body.push_str(after.get(..size)?);
        rest = after.get(size..)?.strip_prefix("\r\n")?;
    }
}

/// An Authorization header value for HTTP Basic.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// The 207 body of a `method` (PROPFIND or REPORT, Depth 1) with `body` on alice's default
/// calendar.
pub async fn multistatus_of_default(address: &str, auth: &str, method: &str, body: &str) -> String {
    let (status, _, text) = exchange(
        address,
        method,
        "/dav/calendars/alice/default/",
        &[
            ("Authorization", auth),
            ("Content-Type", "application/xml"),
            ("Depth", "1"),
        ],
        body,
    )
    .await
    .unwrap();
    assert_eq!(status, 207, "{text}");
    text
}

/// Alice's default calendar's sync token now (an initial sync-collection).
pub async fn sync_token(address: &str, auth: &str) -> String {
    let body = multistatus_of_default(
        address,
        auth,
        "REPORT",
        r#"<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"#,
    )
    .await;
    let document = roxmltree::Document::parse(&body).unwrap();
    document
        .descendants()
        .find(|n| n.has_tag_name(("DAV:", "sync-token")))
        .and_then(|n| n.text())
        .unwrap()
        .to_owned()
}
