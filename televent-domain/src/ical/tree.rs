//! Logical lines to a tree of components (`BEGIN:X` ... `END:X`).
//!
//! Repairs what it safely can (bare components without a VCALENDAR, lines that lost their fold
//! space, quoted-printable soft breaks) and reports as fatal what would make the tree a guess:
//! a component never closed, or closed by the wrong END.

use super::content_line::{Property, parse_line};
use super::decode::{LogicalLine, logical_lines};
use super::problem::Problem;

/// A component with its properties and sub-components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Upper-case component name, for example `VEVENT`.
    pub name: String,
    /// Properties in the order written.
    pub properties: Vec<Property>,
    /// Nested components (VALARM in VEVENT, STANDARD in VTIMEZONE, ...).
    pub children: Vec<Component>,
    /// 1-based physical line of the BEGIN.
    pub line: u32,
    /// Index of the BEGIN line in [`Document::lines`].
    pub first_line: usize,
    /// Index of the END line in [`Document::lines`] (inclusive).
    pub last_line: usize,
}

impl Component {
    /// The first property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property called `name`.
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }

    /// Children called `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Component> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A whole iCalendar stream: its lines and its top-level VCALENDARs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The logical lines, indexed by [`Component::first_line`] and [`Component::last_line`].
    pub lines: Vec<LogicalLine>,
    /// Top-level VCALENDAR components. Bare components outside any VCALENDAR are gathered into
    /// one synthetic VCALENDAR whose line span is the whole stream.
    pub calendars: Vec<Component>,
}

/// Parses `bytes` into a [`Document`] and the problems met on the way.
pub fn parse_document(bytes: &[u8]) -> (Document, Vec<Problem>) {
    let (lines, mut problems) = logical_lines(bytes);
    let mut builder = Builder::default();
    let mut blank_reported = false;
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        let current = index;
        index += 1;
        if line.text.trim().is_empty() {
            if !blank_reported {
                blank_reported = true;
                problems.push(Problem::repaired(line.line, "blank line ignored"));
            }
            continue;
        }
        let mut property = match parse_line(&line.text, line.line) {
            Ok(property) => property,
            Err(error) => {
                if builder.continue_previous(&line.text) {
                    problems.push(Problem::repaired(
                        line.line,
                        "line does not start with a space but continues the previous property; joined",
                    ));
                } else {
                    problems.push(Problem::skipped(line.line, format!("{error}; line ignored")));
                }
                continue;
            }
        };
        if property
            .param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
        {
            // vCalendar 1.0 style: a trailing '=' is a soft line break, not a fold.
            while property.value.ends_with('=') {
                let Some(next) = lines.get(index) else { break };
                property.value.pop();
                property.value.push_str(&next.text);
                index += 1;
            }
            property.value = decode_quoted_printable(&property.value);
        }
        match property.name.as_str() {
            "BEGIN" => builder.begin(property.value.trim(), line.line, current, &mut problems),
            "END" => builder.end(property.value.trim(), line.line, current, &mut problems),
            _ => builder.add_property(property, &mut problems),
        }
    }
    let last_index = lines.len().saturating_sub(1);
    let calendars = builder.finish(last_index, &mut problems);
    (Document { lines, calendars }, problems)
}

#[derive(Default)]
struct Builder {
    open: Vec<Component>,
    roots: Vec<Component>,
    bare: Vec<Component>,
}

impl Builder {
    fn begin(&mut self, name: &str, line: u32, index: usize, problems: &mut Vec<Problem>) {
        let name = name.to_ascii_uppercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            problems.push(Problem::fatal(
                line,
                format!("BEGIN names no valid component ('{name}')"),
            ));
        }
        self.open.push(Component {
            name,
            properties: Vec::new(),
            children: Vec::new(),
            line,
            first_line: index,
            last_line: index,
        });
    }

    fn end(&mut self, name: &str, line: u32, index: usize, problems: &mut Vec<Problem>) {
        let name = name.to_ascii_uppercase();
        let Some(position) = self.open.iter().rposition(|c| c.name == name) else {
            problems.push(Problem::fatal(
                line,
                format!("END:{name} closes nothing that was opened"),
            ));
            return;
        };
        while self.open.len() > position + 1 {
            if let Some(unclosed) = self.open.pop() {
                problems.push(Problem::fatal(
                    unclosed.line,
                    format!("{} opened here is closed by END:{name} on line {line}", unclosed.name),
                ));
                self.attach(unclosed);
            }
        }
        if let Some(mut component) = self.open.pop() {
            component.last_line = index;
            self.attach(component);
        }
    }

    fn attach(&mut self, component: Component) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(component),
            None if component.name == "VCALENDAR" => self.roots.push(component),
            None => self.bare.push(component),
        }
    }

    fn add_property(&mut self, property: Property, problems: &mut Vec<Problem>) {
        match self.open.last_mut() {
            Some(component) => component.properties.push(property),
            None => problems.push(Problem::skipped(
                property.line,
                format!("{} stands outside any component; ignored", property.name),
            )),
        }
    }

    /// A line that is not a content line, inside a component right after a free-text property,
    /// is a raw newline inside that text (Exchange descriptions of Zoom invitations).
    fn continue_previous(&mut self, text: &str) -> bool {
        let Some(property) = self.open.last_mut().and_then(|c| c.properties.last_mut()) else {
            return false;
        };
        // Only free text runs on like this; a stray line after a UID or a date is junk.
        if !matches!(
            property.name.as_str(),
            "DESCRIPTION" | "COMMENT" | "SUMMARY" | "LOCATION" | "X-ALT-DESC"
        ) {
            return false;
        }
        property.value.push_str("\\n");
        property.value.push_str(text);
        true
    }

    fn finish(mut self, last_index: usize, problems: &mut Vec<Problem>) -> Vec<Component> {
        while let Some(mut unclosed) = self.open.pop() {
            problems.push(Problem::fatal(
                unclosed.line,
                format!("{} opened here is never closed (is the file cut short?)", unclosed.name),
            ));
            unclosed.last_line = last_index;
            self.attach(unclosed);
        }
        if !self.bare.is_empty() {
            problems.push(Problem::repaired(
                self.bare.first().map_or(0, |c| c.line),
                "components stand outside a VCALENDAR; read as if wrapped in one",
            ));
            self.roots.push(Component {
                name: "VCALENDAR".to_owned(),
                properties: Vec::new(),
                children: self.bare,
                line: 0,
                first_line: 0,
                last_line: last_index,
            });
        }
        self.roots
    }
}

fn decode_quoted_printable(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'='
            && let Some(hex) = bytes.get(index + 1..index + 3)
            && let Ok(text) = std::str::from_utf8(hex)
            && let Ok(decoded) = u8::from_str_radix(text, 16)
        {
            out.push(decoded);
            index += 3;
            continue;
        }
        out.push(byte);
        index += 1;
    }
    // Decoded CR LF become an escaped newline: the value is TEXT and is unescaped later.
    String::from_utf8_lossy(&out).replace("\r\n", "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::problem::Severity;

    fn fatal(problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .filter(|p| p.severity == Severity::Fatal)
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn builds_nested_components() {
        let (doc, problems) = parse_document(
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        );
        assert!(fatal(&problems).is_empty());
        let event = &doc.calendars[0].children[0];
        assert_eq!(event.name, "VEVENT");
        assert_eq!(event.property("UID").unwrap().value, "1");
        assert_eq!(event.children[0].name, "VALARM");
        assert_eq!((event.first_line, event.last_line), (1, 6));
    }

    #[test]
    fn bare_components_are_wrapped_and_unclosed_ones_are_fatal() {
        let (doc, problems) = parse_document(b"BEGIN:VEVENT\nUID:1\nEND:VEVENT\n");
        assert!(fatal(&problems).is_empty());
        assert_eq!(doc.calendars[0].children[0].name, "VEVENT");

        let (_, problems) = parse_document(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\n");
        assert_eq!(
            fatal(&problems),
            ["line 1: VCALENDAR opened here is never closed (is the file cut short?)"]
        );
    }

    #[test]
    fn a_line_that_lost_its_fold_space_joins_the_previous_property() {
        let (doc, _) = parse_document(b"BEGIN:VEVENT\nDESCRIPTION:Dear Team,\nSee you Monday\nEND:VEVENT\n");
        let description = doc.calendars[0].children[0].property("DESCRIPTION").unwrap();
        assert_eq!(description.value, "Dear Team,\\nSee you Monday");
    }

    #[test]
    fn quoted_printable_soft_breaks_are_joined() {
        let (doc, _) =
            parse_document(b"BEGIN:VEVENT\nDESCRIPTION;ENCODING=QUOTED-PRINTABLE:Mic=\nrosoft=0D=0Ax=3D\nEND:VEVENT\n");
        let description = doc.calendars[0].children[0].property("DESCRIPTION").unwrap();
        assert_eq!(description.value, "Microsoft\\nx=");
    }
}
