//! `televent device add|list|revoke`.

use televent_app::Televent;

use crate::cli::DeviceCommand;

pub async fn run(engine: &Televent, command: DeviceCommand) -> anyhow::Result<()> {
    match command {
        DeviceCommand::Add { name, label } => {
            let user = engine.user(&name).await?;
            let new = engine.add_device(&user, &label).await?;
            println!(
                "device password '{}' for {} (id {})",
                new.device.label, user.name, new.device.id
            );
            println!(
                "CalDAV user name: {}. The password is shown once; store it in your calendar app now:",
                user.name
            );
            println!("{}", new.password);
        }
        DeviceCommand::List { name } => {
            let user = engine.user(&name).await?;
            let devices = engine.devices(&user).await?;
            if devices.is_empty() {
                println!(
                    "{} has no device passwords: add one with `televent device add {}`",
                    user.name, user.name
                );
                return Ok(());
            }
            println!(
                "{:<38} {:<24} {:<18} {:<18} STATUS",
                "ID", "LABEL", "CREATED", "LAST USED"
            );
            for device in devices {
                let last = device
                    .last_used_at
                    .map_or_else(|| "never".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
                let status = device
                    .revoked_at
                    .map_or_else(|| "active".to_owned(), |t| format!("revoked {}", t.format("%Y-%m-%d")));
                println!(
                    "{:<38} {:<24} {:<18} {:<18} {}",
                    device.id,
                    device.label,
                    device.created_at.format("%Y-%m-%d %H:%M"),
                    last,
                    status
                );
            }
        }
        DeviceCommand::Revoke { name, id } => {
            let user = engine.user(&name).await?;
            engine.revoke_device(&user, &id).await?;
            println!("revoked device {id} of {}", user.name);
        }
    }
    Ok(())
}
