//! Importing a seed file: a multipart upload, so that a plain HTML form can send the file
//! without JavaScript. The report is kept in the session and shown on `/admin/tokens` after
//! the redirect; scripts get it (or the file-level fault, as a 400) in the answer.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::api::token_types::ImportSummary;
use crate::error::AppError;

/// The largest seed file accepted. Files for thousands of tokens are well below this.
pub const MAX_SEED_FILE_BYTES: usize = 1024 * 1024;

/// Imports the `file` field's tokens, opened with `psk_hex` or `password` when encrypted.
#[server(endpoint = "import_tokens", input = MultipartFormData)]
pub async fn import_tokens(data: MultipartData) -> Result<ImportSummary, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    let result = match ssr::read_upload(data).await {
        Ok(upload) => backend.import_tokens(&cx, upload).await,
        Err(error) => Err(error),
    };
    let result = crate::ssr::finish(result);
    crate::ssr::redirect("/admin/tokens");
    result
}

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::server_fn::codec::MultipartData;

    use super::MAX_SEED_FILE_BYTES;
    use crate::api::token_types::TokenUpload;
    use crate::error::AppError;

    /// The longest key or password accepted, in bytes.
    const MAX_FIELD_BYTES: usize = 1024;

    /// Reads the form's fields; unknown fields are ignored.
    pub(super) async fn read_upload(data: MultipartData) -> Result<TokenUpload, AppError> {
        let Some(mut form) = data.into_inner() else {
            tracing::error!("a multipart upload reached the server without its body");
            return Err(AppError::Internal);
        };
        let mut upload = TokenUpload::default();
        while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
            let name = field.name().unwrap_or_default().to_owned();
            let (limit, label) = match name.as_str() {
                "file" => (MAX_SEED_FILE_BYTES, "file"),
                "psk_hex" => (MAX_FIELD_BYTES, "pre-shared key"),
                "password" => (MAX_FIELD_BYTES, "password"),
                _ => continue,
            };
            let file_name = field.file_name().map(str::to_owned);
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
                if bytes.len() + chunk.len() > limit {
                    return Err(AppError::Invalid(format!(
                        "The {label} is too large: at most {} KiB.",
                        limit / 1024
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            match name.as_str() {
                "file" => {
                    upload.file_name = file_name;
                    upload.data = bytes;
                }
                "psk_hex" => upload.psk_hex = text(bytes, label)?,
                _ => upload.password = text(bytes, label)?,
            }
        }
        Ok(upload)
    }

    fn text(bytes: Vec<u8>, label: &str) -> Result<String, AppError> {
        String::from_utf8(bytes)
            .map_err(|_| AppError::Invalid(format!("The {label} is not valid text.")))
    }

    fn unreadable() -> AppError {
        AppError::Invalid("The upload could not be read. Choose the file again and retry.".into())
    }
}
