//! `televent expand FILE --from T --to T [--json]`: occurrences whose start lies in [from, to).

use anyhow::{Context, bail};
use chrono::SecondsFormat;
use chrono_tz::Tz;
use serde::Serialize;
use televent_domain::component::ComponentKind;
use televent_domain::ical_time::IcalTime;
use televent_domain::recurrence::stream::{StreamOccurrence, expand_stream};
use televent_domain::recurrence::{ExpandOptions, Selection, Window};

use crate::cli::ExpandArgs;
use crate::time_arg::parse_flag;

#[derive(Serialize)]
struct Output {
    occurrences: Vec<OccurrenceJson>,
    truncated: bool,
    problems: Vec<String>,
}

/// The oracle's field set and normalisation (see ../shared/ical-corpus/EXPECTED.md).
#[derive(Serialize)]
struct OccurrenceJson {
    component: &'static str,
    uid: Option<String>,
    recurrence_id: Option<String>,
    start: String,
    end: Option<String>,
    summary: Option<String>,
    status: Option<String>,
}

pub fn run(args: &ExpandArgs) -> anyhow::Result<()> {
    let from = parse_flag("from", &args.from)?;
    let to = parse_flag("to", &args.to)?;
    if to <= from {
        bail!("--to must be after --from");
    }
    let floating_in: Tz = args
        .floating_zone
        .parse()
        .map_err(|_| anyhow::anyhow!("--floating-zone: '{}' is not an IANA time zone", args.floating_zone))?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let options = ExpandOptions {
        floating_in,
        selection: Selection::StartsIn,
        ..ExpandOptions::default()
    };
    let expansion = expand_stream(&bytes, Window { from, to }, &options);
    if args.json {
        let output = Output {
            occurrences: expansion.occurrences.iter().map(to_json).collect(),
            truncated: expansion.truncated,
            problems: expansion.problems.iter().map(ToString::to_string).collect(),
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        for occurrence in &expansion.occurrences {
            let json = to_json(occurrence);
            println!(
                "{:<28} {:<28} {}",
                json.start,
                json.end.unwrap_or_default(),
                json.summary.unwrap_or_default()
            );
        }
        if expansion.truncated {
            println!("(stopped early: the rule makes more instances than one call may generate)");
        }
    }
    Ok(())
}

fn to_json(occurrence: &StreamOccurrence) -> OccurrenceJson {
    OccurrenceJson {
        component: match occurrence.kind {
            ComponentKind::Event => "VEVENT",
            ComponentKind::Todo => "VTODO",
        },
        uid: occurrence.uid.clone(),
        recurrence_id: occurrence.recurrence_id.as_ref().map(normalise),
        start: normalise(&occurrence.start),
        end: occurrence.end.as_ref().map(normalise),
        summary: occurrence.summary.clone(),
        status: occurrence.status.clone(),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for zoned times, `floating:...` and `date:...` otherwise.
pub fn normalise(time: &IcalTime) -> String {
    match time {
        IcalTime::Date(date) => format!("date:{}", date.format("%Y-%m-%d")),
        IcalTime::DateTime(local, zone) if zone.is_floating() => {
            format!("floating:{}", local.format("%Y-%m-%dT%H:%M:%S"))
        }
        IcalTime::DateTime(..) => time.to_utc(Tz::UTC).to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}
