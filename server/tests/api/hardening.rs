//! Attacks on sign-in and on the deployment: parallel code guesses, sign-in floods, lockouts
//! of other people, cross-site requests, forwarded addresses, https-only cookies.

use axum::body::Body;
use futures_util::future::join_all;
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{TestApp, TestResponse};
use server::auth::staff::PasswordGate;
use server::client_address::Deployment;
use server::demo_accounts::DEMO_PASSWORD;

/// A JSON POST with extra headers, from the in-process router (no socket peer).
async fn post(
    app: &TestApp,
    uri: &str,
    headers: &[(&str, &str)],
    body: serde_json::Value,
) -> TestResponse {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    app.send(
        "POST",
        uri,
        None,
        &all,
        Body::from(serde_json::to_vec(&body).unwrap()),
    )
    .await
}

/// A JSON POST arriving over a socket from `peer`.
async fn post_from(
    app: &TestApp,
    peer: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: serde_json::Value,
) -> TestResponse {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    app.send_from(
        peer,
        "POST",
        uri,
        &all,
        Body::from(serde_json::to_vec(&body).unwrap()),
    )
    .await
}

async fn send_code(app: &TestApp, phone: &str) -> String {
    let sent = post(app, "/api/auth/otp", &[], json!({ "phone": phone })).await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    server::auth::sms::last_sms_code(&app.state.db, phone)
        .await
        .unwrap()
        .unwrap()
}

fn wrong_codes(right: &str, n: usize) -> Vec<String> {
    (0..)
        .map(|i: u32| format!("{:06}", (i * 7919 + 13) % 1_000_000))
        .filter(|c| c != right)
        .take(n)
        .collect()
}

both!(
    parallel_wrong_codes_are_compared_at_most_five_times,
    |app: TestApp| async move {
        let phone = "13900008101";
        let code = send_code(&app, phone).await;
        let guesses = wrong_codes(&code, 30);
        let answers = join_all(guesses.iter().map(|guess| {
            post(
                &app,
                "/api/auth/login",
                &[],
                json!({ "phone": phone, "code": guess }),
            )
        }))
        .await;
        let mut remaining_told = 0;
        for answer in &answers {
            assert!(
                answer.status == 401 || answer.status == 423,
                "{} {}",
                answer.status,
                answer.text()
            );
            if answer.text().contains("还可以再试") {
                remaining_told += 1;
            }
        }
        assert!(
            remaining_told <= 4,
            "{remaining_told} guesses were told how many remain"
        );
        assert!(
            answers.iter().any(|a| a.status == 423),
            "the fifth wrong code locks the number"
        );
        let attempts: i64 = sqlx::query("SELECT attempts FROM otp_codes WHERE phone = $1")
            .bind(phone)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get("attempts");
        assert_eq!(attempts, 5, "exactly five of thirty guesses were compared");

        let right = post(
            &app,
            "/api/auth/login",
            &[],
            json!({ "phone": phone, "code": code }),
        )
        .await;
        assert_eq!(right.status, 423, "{}", right.text());
        assert_eq!(right.json()["code"], "locked");
    }
);

both!(
    wrong_codes_for_a_number_without_a_code_lock_nothing,
    |app: TestApp| async move {
        let phone = "13900008202";
        for n in 0..10 {
            let answer = post(
                &app,
                "/api/auth/login",
                &[("x-forwarded-for", "198.51.100.66")],
                json!({ "phone": phone, "code": format!("{n:06}") }),
            )
            .await;
            assert_eq!(answer.status, 401, "guess {n}: {}", answer.text());
            assert_eq!(answer.json()["code"], "unauthorized");
        }
        let locks: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM otp_locks WHERE locked_until IS NOT NULL")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
                .get("n");
        assert_eq!(locks, 0);
        // The owner asks for a code and signs in.
        let code = send_code(&app, phone).await;
        let login = post(
            &app,
            "/api/auth/login",
            &[],
            json!({ "phone": phone, "code": code }),
        )
        .await;
        assert_eq!(login.status, 200, "{}", login.text());

        // The guesser's address runs out of guesses, whatever the numbers.
        let mut last = None;
        for n in 0..30 {
            last = Some(
                post(
                    &app,
                    "/api/auth/login",
                    &[("x-forwarded-for", "198.51.100.66")],
                    json!({ "phone": format!("1360000{n:04}"), "code": "123456" }),
                )
                .await,
            );
        }
        let last = last.unwrap();
        assert_eq!(last.status, 429, "{}", last.text());
        assert!(last.json()["message"]
            .as_str()
            .unwrap()
            .contains("当前网络"));
        assert!(!last.header("retry-after").is_empty());
    }
);

both!(
    a_flood_of_staff_sign_ins_is_limited_and_hashes_are_bounded,
    |app: TestApp| async move {
        let gate = &app.state.password_gate;
        let app = &app;
        // Many addresses at once: every attempt is within its address's limits, so only the
        // gate stands between the flood and the memory.
        let spread = join_all((0..40).map(|n| async move {
            let peer = format!("198.18.0.{}", n + 1);
            post_from(
                app,
                &peer,
                "/api/staff/login",
                &[],
                json!({ "username": format!("someone{n}"), "password": "guess" }),
            )
            .await
        }))
        .await;
        for answer in &spread {
            assert!(
                answer.status == 401 || answer.status == 429,
                "{}",
                answer.text()
            );
        }
        assert!(gate.verified() >= 1);
        assert!(
            gate.peak() <= PasswordGate::SLOTS,
            "{} verifications ran at once",
            gate.peak()
        );
        let before = gate.verified();

        // One address, random names, at once and then one after another: no more than its
        // limit of twenty is ever verified, the rest is answered 429 in the one JSON shape.
        let mut answers = join_all((0..60).map(|n| {
            post(
                app,
                "/api/staff/login",
                &[("x-forwarded-for", "198.51.100.77")],
                json!({ "username": format!("random{n}x{}", n * 31), "password": "guess" }),
            )
        }))
        .await;
        for n in 0..30 {
            answers.push(
                post(
                    app,
                    "/api/staff/login",
                    &[("x-forwarded-for", "198.51.100.77")],
                    json!({ "username": format!("later{n}"), "password": "guess" }),
                )
                .await,
            );
        }
        let limited = answers.iter().filter(|a| a.status == 429).count();
        let failed = answers.iter().filter(|a| a.status == 401).count();
        assert_eq!(limited + failed, 90);
        assert!(
            failed <= 20,
            "{failed} attempts from one address were checked"
        );
        assert!(limited >= 70, "{limited} were answered 429");
        let verified = gate.verified() - before;
        assert!(verified <= 20, "{verified} passwords verified");
        assert!(gate.peak() <= PasswordGate::SLOTS);
        for answer in answers.iter().filter(|a| a.status == 429) {
            assert_eq!(answer.json()["code"], "rate_limited");
            assert!(answer.json()["message"]
                .as_str()
                .unwrap()
                .contains("后再试"));
            assert!(answer.header("retry-after").parse::<u64>().unwrap() >= 1);
        }
        // Unknown names counted like known ones: the flooding address cannot sign in either…
        let refused = post(
            app,
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.77")],
            json!({ "username": "ga_reviewer", "password": DEMO_PASSWORD }),
        )
        .await;
        assert_eq!(refused.status, 429);
        assert!(refused.json()["message"]
            .as_str()
            .unwrap()
            .contains("当前网络"));
        // …but everyone else can.
        let other = post(
            app,
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.78")],
            json!({ "username": "ga_reviewer", "password": DEMO_PASSWORD }),
        )
        .await;
        assert_eq!(other.status, 200, "{}", other.text());
    }
);

both!(
    a_staff_account_locked_at_one_address_signs_in_at_another,
    |app: TestApp| async move {
        let wrong = json!({ "username": "MZ_Reviewer", "password": "x" });
        let right = json!({ "username": "mz_reviewer", "password": DEMO_PASSWORD });
        for _ in 0..10 {
            let answer = post(
                &app,
                "/api/staff/login",
                &[("x-forwarded-for", "198.51.100.1")],
                wrong.clone(),
            )
            .await;
            assert_eq!(answer.status, 401, "{}", answer.text());
        }
        let at_a = post(
            &app,
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.1")],
            right.clone(),
        )
        .await;
        assert_eq!(
            at_a.status,
            429,
            "the guesser's address is stopped: {}",
            at_a.text()
        );
        let at_b = post(
            &app,
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.2")],
            right.clone(),
        )
        .await;
        assert_eq!(
            at_b.status,
            200,
            "the owner elsewhere signs in: {}",
            at_b.text()
        );

        // IPv6: one /64 is one place.
        for _ in 0..10 {
            post_from(
                &app,
                "2001:db8:1:2::1",
                "/api/staff/login",
                &[],
                json!({ "username": "ga_reviewer", "password": "x" }),
            )
            .await;
        }
        let right = json!({ "username": "ga_reviewer", "password": DEMO_PASSWORD });
        let same_net = post_from(
            &app,
            "2001:db8:1:2::99",
            "/api/staff/login",
            &[],
            right.clone(),
        )
        .await;
        assert_eq!(same_net.status, 429, "{}", same_net.text());
        let other_net = post_from(&app, "2001:db8:1:3::1", "/api/staff/login", &[], right).await;
        assert_eq!(other_net.status, 200, "{}", other_net.text());
    }
);

both!(
    guessing_spread_over_many_addresses_meets_the_account_ceiling,
    |app: TestApp| async move {
        let wrong = json!({ "username": "RS_Reviewer", "password": "x" });
        for place in 0..10 {
            let peer = format!("198.18.1.{}", place + 1);
            for _ in 0..10 {
                let answer = post_from(&app, &peer, "/api/staff/login", &[], wrong.clone()).await;
                assert_eq!(answer.status, 401, "{}", answer.text());
            }
        }
        let right = json!({ "username": "rs_reviewer", "password": DEMO_PASSWORD });
        let owner = post_from(&app, "198.18.2.1", "/api/staff/login", &[], right).await;
        assert_eq!(owner.status, 429, "{}", owner.text());
        assert!(owner.json()["message"]
            .as_str()
            .unwrap()
            .contains("暂停登录"));
        // Other accounts are not affected.
        let other = post_from(
            &app,
            "198.18.2.1",
            "/api/staff/login",
            &[],
            json!({ "username": "ga_reviewer", "password": DEMO_PASSWORD }),
        )
        .await;
        assert_eq!(other.status, 200, "{}", other.text());
    }
);

both!(
    cross_site_state_changes_are_refused,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900008303").await;
        let logout = |headers: &'static [(&'static str, &'static str)]| {
            app.send(
                "POST",
                "/api/auth/logout",
                Some(&user),
                headers,
                Body::empty(),
            )
        };
        for headers in [
            &[("origin", "https://evil.example")][..],
            &[("origin", "http://portal.test.evil.example")],
            &[("origin", "null")],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
        ] {
            let refused = logout(headers).await;
            assert_eq!(refused.status, 403, "{headers:?}: {}", refused.text());
            assert_eq!(refused.json()["code"], "forbidden");
            assert!(refused.json()["message"]
                .as_str()
                .unwrap()
                .contains("其他网站"));
            assert!(refused
                .header("content-type")
                .starts_with("application/json"));
        }
        assert_eq!(
            app.get_as(&user, "/api/me").await.status,
            200,
            "still signed in"
        );

        // A code request from another site sends no SMS.
        let foreign = post(
            &app,
            "/api/auth/otp",
            &[("origin", "https://evil.example")],
            json!({ "phone": "13900008304" }),
        )
        .await;
        assert_eq!(foreign.status, 403);
        assert!(
            server::auth::sms::last_sms_code(&app.state.db, "13900008304")
                .await
                .unwrap()
                .is_none()
        );
        // Uploads too, before the body is read.
        let upload = app
            .send(
                "PUT",
                "/api/applications/x/materials/y",
                Some(&user),
                &[
                    ("origin", "https://evil.example"),
                    ("content-type", "application/octet-stream"),
                ],
                Body::from(vec![0u8; 10]),
            )
            .await;
        assert_eq!(upload.status, 403);
        // Reading from anywhere is fine.
        let read = app
            .send(
                "GET",
                "/api/health",
                None,
                &[("origin", "https://evil.example")],
                Body::empty(),
            )
            .await;
        assert_eq!(read.status, 200);

        // Our own pages (and tools that send neither header) pass.
        assert_eq!(
            logout(&[
                ("origin", "http://portal.test"),
                ("sec-fetch-site", "same-origin")
            ])
            .await
            .status,
            204
        );
        let user = app.sign_in_applicant("13900008305").await;
        let same = app
            .send(
                "POST",
                "/api/auth/logout",
                Some(&user),
                &[("sec-fetch-site", "same-origin")],
                Body::empty(),
            )
            .await;
        assert_eq!(same.status, 204);

        // With PUBLIC_URL the scheme must match too.
        let app = app.with_deployment(Deployment {
            public_origin: Some("https://portal.test".into()),
            ..Deployment::default()
        });
        let plain = app
            .send(
                "POST",
                "/api/auth/logout",
                None,
                &[("origin", "http://portal.test")],
                Body::empty(),
            )
            .await;
        assert_eq!(plain.status, 403);
        let https = app
            .send(
                "POST",
                "/api/auth/logout",
                None,
                &[("origin", "https://portal.test")],
                Body::empty(),
            )
            .await;
        assert_eq!(https.status, 204);

        // The OpenAPI document states the refusal.
        let spec = app.get("/api/openapi.json").await.json();
        let responses = |path: &str, method: &str| spec["paths"][path][method]["responses"].clone();
        assert!(responses("/api/auth/logout", "post")["403"].is_object());
        assert!(
            responses("/api/applications/{id}/materials/{material_id}", "put")["403"].is_object()
        );
        assert!(responses("/api/me", "get")["403"].is_null());
    }
);

/// The address the audit log recorded for the newest failed staff sign-in.
async fn last_failed_address(app: &TestApp) -> String {
    sqlx::query(
        "SELECT client_address FROM audit_log WHERE action = '登录失败' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
    .get("client_address")
}

both!(
    forwarded_addresses_only_from_trusted_proxies,
    |app: TestApp| async move {
        let wrong = json!({ "username": "ga_reviewer", "password": "x" });
        // No proxy configured: the header is the client's own word and ignored.
        post_from(
            &app,
            "10.0.0.1",
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.7")],
            wrong.clone(),
        )
        .await;
        assert_eq!(last_failed_address(&app).await, "10.0.0.1");

        let app = app.with_deployment(Deployment {
            trusted_proxies: Deployment::parse_trusted_proxies("10.0.0.1, 10.9.0.0/16").unwrap(),
            public_origin: None,
        });
        post_from(
            &app,
            "10.0.0.1",
            "/api/staff/login",
            &[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.9.8.7")],
            wrong.clone(),
        )
        .await;
        assert_eq!(
            last_failed_address(&app).await,
            "198.51.100.7",
            "the rightmost hop that is not a trusted proxy"
        );
        post_from(
            &app,
            "192.0.2.9",
            "/api/staff/login",
            &[("x-forwarded-for", "198.51.100.8")],
            wrong.clone(),
        )
        .await;
        assert_eq!(
            last_failed_address(&app).await,
            "192.0.2.9",
            "not from an untrusted peer"
        );

        // Behind the proxy every client has its own limits.
        for _ in 0..10 {
            post_from(
                &app,
                "10.0.0.1",
                "/api/staff/login",
                &[("x-forwarded-for", "203.0.113.10")],
                json!({ "username": "sj_reviewer", "password": "x" }),
            )
            .await;
        }
        let right = json!({ "username": "sj_reviewer", "password": DEMO_PASSWORD });
        let guesser = post_from(
            &app,
            "10.0.0.1",
            "/api/staff/login",
            &[("x-forwarded-for", "203.0.113.10")],
            right.clone(),
        )
        .await;
        assert_eq!(guesser.status, 429, "{}", guesser.text());
        let owner = post_from(
            &app,
            "10.0.0.1",
            "/api/staff/login",
            &[("x-forwarded-for", "203.0.113.11")],
            right,
        )
        .await;
        assert_eq!(owner.status, 200, "{}", owner.text());
    }
);

both!(
    https_public_url_makes_cookies_secure_and_sends_hsts,
    |app: TestApp| async move {
        let right = json!({ "username": "ga_reviewer", "password": DEMO_PASSWORD });
        let plain = post(&app, "/api/staff/login", &[], right.clone()).await;
        assert_eq!(plain.status, 200);
        assert!(!plain.header("set-cookie").contains("Secure"));
        assert_eq!(plain.header("strict-transport-security"), "");

        let app = app.with_deployment(Deployment {
            public_origin: Some(Deployment::parse_public_url("https://Portal.test/").unwrap()),
            ..Deployment::default()
        });
        let login = post(&app, "/api/staff/login", &[], right).await;
        assert_eq!(login.status, 200, "{}", login.text());
        assert!(
            login.header("set-cookie").contains("; Secure"),
            "{}",
            login.header("set-cookie")
        );
        assert!(login
            .header("strict-transport-security")
            .starts_with("max-age="));
        let page = app.get("/api/health").await;
        assert!(page
            .header("strict-transport-security")
            .starts_with("max-age="));
        let logout = app
            .send("POST", "/api/auth/logout", None, &[], Body::empty())
            .await;
        assert!(logout.header("set-cookie").contains("Secure"));
    }
);
