//! Health, error shape, OpenAPI, QR codes, security headers and the embedded client.

use crate::both;
use crate::common::{enc, TestApp};

both!(health_names_the_database, |app: TestApp| async move {
    let response = app.get("/api/health").await;
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.state.db.backend.name());
});

both!(
    unknown_api_path_is_json_404_with_security_headers,
    |app: TestApp| async move {
        let response = app.get("/api/no-such-thing").await;
        assert_eq!(response.status, 404);
        assert_eq!(response.json()["code"], "not_found");
        assert!(response
            .header("content-security-policy")
            .contains("frame-ancestors 'none'"));
        assert!(response
            .header("content-security-policy")
            .contains("'wasm-unsafe-eval'"));
        assert!(!response
            .header("content-security-policy")
            .contains("unsafe-inline"));
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert!(!response.header("referrer-policy").is_empty());
    }
);

both!(
    openapi_describes_every_endpoint,
    |app: TestApp| async move {
        let spec = app.get("/api/openapi.json").await.json();
        for path in [
            "/api/health",
            "/api/catalog",
            "/api/items",
            "/api/items/{code}",
            "/api/forms/{code}",
            "/api/calendar/due",
            "/api/qr",
        ] {
            assert!(
                spec["paths"][path].is_object(),
                "{path} missing from the OpenAPI document"
            );
        }
        for schema in [
            "ItemGuide",
            "ItemSummary",
            "ItemList",
            "DueDate",
            "ApiError",
            "Health",
        ] {
            assert!(
                spec["components"]["schemas"][schema].is_object(),
                "schema {schema} missing"
            );
        }
    }
);

both!(qr_code_only_for_own_links, |app: TestApp| async move {
    let own = app
        .get(&format!(
            "/api/qr?text={}",
            enc("http://portal.test/items/SFQ-GA-0001?a=reason.lost")
        ))
        .await;
    assert_eq!(own.status, 200);
    assert_eq!(own.header("content-type"), "image/svg+xml");
    assert!(own.text().contains("<svg"));
    let foreign = app
        .get(&format!(
            "/api/qr?text={}",
            enc("https://evil.example/phish")
        ))
        .await;
    assert_eq!(foreign.status, 400);
    assert!(foreign.json()["fields"]["text"].is_string());
});

both!(
    client_is_served_with_deep_link_fallback_and_precompression,
    |app: TestApp| async move {
        let index =
            server::assets::find("/index.html").expect("the build script embedded the client");
        let home = app.get("/").await;
        assert_eq!(home.body, index.raw, "the home page is the plain shell");

        let deep = app.get("/items/SFQ-GA-0001").await;
        assert_eq!(deep.status, 200);
        assert!(deep.header("content-type").starts_with("text/html"));
        assert_eq!(deep.header("cache-control"), "no-cache");
        let html = deep.text();
        assert!(html.contains("12345") && html.contains("<noscript>"));
        assert!(
            !html.contains("<script>"),
            "no inline scripts under the CSP"
        );
        // The guide's API answer travels with the code, not after it.
        assert!(html.contains(
            r#"<link rel="preload" href="/api/items/SFQ-GA-0001" as="fetch" crossorigin></head>"#
        ));

        let wasm_url = html
            .split('"')
            .find(|s| s.starts_with("/assets/") && s.ends_with(".wasm"))
            .unwrap()
            .to_string();
        let request = axum::http::Request::get(&wasm_url)
            .header("accept-encoding", "gzip, deflate, br")
            .body(axum::body::Body::empty())
            .unwrap();
        let wasm = app.request(request).await;
        assert_eq!(wasm.status, 200);
        assert_eq!(wasm.header("content-encoding"), "br");
        assert_eq!(wasm.header("content-type"), "application/wasm");
        assert!(wasm.header("cache-control").contains("immutable"));

        // A page in a lazily loaded chunk names its chunk files, and they are served.
        let my = app.get("/my").await.text();
        let chunks: Vec<&str> = my
            .split('"')
            .filter(|s| s.starts_with("/assets/") && s.ends_with(".wasm"))
            .filter(|s| !s.ends_with("/app_bg.wasm"))
            .collect();
        assert!(chunks.iter().any(|c| c.ends_with("/split_applicant.wasm")), "{chunks:?}");
        for chunk in chunks {
            let answer = app.get(chunk).await;
            assert_eq!(answer.status, 200, "{chunk}");
            assert_eq!(answer.header("content-type"), "application/wasm");
        }

        // 关怀模式 reaches the shell drawn before any script runs.
        let request = axum::http::Request::get("/track")
            .header("cookie", "other=1; bst_care=1")
            .body(axum::body::Body::empty())
            .unwrap();
        let care = app.request(request).await.text();
        assert!(care.contains(r#"<html lang="zh-CN" class="care">"#));

        let missing = app.get("/assets/app-0000000000.js").await;
        assert_eq!(
            missing.status, 404,
            "a missing asset is not answered with the page"
        );
    }
);
