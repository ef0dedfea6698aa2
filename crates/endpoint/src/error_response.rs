//! An [`ApiError`] as an HTTP response, for every module that answers one
//! (the API's handlers, the listener, the metrics layer).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use imrf_contract::ApiError;

/// An [`ApiError`] as an HTTP response: its status, its body
/// (`{"errors":[{"field","rule","message":{"ar","en"}}]}`) and, for 429,
/// `Retry-After`. (A newtype: the error enum lives in the contract crate.)
#[derive(Debug)]
pub struct ErrorResponse(pub ApiError);

impl From<ApiError> for ErrorResponse {
    fn from(error: ApiError) -> Self {
        ErrorResponse(error)
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = (status, Json(self.0.body())).into_response();
        if let ApiError::RateLimited {
            retry_after_s: Some(secs),
        } = self.0
        {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}
