//! `SmtpMailer` against a real SMTP server (aiosmtpd, `support/smtp_sink.py`) on loopback:
//! what a mail client receives (envelope, headers, MIME structure as Python's `email` parses
//! it), and how each kind of failure comes back to the outbox worker. Also `SmtpConfig::parse`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use televent_adapters::mail::smtp::{SmtpConfig, SmtpConfigError, SmtpMailer, SmtpTls};
use televent_ports::mailer::{Mail, Mailer, MailerError};
use televent_tests::smtp_server::{SinkOptions, SmtpSink};

const FROM: &str = "Televent <calendar@televent.test>";
const WAIT: Duration = Duration::from_secs(10);

const INVITATION: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Televent//Test//EN\r\n\
METHOD:REQUEST\r\n\
BEGIN:VEVENT\r\n\
UID:lunch-1@televent.test\r\n\
DTSTAMP:20250101T090000Z\r\n\
DTSTART:20250102T120000Z\r\n\
DTEND:20250102T130000Z\r\n\
SUMMARY:Déjeuner à la cantine\r\n\
DESCRIPTION:A description long enough to be folded by the writer of the iCale\r\n \
ndar text\\, with a comma and a dot on a line of its own:\r\n\
.\r\n\
ORGANIZER;CN=Ann:mailto:ann@televent.test\r\n\
ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

fn mailer(url: &str) -> SmtpMailer {
    SmtpMailer::new(SmtpConfig::parse(url, FROM).unwrap()).unwrap()
}

fn invitation(to: &str, method: &str) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: "Invitation : Déjeuner à la cantine".to_owned(),
        text: "Ann vous invite à déjeuner.\nJeudi 2 janvier, 13:00–14:00.\n".to_owned(),
        calendar: Some((
            method.to_owned(),
            INVITATION.replace("METHOD:REQUEST", &format!("METHOD:{method}")),
        )),
    }
}

fn plain(to: &str) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: "Digest".to_owned(),
        text: "Nothing today.\n".to_owned(),
        calendar: None,
    }
}

/// Line ends as a mail client reads them: SMTP makes every line end CRLF.
fn lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[tokio::test]
async fn an_invitation_arrives_as_text_and_a_calendar_request() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let mailer: Arc<dyn Mailer> = Arc::new(mailer(&sink.url(None)));
    let mail = invitation("bob@example.com", "REQUEST");

    mailer.send(&mail).await.unwrap();

    let received = sink.wait_for_messages(1, WAIT).await;
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.mail_from, "calendar@televent.test");
    assert_eq!(got.rcpt_tos, ["bob@example.com"]);
    assert_eq!(got.header("from"), Some("Televent <calendar@televent.test>"));
    assert_eq!(got.header("to"), Some("bob@example.com"));
    assert_eq!(got.header("subject"), Some(mail.subject.as_str()));
    assert_eq!(got.header("mime-version"), Some("1.0"));
    assert!(got.header("date").is_some(), "no Date: {}", got.raw);
    let message_id = got.header("message-id").unwrap();
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@televent.test>"),
        "{message_id}"
    );

    assert_eq!(got.content_type, "multipart/alternative");
    assert_eq!(got.parts.len(), 2, "{:#?}", got.parts);
    let text = &got.parts[0];
    assert_eq!(text.content_type, "text/plain");
    assert_eq!(text.param("charset"), Some("utf-8"));
    assert_eq!(lines(&text.body), mail.text);
    let calendar = &got.parts[1];
    assert_eq!(calendar.content_type, "text/calendar");
    assert_eq!(calendar.param("method"), Some("REQUEST"));
    assert_eq!(calendar.param("charset"), Some("utf-8"));
    assert_eq!(lines(&calendar.body), lines(INVITATION));
}

#[tokio::test]
async fn a_cancellation_carries_method_cancel() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let mailer = mailer(&sink.url(None));

    mailer.send(&invitation("bob@example.com", "CANCEL")).await.unwrap();

    let got = &sink.wait_for_messages(1, WAIT).await[0];
    let calendar = got.part("text/calendar").unwrap();
    assert_eq!(calendar.param("method"), Some("CANCEL"));
    assert!(calendar.body.contains("METHOD:CANCEL"), "{}", calendar.body);
}

#[tokio::test]
async fn a_mail_without_calendar_is_plain_text() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let mailer = mailer(&sink.url(None));

    mailer.send(&plain("ann@example.com")).await.unwrap();

    let got = &sink.wait_for_messages(1, WAIT).await[0];
    assert_eq!(got.content_type, "text/plain");
    assert_eq!(got.parts.len(), 1);
    assert_eq!(got.parts[0].param("charset"), Some("utf-8"));
    assert_eq!(lines(&got.parts[0].body), "Nothing today.\n");
}

#[tokio::test]
async fn a_subject_cannot_add_headers() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let mailer = mailer(&sink.url(None));
    let mail = Mail {
        subject: "Hello\r\nBcc: eve@example.net".to_owned(),
        ..plain("ann@example.com")
    };

    mailer.send(&mail).await.unwrap();

    let got = &sink.wait_for_messages(1, WAIT).await[0];
    assert_eq!(got.rcpt_tos, ["ann@example.com"]);
    assert!(!got.raw.to_ascii_lowercase().contains("\nbcc:"), "{}", got.raw);
    assert!(got.header("subject").unwrap().contains("Bcc: eve@example.net"));
}

#[tokio::test]
async fn a_recipient_that_would_inject_commands_is_permanent_and_nothing_is_sent() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let mailer = mailer(&sink.url(None));

    for to in ["bob@example.com>\r\nRCPT TO:<eve@example.net", "not an address", ""] {
        let result = mailer.send(&plain(to)).await;
        assert!(matches!(result, Err(MailerError::Permanent(_))), "{to:?}: {result:?}");
    }
    // Then a good one: the sink has exactly it.
    mailer.send(&plain("bob@example.com")).await.unwrap();
    let received = sink.wait_for_messages(1, WAIT).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["bob@example.com"]);
}

#[tokio::test]
async fn auth_with_percent_encoded_credentials_from_the_url() {
    let password = "p@ss:w/rd%é";
    let sink = SmtpSink::start(SinkOptions {
        auth: Some(("televent@example.org".to_owned(), password.to_owned())),
        ..SinkOptions::default()
    })
    .await;
    let mailer = mailer(&sink.url(Some(("televent%40example.org", "p%40ss%3Aw%2Frd%25%C3%A9"))));

    mailer.send(&plain("ann@example.com")).await.unwrap();

    assert_eq!(sink.wait_for_messages(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn a_wrong_password_fails_and_is_kept_for_retry() {
    let sink = SmtpSink::start(SinkOptions {
        auth: Some(("televent".to_owned(), "right".to_owned())),
        ..SinkOptions::default()
    })
    .await;

    let wrong = mailer(&sink.url(Some(("televent", "wrong"))))
        .send(&plain("ann@example.com"))
        .await;
    match wrong {
        Err(MailerError::Temporary(why)) => {
            assert!(why.contains("authentication failed"), "{why}");
            assert!(!why.contains("wrong"), "the password leaked into the error: {why}");
        }
        other => panic!("expected a temporary failure, got {other:?}"),
    }
    // No credentials at all: the server refuses MAIL FROM (530), also a configuration fault.
    let anonymous = mailer(&sink.url(None)).send(&plain("ann@example.com")).await;
    assert!(matches!(anonymous, Err(MailerError::Temporary(_))), "{anonymous:?}");

    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_451_is_temporary_and_the_next_send_succeeds() {
    let sink = SmtpSink::start(SinkOptions {
        refuse_first: 1,
        refuse_code: Some(451),
        ..SinkOptions::default()
    })
    .await;
    let mailer = mailer(&sink.url(None));
    let mail = invitation("bob@example.com", "REQUEST");

    match mailer.send(&mail).await {
        Err(MailerError::Temporary(why)) => assert!(why.contains("451"), "{why}"),
        other => panic!("expected a temporary failure, got {other:?}"),
    }
    assert!(sink.messages().is_empty());

    mailer.send(&mail).await.unwrap();
    assert_eq!(sink.wait_for_messages(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn a_451_to_rcpt_is_temporary() {
    let sink = SmtpSink::start(SinkOptions {
        refuse_first: 1,
        refuse_code: Some(451),
        refuse_at_rcpt: true,
        ..SinkOptions::default()
    })
    .await;

    let result = mailer(&sink.url(None)).send(&plain("bob@example.com")).await;

    assert!(
        matches!(&result, Err(MailerError::Temporary(why)) if why.contains("451")),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_550_to_rcpt_is_permanent() {
    let sink = SmtpSink::start(SinkOptions {
        refuse_first: 1,
        refuse_code: Some(550),
        refuse_at_rcpt: true,
        ..SinkOptions::default()
    })
    .await;

    let result = mailer(&sink.url(None)).send(&plain("nobody@example.com")).await;

    assert!(
        matches!(&result, Err(MailerError::Permanent(why)) if why.contains("550")),
        "{result:?}"
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_554_to_the_message_is_permanent() {
    let sink = SmtpSink::start(SinkOptions {
        refuse_first: 1,
        refuse_code: Some(554),
        ..SinkOptions::default()
    })
    .await;

    let result = mailer(&sink.url(None))
        .send(&invitation("bob@example.com", "REQUEST"))
        .await;

    assert!(
        matches!(&result, Err(MailerError::Permanent(why)) if why.contains("554")),
        "{result:?}"
    );
}

#[tokio::test]
async fn nothing_listening_is_temporary() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);

    let result = mailer(&format!("smtp://127.0.0.1:{port}?tls=none"))
        .send(&plain("ann@example.com"))
        .await;

    assert!(matches!(result, Err(MailerError::Temporary(_))), "{result:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_temporary() {
    // Accepts connections (the kernel's backlog) and never sends a greeting.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = SmtpConfig::parse(&format!("smtp://127.0.0.1:{port}?tls=none"), FROM)
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    let mailer = SmtpMailer::new(config).unwrap();
    let started = Instant::now();

    let result = mailer.send(&plain("ann@example.com")).await;

    assert!(matches!(result, Err(MailerError::Temporary(_))), "{result:?}");
    assert!(
        started.elapsed() < WAIT,
        "the timeout did not hold: {:?}",
        started.elapsed()
    );
    drop(listener);
}

#[tokio::test]
async fn smtp_uses_starttls_when_offered_and_never_sends_a_password_in_clear() {
    // The sink has no TLS, so it offers no STARTTLS.
    let sink = SmtpSink::start(SinkOptions::default()).await;

    // Without credentials the message goes in clear, as "STARTTLS when offered" means.
    let url = format!("smtp://127.0.0.1:{}", sink.port());
    mailer(&url).send(&plain("ann@example.com")).await.unwrap();
    assert_eq!(sink.wait_for_messages(1, Duration::from_secs(10)).await.len(), 1);

    // With credentials it is refused: the password would cross the network in clear.
    let url = format!("smtp://user:secret@127.0.0.1:{}", sink.port());
    let result = mailer(&url).send(&plain("bob@example.com")).await;
    assert!(
        matches!(&result, Err(MailerError::Temporary(why)) if why.contains("STARTTLS") && !why.contains("secret")),
        "{result:?}"
    );
    assert_eq!(sink.messages().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn smtps_to_a_plain_server_fails_as_temporary() {
    let sink = SmtpSink::start(SinkOptions::default()).await;
    let config = SmtpConfig::parse(&format!("smtps://127.0.0.1:{}", sink.port()), FROM)
        .unwrap()
        .with_timeout(Duration::from_secs(5));

    let result = SmtpMailer::new(config).unwrap().send(&plain("ann@example.com")).await;

    assert!(matches!(result, Err(MailerError::Temporary(_))), "{result:?}");
    assert!(sink.messages().is_empty());
}

// --- SmtpConfig::parse ---

/// What `parse` should make of a URL: host, port, TLS, user, timeout in seconds.
type Parsed = (&'static str, u16, SmtpTls, Option<&'static str>, u64);

fn check(url: &str, expected: Result<Parsed, SmtpConfigError>) {
    let got = SmtpConfig::parse(url, FROM).map(|c| {
        (
            c.host().to_owned(),
            c.port(),
            c.tls(),
            c.user().map(str::to_owned),
            c.timeout().as_secs(),
        )
    });
    let expected =
        expected.map(|(host, port, tls, user, timeout)| (host.to_owned(), port, tls, user.map(str::to_owned), timeout));
    assert_eq!(got, expected, "{url}");
}

#[test]
fn config_parse_reads_scheme_host_port_user_and_options() {
    use SmtpTls::{Implicit, None as Plain, StartTls};
    check(
        "smtp://mail.example.org",
        Ok(("mail.example.org", 587, StartTls, None, 30)),
    );
    check(
        "smtp://mail.example.org:25",
        Ok(("mail.example.org", 25, StartTls, None, 30)),
    );
    check(
        "smtps://mail.example.org",
        Ok(("mail.example.org", 465, Implicit, None, 30)),
    );
    check(
        "SMTPS://u:p@mail.example.org:2465/",
        Ok(("mail.example.org", 2465, Implicit, Some("u"), 30)),
    );
    check(
        "smtp://user%40example.org:p%40ss%3Aw%2Frd@mail.example.org",
        Ok(("mail.example.org", 587, StartTls, Some("user@example.org"), 30)),
    );
    check(
        "smtp://u:p@ss@mail.example.org",
        Ok(("mail.example.org", 587, StartTls, Some("u"), 30)),
    );
    check(
        "smtp://:nouser@mail.example.org",
        Ok(("mail.example.org", 587, StartTls, None, 30)),
    );
    check("smtp://[::1]:2525?tls=none", Ok(("::1", 2525, Plain, None, 30)));
    check("smtp://[2001:db8::1]", Ok(("2001:db8::1", 587, StartTls, None, 30)));
    check(
        "smtp://localhost:1025?tls=none&timeout=5",
        Ok(("localhost", 1025, Plain, None, 5)),
    );
    check(
        "smtp://u:p@127.0.0.1:1025?tls=none",
        Ok(("127.0.0.1", 1025, Plain, Some("u"), 30)),
    );
    check(
        "smtps://mail.example.org?timeout=120",
        Ok(("mail.example.org", 465, Implicit, None, 120)),
    );
}

#[test]
fn config_parse_refuses_what_it_cannot_honour() {
    use SmtpConfigError as E;
    check("http://mail.example.org", Err(E::Scheme("http".to_owned())));
    check("mail.example.org:25", Err(E::Scheme("mail.example.org".to_owned())));
    check("smtp://", Err(E::MissingHost));
    check("smtp://:25", Err(E::MissingHost));
    check("smtp://u:p@", Err(E::MissingHost));
    check("smtp://h:0", Err(E::Port("0".to_owned())));
    check("smtp://h:99999", Err(E::Port("99999".to_owned())));
    check("smtp://h:smtp", Err(E::Port("smtp".to_owned())));
    check("smtp://[::1]x", Err(E::Port("x".to_owned())));
    check("smtp://u:%FF@h", Err(E::Userinfo));
    check("smtp://h/path", Err(E::Unsupported("a path".to_owned())));
    check("smtp://h#x", Err(E::Unsupported("a fragment".to_owned())));
    check("smtp://h?tls=off", Err(E::Unsupported("parameter tls=off".to_owned())));
    check(
        "smtps://h?tls=none",
        Err(E::Unsupported("parameter tls=none".to_owned())),
    );
    check("smtp://h?timeout=0", Err(E::Unsupported("timeout=0".to_owned())));
    check("smtp://h?timeout=soon", Err(E::Unsupported("timeout=soon".to_owned())));
    check(
        "smtp://u:p@mail.example.org:25?tls=none",
        Err(E::PlainCredentials("mail.example.org".to_owned())),
    );
}

#[test]
fn config_parse_reads_the_from_address() {
    for good in [
        "calendar@televent.test",
        "Televent <calendar@televent.test>",
        "\"Tele Vent\" <a@b.test>",
    ] {
        let config = SmtpConfig::parse("smtp://h", good).unwrap();
        assert!(config.from_address().ends_with(".test"), "{good}: {config:?}");
    }
    for bad in [
        "",
        "televent",
        "Televent <>",
        "a@b.test\r\nBcc: eve@example.net",
        "a b@c.test",
        "<a@b.test",
    ] {
        assert_eq!(
            SmtpConfig::parse("smtp://h", bad),
            Err(SmtpConfigError::From(bad.trim().to_owned())),
            "{bad:?}"
        );
    }
}

#[test]
fn debug_never_shows_the_password() {
    let config = SmtpConfig::parse("smtps://ann:s3cr3t%21pw@mail.example.org", FROM).unwrap();
    let shown = format!("{config:?} {:?}", SmtpMailer::new(config.clone()).unwrap());
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
    assert!(shown.contains("ann"), "{shown}");
}
