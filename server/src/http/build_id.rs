//! The build id: a hash of every file the service worker caches, carried by each page so that
//! a new build installs a new worker with a new offline cache.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The files the service worker (`public/sw.js`) caches for offline use, and the worker
/// itself, relative to the site root. The pages it caches (`/clock`, `/login`) are rendered
/// by this binary from the same app crate as `pkg/staffgate.wasm`, which changes with them.
pub const OFFLINE_FILES: [&str; 7] = [
    "pkg/staffgate.js",
    "pkg/staffgate.wasm",
    "pkg/staffgate.css",
    "offline.html",
    "manifest.webmanifest",
    "icon.svg",
    "sw.js",
];

/// A short id of the offline files in the site root: changes whenever one of them does.
///
/// A file that cannot be read is logged and left out, so the id still changes with the
/// others; with none readable the id is "unbuilt" and browsers keep their old offline cache.
pub(super) fn build_id(site_root: &Path) -> String {
    let mut hasher = DefaultHasher::new();
    let mut missing = 0;
    for name in OFFLINE_FILES {
        let path = site_root.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                hasher.write(name.as_bytes());
                hasher.write_usize(bytes.len());
                hasher.write(&bytes);
            }
            Err(error) => {
                tracing::warn!(
                    path = %path.display(),
                    %error,
                    "could not read a file of the offline cache for the build id"
                );
                missing += 1;
            }
        }
    }
    if missing == OFFLINE_FILES.len() {
        tracing::warn!(
            site_root = %site_root.display(),
            "no file of the offline cache was found: the build id is \"unbuilt\", so browsers \
             keep the offline cache they have"
        );
        return "unbuilt".to_owned();
    }
    format!("{:016x}", hasher.finish())
}

/// Makes browsers check with the server before reusing a stored copy of a browser file, so a
/// page from a new build never runs with the WebAssembly or script of an old one.
///
/// The files come from `ServeDir` with their `Last-Modified`. A copy whose date is exactly the
/// file's costs a `304 Not Modified` with no body; any other date gets the whole file, even an
/// older one, since ServeDir alone would also answer 304 when a deployment brings back files
/// older than the browser's copy (a rollback, a copy that keeps the build's dates). `Vary`
/// keeps a shared cache from handing a gzip copy to a client that did not ask for one.
pub(super) async fn revalidate_browser_files(mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let browser_file = path.starts_with("/pkg/")
        || OFFLINE_FILES
            .iter()
            .any(|name| path.strip_prefix('/') == Some(name));
    if !browser_file {
        return next.run(request).await;
    }

    let since = request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));

    let unchanged = response.status() == StatusCode::OK
        && since.is_some()
        && response.headers().get(header::LAST_MODIFIED) == since.as_ref();
    if unchanged {
        return not_modified(&response);
    }
    response
}

/// A `304 Not Modified` for `response`, with the headers a browser updates its copy from.
fn not_modified(response: &Response) -> Response {
    let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::CACHE_CONTROL, header::LAST_MODIFIED, header::VARY] {
        for value in response.headers().get_all(&name) {
            not_modified.headers_mut().append(&name, value.clone());
        }
    }
    not_modified
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    fn site_with_every_file() -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        for name in OFFLINE_FILES {
            std::fs::write(site.path().join(name), format!("contents of {name}")).unwrap();
        }
        site
    }

    #[test]
    fn a_change_to_any_cached_file_changes_the_build_id() {
        let site = site_with_every_file();
        let first = build_id(site.path());
        assert_eq!(first, build_id(site.path()), "the id is stable");

        for name in OFFLINE_FILES {
            let path = site.path().join(name);
            let old = std::fs::read(&path).unwrap();
            std::fs::write(&path, b"changed").unwrap();
            assert_ne!(build_id(site.path()), first, "{name} changed");
            std::fs::write(&path, old).unwrap();
        }
        assert_eq!(build_id(site.path()), first);
    }

    #[test]
    fn a_missing_file_is_logged_and_the_others_still_count() {
        let site = site_with_every_file();
        std::fs::remove_file(site.path().join("icon.svg")).unwrap();
        let (id, log) = with_captured_log(|| build_id(site.path()));
        assert_ne!(id, "unbuilt");
        assert!(log.contains("WARN"), "{log}");
        assert!(log.contains("icon.svg"), "{log}");

        std::fs::write(site.path().join("offline.html"), b"changed").unwrap();
        assert_ne!(build_id(site.path()), id);
    }

    #[test]
    fn an_empty_site_root_is_unbuilt_and_says_so() {
        let site = tempfile::tempdir().unwrap();
        let (id, log) = with_captured_log(|| build_id(site.path()));
        assert_eq!(id, "unbuilt");
        assert!(log.contains("\"unbuilt\""), "{log}");
    }

    #[test]
    fn the_build_id_covers_every_file_the_service_worker_caches() {
        let worker =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/sw.js"))
                .unwrap();
        let start = worker
            .find("const SHELL = [")
            .expect("the SHELL list in sw.js");
        let list = &worker[start..start + worker[start..].find("];").unwrap()];
        let cached: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
        assert!(cached.contains(&"/pkg/staffgate.wasm"), "{cached:?}");

        for url in cached {
            let file = url.trim_start_matches('/');
            // Pages have no extension; they are rendered from the same build as the WASM.
            if file.contains('.') {
                assert!(OFFLINE_FILES.contains(&file), "{file} is not hashed");
            }
        }
        assert!(OFFLINE_FILES.contains(&"sw.js"));
    }

    /// Runs `f` with its log written to a string.
    fn with_captured_log<T>(f: impl FnOnce() -> T) -> (T, String) {
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let value = tracing::subscriber::with_default(subscriber, f);
        let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        (value, log)
    }
}
