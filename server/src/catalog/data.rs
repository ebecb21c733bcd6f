//! A whole catalog as files: the demo district shipped in `server/demo/`, and its integrity check.

use std::collections::{BTreeSet, HashMap, HashSet};

use app::api::{Department, Form, ItemGuide, Theme};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct District {
    /// e.g. `示范区`.
    pub district: String,
    /// The label every page shows for fictional content.
    pub note: String,
    /// Item codes of the 高频事项, most used first.
    #[serde(default)]
    pub popular: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CatalogData {
    pub district: District,
    pub departments: Vec<Department>,
    pub themes: Vec<Theme>,
    pub items: Vec<ItemGuide>,
    pub forms: Vec<Form>,
}

macro_rules! demo_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../../demo/", $name)))
    };
}

fn parse<T: serde::de::DeserializeOwned>((name, text): (&str, &str)) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("demo/{name}: {e}"))
}

impl CatalogData {
    /// The fictional 示范区 catalog compiled into the binary.
    pub fn demo() -> Result<CatalogData, String> {
        let mut items: Vec<ItemGuide> = parse(demo_file!("items-personal.json"))?;
        items.extend(parse::<Vec<ItemGuide>>(demo_file!("items-business.json"))?);
        let mut forms: Vec<Form> = parse(demo_file!("forms-personal.json"))?;
        forms.extend(parse::<Vec<Form>>(demo_file!("forms-business.json"))?);
        let data = CatalogData {
            district: parse(demo_file!("district.json"))?,
            departments: parse(demo_file!("departments.json"))?,
            themes: parse(demo_file!("themes.json"))?,
            items,
            forms,
        };
        match data.problems().as_slice() {
            [] => Ok(data),
            problems => Err(format!(
                "demo catalog is inconsistent:\n{}",
                problems.join("\n")
            )),
        }
    }

    /// Every broken reference or duplicate in the catalog, as readable lines.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let departments: HashSet<&str> = self.departments.iter().map(|d| d.code.as_str()).collect();
        let themes: HashSet<&str> = self.themes.iter().map(|t| t.code.as_str()).collect();
        let forms: HashMap<&str, &Form> = self.forms.iter().map(|f| (f.code.as_str(), f)).collect();
        let mut codes = HashSet::new();
        for item in &self.items {
            let code = &item.code;
            if !codes.insert(code.as_str()) {
                problems.push(format!("{code}: duplicate item code"));
            }
            if !departments.contains(item.department.as_str()) {
                problems.push(format!("{code}: unknown department {}", item.department));
            }
            for theme in &item.themes {
                if !themes.contains(theme.as_str()) {
                    problems.push(format!("{code}: unknown theme {theme}"));
                }
            }
            if item.promised_days > item.statutory_days && item.statutory_days > 0 {
                problems.push(format!("{code}: promised days exceed statutory days"));
            }
            let mut material_ids = BTreeSet::new();
            for material in &item.materials {
                if !material_ids.insert(material.id.as_str()) {
                    problems.push(format!("{code}: duplicate material id {}", material.id));
                }
                if let Some(form) = &material.blank_form {
                    match forms.get(form.as_str()) {
                        None => problems.push(format!("{code}: unknown form {form}")),
                        Some(f) if !f.items.contains(code) => {
                            problems.push(format!("{code}: form {form} does not list this item"))
                        }
                        Some(_) => {}
                    }
                }
            }
            let whens = item
                .conditions
                .iter()
                .map(|c| &c.when)
                .chain(item.materials.iter().map(|m| &m.when))
                .chain(item.steps.iter().map(|s| &s.when))
                .chain(item.tips.iter().map(|t| &t.when));
            for when in whens {
                for (question, values) in when {
                    let Some(situation) = item.situations.iter().find(|s| &s.id == question) else {
                        problems.push(format!("{code}: condition on unknown question {question}"));
                        continue;
                    };
                    for value in values {
                        if !situation.options.iter().any(|o| &o.value == value) {
                            problems.push(format!("{code}: {question} has no option {value}"));
                        }
                    }
                }
            }
        }
        for popular in &self.district.popular {
            if !codes.contains(popular.as_str()) {
                problems.push(format!(
                    "district.json: popular item {popular} does not exist"
                ));
            }
        }
        problems
    }

    /// Rank used for 高频事项 and as a search tie-break: listed popular items first.
    pub fn popularity(&self, code: &str) -> i64 {
        let n = self.district.popular.len();
        self.district
            .popular
            .iter()
            .position(|c| c == code)
            .map_or(0, |i| (n - i) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::rules::catalog::{check_guide, CatalogRefs};

    /// A manager who opens a demo item and publishes it unchanged is not refused: every demo
    /// guide passes the checks that publication applies.
    #[test]
    fn every_demo_guide_passes_the_publication_checks() {
        let data = CatalogData::demo().unwrap();
        let refs = CatalogRefs {
            departments: data.departments.iter().map(|d| d.code.clone()).collect(),
            themes: data.themes.iter().map(|t| t.code.clone()).collect(),
            forms: data.forms.iter().map(|f| f.code.clone()).collect(),
        };
        let problems: Vec<String> = data
            .items
            .iter()
            .flat_map(|g| {
                check_guide(g, &refs)
                    .into_iter()
                    .map(move |(path, message)| format!("{} {path}: {message}", g.code))
            })
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
