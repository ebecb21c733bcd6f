//! SMS delivery of one-time codes (and of case status notices, `cases::sms_notices`).

use std::future::Future;
use std::pin::Pin;

use sqlx::Row;

use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::secrets;

/// Sends a text message to a mainland mobile number.
///
/// The server only ever talks to this trait. The embedded default, [`OutboxSms`], is a
/// development setting: it delivers nothing and keeps the text in the `sms_outbox` table. To
/// send real messages, implement `send` with the provider's API (its signature template, a
/// timeout, and an error when the provider refuses) and put it in [`crate::AppState`] with
/// `AppState::with_sms(Arc::new(MyGateway { … }))` before building the router. `send` should
/// return only when the provider has accepted the message, so that a refused message is
/// reported to the person waiting for it.
pub trait SmsSender: Send + Sync {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;
}

/// Development delivery: writes each message to `sms_outbox` and logs it as a warning.
pub struct OutboxSms {
    pub db: Db,
}

impl SmsSender for OutboxSms {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>> {
        Box::pin(async move {
            sqlx::query("INSERT INTO sms_outbox (id, phone, body, created_at, seq) VALUES ($1, $2, $3, $4, $5)")
                .bind(secrets::new_id())
                .bind(phone)
                .bind(text)
                .bind(clock::now_text())
                .bind(clock::next_seq())
                .execute(&self.db.pool)
                .await?;
            tracing::warn!(
                phone,
                "开发模式短信（未真正发送，仅写入 sms_outbox）：{text}"
            );
            Ok(())
        })
    }
}

/// The code in the newest code message (验证码) to `phone` in the development outbox (tests and
/// local use); status notices to the same phone (`cases::sms_notices`) are passed over.
pub async fn last_sms_code(db: &Db, phone: &str) -> AppResult<Option<String>> {
    let row = sqlx::query(
        "SELECT body FROM sms_outbox WHERE phone = $1 AND body LIKE '%验证码%' ORDER BY seq DESC LIMIT 1",
    )
        .bind(phone)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.try_get("body")?;
    let digits: Vec<char> = body.chars().collect();
    let code = digits
        .windows(6)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .map(|w| w.iter().collect::<String>())
        .ok_or_else(|| AppError::Internal("outbox message without a code".into()))?;
    Ok(Some(code))
}
