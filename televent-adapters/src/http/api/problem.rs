//! Errors of the REST API as `application/problem+json` (RFC 9457), each with a stable `type`
//! (`urn:televent:problem:<name>`). The one place where the app's errors become API statuses.
//!
//! Bad input is always a 4xx; only `Internal` is a 500 and `Unavailable` a 503, both logged.

use http::StatusCode;
use http::header::{HeaderValue, RETRY_AFTER};
use televent_app::AppError;

use crate::http::metrics::StoreFailure;
use crate::http::response::{HttpResponse, with_body};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An API error: its name (the last part of its `type`), status and a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable name: `not-found`, `invalid-request`, ...
    pub name: &'static str,
    /// The status.
    pub status: StatusCode,
    /// What went wrong, for a person.
    pub detail: String,
}

impl Problem {
    /// A problem.
    pub fn new(name: &'static str, status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            name,
            status,
            detail: detail.into(),
        }
    }

    /// 400 `invalid-request`.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Self::new("invalid-request", StatusCode::BAD_REQUEST, detail)
    }

    /// 404 `not-found`.
    pub fn not_found(what: &str) -> Self {
        Self::new("not-found", StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    /// 401 `unauthorized`.
    pub fn unauthorized() -> Self {
        Self::new(
            "unauthorized",
            StatusCode::UNAUTHORIZED,
            "sign in first: a session, or your user name and a device password",
        )
    }

    /// 405 `method-not-allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(
            "method-not-allowed",
            StatusCode::METHOD_NOT_ALLOWED,
            "this method is not allowed here",
        )
    }

    /// The response.
    pub fn response(&self) -> HttpResponse {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = serde_json::json!({
            "type": format!("urn:televent:problem:{}", self.name),
            "title": title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        let mut response = with_body(self.status, PROBLEM_JSON, body.to_string());
        match self.name {
            "unavailable" => {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from_static("5"));
                response.extensions_mut().insert(StoreFailure);
            }
            "internal" => {
                response.extensions_mut().insert(StoreFailure);
            }
            _ => {}
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        match &error {
            AppError::NotFound(what) => Self::not_found(what),
            AppError::Invalid(why) => Self::invalid(why.clone()),
            AppError::Ingest(_) | AppError::UnsupportedComponent(_) => Self::new(
                "invalid-calendar-data",
                StatusCode::UNPROCESSABLE_ENTITY,
                error.to_string(),
            ),
            AppError::PreconditionFailed => Self::new(
                "precondition-failed",
                StatusCode::PRECONDITION_FAILED,
                "the event changed since you read it (or already exists); read it again",
            ),
            AppError::UidConflict(_) => Self::new("uid-conflict", StatusCode::CONFLICT, error.to_string()),
            AppError::Forbidden(why) => Self::new("forbidden", StatusCode::FORBIDDEN, why.clone()),
            AppError::AlreadyExists(_) => Self::new("conflict", StatusCode::CONFLICT, error.to_string()),
            AppError::SyncToken(_) => Self::invalid(error.to_string()),
            AppError::Unavailable(_) => {
                tracing::warn!(%error, "storage unavailable");
                Self::new(
                    "unavailable",
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage is unavailable; try again",
                )
            }
            AppError::Internal(_) => {
                tracing::error!(%error, "internal error");
                Self::new("internal", StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    #[tokio::test]
    async fn answers_problem_json_with_a_stable_type() {
        let response = Problem::from(AppError::PreconditionFailed).response();
        assert_eq!(response.status(), StatusCode::PRECONDITION_FAILED);
        assert_eq!(
            response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some(PROBLEM_JSON)
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["type"], "urn:televent:problem:precondition-failed");
        assert_eq!(json["status"], 412);
    }
}
