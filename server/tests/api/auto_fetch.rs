//! 自动获取: what the government already holds is never asked of the applicant. The hospital's
//! 分娩记录 (系统调取) is attached at submission; a company of the district's register, signed
//! in with its 统一社会信用代码, finds its 电子营业执照 already attached to a new application.

use app::api::{CaseDetail, CaseMaterial};
use serde_json::json;

use crate::both;
use crate::common::TestApp;
use crate::pre_review::{create_case, save, submit, upload, PDF};

/// 示范区民生便利店有限公司 in the demo register, and its 法定代表人's mobile.
const MINSHENG: &str = "91610113MA6MB0001N";
const MINSHENG_REP: &str = "13800138000";

fn material<'a>(detail: &'a CaseDetail, id: &str) -> &'a CaseMaterial {
    detail
        .materials
        .iter()
        .find(|m| m.material_id == id)
        .unwrap_or_else(|| panic!("no material {id}"))
}

both!(
    a_company_of_the_district_is_not_asked_for_its_licence,
    |app: TestApp| async move {
        let company = app.sign_in(MINSHENG_REP, Some(MINSHENG)).await;
        let draft = create_case(&app, &company, "SFQ-SJ-0514").await;
        let licence = material(&draft, "business_licence");
        assert!(!licence.required, "{licence:?}");
        let said = licence.auto_fetched.as_deref().expect("自动获取");
        assert!(said.contains("已自动获取"), "{said}");
        let file = licence
            .uploads
            .iter()
            .find(|u| u.current)
            .expect("attached");
        assert!(file.fetched.as_deref().unwrap().contains("电子营业执照"));
        assert_eq!(file.content_type, "application/pdf");
        // The other material is still the applicant's to upload.
        assert!(material(&draft, "filing_information").required);
        assert!(material(&draft, "filing_information")
            .auto_fetched
            .is_none());

        let id = draft.summary.id.clone();
        save(
            &app,
            &company,
            &id,
            &json!({ "form": {
                "company_name": "示范区民生便利店有限公司",
                "uscc": MINSHENG,
                "legal_rep_name": "张建国",
                "legal_rep_id": "110101199003077758",
                "contact_phone": MINSHENG_REP,
                "business_address": "示范区民生路88号1层"
            }, "answers": {} }),
        )
        .await;
        let uploaded = upload(&app, &company, &id, "filing_information", "备案.pdf", PDF).await;
        assert_eq!(uploaded.status, 200, "{}", uploaded.text());
        let submitted = submit(&app, &company, &id, "fetch-key-0001").await;
        assert_eq!(submitted.status, 200, "{}", submitted.text());

        // The reviewer opens the fetched licence like any upload and may accept it.
        let sj = app.sign_in_staff("sj_reviewer").await;
        let staff: CaseDetail = app
            .get_as(&sj, &format!("/api/staff/cases/{id}"))
            .await
            .parse();
        let licence = material(&staff, "business_licence");
        let file = licence
            .uploads
            .iter()
            .find(|u| u.current)
            .expect("attached");
        let opened = app.get_as(&sj, &format!("/api/files/{}", file.id)).await;
        assert_eq!(opened.status, 200);
        assert!(opened.body.starts_with(b"%PDF-"));
        let accepted = app
            .put_json(
                &format!("/api/staff/cases/{id}/materials/business_licence"),
                Some(&sj),
                &json!({ "verdict": "accepted" }),
            )
            .await;
        assert_eq!(accepted.status, 200, "{}", accepted.text());

        // A person (no company session) is asked for it as before.
        let person = app.sign_in_applicant("13900001234").await;
        let own = create_case(&app, &person, "SFQ-RS-0009").await;
        let asked = material(&own, "business_licence");
        assert!(asked.required && asked.auto_fetched.is_none() && asked.uploads.is_empty());
    }
);

both!(
    the_hospital_record_is_fetched_not_asked,
    |app: TestApp| async move {
        let parent = app.sign_in_applicant("13900005678").await;
        let draft = create_case(&app, &parent, "SFQ-WJ-0001").await;
        let id = draft.summary.id.clone();
        save(
            &app,
            &parent,
            &id,
            &json!({ "form": {
                "applicant_name": "周明远",
                "id_number": "110101199003077758",
                "phone": "13900005678",
                "address": "示范区文昌路8号1单元101室"
            }, "answers": { "place": "hospital" } }),
        )
        .await;
        let detail: CaseDetail = app
            .get_as(&parent, &format!("/api/applications/{id}"))
            .await
            .parse();
        let record = material(&detail, "delivery_record");
        assert!(!record.required && record.uploads.is_empty());
        assert!(record
            .auto_fetched
            .as_deref()
            .unwrap()
            .contains("提交时自动获取"));
        for m in ["birth_cert_form", "parents_id_cards"] {
            let response = upload(&app, &parent, &id, m, &format!("{m}.pdf"), PDF).await;
            assert_eq!(response.status, 200, "{}", response.text());
        }
        // Submitted without an upload of 分娩记录: the system attached it.
        let submitted = submit(&app, &parent, &id, "fetch-key-0002").await;
        assert_eq!(submitted.status, 200, "{}", submitted.text());
        let wj = app.sign_in_staff("wj_reviewer").await;
        let staff: CaseDetail = app
            .get_as(&wj, &format!("/api/staff/cases/{id}"))
            .await
            .parse();
        let record = material(&staff, "delivery_record");
        let file = record.uploads.iter().find(|u| u.current).expect("fetched");
        assert_eq!(file.fetched.as_deref(), Some("助产机构（系统调取）"));
        assert!(record
            .auto_fetched
            .as_deref()
            .unwrap()
            .contains("已自动获取"));
        assert_eq!(record.uploads.len(), 1);
    }
);
