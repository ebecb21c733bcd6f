//! The three file stores behind `FILE_STORE` — the local folder, the database (chunked rows) and
//! S3-compatible object storage — each through the same interface and through the API, and
//! `files migrate` between them.
//!
//! The S3 tests run against the S3-compatible server at `TEST_S3_ENDPOINT` (`.ci/test` starts
//! moto's); without it they are skipped with a note, unless `BANSHITONG_REQUIRE_S3` says it
//! must be there, and then they fail.

use axum::body::Bytes;
use futures_util::StreamExt as _;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::both;
use crate::common::TestApp;
use crate::pre_review::{create_case, save, upload, valid_form, with_items, GA_ITEM, PDF};
use server::workflow::file_store::{digest, migrate, Migrated, DB_CHUNK};
use server::workflow::files::FileStore;

/// `len` bytes that start like a PDF, different for each `seed`.
fn content(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect();
    bytes[..8].copy_from_slice(b"%PDF-1.7");
    bytes
}

fn sha(bytes: &[u8]) -> String {
    server::secrets::sha256_hex(bytes)
}

/// Writes `bytes` in 64 KiB pieces and names the file.
async fn write(store: &FileStore, bytes: &[u8]) -> String {
    let mut writer = store.writer().await.unwrap();
    for piece in bytes.chunks(64 * 1024) {
        writer.write(Bytes::copy_from_slice(piece)).await.unwrap();
    }
    let name = sha(bytes);
    writer.finish(&name).await.unwrap();
    name
}

/// The whole file, and the size of its largest chunk as the store streamed it.
async fn read(store: &FileStore, name: &str) -> Option<(Vec<u8>, usize)> {
    let mut stream = store.open(name).await.unwrap()?;
    let mut all = Vec::new();
    let mut largest = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        largest = largest.max(chunk.len());
        all.extend_from_slice(&chunk);
    }
    Some((all, largest))
}

/// What every store must do: write streamed, name by sha256, read back streamed, store the
/// same content once, leave nothing of an aborted or dropped write, list what is complete.
async fn behaves_as_a_store(store: &FileStore, big: usize) {
    store.check().await.unwrap();
    let one = content(1, big);
    let two = content(2, 100);
    let name = write(store, &one).await;
    assert!(store.exists(&name).await.unwrap());
    let (back, _) = read(store, &name).await.unwrap();
    assert!(back == one, "read back what was written");
    assert_eq!(
        digest(store, &name).await.unwrap(),
        Some((name.clone(), big as u64))
    );
    // The same content again is the same file.
    assert_eq!(write(store, &one).await, name);
    let small = store.put_bytes(&two).await.unwrap();
    assert_eq!(small, sha(&two));
    assert_eq!(read(store, &small).await.unwrap().0, two);

    // Neither an aborted nor a dropped write leaves a file.
    let three = content(3, 300_000);
    let mut aborted = store.writer().await.unwrap();
    aborted.write(Bytes::from(three.clone())).await.unwrap();
    aborted.abort().await;
    let mut dropped = store.writer().await.unwrap();
    dropped.write(Bytes::from(content(4, 1000))).await.unwrap();
    drop(dropped);
    assert!(!store.exists(&sha(&three)).await.unwrap());
    assert!(read(store, &sha(&three)).await.is_none());
    assert!(read(store, &"0".repeat(64)).await.is_none());
    assert!(read(store, "../../etc/passwd").await.is_none());

    let mut expected = vec![name, small];
    expected.sort();
    assert_eq!(store.list().await.unwrap(), expected);
}

both!(
    the_local_store_keeps_files_in_its_folder,
    |app: TestApp| async move {
        let dir = app.upload_dir().join("local-store");
        let store = FileStore::local(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        behaves_as_a_store(&store, 3 * 1024 * 1024 + 17).await;
        let one = sha(&content(1, 3 * 1024 * 1024 + 17));
        assert_eq!(
            std::fs::read(dir.join(&one)).unwrap(),
            content(1, 3 * 1024 * 1024 + 17),
            "stored as <dir>/<sha256>"
        );
        // The dropped write is cleaned up in the background; then the temporary folder is empty.
        let tmp = dir.join("tmp");
        let mut left = Vec::new();
        for _ in 0..50 {
            left = std::fs::read_dir(&tmp)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            if left.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(left.is_empty(), "left in tmp: {left:?}");
    }
);

both!(
    the_database_store_keeps_files_in_chunks,
    |app: TestApp| async move {
        let store = FileStore::database(&app.state.db);
        let size = 3 * DB_CHUNK + 5;
        behaves_as_a_store(&store, size).await;
        let pool = &app.state.db.pool;
        let name = sha(&content(1, size));
        let rows = sqlx::query(
        "SELECT c.seq, LENGTH(c.data) AS n FROM file_chunks c JOIN stored_files f ON f.id = c.file_id \
         WHERE f.sha256 = $1 ORDER BY c.seq",
    )
    .bind(&name)
    .fetch_all(pool)
    .await
    .unwrap();
        let sizes: Vec<i64> = rows.iter().map(|r| r.get::<i64, _>("n")).collect();
        let chunk = DB_CHUNK as i64;
        assert_eq!(sizes, [chunk, chunk, chunk, 5], "rows of 256 KiB");
        let (_, largest) = read(&store, &name).await.unwrap();
        assert_eq!(largest, DB_CHUNK, "read a row at a time");

        // The dropped write is removed in the background; an abandoned one (a crash) by age.
        let mut incomplete = i64::MAX;
        for _ in 0..50 {
            incomplete = sqlx::query("SELECT COUNT(*) AS n FROM stored_files WHERE sha256 IS NULL")
                .fetch_one(pool)
                .await
                .unwrap()
                .get("n");
            if incomplete == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(incomplete, 0);
        let mut crashed = store.writer().await.unwrap();
        crashed.write(Bytes::from(content(5, 1000))).await.unwrap();
        std::mem::forget(crashed);
        sqlx::query(
            "UPDATE stored_files SET created_at = '2020-01-01T00:00:00Z' WHERE sha256 IS NULL",
        )
        .execute(pool)
        .await
        .unwrap();
        let mut recent = store.writer().await.unwrap();
        recent.write(Bytes::from(content(6, 1000))).await.unwrap();
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(store.remove_incomplete(hour).await.unwrap(), 1);
        let chunks: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM file_chunks WHERE file_id NOT IN (SELECT id FROM stored_files)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
    .get("n");
        assert_eq!(chunks, 0, "no chunk outlives its file");
        recent.finish(&sha(&content(6, 1000))).await.unwrap();
        assert!(store.exists(&sha(&content(6, 1000))).await.unwrap());
    }
);

/// A case's upload and download through the API with `store` as the server's file store.
async fn upload_and_download(app: TestApp, store: FileStore) -> (TestApp, String) {
    let app = app.rebuild(|s| s.files = store.clone());
    with_items(&app).await;
    let user = app.sign_in_applicant("13900007001").await;
    let id = create_case(&app, &user, GA_ITEM).await.summary.id;
    save(&app, &user, &id, &valid_form()).await;
    let bytes = content(7, 2 * 1024 * 1024 + 3);
    let response = upload(&app, &user, &id, "id_card", "身份证.pdf", &bytes).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let info = response.json();
    assert_eq!(info["sha256"], sha(&bytes));
    assert!(store.exists(&sha(&bytes)).await.unwrap());
    let download = app
        .get_as(
            &user,
            &format!("/api/files/{}", info["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(download.status, 200, "{}", download.text());
    assert!(download.body == bytes, "downloaded what was uploaded");
    // A refused upload (not a PDF, JPG or PNG) leaves nothing in the store.
    let before = store.list().await.unwrap();
    let refused = upload(
        &app,
        &user,
        &id,
        "photo",
        "a.exe",
        b"MZ\x90\0 not a picture",
    )
    .await;
    assert_eq!(refused.status, 415);
    assert_eq!(store.list().await.unwrap(), before);
    // Nothing went to the local folder.
    let local: Vec<_> = std::fs::read_dir(app.upload_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    assert!(local.is_empty(), "in the folder: {local:?}");
    (app, sha(&bytes))
}

both!(
    uploads_and_downloads_go_through_the_database_store,
    |app: TestApp| async move {
        let store = FileStore::database(&app.state.db);
        upload_and_download(app, store).await;
    }
);

both!(
    files_migrate_between_stores_verified_and_resumable,
    |app: TestApp| async move {
        let dir = app.upload_dir().join("from");
        std::fs::create_dir_all(&dir).unwrap();
        let local = FileStore::local(&dir);
        let database = FileStore::database(&app.state.db);
        let names = [
            write(&local, &content(1, 10)).await,
            write(&local, &content(2, DB_CHUNK * 2 + 1)).await,
            write(&local, PDF).await,
        ];
        // An interrupted earlier run: one file already there.
        write(&database, &content(2, DB_CHUNK * 2 + 1)).await;
        let mut seen = Vec::new();
        let done = migrate(&local, &database, |name, copied| {
            seen.push((name.to_string(), copied))
        })
        .await
        .unwrap();
        assert_eq!(
            done,
            Migrated {
                copied: 2,
                present: 1
            }
        );
        assert_eq!(seen.len(), 3);
        for name in &names {
            assert_eq!(digest(&database, name).await.unwrap().unwrap().0, *name);
        }
        // Again: nothing to do.
        let again = migrate(&local, &database, |_, _| {}).await.unwrap();
        assert_eq!(
            again,
            Migrated {
                copied: 0,
                present: 3
            }
        );
        // And back into another folder.
        let other = FileStore::local(app.upload_dir().join("to"));
        let back = migrate(&database, &other, |_, _| {}).await.unwrap();
        assert_eq!(back.copied, 3);
        assert_eq!(other.list().await.unwrap(), database.list().await.unwrap());

        // A damaged source file is refused, and not copied under its name.
        let damaged = "a".repeat(64);
        std::fs::write(dir.join(&damaged), b"not what its name says").unwrap();
        let fresh = FileStore::local(app.upload_dir().join("fresh"));
        let error = migrate(&local, &fresh, |_, _| {}).await.unwrap_err();
        assert!(error.to_string().contains("damaged"), "{error}");
        assert!(!fresh.exists(&damaged).await.unwrap());
    }
);

/// The S3 store of a new bucket at `TEST_S3_ENDPOINT`, or `None` (with a note) if there is no
/// such server and none is required.
async fn s3_store() -> Option<FileStore> {
    Some(FileStore::s3(&s3_bucket().await?).unwrap())
}

/// The `FILE_STORE` URL of a new bucket at `TEST_S3_ENDPOINT`, or `None` (with a note) if there
/// is no such server and none is required.
pub async fn s3_bucket() -> Option<String> {
    let Some(endpoint) = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        assert!(
            std::env::var_os("BANSHITONG_REQUIRE_S3").is_none(),
            "BANSHITONG_REQUIRE_S3 is set but TEST_S3_ENDPOINT is not: the S3 tests must run"
        );
        eprintln!("note: TEST_S3_ENDPOINT is not set, S3 store test skipped");
        return None;
    };
    let bucket = format!(
        "bst-{}",
        server::secrets::new_id().to_lowercase().replace('_', "-")
    )
    .chars()
    .take(40)
    .collect::<String>();
    create_bucket(&endpoint, &bucket).await;
    // The test server takes any credentials.
    for (name, value) in [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    Some(format!(
        "s3://{bucket}/files?endpoint={}&region=us-east-1",
        crate::common::enc(&endpoint)
    ))
}

/// `PUT /<bucket>` on the S3-compatible test server (which does not check signatures).
async fn create_bucket(endpoint: &str, bucket: &str) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = endpoint
        .strip_prefix("http://")
        .expect("TEST_S3_ENDPOINT is http://host:port")
        .trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(host)
        .await
        .unwrap_or_else(|e| panic!("S3 test server at {endpoint}: {e}"));
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "create bucket: {answer}"
    );
}

both!(
    the_s3_store_keeps_files_in_a_bucket,
    |app: TestApp| async move {
        let Some(store) = s3_store().await else {
            return;
        };
        // A bucket that does not exist is not a working store.
        let endpoint = std::env::var("TEST_S3_ENDPOINT").unwrap();
        let missing = FileStore::s3(&format!(
            "s3://no-such-bucket-here?endpoint={}&region=us-east-1",
            crate::common::enc(&endpoint)
        ))
        .unwrap();
        assert!(missing.check().await.is_err());
        // Over 5 MiB: more than one part of a multipart upload.
        behaves_as_a_store(&store, 6 * 1024 * 1024 + 1).await;
        let (app, name) = upload_and_download(app, store.clone()).await;
        // From S3 into the database and back out, verified.
        let database = FileStore::database(&app.state.db);
        let done = migrate(&store, &database, |_, _| {}).await.unwrap();
        assert_eq!(done.copied, 3);
        assert!(database.exists(&name).await.unwrap());
        let mut hasher = Sha256::new();
        let mut stream = database.open(&name).await.unwrap().unwrap();
        while let Some(chunk) = stream.next().await {
            hasher.update(chunk.unwrap());
        }
        assert_eq!(server::secrets::hex(&hasher.finalize()), name);
    }
);

// `server files migrate` run as an operator runs it: from the folder into the database, then
// again (nothing left to copy); a wrong store name is refused with the usage.
both!(
    files_migrate_command_moves_the_folder_into_the_database,
    |app: TestApp| async move {
        let dir = app.upload_dir().join("operator");
        std::fs::create_dir_all(&dir).unwrap();
        let local = FileStore::local(&dir);
        let names = [
            write(&local, &content(8, 700_000)).await,
            write(&local, PDF).await,
        ];
        let run = |from: &str, to: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["files", "migrate", "--from", from, "--to", to])
                .env("DATABASE_URL", &app.url)
                .env("UPLOAD_DIR", &dir)
                .env("RUST_LOG", "error")
                .output()
                .unwrap()
        };
        let moved = run("local", "database");
        let said = String::from_utf8_lossy(&moved.stdout).into_owned();
        assert!(
            moved.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&moved.stderr)
        );
        assert!(said.contains("复制并校验 2 个文件，0 个已存在"), "{said}");
        let database = FileStore::database(&app.state.db);
        for name in &names {
            assert_eq!(digest(&database, name).await.unwrap().unwrap().0, *name);
        }
        let again = run("local", "database");
        let said = String::from_utf8_lossy(&again.stdout).into_owned();
        assert!(said.contains("复制并校验 0 个文件，2 个已存在"), "{said}");
        let wrong = run("ftp://x", "database");
        assert_eq!(wrong.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&wrong.stderr).contains("FILE_STORE=ftp://x"));
    }
);
