//! `televent serve` as a real process: it answers on loopback and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::run::ok;

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_answers_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    ok(Some(&url), &["migrate"]);
    let (mut server, base) = start(&url, &[]);
    let address = base.strip_prefix("http://").unwrap().to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{base}");

    let health = get(&address, "/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let well_known = get(&address, "/.well-known/caldav");
    assert!(well_known.starts_with("HTTP/1.1 301"), "{well_known}");
    let anonymous = get(&address, "/dav/calendars/nobody/");
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");

    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.0.wait().unwrap();
    assert!(exit.success(), "a SIGTERM stop is a clean exit: {exit:?}");
}

/// A server process that is killed if the test fails before stopping it.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `televent serve` with `args`, returning the child and the base URL it printed
/// (`http://127.0.0.1:PORT`).
fn start(url: &str, args: &[&str]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_televent"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env("TELEVENT_DATABASE_URL", url)
        .env("TELEVENT_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.contains("://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    (Server(child), base)
}

#[tokio::test]
async fn serve_speaks_tls_with_the_given_certificate() {
    use std::sync::Arc;

    use rustls_pki_types::pem::PemObject;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/tls");
    let (cert, key) = (fixtures.join("cert.pem"), fixtures.join("key.pem"));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    ok(Some(&url), &["migrate"]);
    let (mut server, base) = start(
        &url,
        &["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()],
    );
    let address = base.strip_prefix("https://").unwrap().to_owned();

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls_pki_types::CertificateDer::from_pem_file(fixtures.join("ca.pem")).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(format!("GET /health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut response = String::new();
    tls.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    // Plain HTTP on a TLS port gets no HTTP answer.
    let plain = get_lossy(&address, "/health");
    assert!(!plain.starts_with("HTTP/1.1 200"), "{plain}");

    Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(server.0.wait().unwrap().success());

    // Both files, or a clear refusal.
    let missing = crate::run::fails(
        Some(&url),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent.pem",
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        missing.contains("cannot read a PEM certificate chain from /nonexistent.pem"),
        "{missing}"
    );
}

/// Like `get`, for a peer that may answer with bytes that are not text, or hang up.
fn get_lossy(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    );
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
