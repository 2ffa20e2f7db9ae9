//! The browser files over HTTP: an unchanged file costs a `304` with no body, a browser that
//! accepts gzip gets the build's `.gz` copy, a missing file under `/pkg` is a plain 404, and
//! the pages still render around them.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{
    AsHeaderName, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, LAST_MODIFIED, VARY,
};
use tempfile::TempDir;

use crate::helpers::spawn_app_in;

const WASM: &str = "/pkg/staffgate.wasm";

/// A data folder that doubles as the site root, with a WebAssembly file large enough to be
/// worth compressing and the worker at the root.
fn site() -> TempDir {
    let site = tempfile::tempdir().expect("create a data folder");
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/staffgate.wasm"), wasm_bytes("first")).unwrap();
    std::fs::write(site.path().join("pkg/staffgate.js"), "/* staffgate.js */").unwrap();
    std::fs::write(site.path().join("sw.js"), "/* sw.js */").unwrap();
    site
}

/// The bytes of a made-up WebAssembly file, different for each `build`.
fn wasm_bytes(build: &str) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for step in 0..2000 {
        bytes.extend_from_slice(format!("{build} function {step}; ").as_bytes());
    }
    bytes
}

/// Writes `file.gz` beside `file` the way `scripts/build-site` does, and returns its bytes.
fn gzip_copy(file: &Path) -> Vec<u8> {
    let status = Command::new("gzip")
        .args(["-9", "-k", "-n", "-f"])
        .arg(file)
        .status()
        .expect("run gzip (Debian's gzip package)");
    assert!(status.success(), "gzip {}: {status}", file.display());
    let mut copy = file.as_os_str().to_owned();
    copy.push(".gz");
    std::fs::read(copy).unwrap()
}

async fn get(base: &str, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {path}: {error}"))
}

/// The header's value, or "" when it is missing.
fn header(headers: &HeaderMap, name: impl AsHeaderName) -> &str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_unchanged_browser_file_costs_a_304_with_no_body() {
    let site = site();
    let wasm = std::fs::read(site.path().join("pkg/staffgate.wasm")).unwrap();
    let app = spawn_app_in(site, &[]).await;

    for (path, contents) in [(WASM, wasm), ("/sw.js", b"/* sw.js */".to_vec())] {
        let first = get(&app.base, path, &[]).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(header(first.headers(), CACHE_CONTROL), "no-cache", "{path}");
        let last_modified = header(first.headers(), LAST_MODIFIED).to_owned();
        assert!(last_modified.ends_with(" GMT"), "{path}: {last_modified:?}");
        assert_eq!(first.bytes().await.unwrap(), contents, "{path}");

        let again = get(&app.base, path, &[("if-modified-since", &last_modified)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(again.headers(), CACHE_CONTROL), "no-cache", "{path}");
        assert_eq!(
            header(again.headers(), LAST_MODIFIED),
            last_modified,
            "{path}"
        );
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_copy_dated_other_than_the_file_gets_the_whole_file_even_after_a_rollback() {
    let site = site();
    let wasm_path = site.path().join("pkg/staffgate.wasm");
    let app = spawn_app_in(site, &[]).await;
    let first = get(&app.base, WASM, &[]).await;
    let last_modified = header(first.headers(), LAST_MODIFIED).to_owned();

    // The deployment goes back to an earlier build, whose file keeps its earlier date.
    let earlier = wasm_bytes("earlier");
    std::fs::write(&wasm_path, &earlier).unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(&wasm_path)
        .unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(86_400))
        .unwrap();

    for since in [last_modified.as_str(), "Fri, 01 Jan 2100 00:00:00 GMT"] {
        let response = get(&app.base, WASM, &[("if-modified-since", since)]).await;
        assert_eq!(response.status(), StatusCode::OK, "{since}");
        assert_ne!(header(response.headers(), LAST_MODIFIED), since);
        assert_eq!(response.bytes().await.unwrap(), earlier, "{since}");
    }
}

#[tokio::test]
async fn a_browser_that_accepts_gzip_gets_the_gzip_copy_of_the_build() {
    let site = site();
    let wasm = std::fs::read(site.path().join("pkg/staffgate.wasm")).unwrap();
    let gzipped = gzip_copy(&site.path().join("pkg/staffgate.wasm"));
    assert!(
        gzipped.len() * 4 < wasm.len(),
        "{} of {}",
        gzipped.len(),
        wasm.len()
    );
    let app = spawn_app_in(site, &[]).await;

    let compressed = get(&app.base, WASM, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(compressed.status(), StatusCode::OK);
    let headers = compressed.headers().clone();
    assert_eq!(header(&headers, CONTENT_ENCODING), "gzip");
    assert_eq!(header(&headers, CONTENT_TYPE), "application/wasm");
    assert_eq!(header(&headers, CACHE_CONTROL), "no-cache");
    assert!(
        header(&headers, VARY).contains("accept-encoding"),
        "{headers:?}"
    );
    assert_eq!(compressed.bytes().await.unwrap(), gzipped);

    let since = header(&headers, LAST_MODIFIED);
    let again = get(
        &app.base,
        WASM,
        &[("accept-encoding", "gzip"), ("if-modified-since", since)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());

    // Without gzip in Accept-Encoding, the file as it is.
    let plain = get(&app.base, WASM, &[]).await;
    assert!(!plain.headers().contains_key(CONTENT_ENCODING));
    assert_eq!(header(plain.headers(), CONTENT_TYPE), "application/wasm");
    assert_eq!(plain.bytes().await.unwrap(), wasm);
    let identity = get(&app.base, WASM, &[("accept-encoding", "identity")]).await;
    assert!(!identity.headers().contains_key(CONTENT_ENCODING));
    assert_eq!(identity.bytes().await.unwrap(), wasm);

    // A file with no .gz copy is sent as it is, also to a browser that accepts gzip.
    let script = get(
        &app.base,
        "/pkg/staffgate.js",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert!(!script.headers().contains_key(CONTENT_ENCODING));
    assert_eq!(script.text().await.unwrap(), "/* staffgate.js */");
}

#[tokio::test]
async fn a_missing_pkg_file_is_a_plain_404_and_an_unknown_page_the_apps_own() {
    let app = spawn_app_in(site(), &[]).await;
    for path in ["/pkg/nothing.js", "/pkg/", "/pkg/staffgate.wasm.missing"] {
        let response = get(&app.base, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("<html"), "{path}: {body}");
    }

    let page = get(&app.base, "/no-such-page", &[]).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Page not found"));
    let file = get(&app.base, "/nothing.js", &[]).await;
    assert_eq!(file.status(), StatusCode::NOT_FOUND);
    assert!(file.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_pages_still_render_beside_the_browser_files() {
    let app = spawn_app_in(site(), &[]).await;
    for (path, words) in [("/", ""), ("/login", "Sign in to Staffgate")] {
        let response = get(&app.base, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert!(
            header(&headers, CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
        assert!(!headers.contains_key(CONTENT_ENCODING), "{path}");
        assert!(!headers.contains_key(CACHE_CONTROL), "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("name=\"staffgate-build\""), "{path}: {html}");
        assert!(html.contains(words), "{path}: {html}");
    }
}
