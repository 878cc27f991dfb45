//! `TelegramNotifier` against the fake Bot API: what reaches Telegram, and how each kind of
//! failure comes back to the outbox worker. Also the fake's own `getUpdates` queue.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use televent_adapters::telegram::notifier::TelegramNotifier;
use televent_domain::user::TelegramId;
use televent_ports::notifier::{Button, Notifier, NotifierError};
use televent_tests::fake_telegram::{Failure, FakeTelegram};

const TOKEN: &str = "123456:test-secret";
const WAIT: Duration = Duration::from_secs(10);

/// A notifier pointed at `fake`; calls give up after one second (for the hang and 5xx cases:
/// far below the 30 s default, not a timing assertion).
fn notifier(fake: &FakeTelegram) -> TelegramNotifier {
    TelegramNotifier::with_timeout(TOKEN, Some(&fake.url()), Duration::from_secs(1)).unwrap()
}

fn chat() -> TelegramId {
    TelegramId::new(4242).unwrap()
}

fn button(text: &str, data: &str) -> Button {
    Button {
        text: text.to_owned(),
        callback_data: data.to_owned(),
    }
}

#[tokio::test]
async fn a_message_with_buttons_arrives_with_its_keyboard() {
    let fake = FakeTelegram::start().await;
    let buttons = vec![
        vec![button("Accept", "rsvp:1:yes"), button("Decline", "rsvp:1:no")],
        vec![button("Maybe", "rsvp:1:maybe")],
    ];

    notifier(&fake).send(chat(), "Standup at 10:00", buttons).await.unwrap();

    let calls = fake.calls_named("sendMessage");
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_eq!(call.token, TOKEN);
    assert_eq!(call.body["chat_id"], json!(4242));
    assert_eq!(call.body["text"], json!("Standup at 10:00"));
    assert_eq!(call.body.get("parse_mode"), None);
    assert_eq!(
        call.body["reply_markup"],
        json!({"inline_keyboard": [
            [{"text": "Accept", "callback_data": "rsvp:1:yes"}, {"text": "Decline", "callback_data": "rsvp:1:no"}],
            [{"text": "Maybe", "callback_data": "rsvp:1:maybe"}],
        ]})
    );
}

#[tokio::test]
async fn plain_text_goes_without_markup_or_parse_mode() {
    let fake = FakeTelegram::start().await;
    // Text a user typed, full of what Markdown and HTML would read as markup.
    let text = "*Lunch* with <b>Bob</b> & _Alice_ [at] `noon`";

    notifier(&fake).send(chat(), text, vec![]).await.unwrap();
    // Rows without buttons are no keyboard either.
    notifier(&fake).send(chat(), "second", vec![vec![]]).await.unwrap();

    let calls = fake.calls_named("sendmessage");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].body["text"], json!(text));
    assert_eq!(calls[1].body["text"], json!("second"));
    for call in &calls {
        assert_eq!(call.body.get("reply_markup"), None, "{call:?}");
        assert_eq!(call.body.get("parse_mode"), None, "{call:?}");
    }
}

/// Sends once with `failure` scripted, returns the error, and checks the next send gets through.
async fn failure_then_recovery(failure: Failure) -> NotifierError {
    let fake = FakeTelegram::start().await;
    let notifier = notifier(&fake);
    fake.fail_next(1, failure);

    let error = notifier.send(chat(), "first try", vec![]).await.unwrap_err();
    assert!(
        !error.to_string().contains("test-secret"),
        "the token leaked into {error}"
    );

    notifier
        .send(chat(), "second try", vec![vec![button("Ok", "ok")]])
        .await
        .unwrap();
    let calls = fake.calls_named("sendmessage");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[1].body["text"], json!("second try"));
    error
}

#[tokio::test]
async fn too_many_requests_asks_to_retry_after() {
    assert_eq!(
        failure_then_recovery(Failure::RetryAfter(17)).await,
        NotifierError::RetryAfter(17)
    );
}

#[tokio::test]
async fn a_server_error_is_temporary() {
    let error = failure_then_recovery(Failure::ServerError).await;
    assert!(matches!(error, NotifierError::Temporary(_)), "{error:?}");
}

#[tokio::test]
async fn a_blocked_bot_is_permanent() {
    let error = failure_then_recovery(Failure::Forbidden).await;
    assert_eq!(
        error,
        NotifierError::Permanent("Forbidden: bot was blocked by the user".to_owned())
    );
}

#[tokio::test]
async fn no_answer_is_temporary() {
    let error = failure_then_recovery(Failure::Hang).await;
    assert!(matches!(error, NotifierError::Temporary(_)), "{error:?}");
}

#[tokio::test]
async fn an_unreachable_api_is_temporary() {
    // Bound but not listening: the port stays taken (no other test can get it) and every
    // connection to it is refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("http://{}/", socket.local_addr().unwrap());
    let notifier = TelegramNotifier::with_timeout(TOKEN, Some(&url), Duration::from_secs(1)).unwrap();

    let error = notifier.send(chat(), "hello", vec![]).await.unwrap_err();
    assert!(matches!(error, NotifierError::Temporary(_)), "{error:?}");
    assert!(
        !error.to_string().contains("test-secret"),
        "the token leaked into {error}"
    );
}

/// Posts a Bot API call to the fake as teloxide would, and returns the JSON answer.
async fn call(fake: &FakeTelegram, method: &str, body: Value) -> Value {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let request = Request::post(format!("{}bot{TOKEN}/{method}", fake.url()))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn the_fake_serves_updates_by_offset_and_wakes_long_polls() {
    let fake = FakeTelegram::start().await;
    assert_eq!(
        call(&fake, "GetUpdates", json!({"timeout": 0})).await,
        json!({"ok": true, "result": []})
    );

    fake.push_update(json!({"update_id": 1, "message": {"text": "one"}}));
    fake.push_update(json!({"update_id": 2, "message": {"text": "two"}}));
    let answer = call(&fake, "getUpdates", json!({"offset": 0, "timeout": 0})).await;
    assert_eq!(answer["result"].as_array().unwrap().len(), 2);
    // Offset 2 confirms update 1.
    let answer = call(&fake, "getUpdates", json!({"offset": 2, "timeout": 0})).await;
    assert_eq!(answer["result"], json!([{"update_id": 2, "message": {"text": "two"}}]));

    // A long poll on an empty queue answers as soon as an update is pushed.
    let poll = tokio::spawn({
        let url = fake.url();
        async move {
            let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
            let request = Request::post(format!("{url}bot{TOKEN}/GetUpdates"))
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(json!({"offset": 3, "timeout": 60}).to_string())))
                .unwrap();
            let response = client.request(request).await.unwrap();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    });
    fake.wait_for_calls("getupdates", 4, WAIT).await;
    fake.push_update(json!({"update_id": 3, "callback_query": {"data": "x"}}));
    let answer = tokio::time::timeout(WAIT, poll).await.unwrap().unwrap();
    assert_eq!(
        answer["result"],
        json!([{"update_id": 3, "callback_query": {"data": "x"}}])
    );

    // Scripted failures skip getUpdates unless aimed at it; unknown methods are 404.
    fake.fail_next(1, Failure::ServerError);
    assert_eq!(call(&fake, "getUpdates", json!({"offset": 4})).await["ok"], json!(true));
    assert_eq!(
        call(&fake, "answerCallbackQuery", json!({"callback_query_id": "1"})).await["error_code"],
        json!(500)
    );
    assert_eq!(call(&fake, "noSuchMethod", json!({})).await["error_code"], json!(404));
}
