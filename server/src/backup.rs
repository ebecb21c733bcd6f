//! Backups: `server backup <dir>` and `server restore <dir>`.
//!
//! A backup folder holds the database, the stored files and `manifest.json` naming each with
//! its sha256:
//!
//! - SQLite: `database.sqlite`, written by `VACUUM INTO` — one consistent snapshot taken inside
//!   a read transaction, so it may run while the server serves;
//! - PostgreSQL: `database.pgdump`, written by `pg_dump --format=custom` (also one consistent
//!   snapshot while the server serves); the client tools must be installed;
//! - `files/<sha256>`: every file of a local folder or S3 store (`FILE_STORE`), copied
//!   through the store and hashed as it is read. The database store is inside the database,
//!   so its files come with the database copy. Files are content-addressed and never
//!   rewritten, and the database is copied first: every file its snapshot refers to already
//!   exists when the files are copied (files uploaded meanwhile come along unreferenced).
//!
//! The manifest is written last: a folder without it is an interrupted backup and is refused.
//! Restoring checks every sha256 before writing anything, then puts the database in place
//! (SQLite: the file at `DATABASE_URL`, which must not exist yet; PostgreSQL: `pg_restore` into
//! the empty database of `DATABASE_URL`) and the files into the store the server will use
//! (`FILE_STORE`, or the database's default), each checked again as it is read back.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{self, Backend, Db};
use crate::workflow::file_store::{self, FileStore};
use crate::{clock, secrets};

pub const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "database.sqlite";
const PG_FILE: &str = "database.pgdump";
const FILES: &str = "files";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `1`.
    pub format: u32,
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The database file within the folder and its sha256.
    pub database_file: String,
    pub database_sha256: String,
    /// The store the files were copied from (`local:/srv/uploads`, `s3://bucket`, or
    /// `database (postgres)`, whose files are inside the database copy); empty in backups of
    /// versions that did not say.
    #[serde(default)]
    pub file_store: String,
    /// The stored files of a folder or bucket, each `files/<sha256>`.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub sha256: String,
    pub size: u64,
}

/// Copies `from` to `to` (a new file, flushed to disk); returns its sha256 and size.
fn copy_hashed(from: &Path, to: &Path) -> std::io::Result<(String, u64)> {
    let input = std::fs::File::open(from)?;
    let mut output = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    let hashed = read_hashed(input, &mut output)?;
    output.sync_all()?;
    Ok(hashed)
}

fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    read_hashed(std::fs::File::open(path)?, &mut std::io::sink())
}

/// Streams `input` into `output`: its sha256 (hex) and size.
fn read_hashed(mut input: impl Read, output: &mut impl Write) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        output.write_all(&buffer[..n])?;
        size += n as u64;
    }
    Ok((secrets::hex(&hasher.finalize()), size))
}

fn pg_tool_missing(tool: &str, e: std::io::Error) -> String {
    format!(
        "无法运行 {tool}（{e}）：请安装 PostgreSQL 客户端工具（Debian：apt-get install postgresql-client），\
         其主版本不低于数据库服务器的版本"
    )
}

/// Runs a client tool to its end without holding up the runtime.
async fn run(mut command: Command) -> std::io::Result<std::process::ExitStatus> {
    tokio::task::spawn_blocking(move || command.status())
        .await
        .map_err(std::io::Error::other)?
}

/// Writes a backup of the database of `db` (at `database_url`) and of the files in the
/// deployment's store `files` into `out`, which must not exist or be empty. The database store
/// lives inside the database, so its files come with the database copy; a folder or an S3
/// bucket is copied file by file into `files/`, each checked against its sha256 as it is read.
pub async fn backup(
    db: &Db,
    database_url: &str,
    files: &FileStore,
    out: &Path,
) -> Result<Manifest, String> {
    let shown = out.display().to_string();
    if std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!("备份目录 {shown} 不是空的，请指定一个新目录"));
    }
    std::fs::create_dir_all(out.join(FILES)).map_err(|e| format!("{shown}: {e}"))?;
    let database_file = match db.backend {
        Backend::Sqlite => {
            let target = out.join(SQLITE_FILE);
            sqlx::query("VACUUM INTO $1")
                .bind(target.to_string_lossy().into_owned())
                .execute(&db.pool)
                .await
                .map_err(|e| format!("VACUUM INTO {}: {e}", target.display()))?;
            SQLITE_FILE
        }
        Backend::Postgres => {
            let target = out.join(PG_FILE);
            let mut dump = Command::new("pg_dump");
            dump.arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(&target)
                .arg("--dbname")
                .arg(database_url);
            let status = run(dump).await.map_err(|e| pg_tool_missing("pg_dump", e))?;
            if !status.success() {
                return Err(format!("pg_dump 失败（{status}）"));
            }
            PG_FILE
        }
    };
    let database = out.join(database_file);
    let (database_sha256, _) = tokio::task::spawn_blocking(move || hash_file(&database))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{shown}/{database_file}: {e}"))?;
    let copied = match files {
        FileStore::Database(_) => Vec::new(),
        FileStore::Objects(_) => copy_files_out(files, &out.join(FILES)).await?,
    };
    let manifest = Manifest {
        format: 1,
        created_at: clock::now_text(),
        database: db.backend.name().into(),
        database_file: database_file.into(),
        database_sha256,
        file_store: files.label(),
        files: copied,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    let part = out.join(format!("{MANIFEST}.part"));
    std::fs::write(&part, text).map_err(|e| format!("{}: {e}", part.display()))?;
    std::fs::rename(&part, out.join(MANIFEST)).map_err(|e| format!("{MANIFEST}: {e}"))?;
    Ok(manifest)
}

/// Copies every stored file of `files` into `dir` as `<sha256>`, streamed (a chunk at a time)
/// and hashed while read: a file whose content is not its name stops the backup.
async fn copy_files_out(files: &FileStore, dir: &Path) -> Result<Vec<FileEntry>, String> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;

    let store = files.label();
    let mut copied = Vec::new();
    for name in files.list().await.map_err(|e| format!("{store}: {e}"))? {
        let Some(mut stream) = files
            .open(&name)
            .await
            .map_err(|e| format!("{store}: {e}"))?
        else {
            continue; // deleted since it was listed
        };
        let path = dir.join(&name);
        let shown = path.display().to_string();
        let mut output = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(|e| format!("{shown}: {e}"))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| format!("{store} {name}: {e}"))?;
            hasher.update(&chunk);
            size += chunk.len() as u64;
            output
                .write_all(&chunk)
                .await
                .map_err(|e| format!("{shown}: {e}"))?;
        }
        output
            .sync_all()
            .await
            .map_err(|e| format!("{shown}: {e}"))?;
        let sha256 = secrets::hex(&hasher.finalize());
        if sha256 != name {
            return Err(format!(
                "{store} 中的文件 {name} 的内容与其 sha256 不符（已损坏），备份中止"
            ));
        }
        copied.push(FileEntry { sha256, size });
    }
    Ok(copied)
}

/// Reads the manifest of the backup in `dir` and checks every file against it.
pub fn verify(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path)
        .map_err(|e| format!("{}: {e}（没有清单的目录不是完整的备份）", path.display()))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if manifest.format != 1 {
        return Err(format!("不支持的备份格式 {}", manifest.format));
    }
    let database = dir.join(&manifest.database_file);
    let (sha256, _) = hash_file(&database).map_err(|e| format!("{}: {e}", database.display()))?;
    if sha256 != manifest.database_sha256 {
        return Err(format!("{} 与清单中的 sha256 不符", database.display()));
    }
    for file in &manifest.files {
        let path = dir.join(FILES).join(&file.sha256);
        let (sha256, size) = hash_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if sha256 != file.sha256 || size != file.size {
            return Err(format!("{} 与清单不符（已损坏）", path.display()));
        }
    }
    Ok(manifest)
}

/// What [`restore`] did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// The store the files went to (its label).
    pub file_store: String,
    /// Files written to it, and files it already held.
    pub copied: usize,
    pub present: usize,
}

/// Restores the backup in `dir` into the database of `database_url` (a new SQLite file, or an
/// empty PostgreSQL database), after [`verify`]; then opens it (the migrations bring a backup
/// of an older version up to date) and writes the backup's files into the store the server
/// will use: `file_store` (`FILE_STORE`) or the default of the database
/// ([`FileStore::default_for`], with `upload_dir` the folder of `local`). Each file is checked
/// against its sha256 as it is read and read back ([`file_store::migrate`]).
pub async fn restore(
    dir: &Path,
    database_url: &str,
    upload_dir: &Path,
    file_store: Option<&str>,
) -> Result<Restored, String> {
    let owned = dir.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || verify(&owned))
        .await
        .map_err(|e| e.to_string())??;
    let postgres = database_url.starts_with("postgres:") || database_url.starts_with("postgresql:");
    let target = if postgres { "postgres" } else { "sqlite" };
    if manifest.database != target {
        return Err(format!(
            "备份来自 {} 数据库，不能恢复到 {target}（DATABASE_URL）",
            manifest.database
        ));
    }
    let source = dir.join(&manifest.database_file);
    if postgres {
        let mut load = Command::new("pg_restore");
        load.arg("--no-owner")
            .arg("--exit-on-error")
            .arg("--single-transaction")
            .arg("--dbname")
            .arg(database_url)
            .arg(&source);
        let status = run(load)
            .await
            .map_err(|e| pg_tool_missing("pg_restore", e))?;
        if !status.success() {
            return Err(format!(
                "pg_restore 失败（{status}）：目标数据库须为空（createdb 新建）"
            ));
        }
    } else {
        let file: PathBuf = db::sqlite_file(database_url)
            .ok_or_else(|| format!("DATABASE_URL {database_url} 不是 SQLite 数据库文件"))?
            .to_path_buf();
        if file.exists() {
            return Err(format!(
                "目标数据库 {} 已存在：恢复只写入新文件，请先移走或改用新的 DATABASE_URL",
                file.display()
            ));
        }
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        // Copied aside and renamed: an interrupted restore leaves no half database.
        let part = file.with_extension("restore-part");
        let _ = std::fs::remove_file(&part);
        let copy = (source.clone(), part.clone());
        tokio::task::spawn_blocking(move || copy_hashed(&copy.0, &copy.1))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{}: {e}", part.display()))?;
        std::fs::rename(&part, &file).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let db = db::connect(database_url)
        .await
        .map_err(|e| format!("恢复后的数据库 {database_url}: {e}"))?;
    let store = FileStore::configured(file_store, upload_dir, &db)?;
    if let Some(folder) = store.local_dir() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    store
        .check()
        .await
        .map_err(|e| format!("{}: {e}", store.label()))?;
    let files = dir.join(FILES);
    let done = file_store::migrate(&FileStore::local(&files), &store, |_, _| {})
        .await
        .map_err(|e| {
            // The database is in place now, and a second restore would refuse it.
            let rest = match store.local_dir() {
                Some(folder) => format!(
                    "把 {} 中的文件复制到 {} 即可",
                    files.display(),
                    folder.display()
                ),
                None => format!(
                    "补齐文件（已有的跳过）：UPLOAD_DIR={} server files migrate --from local --to {}",
                    files.display(),
                    file_store.unwrap_or("database")
                ),
            };
            format!("文件恢复中断：{e}\n数据库已恢复；{rest}")
        })?;
    db.pool.close().await;
    Ok(Restored {
        manifest,
        file_store: store.label(),
        copied: done.copied,
        present: done.present,
    })
}
