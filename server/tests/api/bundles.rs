//! 一件事一次办 and 企业开办: bundle pages, 名称自主申报, one submission fanned out into member
//! cases, predecessors, the issued 统一社会信用代码, the merged 一次性告知 and the end of a bundle.
//!
//! These run on the demo catalog and demo bundles (the bundle rules are checked against them at
//! start-up), filling every form generically from the form spec the API returns.

use app::api::{
    BundleApplicationDetail, BundleApplicationList, BundleDetail, BundleList, BundleStatus,
    BundleSubmitted, CaseDetail, CaseList, CaseStatus, FieldKind, FieldSpec, NameCheckResult,
    NameProblemKind, TrackResult,
};
use axum::body::Body;
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{enc, TestApp, TestResponse, User};

pub(crate) const BIRTH_ALL: &str = "place.hospital~married.yes~settle.yes~sscard.yes";
const COMPANY: &str = "company_type.llc~address_proof.lease~proxy.no~bank.no~fund.no";

/// A small PDF whose bytes differ per material (so each is its own stored file).
fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {tag}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

fn answers(query: &str) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = query
        .split('~')
        .filter_map(|p| p.split_once('.'))
        .map(|(q, v)| (q.to_string(), json!(v)))
        .collect();
    serde_json::Value::Object(map)
}

/// A valid value for every field the bundle form asks.
fn fill(spec: &[FieldSpec]) -> serde_json::Value {
    let mut form = serde_json::Map::new();
    for f in spec {
        let value = match f.kind {
            FieldKind::Text => "王小明".to_string(),
            FieldKind::LongText => String::new(),
            FieldKind::IdCard => "110101199003077758".into(),
            FieldKind::Mobile => "13900001111".into(),
            FieldKind::Address => "示范区民生路88号3单元501室".into(),
            FieldKind::Date => "2026-11-20".into(),
            FieldKind::Choice => f.options[0].clone(),
            FieldKind::Number => "5".into(),
            FieldKind::Uscc => continue,
        };
        form.insert(f.id.clone(), json!(value));
    }
    serde_json::Value::Object(form)
}

fn facts(trade_name: &str, shares: [&str; 2]) -> serde_json::Value {
    json!({
        "company_type": "llc",
        "name": { "district": "示范区", "trade_name": trade_name, "industry": "餐饮管理", "organisation": "有限公司" },
        "registered_capital_wan": "100",
        "shareholders": [
            { "name": "张伟", "id_number": "110101198506120020", "share_percent": shares[0], "contribution_wan": shares[0] },
            { "name": "刘芳", "id_number": "610113199211300049", "share_percent": shares[1], "contribution_wan": shares[1] }
        ],
        "legal_rep": { "name": "刘芳", "id_number": "610113199211300049", "phone": "13912345678" },
        "registered_address": "示范区文昌大道44号2层201室",
        "business_scope": ["C0101", "C0103"]
    })
}

async fn start(app: &TestApp, user: &User, code: &str, query: &str) -> BundleApplicationDetail {
    let response = app
        .post_json(
            "/api/bundle-applications",
            Some(user),
            &json!({ "bundle_code": code, "answers": answers(query) }),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn save(
    app: &TestApp,
    user: &User,
    id: &str,
    body: &serde_json::Value,
) -> BundleApplicationDetail {
    let response = app
        .put_json(&format!("/api/bundle-applications/{id}"), Some(user), body)
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

/// Every material of the one set that the applicant hands in, each uploaded once.
async fn upload_all(app: &TestApp, user: &User, detail: &BundleApplicationDetail) {
    for m in detail
        .materials
        .iter()
        .filter(|m| m.material.provided_by.is_none())
    {
        let id = &m.material.material_id;
        let uri = format!(
            "/api/bundle-applications/{}/materials/{id}?name={}",
            detail.id,
            enc(&format!("{id}.pdf"))
        );
        let response = app.put_bytes(&uri, Some(user), pdf(id)).await;
        assert_eq!(response.status, 200, "{id}: {}", response.text());
    }
}

async fn submit(app: &TestApp, user: &User, id: &str, key: &str) -> TestResponse {
    app.send(
        "POST",
        &format!("/api/bundle-applications/{id}/submit"),
        Some(user),
        &[("idempotency-key", key)],
        Body::empty(),
    )
    .await
}

/// A bundle draft answered, filled in (with the company facts when given), uploaded and
/// submitted.
pub(crate) async fn submitted(
    app: &TestApp,
    user: &User,
    code: &str,
    query: &str,
    company: Option<serde_json::Value>,
) -> (BundleApplicationDetail, BundleSubmitted) {
    let draft = start(app, user, code, query).await;
    let mut body = json!({ "answers": answers(query), "form": fill(&draft.form_spec) });
    if let Some(company) = company {
        body["company"] = company;
    }
    let draft = save(app, user, &draft.id, &body).await;
    assert!(
        draft.open_questions.is_empty(),
        "{:?}",
        draft.open_questions
    );
    upload_all(app, user, &draft).await;
    let response = submit(app, user, &draft.id, &format!("key-{}", draft.id)).await;
    assert_eq!(response.status, 200, "{}", response.text());
    (draft, response.parse())
}

async fn progress(app: &TestApp, user: &User, id: &str) -> BundleApplicationDetail {
    let response = app
        .get_as(user, &format!("/api/bundle-applications/{id}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

fn case_of<'a>(submitted: &'a BundleSubmitted, item: &str) -> &'a app::api::BundleCase {
    submitted
        .cases
        .iter()
        .find(|c| c.item_code == item)
        .unwrap_or_else(|| panic!("no case for {item}"))
}

async fn queue(app: &TestApp, staff: &User) -> Vec<String> {
    let list: CaseList = app.get_as(staff, "/api/staff/cases").await.parse();
    list.cases.into_iter().map(|c| c.id).collect()
}

/// Every material accepted (or 容缺 where nothing was uploaded), then 预审通过.
async fn approve(app: &TestApp, staff: &User, case_id: &str) {
    let detail: CaseDetail = app
        .get_as(staff, &format!("/api/staff/cases/{case_id}"))
        .await
        .parse();
    for m in &detail.materials {
        let body = if m.uploads.iter().any(|u| u.current) {
            json!({ "verdict": "accepted" })
        } else {
            json!({ "verdict": "tolerated", "deadline": "2099-12-31" })
        };
        let response = app
            .put_json(
                &format!("/api/staff/cases/{case_id}/materials/{}", m.material_id),
                Some(staff),
                &body,
            )
            .await;
        assert_eq!(
            response.status,
            200,
            "{} {}: {}",
            detail.summary.item_code,
            m.material_id,
            response.text()
        );
    }
    decide(
        app,
        staff,
        case_id,
        json!({ "action": "approve", "next_steps": "已网上受理，无需到现场" }),
    )
    .await;
}

/// `material` 不合格 for `reason` and every other material 合格, then 退回补正.
async fn return_for(app: &TestApp, staff: &User, case_id: &str, material: &str, reason: &str) {
    let detail: CaseDetail = app
        .get_as(staff, &format!("/api/staff/cases/{case_id}"))
        .await
        .parse();
    for m in &detail.materials {
        let body = if m.material_id == material {
            json!({ "verdict": "rejected", "reason": reason })
        } else {
            json!({ "verdict": "accepted" })
        };
        let response = app
            .put_json(
                &format!("/api/staff/cases/{case_id}/materials/{}", m.material_id),
                Some(staff),
                &body,
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
    }
    decide(
        app,
        staff,
        case_id,
        json!({ "action": "return", "note": "请重新上传" }),
    )
    .await;
}

async fn decide(app: &TestApp, staff: &User, case_id: &str, body: serde_json::Value) {
    let response = app
        .post_json(
            &format!("/api/staff/cases/{case_id}/decision"),
            Some(staff),
            &body,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
}

async fn name_check(app: &TestApp, trade: &str, industry: &str) -> NameCheckResult {
    let body = json!({ "district": "示范区", "trade_name": trade, "industry": industry, "organisation": "有限公司" });
    let response = app.post_json("/api/name-check", None, &body).await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

both!(
    bundle_pages_merge_materials_once,
    |app: TestApp| async move {
        let list: BundleList = app.get("/api/bundles?audience=personal").await.parse();
        let birth = list.bundles.iter().find(|b| b.code == "birth").unwrap();
        assert_eq!(birth.departments, ["卫健", "公安", "医保", "人社"]);
        assert!(list
            .bundles
            .iter()
            .all(|b| b.audience != app::api::Audience::Business));
        let business: BundleList = app.get("/api/bundles?audience=business").await.parse();
        assert!(business.bundles.iter().any(|b| b.code == "company"));
        assert_eq!(app.get("/api/bundles?audience=alien").await.status, 400);
        assert_eq!(app.get("/api/bundles/nothing").await.status, 404);

        let detail: BundleDetail = app
            .get(&format!("/api/bundles/birth?a={BIRTH_ALL}"))
            .await
            .parse();
        assert!(detail.demo && detail.open_questions.is_empty());
        let ids: Vec<&str> = detail
            .materials
            .iter()
            .map(|m| m.material_id.as_str())
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "no material twice: {ids:?}");
        let parents = detail
            .materials
            .iter()
            .find(|m| m.material_id == "parents_id_cards")
            .unwrap();
        assert_eq!(
            parents.used_by,
            ["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001"]
        );
        assert!(parents.required);
        let certificate = detail
            .materials
            .iter()
            .find(|m| m.material_id == "birth_certificate")
            .unwrap();
        assert_eq!(certificate.provided_by.as_deref(), Some("SFQ-WJ-0001"));
        assert_eq!(detail.replaced_forms.len(), 4);
        let members: Vec<&str> = detail
            .members_shown
            .iter()
            .map(|m| m.item_code.as_str())
            .collect();
        assert_eq!(
            members,
            ["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001", "SFQ-RS-0001"]
        );
        let police = &detail.members_shown[1];
        assert_eq!(
            (police.department.as_str(), police.stage),
            ("示范区公安分局", 2)
        );
        assert_eq!(police.after, ["SFQ-WJ-0001"]);
        assert!(detail.statutory_days_sum >= detail.total_promised_days);
        // Unanswered questions are listed and their members shown as depending on them.
        let open: BundleDetail = app.get("/api/bundles/birth").await.parse();
        assert_eq!(
            open.open_questions,
            ["place", "married", "settle", "sscard"]
        );
        assert!(open.members_shown[3].depends);

        // Applying: the parents' ID cards are uploaded once and every member using them gets the
        // same stored file.
        let user = app.sign_in_applicant("13900007001").await;
        let (draft, done) = submitted(&app, &user, "birth", BIRTH_ALL, None).await;
        let upload = draft
            .materials
            .iter()
            .find(|m| m.material.material_id == "parents_id_cards")
            .unwrap();
        assert_eq!(upload.material.used_by.len(), 3);
        let rows = sqlx::query(
            "SELECT c.item_code, u.sha256 FROM uploads u JOIN cases c ON c.id = u.case_id \
         WHERE c.bundle_case_id = $1 AND u.material_id = 'parents_id_cards' ORDER BY c.item_code",
        )
        .bind(&draft.id)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        let users: Vec<String> = rows.iter().map(|r| r.get("item_code")).collect();
        assert_eq!(users, ["SFQ-GA-0002", "SFQ-WJ-0001", "SFQ-YB-0001"]);
        let digests: Vec<String> = rows.iter().map(|r| r.get("sha256")).collect();
        assert!(digests.iter().all(|d| d == &digests[0]));
        assert!(app.upload_dir().join(&digests[0]).exists());
        let once = sqlx::query(
            "SELECT COUNT(*) AS n FROM bundle_uploads WHERE material_id = 'parents_id_cards'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get::<i64, _>("n");
        assert_eq!(once, 1, "uploaded once");
        assert_eq!(done.cases.len(), 4);
        // Each member's own application form is filed, generated from the one bundle form.
        let wj = app.sign_in_staff("wj_reviewer").await;
        let first: CaseDetail = app
            .get_as(
                &wj,
                &format!("/api/staff/cases/{}", case_of(&done, "SFQ-WJ-0001").case_id),
            )
            .await
            .parse();
        let form = first
            .materials
            .iter()
            .find(|m| m.material_id == "birth_cert_form")
            .unwrap();
        assert!(form.uploads[0].file_name.contains("一表申请生成"));
        let file = app
            .get_as(&wj, &format!("/api/files/{}", form.uploads[0].id))
            .await;
        assert_eq!(file.status, 200);
        assert!(file.body.starts_with(b"%PDF-"));
    }
);

both!(
    questions_include_and_leave_out_members,
    |app: TestApp| async move {
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let detail: BundleDetail = app
            .get(&format!("/api/bundles/birth?a={query}"))
            .await
            .parse();
        assert!(detail
            .members_shown
            .iter()
            .all(|m| m.item_code != "SFQ-RS-0001"));
        assert!(
            detail.materials.iter().all(|m| m.material_id != "photo"),
            "社保卡 photo left out"
        );

        let user = app.sign_in_applicant("13900007002").await;
        let draft = start(&app, &user, "birth", "settle.yes").await;
        assert_eq!(draft.status, BundleStatus::Draft);
        assert_eq!(draft.open_questions, ["place", "married", "sscard"]);
        assert_eq!(
            draft.form["phone"], "13900007002",
            "the sign-in number is prefilled"
        );
        // Open questions stop a submission, each named.
        let early = submit(&app, &user, &draft.id, "early-key-1").await;
        assert_eq!(early.status, 400);
        let fields = &early.json()["fields"];
        assert_eq!(
            fields["answers.sscard"],
            "请先回答：需要同时办理社会保障卡吗？"
        );
        assert!(fields["material:parents_id_cards"]
            .as_str()
            .unwrap()
            .starts_with("请上传"));
        assert!(fields["baby_name"].is_string());

        let (_, done) = submitted(&app, &user, "birth", query, None).await;
        let items: Vec<&str> = done.cases.iter().map(|c| c.item_code.as_str()).collect();
        assert_eq!(
            items,
            ["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001"],
            "no 社保卡 case"
        );
        let n = sqlx::query("SELECT COUNT(*) AS n FROM cases WHERE item_code = 'SFQ-RS-0001'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n");
        assert_eq!(n, 0);
    }
);

both!(
    fan_out_reaches_every_department_queue,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007003").await;
        let query = "place.hospital~relief.yes~pension.yes~status.retired~fund.yes~proof.pledge";
        let (draft, done) = submitted(&app, &user, "after_death", query, None).await;
        assert!(done.number.starts_with("SFQ-") && done.number.len() == "SFQ-20261125-0001".len());
        assert_eq!(done.cases.len(), 5);
        for (item, department, reviewer) in [
            ("SFQ-GA-0005", "ga", "ga_reviewer"),
            ("SFQ-MZ-0006", "mz", "mz_reviewer"),
            ("SFQ-RS-0005", "rs", "rs_reviewer"),
        ] {
            let case = case_of(&done, item);
            assert!(case.waiting_for.is_empty());
            let number = case.number.as_deref().unwrap();
            assert!(number.starts_with("SFQ-") && number != done.number);
            let staff = app.sign_in_staff(reviewer).await;
            assert!(
                queue(&app, &staff).await.contains(&case.case_id),
                "{item} in the {department} queue"
            );
            let detail: CaseDetail = app
                .get_as(&staff, &format!("/api/staff/cases/{}", case.case_id))
                .await
                .parse();
            assert_eq!(detail.summary.department_code, department);
            assert_eq!(detail.summary.status, CaseStatus::Submitted);
            assert_eq!(detail.form["applicant_name"], "王小明");
            assert!(detail
                .timeline
                .iter()
                .any(|e| e.title == "一件事一次办：一并申请"));
        }
        // Members waiting for the 户籍注销 are in no queue yet, and their department does not see them.
        let pension = case_of(&done, "SFQ-RS-0004");
        assert_eq!(pension.waiting_for, ["SFQ-GA-0005"]);
        assert!(pension.number.is_none());
        let rs = app.sign_in_staff("rs_reviewer").await;
        assert!(!queue(&app, &rs).await.contains(&pension.case_id));
        assert_eq!(
            app.get_as(&rs, &format!("/api/staff/cases/{}", pension.case_id))
                .await
                .status,
            404
        );
        let gj = app.sign_in_staff("gj_reviewer").await;
        assert!(queue(&app, &gj).await.is_empty());

        // The member cases are the applicant's ordinary cases; the held ones cannot be submitted.
        let mine: CaseList = app.get_as(&user, "/api/applications").await.parse();
        assert_eq!(mine.cases.len(), 5);
        let held: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", pension.case_id))
            .await
            .parse();
        assert!(!held.actions.contains(&app::api::CaseAction::Submit));
        let early = app
            .send(
                "POST",
                &format!("/api/applications/{}/submit", pension.case_id),
                Some(&user),
                &[("idempotency-key", "held-key-1")],
                Body::empty(),
            )
            .await;
        assert_eq!(early.status, 409);
        assert_eq!(early.json()["code"], "waiting_for_predecessor");

        let view = progress(&app, &user, &draft.id).await;
        assert_eq!(view.status, BundleStatus::InProgress);
        assert_eq!(view.number.as_deref(), Some(done.number.as_str()));
        let held_view = view
            .members
            .iter()
            .find(|m| m.item_code == "SFQ-RS-0004")
            .unwrap();
        assert_eq!(
            (held_view.status, held_view.waiting_for.as_slice()),
            (Some(CaseStatus::Draft), &["SFQ-GA-0005".to_string()][..])
        );
        assert!(view.clock.is_none(), "only 企业开办 promises hours");

        // 户籍注销 approved: both waiting members go to their queues.
        let ga = app.sign_in_staff("ga_reviewer").await;
        approve(&app, &ga, &case_of(&done, "SFQ-GA-0005").case_id).await;
        assert!(queue(&app, &rs).await.contains(&pension.case_id));
        assert!(queue(&app, &gj)
            .await
            .contains(&case_of(&done, "SFQ-GJ-0002").case_id));
        let released: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", pension.case_id))
            .await
            .parse();
        assert_eq!(released.summary.status, CaseStatus::Submitted);
        assert!(released.summary.number.is_some());
        assert!(released
            .timeline
            .iter()
            .any(|e| e.title == "前置事项已办结，自动提交"));
    }
);

/// 企业开办 submitted with the company facts; answers the applicant and the submission.
async fn company(
    app: &TestApp,
    phone: &str,
    trade: &str,
) -> (User, BundleApplicationDetail, BundleSubmitted) {
    let user = app.sign_in_applicant(phone).await;
    let (draft, done) = submitted(
        app,
        &user,
        "company",
        COMPANY,
        Some(facts(trade, ["60", "40"])),
    )
    .await;
    (user, draft, done)
}

both!(
    company_members_wait_for_the_business_licence,
    |app: TestApp| async move {
        let (user, draft, done) = company(&app, "13900007004", "松间月").await;
        let items: Vec<&str> = done.cases.iter().map(|c| c.item_code.as_str()).collect();
        assert_eq!(
            items,
            ["SFQ-SJ-0501", "SFQ-GA-0501", "SFQ-SW-0501", "SFQ-RS-0501"]
        );
        let licence = case_of(&done, "SFQ-SJ-0501");
        let seal = case_of(&done, "SFQ-GA-0501");
        assert_eq!(seal.waiting_for, ["SFQ-SJ-0501"]);
        let sj = app.sign_in_staff("sj_reviewer").await;
        let ga = app.sign_in_staff("ga_reviewer").await;
        assert!(queue(&app, &sj).await.contains(&licence.case_id));
        assert!(
            !queue(&app, &ga).await.contains(&seal.case_id),
            "公章刻制 waits for 设立登记"
        );

        // 设立登记's form: the company facts, no code yet; the reviewer sees the shareholders.
        let registration: CaseDetail = app
            .get_as(&sj, &format!("/api/staff/cases/{}", licence.case_id))
            .await
            .parse();
        assert_eq!(
            registration.form["company_name"],
            "示范区松间月餐饮管理有限公司"
        );
        assert_eq!(registration.form["legal_rep_phone"], "13912345678");
        assert_eq!(
            registration.form["registered_address"],
            "示范区文昌大道44号2层201室"
        );
        assert!(!registration.form.contains_key("uscc"));
        assert!(
            registration.form["remarks"].contains("张伟（110101198506120020）认缴60万元，占60%"),
            "{}",
            registration.form["remarks"]
        );
        assert!(registration.form["remarks"].contains("经营范围：餐饮服务、餐饮管理"));

        let view = progress(&app, &user, &draft.id).await;
        let clock = view.clock.clone().expect("企业开办 has a clock");
        assert!(clock.running && clock.promised_hours == 3 && clock.stopped_at.is_none());

        approve(&app, &sj, &licence.case_id).await;
        assert!(
            queue(&app, &ga).await.contains(&seal.case_id),
            "released once 设立登记 is approved"
        );
        let released: CaseDetail = app
            .get_as(&ga, &format!("/api/staff/cases/{}", seal.case_id))
            .await
            .parse();
        let view = progress(&app, &user, &draft.id).await;
        let uscc = view.uscc.clone().expect("a code is issued");
        assert_eq!(
            released.form["uscc"], uscc,
            "the code reaches the later members' forms"
        );
        assert_eq!(
            released.form["company_name"],
            "示范区松间月餐饮管理有限公司"
        );
        // 营业执照 comes from 设立登记 as an electronic licence: nothing to hand in.
        let licence_file = released
            .materials
            .iter()
            .find(|m| m.material_id == "business_licence")
            .unwrap();
        assert_eq!(licence_file.uploads.len(), 1);
        assert!(licence_file.uploads[0].file_name.contains("电子证照"));
        assert!(released
            .timeline
            .iter()
            .any(|e| e.title == "前置事项已办结，自动提交"));
        assert!(view
            .members
            .iter()
            .all(|m| m.waiting_for.is_empty() && m.number.is_some()));
    }
);

both!(
    approval_issues_a_valid_code_and_registers_the_name,
    |app: TestApp| async move {
        let (user, draft, done) = company(&app, "13900007005", "松间月").await;
        let sj = app.sign_in_staff("sj_reviewer").await;
        approve(&app, &sj, &case_of(&done, "SFQ-SJ-0501").case_id).await;
        let view = progress(&app, &user, &draft.id).await;
        let uscc = view.uscc.unwrap();
        assert_eq!(
            app::rules::uscc::validate_uscc(&uscc).as_deref(),
            Ok(uscc.as_str())
        );
        assert!(uscc.starts_with("91610113"), "{uscc}");
        let stored = sqlx::query(
            "SELECT uscc FROM registered_names WHERE name = '示范区松间月餐饮管理有限公司'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get::<Option<String>, _>("uscc");
        assert_eq!(stored.as_deref(), Some(uscc.as_str()));
        // A later name check with the same 字号 finds it, in any industry.
        let check = name_check(&app, "松间月", "信息技术").await;
        assert!(!check.ok);
        assert_eq!(check.problems[0].kind, NameProblemKind::Identical);
        assert!(check.problems[0]
            .message
            .contains("示范区松间月餐饮管理有限公司"));

        // A second 企业开办 with the same name is refused at submission.
        let other = app.sign_in_applicant("13900007006").await;
        let draft = start(&app, &other, "company", COMPANY).await;
        let body = json!({ "answers": answers(COMPANY), "form": fill(&draft.form_spec), "company": facts("松间月", ["60", "40"]) });
        save(&app, &other, &draft.id, &body).await;
        let refused = submit(&app, &other, &draft.id, "same-name-key").await;
        assert_eq!(refused.status, 400);
        assert!(
            refused.json()["fields"]["company.name"]
                .as_str()
                .unwrap()
                .contains("字号重复"),
            "{}",
            refused.text()
        );
    }
);

both!(
    a_company_set_up_here_can_be_acted_for_by_its_applicant_and_legal_rep,
    |app: TestApp| async move {
        let applicant = "13900007020";
        let (user, draft, done) = company(&app, applicant, "竹溪").await;
        let sj = app.sign_in_staff("sj_reviewer").await;
        approve(&app, &sj, &case_of(&done, "SFQ-SJ-0501").case_id).await;
        let uscc = progress(&app, &user, &draft.id)
            .await
            .uscc
            .expect("a code is issued");

        // The company is in the register: name, 法定代表人 from the company facts.
        let row = sqlx::query(
            "SELECT name, legal_rep_name, legal_rep_phone, status FROM companies WHERE uscc = $1",
        )
        .bind(&uscc)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("name"), "示范区竹溪餐饮管理有限公司");
        assert_eq!(row.get::<String, _>("legal_rep_name"), "刘芳");
        assert_eq!(row.get::<String, _>("legal_rep_phone"), "13912345678");
        assert_eq!(row.get::<String, _>("status"), "active");

        // The applicant who set it up (its 经办人) and the 法定代表人 may act for it…
        sqlx::query("UPDATE otp_codes SET created_at = '2000-01-01T00:00:00Z'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        for phone in [applicant, "13912345678"] {
            let business = app.sign_in(phone, Some(&uscc)).await;
            let me: app::api::Me = app.get_as(&business, "/api/me").await.parse();
            assert!(
                matches!(&me, app::api::Me::Applicant { uscc: Some(u), .. } if *u == uscc),
                "{me:?}"
            );
        }
        // …nobody else.
        let sent = app
            .post_json("/api/auth/otp", None, &json!({ "phone": "13900007021" }))
            .await;
        assert_eq!(sent.status, 200);
        let code = server::auth::sms::last_sms_code(&app.state.db, "13900007021")
            .await
            .unwrap()
            .unwrap();
        let refused = app
            .post_json(
                "/api/auth/login",
                None,
                &json!({ "phone": "13900007021", "code": code, "uscc": uscc }),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert_eq!(refused.json()["code"], "not_company_agent");
    }
);

both!(
    name_check_finds_identical_similar_and_restricted_names,
    |app: TestApp| async move {
        let fresh = name_check(&app, "松间月", "餐饮管理").await;
        assert!(fresh.ok, "{:?}", fresh.problems);
        assert_eq!(fresh.full_name, "示范区松间月餐饮管理有限公司");
        let identical = name_check(&app, "青禾", "信息技术").await;
        assert_eq!(
            identical
                .problems
                .iter()
                .map(|p| p.kind)
                .collect::<Vec<_>>(),
            [NameProblemKind::Identical]
        );
        let similar = name_check(&app, "清禾", "餐饮管理").await;
        assert_eq!(
            similar.problems.iter().map(|p| p.kind).collect::<Vec<_>>(),
            [NameProblemKind::Similar]
        );
        assert!(
            name_check(&app, "清禾", "建筑工程").await.ok,
            "similar only within the industry"
        );
        let restricted = name_check(&app, "中国青松", "商贸").await;
        assert_eq!(
            restricted
                .problems
                .iter()
                .map(|p| p.kind)
                .collect::<Vec<_>>(),
            [NameProblemKind::Restricted]
        );
        assert!(restricted.problems[0].suggestion.contains("青松"));
        let long = json!({ "district": "示范区", "trade_name": "长".repeat(60), "industry": "商贸", "organisation": "有限公司" });
        let response = app.post_json("/api/name-check", None, &long).await;
        assert_eq!(response.status, 400);
        assert!(response.json()["fields"]["trade_name"].is_string());
    }
);

both!(
    company_facts_are_checked_on_submission,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007007").await;
        let draft = start(&app, &user, "company", COMPANY).await;
        assert!(draft.needs_company);
        let missing = submit(&app, &user, &draft.id, "facts-key-1").await;
        assert_eq!(missing.status, 400);
        assert!(missing.json()["fields"]["company"].is_string());

        let mut body = json!({ "answers": answers(COMPANY), "form": fill(&draft.form_spec), "company": facts("松间月", ["60", "30"]) });
        let draft = save(&app, &user, &draft.id, &body).await;
        upload_all(&app, &user, &draft).await;
        let short = submit(&app, &user, &draft.id, "facts-key-2").await;
        assert_eq!(short.status, 400, "{}", short.text());
        assert_eq!(
            short.json()["fields"]["shareholders"],
            "股东出资比例合计应为100%，目前为90%"
        );

        body["company"]["shareholders"][1]["id_number"] = json!("610113199211300048");
        body["company"]["shareholders"][1]["share_percent"] = json!("40");
        body["company"]["shareholders"][1]["contribution_wan"] = json!("40");
        body["company"]["name"]["trade_name"] = json!("青禾");
        body["company"]["company_type"] = json!("sole");
        save(&app, &user, &draft.id, &body).await;
        let wrong = submit(&app, &user, &draft.id, "facts-key-3").await;
        assert_eq!(wrong.status, 400);
        let fields = &wrong.json()["fields"];
        assert!(
            fields["shareholders.1.id_number"]
                .as_str()
                .unwrap()
                .contains("第2位股东"),
            "{fields}"
        );
        assert!(
            fields["company.name"]
                .as_str()
                .unwrap()
                .contains("字号重复"),
            "{fields}"
        );
        assert!(fields["company_type"].is_string(), "{fields}");
        // Nothing was created by the refused submissions.
        let n = sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n");
        assert_eq!(n, 0);
        assert_eq!(
            progress(&app, &user, &draft.id).await.status,
            BundleStatus::Draft
        );
    }
);

both!(
    a_bundle_ends_when_every_member_ends,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007008").await;
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let (draft, done) = submitted(&app, &user, "birth", query, None).await;
        let wj = app.sign_in_staff("wj_reviewer").await;
        let ga = app.sign_in_staff("ga_reviewer").await;
        let certificate = case_of(&done, "SFQ-WJ-0001");
        let settle = case_of(&done, "SFQ-GA-0002");
        let insurance = case_of(&done, "SFQ-YB-0001");

        approve(&app, &wj, &certificate.case_id).await;
        decide(
            &app,
            &wj,
            &certificate.case_id,
            json!({ "action": "complete" }),
        )
        .await;
        assert!(queue(&app, &ga).await.contains(&settle.case_id));

        // 落户 returned: the bundle needs correction, with one notice grouped by department.
        let register = "household_register";
        return_for(&app, &ga, &settle.case_id, register, "户口簿首页不清晰").await;
        let view = progress(&app, &user, &draft.id).await;
        assert_eq!(view.status, BundleStatus::NeedsCorrection);
        let notice = view.notice.expect("the merged notice");
        assert_eq!(notice.problem_count, 1);
        assert_eq!(notice.departments.len(), 1);
        assert_eq!(notice.departments[0].department, "示范区公安分局");
        assert_eq!(notice.departments[0].cases[0].case_id, settle.case_id);
        assert_eq!(
            notice.departments[0].cases[0].notice.problems[0].problem,
            "户口簿首页不清晰"
        );

        // Corrected through the ordinary case endpoints; the bundle view follows.
        let uri = format!(
            "/api/applications/{}/materials/{register}?name=hukou.pdf",
            settle.case_id
        );
        assert_eq!(
            app.put_bytes(&uri, Some(&user), pdf("corrected"))
                .await
                .status,
            200
        );
        let again = app
            .send(
                "POST",
                &format!("/api/applications/{}/submit", settle.case_id),
                Some(&user),
                &[("idempotency-key", "fix-key-1")],
                Body::empty(),
            )
            .await;
        assert_eq!(again.status, 200, "{}", again.text());
        let view = progress(&app, &user, &draft.id).await;
        assert_eq!(view.status, BundleStatus::InProgress);
        assert!(view.notice.is_none());

        // 落户 refused: 医保参保, waiting for it, ends too — and with it the bundle.
        decide(&app, &ga, &settle.case_id, json!({ "action": "reject", "note": "不符合落户条件", "legal_basis": "《户口登记条例》第六条" })).await;
        let view = progress(&app, &user, &draft.id).await;
        let statuses: Vec<_> = view.members.iter().map(|m| m.status.unwrap()).collect();
        assert_eq!(
            statuses,
            [
                CaseStatus::Completed,
                CaseStatus::Rejected,
                CaseStatus::Withdrawn
            ]
        );
        assert_eq!(view.status, BundleStatus::Done);
        assert!(view.completed_at.is_some());
        let ended: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", insurance.case_id))
            .await
            .parse();
        assert!(ended
            .timeline
            .iter()
            .any(|e| e.title == "前置事项未办成，自动终止"));
        let mine: BundleApplicationList =
            app.get_as(&user, "/api/bundle-applications").await.parse();
        assert_eq!(mine.applications[0].status, BundleStatus::Done);
        assert_eq!(
            (
                mine.applications[0].members_total,
                mine.applications[0].members_decided
            ),
            (3, 3)
        );
    }
);

both!(
    company_clock_stops_when_every_member_is_done,
    |app: TestApp| async move {
        let (user, draft, done) = company(&app, "13900007009", "松间月").await;
        for (item, reviewer) in [
            ("SFQ-SJ-0501", "sj_reviewer"),
            ("SFQ-GA-0501", "ga_reviewer"),
            ("SFQ-SW-0501", "sw_reviewer"),
            ("SFQ-RS-0501", "rs_reviewer"),
        ] {
            let staff = app.sign_in_staff(reviewer).await;
            let case_id = &case_of(&done, item).case_id;
            approve(&app, &staff, case_id).await;
            let view = progress(&app, &user, &draft.id).await;
            assert_eq!(
                view.clock.as_ref().unwrap().running,
                item != "SFQ-RS-0501",
                "{item}"
            );
        }
        let view = progress(&app, &user, &draft.id).await;
        let clock = view.clock.unwrap();
        assert!(clock.stopped_at.is_some());
        assert_eq!(
            view.status,
            BundleStatus::InProgress,
            "approved is not over until 办结"
        );
        let manager = app.sign_in_staff("manager").await;
        let overview: BundleApplicationList =
            app.get_as(&manager, "/api/manager/bundles").await.parse();
        let row = overview
            .applications
            .iter()
            .find(|a| a.id == draft.id)
            .unwrap();
        assert_eq!(row.number.as_deref(), Some(done.number.as_str()));
        assert!(row.clock.as_ref().is_some_and(|c| !c.running));
        assert_eq!(row.applicant, "刘*", "the legal representative, masked");
        let reviewer = app.sign_in_staff("sj_reviewer").await;
        assert_eq!(
            app.get_as(&reviewer, "/api/manager/bundles").await.status,
            403
        );
        assert_eq!(app.get_as(&user, "/api/manager/bundles").await.status, 401);
    }
);

both!(bundle_submission_is_idempotent, |app: TestApp| async move {
    let user = app.sign_in_applicant("13900007010").await;
    let query = "place.hospital~married.yes~settle.no~sscard.no";
    let draft = start(&app, &user, "birth", query).await;
    save(
        &app,
        &user,
        &draft.id,
        &json!({ "answers": answers(query), "form": fill(&draft.form_spec) }),
    )
    .await;
    // 在线申请 again reopens this draft with what was typed, instead of a second one.
    let again = start(&app, &user, "birth", "").await;
    assert_eq!(again.id, draft.id);
    assert!(again.form.values().any(|v| v == "王小明"));
    assert_eq!(
        serde_json::to_value(&again.answers).unwrap(),
        answers(query)
    );
    let draft = progress(&app, &user, &draft.id).await;
    upload_all(&app, &user, &draft).await;
    let first = submit(&app, &user, &draft.id, "bundle-key-0001").await;
    assert_eq!(first.status, 200, "{}", first.text());
    let again = submit(&app, &user, &draft.id, "bundle-key-0001").await;
    assert_eq!(again.status, 200, "{}", again.text());
    let (first, again): (BundleSubmitted, BundleSubmitted) = (first.parse(), again.parse());
    assert_eq!(first.number, again.number);
    assert_eq!(
        first.cases.iter().map(|c| &c.case_id).collect::<Vec<_>>(),
        again.cases.iter().map(|c| &c.case_id).collect::<Vec<_>>()
    );
    let count = |sql: &'static str| {
        let pool = app.state.db.pool.clone();
        async move {
            sqlx::query(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>("n")
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM bundle_cases WHERE number IS NOT NULL").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM cases").await,
        1,
        "settle.no: only 出生医学证明"
    );
    // A new key for a submitted bundle is a conflict; a key is not reused across applications.
    assert_eq!(
        submit(&app, &user, &draft.id, "bundle-key-0002")
            .await
            .status,
        409
    );
    let other = start(&app, &user, "birth", query).await;
    assert_eq!(
        submit(&app, &user, &other.id, "bundle-key-0001")
            .await
            .status,
        409
    );
    assert_eq!(submit(&app, &user, &draft.id, "short").await.status, 400);
    // Once submitted the draft is closed.
    let closed = app
        .put_json(
            &format!("/api/bundle-applications/{}", draft.id),
            Some(&user),
            &json!({ "answers": {}, "form": {} }),
        )
        .await;
    assert_eq!(closed.status, 409);
    // Someone else's application is the same 404 as none.
    let stranger = app.sign_in_applicant("13900007011").await;
    assert_eq!(
        app.get_as(&stranger, &format!("/api/bundle-applications/{}", draft.id))
            .await
            .status,
        404
    );
});

both!(
    bundle_uploads_are_checked_like_single_uploads,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007012").await;
        let draft = start(&app, &user, "company", COMPANY).await;
        let uri = |material: &str| {
            format!(
                "/api/bundle-applications/{}/materials/{material}?name=a.pdf",
                draft.id
            )
        };
        let fake = app
            .put_bytes(
                &uri("legal_rep_id_card"),
                Some(&user),
                b"MZ not a pdf".to_vec(),
            )
            .await;
        assert_eq!(fake.status, 415);
        let provided = app
            .put_bytes(&uri("business_licence"), Some(&user), pdf("x"))
            .await;
        assert_eq!(provided.status, 422, "{}", provided.text());
        assert_eq!(
            app.put_bytes(&uri("no_such_material"), Some(&user), pdf("x"))
                .await
                .status,
            404
        );
        let ok = app
            .put_bytes(&uri("legal_rep_id_card"), Some(&user), pdf("id"))
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text());
        let view = progress(&app, &user, &draft.id).await;
        let card = view
            .materials
            .iter()
            .find(|m| m.material.material_id == "legal_rep_id_card")
            .unwrap();
        assert_eq!(card.uploads.len(), 1);
        assert!(card.material.used_by.len() >= 2);
        let openapi = app.get("/api/openapi.json").await.json();
        for path in [
            "/api/bundles",
            "/api/bundles/{code}",
            "/api/name-check",
            "/api/bundle-applications/{id}/submit",
            "/api/manager/bundles",
        ] {
            assert!(openapi["paths"][path].is_object(), "{path}");
        }
    }
);

both!(
    setting_up_a_company_needs_no_business_sign_in,
    |app: TestApp| async move {
        // 企业设立登记 on its own: its form asks for no code, so a person may apply.
        let user = app.sign_in_applicant("13900007013").await;
        let response = app
            .post_json(
                "/api/applications",
                Some(&user),
                &json!({ "item_code": "SFQ-SJ-0501" }),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        let case: CaseDetail = response.parse();
        assert!(case.form_spec.iter().all(|f| f.kind != FieldKind::Uscc));
        assert_eq!(case.form["legal_rep_phone"], "13900007013");
        let ids: Vec<&str> = case.form_spec.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "company_name",
                "legal_rep_name",
                "legal_rep_id",
                "legal_rep_phone",
                "registered_address",
                "contact_name",
                "contact_phone",
                "remarks"
            ]
        );
        // An item for an existing business still needs the business sign-in.
        let seal = app
            .post_json(
                "/api/applications",
                Some(&user),
                &json!({ "item_code": "SFQ-GA-0501" }),
            )
            .await;
        assert_eq!(seal.status, 422);
        assert_eq!(seal.json()["code"], "business_sign_in_required");
    }
);

both!(
    track_answers_for_a_bundle_number,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007014").await;
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let (draft, done) = submitted(&app, &user, "birth", query, None).await;
        let track = |number: String, phone4: &'static str| {
            let app = &app;
            async move {
                app.get(&format!("/api/track?number={number}&phone4={phone4}"))
                    .await
            }
        };

        let found = track(done.number.clone(), "7014").await;
        assert_eq!(found.status, 200, "{}", found.text());
        let text = found.text();
        let found: TrackResult = found.parse();
        assert_eq!(found.number, done.number);
        assert_eq!(found.item_name, "出生一件事");
        assert_eq!(found.applicant, "王*明");
        assert_eq!(found.bundle_status, Some(BundleStatus::InProgress));
        assert_eq!(found.status, CaseStatus::Submitted);
        assert_eq!(found.due_date, None, "members still wait for predecessors");
        let view = progress(&app, &user, &draft.id).await;
        let mut departments: Vec<&str> = Vec::new();
        for m in &view.members {
            if !departments.contains(&m.department.as_str()) {
                departments.push(&m.department);
            }
        }
        assert_eq!(found.department, departments.join("、"));
        assert!(found.department.contains("示范区公安分局"));
        let members: Vec<(&str, CaseStatus, bool)> = found
            .members
            .iter()
            .map(|m| (m.item_name.as_str(), m.status, m.waiting))
            .collect();
        assert_eq!(
            members,
            view.members
                .iter()
                .map(|m| (
                    m.item_name.as_str(),
                    m.status.unwrap(),
                    !m.waiting_for.is_empty()
                ))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            found.members.iter().map(|m| m.status).collect::<Vec<_>>(),
            [CaseStatus::Submitted, CaseStatus::Draft, CaseStatus::Draft]
        );
        assert_eq!(
            found.members.iter().map(|m| m.waiting).collect::<Vec<_>>(),
            [false, true, true]
        );
        let certificate = case_of(&done, "SFQ-WJ-0001");
        assert_eq!(found.members[0].number, certificate.number);
        assert!(found.members[0].due_date.is_some());
        assert!(found.members[1].number.is_none() && found.members[1].due_date.is_none());
        assert_eq!(found.members[1].department, "示范区公安分局");
        // The bundle's own events, without details; nothing personal, no case ids.
        let titles: Vec<&str> = found.timeline.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["一件事一次办：一次提交"]);
        assert!(found.timeline.iter().all(|e| e.detail.is_none()));
        for secret in ["王小明", "110101199003077758", "13900001111", "13900007014"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        for case in &done.cases {
            assert!(!text.contains(&case.case_id), "case id in {text}");
        }
        assert!(!text.contains(&draft.id), "bundle id in {text}");

        // Wrong digits: the same answer as an unknown number.
        let wrong_digits = track(done.number.clone(), "0000").await;
        let wrong_number = track("SFQ-20990101-0001".into(), "7014").await;
        assert_eq!(wrong_digits.status, 404);
        assert_eq!(
            wrong_digits.json_apart_from_request_id(),
            wrong_number.json_apart_from_request_id()
        );
        assert_eq!(
            wrong_digits.json()["message"],
            "没有查到该办件，请核对受理编号和手机号后四位"
        );

        // A member's own number still tracks as a single case, without bundle data.
        let member = track(certificate.number.clone().unwrap(), "7014").await;
        assert_eq!(member.status, 200, "{}", member.text());
        let single = member.json();
        assert!(single.get("members").is_none() && single.get("bundle_status").is_none());
        assert_eq!(single["status"], "submitted");

        // 出生医学证明 approved: its state shows, and 落户 is now with the police.
        let wj = app.sign_in_staff("wj_reviewer").await;
        approve(&app, &wj, &certificate.case_id).await;
        let found: TrackResult = track(done.number.clone(), "7014").await.parse();
        assert_eq!(
            found.members.iter().map(|m| m.status).collect::<Vec<_>>(),
            [
                CaseStatus::Approved,
                CaseStatus::Submitted,
                CaseStatus::Draft
            ]
        );
        assert!(!found.members[1].waiting && found.members[1].number.is_some());
        assert!(found.members[2].waiting);
        assert_eq!(found.status, CaseStatus::Submitted);
        assert_eq!(found.bundle_status, Some(BundleStatus::InProgress));

        // 落户 returned: the bundle needs correction.
        let ga = app.sign_in_staff("ga_reviewer").await;
        let settle = case_of(&done, "SFQ-GA-0002");
        return_for(
            &app,
            &ga,
            &settle.case_id,
            "household_register",
            "户口簿首页不清晰",
        )
        .await;
        let found: TrackResult = track(done.number.clone(), "7014").await.parse();
        assert_eq!(found.members[1].status, CaseStatus::Returned);
        assert_eq!(found.status, CaseStatus::Returned);
        assert_eq!(found.bundle_status, Some(BundleStatus::NeedsCorrection));
        assert!(!serde_json::to_string(&found)
            .unwrap()
            .contains("户口簿首页不清晰"));

        let openapi = app.get("/api/openapi.json").await.json();
        assert!(openapi["components"]["schemas"]["TrackMember"].is_object());
    }
);

both!(
    bundle_submitted_after_hours_counts_from_the_next_working_day,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007015").await;
        // Wednesday 2026-11-25 at 23:22 Beijing time (15:22 UTC): accepted Thursday 11-26.
        let at = app::rules::date::Date::parse("2026-11-25")
            .unwrap()
            .to_unix_days()
            * 86_400
            + 15 * 3600
            + 22 * 60;
        app.state.clock.pin(at);
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let (_, done) = submitted(&app, &user, "birth", query, None).await;
        let first = case_of(&done, "SFQ-WJ-0001");
        let item: app::api::ItemDetail = app.get("/api/items/SFQ-WJ-0001").await.parse();
        let guide = item.guide;
        let accepted = app::rules::date::Date::parse("2026-11-26").unwrap();
        let want = app::rules::workdays::HolidayCalendar::official()
            .add_working_days(accepted, guide.promised_days)
            .unwrap()
            .to_string();
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", first.case_id))
            .await
            .parse();
        assert_eq!(detail.summary.due_date.as_deref(), Some(want.as_str()));
        assert_eq!(detail.accepted_on.as_deref(), Some("2026-11-26"));
        assert!(detail.acceptance_deferred);
    }
);

both!(
    a_bundle_draft_counts_against_the_upload_quota,
    |app: TestApp| async move {
        let app = app.rebuild(|s| {
            s.upload_quota = server::upload_quota::UploadQuota {
                files_per_case: 2,
                ..Default::default()
            }
        });
        let user = app.sign_in_applicant("13900005201").await;
        let draft = start(&app, &user, "birth", BIRTH_ALL).await;
        let put = |tag: &'static str| {
            let app = &app;
            let user = user.clone();
            let uri = format!(
                "/api/bundle-applications/{}/materials/parents_id_cards?name=id.pdf",
                draft.id
            );
            async move { app.put_bytes(&uri, Some(&user), pdf(tag)).await }
        };
        for tag in ["q1", "q2"] {
            let ok = put(tag).await;
            assert_eq!(ok.status, 200, "{}", ok.text());
        }
        let full = put("q3").await;
        assert_eq!(full.status, 422, "{}", full.text());
        assert_eq!(full.json()["code"], "quota_exceeded");
        assert!(full.json()["message"]
            .as_str()
            .unwrap()
            .contains("每个“一件事”申请最多保存 2 个文件"));
    }
);

both!(
    a_bundle_submission_sends_one_sms_per_member_sent_to_its_department,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007091").await;
        let (_, done) = submitted(&app, &user, "birth", BIRTH_ALL, None).await;
        let bodies: Vec<String> = sqlx::query("SELECT body FROM sms_outbox ORDER BY seq")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("body"))
            .collect();
        let started: Vec<&str> = done
            .cases
            .iter()
            .filter_map(|c| c.number.as_deref())
            .collect();
        assert!(!started.is_empty());
        for number in &started {
            let sent = bodies.iter().filter(|b| b.contains(*number)).count();
            assert_eq!(sent, 1, "{number}: {bodies:?}");
        }
        // Members held for their predecessors have no 受理编号 yet, and no SMS.
        assert_eq!(
            bodies.iter().filter(|b| b.contains("受理编号")).count(),
            started.len()
        );
    }
);

both!(
    members_released_by_a_decision_are_texted_once,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007092").await;
        let query = "place.hospital~relief.yes~pension.yes~status.retired~fund.yes~proof.pledge";
        let (_, done) = submitted(&app, &user, "after_death", query, None).await;
        let first = case_of(&done, "SFQ-GA-0005");
        let first_number = first.number.clone().expect("sent at once");
        let held = case_of(&done, "SFQ-RS-0004");
        assert!(held.number.is_none());
        let ga = app.sign_in_staff("ga_reviewer").await;
        approve(&app, &ga, &first.case_id).await;
        let released: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", held.case_id))
            .await
            .parse();
        let released_number = released.summary.number.expect("released");
        let bodies: Vec<String> = sqlx::query("SELECT body FROM sms_outbox ORDER BY seq")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("body"))
            .collect();
        let about = |number: &str| -> Vec<&String> {
            bodies.iter().filter(|b| b.contains(number)).collect()
        };
        let first_texts = about(&first_number);
        assert_eq!(first_texts.len(), 2, "{first_texts:?}");
        assert!(first_texts[1].contains("已通过预审"));
        let released_texts = about(&released_number);
        assert_eq!(released_texts.len(), 1, "{released_texts:?}");
        assert!(released_texts[0].contains("已提交"));
    }
);

both!(
    held_members_say_what_they_wait_for_and_cases_name_their_siblings,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007011").await;
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let (_, done) = submitted(&app, &user, "birth", query, None).await;
        let certificate = case_of(&done, "SFQ-WJ-0001");
        let settle = case_of(&done, "SFQ-GA-0002");

        // 我的办件: the held member waits for 出生医学证明 by its name, not its code.
        let mine: CaseList = app.get_as(&user, "/api/applications").await.parse();
        let summary_of = |id: &str| mine.cases.iter().find(|c| c.id == id).unwrap().clone();
        let held = summary_of(&settle.case_id);
        assert!(held.is_waiting());
        let bundle = held
            .bundle
            .clone()
            .expect("a 一件事 member names its bundle");
        assert_eq!(bundle.name, "出生一件事");
        assert_eq!(bundle.number.as_deref(), Some(done.number.as_str()));
        assert_eq!(bundle.waiting_for, ["出生医学证明"]);
        let sent = summary_of(&certificate.case_id);
        assert!(!sent.is_waiting());
        // It can be expected when 出生医学证明 is promised (its working-day due date).
        assert!(sent.due_date.is_some());
        assert_eq!(bundle.expected_by, sent.due_date);
        let sent_bundle = sent.bundle.unwrap();
        assert!(sent_bundle.waiting_for.is_empty() && sent_bundle.expected_by.is_none());

        // Refusing to submit it names no item code.
        let early = app
            .send(
                "POST",
                &format!("/api/applications/{}/submit", settle.case_id),
                Some(&user),
                &[("idempotency-key", "held-key-2")],
                Body::empty(),
            )
            .await;
        assert_eq!(early.status, 409);
        let message = early.json()["message"].as_str().unwrap().to_string();
        assert!(!message.contains("SFQ-"), "{message}");

        // Its detail lists the other members with their states; all open for the owner.
        let detail: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{}", settle.case_id))
            .await
            .parse();
        let names: Vec<&str> = detail
            .siblings
            .iter()
            .map(|s| s.short_name.as_str())
            .collect();
        assert_eq!(names, ["出生医学证明", "城乡居民医保参保"]);
        assert_eq!(detail.siblings[0].status, CaseStatus::Submitted);
        assert!(!detail.siblings[0].waiting);
        assert!(detail.siblings[1].waiting);
        assert!(detail.siblings.iter().all(|s| s.open));

        // The 卫健 reviewer sees the same bundle, and may open only its own department's case.
        let wj = app.sign_in_staff("wj_reviewer").await;
        let staff_view: CaseDetail = app
            .get_as(&wj, &format!("/api/staff/cases/{}", certificate.case_id))
            .await
            .parse();
        assert_eq!(staff_view.summary.bundle.unwrap().name, "出生一件事");
        let settle_seen = staff_view
            .siblings
            .iter()
            .find(|s| s.short_name == "新生儿落户")
            .unwrap();
        assert!(settle_seen.waiting);
        assert!(
            !settle_seen.open,
            "another department's case is not the reviewer's to open"
        );
        let queue: CaseList = app.get_as(&wj, "/api/staff/cases").await.parse();
        assert_eq!(
            queue.cases[0].bundle.as_ref().map(|b| b.name.as_str()),
            Some("出生一件事")
        );
    }
);

both!(
    the_window_finds_a_case_by_number_name_or_phone,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900007012").await;
        let query = "place.hospital~married.yes~settle.yes~sscard.no";
        let (_, done) = submitted(&app, &user, "birth", query, None).await;
        let certificate = case_of(&done, "SFQ-WJ-0001");
        let number = certificate.number.clone().unwrap();
        let wj = app.sign_in_staff("wj_reviewer").await;
        let found = |q: String| {
            let app = &app;
            let wj = &wj;
            async move {
                let response = app.get_as(wj, &format!("/api/staff/cases?{q}")).await;
                assert_eq!(response.status, 200, "{q}: {}", response.text());
                let list: CaseList = response.parse();
                list.cases.into_iter().map(|c| c.id).collect::<Vec<_>>()
            }
        };
        let only = vec![certificate.case_id.clone()];
        // The form's name and phone (fill() above), the sign-in phone, the numbers, in part too.
        for q in [
            "王小明".to_string(),
            "小明".to_string(),
            "13900001111".to_string(),
            "1111".to_string(),
            "139 0000 7012".to_string(),
            number.clone(),
            number[number.len() - 4..].to_string(),
            number[number.len() - 8..].to_string(),
            done.number.to_lowercase(),
        ] {
            assert_eq!(found(format!("q={}", enc(&q))).await, only, "{q}");
        }
        assert!(found(format!("q={}", enc("李四"))).await.is_empty());
        assert!(
            found(format!("q={}", enc("%"))).await.is_empty(),
            "a wildcard is taken literally"
        );
        assert!(found("q=13900009999".into()).await.is_empty());

        // Filters by item and warning colour, with the search or alone.
        assert_eq!(found("item=SFQ-WJ-0001".into()).await, only);
        assert!(found("item=SFQ-WJ-0002".into()).await.is_empty());
        assert!(found("warning=red".into()).await.is_empty());
        // 出生医学证明 is promised within a working day: due at once, a yellow card.
        let queue: CaseList = app.get_as(&wj, "/api/staff/cases").await.parse();
        let yellow = queue.cases[0].warning == Some(app::api::Warning::Yellow);
        let expected = if yellow { only.clone() } else { Vec::new() };
        assert_eq!(found("warning=yellow&q=1111".into()).await, expected);
        let bad = app.get_as(&wj, "/api/staff/cases?warning=blue").await;
        assert_eq!(bad.status, 400);
        assert!(bad.json()["fields"]["warning"]
            .as_str()
            .unwrap()
            .contains("red"));
        // Overdue: the case's due date passed.
        sqlx::query("UPDATE cases SET due_date = '2026-01-05' WHERE id = $1")
            .bind(&certificate.case_id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(found("warning=red".into()).await, only);
        assert_eq!(
            found(format!("warning=red&q={}", enc("王小明"))).await,
            only
        );

        // Another department's reviewer does not find it.
        let ga = app.sign_in_staff("ga_reviewer").await;
        let list: CaseList = app
            .get_as(&ga, &format!("/api/staff/cases?q={}", enc(&number)))
            .await
            .parse();
        assert!(list.cases.is_empty());
    }
);
