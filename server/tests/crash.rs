//! Crash safety of 网上预审 submission: the real server binary is killed with SIGKILL while a
//! submission is in flight, then restarted; resubmitting with the same Idempotency-Key gives
//! exactly one complete case with all its files.

mod binary;

use std::path::PathBuf;
use std::time::Duration;

use app::api::{CaseDetail, CaseList, Submitted};
use binary::{database_url, filled_draft, http, sha256_hex, sign_in, tiny_pdf, Server};

#[test]
fn submission_survives_sigkill_and_is_never_duplicated() {
    let dir: PathBuf = std::env::temp_dir().join(format!("bst-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = Server::start(&dir);
    let port = server.port;

    // Sign in with the code the development SMS sender wrote to its outbox.
    let cookie = sign_in(port, &database_url(&dir));

    // A draft with every field filled and every required material uploaded.
    let (draft, required) = filled_draft(port, &cookie);
    let id = draft.summary.id.clone();
    for (n, material) in required.iter().enumerate() {
        let path = format!("/api/applications/{id}/materials/{material}?name=m{n}.pdf");
        let uploaded = http(port, "PUT", &path, &[("Cookie", &cookie)], &tiny_pdf(n)).unwrap();
        assert_eq!(
            uploaded.status,
            200,
            "{}",
            String::from_utf8_lossy(&uploaded.body)
        );
    }

    // Kill the server while the submission is in flight, at several moments, restarting each time.
    let key = "crash-test-key-0001";
    let submit_path = format!("/api/applications/{id}/submit");
    for delay_ms in [0u64, 1, 3, 8] {
        let (cookie, path) = (cookie.clone(), submit_path.clone());
        let request = std::thread::spawn(move || {
            http(
                port,
                "POST",
                &path,
                &[
                    ("Cookie", &cookie),
                    ("Idempotency-Key", key),
                    ("Content-Type", "application/json"),
                ],
                b"{}",
            )
        });
        std::thread::sleep(Duration::from_millis(delay_ms));
        server.kill();
        let _ = request.join();
        server = Server::start(&dir);
    }
    let port = server.port;

    // The same key now gives one submitted case; asking again gives the same answer.
    let first = http(
        port,
        "POST",
        &submit_path,
        &[("Cookie", &cookie), ("Idempotency-Key", key)],
        b"",
    )
    .unwrap();
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let first: Submitted = serde_json::from_slice(&first.body).unwrap();
    let again = http(
        port,
        "POST",
        &submit_path,
        &[("Cookie", &cookie), ("Idempotency-Key", key)],
        b"",
    )
    .unwrap();
    assert_eq!(again.status, 200);
    let again: Submitted = serde_json::from_slice(&again.body).unwrap();
    assert_eq!(first, again);

    let mine: CaseList = serde_json::from_slice(
        &http(
            port,
            "GET",
            "/api/applications",
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap()
        .body,
    )
    .unwrap();
    assert_eq!(mine.cases.len(), 1, "exactly one case");
    assert_eq!(mine.cases[0].number.as_deref(), Some(first.number.as_str()));

    let detail: CaseDetail = serde_json::from_slice(
        &http(
            port,
            "GET",
            &format!("/api/applications/{id}"),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap()
        .body,
    )
    .unwrap();
    assert_eq!(detail.summary.status, app::api::CaseStatus::Submitted);
    assert_eq!(
        detail
            .timeline
            .iter()
            .filter(|e| e.title == "提交申请")
            .count(),
        1,
        "one submission event"
    );
    for material in detail.materials.iter().filter(|m| m.required) {
        let upload = material
            .uploads
            .iter()
            .find(|u| u.current)
            .expect("current upload kept");
        let file = http(
            port,
            "GET",
            &format!("/api/files/{}", upload.id),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap();
        assert_eq!(file.status, 200);
        let digest = sha256_hex(&file.body);
        assert_eq!(digest, upload.sha256, "{} intact", material.material_id);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
