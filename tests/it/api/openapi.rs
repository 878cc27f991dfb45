//! The OpenAPI document served at `/api/v1/openapi.json` against the router: the same paths
//! with the same methods, every `$ref` resolving, every error answered as problem+json, and
//! sign-in required everywhere but the two public routes. (`scripts/schemathesis` checks the
//! answers themselves against it on a live server.)

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use televent_adapters::http::api::{OPENAPI, allowed_methods};

/// Every path shape `allowed_methods` matches, `{name}` standing for any one segment. Adding a
/// route to the router without adding it here (and to the document) fails
/// `the_router_has_no_shape_this_list_misses` or `every_documented_path_is_routed_with_its_methods`.
const SHAPES: &[&str] = &[
    "openapi.json",
    "sessions",
    "sessions/current",
    "me",
    "calendars",
    "calendars/{calendar}",
    "calendars/{calendar}/events",
    "calendars/{calendar}/events/{event}",
    "calendars/{calendar}/events/{event}/ics",
    "calendars/{calendar}/subscription",
    "occurrences",
    "devices",
    "devices/{device}",
    "outbox",
];

/// The two routes that need no sign-in.
const PUBLIC: &[&str] = &["createSession", "getOpenApi"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

fn document() -> Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

/// A shape's segments with each `{name}` replaced by a sample segment.
fn sample(shape: &str) -> Vec<String> {
    shape
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                format!("sample-{}", segment.trim_matches(|c| c == '{' || c == '}'))
            } else {
                segment.to_owned()
            }
        })
        .collect()
}

/// The methods the router takes for `segments`, upper-case, with HEAD dropped where GET is
/// there (HEAD is implied by GET in OpenAPI).
fn routed(segments: &[String]) -> Option<BTreeSet<String>> {
    let allowed = allowed_methods(segments)?;
    let methods: BTreeSet<String> = allowed.split(',').map(|m| m.trim().to_ascii_uppercase()).collect();
    Some(implied_head_dropped(methods))
}

fn implied_head_dropped(mut methods: BTreeSet<String>) -> BTreeSet<String> {
    if methods.contains("GET") {
        methods.remove("HEAD");
    }
    methods
}

/// The document's paths (without `/api/v1/`) and their methods, upper-case.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let doc = document();
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .map(|(path, item)| {
            let shape = path
                .strip_prefix("/api/v1/")
                .unwrap_or_else(|| panic!("{path} is not under /api/v1/"))
                .to_owned();
            let methods = item
                .as_object()
                .expect("a path item")
                .keys()
                .filter(|key| METHODS.contains(&key.as_str()))
                .map(|key| key.to_ascii_uppercase())
                .collect();
            (shape, implied_head_dropped(methods))
        })
        .collect()
}

/// Every operation: (path, method, operation object).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if METHODS.contains(&method.as_str()) {
                out.push((path.clone(), method.clone(), operation.clone()));
            }
        }
    }
    out
}

/// `value`, or what it points at when it is a `{"$ref": ...}`.
fn resolved<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} resolves to nothing")),
        None => value,
    }
}

#[test]
fn it_is_openapi_3_1_with_a_title_and_version() {
    let doc = document();
    let version = doc["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3.1."), "OpenAPI {version}, not 3.1.x");
    assert!(doc["info"]["title"].is_string());
    assert!(doc["info"]["version"].is_string());
}

#[test]
fn every_router_shape_is_routed_and_documented() {
    let documented = documented();
    for shape in SHAPES {
        let methods = routed(&sample(shape)).unwrap_or_else(|| panic!("the router has no {shape}"));
        let in_doc = documented
            .get(*shape)
            .unwrap_or_else(|| panic!("/api/v1/{shape} is routed ({methods:?}) but not documented"));
        assert_eq!(in_doc, &methods, "the methods of /api/v1/{shape}");
    }
}

#[test]
fn every_documented_path_is_routed_with_its_methods() {
    for (shape, methods) in documented() {
        assert!(
            SHAPES.contains(&shape.as_str()),
            "/api/v1/{shape} is documented but not in this test's list of router shapes"
        );
        let routed = routed(&sample(&shape)).unwrap_or_else(|| panic!("/api/v1/{shape} is documented but not routed"));
        assert_eq!(methods, routed, "the methods of /api/v1/{shape}");
    }
}

#[test]
fn the_router_has_no_shape_this_list_misses() {
    // Every path of up to five segments made of the list's words and a stand-in for a
    // parameter: the router must know exactly the listed shapes among them.
    let mut words: BTreeSet<String> = SHAPES
        .iter()
        .flat_map(|shape| shape.split('/'))
        .filter(|segment| !segment.starts_with('{'))
        .map(str::to_owned)
        .collect();
    words.insert("sample".to_owned());
    let words: Vec<String> = words.into_iter().collect();
    // A parameter matches any segment: a path matches a listed shape when each segment is the
    // shape's literal or stands where the shape has a parameter.
    let matches_listed = |path: &[String]| {
        SHAPES.iter().any(|shape| {
            let parts: Vec<&str> = shape.split('/').collect();
            parts.len() == path.len()
                && parts
                    .iter()
                    .zip(path)
                    .all(|(part, segment)| part.starts_with('{') || *part == segment)
        })
    };
    let mut frontier: Vec<Vec<String>> = vec![Vec::new()];
    for _ in 0..5 {
        let mut next = Vec::new();
        for path in &frontier {
            for word in &words {
                let mut longer = path.clone();
                longer.push(word.clone());
                assert_eq!(
                    allowed_methods(&longer).is_some(),
                    matches_listed(&longer),
                    "the router and this test's shapes disagree about /api/v1/{}",
                    longer.join("/")
                );
                next.push(longer);
            }
        }
        frontier = next;
    }
}

#[test]
fn every_ref_resolves() {
    fn walk(doc: &Value, value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    let reference = reference
                        .as_str()
                        .unwrap_or_else(|| panic!("$ref at {at} is not a string"));
                    assert!(reference.starts_with("#/"), "$ref {reference} at {at} is not local");
                    assert!(
                        doc.pointer(reference.trim_start_matches('#')).is_some(),
                        "$ref {reference} at {at} resolves to nothing"
                    );
                }
                for (key, child) in map {
                    walk(doc, child, &format!("{at}/{key}"));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(doc, child, &format!("{at}/{index}"));
                }
            }
            _ => {}
        }
    }
    let doc = document();
    walk(&doc, &doc, "#");
    // Discriminator mappings are references too.
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        if let Some(mapping) = schema["discriminator"]["mapping"].as_object() {
            for target in mapping.values() {
                let target = target.as_str().expect("a mapping target");
                assert!(
                    doc.pointer(target.trim_start_matches('#')).is_some(),
                    "{name}'s discriminator maps to {target}, which is nothing"
                );
            }
        }
    }
}

#[test]
fn operations_have_unique_ids_path_parameters_and_problem_errors() {
    let doc = document();
    let mut ids = BTreeSet::new();
    for (path, method, operation) in operations(&doc) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");

        // Every `{name}` in the path is a path parameter (on the path item or the operation).
        let mut parameters: Vec<&Value> = Vec::new();
        for list in [&doc["paths"][path.as_str()]["parameters"], &operation["parameters"]] {
            parameters.extend(list.as_array().into_iter().flatten().map(|p| resolved(&doc, p)));
        }
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            assert!(
                parameters
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true),
                "{method} {path}: no required path parameter '{name}'"
            );
        }

        let responses = operation["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|status| status.starts_with('2')),
            "{method} {path} has no success answer"
        );
        for (status, response) in responses {
            let response = resolved(&doc, response);
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/problem+json"]["schema"];
                assert_eq!(
                    schema["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status} is not problem+json"
                );
            }
        }
    }
}

#[test]
fn sign_in_is_required_except_on_the_public_routes() {
    let doc = document();
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    for name in ["bearer", "basic", "cookie"] {
        assert!(schemes.contains_key(name), "no security scheme {name}");
    }
    assert_eq!(schemes["cookie"]["in"], "cookie");
    assert_eq!(schemes["cookie"]["name"], "televent_session");
    let global = doc["security"].as_array().expect("a global security requirement");
    assert!(!global.is_empty());
    for requirement in global {
        for name in requirement.as_object().expect("a requirement").keys() {
            assert!(schemes.contains_key(name), "security names unknown scheme {name}");
        }
    }
    for (path, method, operation) in operations(&doc) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        let own = operation.get("security").and_then(Value::as_array);
        if PUBLIC.contains(&id) {
            assert_eq!(own.map(Vec::len), Some(0), "{method} {path} should need no sign-in");
        } else {
            assert!(
                own.is_none_or(|requirements| !requirements.is_empty()),
                "{method} {path} must need sign-in"
            );
            assert!(
                operation["responses"].get("401").is_some(),
                "{method} {path} needs sign-in but documents no 401"
            );
        }
    }
}
