//! The files behind the offline cache over HTTP: every page names the build, the name changes
//! with any file the service worker caches, and browsers check those files with the server
//! before reusing a copy.

use std::path::Path;

use reqwest::StatusCode;
use staffgate::http::OFFLINE_FILES;
use tempfile::TempDir;

use crate::helpers::spawn_app_in;

/// A data folder that doubles as the site root, holding every offline file.
fn site_with_offline_files() -> TempDir {
    let site = tempfile::tempdir().expect("create a data folder");
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    for name in OFFLINE_FILES {
        std::fs::write(site.path().join(name), format!("/* {name} */")).unwrap();
    }
    site
}

async fn get(base: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {path}: {error}"))
}

/// The build id in the `<meta name="staffgate-build">` of `/clock`.
async fn build_of_clock_page(base: &str) -> String {
    let html = get(base, "/clock").await.text().await.unwrap();
    let marker = "name=\"staffgate-build\" content=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no build meta: {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_build_id_on_every_page_changes_with_any_file_of_the_offline_cache() {
    let site = site_with_offline_files();
    let path = site.path().to_owned();
    let app = spawn_app_in(site, &[]).await;
    let first = build_of_clock_page(&app.base).await;
    assert_eq!(first.len(), 16, "{first}");
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    assert_eq!(build_of_clock_page(&app.base).await, first);

    // A changed offline page, worker or manifest gives another id; the same files the same.
    for changed in ["offline.html", "sw.js", "manifest.webmanifest"] {
        let site = copy_of(&path);
        std::fs::write(site.path().join(changed), "changed").unwrap();
        let other = spawn_app_in(site, &[]).await;
        assert_ne!(build_of_clock_page(&other.base).await, first, "{changed}");
    }
    let same = spawn_app_in(copy_of(&path), &[]).await;
    assert_eq!(build_of_clock_page(&same.base).await, first);
}

#[tokio::test]
async fn browsers_check_the_offline_files_with_the_server_before_reusing_them() {
    let app = spawn_app_in(site_with_offline_files(), &[]).await;
    for name in OFFLINE_FILES {
        let response = get(&app.base, &format!("/{name}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        let cache_control = response
            .headers()
            .get("cache-control")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        assert_eq!(cache_control.as_deref(), Some("no-cache"), "{name}");
        assert_eq!(response.text().await.unwrap(), format!("/* {name} */"));
    }
}

/// A new data folder with the offline files of `site` (and no database).
fn copy_of(site: &Path) -> TempDir {
    let copy = tempfile::tempdir().expect("create a data folder");
    std::fs::create_dir(copy.path().join("pkg")).unwrap();
    for name in OFFLINE_FILES {
        std::fs::copy(site.join(name), copy.path().join(name)).unwrap();
    }
    copy
}
