//! Where stored files live, chosen by `FILE_STORE`: one interface ([`FileStore`]) over three
//! stores, so every server of a deployment finds every file.
//!
//! * `local`: a folder (`UPLOAD_DIR`), the default with SQLite — `<dir>/<sha256>`, written aside
//!   as `<dir>/tmp/<id>.part` and renamed (fsynced) when complete.
//! * `database`: the database itself, the default with PostgreSQL — rows of
//!   [`DB_CHUNK`] bytes in `file_chunks` (migration 0009), written and read one row at a time.
//! * `s3://bucket[/prefix]?endpoint=…&region=…`: S3-compatible object storage (MinIO, Aliyun
//!   OSS, Tencent COS …), credentials from the usual `AWS_*` variables; multipart uploads of
//!   5 MiB parts to `tmp/<id>.part`, then copied to `<sha256>`.
//!
//! The local folder and S3 both go through the `object_store` crate (`LocalFileSystem` with
//! fsync, `AmazonS3`). Files are content-addressed: a name is only ever given to a complete
//! file whose sha256 it is, so no reader sees half a file, and a file stored twice is the same.
//! [`migrate`] copies every file of one store into another, each read back and verified.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::secrets;

/// The size of one row of the database store.
pub const DB_CHUNK: usize = 256 * 1024;
/// The part size of S3 multipart uploads (S3's minimum for all parts but the last).
const S3_PART: usize = 5 * 1024 * 1024;
/// Local writes go to the file in pieces of this size.
const LOCAL_PART: usize = 256 * 1024;

/// A stream of a stored file's bytes, a chunk at a time.
pub type FileStream = BoxStream<'static, std::io::Result<Bytes>>;

/// One of the three stores (cheap to clone).
#[derive(Clone)]
pub enum FileStore {
    /// A local folder or an S3 bucket, through `object_store`.
    Objects(Objects),
    /// Rows in the database (`stored_files`, `file_chunks`).
    Database(Db),
}

#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    /// Where the files are inside the store: the folder's absolute path, or the bucket prefix.
    prefix: ObjectPath,
    part: usize,
    /// The folder of a local store (its `.part` files are swept from disk).
    local_dir: Option<PathBuf>,
    /// How the store is named in messages (`local:/srv/uploads`, `s3://bucket`).
    label: String,
}

fn store_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("file store: {e}"))
}

fn is_sha256(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl FileStore {
    /// The folder `dir` (`<dir>/<sha256>`); it is created when first written to.
    pub fn local(dir: impl AsRef<FsPath>) -> FileStore {
        let dir = std::path::absolute(dir.as_ref()).unwrap_or_else(|_| dir.as_ref().into());
        let prefix = ObjectPath::from_absolute_path(&dir)
            .unwrap_or_else(|e| panic!("UPLOAD_DIR {} is not a usable path: {e}", dir.display()));
        FileStore::Objects(Objects {
            store: Arc::new(LocalFileSystem::new().with_fsync(true)),
            prefix,
            part: LOCAL_PART,
            label: format!("local:{}", dir.display()),
            local_dir: Some(dir),
        })
    }

    /// The database store.
    pub fn database(db: &Db) -> FileStore {
        FileStore::Database(db.clone())
    }

    /// The store of `FILE_STORE` (`local`, `database` or `s3://…`); `upload_dir` is the folder
    /// of `local`.
    pub fn from_spec(spec: &str, upload_dir: &FsPath, db: &Db) -> Result<FileStore, String> {
        match spec.trim() {
            "local" => Ok(FileStore::local(upload_dir)),
            "database" => Ok(FileStore::database(db)),
            s3 if s3.starts_with("s3://") => FileStore::s3(s3),
            other => Err(format!(
                "FILE_STORE={other}：应为 local、database 或 s3://存储桶?endpoint=…&region=…"
            )),
        }
    }

    /// `s3://bucket[/prefix]?endpoint=http://…&region=…[&virtual_hosted=true]`; the credentials
    /// (and anything not in the URL) come from the `AWS_*` environment variables.
    pub fn s3(url: &str) -> Result<FileStore, String> {
        use object_store::aws::AmazonS3Builder;
        let bad = |why: &str| format!("FILE_STORE={url}：{why}");
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| bad("应以 s3:// 开头"))?;
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err(bad("缺少存储桶名"));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| bad("参数不是 UTF-8"))?
                .into_owned();
            builder = match key {
                "endpoint" => builder
                    .with_allow_http(value.starts_with("http://"))
                    .with_endpoint(value),
                "region" => builder.with_region(value),
                // For services that refuse path-style requests: the endpoint then names the
                // bucket itself (`https://bucket.host`).
                "virtual_hosted" => builder.with_virtual_hosted_style_request(value == "true"),
                other => {
                    return Err(bad(&format!(
                        "未知参数 {other}（可用 endpoint、region、virtual_hosted）"
                    )))
                }
            };
        }
        let store = builder.build().map_err(|e| bad(&e.to_string()))?;
        Ok(FileStore::Objects(Objects {
            store: Arc::new(store),
            prefix: ObjectPath::from(prefix.trim_matches('/')),
            part: S3_PART,
            local_dir: None,
            label: format!("s3://{location}"),
        }))
    }

    /// The default of a deployment: the database with PostgreSQL (every server sees every
    /// file), the folder `upload_dir` with SQLite (one server).
    pub fn default_for(db: &Db, upload_dir: &FsPath) -> FileStore {
        match db.backend {
            crate::db::Backend::Postgres => FileStore::database(db),
            crate::db::Backend::Sqlite => FileStore::local(upload_dir),
        }
    }

    /// The store of a deployment: `FILE_STORE` (`spec`) if set, else [`FileStore::default_for`].
    pub fn configured(
        spec: Option<&str>,
        upload_dir: &FsPath,
        db: &Db,
    ) -> Result<FileStore, String> {
        match spec.map(str::trim).filter(|s| !s.is_empty()) {
            Some(spec) => FileStore::from_spec(spec, upload_dir, db),
            None => Ok(FileStore::default_for(db, upload_dir)),
        }
    }

    /// How the store is named in logs and messages.
    pub fn label(&self) -> String {
        match self {
            FileStore::Objects(o) => o.label.clone(),
            FileStore::Database(db) => format!("database ({})", db.backend.name()),
        }
    }

    /// The folder of a local store.
    pub fn local_dir(&self) -> Option<&FsPath> {
        match self {
            FileStore::Objects(o) => o.local_dir.as_deref(),
            FileStore::Database(_) => None,
        }
    }

    /// A cheap probe that the store answers (for readiness): the folder exists, the bucket
    /// answers a lookup, the table can be read.
    pub async fn check(&self) -> AppResult<()> {
        match self {
            FileStore::Objects(o) => {
                if let Some(dir) = &o.local_dir {
                    let meta = tokio::fs::metadata(dir).await.map_err(store_error)?;
                    return if meta.is_dir() {
                        Ok(())
                    } else {
                        Err(store_error(format!("{} is not a folder", dir.display())))
                    };
                }
                // A listing of the temporary objects (a few at most): a missing bucket or
                // refused credentials fail it, where a lookup of one key would only say
                // "not found".
                o.store
                    .list_with_delimiter(Some(&o.prefix.clone().join("tmp")))
                    .await
                    .map_err(store_error)?;
                Ok(())
            }
            FileStore::Database(db) => {
                sqlx::query("SELECT id FROM stored_files WHERE id = ''")
                    .fetch_optional(&db.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// Starts writing a new file; [`FileWriter::finish`] names it by its sha256.
    pub async fn writer(&self) -> AppResult<FileWriter> {
        let kind = match self {
            FileStore::Objects(o) => {
                let tmp = o
                    .prefix
                    .clone()
                    .join("tmp")
                    .join(format!("{}.part", secrets::new_id()));
                let upload = o.store.put_multipart(&tmp).await.map_err(store_error)?;
                Writing::Objects {
                    store: o.clone(),
                    upload: Some(WriteMultipart::new_with_chunk_size(upload, o.part)),
                    tmp,
                }
            }
            FileStore::Database(db) => {
                let id = secrets::new_id();
                sqlx::query("INSERT INTO stored_files (id, size, created_at) VALUES ($1, 0, $2)")
                    .bind(&id)
                    .bind(clock::now_text())
                    .execute(&db.pool)
                    .await?;
                Writing::Database {
                    db: db.clone(),
                    id,
                    seq: 0,
                    buffer: Vec::new(),
                    size: 0,
                }
            }
        };
        Ok(FileWriter { kind: Some(kind) })
    }

    /// Stores `bytes` (a generated document) under their sha256, which is returned.
    pub async fn put_bytes(&self, bytes: &[u8]) -> AppResult<String> {
        let sha256 = secrets::sha256_hex(bytes);
        if self.exists(&sha256).await? {
            return Ok(sha256);
        }
        let mut writer = self.writer().await?;
        writer.write(Bytes::copy_from_slice(bytes)).await?;
        writer.finish(&sha256).await?;
        Ok(sha256)
    }

    /// Whether a complete file of this sha256 is stored.
    pub async fn exists(&self, sha256: &str) -> AppResult<bool> {
        match self {
            FileStore::Objects(o) => match o.store.head(&o.path(sha256)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(store_error(e)),
            },
            FileStore::Database(db) => {
                Ok(sqlx::query("SELECT id FROM stored_files WHERE sha256 = $1")
                    .bind(sha256)
                    .fetch_optional(&db.pool)
                    .await?
                    .is_some())
            }
        }
    }

    /// The file's bytes as a stream of chunks (a database row or a read of the store at a
    /// time); `None` if no such file is stored.
    pub async fn open(&self, sha256: &str) -> AppResult<Option<FileStream>> {
        if !is_sha256(sha256) {
            return Ok(None);
        }
        match self {
            FileStore::Objects(o) => match o.store.get(&o.path(sha256)).await {
                Ok(found) => Ok(Some(
                    found.into_stream().map_err(std::io::Error::other).boxed(),
                )),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(store_error(e)),
            },
            FileStore::Database(db) => {
                let Some(row) = sqlx::query("SELECT id FROM stored_files WHERE sha256 = $1")
                    .bind(sha256)
                    .fetch_optional(&db.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let id: String = row.try_get("id")?;
                let pool = db.pool.clone();
                let chunks = futures_util::stream::unfold(Some(0i64), move |next| {
                    let pool = pool.clone();
                    let id = id.clone();
                    async move {
                        let seq = next?;
                        let row = sqlx::query(
                            "SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2",
                        )
                        .bind(&id)
                        .bind(seq)
                        .fetch_optional(&pool)
                        .await;
                        match row {
                            Ok(Some(row)) => match row.try_get::<Vec<u8>, _>("data") {
                                Ok(data) => Some((Ok(Bytes::from(data)), Some(seq + 1))),
                                Err(e) => Some((Err(std::io::Error::other(e)), None)),
                            },
                            Ok(None) => None,
                            Err(e) => Some((Err(std::io::Error::other(e)), None)),
                        }
                    }
                });
                Ok(Some(chunks.boxed()))
            }
        }
    }

    /// The sha256 of every complete file in the store, sorted.
    pub async fn list(&self) -> AppResult<Vec<String>> {
        let mut names = match self {
            FileStore::Objects(o) => {
                let mut names = Vec::new();
                let mut listing = o.store.list(Some(&o.prefix));
                while let Some(meta) = listing.next().await {
                    let meta = meta.map_err(store_error)?;
                    let Some(rest) = meta.location.prefix_match(&o.prefix) else {
                        continue;
                    };
                    let rest: Vec<_> = rest.collect();
                    if let [name] = rest.as_slice() {
                        if is_sha256(name.as_ref()) {
                            names.push(name.as_ref().to_string());
                        }
                    }
                }
                names
            }
            FileStore::Database(db) => {
                sqlx::query("SELECT sha256 FROM stored_files WHERE sha256 IS NOT NULL")
                    .fetch_all(&db.pool)
                    .await?
                    .iter()
                    .map(|r| r.try_get::<String, _>("sha256"))
                    .collect::<Result<_, _>>()?
            }
        };
        names.sort();
        Ok(names)
    }

    /// Deletes what writes that never finished left behind (a crash, a stopped server) and
    /// nobody can still be writing: untouched for `idle` (no upload outlives its timeout).
    /// Returns how many.
    pub async fn remove_incomplete(&self, idle: Duration) -> AppResult<usize> {
        match self {
            FileStore::Objects(o) => {
                if let Some(dir) = o.local_dir.clone() {
                    return tokio::task::spawn_blocking(move || remove_partial_uploads(&dir, idle))
                        .await
                        .map_err(store_error)?
                        .map_err(store_error);
                }
                let tmp = o.prefix.clone().join("tmp");
                let cutoff = chrono_cutoff(idle);
                let mut removed = 0;
                let mut listing = o.store.list(Some(&tmp));
                let mut old = Vec::new();
                while let Some(meta) = listing.next().await {
                    let meta = meta.map_err(store_error)?;
                    if meta.last_modified.timestamp() <= cutoff {
                        old.push(meta.location);
                    }
                }
                for location in old {
                    match o.store.delete(&location).await {
                        Ok(()) => removed += 1,
                        Err(object_store::Error::NotFound { .. }) => {}
                        Err(e) => return Err(store_error(e)),
                    }
                }
                Ok(removed)
            }
            FileStore::Database(db) => {
                let before = clock::rfc3339(chrono_cutoff(idle));
                let mut tx = db.pool.begin().await?;
                sqlx::query(
                    "DELETE FROM file_chunks WHERE file_id IN \
                     (SELECT id FROM stored_files WHERE sha256 IS NULL AND created_at <= $1)",
                )
                .bind(&before)
                .execute(&mut *tx)
                .await?;
                let removed = sqlx::query(
                    "DELETE FROM stored_files WHERE sha256 IS NULL AND created_at <= $1",
                )
                .bind(&before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(removed as usize)
            }
        }
    }
}

fn chrono_cutoff(idle: Duration) -> i64 {
    clock::now_unix() - idle.as_secs() as i64
}

impl Objects {
    fn path(&self, sha256: &str) -> ObjectPath {
        self.prefix.clone().join(sha256)
    }
}

/// A file being written. Dropped or [`abort`](FileWriter::abort)ed before
/// [`finish`](FileWriter::finish), it leaves nothing under a final name (and its temporary
/// data is removed).
pub struct FileWriter {
    kind: Option<Writing>,
}

enum Writing {
    Objects {
        store: Objects,
        upload: Option<WriteMultipart>,
        tmp: ObjectPath,
    },
    Database {
        db: Db,
        id: String,
        seq: i64,
        buffer: Vec<u8>,
        size: u64,
    },
}

async fn insert_chunk(db: &Db, id: &str, seq: i64, data: Vec<u8>) -> AppResult<()> {
    sqlx::query("INSERT INTO file_chunks (file_id, seq, data) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(seq)
        .bind(data)
        .execute(&db.pool)
        .await?;
    Ok(())
}

impl FileWriter {
    /// Appends `data`. At most one part (database: one row) is held in memory.
    pub async fn write(&mut self, data: Bytes) -> AppResult<()> {
        match self.kind.as_mut().expect("writer in use") {
            Writing::Objects { upload, .. } => {
                let upload = upload.as_mut().expect("upload in progress");
                // Back pressure: at most two parts in flight.
                upload.wait_for_capacity(2).await.map_err(store_error)?;
                upload.put(data);
            }
            Writing::Database {
                db,
                id,
                seq,
                buffer,
                size,
            } => {
                *size += data.len() as u64;
                let mut rest = &data[..];
                while !rest.is_empty() {
                    let take = rest.len().min(DB_CHUNK - buffer.len());
                    buffer.extend_from_slice(&rest[..take]);
                    rest = &rest[take..];
                    if buffer.len() == DB_CHUNK {
                        let full = std::mem::replace(buffer, Vec::with_capacity(DB_CHUNK));
                        insert_chunk(db, id, *seq, full).await?;
                        *seq += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Completes the file and names it `sha256` (which the caller computed over what it
    /// wrote). If a file of that sha256 is already stored — the same content — this copy is
    /// dropped.
    pub async fn finish(mut self, sha256: &str) -> AppResult<()> {
        if !is_sha256(sha256) {
            return Err(store_error(format!("not a sha256: {sha256}")));
        }
        match self.kind.take().expect("writer in use") {
            Writing::Objects {
                store,
                mut upload,
                tmp,
            } => {
                let upload = upload.take().expect("upload in progress");
                // On failure `finish` aborts the upload itself.
                upload.finish().await.map_err(store_error)?;
                let target = store.path(sha256);
                let result = match store.store.head(&target).await {
                    Ok(_) => Ok(()),
                    // A rename within a folder is atomic; on S3 a copy and a delete.
                    Err(object_store::Error::NotFound { .. }) => {
                        store.store.rename(&tmp, &target).await.map_err(store_error)
                    }
                    Err(e) => Err(store_error(e)),
                };
                // Gone after a rename; else the copy the target already had.
                let _ = store.store.delete(&tmp).await;
                result
            }
            Writing::Database {
                db,
                id,
                seq,
                buffer,
                size,
            } => {
                let named = async {
                    if !buffer.is_empty() {
                        insert_chunk(&db, &id, seq, buffer).await?;
                    }
                    let mut tx = db.pool.begin().await?;
                    let named = sqlx::query(
                        "UPDATE stored_files SET sha256 = $1, size = $2 WHERE id = $3 \
                         AND NOT EXISTS (SELECT 1 FROM stored_files f WHERE f.sha256 = $1)",
                    )
                    .bind(sha256)
                    .bind(size as i64)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    tx.commit().await?;
                    Ok::<_, AppError>(named)
                }
                .await;
                match named {
                    Ok(1) => Ok(()),
                    // Already stored (maybe by another server at this very moment): this copy
                    // goes; an error stands only if the file is not stored after all.
                    other => {
                        delete_db_file(&db, &id).await?;
                        match other {
                            Err(e) if !FileStore::Database(db).exists(sha256).await? => Err(e),
                            _ => Ok(()),
                        }
                    }
                }
            }
        }
    }

    /// Gives up the file: its temporary data is removed now.
    pub async fn abort(mut self) {
        if let Some(kind) = self.kind.take() {
            discard(kind).await;
        }
    }
}

/// Removes the temporary data of an unfinished file (errors are left to the sweep,
/// [`FileStore::remove_incomplete`]).
async fn discard(kind: Writing) {
    match kind {
        Writing::Objects {
            store,
            upload: Some(upload),
            tmp,
        } => {
            let _ = upload.abort().await;
            let _ = store.store.delete(&tmp).await;
        }
        Writing::Database { db, id, .. } => {
            let _ = delete_db_file(&db, &id).await;
        }
        Writing::Objects { upload: None, .. } => {}
    }
}

async fn delete_db_file(db: &Db, id: &str) -> AppResult<()> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM file_chunks WHERE file_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM stored_files WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

impl Drop for FileWriter {
    /// A request cancelled mid-upload (the client went away) drops its writer: the temporary
    /// data is removed in the background (and by [`FileStore::remove_incomplete`] if not).
    fn drop(&mut self) {
        if let Some(kind) = self.kind.take() {
            if let Writing::Objects {
                store:
                    Objects {
                        local_dir: Some(dir),
                        ..
                    },
                tmp,
                ..
            } = &kind
            {
                // A local file goes at once, as it went before object_store wrote it: the
                // pieces `<id>.part#n` of the upload (closed first) and `<id>.part`.
                let (dir, name) = (dir.join("tmp"), tmp.filename().unwrap_or("").to_string());
                drop(kind);
                if !name.is_empty() {
                    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                        if entry.file_name().to_string_lossy().starts_with(&name) {
                            let _ = std::fs::remove_file(entry.path());
                        }
                    }
                }
                return;
            }
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(discard(kind));
            }
        }
    }
}

/// Deletes the `.part` files in `<dir>/tmp` (with the `.part#n` pieces `object_store` writes
/// them through) not written to for `idle`: what a crash or a stopped server left behind. A
/// file written more recently may belong to an upload in progress (of this or another server
/// process sharing the directory); no upload outlives its request timeout, so with `idle` at
/// least that long only abandoned files go. Returns how many.
pub fn remove_partial_uploads(dir: &FsPath, idle: Duration) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir.join("tmp")) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.ends_with(".part") || name.contains(".part#")) {
            continue;
        }
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age >= idle);
        if abandoned {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

/// What [`migrate`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// Files copied and verified.
    pub copied: usize,
    /// Files the target already held (an earlier, maybe interrupted, run).
    pub present: usize,
}

/// The sha256 of a stored file, read through.
pub async fn digest(store: &FileStore, sha256: &str) -> AppResult<Option<(String, u64)>> {
    let Some(mut stream) = store.open(sha256).await? else {
        return Ok(None);
    };
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(store_error)?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok(Some((secrets::hex(&hasher.finalize()), size)))
}

/// Copies every file of `from` that `to` lacks, streamed (never a whole file in memory): the
/// content is checked against its name while it is read, and the copy is read back from `to`
/// and checked again. The source is left as it is. Idempotent and resumable: a file is only
/// named once complete, so an interrupted run leaves none half-copied, and a new run copies
/// what is still missing. `progress` is told each file and whether it was copied.
pub async fn migrate(
    from: &FileStore,
    to: &FileStore,
    mut progress: impl FnMut(&str, bool),
) -> AppResult<Migrated> {
    let mut done = Migrated::default();
    for sha256 in from.list().await? {
        if to.exists(&sha256).await? {
            done.present += 1;
            progress(&sha256, false);
            continue;
        }
        let mut source = from
            .open(&sha256)
            .await?
            .ok_or_else(|| store_error(format!("{sha256} vanished from {}", from.label())))?;
        let mut writer = to.writer().await?;
        let mut hasher = Sha256::new();
        let copied = async {
            while let Some(chunk) = source.next().await {
                let chunk = chunk.map_err(store_error)?;
                hasher.update(&chunk);
                writer.write(chunk).await?;
            }
            Ok::<_, AppError>(())
        }
        .await;
        let read = secrets::hex(&hasher.finalize());
        if let Err(e) = copied {
            writer.abort().await;
            return Err(e);
        }
        if read != sha256 {
            writer.abort().await;
            return Err(store_error(format!(
                "{sha256} in {} is damaged: its content has sha256 {read}",
                from.label()
            )));
        }
        writer.finish(&sha256).await?;
        match digest(to, &sha256).await? {
            Some((back, _)) if back == sha256 => {}
            other => {
                return Err(store_error(format!(
                    "{sha256} read back from {} does not match: {other:?}",
                    to.label()
                )))
            }
        }
        done.copied += 1;
        progress(&sha256, true);
    }
    Ok(done)
}

const FILES_USAGE: &str = "用法：server files migrate --from 存储 --to 存储\n存储为 local（UPLOAD_DIR 指定的目录）、database（DATABASE_URL 指定的数据库）或 s3://存储桶?endpoint=…&region=…";

/// `server files migrate --from <store> --to <store>`: copies every file from one store to the
/// other ([`migrate`]) and prints what it did. The database is `DATABASE_URL`'s, the folder of
/// `local` is `UPLOAD_DIR` (default as the server's).
pub async fn command(args: &[String]) -> Result<(), String> {
    let mut from = None;
    let mut to = None;
    let mut rest = args.iter();
    if rest.next().map(String::as_str) != Some("migrate") {
        return Err(FILES_USAGE.into());
    }
    while let Some(flag) = rest.next() {
        let slot = match flag.as_str() {
            "--from" => &mut from,
            "--to" => &mut to,
            other => return Err(format!("未知参数 {other}\n{FILES_USAGE}")),
        };
        *slot = Some(
            rest.next()
                .ok_or_else(|| format!("{flag} 缺少取值\n{FILES_USAGE}"))?
                .clone(),
        );
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(format!("缺少 --from 或 --to\n{FILES_USAGE}"));
    };
    if from == to {
        return Err("--from 与 --to 相同，无需迁移".into());
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let database_url = env("DATABASE_URL").unwrap_or_else(|| "sqlite://data/banshitong.db".into());
    let db = crate::db::connect(&database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    let upload_dir = env("UPLOAD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::default_upload_dir(&database_url));
    let source = FileStore::from_spec(&from, &upload_dir, &db)?;
    let target = FileStore::from_spec(&to, &upload_dir, &db)?;
    if let Some(dir) = target.local_dir() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    target
        .check()
        .await
        .map_err(|e| format!("{}: {e}", target.label()))?;
    let done = migrate(&source, &target, |sha256, copied| {
        if copied {
            println!("已复制并校验 {sha256}");
        }
    })
    .await
    .map_err(|e| format!("迁移中断（可重新运行以继续）：{e}"))?;
    println!(
        "完成：从 {} 到 {}，复制并校验 {} 个文件，{} 个已存在（跳过）。源存储中的文件未删除。",
        source.label(),
        target.label(),
        done.copied,
        done.present
    );
    Ok(())
}
