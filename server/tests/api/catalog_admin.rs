//! Catalog management: drafts, the diff, publication (checked by the shared guide rules), kept
//! versions and restore, the audit log, who may do it, the search and guide changing at once,
//! and cases keeping the version they were filed under.

use app::api::{
    CaseDetail, CatalogAdminList, CatalogEditor, ItemDetail, ItemGuide, ItemList, Published,
};
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{enc, TestApp, User};
use crate::pre_review::{submitted_case, with_items, GA_ITEM};

const ITEM: &str = "SFQ-GA-0001";

async fn editor(app: &TestApp, manager: &User, code: &str) -> CatalogEditor {
    let response = app
        .get_as(manager, &format!("/api/admin/catalog/items/{code}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn save_draft(app: &TestApp, manager: &User, guide: &ItemGuide) -> CatalogEditor {
    let response = app
        .put_json(
            &format!("/api/admin/catalog/items/{}/draft", guide.code),
            Some(manager),
            &json!({ "guide": guide }),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn publish(
    app: &TestApp,
    manager: &User,
    code: &str,
    note: &str,
) -> crate::common::TestResponse {
    app.post_json(
        &format!("/api/admin/catalog/items/{code}/publish"),
        Some(manager),
        &json!({ "note": note }),
    )
    .await
}

async fn search(app: &TestApp, q: &str) -> ItemList {
    let response = app.get(&format!("/api/items?q={}", enc(q))).await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

both!(
    a_published_draft_changes_the_guide_and_the_search_at_once,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        // Warm the answer cache with the word the new version adds.
        assert!(search(&app, "证件快办窗").await.items.is_empty());

        let before = editor(&app, &manager, ITEM).await;
        assert_eq!(before.version, 1);
        assert!(before.draft.is_none());
        assert_eq!(before.versions.len(), 1);
        assert!(before
            .departments
            .iter()
            .any(|d| d.code == before.published.department));

        let mut guide = before.published.clone();
        guide.fee.description = "工本费 25 元/证（示范数据）".into();
        guide.materials[0].name = "居民身份证（原证）".into();
        guide.keywords.push("证件快办窗".into());
        let saved = save_draft(&app, &manager, &guide).await;
        assert_eq!(saved.draft.as_ref(), Some(&guide));
        assert!(saved.problems.is_empty(), "{:?}", saved.problems);
        let fee = saved
            .changes
            .iter()
            .find(|c| c.path == "fee.description")
            .expect("fee change listed");
        assert_eq!(fee.label, "收费 · 说明");
        assert_eq!(fee.after.as_deref(), Some("工本费 25 元/证（示范数据）"));
        assert!(saved
            .changes
            .iter()
            .any(|c| c.path == "materials[0].name" && c.label == "申报材料第 1 项 · 名称"));

        // Listed as having a draft; the public guide is still the published one.
        let list: CatalogAdminList = app
            .get_as(&manager, "/api/admin/catalog/items?drafts=1")
            .await
            .parse();
        assert_eq!(list.items.len(), 1);
        assert_eq!(list.items[0].code, ITEM);
        let public: ItemDetail = app.get(&format!("/api/items/{ITEM}")).await.parse();
        assert_ne!(public.guide.fee.description, guide.fee.description);

        let response = publish(&app, &manager, ITEM, "工本费调整（示范）").await;
        assert_eq!(response.status, 200, "{}", response.text());
        let published: Published = response.parse();
        assert_eq!(published.version, 2);
        assert!(published.revision > list.revision);

        let public: ItemDetail = app.get(&format!("/api/items/{ITEM}")).await.parse();
        assert_eq!(public.guide, guide);
        let found = search(&app, "证件快办窗").await;
        assert_eq!(found.items.first().map(|i| i.code.as_str()), Some(ITEM));

        let after = editor(&app, &manager, ITEM).await;
        assert_eq!(after.version, 2);
        assert!(after.draft.is_none() && after.changes.is_empty());
        assert_eq!(after.versions[0].version, 2);
        assert_eq!(after.versions[0].note, "工本费调整（示范）");
        assert!(after.versions[0].published_by.contains("manager"));

        let audit = sqlx::query("SELECT action, detail FROM audit_log WHERE action IN ('保存事项草稿', '发布事项') ORDER BY seq")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        let actions: Vec<String> = audit.iter().map(|r| r.get("action")).collect();
        assert_eq!(actions, ["保存事项草稿", "发布事项"]);
        let detail: String = audit[1].get("detail");
        assert!(
            detail.contains("第 2 版") && detail.contains(ITEM),
            "{detail}"
        );
    }
);

both!(
    a_wrong_edit_is_named_and_publishes_nothing,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let mut guide = editor(&app, &manager, ITEM).await.published;
        guide.statutory_days = 10;
        guide.promised_days = 12;
        guide.materials[1].when = [("nope".to_string(), vec!["x".to_string()])].into();
        // The draft is kept as typed, with what must change.
        let saved = save_draft(&app, &manager, &guide).await;
        assert!(saved.problems["promised_days"].contains("不能超过法定时限"));
        assert!(saved.problems["materials[1].when"].contains("nope"));

        let response = publish(&app, &manager, ITEM, "错误的修改").await;
        assert_eq!(response.status, 422, "{}", response.text());
        let body = response.json();
        assert_eq!(body["code"], "invalid_field");
        assert_eq!(
            body["fields"]["promised_days"],
            "承诺时限（12 个工作日）不能超过法定时限（10 个工作日）"
        );
        assert!(body["fields"]["materials[1].when"].is_string());
        let after = editor(&app, &manager, ITEM).await;
        assert_eq!(after.version, 1, "nothing published");
        assert_eq!(after.draft.as_ref(), Some(&guide), "the draft is not lost");

        // No note, or a code changed: named too.
        let response = publish(&app, &manager, ITEM, " ").await;
        assert_eq!(response.status, 422);
        assert!(response.json()["fields"]["note"].is_string());
        let mut renamed = guide.clone();
        renamed.code = "SFQ-GA-9999".into();
        let response = app
            .put_json(
                &format!("/api/admin/catalog/items/{ITEM}/draft"),
                Some(&manager),
                &json!({ "guide": renamed }),
            )
            .await;
        assert_eq!(response.status, 422);
        assert!(response.json()["fields"]["code"].is_string());

        // Discarding the draft leaves the published guide.
        let response = app
            .send(
                "DELETE",
                &format!("/api/admin/catalog/items/{ITEM}/draft"),
                Some(&manager),
                &[],
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(response.status, 204, "{}", response.text());
        assert!(editor(&app, &manager, ITEM).await.draft.is_none());
        let response = publish(&app, &manager, ITEM, "没有草稿").await;
        assert_eq!(response.status, 409);
    }
);

both!(
    an_older_version_is_restored_as_a_new_one,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let first = editor(&app, &manager, ITEM).await.published;
        let mut second = first.clone();
        second.fee.description = "工本费 30 元/证（示范数据）".into();
        save_draft(&app, &manager, &second).await;
        assert_eq!(publish(&app, &manager, ITEM, "调价").await.status, 200);

        let response = app
            .post_json(
                &format!("/api/admin/catalog/items/{ITEM}/versions/1/restore"),
                Some(&manager),
                &json!({ "note": "调价撤回" }),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.parse::<Published>().version, 3);
        let public: ItemDetail = app.get(&format!("/api/items/{ITEM}")).await.parse();
        assert_eq!(public.guide, first);
        let after = editor(&app, &manager, ITEM).await;
        assert_eq!(after.versions.len(), 3);
        assert_eq!(after.versions[0].restored_from, Some(1));
        let kept: ItemGuide = app
            .get_as(
                &manager,
                &format!("/api/admin/catalog/items/{ITEM}/versions/2"),
            )
            .await
            .parse();
        assert_eq!(kept, second);
        // The current version is not restored onto itself; an unknown one is 404.
        let restore = |v: u32| {
            let app = &app;
            let manager = &manager;
            async move {
                app.post_json(
                    &format!("/api/admin/catalog/items/{ITEM}/versions/{v}/restore"),
                    Some(manager),
                    &json!({ "note": "再次恢复" }),
                )
                .await
                .status
            }
        };
        assert_eq!(restore(3).await, 422);
        assert_eq!(restore(9).await, 404);
        let logged =
            sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = '恢复事项版本'")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
                .get::<i64, _>("n");
        assert_eq!(logged, 1);
    }
);

both!(
    only_managers_manage_the_catalog,
    |app: TestApp| async move {
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let manager = app.sign_in_staff("manager").await;
        let guide = editor(&app, &manager, ITEM).await.published;
        let body = serde_json::to_vec(&json!({ "guide": guide })).unwrap();
        let note = serde_json::to_vec(&json!({ "note": "x" })).unwrap();
        let calls: [(&str, String, Vec<u8>); 6] = [
            ("GET", "/api/admin/catalog/items".into(), vec![]),
            ("GET", format!("/api/admin/catalog/items/{ITEM}"), vec![]),
            (
                "PUT",
                format!("/api/admin/catalog/items/{ITEM}/draft"),
                body,
            ),
            (
                "POST",
                format!("/api/admin/catalog/items/{ITEM}/publish"),
                note.clone(),
            ),
            (
                "GET",
                format!("/api/admin/catalog/items/{ITEM}/versions/1"),
                vec![],
            ),
            (
                "POST",
                format!("/api/admin/catalog/items/{ITEM}/versions/1/restore"),
                note,
            ),
        ];
        for (method, uri, body) in calls {
            let headers = [("content-type", "application/json")];
            for (who, status) in [(Some(&reviewer), 403), (None, 401)] {
                let response = app
                    .send(
                        method,
                        &uri,
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
                assert!(response.json()["message"].is_string());
            }
        }
        assert!(editor(&app, &manager, ITEM).await.draft.is_none());
        let response = app
            .get_as(&manager, "/api/admin/catalog/items/SFQ-NOPE")
            .await;
        assert_eq!(response.status, 404);
    }
);

both!(
    a_submitted_case_keeps_the_version_it_was_filed_under,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001111").await;
        let (id, _) = submitted_case(&app, &user, GA_ITEM).await;

        let manager = app.sign_in_staff("manager").await;
        let mut guide = editor(&app, &manager, GA_ITEM).await.published;
        guide.materials[0].name = "居民身份证（第二版名称）".into();
        save_draft(&app, &manager, &guide).await;
        let response = publish(&app, &manager, GA_ITEM, "材料名称调整").await;
        assert_eq!(response.status, 200, "{}", response.text());

        let mine: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{id}"))
            .await
            .parse();
        assert_eq!(mine.guide_version, Some(1));
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let seen: CaseDetail = app
            .get_as(&reviewer, &format!("/api/staff/cases/{id}"))
            .await
            .parse();
        assert_eq!(seen.guide_version, Some(1));
        assert!(seen.materials.iter().any(|m| m.name == "居民身份证"));
        assert!(!seen.materials.iter().any(|m| m.name.contains("第二版")));

        // A case started now is filed under version 2.
        let (later, _) = submitted_case(&app, &user, GA_ITEM).await;
        let later: CaseDetail = app
            .get_as(&user, &format!("/api/applications/{later}"))
            .await
            .parse();
        assert_eq!(later.guide_version, Some(2));
        assert!(later.materials.iter().any(|m| m.name.contains("第二版")));
    }
);
