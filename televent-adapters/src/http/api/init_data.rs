//! Telegram Mini App `initData`: the signed query string Telegram gives a web app it opens,
//! checked as Telegram documents ("Validating data received via the Mini App"):
//! `secret = HMAC_SHA256(key "WebAppData", bot token)`, and `hash` must be the hex
//! `HMAC_SHA256(key secret, data-check-string)`, where the data-check-string is every other
//! field as `key=value`, sorted by key, joined by newlines. `auth_date` must be recent.

use chrono::{DateTime, Duration, Utc};
use percent_encoding::percent_decode_str;
use ring::hmac;
use televent_domain::user::TelegramId;

/// How old an `initData` may be.
pub const MAX_AGE: Duration = Duration::hours(24);

/// Why an `initData` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitDataError {
    /// Not a query string with the fields Telegram sends.
    #[error("the Telegram data is malformed: {0}")]
    Malformed(&'static str),
    /// The signature does not match this bot.
    #[error("the Telegram data is not signed for this bot")]
    BadSignature,
    /// Signed too long ago (or in the future).
    #[error("the Telegram data is too old; open the app from Telegram again")]
    Stale,
}

/// The Telegram user an `initData` string proves, signed with `bot_token`, at `now`.
pub fn verify(init_data: &str, bot_token: &str, now: DateTime<Utc>) -> Result<TelegramId, InitDataError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut hash = None;
    for pair in init_data.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or(InitDataError::Malformed("a field without '='"))?;
        let key = decode(key)?;
        let value = decode(value)?;
        if key == "hash" {
            hash = Some(value);
        } else {
            fields.push((key, value));
        }
    }
    let hash = hash.ok_or(InitDataError::Malformed("no hash"))?;
    let expected = decode_hex(&hash).ok_or(InitDataError::Malformed("the hash is not hex"))?;
    fields.sort();
    let check_string = fields
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("\n");
    let secret = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, b"WebAppData"), bot_token.as_bytes());
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_ref());
    // Constant-time comparison.
    hmac::verify(&key, check_string.as_bytes(), &expected).map_err(|_| InitDataError::BadSignature)?;

    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let auth_date: i64 = field("auth_date")
        .and_then(|value| value.parse().ok())
        .ok_or(InitDataError::Malformed("no auth_date"))?;
    let signed_at = DateTime::from_timestamp(auth_date, 0).ok_or(InitDataError::Malformed("a bad auth_date"))?;
    // A minute of clock skew is tolerated in the future.
    if now - signed_at > MAX_AGE || signed_at - now > Duration::minutes(1) {
        return Err(InitDataError::Stale);
    }
    let user: serde_json::Value = serde_json::from_str(field("user").ok_or(InitDataError::Malformed("no user"))?)
        .map_err(|_| InitDataError::Malformed("the user is not JSON"))?;
    let id = user
        .get("id")
        .and_then(serde_json::Value::as_i64)
        .ok_or(InitDataError::Malformed("no user id"))?;
    TelegramId::new(id).map_err(|_| InitDataError::Malformed("a bad user id"))
}

fn decode(text: &str) -> Result<String, InitDataError> {
    // Query strings encode spaces as '+'.
    let text = text.replace('+', " ");
    percent_decode_str(&text)
        .decode_utf8()
        .map(|value| value.into_owned())
        .map_err(|_| InitDataError::Malformed("not UTF-8"))
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| text.get(at..at + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:ABC-test";

    /// Signs fields as Telegram does (the test's own implementation of the documented steps).
    fn signed(fields: &[(&str, &str)], token: &str) -> String {
        let mut sorted: Vec<_> = fields.to_vec();
        sorted.sort();
        let check = sorted
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n");
        let secret = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, b"WebAppData"), token.as_bytes());
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret.as_ref()), check.as_bytes());
        let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        let mut query: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        query.push(format!("hash={hex}"));
        query.join("&")
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    #[test]
    fn accepts_a_fresh_signed_user_and_refuses_the_rest() {
        let user = r#"{"id":4242,"first_name":"Ann","username":"ann"}"#;
        let fields = [("auth_date", "1790000000"), ("query_id", "AAH"), ("user", user)];
        let good = signed(&fields, TOKEN);
        assert_eq!(verify(&good, TOKEN, now()), Ok(TelegramId::new(4242).unwrap()));
        assert_eq!(verify(&good, "other:token", now()), Err(InitDataError::BadSignature));
        assert_eq!(
            verify(&good, TOKEN, now() + Duration::days(2)),
            Err(InitDataError::Stale)
        );
        let tampered = good.replace("4242", "4243");
        assert_eq!(verify(&tampered, TOKEN, now()), Err(InitDataError::BadSignature));
        assert!(matches!(
            verify("user=1", TOKEN, now()),
            Err(InitDataError::Malformed(_))
        ));
        assert!(matches!(verify("", TOKEN, now()), Err(InitDataError::Malformed(_))));
        let no_user = signed(&[("auth_date", "1790000000")], TOKEN);
        assert!(matches!(
            verify(&no_user, TOKEN, now()),
            Err(InitDataError::Malformed(_))
        ));
    }
}
