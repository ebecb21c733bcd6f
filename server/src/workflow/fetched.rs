//! 自动获取: the materials the government already holds are attached to a case by the system
//! (`app::rules::auto_fetch` says which): a hospital's record fetched from its own system, and
//! the company's 电子营业执照 issued in the district. Each is a generated document stored like
//! every file ([`files::store_generated`]) and attached as the material's current upload with
//! `fetched` saying where it came from, so the reviewer opens it like any upload and the
//! applicant is never asked for it. A material that already has a current file is left alone.

use std::collections::BTreeMap;

use app::api::ItemGuide;
use app::rules::auto_fetch::{system_record, AutoFetch, BUSINESS_LICENCE};
use app::rules::form::form_for;
use app::rules::tailor::{tailor, Answers};
use sqlx::AnyConnection;

use super::{files, pdf};
use crate::error::AppResult;
use crate::AppState;

/// Where a fetched 电子营业执照 comes from, as its upload row says.
pub const LICENCE_SOURCE: &str = "电子营业执照（本区核发，企业登记簿）";

async fn has_current(tx: &mut AnyConnection, case_id: &str, material_id: &str) -> AppResult<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM uploads WHERE case_id = $1 AND material_id = $2 AND is_current = 1",
    )
    .bind(case_id)
    .bind(material_id)
    .fetch_optional(&mut *tx)
    .await?
    .is_some())
}

#[allow(clippy::too_many_arguments)]
async fn attach(
    state: &AppState,
    tx: &mut AnyConnection,
    case_id: &str,
    material_id: &str,
    title: &str,
    lines: &[String],
    fetched: &str,
    now: &str,
) -> AppResult<()> {
    let pdf = pdf::document(title, lines);
    let mut file = files::store_generated(state, &pdf, &format!("{title}.pdf"), now).await?;
    file.fetched = Some(fetched.to_string());
    files::attach(
        tx,
        files::Owner::Case(case_id),
        material_id,
        &files::stored(&file),
        now,
    )
    .await?;
    Ok(())
}

/// The records the issuing bodies' own systems hold (分娩记录 …), for the materials the case
/// needs under `answers`: a document of what the system fetched, with the form's facts.
#[allow(clippy::too_many_arguments)]
pub async fn attach_system_records(
    state: &AppState,
    tx: &mut AnyConnection,
    case_id: &str,
    guide: &ItemGuide,
    answers: &Answers,
    form: &BTreeMap<String, String>,
    now: &str,
) -> AppResult<()> {
    for material in tailor(guide, answers)
        .materials
        .into_iter()
        .map(|m| m.item)
        .filter(system_record)
    {
        if has_current(tx, case_id, &material.id).await? {
            continue;
        }
        let mut lines = vec![
            format!("材料：{}", material.name),
            format!("来源：{}", material.source),
            format!("事项：{}（{}）", guide.name, guide.code),
            String::new(),
        ];
        for spec in form_for(guide) {
            if let Some(value) = form.get(&spec.id).filter(|v| !v.trim().is_empty()) {
                lines.push(format!("{}：{}", spec.label, value.trim()));
            }
        }
        lines.push(String::new());
        lines.push(format!("{}。", AutoFetch::SystemRecord.words()));
        lines.push("示范数据：调取记录由系统生成，不具法律效力。".into());
        attach(
            state,
            tx,
            case_id,
            &material.id,
            &format!("{}（系统调取）", material.name),
            &lines,
            &material.source,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The 电子营业执照 of `uscc`, a company active in the district's register, when the item asks
/// for a 营业执照 (under any answers: they may still change in the draft). `false` when the
/// company is not in the register (nothing attached).
pub async fn attach_licence(
    state: &AppState,
    tx: &mut AnyConnection,
    case_id: &str,
    guide: &ItemGuide,
    uscc: &str,
    now: &str,
) -> AppResult<bool> {
    let Some(material) = guide.materials.iter().find(|m| m.id == BUSINESS_LICENCE) else {
        return Ok(false);
    };
    let Some(company) = crate::companies::registered(tx, uscc).await? else {
        return Ok(false);
    };
    if has_current(tx, case_id, &material.id).await? {
        return Ok(true);
    }
    let issued = company
        .registered_at
        .get(..10)
        .unwrap_or(&company.registered_at);
    let lines = vec![
        format!("企业名称：{}", company.name),
        format!("统一社会信用代码：{uscc}"),
        format!("法定代表人：{}", company.legal_rep_name),
        format!("登记日期：{issued}"),
        "登记机关：示范区市场监督管理局".to_string(),
        String::new(),
        format!("{}。", AutoFetch::DistrictLicence.words()),
        "示范数据，不具法律效力。".into(),
    ];
    attach(
        state,
        tx,
        case_id,
        &material.id,
        &format!("{}（电子证照）", material.name),
        &lines,
        LICENCE_SOURCE,
        now,
    )
    .await?;
    Ok(true)
}
