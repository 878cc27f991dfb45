//! An agenda cut into the user's days: today, tomorrow, the next n days.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use televent_domain::tz::local::local_instant;
use televent_domain::user::User;

use crate::agenda::AgendaEntry;
use crate::engine::Televent;
use crate::error::AppError;

/// One day of the user's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDay {
    /// The day, in the user's zone.
    pub date: NaiveDate,
    /// What happens that day, by start: timed occurrences on the day they start (or on the
    /// first day shown, when they started before it), all-day ones on every day they cover.
    pub entries: Vec<AgendaEntry>,
}

impl Televent {
    /// Today's date in the user's zone, by the clock port.
    pub fn today(&self, user: &User) -> NaiveDate {
        self.clock.now().with_timezone(&user.time_zone.tz()).date_naive()
    }

    /// The user's occurrences (all calendars, recurring ones expanded) on `days` days from
    /// `first`, in the user's zone; every day is listed, empty ones too.
    pub async fn agenda_days(&self, user: &User, first: NaiveDate, days: u32) -> Result<Vec<AgendaDay>, AppError> {
        let zone = user.time_zone.tz();
        let dates: Vec<NaiveDate> = (0..days)
            .filter_map(|n| first.checked_add_days(Days::new(u64::from(n))))
            .collect();
        let Some(last) = dates.last() else {
            return Ok(Vec::new());
        };
        let end = last.checked_add_days(Days::new(1)).unwrap_or(*last);
        let from = start_of_day(zone, first);
        let to = start_of_day(zone, end);
        let entries = self.agenda(user, &[], from, to).await?;
        Ok(dates
            .iter()
            .map(|&date| {
                let day_start = start_of_day(zone, date);
                let day_end = start_of_day(zone, date.checked_add_days(Days::new(1)).unwrap_or(date));
                let entries = entries
                    .iter()
                    .filter(|entry| {
                        if entry.all_day {
                            let end = entry.end.map_or(day_end, |e| e.with_timezone(&Utc));
                            entry.start.with_timezone(&Utc) < day_end && end > day_start
                        } else {
                            let start_day = entry.start.date_naive().max(first);
                            start_day == date
                        }
                    })
                    .cloned()
                    .collect();
                AgendaDay { date, entries }
            })
            .collect())
    }
}

/// The first instant of `date` in `zone`.
fn start_of_day(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(date, chrono::NaiveTime::MIN, zone)
}
