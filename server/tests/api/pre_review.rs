//! 网上预审: sign-in, applications, uploads, review, decisions, tracking, ratings, audit.
//!
//! The cases here are filed under test items inserted by each test (not the demo catalog, which
//! other work keeps changing), so every material and question is known.

use app::api::{
    AuditLog, CaseDetail, CaseList, CaseStatus, FieldKind, FollowUpList, Me, MessageList,
    SessionInfo, Submitted, TrackResult, Verdict, Warning,
};
use app::rules::form::max_chars;
use axum::body::Body;
use futures_util::StreamExt as _;
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{enc, TestApp, TestResponse, User};

pub(crate) const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub(crate) const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
pub(crate) const GA_ITEM: &str = "SFQ-TEST-GA01";
pub(crate) const SJ_ITEM: &str = "SFQ-TEST-SJ01";
const CONSULT_ITEM: &str = "SFQ-TEST-ZX01";

/// A personal item with a tolerance material and two materials that depend on a question.
async fn insert_item(app: &TestApp, code: &str, department: &str, online_level: &str) {
    insert_item_for(app, code, department, online_level, "personal").await
}

async fn insert_item_for(
    app: &TestApp,
    code: &str,
    department: &str,
    online_level: &str,
    audience: &str,
) {
    let guide = json!({
        "code": code, "name": format!("居住证明开具（测试 {code}）"), "item_type": "公共服务",
        "department": department, "audience": audience, "themes": [], "summary": "测试用事项",
        "legal_basis": ["《示范区测试条例》第一条"], "conditions": [{ "text": "本区居民" }],
        "materials": [
            { "id": "id_card", "name": "居民身份证", "originals": 1, "copies": 1, "medium": "paper_or_electronic", "source": "申请人自备" },
            { "id": "photo", "name": "近期免冠照片", "originals": 0, "copies": 1, "medium": "electronic", "source": "申请人自备", "tolerance": true },
            { "id": "lease_contract", "name": "房屋租赁合同", "originals": 1, "copies": 1, "medium": "paper", "source": "申请人自备", "when": { "housing": ["rent"] } },
            { "id": "property_certificate", "name": "不动产权证书", "originals": 1, "copies": 0, "medium": "paper", "source": "不动产登记机构", "when": { "housing": ["own"] } }
        ],
        "steps": [{ "title": "申请", "description": "网上提交" }, { "title": "办结", "description": "出具证明" }],
        "fee": { "free": true, "description": "不收费" },
        "statutory_days": 10, "promised_days": 5, "handling": "promised", "online_level": online_level, "visits": 1,
        "result": "居住证明", "delivery": ["窗口领取"],
        "places": [{ "name": "示范区政务服务中心", "address": "示范区民生路1号", "window": "一楼 A 区", "hours": "工作日 9:00–17:00" }],
        "consult_phone": "0000-8801 1001", "complaint_phone": "12345", "appointment": false, "cross_province": false,
        "situations": [{ "id": "housing", "question": "您的住房情况是？", "options": [{ "value": "rent", "label": "租房" }, { "value": "own", "label": "自有住房" }] }]
    });
    sqlx::query(
        "INSERT INTO items (code, name, department_code, audience, guide, popularity, demo) VALUES ($1, $2, $3, $4, $5, 0, 1)",
    )
    .bind(code)
    .bind(guide["name"].as_str().unwrap())
    .bind(department)
    .bind(audience)
    .bind(guide.to_string())
    .execute(&app.state.db.pool)
    .await
    .unwrap();
}

pub(crate) async fn with_items(app: &TestApp) {
    insert_item(app, GA_ITEM, "ga", "pre_review").await;
    insert_item(app, SJ_ITEM, "sj", "fully_online").await;
    insert_item(app, CONSULT_ITEM, "ga", "consult").await;
}

pub(crate) async fn create_case(app: &TestApp, user: &User, item: &str) -> CaseDetail {
    let response = app
        .post_json(
            "/api/applications",
            Some(user),
            &json!({ "item_code": item }),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

pub(crate) fn valid_form() -> serde_json::Value {
    json!({
        "form": {
            "applicant_name": "张小明",
            "id_number": "110101199003077758",
            "phone": "13900001111",
            "address": "示范区民生路88号3单元501室"
        },
        "answers": { "housing": "rent" }
    })
}

pub(crate) async fn save(
    app: &TestApp,
    user: &User,
    id: &str,
    body: &serde_json::Value,
) -> CaseDetail {
    let response = app
        .put_json(&format!("/api/applications/{id}"), Some(user), body)
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

pub(crate) async fn upload(
    app: &TestApp,
    user: &User,
    id: &str,
    material: &str,
    name: &str,
    bytes: &[u8],
) -> TestResponse {
    app.put_bytes(
        &format!(
            "/api/applications/{id}/materials/{material}?name={}",
            enc(name)
        ),
        Some(user),
        bytes.to_vec(),
    )
    .await
}

pub(crate) async fn submit(app: &TestApp, user: &User, id: &str, key: &str) -> TestResponse {
    app.send(
        "POST",
        &format!("/api/applications/{id}/submit"),
        Some(user),
        &[("idempotency-key", key)],
        Body::empty(),
    )
    .await
}

/// A draft filled in and uploaded completely, then submitted.
pub(crate) async fn submitted_case(app: &TestApp, user: &User, item: &str) -> (String, Submitted) {
    let case = create_case(app, user, item).await;
    let id = case.summary.id.clone();
    save(app, user, &id, &valid_form()).await;
    for material in ["id_card", "lease_contract"] {
        let response = upload(app, user, &id, material, &format!("{material}.pdf"), PDF).await;
        assert_eq!(response.status, 200, "{}", response.text());
    }
    let response = submit(app, user, &id, &format!("key-{id}")).await;
    assert_eq!(response.status, 200, "{}", response.text());
    (id, response.parse())
}

async fn review(
    app: &TestApp,
    staff: &User,
    id: &str,
    material: &str,
    body: serde_json::Value,
) -> TestResponse {
    app.put_json(
        &format!("/api/staff/cases/{id}/materials/{material}"),
        Some(staff),
        &body,
    )
    .await
}

async fn decide(app: &TestApp, staff: &User, id: &str, body: serde_json::Value) -> TestResponse {
    app.post_json(
        &format!("/api/staff/cases/{id}/decision"),
        Some(staff),
        &body,
    )
    .await
}

fn ids(list: &CaseList) -> Vec<&str> {
    list.cases.iter().map(|c| c.id.as_str()).collect()
}

both!(otp_sign_in_flow, |app: TestApp| async move {
    let me = app.get("/api/me").await;
    assert_eq!(me.status, 401);
    assert_eq!(me.json()["code"], "unauthorized");
    // The header's question answers 200 either way: no failed request on a first visit.
    let nobody: SessionInfo = app.get("/api/session").await.parse();
    assert_eq!(nobody, SessionInfo { me: None });

    let sent = app
        .post_json("/api/auth/otp", None, &json!({ "phone": "138 0013 8000" }))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(sent.json()["phone_masked"], "138****8000");
    assert_eq!(sent.json()["expires_in_seconds"], 300);
    let code = server::auth::sms::last_sms_code(&app.state.db, "13800138000")
        .await
        .unwrap()
        .unwrap();
    let stored = sqlx::query("SELECT code_hash FROM otp_codes WHERE phone = '13800138000'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get::<String, _>("code_hash");
    assert!(!stored.contains(&code), "codes are stored hashed");

    let login = app
        .post_json(
            "/api/auth/login",
            None,
            &json!({ "phone": "13800138000", "code": code }),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
    let set_cookie = login.header("set-cookie").to_string();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain http has no Secure flag"
    );
    let user = User {
        cookie: crate::common::session_cookie(&login),
    };
    let token = user.cookie.trim_start_matches("bst_session=");
    let raw = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = $1")
        .bind(token)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get::<i64, _>("n");
    assert_eq!(raw, 0, "only the token's hash is stored");

    let me: Me = app.get_as(&user, "/api/me").await.parse();
    assert_eq!(
        me,
        Me::Applicant {
            phone_masked: "138****8000".into(),
            uscc: None,
            unread_messages: 0
        }
    );

    let info: SessionInfo = app.get_as(&user, "/api/session").await.parse();
    assert_eq!(info.me, Some(me));

    // Single use.
    let again = app
        .post_json(
            "/api/auth/login",
            None,
            &json!({ "phone": "13800138000", "code": code }),
        )
        .await;
    assert_eq!(again.status, 401);

    let logout = app
        .send("POST", "/api/auth/logout", Some(&user), &[], Body::empty())
        .await;
    assert_eq!(logout.status, 204);
    assert!(logout.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(app.get_as(&user, "/api/me").await.status, 401);
    let ended: SessionInfo = app.get_as(&user, "/api/session").await.parse();
    assert_eq!(ended.me, None, "an ended session reads as signed out");

    // A business is a separate applicant, over https the cookie is Secure.
    let uscc = "91610113MA6WC0002K";
    let sent = app
        .post_json(
            "/api/auth/otp",
            None,
            &json!({ "phone": "13900002222", "uscc": uscc }),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    let code = server::auth::sms::last_sms_code(&app.state.db, "13900002222")
        .await
        .unwrap()
        .unwrap();
    let body =
        serde_json::to_vec(&json!({ "phone": "13900002222", "code": code, "uscc": uscc })).unwrap();
    let login = app
        .send(
            "POST",
            "/api/auth/login",
            None,
            &[
                ("content-type", "application/json"),
                ("x-forwarded-proto", "https"),
            ],
            Body::from(body),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
    assert!(login.header("set-cookie").contains("Secure"));
    let business = User {
        cookie: crate::common::session_cookie(&login),
    };
    let me: Me = app.get_as(&business, "/api/me").await.parse();
    assert!(matches!(me, Me::Applicant { uscc: Some(ref u), .. } if u == uscc));

    let bad = app
        .post_json(
            "/api/auth/otp",
            None,
            &json!({ "phone": "13900003333", "uscc": "91350100M000100Y44" }),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["fields"]["uscc"]
        .as_str()
        .unwrap()
        .contains("统一社会信用代码"));
    let bad = app
        .post_json("/api/auth/otp", None, &json!({ "phone": "12345" }))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["fields"]["phone"].is_string());
});

both!(
    five_wrong_codes_lock_the_number,
    |app: TestApp| async move {
        let phone = "13900004444";
        assert_eq!(
            app.post_json("/api/auth/otp", None, &json!({ "phone": phone }))
                .await
                .status,
            200
        );
        let code = server::auth::sms::last_sms_code(&app.state.db, phone)
            .await
            .unwrap()
            .unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for attempt in 1..=5 {
            let response = app
                .post_json(
                    "/api/auth/login",
                    None,
                    &json!({ "phone": phone, "code": wrong }),
                )
                .await;
            if attempt < 5 {
                assert_eq!(
                    response.status,
                    401,
                    "attempt {attempt}: {}",
                    response.text()
                );
                assert!(response.json()["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("{} 次", 5 - attempt)));
            } else {
                assert_eq!(response.status, 423, "{}", response.text());
            }
        }
        let right = app
            .post_json(
                "/api/auth/login",
                None,
                &json!({ "phone": phone, "code": code }),
            )
            .await;
        assert_eq!(right.status, 423, "locked even with the right code");
        assert_eq!(right.json()["code"], "locked");
        assert!(
            right.json()["message"]
                .as_str()
                .unwrap()
                .contains("北京时间"),
            "{}",
            right.text()
        );
        let resend = app
            .post_json("/api/auth/otp", None, &json!({ "phone": phone }))
            .await;
        assert_eq!(resend.status, 423);
    }
);

both!(codes_are_rate_limited, |app: TestApp| async move {
    assert_eq!(
        app.post_json("/api/auth/otp", None, &json!({ "phone": "13900005555" }))
            .await
            .status,
        200
    );
    let resend = app
        .post_json("/api/auth/otp", None, &json!({ "phone": "13900005555" }))
        .await;
    assert_eq!(resend.status, 429);
    assert_eq!(resend.json()["code"], "rate_limited");
    assert!(
        resend.json()["message"].as_str().unwrap().contains("秒后"),
        "{}",
        resend.text()
    );
    assert!(resend.header("retry-after").parse::<u64>().unwrap() <= 60);

    // Twenty codes an hour per client address, whatever the numbers.
    let from = |n: usize| {
        let body = serde_json::to_vec(&json!({ "phone": format!("137{n:08}") })).unwrap();
        app.send(
            "POST",
            "/api/auth/otp",
            None,
            &[
                ("content-type", "application/json"),
                ("x-forwarded-for", "198.51.100.9"),
            ],
            Body::from(body),
        )
    };
    for n in 0..20 {
        assert_eq!(from(n).await.status, 200, "code {n}");
    }
    let over = from(20).await;
    assert_eq!(over.status, 429);
    assert!(
        over.json()["message"]
            .as_str()
            .unwrap()
            .contains("当前网络"),
        "{}",
        over.text()
    );
});

both!(staff_sign_in, |app: TestApp| async move {
    let me: Me = app
        .get_as(&app.sign_in_staff("ga_reviewer").await, "/api/me")
        .await
        .parse();
    assert_eq!(
        me,
        Me::Staff {
            username: "ga_reviewer".into(),
            display_name: "公安审核员 王*".into(),
            role: app::api::StaffRole::Reviewer,
            department: Some("ga".into()),
            department_name: Some("示范区公安分局".into()),
        }
    );
    let wrong = app
        .post_json(
            "/api/staff/login",
            None,
            &json!({ "username": "ga_reviewer", "password": "x" }),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/staff/login",
            None,
            &json!({ "username": "nobody", "password": "x" }),
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json_apart_from_request_id(),
        unknown.json_apart_from_request_id(),
        "the same answer for an unknown user and a wrong password"
    );
    assert_eq!(wrong.json()["message"], "用户名或密码不正确");
    for _ in 0..10 {
        app.post_json(
            "/api/staff/login",
            None,
            &json!({ "username": "mz_reviewer", "password": "x" }),
        )
        .await;
    }
    let right =
        json!({ "username": "mz_reviewer", "password": server::demo_accounts::DEMO_PASSWORD });
    let limited = app.post_json("/api/staff/login", None, &right).await;
    assert_eq!(
        limited.status,
        429,
        "ten failures in 15 minutes block the account: {}",
        limited.text()
    );
});

both!(drafts_only_for_online_items, |app: TestApp| async move {
    with_items(&app).await;
    let user = app.sign_in_applicant("13900006666").await;
    let anonymous = app
        .post_json("/api/applications", None, &json!({ "item_code": GA_ITEM }))
        .await;
    assert_eq!(anonymous.status, 401);
    let consult = app
        .post_json(
            "/api/applications",
            Some(&user),
            &json!({ "item_code": CONSULT_ITEM }),
        )
        .await;
    assert_eq!(consult.status, 422);
    assert_eq!(
        consult.json()["message"],
        "该事项暂不支持网上申请，请到窗口办理"
    );
    let missing = app
        .post_json(
            "/api/applications",
            Some(&user),
            &json!({ "item_code": "SFQ-NONE" }),
        )
        .await;
    assert_eq!(missing.status, 404);

    let case = create_case(&app, &user, GA_ITEM).await;
    assert_eq!(case.summary.status, CaseStatus::Draft);
    assert_eq!(
        case.form["phone"], "13900006666",
        "the sign-in number is prefilled"
    );
    assert_eq!(
        case.actions,
        vec![app::api::CaseAction::Submit, app::api::CaseAction::Withdraw]
    );
    // Unanswered: both situation-dependent materials are shown.
    assert_eq!(case.materials.len(), 4);

    // Autosave keeps invalid values as typed.
    let saved = save(
        &app,
        &user,
        &case.summary.id,
        &json!({ "form": { "id_number": "123" }, "answers": { "housing": "own", "bogus": "x" } }),
    )
    .await;
    assert_eq!(saved.form["id_number"], "123");
    assert_eq!(saved.answers.len(), 1);
    let materials: Vec<_> = saved
        .materials
        .iter()
        .map(|m| m.material_id.as_str())
        .collect();
    assert_eq!(materials, ["id_card", "photo", "property_certificate"]);
    let photo = saved
        .materials
        .iter()
        .find(|m| m.material_id == "photo")
        .unwrap();
    assert!(!photo.required && photo.tolerance_allowed);

    let list: CaseList = app.get_as(&user, "/api/applications").await.parse();
    assert_eq!(ids(&list), [case.summary.id.as_str()]);

    // JSON bodies stay under the global 64 KB limit (only uploads are exempt).
    let huge = json!({ "form": { "remarks": "长".repeat(40_000) }, "answers": {} });
    let refused = app
        .put_json(
            &format!("/api/applications/{}", case.summary.id),
            Some(&user),
            &huge,
        )
        .await;
    assert_eq!(refused.status, 413);
    // The autosave keeps a field to the length the field itself allows (the client's
    // `maxlength` and the submission's rule): one character over is refused, naming the field.
    let limit = max_chars(FieldKind::LongText);
    let too_long = json!({ "form": { "remarks": "长".repeat(limit + 1) }, "answers": {} });
    let refused = app
        .put_json(
            &format!("/api/applications/{}", case.summary.id),
            Some(&user),
            &too_long,
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.json()["fields"]["remarks"],
        format!("补充说明最多{limit}个字，您填写了{}个字", limit + 1)
    );
    let name_limit = max_chars(FieldKind::Text);
    let refused = app
        .put_json(
            &format!("/api/applications/{}", case.summary.id),
            Some(&user),
            &json!({ "form": { "applicant_name": "张".repeat(name_limit + 1) }, "answers": {} }),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.json()["fields"]["applicant_name"]
        .as_str()
        .unwrap()
        .starts_with("申请人姓名最多"));
    // Nothing saved before is lost by a refused save; at the limit it is kept.
    let kept = save(
        &app,
        &user,
        &case.summary.id,
        &json!({ "form": { "id_number": "123", "remarks": "长".repeat(limit) }, "answers": { "housing": "own" } }),
    )
    .await;
    assert_eq!(kept.form["remarks"].chars().count(), limit);

    // 在线申请 again for the same item reopens this draft — its fields and uploads — instead of
    // starting another; answers given now replace the saved ones.
    let uploaded = upload(&app, &user, &case.summary.id, "id_card", "id.pdf", PDF).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());
    let again = create_case(&app, &user, GA_ITEM).await;
    assert_eq!(again.summary.id, case.summary.id);
    assert_eq!(again.form["id_number"], "123");
    assert_eq!(again.answers["housing"], "own");
    assert_eq!(again.situations.len(), 1);
    assert!(again.open_questions.is_empty());
    let id_card = again
        .materials
        .iter()
        .find(|m| m.material_id == "id_card")
        .unwrap();
    assert_eq!(id_card.uploads.len(), 1);
    let rent = app
        .post_json(
            "/api/applications",
            Some(&user),
            &json!({ "item_code": GA_ITEM, "answers": { "housing": "rent" } }),
        )
        .await;
    assert_eq!(rent.status, 200, "{}", rent.text());
    let rent: CaseDetail = rent.parse();
    assert_eq!(rent.summary.id, case.summary.id);
    assert!(rent
        .materials
        .iter()
        .any(|m| m.material_id == "lease_contract"));
    assert!(!rent
        .materials
        .iter()
        .any(|m| m.material_id == "property_certificate"));
    let list: CaseList = app.get_as(&user, "/api/applications").await.parse();
    assert_eq!(ids(&list), [case.summary.id.as_str()]);
    assert!(list.cases[0].updated_at.is_some());
    // Another item is another draft.
    let other = create_case(&app, &user, SJ_ITEM).await;
    assert_ne!(other.summary.id, case.summary.id);
});

both!(
    a_business_is_a_separate_applicant,
    |app: TestApp| async move {
        with_items(&app).await;
        insert_item_for(&app, "SFQ-TEST-QY01", "sj", "accept", "business").await;
        let phone = "13900002020";
        let person = app.sign_in_applicant(phone).await;
        let personal_case = create_case(&app, &person, GA_ITEM).await.summary.id;
        let refused = app
            .post_json(
                "/api/applications",
                Some(&person),
                &json!({ "item_code": "SFQ-TEST-QY01" }),
            )
            .await;
        assert_eq!(refused.status, 422);
        assert_eq!(refused.json()["code"], "business_sign_in_required");

        // Let the resend interval pass.
        sqlx::query("UPDATE otp_codes SET created_at = '2000-01-01T00:00:00Z'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let uscc = "91610113MA6WC0002K";
        let business = app.sign_in(phone, Some(uscc)).await;
        let case = create_case(&app, &business, "SFQ-TEST-QY01").await;
        assert_eq!(case.form["uscc"], uscc, "the business code is prefilled");
        assert_eq!(case.form["contact_phone"], phone);
        assert!(case.form_spec.iter().any(|f| f.id == "legal_rep_id"));

        let mine: CaseList = app.get_as(&business, "/api/applications").await.parse();
        assert_eq!(ids(&mine), [case.summary.id.as_str()]);
        assert_eq!(
            app.get_as(&business, &format!("/api/applications/{personal_case}"))
                .await
                .status,
            404
        );
        let theirs: CaseList = app.get_as(&person, "/api/applications").await.parse();
        assert_eq!(ids(&theirs), [personal_case.as_str()]);
    }
);

both!(openapi_describes_pre_review, |app: TestApp| async move {
    let spec = app.get("/api/openapi.json").await.json();
    for path in [
        "/api/auth/otp",
        "/api/auth/login",
        "/api/staff/login",
        "/api/me",
        "/api/applications",
        "/api/applications/{id}/submit",
        "/api/applications/{id}/materials/{material_id}",
        "/api/files/{upload_id}",
        "/api/staff/cases/{id}/decision",
        "/api/manager/supervision",
        "/api/manager/ratings/{case_id}/rectification",
        "/api/track",
        "/api/messages",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    for schema in ["CaseDetail", "Submitted", "Notice", "TrackResult", "Me"] {
        assert!(
            spec["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
});

both!(
    applicants_cannot_reach_each_others_cases_or_files,
    |app: TestApp| async move {
        with_items(&app).await;
        let a = app.sign_in_applicant("13900007777").await;
        let b = app.sign_in_applicant("13900008888").await;
        let case = create_case(&app, &a, GA_ITEM).await;
        let id = case.summary.id;
        let uploaded = upload(&app, &a, &id, "id_card", "身份证 正面.pdf", PDF).await;
        assert_eq!(uploaded.status, 200, "{}", uploaded.text());
        let upload_id = uploaded.json()["id"].as_str().unwrap().to_string();
        assert_eq!(uploaded.json()["content_type"], "application/pdf");

        let own = app.get_as(&a, &format!("/api/files/{upload_id}")).await;
        assert_eq!(own.status, 200);
        assert_eq!(own.body, PDF);
        assert!(own.header("cache-control").contains("no-store"));
        assert_eq!(uploaded.header("cache-control"), "no-store");
        let detail = app.get_as(&a, &format!("/api/applications/{id}")).await;
        assert_eq!(detail.header("cache-control"), "no-store");
        assert_eq!(own.header("content-type"), "application/pdf");
        assert_eq!(
            own.header("content-disposition"),
            "attachment; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20%E6%AD%A3%E9%9D%A2.pdf"
        );
        assert_eq!(own.header("x-content-type-options"), "nosniff");
        assert_eq!(own.header("cache-control"), "private, no-store");

        let not_found = app
            .get_as(&b, "/api/applications/00000000000000000000000000000000")
            .await;
        for response in [
            app.get_as(&b, &format!("/api/applications/{id}")).await,
            app.put_json(&format!("/api/applications/{id}"), Some(&b), &valid_form())
                .await,
            upload(&app, &b, &id, "id_card", "x.pdf", PDF).await,
            submit(&app, &b, &id, "another-key-123").await,
        ] {
            assert_eq!(response.status, 404, "{}", response.text());
            assert_eq!(
                response.json_apart_from_request_id(),
                not_found.json_apart_from_request_id(),
                "the same answer as for a case that does not exist"
            );
        }
        assert_eq!(
            app.get_as(&b, &format!("/api/files/{upload_id}"))
                .await
                .status,
            404
        );
        assert_eq!(
            app.get(&format!("/api/files/{upload_id}")).await.status,
            401
        );
        let list: CaseList = app.get_as(&b, "/api/applications").await.parse();
        assert!(list.cases.is_empty());

        // Staff never see drafts, nor their files.
        let manager = app.sign_in_staff("manager").await;
        assert_eq!(
            app.get_as(&manager, &format!("/api/staff/cases/{id}"))
                .await
                .status,
            404
        );
        assert_eq!(
            app.get_as(&manager, &format!("/api/files/{upload_id}"))
                .await
                .status,
            404
        );
    }
);

both!(
    reviewers_see_only_their_department,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900009999").await;
        let (ga_case, _) = submitted_case(&app, &user, GA_ITEM).await;
        let (sj_case, _) = submitted_case(&app, &user, SJ_ITEM).await;
        let draft = create_case(&app, &user, GA_ITEM).await.summary.id;

        let ga = app.sign_in_staff("ga_reviewer").await;
        let sj = app.sign_in_staff("sj_reviewer").await;
        let manager = app.sign_in_staff("manager").await;
        let ga_queue: CaseList = app.get_as(&ga, "/api/staff/cases").await.parse();
        assert_eq!(ids(&ga_queue), [ga_case.as_str()]);
        let sj_queue: CaseList = app
            .get_as(&sj, "/api/staff/cases?status=submitted")
            .await
            .parse();
        assert_eq!(ids(&sj_queue), [sj_case.as_str()]);
        let all: CaseList = app.get_as(&manager, "/api/staff/cases").await.parse();
        assert_eq!(all.cases.len(), 2);
        assert!(
            !ids(&all).contains(&draft.as_str()),
            "drafts are never listed"
        );
        assert!(
            all.cases.iter().all(|c| c.applicant == "张*明"),
            "names are masked in lists"
        );

        assert_eq!(
            app.get_as(&ga, &format!("/api/staff/cases/{sj_case}"))
                .await
                .status,
            404
        );
        assert_eq!(
            app.get_as(&sj, &format!("/api/staff/cases/{sj_case}"))
                .await
                .status,
            200
        );
        let verdict = review(
            &app,
            &ga,
            &sj_case,
            "id_card",
            json!({ "verdict": "accepted" }),
        )
        .await;
        assert_eq!(verdict.status, 404);
        assert_eq!(
            decide(
                &app,
                &ga,
                &sj_case,
                json!({ "action": "approve", "next_steps": "x" })
            )
            .await
            .status,
            404
        );

        // Staff files: own department yes, another department no.
        let detail: CaseDetail = app
            .get_as(&sj, &format!("/api/staff/cases/{sj_case}"))
            .await
            .parse();
        let upload_id = &detail.materials[0].uploads[0].id;
        assert_eq!(
            app.get_as(&sj, &format!("/api/files/{upload_id}"))
                .await
                .status,
            200
        );
        assert_eq!(
            app.get_as(&manager, &format!("/api/files/{upload_id}"))
                .await
                .status,
            200
        );
        assert_eq!(
            app.get_as(&ga, &format!("/api/files/{upload_id}"))
                .await
                .status,
            404
        );

        let bad = app.get_as(&ga, "/api/staff/cases?status=nonsense").await;
        assert_eq!(bad.status, 400);
        assert_eq!(
            app.get_as(&user, "/api/staff/cases").await.status,
            401,
            "applicants are not staff"
        );
    }
);

both!(
    uploads_are_recognised_by_content,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001010").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        let exe = upload(
            &app,
            &user,
            &id,
            "id_card",
            "x.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
        )
        .await;
        assert_eq!(exe.status, 415);
        assert_eq!(exe.json()["code"], "unsupported_type");
        assert_eq!(
            exe.json()["message"],
            "只能上传 PDF、JPG 或 PNG 文件（按文件内容识别）"
        );

        let png = upload(&app, &user, &id, "photo", "photo.jpg", PNG).await;
        assert_eq!(png.status, 200, "{}", png.text());
        assert_eq!(
            png.json()["content_type"],
            "image/png",
            "the content decides, not the name"
        );
        let jpeg = upload(
            &app,
            &user,
            &id,
            "photo",
            "photo.jpg",
            b"\xff\xd8\xff\xe0\0\x10JFIF\0",
        )
        .await;
        assert_eq!(jpeg.json()["content_type"], "image/jpeg");
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        let photo = detail
            .materials
            .iter()
            .find(|m| m.material_id == "photo")
            .unwrap();
        assert_eq!(photo.uploads.len(), 2, "older versions are kept");
        assert!(photo.uploads[0].current && !photo.uploads[1].current);
        assert!(
            app.upload_dir().join(&photo.uploads[0].sha256).is_file(),
            "stored under its sha256"
        );

        let unknown = upload(&app, &user, &id, "no_such_material", "x.pdf", PDF).await;
        assert_eq!(unknown.status, 404);
        let empty = upload(&app, &user, &id, "id_card", "x.pdf", b"").await;
        assert_eq!(empty.status, 400);
        let nameless = app
            .put_bytes(
                &format!("/api/applications/{id}/materials/id_card"),
                Some(&user),
                PDF.to_vec(),
            )
            .await;
        assert_eq!(nameless.status, 400);
        assert!(nameless.json()["fields"]["name"].is_string());
    }
);

both!(
    oversized_uploads_stop_at_20_mb_and_leave_nothing,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001212").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        // 25 chunks of 1 MiB, made one at a time: the test never holds 25 MB either.
        let chunks = futures_util::stream::iter(0..25).map(|i| {
            let mut chunk = vec![b'0'; 1024 * 1024];
            if i == 0 {
                chunk[..8].copy_from_slice(b"%PDF-1.7");
            }
            Ok::<_, std::io::Error>(axum::body::Bytes::from(chunk))
        });
        let response = app
            .send(
                "PUT",
                &format!("/api/applications/{id}/materials/id_card?name=big.pdf"),
                Some(&user),
                &[],
                Body::from_stream(chunks),
            )
            .await;
        assert_eq!(response.status, 413, "{}", response.text());
        assert_eq!(response.json()["code"], "too_large");
        assert_eq!(response.json()["message"], "文件不能超过 20 MB");
        let mut left = Vec::new();
        let mut dirs = vec![app.upload_dir().to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.path().is_dir() {
                    dirs.push(entry.path());
                } else {
                    left.push(entry.path());
                }
            }
        }
        assert!(left.is_empty(), "left behind: {left:?}");
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        assert!(detail.materials.iter().all(|m| m.uploads.is_empty()));

        // A declared length over the limit is refused before reading.
        let declared = app
            .send(
                "PUT",
                &format!("/api/applications/{id}/materials/id_card?name=big.pdf"),
                Some(&user),
                &[("content-length", "30000000")],
                Body::empty(),
            )
            .await;
        assert_eq!(declared.status, 413);
    }
);

both!(submit_is_idempotent, |app: TestApp| async move {
    with_items(&app).await;
    let user = app.sign_in_applicant("13900001313").await;
    let case = create_case(&app, &user, GA_ITEM).await;
    let id = case.summary.id;
    save(&app, &user, &id, &valid_form()).await;
    upload(&app, &user, &id, "id_card", "id.pdf", PDF).await;
    upload(&app, &user, &id, "lease_contract", "lease.pdf", PDF).await;

    let missing_key = app
        .send(
            "POST",
            &format!("/api/applications/{id}/submit"),
            Some(&user),
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(missing_key.status, 400);
    assert!(missing_key.json()["fields"]["Idempotency-Key"].is_string());

    let first = submit(&app, &user, &id, "retry-key-0001").await;
    assert_eq!(first.status, 200, "{}", first.text());
    let second = submit(&app, &user, &id, "retry-key-0001").await;
    assert_eq!(second.status, 200, "{}", second.text());
    let (first, second): (Submitted, Submitted) = (first.parse(), second.parse());
    assert_eq!(first, second);
    let today = server::clock::today_beijing();
    assert_eq!(
        first.number,
        format!(
            "SFQ-{:04}{:02}{:02}-0001",
            today.year, today.month, today.day
        )
    );

    let count = |sql: &'static str| {
        let pool = app.state.db.pool.clone();
        let id = id.clone();
        async move {
            sqlx::query(sql)
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>("n")
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM case_events WHERE case_id = $1 AND title = '提交申请'")
            .await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM messages WHERE case_id = $1").await,
        1
    );
    let list: CaseList = app.get_as(&user, "/api/applications").await.parse();
    assert_eq!(list.cases.len(), 1);

    let other_key = submit(&app, &user, &id, "retry-key-0002").await;
    assert_eq!(other_key.status, 409);
    assert_eq!(other_key.json()["code"], "invalid_transition");
    assert_eq!(
        other_key.json()["message"],
        "办件当前状态为“待预审”，不能执行“提交申请”"
    );

    // The next case of the day gets the next number.
    let (_, next) = submitted_case(&app, &user, GA_ITEM).await;
    assert!(next.number.ends_with("-0002"), "{}", next.number);
});

both!(submit_names_every_problem, |app: TestApp| async move {
    with_items(&app).await;
    let user = app.sign_in_applicant("13900001414").await;
    let id = create_case(&app, &user, GA_ITEM).await.summary.id;
    let mut form = valid_form();
    form["form"]["id_number"] = json!("110101199003077757");
    form["answers"] = json!({});
    save(&app, &user, &id, &form).await;
    let response = submit(&app, &user, &id, "problem-key-1").await;
    assert_eq!(response.status, 400, "{}", response.text());
    let body = response.json();
    assert_eq!(body["code"], "invalid_field");
    let fields = body["fields"].as_object().unwrap();
    assert!(
        fields["id_number"].as_str().unwrap().contains("身份证号码"),
        "{fields:?}"
    );
    assert_eq!(fields["material:id_card"], "请上传：居民身份证");
    assert_eq!(
        fields["material:lease_contract"],
        "请上传：房屋租赁合同（如不需要，请先回答“您的住房情况是？”）",
        "a material depending on an unanswered question is needed until it is answered"
    );
    assert!(fields.contains_key("material:property_certificate"));
    assert!(
        !fields.contains_key("material:photo"),
        "容缺 materials are not required"
    );
    // Nothing changed.
    let detail: CaseDetail = app
        .get_as(&user, &format!("/api/applications/{id}"))
        .await
        .parse();
    assert_eq!(detail.summary.status, CaseStatus::Draft);
    assert!(detail.summary.number.is_none());
});

both!(full_review_flow, |app: TestApp| async move {
    with_items(&app).await;
    let user = app.sign_in_applicant("13800138000").await;
    let (id, submitted) = submitted_case(&app, &user, GA_ITEM).await;
    let reviewer = app.sign_in_staff("ga_reviewer").await;

    let queue: CaseList = app.get_as(&reviewer, "/api/staff/cases").await.parse();
    assert_eq!(ids(&queue), [id.as_str()]);
    assert_eq!(
        queue.cases[0].number.as_deref(),
        Some(submitted.number.as_str())
    );

    // Verdict rules.
    let no_reason = review(
        &app,
        &reviewer,
        &id,
        "lease_contract",
        json!({ "verdict": "rejected" }),
    )
    .await;
    assert_eq!(no_reason.status, 400);
    assert_eq!(no_reason.json()["fields"]["reason"], "请填写不合格原因");
    let not_tolerable = review(
        &app,
        &reviewer,
        &id,
        "id_card",
        json!({ "verdict": "tolerated", "deadline": "2099-01-01" }),
    )
    .await;
    assert_eq!(not_tolerable.status, 400);
    assert_eq!(
        not_tolerable.json()["fields"]["verdict"],
        "该材料不允许容缺受理"
    );
    let past = review(
        &app,
        &reviewer,
        &id,
        "photo",
        json!({ "verdict": "tolerated", "deadline": "2020-01-01" }),
    )
    .await;
    assert_eq!(past.status, 400);
    assert!(past.json()["fields"]["deadline"].is_string());
    let not_yet = decide(
        &app,
        &reviewer,
        &id,
        json!({ "action": "return", "note": "" }),
    )
    .await;
    // Nothing reviewed yet: the 一次性告知 would be incomplete, so every 待审核 material is named.
    assert_eq!(not_yet.status, 422, "{}", not_yet.text());
    assert_eq!(not_yet.json()["code"], "materials_pending");
    let message = not_yet.json()["message"].as_str().unwrap().to_string();
    for name in ["居民身份证", "房屋租赁合同", "近期免冠照片"] {
        assert!(message.contains(name), "{message}");
    }

    let deadline = server::clock::today_beijing().add_days(30).to_string();
    assert_eq!(
        review(
            &app,
            &reviewer,
            &id,
            "id_card",
            json!({ "verdict": "accepted" })
        )
        .await
        .status,
        200
    );
    let rejected = review(
        &app,
        &reviewer,
        &id,
        "lease_contract",
        json!({ "verdict": "rejected", "reason": "合同缺少出租人签字" }),
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text());
    let tolerated = review(
        &app,
        &reviewer,
        &id,
        "photo",
        json!({ "verdict": "tolerated", "deadline": deadline, "reason": "领证时补交" }),
    )
    .await;
    assert_eq!(tolerated.status, 200, "{}", tolerated.text());

    // The applicant does not see verdicts one by one before the decision.
    let mine: CaseDetail = app
        .get_as(&user, &format!("/api/applications/{id}"))
        .await
        .parse();
    assert!(mine.materials.iter().all(|m| m.verdict == Verdict::Pending));

    let approve_early = decide(
        &app,
        &reviewer,
        &id,
        json!({ "action": "approve", "next_steps": "已网上受理" }),
    )
    .await;
    assert_eq!(approve_early.status, 400);
    assert!(approve_early.json()["fields"]["materials"]
        .as_str()
        .unwrap()
        .contains("房屋租赁合同"));

    let returned = decide(
        &app,
        &reviewer,
        &id,
        json!({ "action": "return", "note": "请一次补齐" }),
    )
    .await;
    assert_eq!(returned.status, 200, "{}", returned.text());
    let mine: CaseDetail = app
        .get_as(&user, &format!("/api/applications/{id}"))
        .await
        .parse();
    assert_eq!(mine.summary.status, CaseStatus::Returned);
    let notice = mine.notice.expect("一次性告知");
    assert_eq!(notice.problems.len(), 2);
    assert_eq!(notice.problems[0].material, "房屋租赁合同");
    assert_eq!(notice.problems[0].problem, "合同缺少出租人签字");
    assert!(notice.problems[1].problem.contains(&deadline));
    assert_eq!(notice.reviewer, "公安审核员 王*");
    assert_eq!(notice.note, "请一次补齐");
    assert!(!notice.respond_by.is_empty());
    let lease = mine
        .materials
        .iter()
        .find(|m| m.material_id == "lease_contract")
        .unwrap();
    assert_eq!(lease.verdict, Verdict::Rejected);

    // Resubmitting without the corrected file is refused; after re-uploading it goes through.
    let unchanged = submit(&app, &user, &id, "resubmit-key-1").await;
    assert_eq!(unchanged.status, 400);
    assert_eq!(
        unchanged.json()["fields"]["material:lease_contract"],
        "请按一次性告知书重新上传：房屋租赁合同"
    );
    let reupload = upload(&app, &user, &id, "lease_contract", "lease-signed.pdf", PDF).await;
    assert_eq!(reupload.status, 200);
    let resubmitted = submit(&app, &user, &id, "resubmit-key-2").await;
    assert_eq!(resubmitted.status, 200, "{}", resubmitted.text());
    assert_eq!(
        resubmitted.parse::<Submitted>().number,
        submitted.number,
        "the number stays"
    );

    let queue: CaseList = app
        .get_as(&reviewer, "/api/staff/cases?status=submitted")
        .await
        .parse();
    assert_eq!(ids(&queue), [id.as_str()], "back in the department's queue");
    let detail: CaseDetail = app
        .get_as(&reviewer, &format!("/api/staff/cases/{id}"))
        .await
        .parse();
    let verdicts: Vec<_> = detail
        .materials
        .iter()
        .map(|m| (m.material_id.as_str(), m.verdict))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("id_card", Verdict::Accepted),
            ("photo", Verdict::Tolerated),
            ("lease_contract", Verdict::Pending)
        ]
    );
    assert_eq!(
        review(
            &app,
            &reviewer,
            &id,
            "lease_contract",
            json!({ "verdict": "accepted" })
        )
        .await
        .status,
        200
    );
    let no_steps = decide(&app, &reviewer, &id, json!({ "action": "approve" })).await;
    assert_eq!(no_steps.status, 400);
    assert!(no_steps.json()["fields"]["next_steps"].is_string());
    let approved = decide(&app, &reviewer, &id, json!({ "action": "approve", "next_steps": "请于 5 个工作日内携带身份证原件到一楼 A 区 3 号窗口领取" })).await;
    assert_eq!(approved.status, 200, "{}", approved.text());
    let approved: CaseDetail = approved.parse();
    assert_eq!(approved.summary.status, CaseStatus::Approved);
    assert_eq!(approved.actions, vec![app::api::CaseAction::Complete]);
    let completed = decide(&app, &reviewer, &id, json!({ "action": "complete" })).await;
    assert_eq!(completed.status, 200, "{}", completed.text());

    let mine: CaseDetail = app
        .get_as(&user, &format!("/api/applications/{id}"))
        .await
        .parse();
    assert_eq!(mine.summary.status, CaseStatus::Completed);
    assert!(mine
        .outcome
        .unwrap()
        .next_steps
        .unwrap()
        .contains("A 区 3 号窗口"));
    let titles: Vec<_> = mine.timeline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "创建申请草稿",
            "提交申请",
            "退回补正",
            "补正后重新提交",
            "预审通过",
            "办结"
        ]
    );
    assert_eq!(mine.timeline[2].actor, "示范区公安分局 审核人员");

    // Messages followed every step.
    let messages: MessageList = app.get_as(&user, "/api/messages").await.parse();
    assert_eq!(messages.messages.len(), 5);
    assert_eq!(messages.unread, 5);
    assert!(messages.messages[0].text.contains("已办结"));
    let read: MessageList = app
        .post_json("/api/messages/read", Some(&user), &json!({}))
        .await
        .parse();
    assert_eq!(read.unread, 0);

    // 好差评 → 差评 follow-up → the answer reaches the applicant.
    let long = app
        .post_json(
            &format!("/api/applications/{id}/rating"),
            Some(&user),
            &json!({ "level": "dissatisfied", "comment": "长".repeat(501) }),
        )
        .await;
    assert_eq!(long.status, 400);
    let rated = app
        .post_json(
            &format!("/api/applications/{id}/rating"),
            Some(&user),
            &json!({ "level": "dissatisfied", "comment": "窗口排队太久" }),
        )
        .await;
    assert_eq!(rated.status, 200, "{}", rated.text());
    let twice = app
        .post_json(
            &format!("/api/applications/{id}/rating"),
            Some(&user),
            &json!({ "level": "satisfied" }),
        )
        .await;
    assert_eq!(twice.status, 409);

    let manager = app.sign_in_staff("manager").await;
    assert_eq!(
        app.get_as(&reviewer, "/api/manager/ratings").await.status,
        403,
        "managers only"
    );
    let follow_ups: FollowUpList = app.get_as(&manager, "/api/manager/ratings").await.parse();
    assert_eq!(follow_ups.follow_ups.len(), 1);
    assert_eq!(follow_ups.follow_ups[0].case.id, id);
    assert_eq!(follow_ups.follow_ups[0].rating.comment, "窗口排队太久");
    let empty = app
        .post_json(
            &format!("/api/manager/ratings/{id}/rectification"),
            Some(&manager),
            &json!({ "answer": " " }),
        )
        .await;
    assert_eq!(empty.status, 400);
    let answer = "已增设取证窗口，高峰期排队时间缩短至 15 分钟以内";
    let answered = app
        .post_json(
            &format!("/api/manager/ratings/{id}/rectification"),
            Some(&manager),
            &json!({ "answer": answer }),
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.text());

    let mine: CaseDetail = app
        .get_as(&user, &format!("/api/applications/{id}"))
        .await
        .parse();
    let rating = mine.rating.unwrap();
    assert_eq!(rating.level, app::api::RatingLevel::Dissatisfied);
    assert_eq!(rating.rectification.as_deref(), Some(answer));
    let messages: MessageList = app.get_as(&user, "/api/messages").await.parse();
    assert_eq!(messages.unread, 1);
    assert!(messages.messages[0].text.contains(answer));
});

both!(
    invalid_transitions_are_conflicts,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001515").await;
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let (id, _) = submitted_case(&app, &user, GA_ITEM).await;

        let complete = decide(&app, &reviewer, &id, json!({ "action": "complete" })).await;
        assert_eq!(complete.status, 409);
        assert_eq!(complete.json()["code"], "invalid_transition");
        assert_eq!(
            complete.json()["message"],
            "办件当前状态为“待预审”，不能执行“办结”"
        );
        let staff_submit = decide(&app, &reviewer, &id, json!({ "action": "submit" })).await;
        assert_eq!(staff_submit.status, 409);
        let edit = app
            .put_json(
                &format!("/api/applications/{id}"),
                Some(&user),
                &valid_form(),
            )
            .await;
        assert_eq!(edit.status, 409, "a submitted case is not edited");
        let rate = app
            .post_json(
                &format!("/api/applications/{id}/rating"),
                Some(&user),
                &json!({ "level": "satisfied" }),
            )
            .await;
        assert_eq!(rate.status, 409, "only finished cases are rated");

        let reject_bare = decide(&app, &reviewer, &id, json!({ "action": "reject" })).await;
        assert_eq!(reject_bare.status, 400);
        let fields = reject_bare.json()["fields"].clone();
        assert!(
            fields["note"].is_string() && fields["legal_basis"].is_string(),
            "{fields}"
        );
        let rejected = decide(
        &app,
        &reviewer,
        &id,
        json!({ "action": "reject", "note": "申请人不属于本区居民", "legal_basis": "《示范区测试条例》第一条" }),
    )
    .await;
        assert_eq!(rejected.status, 200, "{}", rejected.text());
        let withdraw = app
            .send(
                "POST",
                &format!("/api/applications/{id}/withdraw"),
                Some(&user),
                &[],
                Body::empty(),
            )
            .await;
        assert_eq!(withdraw.status, 409);
        assert_eq!(
            withdraw.json()["message"],
            "办件当前状态为“不予受理”，不能执行“撤回申请”"
        );
        let approve = decide(
            &app,
            &reviewer,
            &id,
            json!({ "action": "approve", "next_steps": "x" }),
        )
        .await;
        assert_eq!(approve.status, 409);
        let material = review(
            &app,
            &reviewer,
            &id,
            "id_card",
            json!({ "verdict": "accepted" }),
        )
        .await;
        assert_eq!(material.status, 409);

        // Withdrawing a draft works once.
        let draft = create_case(&app, &user, GA_ITEM).await.summary.id;
        let first = app
            .send(
                "POST",
                &format!("/api/applications/{draft}/withdraw"),
                Some(&user),
                &[],
                Body::empty(),
            )
            .await;
        assert_eq!(first.status, 200);
        let again = app
            .send(
                "POST",
                &format!("/api/applications/{draft}/withdraw"),
                Some(&user),
                &[],
                Body::empty(),
            )
            .await;
        assert_eq!(again.status, 409);
    }
);

both!(
    tracking_masks_and_answers_alike,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001616").await;
        let (_, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        let number = submitted.number;

        let found = app
            .get(&format!("/api/track?number={number}&phone4=1616"))
            .await;
        assert_eq!(found.status, 200, "{}", found.text());
        let found: TrackResult = found.parse();
        assert_eq!(found.applicant, "张*明");
        assert_eq!(found.status, CaseStatus::Submitted);
        assert_eq!(found.department, "示范区公安分局");
        assert!(found.timeline.iter().all(|e| e.detail.is_none()));
        let text = serde_json::to_string(&found).unwrap();
        assert!(
            !text.contains("张小明") && !text.contains("110101") && !text.contains("13900001616")
        );

        let wrong_digits = app
            .get(&format!("/api/track?number={number}&phone4=0000"))
            .await;
        let wrong_number = app
            .get("/api/track?number=SFQ-20990101-0001&phone4=1616")
            .await;
        assert_eq!(wrong_digits.status, 404);
        assert_eq!(wrong_digits.status, wrong_number.status);
        assert_eq!(
            wrong_digits.json_apart_from_request_id(),
            wrong_number.json_apart_from_request_id()
        );
        assert_eq!(
            wrong_digits.json()["message"],
            "没有查到该办件，请核对受理编号和手机号后四位"
        );

        let mut last = None;
        for _ in 0..31 {
            let response = app
                .send(
                    "GET",
                    "/api/track?number=SFQ-20990101-0001&phone4=1234",
                    None,
                    &[("x-forwarded-for", "192.0.2.44")],
                    Body::empty(),
                )
                .await;
            last = Some(response);
        }
        let last = last.unwrap();
        assert_eq!(last.status, 429, "{}", last.text());
        assert_eq!(last.json()["code"], "rate_limited");
    }
);

both!(
    audit_log_records_actor_and_address,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001717").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        save(&app, &user, &id, &valid_form()).await;
        upload(&app, &user, &id, "id_card", "id.pdf", PDF).await;
        upload(&app, &user, &id, "lease_contract", "lease.pdf", PDF).await;
        let response = app
            .send(
                "POST",
                &format!("/api/applications/{id}/submit"),
                Some(&user),
                &[
                    ("idempotency-key", "audit-key-1"),
                    ("x-forwarded-for", "203.0.113.7"),
                ],
                Body::empty(),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        app.send(
            "GET",
            &format!("/api/staff/cases/{id}"),
            Some(&reviewer),
            &[("x-forwarded-for", "10.1.2.3")],
            Body::empty(),
        )
        .await;

        assert_eq!(
            app.get_as(&reviewer, &format!("/api/staff/cases/{id}/audit"))
                .await
                .status,
            403,
            "managers only"
        );
        assert_eq!(
            app.get(&format!("/api/staff/cases/{id}/audit"))
                .await
                .status,
            401
        );
        let manager = app.sign_in_staff("manager").await;
        let log: AuditLog = app
            .get_as(&manager, &format!("/api/staff/cases/{id}/audit"))
            .await
            .parse();
        let actions: Vec<_> = log.entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["创建草稿", "上传材料", "上传材料", "提交申请", "查看办件"]
        );
        let submit = &log.entries[3];
        assert_eq!(submit.address, "203.0.113.7");
        assert!(
            submit.actor.contains("申请人 139****1717"),
            "{}",
            submit.actor
        );
        assert!(submit.detail.contains("SFQ-"));
        assert!(submit.at.ends_with('Z'));
        assert_eq!(log.entries[4].address, "10.1.2.3");
        assert!(log.entries[4].actor.contains("ga_reviewer"));
    }
);

both!(
    file_views_are_audited_once_per_person_case_and_day,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001727").await;
        let (id, _) = submitted_case(&app, &user, GA_ITEM).await;
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let manager = app.sign_in_staff("manager").await;
        let detail: CaseDetail = app
            .get_as(&reviewer, &format!("/api/staff/cases/{id}"))
            .await
            .parse();
        let files: Vec<String> = detail
            .materials
            .iter()
            .flat_map(|m| m.uploads.iter().map(|u| u.id.clone()))
            .collect();
        assert!(files.len() >= 2, "{files:?}");
        // The review page reloads its previews: three times each file.
        for _ in 0..3 {
            for file in &files {
                let response = app.get_as(&reviewer, &format!("/api/files/{file}")).await;
                assert_eq!(response.status, 200);
            }
        }
        let views = || async {
            let log: AuditLog = app
                .get_as(&manager, &format!("/api/staff/cases/{id}/audit"))
                .await
                .parse();
            log.entries
                .into_iter()
                .filter(|e| e.action == "查看材料")
                .map(|e| e.actor)
                .collect::<Vec<_>>()
        };
        let seen = views().await;
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].contains("ga_reviewer"));
        // Another person's view is their own entry; the applicant's are not audited.
        app.get_as(&manager, &format!("/api/files/{}", files[0]))
            .await;
        app.get_as(&user, &format!("/api/files/{}", files[0])).await;
        assert_eq!(views().await.len(), 2);
        // The next day counts again.
        sqlx::query("UPDATE file_views SET day = '2000-01-01'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        app.get_as(&reviewer, &format!("/api/files/{}", files[1]))
            .await;
        assert_eq!(views().await.len(), 3);
    }
);

both!(
    deadline_warnings_and_supervision,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001818").await;
        let (relaxed, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        let (overdue, _) = submitted_case(&app, &user, GA_ITEM).await;
        let (due_today, _) = submitted_case(&app, &user, GA_ITEM).await;
        let (other_department, _) = submitted_case(&app, &user, SJ_ITEM).await;
        let today = server::clock::today_beijing();
        for (id, due) in [
            (&overdue, today.add_days(-10)),
            (&due_today, today),
            (&other_department, today.add_days(-3)),
        ] {
            sqlx::query("UPDATE cases SET due_date = $2 WHERE id = $1")
                .bind(id)
                .bind(due.to_string())
                .execute(&app.state.db.pool)
                .await
                .unwrap();
        }

        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let queue: CaseList = app.get_as(&reviewer, "/api/staff/cases").await.parse();
        assert_eq!(
            ids(&queue),
            [overdue.as_str(), due_today.as_str(), relaxed.as_str()],
            "most urgent first"
        );
        assert_eq!(queue.cases[0].warning, Some(Warning::Red));
        assert!(queue.cases[0].days_left.unwrap() < 0);
        assert_eq!(queue.cases[1].warning, Some(Warning::Yellow));
        assert_eq!(queue.cases[1].days_left, Some(0));
        if submitted.due_date.is_some() {
            assert_eq!(queue.cases[2].warning, None);
            assert_eq!(queue.cases[2].days_left, Some(5));
        }

        assert_eq!(
            app.get_as(&reviewer, "/api/manager/supervision")
                .await
                .status,
            403
        );
        assert_eq!(app.get("/api/manager/supervision").await.status, 401);
        let manager = app.sign_in_staff("manager").await;
        let supervision: CaseList = app
            .get_as(&manager, "/api/manager/supervision")
            .await
            .parse();
        assert_eq!(
            ids(&supervision),
            [
                overdue.as_str(),
                other_department.as_str(),
                due_today.as_str()
            ]
        );
        assert!(supervision.cases.iter().all(|c| c.warning.is_some()));

        // Once the department has acted and the case waits for the applicant, no warning.
        let mine: CaseList = app.get_as(&user, "/api/applications").await.parse();
        assert!(mine.cases.iter().any(|c| c.warning == Some(Warning::Red)));
        let withdrawn = app
            .send(
                "POST",
                &format!("/api/applications/{overdue}/withdraw"),
                Some(&user),
                &[],
                Body::empty(),
            )
            .await;
        assert_eq!(withdrawn.status, 200);
        let supervision: CaseList = app
            .get_as(&manager, "/api/manager/supervision")
            .await
            .parse();
        assert!(!ids(&supervision).contains(&overdue.as_str()));
    }
);

/// Unix seconds of a Beijing wall-clock time.
fn beijing(date: &str, hour: i64, minute: i64) -> i64 {
    app::rules::date::Date::parse(date).unwrap().to_unix_days() * 86_400
        + (hour - 8) * 3600
        + minute * 60
}

both!(
    after_hours_submission_is_accepted_the_next_working_day,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001111").await;
        // Wednesday 2026-11-25 at 23:22: accepted Thursday 11-26, 5 working days later is Thu 12-03.
        app.state.clock.pin(beijing("2026-11-25", 23, 22));
        let (id, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        assert_eq!(submitted.due_date.as_deref(), Some("2026-12-03"));
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        assert_eq!(detail.accepted_on.as_deref(), Some("2026-11-26"));
        assert!(detail.acceptance_deferred);
        assert_eq!(detail.summary.due_date.as_deref(), Some("2026-12-03"));
        let submit_event = detail
            .timeline
            .iter()
            .find(|e| e.title == "提交申请")
            .unwrap();
        assert!(
            submit_event
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("非工作时间提交，顺延至 11月26日 受理"),
            "{submit_event:?}"
        );

        // The same day at 10:00 is inside working hours: accepted that day, due Wed 12-02.
        app.state.clock.pin(beijing("2026-11-25", 10, 0));
        let (id, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        assert_eq!(submitted.due_date.as_deref(), Some("2026-12-02"));
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        assert_eq!(detail.accepted_on.as_deref(), Some("2026-11-25"));
        assert!(!detail.acceptance_deferred);

        // Saturday 2026-11-28 at noon: accepted Monday 11-30, due Mon 12-07.
        app.state.clock.pin(beijing("2026-11-28", 12, 0));
        let (_, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        assert_eq!(submitted.due_date.as_deref(), Some("2026-12-07"));
    }
);

both!(
    numbers_typed_with_full_width_digits_and_prefixes_are_stored_normalised,
    |app: TestApp| async move {
        with_items(&app).await;
        // Sign-in with a +86 prefix and full-width digits reaches the same account as 13900001111.
        let sent = app
            .post_json(
                "/api/auth/otp",
                None,
                &json!({ "phone": "+86 １３９-0000-1111" }),
            )
            .await;
        assert_eq!(sent.status, 200, "{}", sent.text());
        let code = server::auth::sms::last_sms_code(&app.state.db, "13900001111")
            .await
            .unwrap()
            .expect("the code went to the normalised number");
        let login = app
            .post_json(
                "/api/auth/login",
                None,
                &json!({ "phone": "0086 13900001111", "code": code }),
            )
            .await;
        assert_eq!(login.status, 200, "{}", login.text());
        let user = User {
            cookie: crate::common::session_cookie(&login),
        };

        let case = create_case(&app, &user, GA_ITEM).await;
        let id = case.summary.id.clone();
        let mut form = valid_form();
        form["form"]["id_number"] = json!("１１０１０１ １９９００３０７ ７７５８");
        form["form"]["phone"] = json!("+86 139-0000-1111");
        save(&app, &user, &id, &form).await;
        for material in ["id_card", "lease_contract"] {
            let response =
                upload(&app, &user, &id, material, &format!("{material}.pdf"), PDF).await;
            assert_eq!(response.status, 200, "{}", response.text());
        }
        let response = submit(&app, &user, &id, "key-typed").await;
        assert_eq!(response.status, 200, "{}", response.text());
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        assert_eq!(detail.form["id_number"], "110101199003077758");
        assert_eq!(detail.form["phone"], "13900001111");
    }
);

both!(
    track_and_sign_in_read_numbers_as_typed,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001111").await;
        let (_, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        let found = app
            .get(&format!(
                "/api/track?number={}&phone4={}",
                submitted.number,
                enc("１１ １１")
            ))
            .await;
        assert_eq!(found.status, 200, "{}", found.text());
        let found: TrackResult = found.parse();
        assert_eq!(found.number, submitted.number);

        // A business code whose division code (positions 3–8) has a letter is refused, saying why.
        let first17 = "91A50100M000100Y4";
        let code = format!(
            "{first17}{}",
            app::rules::uscc::uscc_check_char(first17).unwrap()
        );
        let refused = app
            .post_json(
                "/api/auth/otp",
                None,
                &json!({ "phone": "13900002222", "uscc": code }),
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.text());
        assert_eq!(
            refused.json()["fields"]["uscc"],
            "统一社会信用代码第3至8位是登记管理机关行政区划码，应为6位数字"
        );
    }
);
