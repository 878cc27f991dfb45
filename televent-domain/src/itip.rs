//! iTIP messages (RFC 5546) made from a stored resource: the same components with a METHOD.

use crate::ical::parse_document;
use crate::outbox::ItipMethod;

/// The resource as an iTIP REQUEST or CANCEL: METHOD after BEGIN:VCALENDAR (replacing any),
/// and for CANCEL every VEVENT/VTODO marked `STATUS:CANCELLED`.
pub fn itip_message(resource: &[u8], method: ItipMethod) -> String {
    let (document, _) = parse_document(resource);
    let mut out = String::new();
    let mut depth = 0usize;
    for line in &document.lines {
        let text = line.text.trim_end();
        if text.is_empty() {
            continue;
        }
        let upper = text.to_ascii_uppercase();
        if upper.starts_with("METHOD:") && depth == 1 {
            continue;
        }
        if method == ItipMethod::Cancel && depth == 2 && upper.starts_with("STATUS") {
            continue;
        }
        out.push_str(&line.raw);
        out.push_str("\r\n");
        if upper.starts_with("BEGIN:") {
            depth += 1;
            if upper == "BEGIN:VCALENDAR" {
                out.push_str(match method {
                    ItipMethod::Request => "METHOD:REQUEST\r\n",
                    ItipMethod::Cancel => "METHOD:CANCEL\r\n",
                });
            }
            if method == ItipMethod::Cancel && (upper == "BEGIN:VEVENT" || upper == "BEGIN:VTODO") {
                out.push_str("STATUS:CANCELLED\r\n");
            }
        } else if upper.starts_with("END:") {
            depth = depth.saturating_sub(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_cancels() {
        let resource = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:u\r\nSTATUS:CONFIRMED\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let request = itip_message(resource.as_bytes(), ItipMethod::Request);
        assert_eq!(request.matches("METHOD:").count(), 1);
        assert!(request.starts_with("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n"));
        assert!(request.contains("STATUS:CONFIRMED"));
        let cancel = itip_message(resource.as_bytes(), ItipMethod::Cancel);
        assert!(cancel.contains("METHOD:CANCEL\r\n"));
        assert!(cancel.contains("BEGIN:VEVENT\r\nSTATUS:CANCELLED\r\n"));
        assert!(!cancel.contains("CONFIRMED"));
        assert!(cancel.contains("BEGIN:VALARM"));
    }
}
