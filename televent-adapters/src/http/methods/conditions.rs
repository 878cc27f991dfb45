//! If-Match and If-None-Match (RFC 9110 section 13.1) turned into the store's write
//! precondition, checked in the write's transaction.
//!
//! The store checks `IfMatch(etag)` and `IfNoneMatchAny` atomically; the rarer forms (`If-Match:
//! *`, a list of tags, `If-None-Match` with tags) are resolved here against the current ETag and
//! then handed to the store as an exact `IfMatch`, so they stay race-free too.

use http::HeaderMap;
use televent_domain::etag::ETag;
use televent_ports::store::Precondition;

/// One conditional header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// `*`
    Any,
    /// A list of entity tags (as sent, quoted; weak ones kept so they can fail to match).
    Tags(Vec<String>),
}

impl Match {
    fn read(headers: &HeaderMap, name: &str) -> Option<Self> {
        let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
        if values.is_empty() {
            return None;
        }
        let tags: Vec<String> = values
            .iter()
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.iter().any(|t| t == "*") {
            Some(Self::Any)
        } else {
            Some(Self::Tags(tags))
        }
    }

    /// True when `etag` is one of the tags (or the header is `*`).
    pub fn contains(&self, etag: &ETag) -> bool {
        match self {
            Self::Any => true,
            Self::Tags(tags) => tags.iter().any(|t| ETag::parse(t).as_ref() == Some(etag)),
        }
    }
}

/// The conditions do not hold: answer 412.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionFailed;

/// The conditional headers of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conditions {
    /// If-Match
    pub if_match: Option<Match>,
    /// If-None-Match
    pub if_none_match: Option<Match>,
}

impl Conditions {
    /// Reads them.
    pub fn of(headers: &HeaderMap) -> Self {
        Self {
            if_match: Match::read(headers, "if-match"),
            if_none_match: Match::read(headers, "if-none-match"),
        }
    }

    /// The write precondition, given the current ETag (`None`: no resource). `ConditionFailed`
    /// when the conditions already fail.
    pub fn precondition(&self, current: Option<&ETag>) -> Result<Precondition, ConditionFailed> {
        if let Some(condition) = &self.if_match {
            let Some(current) = current else {
                return Err(ConditionFailed);
            };
            if !condition.contains(current) {
                return Err(ConditionFailed);
            }
        }
        match (&self.if_none_match, current) {
            (Some(Match::Any), None) => return Ok(Precondition::IfNoneMatchAny),
            (Some(condition), Some(current)) if condition.contains(current) => {
                return Err(ConditionFailed);
            }
            _ => {}
        }
        // Whatever was checked against `current` must still hold when the write commits.
        let checked = self.if_match.is_some() || self.if_none_match.is_some();
        Ok(match current {
            Some(current) if checked => Precondition::IfMatch(current.clone()),
            _ if self.if_none_match.is_some() => Precondition::IfNoneMatchAny,
            _ => Precondition::None,
        })
    }

    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.if_match.is_none() && self.if_none_match.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conditions(if_match: Option<&str>, if_none_match: Option<&str>) -> Conditions {
        let mut headers = HeaderMap::new();
        if let Some(v) = if_match {
            headers.insert("if-match", v.parse().unwrap());
        }
        if let Some(v) = if_none_match {
            headers.insert("if-none-match", v.parse().unwrap());
        }
        Conditions::of(&headers)
    }

    #[test]
    fn maps_to_store_preconditions() {
        let etag = ETag::of(b"x");
        let other = ETag::of(b"y");
        let tag = etag.as_str().to_owned();
        assert_eq!(conditions(None, None).precondition(None), Ok(Precondition::None));
        assert_eq!(
            conditions(None, Some("*")).precondition(None),
            Ok(Precondition::IfNoneMatchAny)
        );
        assert_eq!(
            conditions(None, Some("*")).precondition(Some(&etag)),
            Err(ConditionFailed)
        );
        assert_eq!(
            conditions(Some(&tag), None).precondition(Some(&etag)),
            Ok(Precondition::IfMatch(etag.clone()))
        );
        assert_eq!(
            conditions(Some(&tag), None).precondition(Some(&other)),
            Err(ConditionFailed)
        );
        assert_eq!(conditions(Some(&tag), None).precondition(None), Err(ConditionFailed));
        assert_eq!(
            conditions(Some("*"), None).precondition(Some(&other)),
            Ok(Precondition::IfMatch(other.clone()))
        );
        assert_eq!(
            conditions(Some(&format!("\"a\", {tag}")), None).precondition(Some(&etag)),
            Ok(Precondition::IfMatch(etag.clone()))
        );
        assert_eq!(
            conditions(Some(&format!("W/{tag}")), None).precondition(Some(&etag)),
            Err(ConditionFailed)
        );
        assert_eq!(
            conditions(None, Some(&tag)).precondition(Some(&etag)),
            Err(ConditionFailed)
        );
        assert_eq!(
            conditions(None, Some(&tag)).precondition(Some(&other)),
            Ok(Precondition::IfMatch(other))
        );
        assert_eq!(
            conditions(None, Some(&tag)).precondition(None),
            Ok(Precondition::IfNoneMatchAny)
        );
    }
}
