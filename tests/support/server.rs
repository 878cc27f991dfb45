//! `TestServer::spawn()`: the CalDAV server on 127.0.0.1:0 over a fresh store, with two users
//! (alice and bob) and a device password each, and a small HTTP client for loopback only.
//! Dropping the server stops it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use televent_adapters::clock::SystemClock;
use televent_adapters::credentials::Argon2Hasher;
use televent_adapters::http::{HttpConfig, run};
use televent_app::{Televent, TeleventBuilder};
use televent_domain::calendar::Calendar;
use televent_domain::user::User;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::stores::{TestStore, memory, postgres, sqlite};

/// A fresh store of the kind `TELEVENT_TEST_STORE` names.
pub async fn test_store() -> TestStore {
    match std::env::var("TELEVENT_TEST_STORE").as_deref() {
        Ok("sqlite") => sqlite().await,
        Ok("postgres") => postgres().await,
        Ok("memory") | Err(_) => memory().await,
        Ok(other) => panic!("TELEVENT_TEST_STORE={other}: use memory, sqlite or postgres"),
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestServer {
    /// The engine behind the server, for setting up and checking data.
    pub engine: Televent,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The main user, `alice`, and her default calendar.
    pub user: User,
    /// Alice's default calendar.
    pub calendar: Calendar,
    /// Alice's device password.
    pub password: String,
    /// Another user, `bob`.
    pub other: User,
    /// Bob's device password.
    pub other_password: String,
    client: Client<HttpConnector, Full<Bytes>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    _store: TestStore,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// A server with the default configuration on a fresh store of the kind
    /// `TELEVENT_TEST_STORE` names (`memory`, the default; `sqlite`; `postgres`), so the whole
    /// CalDAV suite can run on each store.
    pub async fn spawn() -> Self {
        Self::spawn_with(test_store().await, HttpConfig::default()).await
    }

    /// A server on `store` with `config`.
    pub async fn spawn_with(store: TestStore, config: HttpConfig) -> Self {
        let engine = TeleventBuilder::new(Arc::clone(&store.store))
            .clock(Arc::new(SystemClock))
            .hasher(Arc::new(Argon2Hasher))
            .build();
        let (user, calendar) = engine.create_user("alice", None, Some("Europe/Berlin")).await.unwrap();
        let password = engine.add_device(&user, "test").await.unwrap().password;
        let (other, _) = engine.create_user("bob", None, None).await.unwrap();
        let other_password = engine.add_device(&other, "test").await.unwrap().password;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, engine.clone(), config, async move {
            let _ = stop.await;
        }));
        let client = Client::builder(TokioExecutor::new()).build_http();
        Self {
            engine,
            addr,
            user,
            calendar,
            password,
            other,
            other_password,
            client,
            shutdown: Some(shutdown),
            task: Some(task),
            _store: store,
        }
    }

    /// A request as alice.
    pub fn request(&self, method: &str, path: &str) -> TestRequest<'_> {
        TestRequest {
            server: self,
            method: method.to_owned(),
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            auth: Some(("alice".to_owned(), self.password.clone())),
        }
    }

    /// Tells the server to shut down (it stops accepting and finishes requests in flight).
    pub fn shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }

    /// Shuts down and returns when the server is done.
    pub async fn stop(mut self) {
        self.shutdown();
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }

    /// Alice's default calendar's path.
    pub fn calendar_path(&self) -> String {
        format!("/dav/calendars/alice/{}/", self.calendar.slug)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A request being built.
#[derive(Debug)]
pub struct TestRequest<'a> {
    server: &'a TestServer,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    auth: Option<(String, String)>,
}

impl TestRequest<'_> {
    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// An XML body.
    pub fn xml(self, body: &str) -> Self {
        self.header("content-type", "application/xml; charset=utf-8").body(body)
    }

    /// Authenticates as someone else (or with a wrong password).
    pub fn auth(mut self, name: &str, password: &str) -> Self {
        self.auth = Some((name.to_owned(), password.to_owned()));
        self
    }

    /// A JSON body.
    pub fn json(self, body: &serde_json::Value) -> Self {
        self.header("content-type", "application/json").body(body.to_string())
    }

    /// Authenticates with a session token instead of a password.
    pub fn bearer(mut self, token: &str) -> Self {
        self.auth = None;
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// Sends no credentials.
    pub fn anonymous(mut self) -> Self {
        self.auth = None;
        self
    }

    /// Sends it and reads the whole response.
    pub async fn send(self) -> TestResponse {
        let uri = format!("http://{}{}", self.server.addr, self.path);
        let mut builder = Request::builder()
            .method(Method::from_bytes(self.method.as_bytes()).unwrap())
            .uri(uri);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        if let Some((name, password)) = &self.auth {
            let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{name}:{password}"));
            builder = builder.header("authorization", format!("Basic {encoded}"));
        }
        let request = builder.body(Full::new(Bytes::from(self.body))).unwrap();
        let response = self.server.client.request(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        TestResponse { status, headers, body }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Vec<u8>,
}

impl TestResponse {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    /// The `type` of a problem+json body, without its `urn:televent:problem:` prefix.
    pub fn problem(&self) -> String {
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{} {}",
            self.status,
            self.text()
        );
        let json = self.json();
        assert_eq!(json["status"], self.status.as_u16(), "{json}");
        json["type"]
            .as_str()
            .unwrap()
            .strip_prefix("urn:televent:problem:")
            .unwrap()
            .to_owned()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    /// The multistatus body, parsed.
    pub fn multistatus(&self) -> Multistatus {
        assert_eq!(self.status, StatusCode::MULTI_STATUS, "{}", self.text());
        Multistatus::parse(&self.text())
    }

    /// The precondition a `DAV:error` body names, as `{ns}local`.
    pub fn precondition(&self) -> String {
        let text = self.text();
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let root = document.root_element();
        assert!(root.has_tag_name(("DAV:", "error")), "{text}");
        let condition = root
            .children()
            .find(|n| n.is_element() && !n.has_tag_name(("DAV:", "responsedescription")))
            .unwrap();
        format!(
            "{{{}}}{}",
            condition.tag_name().namespace().unwrap_or_default(),
            condition.tag_name().name()
        )
    }
}

/// One property as found in a propstat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    /// The propstat's status.
    pub status: u16,
    /// The text inside (all descendants).
    pub text: String,
    /// Its element children as `{ns}local`.
    pub children: Vec<String>,
    /// The `DAV:href`s inside.
    pub hrefs: Vec<String>,
}

/// One `<response>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultistatusResponse {
    /// Its href.
    pub href: String,
    /// Its own status (no propstats).
    pub status: Option<u16>,
    /// Its properties by `{ns}local`.
    pub props: BTreeMap<String, Prop>,
}

impl MultistatusResponse {
    /// A property found with 200.
    pub fn ok(&self, name: &str) -> &Prop {
        let prop = self
            .props
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing in {self:#?}"));
        assert_eq!(prop.status, 200, "{name}: {prop:?}");
        prop
    }
}

/// A parsed 207 body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Multistatus {
    /// The responses in order.
    pub responses: Vec<MultistatusResponse>,
    /// The top-level sync-token.
    pub sync_token: Option<String>,
}

fn expanded(node: roxmltree::Node<'_, '_>) -> String {
    format!(
        "{{{}}}{}",
        node.tag_name().namespace().unwrap_or_default(),
        node.tag_name().name()
    )
}

fn status_code(text: &str) -> u16 {
    text.split_whitespace().nth(1).unwrap().parse().unwrap()
}

impl Multistatus {
    /// Parses a multistatus body.
    pub fn parse(text: &str) -> Self {
        let document = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let root = document.root_element();
        assert!(root.has_tag_name(("DAV:", "multistatus")), "{text}");
        let mut parsed = Self::default();
        for child in root.children().filter(|n| n.is_element()) {
            if child.has_tag_name(("DAV:", "sync-token")) {
                parsed.sync_token = Some(child.text().unwrap_or_default().to_owned());
                continue;
            }
            assert!(child.has_tag_name(("DAV:", "response")), "{text}");
            let mut response = MultistatusResponse::default();
            for part in child.children().filter(|n| n.is_element()) {
                match part.tag_name().name() {
                    "href" => response.href = part.text().unwrap_or_default().to_owned(),
                    "status" => response.status = Some(status_code(part.text().unwrap())),
                    "propstat" => {
                        let status = part.children().find(|n| n.has_tag_name(("DAV:", "status"))).unwrap();
                        let status = status_code(status.text().unwrap());
                        let prop = part.children().find(|n| n.has_tag_name(("DAV:", "prop"))).unwrap();
                        for property in prop.children().filter(|n| n.is_element()) {
                            let value = Prop {
                                status,
                                text: property
                                    .descendants()
                                    .filter(|n| n.is_text())
                                    .filter_map(|n| n.text())
                                    .collect(),
                                children: property.children().filter(|n| n.is_element()).map(expanded).collect(),
                                hrefs: property
                                    .descendants()
                                    .filter(|n| n.has_tag_name(("DAV:", "href")))
                                    .map(|n| n.text().unwrap_or_default().to_owned())
                                    .collect(),
                            };
                            response.props.insert(expanded(property), value);
                        }
                    }
                    other => panic!("unexpected {other} in a response: {text}"),
                }
            }
            parsed.responses.push(response);
        }
        parsed
    }

    /// The response for `href`.
    pub fn get(&self, href: &str) -> &MultistatusResponse {
        self.responses
            .iter()
            .find(|r| r.href == href)
            .unwrap_or_else(|| panic!("no response for {href}: {self:#?}"))
    }
}
