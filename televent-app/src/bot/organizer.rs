//! An ORGANIZER line written into an event that has none, so that the invitations of its
//! attendees go out (Televent sends them only for events the user organizes).
//!
//! Only the master VEVENT (the first without RECURRENCE-ID) gets the line; every other line is
//! kept as written.

/// `ics` (CRLF lines) with `ORGANIZER:<address>` inserted right after the `BEGIN:VEVENT` of
/// the master VEVENT. Unchanged when there is no such VEVENT or it already has an organizer.
pub(crate) fn with_organizer(ics: &str, address: &str) -> String {
    const BEGIN: &str = "BEGIN:VEVENT\r\n";
    const END: &str = "END:VEVENT";
    let mut from = 0;
    while let Some(found) = ics.get(from..).and_then(|rest| rest.find(BEGIN)) {
        let body_start = from + found + BEGIN.len();
        let body_end = ics
            .get(body_start..)
            .and_then(|rest| rest.find(END))
            .map_or(ics.len(), |end| body_start + end);
        let body = ics.get(body_start..body_end).unwrap_or_default();
        let has = |name: &str| {
            body.split("\r\n").any(|line| {
                let upper = line.to_ascii_uppercase();
                upper.starts_with(&format!("{name}:")) || upper.starts_with(&format!("{name};"))
            })
        };
        if !has("RECURRENCE-ID") {
            if has("ORGANIZER") {
                return ics.to_owned();
            }
            let mut out = String::with_capacity(ics.len() + address.len() + 12);
            out.push_str(ics.get(..body_start).unwrap_or_default());
            out.push_str(&format!("ORGANIZER:{address}\r\n"));
            out.push_str(ics.get(body_start..).unwrap_or_default());
            return out;
        }
        from = body_end;
    }
    ics.to_owned()
}

#[cfg(test)]
mod tests {
    use super::with_organizer;

    #[test]
    fn into_the_master_only() {
        let cases = [
            (
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nORGANIZER:mailto:o@x\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            ),
            (
                "BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n",
                "BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nORGANIZER:mailto:o@x\r\nUID:a\r\nEND:VEVENT\r\n",
            ),
            (
                "BEGIN:VEVENT\r\nORGANIZER;CN=X:mailto:x@y\r\nEND:VEVENT\r\n",
                "BEGIN:VEVENT\r\nORGANIZER;CN=X:mailto:x@y\r\nEND:VEVENT\r\n",
            ),
            ("BEGIN:VTODO\r\nEND:VTODO\r\n", "BEGIN:VTODO\r\nEND:VTODO\r\n"),
        ];
        for (input, expected) in cases {
            assert_eq!(with_organizer(input, "mailto:o@x"), expected, "{input}");
        }
    }
}
