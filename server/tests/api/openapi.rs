//! The OpenAPI document states what the API answers: every operation is called — signed out, as
//! an applicant, as a reviewer and as the manager, with an empty, a malformed and a cross-site
//! request — and each answer's status must be one the operation lists, in the one error shape.
//! A handler that gains an answer (or a route that loses its `401`) fails here, in `cargo test`,
//! before schemathesis (`.ci/schemathesis`) finds it.

use axum::body::Body;
use serde_json::Value;

use crate::both;
use crate::common::{TestApp, User};

const STATE_CHANGING: [&str; 4] = ["post", "put", "patch", "delete"];

/// `(method, path, operation)` of every operation in the document.
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                all.push((method.clone(), path.clone(), operation.clone()));
            }
        }
    }
    all
}

fn listed(operation: &Value) -> Vec<String> {
    operation["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

/// `path` with each `{parameter}` replaced by a value that names nothing.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') {
                "nothing-here"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn body_type(operation: &Value) -> Option<&str> {
    operation["requestBody"]["content"]
        .as_object()
        .and_then(|c| c.keys().next())
        .map(String::as_str)
}

/// One request of [`every_answer_is_listed`]: what it is, as whom, its headers and body.
type Probe<'a> = (String, Option<&'a User>, Vec<(&'a str, &'a str)>, Vec<u8>);

both!(every_answer_is_listed, |app: TestApp| async move {
    let spec = app.get("/api/openapi.json").await.json();
    let applicant = app.sign_in_applicant("13800138000").await;
    let reviewer = app.sign_in_staff("ga_reviewer").await;
    let manager = app.sign_in_staff("manager").await;
    let who: [(&str, Option<&User>); 4] = [
        ("signed out", None),
        ("applicant", Some(&applicant)),
        ("reviewer", Some(&reviewer)),
        ("manager", Some(&manager)),
    ];
    let mut unlisted = Vec::new();
    for (method, path, operation) in operations(&spec) {
        let uri = concrete(&path);
        let statuses = listed(&operation);
        let verb = method.to_uppercase();
        let body_kind = body_type(&operation);
        let mut requests: Vec<Probe> = Vec::new();
        for (name, user) in who {
            // Signing out would end the session the other requests use.
            if user.is_some() && path == "/api/auth/logout" {
                continue;
            }
            let same_site = vec![("origin", "http://portal.test")];
            match body_kind {
                Some("application/json") => {
                    let json = vec![
                        ("origin", "http://portal.test"),
                        ("content-type", "application/json"),
                    ];
                    requests.push((format!("{name}, {{}}"), user, json.clone(), b"{}".to_vec()));
                    requests.push((format!("{name}, not JSON"), user, json, b"{".to_vec()));
                    requests.push((format!("{name}, no body"), user, same_site, Vec::new()));
                }
                Some(_) => requests.push((
                    format!("{name}, upload"),
                    user,
                    same_site,
                    b"%PDF-".to_vec(),
                )),
                None => requests.push((name.to_string(), user, same_site, Vec::new())),
            }
            if STATE_CHANGING.contains(&method.as_str()) {
                requests.push((
                    format!("{name}, from another site"),
                    user,
                    vec![("origin", "https://elsewhere.example")],
                    Vec::new(),
                ));
            }
        }
        for (what, user, headers, body) in requests {
            let answer = app
                .send(&verb, &uri, user, &headers, Body::from(body))
                .await;
            let status = answer.status.as_u16().to_string();
            if !statuses.contains(&status) {
                unlisted.push(format!(
                    "{verb} {path} ({what}) answered {status}, lists {statuses:?}: {}",
                    answer.text()
                ));
            } else if answer.status.is_client_error() || answer.status.is_server_error() {
                let error = answer.json();
                assert!(
                    error["code"].is_string() && error["message"].is_string(),
                    "{verb} {path} ({what}): not the one error shape: {error}"
                );
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "answers the document does not list:\n{}",
        unlisted.join("\n")
    );
});

both!(
    error_answers_are_documented_in_the_one_shape,
    |app: TestApp| async move {
        let spec = app.get("/api/openapi.json").await.json();
        for (method, path, operation) in operations(&spec) {
            let statuses = listed(&operation);
            let has = |status: &str| statuses.iter().any(|s| s == status);
            let name = format!("{} {path}", method.to_uppercase());
            // What the layers around every handler answer.
            for status in ["408", "500"] {
                assert!(has(status), "{name} does not list {status}");
            }
            if STATE_CHANGING.contains(&method.as_str()) {
                assert!(has("403"), "{name} does not list the cross-site 403");
            }
            match body_type(&operation) {
                Some("application/json") => {
                    assert!(
                        has("400") && has("413"),
                        "{name}: a JSON body can be refused with 400 and 413"
                    )
                }
                Some(other) => {
                    assert_eq!(other, "application/octet-stream", "{name}");
                    assert!(
                        has("413") && has("415"),
                        "{name}: an upload can be refused with 413 and 415"
                    );
                    assert!(
                        operation["requestBody"]["content"][other]["schema"]["type"] != "array",
                        "{name}: a file is not a JSON array of numbers"
                    );
                }
                None => {}
            }
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if parameters.iter().any(|p| p["in"] == "path") {
                assert!(
                    has("400") && has("404"),
                    "{name}: a path segment can be unreadable or name nothing"
                );
            }
            if parameters
                .iter()
                .any(|p| p["in"] == "query" || p["in"] == "header")
            {
                assert!(has("400"), "{name}: a parameter can be malformed");
            }
            for status in &statuses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema =
                        &operation["responses"][status]["content"]["application/json"]["schema"];
                    assert_eq!(
                        schema["$ref"], "#/components/schemas/ApiError",
                        "{name} {status} is not described as ApiError"
                    );
                }
            }
        }
    }
);

both!(
    parameters_state_their_patterns_and_ranges,
    |app: TestApp| async move {
        let spec = app.get("/api/openapi.json").await.json();
        let parameter = |path: &str, name: &str| -> Value {
            spec["paths"][path]["get"]["parameters"]
                .as_array()
                .and_then(|all| all.iter().find(|p| p["name"] == name).cloned())
                .unwrap_or_else(|| panic!("{path} has no parameter {name}"))["schema"]
                .clone()
        };
        assert_eq!(parameter("/api/items", "limit")["minimum"], 1);
        assert_eq!(parameter("/api/items", "limit")["maximum"], 100);
        assert_eq!(
            parameter("/api/items", "audience")["pattern"],
            "^(personal|business)$"
        );
        assert_eq!(parameter("/api/calendar/due", "from")["format"], "date");
        assert_eq!(
            parameter("/api/calendar/due", "working_days")["maximum"],
            365
        );
        assert_eq!(parameter("/api/track", "phone4")["pattern"], r"^\d{4}$");
        assert_eq!(
            parameter("/api/sites/{code}/slots", "date")["format"],
            "date"
        );
        let level = parameter("/api/sites", "level");
        let level = if level["$ref"].is_string() {
            spec["components"]["schemas"]["SiteLevel"].clone()
        } else {
            level
        };
        assert_eq!(
            level["enum"],
            serde_json::json!(["hall", "street", "community", "station"])
        );
        assert_eq!(
            spec["components"]["schemas"]["OtpLogin"]["properties"]["code"]["pattern"],
            r"^\d{6}$"
        );
    }
);
