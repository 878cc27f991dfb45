//! `televent outbox list|retry`: the dead letters and what is waiting.

use anyhow::{Context, bail};
use televent_app::Televent;
use televent_domain::ids::OutboxId;
use televent_domain::outbox::{OutboxPayload, OutboxStatus};

use crate::cli::OutboxCommand;

pub async fn run(engine: &Televent, command: OutboxCommand) -> anyhow::Result<()> {
    match command {
        OutboxCommand::List { status, limit } => {
            let status =
                match status.as_deref() {
                    None => None,
                    Some(text) => Some(OutboxStatus::parse(text).with_context(|| {
                        format!("'{text}' is not a status: use pending, claimed, delivered or failed")
                    })?),
                };
            let messages = engine.outbox_messages(status, limit).await?;
            let counts = engine.outbox_counts().await?;
            println!(
                "{} pending, {} claimed, {} delivered, {} failed",
                counts.pending, counts.claimed, counts.delivered, counts.failed
            );
            for message in messages {
                let what = match &message.payload {
                    OutboxPayload::Invitation(i) => format!("invitation {}", i.uid),
                    OutboxPayload::Reminder(r) => format!("reminder {}", r.uid),
                    OutboxPayload::Digest(d) => format!("digest {}", d.date),
                    OutboxPayload::Reply(r) => format!("reply from {}", r.attendee.as_str()),
                };
                println!(
                    "{}  {:<9}  {:<8}  tries {:<2}  due {}  to {}  {what}{}",
                    message.id,
                    message.status.as_str(),
                    message.channel.as_str(),
                    message.attempts,
                    message.available_at.format("%Y-%m-%d %H:%M:%S"),
                    message.recipient,
                    message
                        .last_error
                        .as_deref()
                        .map(|e| format!("  last error: {e}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        OutboxCommand::Retry { id, all_failed } => {
            if all_failed {
                let count = engine.retry_failed_outbox_messages().await?;
                println!("{count} failed message(s) queued again");
                return Ok(());
            }
            let Some(id) = id else {
                bail!("give a message id or --all-failed")
            };
            let id: OutboxId = id.parse().with_context(|| format!("'{id}' is not a message id"))?;
            engine.retry_outbox_message(id).await?;
            println!("message {id} queued again");
            Ok(())
        }
    }
}
