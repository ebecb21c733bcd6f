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
        assert!(
            chunks.iter().any(|c| c.ends_with("/split_applicant.wasm")),
            "{chunks:?}"
        );
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

both!(
    unknown_pages_answer_404_with_the_shell_and_every_client_route_200,
    |app: TestApp| async move {
        let index =
            server::assets::find("/index.html").expect("the build script embedded the client");
        // Every pattern of the client's router, with its parameters filled in.
        for (pattern, _) in app::routes::ROUTES {
            let path = format!(
                "/{}",
                pattern
                    .split('/')
                    .map(|s| if s.starts_with(':') { "x1" } else { s })
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let answer = app.get(&path).await;
            assert_eq!(answer.status, 200, "{path}");
            assert!(answer.header("content-type").starts_with("text/html"));
        }
        for path in [
            "/no-such-page",
            "/items",
            "/items/X/print/more",
            "/staff/cases",
        ] {
            let answer = app.get(path).await;
            assert_eq!(answer.status, 404, "{path}");
            // The same shell, so the client draws its friendly page.
            assert!(
                answer.header("content-type").starts_with("text/html"),
                "{path}"
            );
            let html = answer.text();
            assert!(
                html.contains("12345") && html.contains("<noscript>"),
                "{path}"
            );
        }
        assert_eq!(app.get("/no-such-page").await.body, index.raw);
    }
);

/// The security headers every answer carries, errors and panics included.
fn assert_security_headers(response: &crate::common::TestResponse, what: &str) {
    assert!(
        response
            .header("content-security-policy")
            .contains("frame-ancestors 'none'"),
        "{what}: no CSP"
    );
    assert_eq!(
        response.header("x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(response.header("x-frame-options"), "DENY", "{what}");
}

/// The one JSON error shape, with a Chinese message.
fn assert_error_shape(response: &crate::common::TestResponse, status: u16, code: &str, what: &str) {
    assert_eq!(response.status, status, "{what}: {}", response.text());
    assert!(
        response
            .header("content-type")
            .starts_with("application/json"),
        "{what}: {}",
        response.header("content-type")
    );
    let error: app::api::ApiError = response.parse();
    assert_eq!(error.code, code, "{what}");
    assert!(
        error
            .message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: {}",
        error.message
    );
    // Every error body names its request, as the `X-Request-Id` answer header does.
    let id = response.header("x-request-id");
    assert!(!id.is_empty(), "{what}: no X-Request-Id");
    assert_eq!(error.request_id.as_deref(), Some(id), "{what}");
    assert_security_headers(response, what);
}

both!(
    wrong_method_answers_405_in_the_json_shape,
    |app: TestApp| async move {
        use axum::body::Body;
        for (method, uri) in [
            ("DELETE", "/api/health"),
            ("PUT", "/api/calendar/due?from=2026-03-02&working_days=1"),
            ("POST", "/api/me"),
        ] {
            let response = app.send(method, uri, None, &[], Body::empty()).await;
            let what = format!("{method} {uri}");
            assert_error_shape(&response, 405, "method_not_allowed", &what);
            assert!(
                !response.header("allow").is_empty(),
                "{what}: Allow is kept"
            );
            assert_eq!(response.header("cache-control"), "no-store", "{what}");
        }
    }
);

both!(
    too_large_body_answers_413_in_the_json_shape,
    |app: TestApp| async move {
        let big = vec![b' '; 200 * 1024];
        let length = big.len().to_string();
        let response = app
            .send(
                "POST",
                "/api/auth/otp",
                None,
                &[
                    ("content-type", "application/json"),
                    ("content-length", &length),
                ],
                axum::body::Body::from(big),
            )
            .await;
        assert_error_shape(&response, 413, "too_large", "200 KB body");
    }
);

both!(
    unreadable_path_segment_answers_400_in_the_json_shape,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900001111").await;
        for uri in [
            "/api/applications/%FF",
            "/api/items/%C0%AF",
            "/api/applications/%E4%B8/withdraw",
        ] {
            let response = if uri.ends_with("withdraw") {
                app.send("POST", uri, Some(&user), &[], axum::body::Body::empty())
                    .await
            } else {
                app.get_as(&user, uri).await
            };
            assert_error_shape(&response, 400, "invalid_field", uri);
            assert!(response.json()["fields"]["path"].is_string(), "{uri}");
        }
    }
);

both!(
    unknown_assets_and_api_paths_answer_404_in_the_json_shape,
    |app: TestApp| async move {
        for (method, uri) in [
            ("GET", "/assets/app-0000000000.js"),
            ("GET", "/assets/no/such.wasm"),
            ("DELETE", "/api/no-such-thing"),
            ("PATCH", "/api/no/such/thing"),
        ] {
            let response = app
                .send(method, uri, None, &[], axum::body::Body::empty())
                .await;
            assert_error_shape(&response, 404, "not_found", &format!("{method} {uri}"));
        }
    }
);

#[tokio::test]
async fn a_panic_answers_500_in_the_json_shape_with_security_headers() {
    use axum::routing::get;
    use tower::ServiceExt;
    let router = server::finish(
        axum::Router::new().route(
            "/api/boom",
            get(|| async {
                if true {
                    panic!("boom with 110101199003077758");
                }
                "never"
            }),
        ),
        false,
        server::monitoring::Metrics::new(),
    );
    let response = router
        .oneshot(
            axum::http::Request::get("/api/boom")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let response = crate::common::TestResponse {
        status,
        headers,
        body,
    };
    assert_error_shape(&response, 500, "internal", "panic");
    assert!(
        !response.text().contains("110101"),
        "nothing of the panic leaks"
    );
    assert_eq!(response.header("cache-control"), "no-store");
    // The panic's answer names its request, as every error body does.
    let id = response.header("x-request-id");
    assert_eq!(id.len(), 36, "a UUID: {id:?}");
    assert_eq!(response.json()["request_id"], id);
}

both!(
    answers_with_personal_data_are_not_stored_by_caches,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900001111").await;
        for uri in [
            "/api/me",
            "/api/applications",
            "/api/messages",
            "/api/appointments",
        ] {
            let response = app.get_as(&user, uri).await;
            assert_eq!(response.status, 200, "{uri}: {}", response.text());
            assert_eq!(response.header("cache-control"), "no-store", "{uri}");
        }
        for uri in ["/api/track?number=SFQ-20261125-0001&phone4=1111", "/api/me"] {
            let response = app.get(uri).await;
            assert_eq!(response.header("cache-control"), "no-store", "{uri}");
        }
        // A public image says how it may be cached itself.
        let qr = app
            .get(&format!("/api/qr?text={}", enc("http://portal.test/track")))
            .await;
        assert_eq!(qr.status, 200);
        assert!(qr.header("cache-control").starts_with("public"));
    }
);

both!(
    json_answers_are_compressed_for_slow_phones,
    |app: TestApp| async move {
        let plain = app.get("/api/items?limit=100").await;
        assert_eq!(plain.status, 200);
        assert_eq!(plain.header("content-encoding"), "");
        for encoding in ["br", "gzip"] {
            let request = axum::http::Request::get("/api/items?limit=100")
                .header("accept-encoding", encoding)
                .body(axum::body::Body::empty())
                .unwrap();
            let packed = app.request(request).await;
            assert_eq!(packed.status, 200);
            assert_eq!(packed.header("content-encoding"), encoding);
            assert!(
                packed.body.len() * 3 < plain.body.len(),
                "{encoding}: {} of {} bytes",
                packed.body.len(),
                plain.body.len()
            );
        }
    }
);
