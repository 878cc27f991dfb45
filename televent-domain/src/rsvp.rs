//! An attendee's answer written into the organizer's copy: their ATTENDEE lines get the new
//! PARTSTAT, and every other line stays exactly as the organizer's client wrote it (the stored
//! bytes are the truth; rewriting the whole resource would lose what we do not model).

use crate::attendee::{CalAddress, PartStat};
use crate::ical::content_line::{Param, parse_line};
use crate::ical::decode::logical_lines;
use crate::ical::write::fold_into;

/// `resource` with `attendee`'s PARTSTAT set to `answer` on every ATTENDEE line naming them
/// (master and overrides), their RSVP request dropped since it is answered. `None` when no
/// line names them, or when the answer is already there everywhere (nothing to write).
pub fn with_partstat(resource: &[u8], attendee: &CalAddress, answer: &PartStat) -> Option<String> {
    let (lines, _) = logical_lines(resource);
    let mut out = String::with_capacity(resource.len() + 32);
    let mut changed = false;
    for line in &lines {
        let rewritten = attendee_line(&line.text, line.line)
            .filter(|p| CalAddress::parse(&p.value).as_ref() == Some(attendee))
            .and_then(|mut property| {
                let already = property.param("PARTSTAT").map(PartStat::parse).as_ref() == Some(answer)
                    && property.param("RSVP").is_none();
                if already {
                    return None;
                }
                property
                    .params
                    .retain(|p| !p.name.eq_ignore_ascii_case("PARTSTAT") && !p.name.eq_ignore_ascii_case("RSVP"));
                property.params.push(Param {
                    name: "PARTSTAT".to_owned(),
                    values: vec![answer.as_str().to_owned()],
                });
                Some(write_property(&property.name, &property.params, &property.value))
            });
        match rewritten {
            Some(text) => {
                changed = true;
                fold_into(&text, &mut out);
            }
            None if line.text.trim().is_empty() => {}
            None => {
                out.push_str(&line.raw);
                out.push_str("\r\n");
            }
        }
    }
    changed.then_some(out)
}

fn attendee_line(text: &str, number: u32) -> Option<crate::ical::Property> {
    let head = text.trim_start().get(..8)?;
    if !head.eq_ignore_ascii_case("ATTENDEE") {
        return None;
    }
    parse_line(text, number).ok().filter(|p| p.name == "ATTENDEE")
}

/// A content line from its parts, quoting parameter values that need it (RFC 5545 3.2) and
/// encoding quotes and line breaks with RFC 6868 `^` escapes.
fn write_property(name: &str, params: &[Param], value: &str) -> String {
    let mut text = name.to_owned();
    for param in params {
        text.push(';');
        text.push_str(&param.name);
        text.push('=');
        for (index, value) in param.values.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            let escaped = value.replace('^', "^^").replace('"', "^'").replace('\n', "^n");
            if escaped.contains([':', ';', ',']) {
                text.push('"');
                text.push_str(&escaped);
                text.push('"');
            } else {
                text.push_str(&escaped);
            }
        }
    }
    text.push(':');
    text.push_str(value);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_resource;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:rsvp-1\r\nDTSTAMP:20261201T090000Z\r\nDTSTART:20261202T100000Z\r\nSUMMARY:Planning\r\nORGANIZER;CN=Alice:mailto:alice@televent.internal\r\nATTENDEE;CN=\"Bob, the builder\";PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@televent.internal\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@example.com\r\nX-CLIENT-THING;X-P=1:kept as written\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:rsvp-1\r\nRECURRENCE-ID:20261209T100000Z\r\nDTSTAMP:20261201T090000Z\r\nDTSTART:20261209T110000Z\r\nATTENDEE;RSVP=TRUE:MAILTO:Bob@televent.internal\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn bob() -> CalAddress {
        CalAddress::parse("mailto:bob@televent.internal").unwrap()
    }

    #[test]
    fn sets_the_answer_on_every_line_of_the_attendee_and_keeps_the_rest() {
        let updated = with_partstat(EVENT.as_bytes(), &bob(), &PartStat::Accepted).unwrap();
        let resource = ingest_resource(updated.as_bytes()).unwrap();
        for component in resource.object.components() {
            let attendee = component.attendees.iter().find(|a| a.address == bob()).unwrap();
            assert_eq!(attendee.status, PartStat::Accepted);
            assert!(!attendee.rsvp);
        }
        let master = resource.object.primary().unwrap();
        assert_eq!(master.attendees[0].common_name.as_deref(), Some("Bob, the builder"));
        assert_eq!(master.attendees[1].status, PartStat::Accepted, "carol untouched");
        assert!(updated.contains("X-CLIENT-THING;X-P=1:kept as written\r\n"));
        let others = |text: &str| -> Vec<String> {
            let unfolded = text.replace("\r\n ", "");
            unfolded
                .split("\r\n")
                .filter(|l| !l.starts_with("ATTENDEE"))
                .map(str::to_owned)
                .collect()
        };
        let (untouched, after) = (others(EVENT), others(&updated));
        assert_eq!(untouched, after);
    }

    #[test]
    fn nothing_to_write_when_absent_or_already_answered() {
        let stranger = CalAddress::parse("mailto:dave@example.com").unwrap();
        assert_eq!(with_partstat(EVENT.as_bytes(), &stranger, &PartStat::Accepted), None);
        let carol = CalAddress::parse("mailto:carol@example.com").unwrap();
        assert_eq!(with_partstat(EVENT.as_bytes(), &carol, &PartStat::Accepted), None);
        assert!(with_partstat(EVENT.as_bytes(), &carol, &PartStat::Declined).is_some());
    }

    #[test]
    fn long_lines_are_folded_within_75_octets() {
        let long = EVENT.replace("Bob, the builder", &"Bób ".repeat(30));
        let updated = with_partstat(long.as_bytes(), &bob(), &PartStat::Tentative).unwrap();
        assert!(updated.split("\r\n").all(|l| l.len() <= 75));
        let resource = ingest_resource(updated.as_bytes()).unwrap();
        let master = resource.object.primary().unwrap();
        assert_eq!(
            master.attendees[0].common_name.as_deref(),
            Some("Bób ".repeat(30).trim_end())
        );
        assert_eq!(master.attendees[0].status, PartStat::Tentative);
    }
}
