//! 短信通知: status changes go to the applicant's phone by SMS (the development outbox), with
//! the 受理编号 and nothing else personal, and stop when the applicant turns them off. The phone
//! is the form's 手机号码 ("审核结果将发送到此手机号码"), here not the one signed in with.

use app::api::SmsNotices;
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::TestApp;
use crate::pre_review::{submit, submitted_case, upload, with_items, GA_ITEM, PDF};

/// The outbox texts to `phone` that mention `number`, oldest first.
async fn texts(app: &TestApp, phone: &str, number: &str) -> Vec<String> {
    sqlx::query("SELECT body FROM sms_outbox WHERE phone = $1 ORDER BY seq")
        .bind(phone)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("body"))
        .filter(|b| b.contains(number))
        .collect()
}

both!(
    status_changes_go_by_sms_until_turned_off,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13800138077").await;
        // `valid_form`'s 手机号码.
        let phone = "13900001111";
        let (id, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        let number = submitted.number.clone();
        let sent = texts(&app, phone, &number).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert!(sent[0].contains("已提交"), "{}", sent[0]);

        // On by default, and only the owner can see or change it.
        let url = format!("/api/applications/{id}/sms-notices");
        let setting: SmsNotices = app.get_as(&user, &url).await.parse();
        assert!(setting.enabled);
        let stranger = app.sign_in_applicant("13800138078").await;
        assert_eq!(app.get_as(&stranger, &url).await.status, 404);
        assert_eq!(app.get(&url).await.status, 401);

        assert!(texts(&app, "13800138077", &number).await.is_empty());

        // 需补正: one SMS with the 受理编号, no name or ID number.
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let deadline = server::clock::today_beijing().add_days(30).to_string();
        for (material, verdict) in [
            ("id_card", json!({ "verdict": "accepted" })),
            (
                "lease_contract",
                json!({ "verdict": "rejected", "reason": "合同缺少出租人签字" }),
            ),
            (
                "photo",
                json!({ "verdict": "tolerated", "deadline": deadline, "reason": "领证时补交" }),
            ),
        ] {
            let response = app
                .put_json(
                    &format!("/api/staff/cases/{id}/materials/{material}"),
                    Some(&reviewer),
                    &verdict,
                )
                .await;
            assert_eq!(response.status, 200, "{}", response.text());
        }
        let decision_url = format!("/api/staff/cases/{id}/decision");
        let returned = app
            .post_json(
                &decision_url,
                Some(&reviewer),
                &json!({ "action": "return", "note": "请一次补齐" }),
            )
            .await;
        assert_eq!(returned.status, 200, "{}", returned.text());
        let sent = texts(&app, phone, &number).await;
        assert_eq!(sent.len(), 2, "{sent:?}");
        let text = &sent[1];
        assert!(text.contains("需补正") && text.contains(&number), "{text}");
        for private in ["张小明", "110101199003077758", "租赁合同"] {
            assert!(!text.contains(private), "{text}");
        }

        // Turned off: the resubmission and the decision after it send nothing more.
        let off = app
            .put_json(&url, Some(&user), &json!({ "enabled": false }))
            .await;
        assert_eq!(off.status, 200, "{}", off.text());
        assert!(!off.parse::<SmsNotices>().enabled);
        let stranger_change = app
            .put_json(&url, Some(&stranger), &json!({ "enabled": true }))
            .await;
        assert_eq!(stranger_change.status, 404);
        assert!(!app.get_as(&user, &url).await.parse::<SmsNotices>().enabled);
        let reupload = upload(&app, &user, &id, "lease_contract", "lease-signed.pdf", PDF).await;
        assert_eq!(reupload.status, 200, "{}", reupload.text());
        let resubmitted = submit(&app, &user, &id, "sms-resubmit").await;
        assert_eq!(resubmitted.status, 200, "{}", resubmitted.text());
        let rejected = app
        .post_json(
            &decision_url,
            Some(&reviewer),
            &json!({ "action": "reject", "note": "申请人不属于本区居民", "legal_basis": "《示范区测试条例》第一条" }),
        )
        .await;
        assert_eq!(rejected.status, 200, "{}", rejected.text());
        assert_eq!(texts(&app, phone, &number).await.len(), 2);
        // The in-app messages go on.
        let messages: app::api::MessageList = app.get_as(&user, "/api/messages").await.parse();
        assert!(messages.messages.len() >= 3);
    }
);

#[test]
fn texts_name_the_number_only() {
    use app::api::CaseStatus;
    use server::workflow::notices::status_text;
    for status in [
        CaseStatus::Submitted,
        CaseStatus::Approved,
        CaseStatus::Returned,
        CaseStatus::Rejected,
        CaseStatus::Completed,
    ] {
        let text = status_text(status, "SFQ20261201000001").unwrap();
        assert!(text.contains("受理编号 SFQ20261201000001"), "{text}");
        assert!(text.chars().count() <= 70, "one SMS: {text}");
    }
    assert!(status_text(CaseStatus::Draft, "X").is_none());
    assert!(status_text(CaseStatus::Withdrawn, "X").is_none());
}
