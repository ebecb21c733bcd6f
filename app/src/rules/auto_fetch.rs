//! 自动获取: a material the government itself already holds is never asked of the applicant.
//!
//! Two kinds: a record the issuing body keeps in its own system (the hospital's 分娩记录,
//! “医院内部系统调取”: its `source` says 系统调取 or 内部调取), which the system attaches to the
//! case whoever applies; and the company's own 营业执照 when the applicant acts for a company in
//! the district's register (signed in with its 统一社会信用代码), whose 电子营业执照 was issued
//! here. Such a material is not 必传: the apply form and the guide say 自动获取, and the case
//! carries the fetched document for the reviewer like any upload.

use crate::api::Material;

/// The material id of a 营业执照 in every item that asks for one.
pub const BUSINESS_LICENCE: &str = "business_licence";

/// Where a material comes from instead of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoFetch {
    /// Kept in the issuing body's own system (分娩记录: 医院内部系统调取).
    SystemRecord,
    /// The company's 电子营业执照, issued in the district (本区企业登记簿).
    DistrictLicence,
}

impl AutoFetch {
    /// What the applicant and the reviewer read about it, one sentence.
    pub fn words(self) -> &'static str {
        match self {
            AutoFetch::SystemRecord => "由系统从出具单位的业务系统调取，无需上传",
            AutoFetch::DistrictLicence => "本区核发的电子营业执照，由系统自动获取，无需上传",
        }
    }
}

/// Whether the material is a record its issuing body's own system holds.
pub fn system_record(material: &Material) -> bool {
    material.source.contains("系统调取") || material.source.contains("内部调取")
}

/// How `material` is fetched for an applicant; `company_here` when the applicant acts for a
/// company registered (and active) in the district.
pub fn auto_fetch(material: &Material, company_here: bool) -> Option<AutoFetch> {
    if system_record(material) {
        Some(AutoFetch::SystemRecord)
    } else if company_here && material.id == BUSINESS_LICENCE {
        Some(AutoFetch::DistrictLicence)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Medium;

    fn material(id: &str, source: &str) -> Material {
        Material {
            id: id.into(),
            name: id.into(),
            originals: 1,
            copies: 0,
            medium: Medium::Electronic,
            source: source.into(),
            tolerance: false,
            pledge: false,
            e_licence: true,
            note: None,
            blank_form: None,
            has_sample: false,
            when: Default::default(),
        }
    }

    #[test]
    fn hospital_records_are_fetched_for_everyone() {
        let record = material("delivery_record", "助产机构（系统调取）");
        assert_eq!(auto_fetch(&record, false), Some(AutoFetch::SystemRecord));
        assert_eq!(auto_fetch(&record, true), Some(AutoFetch::SystemRecord));
        assert!(!system_record(&material("household_register", "公安机关")));
    }

    #[test]
    fn the_licence_only_for_a_company_of_the_district() {
        let licence = material(BUSINESS_LICENCE, "市场监督管理部门核发");
        assert_eq!(auto_fetch(&licence, false), None);
        assert_eq!(auto_fetch(&licence, true), Some(AutoFetch::DistrictLicence));
        assert_eq!(
            auto_fetch(&material("lease_contract", "申请人自备"), true),
            None
        );
    }
}
