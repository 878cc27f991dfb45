//! `FakeTelegram::start()`: a fake Telegram Bot API on 127.0.0.1:0 that records every call and
//! answers in the Bot API's shape, with scripted failures (429, 500, 403, a call that never
//! answers) and a queue of updates for `getUpdates`. Dropping it stops it and closes every
//! connection it holds. Loopback only; it knows nothing of Televent.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// The fake bot's own user id (the `from` of the messages it sends).
pub const BOT_ID: i64 = 777_000;

/// The fake bot's username.
pub const BOT_USERNAME: &str = "televent_test_bot";

/// One request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// The Bot API method, lowercased (`sendmessage`, `getupdates`).
    pub method: String,
    /// The bot token from the path (`/bot<token>/<method>`).
    pub token: String,
    /// The parameters: the JSON body, or for a multipart body (`sendDocument`) the raw body as
    /// a JSON string.
    pub body: Value,
}

impl RecordedCall {
    /// A parameter as text, from a JSON body or a multipart one (teloxide sends `setWebhook`
    /// and `sendDocument` as multipart).
    pub fn param(&self, name: &str) -> Option<String> {
        match &self.body {
            Value::String(raw) => multipart_field(raw, name),
            body => body.get(name).map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            }),
        }
    }
}

/// A scripted failure for the next calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// HTTP 429 "Too Many Requests: retry after N" with `parameters.retry_after`.
    RetryAfter(u32),
    /// HTTP 500 "Internal Server Error".
    ServerError,
    /// HTTP 403 "Forbidden: bot was blocked by the user".
    Forbidden,
    /// No answer at all: the connection is held open until the fake is dropped.
    Hang,
}

/// The running fake. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeTelegram {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

/// Shared by the test and the connection tasks: the tasks record and read scripts, the test
/// scripts and reads records.
#[derive(Debug, Default)]
struct State {
    inner: Mutex<Inner>,
    /// Woken after every recorded call.
    recorded: Notify,
    /// Woken after every pushed update (long polls wait on it).
    pushed: Notify,
}

#[derive(Debug, Default)]
struct Inner {
    calls: Vec<RecordedCall>,
    /// Failures still to serve: for one method (lowercased) or, with `None`, for any method but
    /// `getupdates`.
    failures: VecDeque<(Option<String>, Failure)>,
    updates: VecDeque<Value>,
    last_message_id: i64,
    /// `(method, answered)`: that many more calls of the method are answered, then every
    /// further one hangs (a process killed in the middle of its work).
    hang_after: Option<(String, usize)>,
    /// Files for `getFile` and downloads: file id to (file path, bytes).
    files: HashMap<String, (String, Vec<u8>)>,
}

impl FakeTelegram {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        Self { addr, state, task }
    }

    /// The base URL to give teloxide's `set_api_url` (`http://127.0.0.1:PORT/`).
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Where the fake listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every call so far, in arrival order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.state.inner.lock().unwrap().calls.clone()
    }

    /// The calls of one method (case-insensitive), in arrival order.
    pub fn calls_named(&self, method: &str) -> Vec<RecordedCall> {
        let method = method.to_ascii_lowercase();
        self.calls().into_iter().filter(|call| call.method == method).collect()
    }

    /// Registers a file: `getFile` with `file_id` answers `path`, and
    /// `/file/bot<token>/<path>` serves `bytes` (each download recorded as a call `download`
    /// whose body is the path).
    pub fn add_file(&self, file_id: &str, path: &str, bytes: impl Into<Vec<u8>>) {
        self.state
            .inner
            .lock()
            .unwrap()
            .files
            .insert(file_id.to_owned(), (path.to_owned(), bytes.into()));
    }

    /// The next `n` calls of any method but `getUpdates` fail with `failure`.
    pub fn fail_next(&self, n: usize, failure: Failure) {
        let mut inner = self.state.inner.lock().unwrap();
        inner.failures.extend(std::iter::repeat_n((None, failure), n));
    }

    /// The next `n` calls of `method` (case-insensitive) fail with `failure`.
    pub fn fail_next_of(&self, method: &str, n: usize, failure: Failure) {
        let method = method.to_ascii_lowercase();
        let mut inner = self.state.inner.lock().unwrap();
        inner.failures.extend(std::iter::repeat_n((Some(method), failure), n));
    }

    /// Answers the next `k` calls of `method` (case-insensitive), then leaves every further
    /// one hanging until [`FakeTelegram::stop_hanging`].
    pub fn hang_after(&self, method: &str, k: usize) {
        self.state.inner.lock().unwrap().hang_after = Some((method.to_ascii_lowercase(), k));
    }

    /// Answers normally again.
    pub fn stop_hanging(&self) {
        self.state.inner.lock().unwrap().hang_after = None;
    }

    /// Queues an update (raw Bot API JSON with its `update_id`) for `getUpdates`, waking a
    /// waiting long poll.
    pub fn push_update(&self, update: Value) {
        assert!(
            update.get("update_id").and_then(Value::as_i64).is_some(),
            "an update needs an update_id: {update}"
        );
        self.state.inner.lock().unwrap().updates.push_back(update);
        self.state.pushed.notify_waiters();
    }

    /// Waits until at least `n` calls of `method` arrived, and returns them; panics with what did
    /// arrive when `deadline` passes first.
    pub async fn wait_for_calls(&self, method: &str, n: usize, deadline: Duration) -> Vec<RecordedCall> {
        let until = Instant::now() + deadline;
        loop {
            let recorded = self.state.recorded.notified();
            tokio::pin!(recorded);
            // Registered before the check, so a call recorded in between still wakes us.
            recorded.as_mut().enable();
            let calls = self.calls_named(method);
            if calls.len() >= n {
                return calls;
            }
            if tokio::time::timeout_at(until, recorded).await.is_err() {
                panic!(
                    "waited {deadline:?} for {n} {method} call(s), got {}; all calls: {:#?}",
                    calls.len(),
                    self.calls()
                );
            }
        }
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        // The accept loop owns the connection tasks (a JoinSet): aborting it drops them all,
        // hung calls included.
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let Ok((stream, _peer)) = listener.accept().await else {
            continue;
        };
        let state = Arc::clone(&state);
        connections.spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&state), request));
            // A client that goes away mid-call is not the fake's business.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: Arc<State>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let raw = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(reply(
                StatusCode::BAD_REQUEST,
                json!({"ok": false, "error_code": 400, "description": "Bad Request: unreadable body"}),
            ));
        }
    };
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return Ok(download(&state, rest));
    }
    let Some((token, method)) = token_and_method(&path) else {
        return Ok(reply(
            StatusCode::NOT_FOUND,
            json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        ));
    };
    let body = if content_type.starts_with("multipart/") {
        Value::String(String::from_utf8_lossy(&raw).into_owned())
    } else if raw.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&raw).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&raw).into_owned()))
    };

    let failure = {
        let mut inner = state.inner.lock().unwrap();
        inner.calls.push(RecordedCall {
            method: method.clone(),
            token,
            body: body.clone(),
        });
        let position = inner.failures.iter().position(|(only, _)| match only {
            Some(only) => *only == method,
            None => method != "getupdates",
        });
        let scripted = position
            .and_then(|i| inner.failures.remove(i))
            .map(|(_, failure)| failure);
        match (scripted, inner.hang_after.as_mut()) {
            (Some(failure), _) => Some(failure),
            (None, Some((only, answered))) if *only == method => {
                if *answered == 0 {
                    Some(Failure::Hang)
                } else {
                    *answered -= 1;
                    None
                }
            }
            (None, _) => None,
        }
    };
    state.recorded.notify_waiters();

    Ok(match failure {
        Some(failure) => fail(failure).await,
        None => succeed(&state, &method, &body).await,
    })
}

/// `/…/bot<token>/<Method>` to the token and the lowercased method.
fn token_and_method(path: &str) -> Option<(String, String)> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let method = segments.next()?.to_ascii_lowercase();
    let token = segments.next()?.strip_prefix("bot")?.to_owned();
    if method.is_empty() { None } else { Some((token, method)) }
}

async fn fail(failure: Failure) -> Response<Full<Bytes>> {
    match failure {
        Failure::RetryAfter(seconds) => reply(
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {seconds}"),
                "parameters": {"retry_after": seconds},
            }),
        ),
        Failure::ServerError => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
        ),
        Failure::Forbidden => reply(
            StatusCode::FORBIDDEN,
            json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
        ),
        Failure::Hang => std::future::pending().await,
    }
}

/// A file download, `rest` being `<token>/<path>`: the registered bytes or 404.
fn download(state: &State, rest: &str) -> Response<Full<Bytes>> {
    let (token, file_path) = rest.split_once('/').unwrap_or((rest, ""));
    // teloxide percent-encodes the path (`documents%2Ffile_1.ics`).
    let file_path = percent_decode(file_path);
    let found = {
        let mut inner = state.inner.lock().unwrap();
        inner.calls.push(RecordedCall {
            method: "download".to_owned(),
            token: token.to_owned(),
            body: json!(file_path),
        });
        inner
            .files
            .values()
            .find(|(path, _)| *path == file_path)
            .map(|(_, bytes)| bytes.clone())
    };
    state.recorded.notify_waiters();
    match found {
        Some(bytes) => Response::new(Full::new(Bytes::from(bytes))),
        None => reply(
            StatusCode::NOT_FOUND,
            json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        ),
    }
}

/// `%XX` escapes decoded (bytes that do not form UTF-8 are replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn succeed(state: &State, method: &str, body: &Value) -> Response<Full<Bytes>> {
    let result = match method {
        "getfile" => {
            let id = body.get("file_id").and_then(Value::as_str).unwrap_or_default();
            let file = state.inner.lock().unwrap().files.get(id).cloned();
            let Some((path, bytes)) = file else {
                return reply(
                    StatusCode::BAD_REQUEST,
                    json!({"ok": false, "error_code": 400, "description": "Bad Request: invalid file_id"}),
                );
            };
            json!({
                "file_id": id,
                "file_unique_id": format!("unique-{id}"),
                "file_size": bytes.len(),
                "file_path": path,
            })
        }
        "sendmessage" => {
            let text = body.get("text").cloned().unwrap_or(Value::Null);
            let mut message = message(state, chat_id(body), None);
            message["text"] = text;
            if let Some(markup) = body.get("reply_markup") {
                message["reply_markup"] = markup.clone();
            }
            message
        }
        "editmessagetext" => {
            if body.get("inline_message_id").is_some() {
                json!(true)
            } else {
                let id = body.get("message_id").and_then(Value::as_i64).unwrap_or(1);
                let mut message = message(state, chat_id(body), Some(id));
                message["text"] = body.get("text").cloned().unwrap_or(Value::Null);
                message["edit_date"] = json!(now());
                if let Some(markup) = body.get("reply_markup") {
                    message["reply_markup"] = markup.clone();
                }
                message
            }
        }
        "senddocument" => {
            let raw = body.as_str().unwrap_or_default();
            let chat = multipart_field(raw, "chat_id")
                .and_then(|text| text.trim().parse().ok())
                .unwrap_or(0);
            let mut message = message(state, chat, None);
            let id = message["message_id"].clone();
            message["document"] = json!({
                "file_id": format!("document-{id}"),
                "file_unique_id": format!("unique-{id}"),
                "file_size": raw.len(),
                "file_name": multipart_filename(raw).unwrap_or_else(|| "file".to_owned()),
            });
            if let Some(caption) = multipart_field(raw, "caption") {
                message["caption"] = json!(caption);
            }
            message
        }
        "getupdates" => {
            return reply(
                StatusCode::OK,
                json!({"ok": true, "result": updates(state, body).await}),
            );
        }
        "getme" => json!({
            "id": BOT_ID,
            "is_bot": true,
            "first_name": "Televent",
            "username": BOT_USERNAME,
            "can_join_groups": false,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        }),
        "getmycommands" => json!([]),
        "answercallbackquery"
        | "setmycommands"
        | "deletemycommands"
        | "deletewebhook"
        | "setwebhook"
        | "deletemessage"
        | "setchatmenubutton"
        | "sendchataction" => json!(true),
        _ => {
            return reply(
                StatusCode::NOT_FOUND,
                json!({"ok": false, "error_code": 404, "description": "Not Found"}),
            );
        }
    };
    reply(StatusCode::OK, json!({"ok": true, "result": result}))
}

/// The updates at or after the request's `offset`, dropping older ones (Telegram's
/// confirmation); when there is none, waits for a push up to the request's `timeout` seconds.
async fn updates(state: &State, body: &Value) -> Vec<Value> {
    let offset = body.get("offset").and_then(Value::as_i64);
    let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(100).clamp(1, 100);
    let wait = Duration::from_secs(body.get("timeout").and_then(Value::as_u64).unwrap_or(0));
    let until = Instant::now() + wait;
    loop {
        let pushed = state.pushed.notified();
        tokio::pin!(pushed);
        pushed.as_mut().enable();
        let ready: Vec<Value> = {
            let mut inner = state.inner.lock().unwrap();
            if let Some(offset) = offset {
                inner.updates.retain(|update| update_id(update) >= offset);
            }
            inner
                .updates
                .iter()
                .take(usize::try_from(limit).unwrap())
                .cloned()
                .collect()
        };
        if !ready.is_empty() || tokio::time::timeout_at(until, pushed).await.is_err() {
            return ready;
        }
    }
}

fn update_id(update: &Value) -> i64 {
    update.get("update_id").and_then(Value::as_i64).unwrap_or(i64::MIN)
}

/// A message the bot sent to `chat`: a fresh id unless `id` is given.
fn message(state: &State, chat: i64, id: Option<i64>) -> Value {
    let id = id.unwrap_or_else(|| {
        let mut inner = state.inner.lock().unwrap();
        inner.last_message_id += 1;
        inner.last_message_id
    });
    json!({
        "message_id": id,
        "date": now(),
        "chat": {"id": chat, "type": "private", "first_name": "Test"},
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "Televent", "username": BOT_USERNAME},
    })
}

fn chat_id(body: &Value) -> i64 {
    match body.get("chat_id") {
        Some(Value::Number(number)) => number.as_i64().unwrap_or(0),
        Some(Value::String(text)) => text.parse().unwrap_or(0),
        _ => 0,
    }
}

/// The text of a multipart field `name` (good enough for teloxide's small text fields).
fn multipart_field(raw: &str, name: &str) -> Option<String> {
    let start = raw.find(&format!("name=\"{name}\""))?;
    let rest = &raw[start..];
    let value = &rest[rest.find("\r\n\r\n")? + 4..];
    Some(value[..value.find("\r\n")?].to_owned())
}

fn multipart_filename(raw: &str) -> Option<String> {
    let start = raw.find("filename=\"")? + "filename=\"".len();
    let rest = &raw[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn reply(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The text of a recorded sendMessage or editMessageText.
pub fn text(call: &RecordedCall) -> &str {
    call.body["text"].as_str().unwrap_or_default()
}

/// The chat a recorded call went to.
pub fn chat(call: &RecordedCall) -> i64 {
    call.body["chat_id"].as_i64().unwrap()
}

/// The inline buttons of a recorded call: (label, callback data), rows flattened.
pub fn buttons(call: &RecordedCall) -> Vec<(String, String)> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                b["text"].as_str().unwrap().to_owned(),
                b["callback_data"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The callback data of the button labelled `label`.
pub fn button(call: &RecordedCall, label: &str) -> String {
    buttons(call)
        .into_iter()
        .find(|(text, _)| text == label)
        .unwrap_or_else(|| panic!("no button {label:?} in {:?}", buttons(call)))
        .1
}
