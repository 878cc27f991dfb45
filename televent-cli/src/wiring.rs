//! Wiring adapters to ports: the one place that picks implementations.

use std::sync::Arc;

use anyhow::Context;
use televent_adapters::clock::SystemClock;
use televent_adapters::credentials::Argon2Hasher;
use televent_app::{Televent, TeleventBuilder};

/// The engine on the database at `url` (connected and migrated).
pub async fn engine(url: &str) -> anyhow::Result<Televent> {
    let store = televent_adapters::store::open(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
    Ok(TeleventBuilder::new(store)
        .clock(Arc::new(SystemClock))
        .hasher(Arc::new(Argon2Hasher))
        .build())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}
