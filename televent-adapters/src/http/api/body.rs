//! Reading JSON request bodies: one object, only the fields a route knows, each of the type it
//! needs; anything else is a 400 that names the field.

use http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::ApiRequest;
use super::problem::Problem;

/// A JSON object sent as a request body.
#[derive(Debug)]
pub struct JsonObject(Map<String, Value>);

/// The request's body as a JSON object with no fields but `allowed`. 415 unless the body is
/// declared JSON (which also keeps cross-site HTML forms out).
pub fn json_object(request: &ApiRequest, allowed: &[&str]) -> Result<JsonObject, Problem> {
    if !is_json(request) {
        return Err(Problem::new(
            "unsupported-media-type",
            http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as application/json",
        ));
    }
    let value: Value = serde_json::from_slice(&request.body)
        .map_err(|error| Problem::invalid(format!("the body is not valid JSON: {error}")))?;
    object_of(value, allowed, "the body")
}

/// `value` as an object with no fields but `allowed`; `what` names it in errors.
pub fn object_of(value: Value, allowed: &[&str], what: &str) -> Result<JsonObject, Problem> {
    let Value::Object(map) = value else {
        return Err(Problem::invalid(format!("{what} must be a JSON object")));
    };
    if let Some(unknown) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
        return Err(Problem::invalid(format!(
            "unknown field '{unknown}' in {what} (known: {})",
            allowed.join(", ")
        )));
    }
    Ok(JsonObject(map))
}

/// True when the request declares a JSON body (`application/json` or `…+json`).
pub fn is_json(request: &ApiRequest) -> bool {
    content_type(request).is_some_and(|media| media == "application/json" || media.ends_with("+json"))
}

/// The request's media type, lower-cased, without parameters.
pub fn content_type(request: &ApiRequest) -> Option<String> {
    let value = request.headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

impl JsonObject {
    /// True when the field is present (even as null).
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The raw value of a field.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// A string field; absent or null is `None`.
    pub fn string(&self, name: &str) -> Result<Option<String>, Problem> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(Problem::invalid(format!("'{name}' must be a string"))),
        }
    }

    /// A string field that must be there.
    pub fn required_string(&self, name: &str) -> Result<String, Problem> {
        self.string(name)?
            .ok_or_else(|| Problem::invalid(format!("'{name}' is required")))
    }

    /// A string field of a patch: absent is `None` (leave it), null `Some(None)` (clear it).
    pub fn patch_string(&self, name: &str) -> Result<Option<Option<String>>, Problem> {
        if !self.has(name) {
            return Ok(None);
        }
        self.string(name).map(Some)
    }

    /// A boolean field; absent or null is `None`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, Problem> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(_) => Err(Problem::invalid(format!("'{name}' must be true or false"))),
        }
    }

    /// A whole number field of a patch, at most `max`: absent `None`, null `Some(None)`.
    pub fn patch_number(&self, name: &str, max: u32) -> Result<Option<Option<u32>>, Problem> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::Number(number)) => number
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n <= max)
                .map(|n| Some(Some(n)))
                .ok_or_else(|| Problem::invalid(format!("'{name}' must be a whole number from 0 to {max}"))),
            Some(_) => Err(Problem::invalid(format!("'{name}' must be a number"))),
        }
    }

    /// A list of strings; absent is `None`, null an empty list.
    pub fn strings(&self, name: &str) -> Result<Option<Vec<String>>, Problem> {
        self.list(name, "strings", |item| item.as_str().map(str::to_owned))
    }

    /// A list of whole numbers up to `max`; absent is `None`, null an empty list.
    pub fn numbers(&self, name: &str, max: u32) -> Result<Option<Vec<u32>>, Problem> {
        let what = format!("whole numbers from 0 to {max}");
        self.list(name, &what, |item| {
            item.as_u64().and_then(|n| u32::try_from(n).ok()).filter(|n| *n <= max)
        })
    }

    /// A list whose every item `read` accepts (`what` says what they must be); absent is
    /// `None`, null an empty list.
    fn list<T>(&self, name: &str, what: &str, read: impl Fn(&Value) -> Option<T>) -> Result<Option<Vec<T>>, Problem> {
        let refused = || Problem::invalid(format!("'{name}' must be a list of {what}"));
        match self.0.get(name) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(Vec::new())),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| read(item).ok_or_else(refused))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(refused()),
        }
    }
}
