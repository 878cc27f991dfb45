//! `televent user add|list|link|unlink`.

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
            println!(
                "{:<24} {:<14} {:<24} {:<20} ADDRESSES",
                "NAME", "TELEGRAM", "TIME ZONE", "CREATED"
            );
            for user in users {
                let telegram = user.telegram_id.map_or_else(|| "-".to_owned(), |t| t.to_string());
                let linked = engine.addresses(&user).await?;
                let addresses = if linked.is_empty() {
                    "-".to_owned()
                } else {
                    linked
                        .iter()
                        .map(|a| a.email().unwrap_or(a.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                println!(
                    "{:<24} {:<14} {:<24} {:<20} {addresses}",
                    user.name.as_str(),
                    telegram,
                    user.time_zone.name(),
                    user.created_at.format("%Y-%m-%d %H:%M UTC").to_string()
                );
            }
        }
        UserCommand::Link { name, address } => {
            let user = engine.user(&name).await?;
            let linked = engine.link_address(&user, &address).await?;
            let email = linked.email().unwrap_or(linked.as_str());
            println!("linked {email} to {}: attendees at it are {} now", user.name, user.name);
        }
        UserCommand::Unlink { name, address } => {
            let user = engine.user(&name).await?;
            engine.unlink_address(&user, &address).await?;
            println!("unlinked {} from {}", address.trim(), user.name);
        }
        UserCommand::LoginLink { name, public_url } => {
            let user = engine.user(&name).await?;
            let link = engine.create_login_link(&user).await?;
            println!(
                "a one-time sign-in link for {} (valid until {}, works once):",
                user.name,
                link.expires_at.format("%Y-%m-%d %H:%M UTC")
            );
            println!("{}", televent_adapters::http::web::login_url(&public_url, &link.secret));
        }
    }
    Ok(())
}
