//! Catalog export and import, and the 四级四同 check: the JSON export imports back with no
//! problem and no change; a broken file lists every problem by row and field and writes
//! nothing; a real import writes drafts only (all or nothing, audited); the CSV opens in Excel;
//! the demo standard list's differences; reviewers are refused.

use app::api::{
    CatalogEditor, CatalogExport, DifferenceKind, ImportChange, ImportReport, StandardCheck,
};
use axum::body::Body;
use sqlx::Row;

use crate::both;
use crate::common::{TestApp, TestResponse, User};

async fn export_json(app: &TestApp, manager: &User) -> (TestResponse, CatalogExport) {
    let response = app
        .get_as(manager, "/api/admin/catalog/export?format=json")
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let document = response.parse();
    (response, document)
}

async fn import(app: &TestApp, manager: &User, dry_run: bool, body: Vec<u8>) -> TestResponse {
    app.send(
        "POST",
        &format!("/api/admin/catalog/import?dry_run={dry_run}"),
        Some(manager),
        &[("content-type", "application/json")],
        Body::from(body),
    )
    .await
}

async fn drafts(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM item_drafts")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get("n")
}

both!(
    the_json_export_imports_back_without_problems_or_changes,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let (response, document) = export_json(&app, &manager).await;
        assert!(response
            .header("content-type")
            .starts_with("application/json"));
        let disposition = response.header("content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\"catalog-"),
            "{disposition}"
        );
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert_eq!(document.district, "示范区");
        assert_eq!(document.items.len(), 77);

        let dry = import(&app, &manager, true, response.body.clone()).await;
        assert_eq!(dry.status, 200, "{}", dry.text());
        let report: ImportReport = dry.parse();
        assert!(report.dry_run);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.items.len(), 77);
        assert!(report
            .items
            .iter()
            .all(|i| i.change == ImportChange::Unchanged && i.changes.is_empty()));

        // Importing it for real writes nothing either: there is nothing to change.
        let real: ImportReport = import(&app, &manager, false, response.body.clone())
            .await
            .parse();
        assert_eq!(real.drafts_saved, 0);
        assert_eq!(drafts(&app).await, 0);
    }
);

both!(
    a_broken_file_lists_every_problem_by_row_and_field_and_writes_nothing,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let (_, mut document) = export_json(&app, &manager).await;
        // Row 1: a fee change that is fine. Row 2: 承诺 above 法定 and a material without a
        // name. Row 4: a copy of row 3's code.
        document.items[0].fee.description = "工本费 25 元/证（示范数据）".into();
        document.items[1].statutory_days = 5;
        document.items[1].promised_days = 9;
        document.items[1].materials[0].name = " ".into();
        document.items[3].code = document.items[2].code.clone();
        let mut value = serde_json::to_value(&document).unwrap();
        // Row 5: a number where a number of days belongs is text; row 6: a material's form
        // is not one of the allowed ones; row 7 has a misspelt field.
        value["items"][4]["statutory_days"] = "二十".into();
        value["items"][5]["materials"][1]["medium"] = "fax".into();
        value["items"][6]["promise_days"] = 3.into();
        let body = serde_json::to_vec(&value).unwrap();

        let report: ImportReport = import(&app, &manager, true, body.clone()).await.parse();
        let found = |row: usize, field: &str| {
            report
                .problems
                .iter()
                .find(|p| p.row == row && p.field == field)
                .unwrap_or_else(|| panic!("row {row} {field}: {:?}", report.problems))
        };
        let promised = found(2, "promised_days");
        assert_eq!(promised.code, document.items[1].code);
        assert_eq!(promised.label, "承诺时限");
        assert!(
            promised.message.contains("不能超过法定时限"),
            "{}",
            promised.message
        );
        assert_eq!(
            found(2, "materials[0].name").label,
            "申报材料第 1 项 · 名称"
        );
        assert!(found(4, "code").message.contains("与第 3 个事项的编码重复"));
        assert!(found(5, "statutory_days").message.contains("整数"));
        assert!(found(6, "materials[1]").message.contains("“fax”无效"));
        assert!(found(7, "promise_days").message.contains("不认识的字段"));
        assert!(!report.problems.iter().any(|p| p.row == 1));
        let first = &report.items[0];
        assert_eq!(first.change, ImportChange::Changed);
        assert!(first.changes.iter().any(|c| c.path == "fee.description"));

        // Not a dry run: refused as a whole, the fine row included.
        let refused = import(&app, &manager, false, body).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        let fields = &refused.json()["fields"];
        assert!(fields["items[1].promised_days"]
            .as_str()
            .unwrap()
            .starts_with("第 2 个事项"));
        assert_eq!(drafts(&app).await, 0);

        // A file that is not an export at all.
        let report: ImportReport = import(&app, &manager, true, b"{\"items\": 3}".to_vec())
            .await
            .parse();
        let fields: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.row, p.field.as_str()))
            .collect();
        assert_eq!(fields, vec![(0, "format"), (0, "items")]);
        let report: ImportReport = import(&app, &manager, true, b"not json".to_vec())
            .await
            .parse();
        assert!(report.problems[0].message.contains("不是有效的 JSON"));
    }
);

both!(
    a_valid_import_saves_drafts_only_and_is_audited,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let (_, mut document) = export_json(&app, &manager).await;
        let code = document.items[0].code.clone();
        document.items[0].fee.description = "工本费 25 元/证（示范数据）".into();
        let body = serde_json::to_vec(&document).unwrap();

        let report: ImportReport = import(&app, &manager, false, body).await.parse();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.drafts_saved, 1);
        let changed: Vec<_> = report
            .items
            .iter()
            .filter(|i| i.change == ImportChange::Changed)
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(changed, vec![code.as_str()]);

        // A draft, not live: the public guide still has the published fee.
        let editor: CatalogEditor = app
            .get_as(&manager, &format!("/api/admin/catalog/items/{code}"))
            .await
            .parse();
        assert_eq!(
            editor.draft.unwrap().fee.description,
            "工本费 25 元/证（示范数据）"
        );
        assert_eq!(editor.version, 1);
        let public = app.get(&format!("/api/items/{code}")).await.json();
        assert_ne!(
            public["guide"]["fee"]["description"],
            "工本费 25 元/证（示范数据）"
        );
        let audit =
            sqlx::query("SELECT actor, detail FROM audit_log WHERE action = '导入事项草稿'")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert!(audit.get::<String, _>("actor").contains("manager"));
        assert_eq!(
            audit.get::<String, _>("detail"),
            format!("1 个事项：{code}")
        );

        // Importing the same file again reports the draft it would replace.
        let (_, mut again) = export_json(&app, &manager).await;
        again.items[0].fee.description = "工本费 30 元/证（示范数据）".into();
        let report: ImportReport =
            import(&app, &manager, true, serde_json::to_vec(&again).unwrap())
                .await
                .parse();
        assert!(report.items[0].replaces_draft);
    }
);

both!(the_csv_exports_open_in_excel, |app: TestApp| async move {
    let manager = app.sign_in_staff("manager").await;
    let items = app
        .get_as(&manager, "/api/admin/catalog/export?format=csv")
        .await;
    assert_eq!(items.status, 200, "{}", items.text());
    assert_eq!(items.header("content-type"), "text/csv; charset=utf-8");
    assert!(items
        .header("content-disposition")
        .contains("filename=\"catalog-items-"));
    assert!(items.body.starts_with("\u{feff}".as_bytes()));
    let text = items.text();
    let rows = app::rules::csv::records(&text).unwrap();
    assert_eq!(
        &rows[0][..4],
        ["事项编码", "事项名称", "事项类型", "实施部门"]
    );
    assert_eq!(rows.len(), 78);
    let id_card = rows.iter().find(|r| r[0] == "SFQ-GA-0001").unwrap();
    assert_eq!(id_card[1], "居民身份证申领、换领、补领");
    // Several 设定依据 in one cell, one per line, quoted.
    assert!(id_card[7].contains('\n'));
    assert!(text.contains("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\r'));

    let materials = app
        .get_as(
            &manager,
            "/api/admin/catalog/export?format=csv&part=materials",
        )
        .await;
    assert_eq!(materials.status, 200);
    assert!(materials
        .header("content-disposition")
        .contains("filename=\"catalog-materials-"));
    let rows = app::rules::csv::records(&materials.text()).unwrap();
    assert_eq!(
        &rows[0][..5],
        ["事项编码", "事项名称", "序号", "材料编号", "材料名称"]
    );
    assert!(rows
        .iter()
        .any(|r| r[0] == "SFQ-GA-0001" && r[3] == "id_card"));

    let bad = app
        .get_as(&manager, "/api/admin/catalog/export?format=xlsx")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["fields"]["format"]
        .as_str()
        .unwrap()
        .contains("json 或 csv"));
});

both!(
    the_demo_standard_list_shows_its_differences,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let check: StandardCheck = app
            .get_as(&manager, "/api/admin/catalog/standard")
            .await
            .parse();
        let list = check.list.as_ref().expect("demo list loaded");
        assert!(list.demo && list.source.contains("示范"));
        assert_eq!(list.entries, 77);
        assert_eq!(check.compared, 76);
        let found: Vec<_> = check
            .differences
            .iter()
            .map(|d| (d.code.as_str(), d.kind))
            .collect();
        assert_eq!(
            found,
            vec![
                ("SFQ-GA-0004", DifferenceKind::BasisDiffers),
                ("SFQ-GA-0007", DifferenceKind::NameDiffers),
                ("SFQ-GA-0008", DifferenceKind::MissingItem),
                ("SFQ-GA-0501", DifferenceKind::TypeDiffers),
                ("SFQ-MZ-0003", DifferenceKind::NameDiffers),
                ("SFQ-SJ-0503", DifferenceKind::NotInStandard),
            ]
        );
        let name = &check.differences[1];
        assert_eq!(name.standard, "开具无犯罪记录证明");
        assert_eq!(name.catalog, "无犯罪记录证明开具");

        // A manager's own list replaces it; a bad row is named and nothing is replaced.
        let bad = "事项编码,事项名称,事项类型,设定依据\r\nSFQ-GA-0001,居民身份证申领、换领、补领,行政审批,《中华人民共和国居民身份证法》\r\n";
        let refused = app
            .send(
                "PUT",
                "/api/admin/catalog/standard?source=bad.csv",
                Some(&manager),
                &[("content-type", "text/csv")],
                Body::from(bad),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert!(refused.json()["fields"]["entries[0].item_type"]
            .as_str()
            .unwrap()
            .starts_with("第 2 行"));
        let good = bad.replace("行政审批", "行政确认");
        let loaded = app
            .send(
                "PUT",
                "/api/admin/catalog/standard?source=%E7%9C%81%E6%B8%85%E5%8D%95.csv",
                Some(&manager),
                &[("content-type", "text/csv")],
                Body::from(good),
            )
            .await;
        assert_eq!(loaded.status, 200, "{}", loaded.text());
        let check: StandardCheck = loaded.parse();
        let list = check.list.unwrap();
        assert_eq!(
            (list.source.as_str(), list.demo, list.entries),
            ("省清单.csv", false, 1)
        );
        assert_eq!(check.compared, 1);
        assert_eq!(check.differences.len(), 76);
        assert!(check
            .differences
            .iter()
            .all(|d| d.kind == DifferenceKind::NotInStandard));
    }
);

both!(
    reviewers_cannot_export_or_import,
    |app: TestApp| async move {
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        for (method, url) in [
            ("GET", "/api/admin/catalog/export?format=json"),
            ("GET", "/api/admin/catalog/export?format=csv&part=materials"),
            ("POST", "/api/admin/catalog/import?dry_run=true"),
            ("GET", "/api/admin/catalog/standard"),
            ("PUT", "/api/admin/catalog/standard"),
        ] {
            for (who, status) in [(Some(&reviewer), 403), (None, 401)] {
                let response = app
                    .send(
                        method,
                        url,
                        who,
                        &[("content-type", "application/json")],
                        Body::from("[]"),
                    )
                    .await;
                assert_eq!(response.status, status, "{method} {url}");
            }
        }
        assert_eq!(drafts(&app).await, 0);
    }
);
