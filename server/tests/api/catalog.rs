//! 办事指南: catalog integrity, search, browse, guide and forms.

use app::api::{CatalogOverview, Form, ItemDetail, ItemList};
use server::catalog::data::CatalogData;

use crate::both;
use crate::common::{enc, TestApp};

async fn search(app: &TestApp, q: &str) -> ItemList {
    let response = app.get(&format!("/api/items?q={}&limit=10", enc(q))).await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

fn names(list: &ItemList) -> Vec<&str> {
    list.items.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn demo_catalog_is_complete_and_consistent() {
    let data = CatalogData::demo().expect("demo catalog parses and its references resolve");
    assert!(data.items.len() >= 60, "only {} items", data.items.len());
    assert!(data.departments.len() >= 12);
    let used: std::collections::HashSet<_> = data.items.iter().map(|i| &i.department).collect();
    assert!(
        used.len() >= 12,
        "items use only {} departments",
        used.len()
    );
    for audience in [app::api::Audience::Personal, app::api::Audience::Business] {
        assert!(data.items.iter().filter(|i| i.audience == audience).count() >= 20);
    }
    for item in &data.items {
        let code = &item.code;
        assert!(!item.legal_basis.is_empty(), "{code}: legal basis");
        assert!(!item.conditions.is_empty(), "{code}: conditions");
        assert!(!item.materials.is_empty(), "{code}: materials");
        assert!((2..=6).contains(&item.steps.len()), "{code}: steps");
        assert!(!item.places.is_empty(), "{code}: places");
        assert!(
            !item.consult_phone.is_empty() && !item.complaint_phone.is_empty(),
            "{code}: phones"
        );
        assert!(
            !item.result.is_empty() && !item.summary.is_empty(),
            "{code}: result, summary"
        );
        assert!(!item.themes.is_empty(), "{code}: themes");
        // A proxy's papers are asked only when someone else applies (a 情形 answer).
        for m in &item.materials {
            if m.name.contains("授权委托书") || m.name.contains("代理人") {
                assert!(!m.when.is_empty(), "{code}: {} asked of everyone", m.id);
            }
        }
        if item.statutory_days > 0 {
            assert!(
                item.promised_days <= item.statutory_days,
                "{code}: promised ≤ statutory"
            );
        }
    }
    assert!(
        data.items
            .iter()
            .filter(|i| !i.situations.is_empty())
            .count()
            >= 10
    );
    assert!(
        data.items
            .iter()
            .flat_map(|i| &i.materials)
            .filter(|m| m.blank_form.is_some())
            .count()
            >= 20
    );
    for theme in &data.themes {
        assert!(
            data.items.iter().any(|i| i.themes.contains(&theme.code)),
            "theme {} is empty",
            theme.code
        );
    }
}

both!(
    overview_lists_departments_themes_and_popular_items,
    |app: TestApp| async move {
        let response = app.get("/api/catalog").await;
        assert_eq!(response.status, 200);
        let overview: CatalogOverview = response.parse();
        assert_eq!(overview.district, "示范区");
        assert!(overview.demo);
        assert!(overview.item_count >= 60);
        assert!(overview.departments.iter().filter(|d| d.items > 0).count() >= 12);
        assert!(overview.themes.iter().any(|t| t.name == "生育收养"));
        assert!(overview.popular.len() >= 8);
    }
);

both!(
    search_finds_chinese_pinyin_initials_and_everyday_words,
    |app: TestApp| async move {
        let birth = search(&app, "出生").await;
        assert!(birth.total >= 2);
        assert!(
            names(&birth)
                .iter()
                .take(3)
                .any(|n| n.contains("出生医学证明")),
            "{:?}",
            names(&birth)
        );

        let pinyin = search(&app, "chusheng").await;
        assert!(
            names(&pinyin).iter().take(3).any(|n| n.contains("出生")),
            "{:?}",
            names(&pinyin)
        );

        let initials = search(&app, "csyxzm").await;
        assert!(
            initials.items[0].name.contains("出生医学证明"),
            "{:?}",
            names(&initials)
        );

        let everyday = search(&app, "生孩子").await;
        assert!(everyday.total >= 2);
        assert!(
            everyday.items.iter().any(|i| i.name.contains("出生")),
            "{:?}",
            names(&everyday)
        );
        assert!(
            everyday.items[0].matched.is_some(),
            "an everyday word says what it matched"
        );

        let lost_card = search(&app, "身份证丢了").await;
        assert!(
            lost_card.items[0].name.contains("身份证"),
            "{:?}",
            names(&lost_card)
        );

        let company = search(&app, "开公司").await;
        assert!(
            names(&company)
                .iter()
                .take(3)
                .any(|n| n.contains("设立登记")),
            "{:?}",
            names(&company)
        );

        let retire = search(&app, "退休").await;
        assert!(retire.total >= 2, "{:?}", names(&retire));
    }
);

both!(search_tolerates_small_typos, |app: TestApp| async move {
    let wrong_char = search(&app, "身分证").await;
    assert!(
        wrong_char.total >= 1 && wrong_char.items[0].name.contains("身份证"),
        "{:?}",
        names(&wrong_char)
    );
    let wrong_letter = search(&app, "chushemg").await;
    assert!(
        names(&wrong_letter).iter().any(|n| n.contains("出生")),
        "{:?}",
        names(&wrong_letter)
    );
});

both!(empty_search_offers_suggestions, |app: TestApp| async move {
    let nothing = search(&app, "宇宙飞船驾驶执照").await;
    assert_eq!(nothing.total, 0);
    assert!(nothing.items.is_empty());
    assert!(!nothing.suggestions.is_empty());
    for suggestion in &nothing.suggestions {
        assert!(
            search(&app, suggestion).await.total > 0,
            "suggestion {suggestion} finds nothing"
        );
    }
});

both!(
    browse_by_theme_department_and_audience,
    |app: TestApp| async move {
        let birth: ItemList = app.get("/api/items?theme=birth&limit=100").await.parse();
        assert!(birth.total >= 3);
        let police: ItemList = app.get("/api/items?department=ga&limit=100").await.parse();
        assert!(police.items.iter().all(|i| i.department_code == "ga"));
        assert!(police.total >= 3);
        let business: ItemList = app
            .get("/api/items?audience=business&limit=100")
            .await
            .parse();
        assert!(business
            .items
            .iter()
            .all(|i| i.audience != app::api::Audience::Personal));
        let paged: ItemList = app
            .get("/api/items?audience=business&limit=5&offset=5")
            .await
            .parse();
        assert_eq!(paged.items.len(), 5);
        assert_eq!(paged.total, business.total);
        assert_eq!(paged.items[0].code, business.items[5].code);
    }
);

both!(
    malformed_queries_name_the_parameter,
    |app: TestApp| async move {
        for (uri, field) in [
            ("/api/items?limit=0", "limit"),
            ("/api/items?limit=abc", "limit"),
            ("/api/items?offset=-1", "offset"),
            ("/api/items?audience=alien", "audience"),
        ] {
            let response = app.get(uri).await;
            assert_eq!(response.status, 400, "{uri}");
            let error = response.json();
            assert_eq!(error["code"], "invalid_field");
            assert!(
                error["fields"][field].as_str().unwrap().contains(field),
                "{uri}: {error}"
            );
            assert!(error["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
    }
);

both!(
    guide_has_every_field_and_unknown_item_is_404,
    |app: TestApp| async move {
        let list: ItemList = app
            .get(&format!("/api/items?q={}", enc("居民身份证")))
            .await
            .parse();
        let code = &list.items[0].code;
        let response = app.get(&format!("/api/items/{code}")).await;
        assert_eq!(response.status, 200);
        let detail: ItemDetail = response.parse();
        assert_eq!(&detail.guide.code, code);
        assert!(detail.demo);
        assert!(
            !detail.guide.situations.is_empty(),
            "the ID card guide asks about the situation"
        );
        assert_eq!(detail.department.code, detail.guide.department);
        assert!(!detail.themes.is_empty());

        let missing = app.get("/api/items/SFQ-XX-9999").await;
        assert_eq!(missing.status, 404);
        let error = missing.json();
        assert_eq!(error["code"], "not_found");
        assert!(error["message"].as_str().unwrap().contains("SFQ-XX-9999"));
    }
);

both!(every_referenced_form_is_served, |app: TestApp| async move {
    let data = CatalogData::demo().unwrap();
    let mut checked = 0;
    for item in &data.items {
        let detail: ItemDetail = app.get(&format!("/api/items/{}", item.code)).await.parse();
        for form in &detail.forms {
            let response = app.get(&format!("/api/forms/{}", form.code)).await;
            assert_eq!(response.status, 200, "{}", form.code);
            let document: Form = response.parse();
            assert!(!document.sections.is_empty());
            assert!(document
                .sections
                .iter()
                .flat_map(|s| &s.fields)
                .all(|f| !f.sample.is_empty()));
            checked += 1;
        }
    }
    assert!(checked >= 20);
    assert_eq!(app.get("/api/forms/F-NONE").await.status, 404);
});

both!(
    search_answers_bundles_best_first,
    |app: TestApp| async move {
        for (q, bundle) in [
            ("生孩子", "出生一件事"),
            ("开饭店", "开饭店"),
            ("二手房", "二手房转移登记"),
            ("人去世了", "身后一件事"),
            ("上小学", "入学一件事"),
        ] {
            let list = search(&app, q).await;
            let first = list.bundles.first().map(|b| b.name.as_str());
            assert_eq!(first, Some(bundle), "{q}: {:?}", list.bundles);
            assert!(list.bundles.len() <= 3);
        }
        let birth = search(&app, "生孩子").await;
        assert_eq!(birth.bundles[0].code, "birth");
        assert_eq!(birth.bundles[0].audience, app::api::Audience::Personal);
        assert!(!birth.bundles[0].summary.is_empty());
        // Items are still answered beside them.
        assert!(birth.total >= 1);
        // An unrelated word, browsing without a word, and a later page answer no bundle.
        assert!(search(&app, "护照").await.bundles.is_empty());
        let browse: ItemList = app.get("/api/items?limit=5").await.parse();
        assert!(browse.bundles.is_empty());
        let page_two: ItemList = app
            .get(&format!("/api/items?q={}&offset=1", enc("生孩子")))
            .await
            .parse();
        assert!(page_two.bundles.is_empty());
        // The audience filter applies to bundles too.
        let business: ItemList = app
            .get(&format!("/api/items?q={}&audience=personal", enc("开饭店")))
            .await
            .parse();
        assert!(business.bundles.iter().all(|b| b.code != "restaurant"));
    }
);

both!(
    search_folds_traditional_characters,
    |app: TestApp| async move {
        for (traditional, simplified) in [("營業執照", "营业执照"), ("身份証", "身份证")]
        {
            let folded = search(&app, traditional).await;
            let plain = search(&app, simplified).await;
            assert!(folded.total >= 1, "{traditional}");
            assert_eq!(names(&folded), names(&plain), "{traditional}");
            assert_eq!(folded.bundles, plain.bundles, "{traditional}");
        }
        let licence = search(&app, "營業執照").await;
        assert_eq!(
            licence.bundles.first().map(|b| b.code.as_str()),
            Some("company"),
            "{:?}",
            licence.bundles
        );
        let restaurant = search(&app, "開飯店").await;
        assert_eq!(restaurant.bundles[0].name, "开饭店");
        let house = search(&app, "二手房轉移登記").await;
        assert_eq!(house.bundles[0].code, "second_hand_house");
    }
);

both!(item_detail_names_its_bundles, |app: TestApp| async move {
    let bundle: app::api::BundleDetail = app.get("/api/bundles/birth").await.parse();
    let member = &bundle.bundle.members[0].item_code;
    let detail: ItemDetail = app.get(&format!("/api/items/{member}")).await.parse();
    assert!(
        detail
            .bundles
            .iter()
            .any(|b| b.code == "birth" && b.name == "出生一件事"),
        "{:?}",
        detail.bundles
    );
});
