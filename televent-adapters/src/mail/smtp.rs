//! The SMTP mailer: [`SmtpMailer`] sends one [`Mail`] per SMTP session (mail-send), configured
//! by a URL ([`SmtpConfig::parse`]).
//!
//! URL forms:
//!
//! - `smtps://user:pass@host[:port]`: TLS from the first byte (RFC 8314); port 465 by default.
//! - `smtp://user:pass@host[:port]`: STARTTLS, **required**: a server that does not offer it
//!   gets nothing, not even the password. Port 587 (submission, RFC 6409) by default, since
//!   Televent submits mail for delivery rather than relaying it; write `:25` for a relay.
//! - `smtp://host:port?tls=none`: plain TCP, for a test or development server on loopback
//!   that has no TLS. Allowed with credentials only to a loopback host, so a password never
//!   crosses a network in clear.
//!
//! User and password are percent-decoded; no user means no AUTH. `?timeout=SECONDS` bounds the
//! whole session (connect, TLS, AUTH, transaction), 30 s by default.
//!
//! This module must never log or print a password: [`SmtpConfig`]'s `Debug` redacts it.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use mail_send::mail_builder::MessageBuilder;
use mail_send::mail_builder::headers::address::Address;
use mail_send::mail_builder::headers::content_type::ContentType;
use mail_send::mail_builder::mime::MimePart;
use mail_send::smtp::message::Parameters;
use mail_send::{Credentials, SmtpClient, SmtpClientBuilder};
use percent_encoding::percent_decode_str;
use televent_ports::mailer::{Mail, Mailer, MailerError};
use tokio::io::{AsyncRead, AsyncWrite};

/// The session timeout when the URL does not give one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (`smtps://`).
    Implicit,
    /// Plain TCP upgraded with STARTTLS, which the server must offer (`smtp://`).
    StartTls,
    /// No TLS at all (`smtp://…?tls=none`): for test and development servers only.
    None,
}

/// Where and how to send mail, and as whom: made by [`SmtpConfig::parse`] from a URL (see the
/// module docs) and a From address.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    host: String,
    port: u16,
    tls: SmtpTls,
    credentials: Option<(String, String)>,
    from: Sender,
    timeout: Duration,
}

/// The From of every message: an optional display name and the address, which is also the
/// envelope sender.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sender {
    name: Option<String>,
    address: String,
}

/// Why an SMTP URL or From address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpConfigError {
    /// The URL is not `smtp://…` or `smtps://…`.
    #[error("unsupported SMTP URL scheme {0:?} (expected smtp:// or smtps://)")]
    Scheme(String),
    /// The URL names no host.
    #[error("the SMTP URL names no host")]
    MissingHost,
    /// The port is not a number from 1 to 65535.
    #[error("bad port {0:?} in the SMTP URL")]
    Port(String),
    /// The user or password is not valid percent-encoded UTF-8.
    #[error("the SMTP URL's user or password is not valid percent-encoded UTF-8")]
    Userinfo,
    /// A path, fragment, unknown query parameter or bad parameter value.
    #[error("unsupported part of the SMTP URL: {0}")]
    Unsupported(String),
    /// `tls=none` with credentials to a host that is not loopback.
    #[error("refusing to send SMTP credentials in clear to {0}: tls=none is for loopback only")]
    PlainCredentials(String),
    /// The From address is not `address` or `Name <address>`.
    #[error("bad From address {0:?}")]
    From(String),
    /// The TLS client could not be set up (e.g. no certificate store).
    #[error("setting up TLS for SMTP: {0}")]
    Tls(String),
}

impl SmtpConfig {
    /// Reads an `smtp://` or `smtps://` URL (see the module docs) and the From address
    /// (`cal@example.org` or `Televent <cal@example.org>`).
    pub fn parse(url: &str, from: &str) -> Result<SmtpConfig, SmtpConfigError> {
        let from = parse_sender(from)?;
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| SmtpConfigError::Scheme(url.chars().take_while(|c| *c != ':').collect()))?;
        let (mut tls, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => (SmtpTls::StartTls, 587),
            "smtps" => (SmtpTls::Implicit, 465),
            _ => return Err(SmtpConfigError::Scheme(scheme.to_owned())),
        };
        if rest.contains('#') {
            return Err(SmtpConfigError::Unsupported("a fragment".to_owned()));
        }
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query)),
            None => (rest, None),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains('/') {
            return Err(SmtpConfigError::Unsupported("a path".to_owned()));
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport, default_port)?;
        let credentials = match userinfo {
            None => None,
            Some(userinfo) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let user = decode(user)?;
                if user.is_empty() {
                    None
                } else {
                    Some((user, decode(password)?))
                }
            }
        };
        let mut timeout = DEFAULT_TIMEOUT;
        for pair in query
            .into_iter()
            .flat_map(|query| query.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match (key, value) {
                ("tls", "none") if scheme.eq_ignore_ascii_case("smtp") => tls = SmtpTls::None,
                ("timeout", seconds) => {
                    timeout = seconds
                        .parse::<u64>()
                        .ok()
                        .filter(|s| *s > 0)
                        .map(Duration::from_secs)
                        .ok_or_else(|| SmtpConfigError::Unsupported(format!("timeout={seconds}")))?;
                }
                _ => return Err(SmtpConfigError::Unsupported(format!("parameter {key}={value}"))),
            }
        }
        if tls == SmtpTls::None && credentials.is_some() && !is_loopback(&host) {
            return Err(SmtpConfigError::PlainCredentials(host));
        }
        Ok(SmtpConfig {
            host,
            port,
            tls,
            credentials,
            from,
            timeout,
        })
    }

    /// The same configuration with another session timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> SmtpConfig {
        self.timeout = timeout;
        self
    }

    /// The server's host name or IP address (without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How the connection is protected.
    pub fn tls(&self) -> SmtpTls {
        self.tls
    }

    /// The user to authenticate as, if any.
    pub fn user(&self) -> Option<&str> {
        self.credentials.as_ref().map(|(user, _)| user.as_str())
    }

    /// The envelope sender and From address.
    pub fn from_address(&self) -> &str {
        &self.from.address
    }

    /// The bound on one whole SMTP session.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user())
            .field("password", &self.credentials.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .finish()
    }
}

fn decode(part: &str) -> Result<String, SmtpConfigError> {
    percent_decode_str(part)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| SmtpConfigError::Userinfo)
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(hostport: &str, default_port: u16) -> Result<(String, u16), SmtpConfigError> {
    let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(SmtpConfigError::MissingHost)?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(SmtpConfigError::Port(after.to_owned())),
            },
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(SmtpConfigError::MissingHost);
    }
    let port = match port {
        None => default_port,
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| SmtpConfigError::Port(port.to_owned()))?,
    };
    Ok((host.to_owned(), port))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `addr@domain` or `Display Name <addr@domain>`.
fn parse_sender(from: &str) -> Result<Sender, SmtpConfigError> {
    let from = from.trim();
    let bad = || SmtpConfigError::From(from.to_owned());
    let (name, address) = match from.strip_suffix('>').and_then(|f| f.rsplit_once('<')) {
        Some((name, address)) => {
            let name = name.trim().trim_matches('"').trim();
            if name.chars().any(char::is_control) {
                return Err(bad());
            }
            ((!name.is_empty()).then(|| name.to_owned()), address)
        }
        None => (None, from),
    };
    if !is_plain_address(address) {
        return Err(bad());
    }
    Ok(Sender {
        name,
        address: address.to_owned(),
    })
}

/// An address that can go into `MAIL FROM:<…>` / `RCPT TO:<…>` and a header as is: one `@`
/// with something on both sides, and no space, control character or angle bracket (which
/// would let it inject SMTP commands or headers).
fn is_plain_address(address: &str) -> bool {
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"');
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !address.contains(forbidden) && !domain.contains('@')
        }
        None => false,
    }
}

/// Sends each [`Mail`] in its own SMTP session.
///
/// Errors map to [`MailerError`] so that the outbox worker retries what may succeed later:
///
/// - no connection, timeout, I/O or TLS failure, any 4xx reply: `Temporary`;
/// - 5xx to `RCPT TO` or to the message (`DATA`): `Permanent`, this recipient or message
///   will not be accepted;
/// - 5xx to the greeting, `EHLO` or `MAIL FROM`, failed AUTH (535), no STARTTLS offered, no
///   common AUTH mechanism: `Temporary`. These are faults of the server or of Televent's
///   configuration, the same for every message; an operator fixes them, and the messages
///   must still be waiting when they do rather than be dropped as undeliverable.
/// - a recipient address that could inject SMTP commands or headers: `Permanent`.
#[derive(Clone)]
pub struct SmtpMailer {
    config: SmtpConfig,
    /// Built once: it holds the TLS client configuration (the platform's certificate
    /// verifier), which is costly to load for every message.
    client: Arc<SmtpClientBuilder<String>>,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for `config`. Fails only if TLS cannot be set up (no certificate store).
    pub fn new(config: SmtpConfig) -> Result<SmtpMailer, SmtpConfigError> {
        let builder = match config.tls {
            // mail-send's own TLS setup uses the platform verifier; plain connections never
            // use the connector, so they get one that needs no certificate store.
            SmtpTls::None => SmtpClientBuilder::new_with_tls_connector(config.host.clone(), config.port, unused_tls()?),
            SmtpTls::Implicit | SmtpTls::StartTls => {
                SmtpClientBuilder::new(config.host.clone(), config.port).map_err(SmtpConfigError::Tls)?
            }
        };
        let mut builder = builder
            .implicit_tls(config.tls == SmtpTls::Implicit)
            .timeout(config.timeout);
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer {
            config,
            client: Arc::new(builder),
        })
    }

    /// The configuration this mailer sends with.
    pub fn config(&self) -> &SmtpConfig {
        &self.config
    }

    async fn deliver(&self, envelope_to: &str, body: &[u8]) -> Result<(), MailerError> {
        match self.config.tls {
            SmtpTls::None => self.deliver_plain(envelope_to, body).await,
            SmtpTls::Implicit | SmtpTls::StartTls => {
                // With implicit_tls(false), mail-send's `connect` requires STARTTLS: it
                // fails with MissingStartTls rather than going on in clear.
                match self.client.connect().await {
                    Ok(client) => transaction(client, &self.config.from.address, envelope_to, body).await,
                    // STARTTLS when offered: a server without it gets the message in clear,
                    // but never a password (with credentials the error stands).
                    Err(mail_send::Error::MissingStartTls)
                        if self.config.tls == SmtpTls::StartTls && self.config.user().is_none() =>
                    {
                        tracing::warn!(host = %self.config.host, "the SMTP server offers no STARTTLS: sending in clear");
                        self.deliver_plain(envelope_to, body).await
                    }
                    Err(error) => Err(failure(Stage::Session, error)),
                }
            }
        }
    }

    /// One message over a plain connection.
    async fn deliver_plain(&self, envelope_to: &str, body: &[u8]) -> Result<(), MailerError> {
        let client = self
            .client
            .connect_plain()
            .await
            .map_err(|e| failure(Stage::Session, e))?;
        transaction(client, &self.config.from.address, envelope_to, body).await
    }
}

/// A TLS connector for plain sessions, which never use it.
fn unused_tls() -> Result<tokio_rustls::TlsConnector, SmtpConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SmtpConfigError::Tls(e.to_string()))?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// One transaction on an open (and authenticated) session, then QUIT.
async fn transaction<T: AsyncRead + AsyncWrite + Unpin>(
    mut client: SmtpClient<T>,
    from: &str,
    to: &str,
    body: &[u8],
) -> Result<(), MailerError> {
    // mail-send ends DATA with CRLF "." CRLF after the body, so a body that already ends
    // with CRLF would gain an empty last line (visible in a single-part text message).
    let body = body.strip_suffix(b"\r\n").unwrap_or(body);
    let none = Parameters::default();
    client
        .mail_from(from, &none)
        .await
        .map_err(|e| failure(Stage::MailFrom, e))?;
    client.rcpt_to(to, &none).await.map_err(|e| failure(Stage::RcptTo, e))?;
    client.data(body).await.map_err(|e| failure(Stage::Data, e))?;
    // The message is accepted; a failed QUIT changes nothing about that.
    client.quit().await.ok();
    Ok(())
}

/// Where in the session an error happened: it decides what a 5xx means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Connect, TLS, greeting, EHLO, AUTH.
    Session,
    MailFrom,
    RcptTo,
    Data,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Session => "session",
            Stage::MailFrom => "MAIL FROM",
            Stage::RcptTo => "RCPT TO",
            Stage::Data => "DATA",
        })
    }
}

/// See [`SmtpMailer`]'s docs for why each case is temporary or permanent.
fn failure(stage: Stage, error: mail_send::Error) -> MailerError {
    use mail_send::Error as E;
    match error {
        E::UnexpectedReply(reply) => {
            let text = format!("{stage}: {} {}", reply.code, reply.message);
            let per_message = matches!(stage, Stage::RcptTo | Stage::Data);
            if (500..600).contains(&reply.code) && per_message {
                MailerError::Permanent(text)
            } else {
                MailerError::Temporary(text)
            }
        }
        E::AuthenticationFailed(reply) => MailerError::Temporary(format!(
            "SMTP authentication failed (check the SMTP URL's user and password): {} {}",
            reply.code, reply.message
        )),
        E::MissingStartTls => MailerError::Temporary(
            "the SMTP server does not offer STARTTLS, and the password is never sent in clear (use smtps://, \
             or a server that offers STARTTLS)"
                .to_owned(),
        ),
        // Connect and I/O failures, timeouts, TLS, unparseable replies, missing AUTH
        // mechanisms: none says the message itself is bad.
        other => MailerError::Temporary(format!("{stage}: {other}")),
    }
}

/// The message as sent: `text/plain` alone, or `multipart/alternative` with the text and a
/// `text/calendar; method=…` part (RFC 6047), plus From, To, Subject, Date, Message-ID.
fn build_message(from: &Sender, mail: &Mail) -> Result<Vec<u8>, MailerError> {
    let domain = from.address.rsplit_once('@').map_or("localhost", |(_, domain)| domain);
    let message_id = format!("{}@{}", uuid::Uuid::new_v4().simple(), domain);
    // A header value must stay one line: control characters would start new headers.
    let subject: String = mail
        .subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let builder = MessageBuilder::new()
        .from(Address::new_address(from.name.as_deref(), from.address.as_str()))
        .to(mail.to.as_str())
        .subject(subject)
        .message_id(message_id);
    let builder = match &mail.calendar {
        None => builder.text_body(mail.text.as_str()),
        Some((method, calendar)) => {
            let method = method.trim().to_ascii_uppercase();
            if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(MailerError::Permanent(format!("bad iTIP method {method:?}")));
            }
            let text = MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                mail.text.as_str(),
            );
            let calendar = MimePart::new(
                ContentType::new("text/calendar")
                    .attribute("charset", "utf-8")
                    .attribute("method", method),
                calendar.as_str(),
            );
            builder.body(MimePart::new("multipart/alternative", vec![text, calendar]))
        }
    };
    builder
        .write_to_vec()
        .map_err(|e| MailerError::Permanent(format!("building the message: {e}")))
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailerError> {
        if !is_plain_address(&mail.to) {
            return Err(MailerError::Permanent(format!("bad recipient address {:?}", mail.to)));
        }
        let body = build_message(&self.config.from, mail)?;
        match tokio::time::timeout(self.config.timeout, self.deliver(&mail.to, &body)).await {
            Ok(result) => result,
            Err(_) => Err(MailerError::Temporary(format!(
                "no answer from the SMTP server {}:{} within {:?}",
                self.config.host, self.config.port, self.config.timeout
            ))),
        }
    }
}
