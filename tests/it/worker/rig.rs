//! One engine wired to a fake Telegram and (when asked) a real SMTP sink, on a set clock.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use televent_adapters::mail::smtp::{SmtpConfig, SmtpMailer};
use televent_adapters::telegram::notifier::TelegramNotifier;
use televent_app::{DeliveryConfig, DeliveryReport, ScheduleConfig, Televent, TeleventBuilder};
use televent_domain::calendar::Calendar;
use televent_domain::event::Href;
use televent_domain::outbox::{OutboxMessage, OutboxStatus};
use televent_domain::user::User;
use televent_ports::Clock;
use televent_ports::store::Precondition;
use televent_tests::clock::ManualClock;
use televent_tests::fake_telegram::{FakeTelegram, RecordedCall};
use televent_tests::smtp_server::{SinkOptions, SmtpSink};
use televent_tests::stores::TestStore;

pub const TOKEN: &str = "123456:TEST-token";

/// How long a test waits for a fake to see something that must already have happened.
pub const PATIENCE: StdDuration = StdDuration::from_secs(10);

pub struct Rig {
    pub engine: Televent,
    pub clock: ManualClock,
    pub telegram: FakeTelegram,
    pub smtp: Option<SmtpSink>,
    pub delivery: DeliveryConfig,
    _store: TestStore,
}

pub struct RigOptions {
    pub start: DateTime<Utc>,
    pub smtp: Option<SinkOptions>,
    pub telegram: bool,
}

impl Default for RigOptions {
    fn default() -> Self {
        Self {
            start: televent_tests::data::at(2026, 6, 10, 9, 0),
            smtp: None,
            telegram: true,
        }
    }
}

impl Rig {
    pub async fn new(store: TestStore) -> Self {
        Self::with(store, RigOptions::default()).await
    }

    pub async fn with(store: TestStore, options: RigOptions) -> Self {
        let clock = ManualClock::at(options.start);
        let telegram = FakeTelegram::start().await;
        let mut builder = TeleventBuilder::new(Arc::clone(&store.store)).clock(Arc::new(clock.clone()));
        // teloxide sleeps 10 s after any 5xx before reading it; the call's timeout cuts that
        // short (as Temporary) so outage tests do not wait for it.
        let notifier = TelegramNotifier::with_timeout(TOKEN, Some(&telegram.url()), StdDuration::from_secs(2)).unwrap();
        if options.telegram {
            builder = builder.notifier(Arc::new(notifier));
        }
        let smtp = match options.smtp {
            Some(sink_options) => {
                let sink = SmtpSink::start(sink_options).await;
                let config = SmtpConfig::parse(&sink.url(None), "Televent <televent@localhost>").unwrap();
                builder = builder.mailer(Arc::new(SmtpMailer::new(config).unwrap()));
                Some(sink)
            }
            None => None,
        };
        let mut delivery = DeliveryConfig::new("test-worker");
        delivery.retry.max_attempts = 4;
        Self {
            engine: builder.build(),
            clock,
            telegram,
            smtp,
            delivery,
            _store: store,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub async fn user(&self, name: &str, telegram: Option<i64>, zone: &str) -> (User, Calendar) {
        self.engine.create_user(name, telegram, Some(zone)).await.unwrap()
    }

    pub async fn put(&self, user: &User, calendar: &Calendar, uid: &str, ics: &str) -> Href {
        let href = Href::parse(&format!("{uid}.ics")).unwrap();
        self.engine
            .put_object(user, calendar, &href, ics.as_bytes(), Precondition::None)
            .await
            .unwrap();
        href
    }

    pub async fn deliver(&self) -> DeliveryReport {
        self.engine.deliver_due(&self.delivery).await.unwrap()
    }

    pub async fn schedule(&self) -> televent_app::ScheduleReport {
        self.engine.schedule_notices(&ScheduleConfig::default()).await.unwrap()
    }

    pub async fn messages(&self, status: Option<OutboxStatus>) -> Vec<OutboxMessage> {
        self.engine.outbox_messages(status, 1000).await.unwrap()
    }

    /// The sendMessage calls the fake answered so far (failed ones included).
    pub fn sent(&self) -> Vec<RecordedCall> {
        self.telegram.calls_named("sendmessage")
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}

pub use televent_tests::fake_telegram::{buttons, chat, text};

/// A VEVENT resource organized by `organizer` (a user name) with these attendee addresses.
pub fn meeting(uid: &str, organizer: &str, attendees: &[&str], start: &str, extra: &str) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Televent tests//EN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{uid}"),
        "DTSTAMP:20260601T000000Z".to_owned(),
        format!("DTSTART;TZID=Europe/Berlin:{start}"),
        "DURATION:PT1H".to_owned(),
        "SUMMARY:Planning".to_owned(),
        "LOCATION:Room 4".to_owned(),
        format!("ORGANIZER;CN={organizer}:mailto:{organizer}@televent.internal"),
    ];
    for attendee in attendees {
        lines.push(format!("ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee}"));
    }
    for line in extra.lines().filter(|l| !l.is_empty()) {
        lines.push(line.to_owned());
    }
    lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned(), String::new()]);
    lines.join("\r\n")
}
