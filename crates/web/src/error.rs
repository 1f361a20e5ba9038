//! The API's error responses: `{"error":{"field":"…","message":"…"}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error answered as JSON with a status code. `field` names the query
/// parameter, header or scenario key path at fault ("" when none applies).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            field: field.into(),
            message: message.into(),
        }
    }

    /// 400 Bad Request.
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, field, message)
    }

    /// 500 Internal Server Error: a fault of the server, not of the request.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "", message)
    }

    /// The response body: `{"error":{"field":…,"message":…}}` on one line.
    pub fn body(&self) -> String {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            error: Field<'a>,
        }
        #[derive(serde::Serialize)]
        struct Field<'a> {
            field: &'a str,
            message: &'a str,
        }
        let mut text = serde_json::to_string(&Body {
            error: Field {
                field: &self.field,
                message: &self.message,
            },
        })
        .expect("strings serialise");
        text.push('\n');
        text
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(super::JSON_TYPE),
        );
        response
    }
}
