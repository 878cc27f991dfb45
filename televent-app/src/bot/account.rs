//! The account behind a Telegram user: found by Telegram id, or created on first contact with
//! a name made from the Telegram username.

use televent_domain::user::{TelegramId, TimeZoneId, User, UserName};
use televent_ports::StoreError;
use televent_ports::store::NewUser;

use crate::engine::Televent;
use crate::error::AppError;

/// How many numbered variants of a taken name are tried before falling back to `tg<id>`.
const NUMBERED_TRIES: u32 = 20;

/// A user name made from a Telegram username: lower-cased, characters outside `a-z 0-9 . _ -`
/// dropped, leading punctuation dropped, at most 56 characters (room for a numeric suffix).
/// `None` when nothing usable is left.
pub fn telegram_user_name(username: &str) -> Option<String> {
    let cleaned: String = username
        .trim()
        .trim_start_matches('@')
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        .skip_while(|c| !c.is_ascii_alphanumeric())
        .take(56)
        .collect();
    UserName::parse(&cleaned).ok().map(|name| name.as_str().to_owned())
}

impl Televent {
    /// The user linked to `telegram_id`, or a new one with its default calendar (zone UTC
    /// until told). The name is the sanitised Telegram `username` ([`telegram_user_name`]),
    /// made unique with a numeric suffix (`anna2`), or `tg<id>` without a usable username.
    /// The flag is true when the user was created now.
    pub async fn telegram_user(
        &self,
        telegram_id: TelegramId,
        username: Option<&str>,
    ) -> Result<(User, bool), AppError> {
        if let Some(user) = self.store.user_by_telegram_id(telegram_id).await? {
            return Ok((user, false));
        }
        let fallback = format!("tg{telegram_id}");
        let base = username.and_then(telegram_user_name);
        let mut candidates: Vec<String> = Vec::new();
        if let Some(base) = &base {
            candidates.push(base.clone());
            candidates.extend((2..NUMBERED_TRIES + 2).map(|n| format!("{base}{n}")));
        }
        candidates.push(fallback.clone());
        candidates.extend((2..NUMBERED_TRIES + 2).map(|n| format!("{fallback}-{n}")));
        for candidate in candidates {
            let name = UserName::parse(&candidate).map_err(AppError::Invalid)?;
            if self.store.user_by_name(&name).await?.is_some() {
                continue;
            }
            let created = self
                .store
                .create_user(NewUser {
                    name,
                    telegram_id: Some(telegram_id),
                    time_zone: TimeZoneId::UTC,
                    at: self.clock.now(),
                })
                .await;
            match created {
                Ok((user, _calendar)) => return Ok((user, true)),
                // Taken in between: by this Telegram user (a second update raced us), or the
                // name by someone else (try the next one).
                Err(StoreError::AlreadyExists(_)) => {
                    if let Some(user) = self.store.user_by_telegram_id(telegram_id).await? {
                        return Ok((user, false));
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(AppError::AlreadyExists(format!(
            "every name tried for Telegram user {telegram_id}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::telegram_user_name;

    #[test]
    fn usernames_become_user_names() {
        let cases = [
            ("Anna_B", Some("anna_b")),
            ("@Bob", Some("bob")),
            ("__x", Some("x")),
            ("Ümit", Some("mit")),
            ("___", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(telegram_user_name(input).as_deref(), expected, "{input}");
        }
        assert_eq!(telegram_user_name(&"a".repeat(80)).map(|n| n.len()), Some(56));
    }
}
