//! The REST API over real HTTP on loopback: sign-in paths, every resource, problem+json
//! errors, the cross-user matrix, subscriptions, rate limits and the web page's files.

mod cross_user;
mod events;
mod openapi;
mod resources;
mod sessions;

use hyper::StatusCode;
use ring::hmac;
use serde_json::json;
use televent_tests::server::TestServer;

/// Signs alice in with her device password; returns the session token.
async fn sign_in(server: &TestServer) -> String {
    sign_in_as(server, "alice", &server.password).await
}

/// Signs someone in with a device password; returns the session token.
async fn sign_in_as(server: &TestServer, user: &str, password: &str) -> String {
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "password", "user": user, "password": password}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()["token"].as_str().unwrap().to_owned()
}

/// Mini App `initData` for Telegram user `id`, signed at `auth_date` for `bot_token` the way
/// Telegram documents it (written here independently of the server's check).
fn signed_init_data(bot_token: &str, id: i64, auth_date: i64) -> String {
    let user = format!(r#"{{"id":{id},"first_name":"Carol","language_code":"en"}}"#);
    let mut fields = [
        ("auth_date", auth_date.to_string()),
        ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc".to_owned()),
        ("user", user),
    ];
    fields.sort();
    let check = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n");
    let secret = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, b"WebAppData"), bot_token.as_bytes());
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret.as_ref()), check.as_bytes());
    let hash: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let encode = |v: &str| {
        v.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let mut query: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    query.push(format!("hash={hash}"));
    query.join("&")
}
