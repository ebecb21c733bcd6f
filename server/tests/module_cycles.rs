//! The server's top-level modules import each other in one direction only: reads every
//! `crate::<module>` path in `server/src/**/*.rs` (outside comments and test modules) and fails
//! on a cycle between top-level modules — the workflow (`workflow`) sits below `cases` and
//! `bundles`, `clock` below `sites` and `appointments`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to; `None` for the crate root and the binaries.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.as_str() {
        "lib.rs" | "main.rs" | "bin" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// The top-level modules named by `crate::<name>` in the code of `text`.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("#[cfg(test)]") {
            break; // the tests of a module may use anything
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                found.insert(name);
            }
            rest = after;
        }
    }
    found
}

/// Edges of cycles this test does not yet hold the code to (left for later work): remove an
/// entry when its cycle is gone.
const KNOWN: &[(&str, &str)] = &[];

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for to in imports(&text) {
            let known = KNOWN.iter().any(|&(a, b)| a == from && b == to);
            if to != from && modules.contains(&to) && !known {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// One cycle through `start`, if any (depth-first).
fn cycle_from(
    edges: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let here = path.last().unwrap().clone();
    for next in edges.get(&here).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(start.to_string());
            return Some(cycle);
        }
        if !path.contains(next) {
            path.push(next.clone());
            if let Some(c) = cycle_from(edges, start, path) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let edges = graph();
    assert!(
        edges.get("cases").is_some_and(|e| e.contains("workflow")),
        "the scan found no `crate::workflow` use in `cases`: {edges:?}"
    );
    let cycles: Vec<String> = edges
        .keys()
        .filter_map(|m| cycle_from(&edges, m, &mut vec![m.clone()]))
        .map(|c| c.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between top-level modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_workflow_imports_no_route_module() {
    let edges = graph();
    let workflow = edges.get("workflow").cloned().unwrap_or_default();
    for routes in ["cases", "bundles", "sites", "appointments", "openapi"] {
        assert!(
            !workflow.contains(routes),
            "workflow imports {routes}: {workflow:?}"
        );
    }
}
