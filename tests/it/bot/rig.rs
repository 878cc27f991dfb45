//! A bot over a fresh engine (a set clock, the Argon2 hasher), polling a fake Telegram.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use televent_adapters::credentials::Argon2Hasher;
use televent_adapters::telegram::bot::BotConfig;
use televent_adapters::telegram::notifier::TelegramNotifier;
use televent_adapters::telegram::updates;
use televent_app::{Televent, TeleventBuilder};
use televent_domain::calendar::Calendar;
use televent_domain::event::StoredObject;
use televent_domain::user::{TelegramId, User};
use televent_tests::clock::ManualClock;
use televent_tests::fake_telegram::{BOT_ID, FakeTelegram, RecordedCall};
use televent_tests::stores::TestStore;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "123456:TEST-token";
pub const PATIENCE: Duration = Duration::from_secs(10);
pub const PUBLIC_URL: &str = "https://cal.example.com/";

/// Anna's Telegram id (and private chat).
pub const ANNA: i64 = 1001;
/// Bob's.
pub const BOB: i64 = 1002;

pub struct BotRig {
    pub engine: Televent,
    pub clock: ManualClock,
    pub telegram: FakeTelegram,
    next_update: AtomicI64,
    stop: Option<oneshot::Sender<()>>,
    poller: Option<JoinHandle<()>>,
    _store: TestStore,
}

impl BotRig {
    /// The bot at Wednesday 10 June 2026, 09:00 UTC.
    pub async fn start(store: TestStore) -> Self {
        Self::start_at(store, televent_tests::data::at(2026, 6, 10, 9, 0)).await
    }

    pub async fn start_at(store: TestStore, now: DateTime<Utc>) -> Self {
        Self::start_with(store, now, Some(PUBLIC_URL)).await
    }

    /// The bot at `now`, with `public_url` in its configuration.
    pub async fn start_with(store: TestStore, now: DateTime<Utc>, public_url: Option<&str>) -> Self {
        let clock = ManualClock::at(now);
        let telegram = FakeTelegram::start().await;
        let engine = TeleventBuilder::new(Arc::clone(&store.store))
            .clock(Arc::new(clock.clone()))
            .hasher(Arc::new(Argon2Hasher))
            .build();
        let notifier = TelegramNotifier::new(TOKEN, Some(&telegram.url())).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let poller = {
            let engine = engine.clone();
            let config = BotConfig {
                public_url: public_url.map(str::to_owned),
            };
            tokio::spawn(async move {
                updates::run_with(&notifier, engine, config, async {
                    let _ = stopped.await;
                })
                .await;
            })
        };
        Self {
            engine,
            clock,
            telegram,
            next_update: AtomicI64::new(1),
            stop: Some(stop),
            poller: Some(poller),
            _store: store,
        }
    }

    fn update_id(&self) -> i64 {
        self.next_update.fetch_add(1, Ordering::SeqCst)
    }

    /// `from` writes `text` in their private chat with the bot.
    pub fn send(&self, from: i64, username: Option<&str>, text: &str) {
        let chat = json!({"id": from, "type": "private", "first_name": "Test"});
        self.push_message(from, username, chat, text);
    }

    /// `from` writes `text` in the group `group`.
    pub fn send_in_group(&self, from: i64, group: i64, text: &str) {
        let chat = json!({"id": group, "type": "group", "title": "Team"});
        self.push_message(from, None, chat, text);
    }

    /// `from` shares a location in their private chat.
    pub fn send_location(&self, from: i64, latitude: f64, longitude: f64) {
        let id = self.update_id();
        self.telegram.push_update(json!({
            "update_id": id,
            "message": {
                "message_id": id,
                "date": 1_780_000_000,
                "chat": {"id": from, "type": "private", "first_name": "Test"},
                "from": {"id": from, "is_bot": false, "first_name": "Test"},
                "location": {"latitude": latitude, "longitude": longitude},
            }
        }));
    }

    fn push_message(&self, from: i64, username: Option<&str>, chat: Value, text: &str) {
        let id = self.update_id();
        let mut user = json!({"id": from, "is_bot": false, "first_name": "Test"});
        if let Some(username) = username {
            user["username"] = json!(username);
        }
        self.telegram.push_update(json!({
            "update_id": id,
            "message": {"message_id": id, "date": 1_780_000_000, "chat": chat, "from": user, "text": text}
        }));
    }

    /// `from` presses a button with `data` under the bot's message `message` (a recorded
    /// sendMessage) in their private chat. Returns the callback query id.
    pub fn press(&self, from: i64, message: &RecordedCall, data: &str) -> String {
        let id = self.update_id();
        let query_id = format!("cb{id}");
        let chat = message.body["chat_id"].as_i64().unwrap();
        let chat_type = if chat < 0 { "group" } else { "private" };
        self.telegram.push_update(json!({
            "update_id": id,
            "callback_query": {
                "id": query_id,
                "from": {"id": from, "is_bot": false, "first_name": "Test"},
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": 500 + id,
                    "date": 1_780_000_000,
                    "chat": {"id": chat, "type": chat_type, "first_name": "Test", "title": "Team"},
                    "from": {"id": BOT_ID, "is_bot": true, "first_name": "Televent"},
                    "text": text(message),
                    "reply_markup": message.body["reply_markup"].clone(),
                }
            }
        }));
        query_id
    }

    /// The `n`th sendMessage (1-based) once it arrived.
    pub async fn sent(&self, n: usize) -> RecordedCall {
        self.telegram
            .wait_for_calls("sendmessage", n, PATIENCE)
            .await
            .remove(n - 1)
    }

    /// The `n`th answerCallbackQuery (1-based) once it arrived.
    pub async fn answered(&self, n: usize) -> RecordedCall {
        self.telegram
            .wait_for_calls("answercallbackquery", n, PATIENCE)
            .await
            .remove(n - 1)
    }

    /// The `n`th editMessageText (1-based) once it arrived.
    pub async fn edited(&self, n: usize) -> RecordedCall {
        self.telegram
            .wait_for_calls("editmessagetext", n, PATIENCE)
            .await
            .remove(n - 1)
    }

    /// Sends `/start` from `from` and waits for the welcome (the `n`th message); then answers
    /// the zone question with `city`, waiting for message `n + 1`. Returns the user.
    pub async fn onboard(&self, from: i64, username: &str, city: &str, n: usize) -> User {
        self.send(from, Some(username), "/start");
        self.sent(n).await;
        self.send(from, Some(username), city);
        let set = self.sent(n + 1).await;
        assert!(text(&set).starts_with("Your time zone is now"), "{}", text(&set));
        self.user(from).await
    }

    pub async fn user(&self, telegram_id: i64) -> User {
        self.engine
            .store()
            .user_by_telegram_id(TelegramId::new(telegram_id).unwrap())
            .await
            .unwrap()
            .expect("the user exists")
    }

    pub async fn calendar(&self, user: &User) -> Calendar {
        self.engine.calendar(user, "default").await.unwrap()
    }

    /// Every resource of the user's default calendar.
    pub async fn objects(&self, user: &User) -> Vec<StoredObject> {
        let calendar = self.calendar(user).await;
        let store = self.engine.store();
        let hrefs: Vec<_> = store
            .object_metas(calendar.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.href)
            .collect();
        store.objects_by_hrefs(calendar.id, &hrefs).await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(poller) = self.poller.take() {
            poller.await.unwrap();
        }
    }
}

pub use televent_tests::fake_telegram::{button, buttons, text};
