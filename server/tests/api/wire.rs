//! Every wire type family, as the server sends it, read by the client's own types.
//!
//! `TestResponse::parse` decodes an answer with serde_json into its `app::api` type — exactly
//! what the browser client does — and asserts that encoding it again gives back the very JSON
//! that was sent, so a field the client's type lacks or drops fails here, not in a browser.

use app::api::*;

use crate::both;
use crate::common::TestApp;

both!(every_family_round_trips, |app: TestApp| async move {
    // 办事指南.
    let _: CatalogOverview = app.get("/api/catalog").await.parse();
    let found: ItemList = app
        .get("/api/items?q=%E5%87%BA%E7%94%9F&limit=5")
        .await
        .parse();
    assert!(found.total > 0);
    let _: ItemDetail = app.get("/api/items/SFQ-GA-0002").await.parse();
    let _: Form = app.get("/api/forms/F-GA-0001").await.parse();
    let due: DueDate = app
        .get("/api/calendar/due?from=2026-12-01&working_days=5")
        .await
        .parse();
    assert!(!due.due.is_empty());

    // 一件事一次办.
    let _: BundleList = app.get("/api/bundles").await.parse();
    let _: BundleDetail = app.get("/api/bundles/birth").await.parse();
    let _: BusinessScopeList = app.get("/api/business-scopes").await.parse();

    // 政务服务地图.
    let _: SiteList = app.get("/api/sites").await.parse();
    let _: SiteDetail = app.get("/api/sites/HALL").await.parse();
    let _: DistrictMap = app.get("/api/map").await.parse();
    let _: Coverage = app.get("/api/sites/coverage").await.parse();
    let _: SiteList = app.get("/api/items/SFQ-GA-0002/sites").await.parse();

    // 网上预审, the applicant.
    let applicant = app.sign_in_applicant("13800138000").await;
    let me: Me = app.get_as(&applicant, "/api/me").await.parse();
    assert!(matches!(me, Me::Applicant { .. }));
    let _: CaseList = app.get_as(&applicant, "/api/applications").await.parse();
    let _: MessageList = app.get_as(&applicant, "/api/messages").await.parse();
    let _: AppointmentList = app.get_as(&applicant, "/api/appointments").await.parse();
    let created = app
        .post_json(
            "/api/bundle-applications",
            Some(&applicant),
            &NewBundleApplication {
                bundle_code: "birth".into(),
                answers: Default::default(),
            },
        )
        .await;
    let bundle: BundleApplicationDetail = created.parse();
    let _: BundleApplicationDetail = app
        .get_as(
            &applicant,
            &format!("/api/bundle-applications/{}", bundle.id),
        )
        .await
        .parse();
    let _: BundleApplicationList = app
        .get_as(&applicant, "/api/bundle-applications")
        .await
        .parse();

    // Staff and managers.
    let reviewer = app.sign_in_staff("ga_reviewer").await;
    let me: Me = app.get_as(&reviewer, "/api/me").await.parse();
    assert!(matches!(me, Me::Staff { .. }));
    let _: CaseList = app.get_as(&reviewer, "/api/staff/cases").await.parse();
    let manager = app.sign_in_staff("manager").await;
    let _: CaseList = app
        .get_as(&manager, "/api/manager/supervision")
        .await
        .parse();
    let _: FollowUpList = app.get_as(&manager, "/api/manager/ratings").await.parse();
    let _: BundleApplicationList = app.get_as(&manager, "/api/manager/bundles").await.parse();
    let stats: Stats = app.get_as(&manager, "/api/admin/stats").await.parse();
    assert_eq!(stats.months.len(), 12);

    // The one error shape.
    let missing: ApiError = app.get("/api/items/SFQ-XX-9999").await.parse();
    assert!(!missing.message.is_empty());
});
