//! Words of a quick-add message: the text as typed (for the summary and the location) and a
//! normalised form (for matching). Never interprets anything; the recognisers do.

/// One word of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The word as typed, punctuation included.
    pub(crate) raw: String,
    /// Lower-cased, without surrounding punctuation (`"Dec.,"` reads `"dec"`).
    pub(crate) norm: String,
}

impl Token {
    fn new(raw: &str) -> Self {
        let norm = raw
            .trim_start_matches(['(', '"', '\'', '<'])
            .trim_end_matches([',', ';', '.', '!', '?', ')', '"', '\'', '>', ':'])
            .to_lowercase();
        Self {
            raw: raw.to_owned(),
            norm,
        }
    }

    /// True when the word as typed starts with an upper-case letter.
    pub(crate) fn is_capitalised(&self) -> bool {
        self.raw.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Splits a message into words. A word holding one dash between two parts that both start
/// with a digit or a letter run of a weekday (`10-11`, `10:00–11:00`, `24-26`, `Mon-Wed`) is
/// split around the dash, so ranges read the same with or without spaces; ISO dates
/// (`2026-12-24`, two dashes) and hyphenated words (`e-mail`) stay whole.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for word in text.split_whitespace() {
        match split_range(word) {
            Some((left, dash, right)) => {
                tokens.push(Token::new(left));
                tokens.push(Token::new(dash));
                tokens.push(Token::new(right));
            }
            None => tokens.push(Token::new(word)),
        }
    }
    tokens
}

fn split_range(word: &str) -> Option<(&str, &str, &str)> {
    let dashes: Vec<(usize, char)> = word
        .char_indices()
        .filter(|(_, c)| matches!(c, '-' | '–' | '—'))
        .collect();
    let [(at, dash)] = dashes.as_slice() else {
        return None;
    };
    let left = word.get(..*at)?;
    let right = word.get(at + dash.len_utf8()..)?;
    let dash = word.get(*at..at + dash.len_utf8())?;
    let digit_start = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_digit());
    let both_digits = digit_start(left) && digit_start(right);
    let both_weekdays = crate::quick_add::dates::weekday_name(&left.to_lowercase()).is_some()
        && crate::quick_add::dates::weekday_name(right.to_lowercase().trim_end_matches([',', '.'])).is_some();
    (both_digits || both_weekdays).then_some((left, dash, right))
}

/// True for the dashes and words that join the two ends of a range.
pub(crate) fn is_range_separator(norm: &str) -> bool {
    matches!(norm, "-" | "–" | "—" | "to" | "till" | "til" | "through" | "thru")
}

/// A small count written as digits or as a word (`3`, `three`, `a`, `an`).
pub(crate) fn count(norm: &str) -> Option<u32> {
    if let Ok(n) = norm.parse::<u32>() {
        return Some(n);
    }
    Some(match norm {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        _ => return None,
    })
}
