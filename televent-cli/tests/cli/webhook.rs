//! `televent serve` in webhook mode as a real process against a fake Bot API on loopback: it
//! registers the webhook with a secret instead of polling, answers updates posted with that
//! secret (handled before the answer), and refuses any post without it.

use std::time::Duration;

use serde_json::json;
use televent_tests::fake_telegram::FakeTelegram;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::process::serve;

const TOKEN: &str = "123456:TEST-token";
const PATIENCE: Duration = Duration::from_secs(60);
/// Never contacted: the fake Bot API only records it.
const WEBHOOK_URL: &str = "http://127.0.0.1:9/telegram/webhook";

async fn post(address: &str, secret: Option<&str>, body: &str) -> String {
    let secret = secret.map_or_else(String::new, |s| format!("X-Telegram-Bot-Api-Secret-Token: {s}\r\n"));
    let request = format!(
        "POST /telegram/webhook HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n{secret}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_registers_a_secret_and_takes_only_updates_that_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    crate::run::ok(Some(&database), &["migrate"]);
    let telegram = FakeTelegram::start().await;
    let (_server, address) = serve(
        &database,
        &["--no-worker"],
        &[
            ("TELEVENT_BOT_TOKEN", TOKEN),
            ("TELEVENT_TELEGRAM_API_URL", &telegram.url()),
            ("TELEVENT_BOT_WEBHOOK_URL", WEBHOOK_URL),
        ],
    );

    let registered = telegram.wait_for_calls("setwebhook", 1, PATIENCE).await;
    assert_eq!(registered[0].param("url").as_deref(), Some(WEBHOOK_URL));
    let secret = registered[0].param("secret_token").unwrap();
    assert!(secret.len() >= 32, "{secret}");

    let update = json!({
        "update_id": 1,
        "message": {
            "message_id": 1, "date": 1_780_000_000,
            "chat": {"id": 5005, "type": "private", "first_name": "Eve"},
            "from": {"id": 5005, "is_bot": false, "first_name": "Eve", "username": "eve"},
            "text": "/start"
        }
    })
    .to_string();
    for refused in [None, Some("wrong")] {
        let response = post(&address, refused, &update).await;
        assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    }
    assert!(
        telegram.calls_named("sendmessage").is_empty(),
        "a refused post is not handled"
    );

    let response = post(&address, Some(&secret), &update).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // Handled before the answer: the reply is out already.
    let replies = telegram.calls_named("sendmessage");
    assert!(!replies.is_empty());
    assert_eq!(replies[0].body["chat_id"].as_i64(), Some(5005));
    let malformed = post(&address, Some(&secret), "{\"not\": \"an update\"").await;
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");
    assert!(
        telegram.calls_named("getupdates").is_empty(),
        "webhook mode never polls"
    );
    let users = crate::run::ok(Some(&database), &["user", "list"]);
    assert!(users.contains("5005"), "{users}");
}
