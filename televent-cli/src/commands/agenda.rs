//! `televent agenda NAME [--from T] [--to T]`: a readable table in the user's zone.

use chrono::{Duration, TimeZone, Utc};
use televent_app::Televent;

use crate::cli::AgendaArgs;
use crate::time_arg::parse_flag;

pub async fn run(engine: &Televent, args: &AgendaArgs) -> anyhow::Result<()> {
    let user = engine.user(&args.name).await?;
    let zone = user.time_zone.tz();
    let from = match &args.from {
        Some(text) => parse_flag("from", text)?,
        None => {
            let today = Utc::now().with_timezone(&zone).date_naive();
            zone.from_local_datetime(&today.and_time(chrono::NaiveTime::MIN))
                .earliest()
                .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
        }
    };
    let to = match &args.to {
        Some(text) => parse_flag("to", text)?,
        None => from + Duration::days(7),
    };
    if to <= from {
        anyhow::bail!("--to must be after --from");
    }
    let entries = engine.agenda(&user, &[], from, to).await?;
    println!(
        "{} from {} to {} ({})",
        user.name,
        from.with_timezone(&zone).format("%a %Y-%m-%d %H:%M"),
        to.with_timezone(&zone).format("%a %Y-%m-%d %H:%M"),
        zone.name()
    );
    if entries.is_empty() {
        println!("nothing planned");
        return Ok(());
    }
    for entry in entries {
        let when = if entry.all_day {
            format!("{}  all day    ", entry.start.format("%a %Y-%m-%d"))
        } else {
            let end = entry.end.map_or_else(String::new, |e| e.format("%H:%M").to_string());
            format!(
                "{}  {}-{:<5}",
                entry.start.format("%a %Y-%m-%d"),
                entry.start.format("%H:%M"),
                end
            )
        };
        let place = entry.location.map_or_else(String::new, |l| format!("  @ {l}"));
        let repeat = if entry.recurring { "  (repeats)" } else { "" };
        println!(
            "{when}  {}{place}{repeat}  [{}]",
            entry.summary.unwrap_or_else(|| "(no title)".to_owned()),
            entry.calendar
        );
    }
    Ok(())
}
