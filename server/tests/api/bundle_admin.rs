//! Bundle management: a 一件事 edited as a draft, checked by the bundle rules, published (the
//! public bundle pages change at once), kept versions and restore, who may do it, and bundle
//! applications keeping the bundle they were started with.

use app::api::{Bundle, BundleAdminList, BundleDetail, BundleEditor, BundleList, Published};
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::bundles::{submitted, BIRTH_ALL};
use crate::common::{TestApp, TestResponse, User};

const BIRTH: &str = "birth";

async fn editor(app: &TestApp, manager: &User, code: &str) -> BundleEditor {
    let response = app
        .get_as(manager, &format!("/api/admin/catalog/bundles/{code}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn save_draft(app: &TestApp, manager: &User, bundle: &Bundle) -> BundleEditor {
    let response = app
        .put_json(
            &format!("/api/admin/catalog/bundles/{}/draft", bundle.code),
            Some(manager),
            &json!({ "bundle": bundle }),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn publish(app: &TestApp, manager: &User, code: &str, note: &str) -> TestResponse {
    app.post_json(
        &format!("/api/admin/catalog/bundles/{code}/publish"),
        Some(manager),
        &json!({ "note": note }),
    )
    .await
}

async fn public_name(app: &TestApp, code: &str) -> (String, String) {
    let list: BundleList = app.get("/api/bundles").await.parse();
    let b = list.bundles.iter().find(|b| b.code == code).unwrap();
    (b.name.clone(), b.summary.clone())
}

both!(
    a_published_bundle_changes_the_public_pages_and_keeps_started_applications,
    |app: TestApp| async move {
        let user = app.sign_in_applicant("13900001111").await;
        let (started, _) = submitted(&app, &user, BIRTH, BIRTH_ALL, None).await;

        let manager = app.sign_in_staff("manager").await;
        let list: BundleAdminList = app
            .get_as(&manager, "/api/admin/catalog/bundles")
            .await
            .parse();
        assert!(list
            .bundles
            .iter()
            .any(|b| b.code == BIRTH && b.version == 1));
        let before = editor(&app, &manager, BIRTH).await;
        assert_eq!((before.version, before.versions.len()), (1, 1));
        assert!(before.guides.iter().any(|g| g.code == "SFQ-GA-0002"));

        let mut bundle = before.published.clone();
        bundle.name = "宝宝出生一件事".into();
        bundle.summary = "宝宝出生后一次办好出生医学证明、落户、医保和社保卡（示范）。".into();
        // Members reordered: the order is the manager's, 前置 stay as they are.
        bundle.members.swap(2, 3);
        let saved = save_draft(&app, &manager, &bundle).await;
        assert!(saved.problems.is_empty(), "{:?}", saved.problems);
        let name = saved.changes.iter().find(|c| c.path == "name").unwrap();
        assert_eq!(name.label, "名称");
        assert_eq!(name.after.as_deref(), Some("宝宝出生一件事"));
        assert!(saved
            .changes
            .iter()
            .any(|c| c.path == "members[2].item_code" && c.label == "成员事项第 3 项 · 事项编码"));
        // Still the published one for citizens.
        assert_eq!(public_name(&app, BIRTH).await.0, before.published.name);

        let response = publish(&app, &manager, BIRTH, "名称和简介调整（示范）").await;
        assert_eq!(response.status, 200, "{}", response.text());
        let published: Published = response.parse();
        assert_eq!(published.version, 2);
        assert!(published.revision > list.revision);
        assert_eq!(
            public_name(&app, BIRTH).await,
            (bundle.name.clone(), bundle.summary.clone())
        );
        let detail: BundleDetail = app.get("/api/bundles/birth").await.parse();
        assert_eq!(detail.bundle, bundle);
        let after = editor(&app, &manager, BIRTH).await;
        assert_eq!(after.version, 2);
        assert!(after.draft.is_none());
        assert_eq!(after.versions[0].note, "名称和简介调整（示范）");

        // The application started before keeps its bundle and version.
        let progress: app::api::BundleApplicationDetail = app
            .get_as(&user, &format!("/api/bundle-applications/{}", started.id))
            .await
            .parse();
        assert_eq!(progress.bundle_name, before.published.name);
        let version: i64 = sqlx::query("SELECT bundle_version FROM bundle_cases WHERE id = $1")
            .bind(&started.id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get("bundle_version");
        assert_eq!(version, 1);

        let actions: Vec<String> =
            sqlx::query("SELECT action FROM audit_log WHERE action LIKE '%“一件事”%' ORDER BY seq")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get("action"))
                .collect();
        assert_eq!(actions, ["保存“一件事”草稿", "发布“一件事”"]);
    }
);

both!(
    a_wrong_bundle_is_named_by_field_and_publishes_nothing,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let published = editor(&app, &manager, BIRTH).await.published;
        for (change, field, words) in [
            (
                (|b: &mut Bundle| b.members[0].after = vec!["SFQ-RS-0001".into()])
                    as fn(&mut Bundle),
                "members[0].after",
                "形成循环",
            ),
            (
                |b: &mut Bundle| {
                    let mut stranger = b.members[3].clone();
                    stranger.item_code = "SFQ-NO-0000".into();
                    stranger.after.clear();
                    b.members.push(stranger);
                },
                "members[4].item_code",
                "没有编码为 SFQ-NO-0000 的事项",
            ),
            (
                |b: &mut Bundle| {
                    b.members[1].when = [("nope".to_string(), vec!["x".to_string()])].into()
                },
                "members[1].when",
                "不存在的问题 nope",
            ),
        ] {
            let mut bundle = published.clone();
            change(&mut bundle);
            let saved = save_draft(&app, &manager, &bundle).await;
            assert!(
                saved.problems.get(field).is_some_and(|m| m.contains(words)),
                "{field}: {:?}",
                saved.problems
            );
            let response = publish(&app, &manager, BIRTH, "错误的修改").await;
            assert_eq!(response.status, 422, "{}", response.text());
            let body = response.json();
            assert_eq!(body["code"], "invalid_field");
            assert!(
                body["fields"][field]
                    .as_str()
                    .is_some_and(|m| m.contains(words)),
                "{body}"
            );
            let after = editor(&app, &manager, BIRTH).await;
            assert_eq!(after.version, 1, "nothing published");
            assert_eq!(after.draft.as_ref(), Some(&bundle), "the draft is kept");
        }
        assert_eq!(public_name(&app, BIRTH).await.0, published.name);

        // Discarding the draft leaves the published bundle; without a draft nothing publishes.
        let response = app
            .send(
                "DELETE",
                "/api/admin/catalog/bundles/birth/draft",
                Some(&manager),
                &[],
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(response.status, 204, "{}", response.text());
        assert_eq!(publish(&app, &manager, BIRTH, "没有草稿").await.status, 409);
        let mut renamed = published.clone();
        renamed.code = "birth2".into();
        let response = app
            .put_json(
                "/api/admin/catalog/bundles/birth/draft",
                Some(&manager),
                &json!({ "bundle": renamed }),
            )
            .await;
        assert_eq!(response.status, 422);
        assert!(response.json()["fields"]["code"].is_string());
    }
);

both!(
    an_older_bundle_version_is_restored_as_a_new_one,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let first = editor(&app, &manager, BIRTH).await.published;
        let mut second = first.clone();
        second.summary = "第二版简介（示范）".into();
        save_draft(&app, &manager, &second).await;
        assert_eq!(publish(&app, &manager, BIRTH, "简介").await.status, 200);
        assert_eq!(public_name(&app, BIRTH).await.1, second.summary);

        let response = app
            .post_json(
                "/api/admin/catalog/bundles/birth/versions/1/restore",
                Some(&manager),
                &json!({ "note": "撤回简介修改" }),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.parse::<Published>().version, 3);
        assert_eq!(public_name(&app, BIRTH).await.1, first.summary);
        let after = editor(&app, &manager, BIRTH).await;
        assert_eq!(after.versions[0].restored_from, Some(1));
        let kept: Bundle = app
            .get_as(&manager, "/api/admin/catalog/bundles/birth/versions/2")
            .await
            .parse();
        assert_eq!(kept, second);
        let status = app
            .post_json(
                "/api/admin/catalog/bundles/birth/versions/3/restore",
                Some(&manager),
                &json!({ "note": "再次" }),
            )
            .await
            .status;
        assert_eq!(status, 422);
    }
);

both!(only_managers_manage_bundles, |app: TestApp| async move {
    let reviewer = app.sign_in_staff("ga_reviewer").await;
    let manager = app.sign_in_staff("manager").await;
    let bundle = editor(&app, &manager, BIRTH).await.published;
    let body = serde_json::to_vec(&json!({ "bundle": bundle })).unwrap();
    let note = serde_json::to_vec(&json!({ "note": "x" })).unwrap();
    let calls: [(&str, &str, Vec<u8>); 7] = [
        ("GET", "/api/admin/catalog/bundles", vec![]),
        ("GET", "/api/admin/catalog/bundles/birth", vec![]),
        ("PUT", "/api/admin/catalog/bundles/birth/draft", body),
        ("DELETE", "/api/admin/catalog/bundles/birth/draft", vec![]),
        (
            "POST",
            "/api/admin/catalog/bundles/birth/publish",
            note.clone(),
        ),
        ("GET", "/api/admin/catalog/bundles/birth/versions/1", vec![]),
        (
            "POST",
            "/api/admin/catalog/bundles/birth/versions/1/restore",
            note,
        ),
    ];
    for (method, uri, body) in calls {
        let headers = [("content-type", "application/json")];
        for (who, status) in [(Some(&reviewer), 403), (None, 401)] {
            let response = app
                .send(
                    method,
                    uri,
                    who,
                    &headers,
                    axum::body::Body::from(body.clone()),
                )
                .await;
            assert_eq!(
                response.status,
                status,
                "{method} {uri}: {}",
                response.text()
            );
        }
    }
    assert!(editor(&app, &manager, BIRTH).await.draft.is_none());
    let response = app
        .get_as(&manager, "/api/admin/catalog/bundles/nothing")
        .await;
    assert_eq!(response.status, 404);
});
