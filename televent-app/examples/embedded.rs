//! Embedding Televent on the in-memory store: create a user, store a weekly event, and list its
//! occurrences. Run with `cargo run -p televent-app --example embedded`.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use televent_adapters::clock::SystemClock;
use televent_adapters::store::MemoryStore;
use televent_app::{AppError, TeleventBuilder};
use televent_domain::event::Href;
use televent_ports::store::Precondition;

const STANDUP: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//example//EN\r\n\
BEGIN:VEVENT\r\nUID:standup@example.com\r\nDTSTAMP:20250101T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20250106T093000\r\nDURATION:PT15M\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::main]
async fn main() -> Result<(), AppError> {
    // 1. The engine, on whichever adapters you like.
    let engine = TeleventBuilder::new(Arc::new(MemoryStore::new()))
        .clock(Arc::new(SystemClock))
        .build();

    // 2. A user (with a default calendar) who lives in Berlin.
    let (alice, calendar) = engine.create_user("alice", None, Some("Europe/Berlin")).await?;

    // 3. Store an event exactly as a client would PUT it.
    let href = Href::parse("standup.ics").map_err(AppError::Invalid)?;
    let stored = engine
        .put_object(
            &alice,
            &calendar,
            &href,
            STANDUP.as_bytes(),
            Precondition::IfNoneMatchAny,
        )
        .await?;
    println!(
        "stored with ETag {} (sync token {})",
        stored.outcome.etag, stored.outcome.token
    );

    // 4. Its occurrences in the first two weeks of January, in Alice's zone.
    let from = Utc.with_ymd_and_hms(2025, 1, 6, 0, 0, 0).single().unwrap_or_default();
    for entry in engine.agenda(&alice, &[], from, from + Duration::days(14)).await? {
        println!(
            "{}  {}",
            entry.start.format("%a %d %b %H:%M %Z"),
            entry.summary.unwrap_or_default()
        );
    }
    Ok(())
}
