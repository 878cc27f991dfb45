//! `televent import` and `televent export`.

use std::io::IsTerminal;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use televent_app::Televent;

use crate::cli::{ExportArgs, ImportArgs};

pub async fn import(engine: &Televent, args: &ImportArgs) -> anyhow::Result<()> {
    let user = engine.user(&args.name).await?;
    let calendar = engine
        .calendar(&user, args.calendar.as_deref().unwrap_or("default"))
        .await?;
    let (mut stored, mut rejected) = (0usize, Vec::new());
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(file.display().to_string());
            bar
        });
        let mut progress = |done: usize, total: usize| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        };
        let report = engine.import(&user, &calendar, &bytes, &mut progress).await?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        stored += report.stored();
        rejected.extend(report.rejected.into_iter().map(|r| (file.display().to_string(), r)));
    }
    println!("stored {stored}, rejected {}", rejected.len());
    for (file, rejection) in rejected {
        let what = match (&rejection.uid, rejection.component.as_str()) {
            (Some(uid), "") => format!("UID {uid}"),
            (Some(uid), component) => format!("{component} {uid}"),
            (None, component) => component.to_owned(),
        };
        println!("  {file}:{}: {what}: {}", rejection.line, rejection.reason);
    }
    Ok(())
}

pub async fn export(engine: &Televent, args: &ExportArgs) -> anyhow::Result<()> {
    let user = engine.user(&args.name).await?;
    let calendar = engine
        .calendar(&user, args.calendar.as_deref().unwrap_or("default"))
        .await?;
    print!("{}", engine.export(&user, &calendar).await?);
    Ok(())
}
