//! `televent user add|list`.

use televent_app::Televent;

use crate::cli::UserCommand;

pub async fn run(engine: &Televent, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            name,
            telegram_id,
            timezone,
        } => {
            let (user, calendar) = engine.create_user(&name, telegram_id, timezone.as_deref()).await?;
            println!(
                "created user {} (time zone {}) with calendar '{}'",
                user.name,
                user.time_zone.name(),
                calendar.slug
            );
        }
        UserCommand::List => {
            let users = engine.users().await?;
            if users.is_empty() {
                println!("no users yet: add one with `televent user add NAME`");
                return Ok(());
            }
            println!("{:<24} {:<14} {:<24} CREATED", "NAME", "TELEGRAM", "TIME ZONE");
            for user in users {
                let telegram = user.telegram_id.map_or_else(|| "-".to_owned(), |t| t.to_string());
                println!(
                    "{:<24} {:<14} {:<24} {}",
                    user.name,
                    telegram,
                    user.time_zone.name(),
                    user.created_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
        }
    }
    Ok(())
}
