//! The one endpoint that takes a file upload, `/api/import_tokens`, reads a multipart body.
//! server_fn's multipart reader panics on a request without a multipart boundary, so such a
//! request is answered here with a 400 before it gets there.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use staffgate_app::error::AppError;

/// The path of the seed-file import server function.
pub const UPLOAD_PATH: &str = "/api/import_tokens";

/// Refuses a POST to [`UPLOAD_PATH`] whose body is not a multipart form.
pub async fn require_multipart(request: Request, next: Next) -> Response {
    let upload = request.method() == Method::POST && request.uri().path() == UPLOAD_PATH;
    if upload && !has_boundary(&request) {
        let error = AppError::Invalid(
            "Send the seed file as a form upload (multipart/form-data) with a file field.".into(),
        );
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    next.run(request).await
}

fn has_boundary(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| multer::parse_boundary(value).is_ok())
}
