//! Acting for a business: the company register decides who may sign in with a
//! 统一社会信用代码 — a registered, active company and its 法定代表人 or an authorised 经办人 —
//! and a business session ends once that is no longer so.
//!
//! The demo register (`demo/companies.json`) is loaded in every test: 91610113MA6WC0002K has
//! 法定代表人 13900002222 and 经办人 13900002020; 91610113MA6MB0001N has 法定代表人 13800138000.

use app::api::{AgentAuthorised, Me};
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{TestApp, TestResponse, User};

const WENCHANG: &str = "91610113MA6WC0002K";
const WENCHANG_REP: &str = "13900002222";
const WENCHANG_AGENT: &str = "13900002020";
/// Check digit right, never registered here.
const MADE_UP: &str = "91350100M000100Y43";

/// Lets the resend interval pass for every number.
async fn forget_sent_codes(app: &TestApp) {
    sqlx::query("UPDATE otp_codes SET created_at = '2000-01-01T00:00:00Z'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

async fn code_for(app: &TestApp, phone: &str) -> String {
    let sent = app
        .post_json("/api/auth/otp", None, &json!({ "phone": phone }))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    server::auth::sms::last_sms_code(&app.state.db, phone)
        .await
        .unwrap()
        .unwrap()
}

async fn login(app: &TestApp, phone: &str, code: &str, uscc: Option<&str>) -> TestResponse {
    app.post_json(
        "/api/auth/login",
        None,
        &json!({ "phone": phone, "code": code, "uscc": uscc }),
    )
    .await
}

fn assert_refused(response: &TestResponse, code: &str, says: &str) {
    assert_eq!(response.status, 403, "{}", response.text());
    let body = response.json();
    assert_eq!(body["code"], code, "{body}");
    let message = body["fields"]["uscc"]
        .as_str()
        .expect("names the uscc field");
    assert!(message.contains(says), "{message}");
    assert_eq!(body["message"], message);
}

fn uscc_of(me: &Me) -> Option<&str> {
    match me {
        Me::Applicant { uscc, .. } => uscc.as_deref(),
        Me::Staff { .. } => None,
    }
}

both!(a_made_up_company_is_refused, |app: TestApp| async move {
    // Asking for a code already says the code is not registered (public knowledge)…
    let asked = app
        .post_json(
            "/api/auth/otp",
            None,
            &json!({ "phone": WENCHANG_REP, "uscc": MADE_UP }),
        )
        .await;
    assert_refused(
        &asked,
        "company_not_registered",
        "该统一社会信用代码未在本区登记",
    );
    assert!(
        server::auth::sms::last_sms_code(&app.state.db, WENCHANG_REP)
            .await
            .unwrap()
            .is_none(),
        "no SMS is sent for it"
    );
    // …and so does signing in with it, even with the right code.
    let code = code_for(&app, WENCHANG_REP).await;
    let refused = login(&app, WENCHANG_REP, &code, Some(MADE_UP)).await;
    assert_refused(&refused, "company_not_registered", "未在本区登记");
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM applicants")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(count, 0, "no applicant acts for it");
});

both!(
    a_registered_company_refuses_a_foreign_phone,
    |app: TestApp| async move {
        let stranger = "13900008888";
        // Anyone may ask for a code with a registered company: the answer does not say whose
        // numbers belong to it.
        let asked = app
            .post_json(
                "/api/auth/otp",
                None,
                &json!({ "phone": stranger, "uscc": WENCHANG }),
            )
            .await;
        assert_eq!(asked.status, 200, "{}", asked.text());
        let code = server::auth::sms::last_sms_code(&app.state.db, stranger)
            .await
            .unwrap()
            .unwrap();
        // Without the code nothing more is learnt: a wrong code is just a wrong code.
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let guessed = login(&app, stranger, wrong, Some(WENCHANG)).await;
        assert_eq!(guessed.status, 401, "{}", guessed.text());
        // The holder of the number learns it does not belong to the company.
        let refused = login(&app, stranger, &code, Some(WENCHANG)).await;
        assert_refused(
            &refused,
            "not_company_agent",
            "此手机号码不是该企业的法定代表人或已授权的经办人",
        );
        assert!(refused.header("set-cookie").is_empty(), "no session");
        // The code is still good for signing in as a person.
        let person = login(&app, stranger, &code, None).await;
        assert_eq!(person.status, 200, "{}", person.text());
        let me: Me = person.parse();
        assert_eq!(uscc_of(&me), None);
    }
);

both!(
    the_legal_representative_may_act,
    |app: TestApp| async move {
        let rep = app.sign_in(WENCHANG_REP, Some(WENCHANG)).await;
        let me: Me = app.get_as(&rep, "/api/me").await.parse();
        assert_eq!(uscc_of(&me), Some(WENCHANG));
        // As typed: lower case, spaces and full-width digits are the same code.
        forget_sent_codes(&app).await;
        let typed = "９１６１０１１３ma6wc0002k";
        let again = app.sign_in(WENCHANG_REP, Some(typed)).await;
        let me: Me = app.get_as(&again, "/api/me").await.parse();
        assert_eq!(uscc_of(&me), Some(WENCHANG));
        // The README's demo applicant is the 法定代表人 of the demo company.
        let demo = app.sign_in("13800138000", Some("91610113MA6MB0001N")).await;
        let me: Me = app.get_as(&demo, "/api/me").await.parse();
        assert_eq!(uscc_of(&me), Some("91610113MA6MB0001N"));
        // The 法定代表人 of one company is a stranger to another.
        forget_sent_codes(&app).await;
        let code = code_for(&app, WENCHANG_REP).await;
        let refused = login(&app, WENCHANG_REP, &code, Some("91610113MA6MB0001N")).await;
        assert_refused(&refused, "not_company_agent", "法定代表人");
    }
);

both!(
    an_authorised_agent_may_act_until_revoked_or_expired,
    |app: TestApp| async move {
        let agent = app.sign_in(WENCHANG_AGENT, Some(WENCHANG)).await;
        let me: Me = app.get_as(&agent, "/api/me").await.parse();
        assert_eq!(uscc_of(&me), Some(WENCHANG));

        // Revoked: the live session ends at its next request, saying why…
        sqlx::query(
            "UPDATE company_agents SET revoked_at = '2026-01-01T00:00:00Z' WHERE phone = $1",
        )
        .bind(WENCHANG_AGENT)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
        let ended = app.get_as(&agent, "/api/me").await;
        assert_eq!(ended.status, 401, "{}", ended.text());
        assert!(ended.json()["message"]
            .as_str()
            .unwrap()
            .contains("授权已失效"));
        let ended = app.get_as(&agent, "/api/applications").await;
        assert_eq!(ended.status, 401, "the session is gone");
        // …and a new sign-in for the company is refused.
        forget_sent_codes(&app).await;
        let code = code_for(&app, WENCHANG_AGENT).await;
        let refused = login(&app, WENCHANG_AGENT, &code, Some(WENCHANG)).await;
        assert_refused(&refused, "not_company_agent", "已授权的经办人");

        // Expired: an authorisation that ended yesterday does not count; one that ends
        // tomorrow does.
        let expires = |secs: i64| server::clock::rfc3339(server::clock::now_unix() + secs);
        sqlx::query(
            "UPDATE company_agents SET revoked_at = NULL, expires_at = $2 WHERE phone = $1",
        )
        .bind(WENCHANG_AGENT)
        .bind(expires(-86_400))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
        let refused = login(&app, WENCHANG_AGENT, &code, Some(WENCHANG)).await;
        assert_refused(&refused, "not_company_agent", "已授权的经办人");
        sqlx::query("UPDATE company_agents SET expires_at = $2 WHERE phone = $1")
            .bind(WENCHANG_AGENT)
            .bind(expires(86_400))
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let accepted = login(&app, WENCHANG_AGENT, &code, Some(WENCHANG)).await;
        assert_eq!(accepted.status, 200, "{}", accepted.text());
        let agent = User {
            cookie: crate::common::session_cookie(&accepted),
        };
        // Expiring while signed in ends the session too.
        sqlx::query("UPDATE company_agents SET expires_at = $2 WHERE phone = $1")
            .bind(WENCHANG_AGENT)
            .bind(expires(-1))
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(app.get_as(&agent, "/api/me").await.status, 401);
    }
);

both!(a_closed_company_is_refused, |app: TestApp| async move {
    let rep = app.sign_in(WENCHANG_REP, Some(WENCHANG)).await;
    sqlx::query("UPDATE companies SET status = 'closed' WHERE uscc = $1")
        .bind(WENCHANG)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(app.get_as(&rep, "/api/me").await.status, 401);
    forget_sent_codes(&app).await;
    let asked = app
        .post_json(
            "/api/auth/otp",
            None,
            &json!({ "phone": WENCHANG_REP, "uscc": WENCHANG }),
        )
        .await;
    assert_refused(&asked, "company_closed", "已注销");
    // Acting as a person is unaffected.
    let person = app.sign_in_applicant(WENCHANG_REP).await;
    assert_eq!(app.get_as(&person, "/api/me").await.status, 200);
});

both!(
    the_legal_representative_authorises_an_agent,
    |app: TestApp| async move {
        let new_agent = "13900006161";
        // Not yet authorised.
        let code = code_for(&app, new_agent).await;
        let refused = login(&app, new_agent, &code, Some(WENCHANG)).await;
        assert_refused(&refused, "not_company_agent", "已授权的经办人");

        let rep = app.sign_in(WENCHANG_REP, Some(WENCHANG)).await;
        let body = json!({ "phone": "139 0000 6161", "name": "孙悦", "expires_on": "2099-12-31" });
        let authorised = app
            .post_json("/api/company/agents", Some(&rep), &body)
            .await;
        assert_eq!(authorised.status, 200, "{}", authorised.text());
        let authorised: AgentAuthorised = authorised.parse();
        assert_eq!(authorised.uscc, WENCHANG);
        assert_eq!(authorised.phone_masked, "139****6161");
        let accepted = login(&app, new_agent, &code, Some(WENCHANG)).await;
        assert_eq!(accepted.status, 200, "{}", accepted.text());
        let agent = User {
            cookie: crate::common::session_cookie(&accepted),
        };

        // Only the 法定代表人 acting for the company may authorise.
        let by_agent = app
            .post_json(
                "/api/company/agents",
                Some(&agent),
                &json!({ "phone": "13900006262", "name": "周周" }),
            )
            .await;
        assert_eq!(by_agent.status, 403, "{}", by_agent.text());
        let person = app.sign_in_applicant("13900006363").await;
        let by_person = app
            .post_json(
                "/api/company/agents",
                Some(&person),
                &json!({ "phone": "13900006262", "name": "周周" }),
            )
            .await;
        assert_eq!(by_person.status, 403, "{}", by_person.text());
        let signed_out = app
            .post_json(
                "/api/company/agents",
                None,
                &json!({ "phone": "13900006262", "name": "周周" }),
            )
            .await;
        assert_eq!(signed_out.status, 401);
        let bad_date = app
            .post_json(
                "/api/company/agents",
                Some(&rep),
                &json!({ "phone": "13900006262", "name": "周周", "expires_on": "2000-01-01" }),
            )
            .await;
        assert_eq!(bad_date.status, 400, "{}", bad_date.text());
        assert!(bad_date.json()["fields"]["expires_on"].is_string());

        // Revoked by the 法定代表人: the 经办人's session ends; revoking again finds nothing.
        let revoke = |user: User| {
            let app = &app;
            async move {
                app.send(
                    "DELETE",
                    "/api/company/agents/13900006161",
                    Some(&user),
                    &[],
                    axum::body::Body::empty(),
                )
                .await
            }
        };
        assert_eq!(revoke(agent.clone()).await.status, 403, "the agent may not");
        let revoked = revoke(rep.clone()).await;
        assert_eq!(revoked.status, 204, "{}", revoked.text());
        assert_eq!(app.get_as(&agent, "/api/me").await.status, 401);
        assert_eq!(revoke(rep.clone()).await.status, 404);
    }
);
