//! Upload quotas: how much one case (or 一件事 draft) and one applicant may store.
//!
//! Every upload is kept (older versions too) and a file may be 20 MB, so without a quota one
//! signed-in phone could fill the disk. Before a file is read, [`budget`] counts what is
//! already stored: a case or draft holds at most [`UploadQuota::files_per_case`] files and
//! [`UploadQuota::bytes_per_case`] bytes; an applicant uploads at most
//! [`UploadQuota::files_per_applicant`] files and [`UploadQuota::bytes_per_applicant`] bytes in
//! 24 hours. The bytes still allowed become the limit the upload streams against, so a file
//! that would pass the quota is refused while it arrives (413) and never stored; a full file
//! count is refused before reading (422). Both answer with code `quota_exceeded` and name the
//! limit. Copies of a 一件事's materials into its member cases are made by the server on
//! submission and are not counted again.

use sqlx::Row;

use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};

const MB: u64 = 1024 * 1024;

/// The largest single file (20 MB).
pub const MAX_FILE_BYTES: u64 = 20 * MB;

/// The window of the per-applicant quota.
const APPLICANT_WINDOW_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadQuota {
    /// Files (every version counts) one case or 一件事 draft may hold.
    pub files_per_case: i64,
    /// Bytes one case or 一件事 draft may hold.
    pub bytes_per_case: u64,
    /// Files one applicant may upload in 24 hours.
    pub files_per_applicant: i64,
    /// Bytes one applicant may upload in 24 hours.
    pub bytes_per_applicant: u64,
}

impl Default for UploadQuota {
    fn default() -> Self {
        UploadQuota {
            files_per_case: 40,
            bytes_per_case: 200 * MB,
            files_per_applicant: 100,
            bytes_per_applicant: 500 * MB,
        }
    }
}

/// What one upload may still bring: at most `max_bytes`, else `error()`.
#[derive(Debug, Clone)]
pub struct UploadLimit {
    pub max_bytes: u64,
    /// The answer when the file passes `max_bytes`: the 20 MB limit, or the quota that is
    /// nearer.
    message: String,
    quota: bool,
}

impl UploadLimit {
    /// The single-file limit alone.
    pub fn file() -> UploadLimit {
        UploadLimit {
            max_bytes: MAX_FILE_BYTES,
            message: "文件不能超过 20 MB".into(),
            quota: false,
        }
    }

    pub fn error(&self) -> AppError {
        if self.quota {
            AppError::QuotaExceeded {
                message: self.message.clone(),
            }
        } else {
            AppError::PayloadTooLarge {
                message: self.message.clone(),
            }
        }
    }
}

/// Which container an upload goes to.
#[derive(Debug, Clone, Copy)]
pub enum Container<'a> {
    Case(&'a str),
    Bundle(&'a str),
}

/// `12.5 MB`, `300 KB`.
fn size_words(bytes: u64) -> String {
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

fn count(row: &sqlx::any::AnyRow) -> AppResult<(i64, u64)> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL; the query casts it back.
    let files: i64 = row.try_get("n")?;
    let bytes: i64 = row.try_get("bytes")?;
    Ok((files, bytes.max(0) as u64))
}

/// The limit of the next upload of `applicant_id` into `container`, or the refusal when a file
/// count is already reached.
pub async fn budget(
    db: &Db,
    quota: &UploadQuota,
    applicant_id: &str,
    container: Container<'_>,
) -> AppResult<UploadLimit> {
    let (in_case, case_words) = match container {
        Container::Case(id) => (
            sqlx::query("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM uploads WHERE case_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await?,
            "每个办件",
        ),
        Container::Bundle(id) => (
            sqlx::query(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM bundle_uploads WHERE bundle_case_id = $1",
            )
            .bind(id)
            .fetch_one(&db.pool)
            .await?,
            "每个“一件事”申请",
        ),
    };
    let (case_files, case_bytes) = count(&in_case)?;
    let since = clock::rfc3339(clock::now_unix() - APPLICANT_WINDOW_SECS);
    // Own uploads only: the copies made for a 一件事's member cases belong to cases with a
    // `bundle_case_id` and were counted as bundle uploads.
    let single = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(u.size), 0) AS BIGINT) AS bytes FROM uploads u JOIN cases c ON c.id = u.case_id \
         WHERE c.applicant_id = $1 AND c.bundle_case_id IS NULL AND u.created_at > $2",
    )
    .bind(applicant_id)
    .bind(&since)
    .fetch_one(&db.pool)
    .await?;
    let bundled = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(u.size), 0) AS BIGINT) AS bytes FROM bundle_uploads u JOIN bundle_cases b ON b.id = u.bundle_case_id \
         WHERE b.applicant_id = $1 AND u.created_at > $2",
    )
    .bind(applicant_id)
    .bind(&since)
    .fetch_one(&db.pool)
    .await?;
    let (single_files, single_bytes) = count(&single)?;
    let (bundled_files, bundled_bytes) = count(&bundled)?;
    let (applicant_files, applicant_bytes) =
        (single_files + bundled_files, single_bytes + bundled_bytes);

    if case_files >= quota.files_per_case {
        return Err(AppError::unprocessable(
            "quota_exceeded",
            format!(
                "{case_words}最多保存 {} 个文件（含已替换的旧版本），已达上限，不能再上传",
                quota.files_per_case
            ),
        ));
    }
    if applicant_files >= quota.files_per_applicant {
        return Err(AppError::unprocessable(
            "quota_exceeded",
            format!(
                "每位申请人 24 小时内最多上传 {} 个文件，已达上限，请明天再试",
                quota.files_per_applicant
            ),
        ));
    }
    let mut limit = UploadLimit::file();
    let case_left = quota.bytes_per_case.saturating_sub(case_bytes);
    if case_left < limit.max_bytes {
        limit = UploadLimit {
            max_bytes: case_left,
            message: format!(
                "{case_words}的材料合计不能超过 {}（含已替换的旧版本），还可上传 {}",
                size_words(quota.bytes_per_case),
                size_words(case_left)
            ),
            quota: true,
        };
    }
    let applicant_left = quota.bytes_per_applicant.saturating_sub(applicant_bytes);
    if applicant_left < limit.max_bytes {
        limit = UploadLimit {
            max_bytes: applicant_left,
            message: format!(
                "每位申请人 24 小时内上传的文件合计不能超过 {}，还可上传 {}",
                size_words(quota.bytes_per_applicant),
                size_words(applicant_left)
            ),
            quota: true,
        };
    }
    Ok(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_words(200 * MB), "200 MB");
        assert_eq!(size_words(MB * 25 / 2), "12.5 MB");
        assert_eq!(size_words(1000), "1 KB");
    }
}
