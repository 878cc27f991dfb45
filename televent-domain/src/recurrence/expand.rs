//! The occurrences of a calendar object in a window: RRULE + RDATE - EXDATE - EXRULE, with
//! overrides replacing their instance (RANGE=THISANDFUTURE shifting later ones).
//!
//! Rules are expanded on wall-clock time in DTSTART's own frame (so that a weekly 09:00 stays at
//! 09:00 across DST), then each instance is placed on the time line. The `rrule` crate does the
//! calendar arithmetic; it is handed wall-clock times dressed as UTC. Work per call is capped:
//! an expansion that hits the cap says so instead of running on.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::rule::{RecurRule, Until};
use crate::component::{ComponentKind, ObjectComponent, RDate};
use crate::ical_time::IcalTime;
use crate::object::CalendarObject;

/// Default cap on instances generated (inside or outside the window) in one call.
pub const DEFAULT_MAX_INSTANCES: usize = 100_000;

/// A half-open window `[from, to)` on the time line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Inclusive start.
    pub from: DateTime<Utc>,
    /// Exclusive end.
    pub to: DateTime<Utc>,
}

/// Which occurrences a window selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Occurrences whose start lies in the window (what `televent expand` prints).
    StartsIn,
    /// Occurrences that overlap the window (RFC 4791 section 9.9, what CalDAV queries use).
    Overlaps,
}

/// How to expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpandOptions {
    /// The zone floating times and dates are read in.
    pub floating_in: Tz,
    /// Start-in or overlap.
    pub selection: Selection,
    /// The cap on generated instances.
    pub max_instances: usize,
}

impl Default for ExpandOptions {
    fn default() -> Self {
        Self {
            floating_in: Tz::UTC,
            selection: Selection::Overlaps,
            max_instances: DEFAULT_MAX_INSTANCES,
        }
    }
}

/// One occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence<'a> {
    /// The component whose properties this occurrence has (an override where one applies).
    pub component: &'a ObjectComponent,
    /// The original start of this instance for recurring objects; `None` for a single one.
    pub recurrence_id: Option<IcalTime>,
    /// The start (DUE for a to-do without DTSTART).
    pub start: IcalTime,
    /// DTEND or DUE, computed from DURATION where needed.
    pub end: Option<IcalTime>,
    /// True when this occurrence is an override component (has RECURRENCE-ID).
    pub is_override: bool,
}

/// The result of an expansion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expansion<'a> {
    /// Occurrences in time order.
    pub occurrences: Vec<Occurrence<'a>>,
    /// True when the instance cap stopped the expansion early.
    pub truncated: bool,
}

/// Expands `object` in `window`.
pub fn expand<'a>(object: &'a CalendarObject, window: Window, options: &ExpandOptions) -> Expansion<'a> {
    let mut expansion = Expansion::default();
    let master = object.master.as_ref().filter(|m| m.start.is_some() || m.end.is_some());
    let frame = master.and_then(anchor);
    let overrides: Vec<(NaiveDateTime, &ObjectComponent)> = object
        .overrides
        .iter()
        .filter_map(|o| {
            let rid = &o.recurrence_id.as_ref()?.time;
            Some((
                frame.map_or_else(|| rid.local(), |f| rid.in_frame_of(f, options.floating_in)),
                o,
            ))
        })
        .collect();

    if let (Some(master), Some(frame)) = (master, frame) {
        expand_master(master, frame, &overrides, window, options, &mut expansion);
    }
    for (_, component) in &overrides {
        let Some(start) = anchor(component).cloned() else {
            continue;
        };
        let end = end_of(component, &start, options.floating_in);
        if selected(
            component.kind,
            &start,
            end.as_ref(),
            component.start.is_none(),
            window,
            options,
        ) {
            expansion.occurrences.push(Occurrence {
                component,
                recurrence_id: component.recurrence_id.as_ref().map(|r| r.time.clone()),
                start,
                end,
                is_override: true,
            });
        }
    }
    let floating_in = options.floating_in;
    expansion
        .occurrences
        .sort_by_key(|o| (o.start.to_utc(floating_in), o.is_override));
    expansion
}

/// DTSTART, or DUE for a to-do that has only a due date.
fn anchor(component: &ObjectComponent) -> Option<&IcalTime> {
    component.start.as_ref().or(if component.kind == ComponentKind::Todo {
        component.end.as_ref()
    } else {
        None
    })
}

fn expand_master<'a>(
    master: &'a ObjectComponent,
    frame: &IcalTime,
    overrides: &[(NaiveDateTime, &'a ObjectComponent)],
    window: Window,
    options: &ExpandOptions,
    expansion: &mut Expansion<'a>,
) {
    let floating_in = options.floating_in;
    let exdates: Vec<IcalTime> = master.exdates.clone();
    let excluded = |local: NaiveDateTime| {
        exdates.iter().any(|ex| match ex {
            IcalTime::Date(date) => *date == local.date(),
            _ => ex.in_frame_of(frame, floating_in) == local,
        })
    };
    let replaced: HashSet<NaiveDateTime> = overrides.iter().map(|(key, _)| *key).collect();
    let mut future: Vec<(NaiveDateTime, &ObjectComponent)> = overrides
        .iter()
        .filter(|(_, o)| o.recurrence_id.as_ref().is_some_and(|r| r.this_and_future))
        .copied()
        .collect();
    future.sort_by_key(|(key, _)| *key);

    // Instances far past the window's end in wall-clock terms cannot reach into it.
    let horizon = window.to.naive_utc() + Duration::days(2);
    let mut budget = options.max_instances;
    // Instances that start this long before the window cannot reach into it; rules may skip
    // them unseen (THISANDFUTURE overrides move instances by any amount: no skipping then).
    let reach = end_of(master, frame, floating_in).map_or(Duration::zero(), |end| end.local() - frame.local());
    let skip_to = future
        .is_empty()
        .then(|| window.from.naive_utc() - reach.max(Duration::zero()) - Duration::days(2));
    let mut instances = Instances::new(master, frame, floating_in, skip_to);
    let exruled = instances.exrule_set(master, frame, horizon, &mut budget);
    while let Some((local, rdate_end)) = instances.next_before(horizon, &mut budget) {
        if excluded(local) || exruled.contains(&local) || replaced.contains(&local) {
            continue;
        }
        let recurrence_id = frame.with_local(local);
        let (component, start, end) = match future.iter().rev().find(|(key, _)| *key < local) {
            Some((key, source)) => {
                let shift = anchor(source).map_or(Duration::zero(), |s| s.local() - *key);
                let start = frame.with_local(local + shift);
                let end = end_of(source, &start, floating_in);
                (*source, start, end)
            }
            None => {
                let end = match rdate_end {
                    Some(end) => Some(end),
                    None => end_of(master, &recurrence_id, floating_in),
                };
                (master, recurrence_id.clone(), end)
            }
        };
        if selected(
            master.kind,
            &start,
            end.as_ref(),
            master.start.is_none(),
            window,
            options,
        ) {
            expansion.occurrences.push(Occurrence {
                component,
                recurrence_id: master.is_recurring().then_some(recurrence_id),
                start,
                end,
                is_override: false,
            });
        }
    }
    expansion.truncated |= budget == 0;
}

/// The end of an instance starting at `start`, from the component's DTEND/DUE or DURATION.
/// Same-zone ends keep their wall-clock distance (a 1-hour meeting stays 1 hour long across
/// DST); an end in another zone keeps its exact distance.
pub fn end_of(component: &ObjectComponent, start: &IcalTime, floating_in: Tz) -> Option<IcalTime> {
    let original_start = anchor(component)?;
    if component.kind == ComponentKind::Todo && component.start.is_none() {
        return component.end.clone().map(|_| start.clone());
    }
    if let Some(end) = &component.end {
        let same_frame = match (original_start, end) {
            (IcalTime::DateTime(_, a), IcalTime::DateTime(_, b)) => a == b,
            _ => true,
        };
        if same_frame {
            return Some(end.with_local(start.local() + (end.local() - original_start.local())));
        }
        let exact = end.to_utc(floating_in) - original_start.to_utc(floating_in);
        let instant = start.to_utc(floating_in) + exact;
        return Some(
            end.with_local(
                end.zone()
                    .map_or(instant.naive_utc(), |z| z.to_local(instant, floating_in)),
            ),
        );
    }
    if let Some(duration) = component.duration {
        return Some(start.with_local(start.local() + duration));
    }
    match component.kind {
        ComponentKind::Event if start.is_date() => Some(start.with_local(start.local() + Duration::days(1))),
        ComponentKind::Event => Some(start.clone()),
        ComponentKind::Todo => None,
    }
}

/// Whether an occurrence falls in the window under the chosen selection.
fn selected(
    kind: ComponentKind,
    start: &IcalTime,
    end: Option<&IcalTime>,
    due_only: bool,
    window: Window,
    options: &ExpandOptions,
) -> bool {
    let s = start.to_utc(options.floating_in);
    match options.selection {
        Selection::StartsIn => s >= window.from && s < window.to,
        Selection::Overlaps => {
            let e = end.map(|e| e.to_utc(options.floating_in));
            overlaps(kind, s, e, due_only, window)
        }
    }
}

/// RFC 4791 section 9.9: does an instance (start, end) overlap `window`?
pub fn overlaps(
    kind: ComponentKind,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    due_only: bool,
    window: Window,
) -> bool {
    let (from, to) = (window.from, window.to);
    match (kind, end) {
        (ComponentKind::Todo, _) if due_only => from < start && to >= start || from <= start && start < to,
        (ComponentKind::Todo, Some(due)) => (from < due || from <= start) && (to > start || to >= due),
        (ComponentKind::Todo, None) => from <= start && to > start,
        (ComponentKind::Event, Some(end)) if end > start => from < end && to > start,
        (ComponentKind::Event, _) => from <= start && to > start,
    }
}

/// Instance starts of a master in wall-clock order: DTSTART, its rules, its RDATEs.
struct Instances {
    /// Merged starts not yet handed out, with an RDATE period's own end.
    pending: Vec<(NaiveDateTime, Option<IcalTime>)>,
    rules: Vec<std::iter::Peekable<rrule::RRuleSetIter>>,
    last: Option<NaiveDateTime>,
}

impl Instances {
    fn new(master: &ObjectComponent, frame: &IcalTime, floating_in: Tz, skip_to: Option<NaiveDateTime>) -> Self {
        let start = frame.local();
        let mut pending: Vec<(NaiveDateTime, Option<IcalTime>)> = vec![(start, None)];
        for rdate in &master.rdates {
            let local = rdate.start().in_frame_of(frame, floating_in);
            let end = match rdate {
                RDate::Period(_, end) => Some(end.clone()),
                RDate::Start(_) => None,
            };
            pending.push((local, end));
        }
        // Reverse order so that the earliest is popped first.
        pending.sort_by_key(|p| std::cmp::Reverse(p.0));
        let rules = master
            .rrules
            .iter()
            .filter_map(|rule| build(rule, frame, floating_in, skip_to))
            .map(|set| (&set).into_iter().peekable())
            .collect();
        Self {
            pending,
            rules,
            last: None,
        }
    }

    /// The next instance start (and RDATE end) before `horizon`, or `None` when done or when
    /// the budget is spent.
    fn next_before(&mut self, horizon: NaiveDateTime, budget: &mut usize) -> Option<(NaiveDateTime, Option<IcalTime>)> {
        loop {
            if *budget == 0 {
                return None;
            }
            let rule_next = self
                .rules
                .iter_mut()
                .enumerate()
                .filter_map(|(index, iter)| iter.peek().map(|time| (time.naive_utc(), index)))
                .min();
            let pending_next = self.pending.last().map(|(time, _)| *time);
            let next = match (rule_next, pending_next) {
                (Some((rule_time, index)), Some(p)) if rule_time < p => self.take_rule(index, rule_time),
                (Some((rule_time, index)), None) => self.take_rule(index, rule_time),
                (_, Some(_)) => self.pending.pop(),
                (None, None) => None,
            }?;
            *budget -= 1;
            if next.0 >= horizon {
                return None;
            }
            if self.last == Some(next.0) {
                continue;
            }
            self.last = Some(next.0);
            return Some(next);
        }
    }

    fn take_rule(&mut self, index: usize, time: NaiveDateTime) -> Option<(NaiveDateTime, Option<IcalTime>)> {
        self.rules.get_mut(index)?.next()?;
        Some((time, None))
    }

    /// Wall-clock starts excluded by EXRULE, up to `horizon`.
    fn exrule_set(
        &self,
        master: &ObjectComponent,
        frame: &IcalTime,
        horizon: NaiveDateTime,
        budget: &mut usize,
    ) -> HashSet<NaiveDateTime> {
        let mut excluded = HashSet::new();
        for rule in &master.exrules {
            let Some(set) = build(rule, frame, Tz::UTC, None) else {
                continue;
            };
            for time in &set {
                let time = time.naive_utc();
                if time >= horizon || *budget == 0 {
                    break;
                }
                *budget -= 1;
                excluded.insert(time);
            }
        }
        excluded
    }
}

/// The `rrule` crate's set for one rule, on wall-clock time dressed as UTC.
fn build(
    rule: &RecurRule,
    frame: &IcalTime,
    floating_in: Tz,
    skip_to: Option<NaiveDateTime>,
) -> Option<rrule::RRuleSet> {
    if !rule.is_gregorian() {
        return None;
    }
    let start = frame.local();
    let until = rule.until.map(|until| until_in_frame(until, frame, floating_in));
    if until.is_some_and(|u| u < start) {
        return None;
    }
    let rule_start = skip_to.map_or(start, |target| fast_forward(rule, start, target));
    rule.to_rrule(until)
        .build(rule_start.and_utc().with_timezone(&rrule::Tz::UTC))
        .ok()
        .map(rrule::RRuleSet::limit)
}

/// A later start for `rule` that produces exactly the original instances from `target` on:
/// whole periods (`INTERVAL` days, weeks, months, years) are skipped, one fewer than fit, so
/// the period holding `target` is walked in full. Only where that is exact: no COUNT (skipped
/// instances would have counted), no BYSETPOS, and a day of month that exists after the jump.
fn fast_forward(rule: &RecurRule, start: NaiveDateTime, target: NaiveDateTime) -> NaiveDateTime {
    use super::rule::Frequency;
    use chrono::{Datelike, Months};
    if target <= start || rule.count.is_some() || !rule.by_set_pos.is_empty() {
        return start;
    }
    let interval = i64::from(rule.interval.max(1));
    let fixed = |period: Duration| {
        let periods = (target - start).num_seconds() / period.num_seconds().max(1);
        let skip = (periods / interval - 1).max(0);
        start + period * i32::try_from(skip * interval).unwrap_or(0)
    };
    match rule.freq {
        Frequency::Secondly => fixed(Duration::seconds(1)),
        Frequency::Minutely => fixed(Duration::minutes(1)),
        Frequency::Hourly => fixed(Duration::hours(1)),
        Frequency::Daily => fixed(Duration::days(1)),
        Frequency::Weekly => fixed(Duration::weeks(1)),
        Frequency::Monthly | Frequency::Yearly => {
            let months_per_period = if rule.freq == Frequency::Yearly { 12 } else { 1 };
            let months =
                i64::from(target.year() - start.year()) * 12 + i64::from(target.month()) - i64::from(start.month());
            let skip = (months / months_per_period / interval - 1).max(0) * interval * months_per_period;
            let Ok(skip) = u32::try_from(skip) else { return start };
            match start.checked_add_months(Months::new(skip)) {
                // Adding months clamps 31 January to 28 February: that is another rule.
                Some(jumped) if jumped.day() == start.day() => jumped,
                _ => start,
            }
        }
    }
}

/// UNTIL in DTSTART's wall-clock frame. On a zoned start UNTIL is UTC (RFC 5545 says it must
/// be; one written without `Z` is read as UTC too, as its writers mean) and is converted; on a
/// floating or date start it is taken as written. A date UNTIL is its midnight.
fn until_in_frame(until: Until, frame: &IcalTime, floating_in: Tz) -> NaiveDateTime {
    match (until, frame) {
        (Until::DateTime(time, _), IcalTime::DateTime(_, zone)) if !zone.is_floating() => {
            zone.to_local(time.and_utc(), floating_in)
        }
        (Until::DateTime(time, _), _) => time,
        (Until::Date(date), _) => date.and_time(chrono::NaiveTime::MIN),
    }
}

/// Why a rule of `master` produces no instances beyond DTSTART, if it cannot be used.
pub fn rule_problems(master: &ObjectComponent, floating_in: Tz) -> Vec<String> {
    let Some(frame) = anchor(master) else { return Vec::new() };
    master
        .rrules
        .iter()
        .filter_map(|rule| {
            if !rule.is_gregorian() {
                return Some(format!(
                    "RRULE uses RSCALE={}, a calendar system Televent cannot expand; only DTSTART is used",
                    rule.rscale.as_deref().unwrap_or_default()
                ));
            }
            let until = rule.until.map(|until| until_in_frame(until, frame, floating_in));
            if until.is_some_and(|u| u < frame.local()) {
                return None;
            }
            rule.to_rrule(until)
                .build(frame.local().and_utc().with_timezone(&rrule::Tz::UTC))
                .err()
                .map(|error| format!("RRULE cannot be expanded ({error}); only DTSTART is used"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_resource;
    use chrono::TimeZone;

    fn object(body: &str) -> CalendarObject {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:u\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        ingest_resource(text.as_bytes()).unwrap().object
    }

    fn starts(object: &CalendarObject, window: Window) -> Vec<DateTime<Utc>> {
        let options = ExpandOptions {
            floating_in: chrono_tz::Europe::Berlin,
            ..ExpandOptions::default()
        };
        expand(object, window, &options)
            .occurrences
            .iter()
            .map(|o| o.start.to_utc(options.floating_in))
            .collect()
    }

    /// Skipping ahead must never change what a window sees: compare each window's expansion
    /// with the expansion of all time, cut to the window.
    #[test]
    fn skipping_ahead_sees_what_walking_from_the_start_sees() {
        let rules = [
            "DTSTART;TZID=Europe/Berlin:20200106T093000\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\n",
            // DTSTART on a Tuesday that the rule does not produce.
            "DTSTART;TZID=Europe/Berlin:20200107T093000\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU\r\n",
            "DTSTART:20200131T120000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY\r\n",
            "DTSTART:20200115T120000Z\r\nDURATION:P3D\r\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR\r\n",
            "DTSTART;VALUE=DATE:20200229\r\nRRULE:FREQ=YEARLY\r\n",
            "DTSTART;VALUE=DATE:20200101\r\nRRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9;BYMONTHDAY=1\r\n",
            "DTSTART:20200101T000000\r\nDURATION:PT10M\r\nRRULE:FREQ=HOURLY;INTERVAL=7;UNTIL=20300101T000000\r\n",
            "DTSTART:20200101T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;INTERVAL=3;EXDATE\r\nEXDATE:20250101T080000Z\r\n",
        ];
        let all_time = Window {
            from: Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap(),
        };
        for body in rules {
            let object = object(body);
            let everything = starts(&object, all_time);
            assert!(everything.len() >= 3, "{body}");
            for year in [2020, 2023, 2026, 2029] {
                for month in [1, 2, 7, 12] {
                    let from = Utc.with_ymd_and_hms(year, month, 10, 0, 0, 0).unwrap();
                    let window = Window {
                        from,
                        to: from + Duration::days(45),
                    };
                    let expected: Vec<_> = expand(
                        &object,
                        all_time,
                        &ExpandOptions {
                            floating_in: chrono_tz::Europe::Berlin,
                            ..ExpandOptions::default()
                        },
                    )
                    .occurrences
                    .iter()
                    .filter(|o| {
                        let s = o.start.to_utc(chrono_tz::Europe::Berlin);
                        let e = o.end.as_ref().map_or(s, |e| e.to_utc(chrono_tz::Europe::Berlin));
                        overlaps(ComponentKind::Event, s, Some(e), false, window)
                    })
                    .map(|o| o.start.to_utc(chrono_tz::Europe::Berlin))
                    .collect();
                    assert_eq!(starts(&object, window), expected, "{body} in {from}");
                }
            }
        }
    }

    #[test]
    fn an_endless_secondly_rule_stops_at_the_cap_and_says_so() {
        let object = object("DTSTART:20000101T000000Z\r\nRRULE:FREQ=SECONDLY;BYSECOND=0,30\r\n");
        let window = Window {
            from: Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2020, 1, 2, 0, 0, 0).unwrap(),
        };
        let options = ExpandOptions {
            max_instances: 1_000,
            ..ExpandOptions::default()
        };
        let expansion = expand(&object, window, &options);
        assert!(expansion.truncated);
        assert!(expansion.occurrences.len() <= 1_000);
    }
}
