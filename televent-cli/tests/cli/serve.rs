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
    let mut child = Command::new(env!("CARGO_BIN_EXE_televent"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("TELEVENT_DATABASE_URL", &url)
        .env("TELEVENT_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{first}");

    let health = get(&address, "/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let well_known = get(&address, "/.well-known/caldav");
    assert!(well_known.starts_with("HTTP/1.1 301"), "{well_known}");
    let anonymous = get(&address, "/dav/calendars/nobody/");
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a SIGTERM stop is a clean exit: {exit:?}");
}
