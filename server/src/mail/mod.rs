//! Sending the mail queued in the outbox.
//!
//! Flows write messages into the `outbox` table in the same transaction as the change they
//! report, then [`Mailer::wake`] the sender. The sender delivers due messages over SMTP (or
//! into a folder of `.eml` files when no SMTP server is configured) and, on failure, tries
//! again later with a growing delay. A stopped SMTP server therefore delays mail but loses none,
//! and several app servers can share one outbox because each message is claimed before sending.

pub mod messages;

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::config::Config;
use crate::db::{self, Db, outbox};

/// How long a sender may hold a message before another may try it.
const CLAIM_LEASE_MS: i64 = 120_000;
/// The longest wait between two attempts at one message.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// How often the sender looks at the outbox even when nobody woke it.
const IDLE_POLL: Duration = Duration::from_secs(30);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

/// Delivers outbox messages.
#[derive(Clone)]
pub struct Mailer {
    db: Db,
    transport: Arc<Transport>,
    from: Mailbox,
    wake: Arc<Notify>,
    retry_base: Duration,
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

impl Mailer {
    /// A mailer for `config`: SMTP when `STAFFGATE_SMTP_URL` is set, else the outbox folder.
    pub fn new(db: Db, config: &Config) -> anyhow::Result<Self> {
        let transport = match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|error| anyhow::anyhow!("STAFFGATE_SMTP_URL: {error}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Transport::Smtp(transport)
            }
            None => {
                let dir = config.outbox_dir();
                std::fs::create_dir_all(&dir).map_err(|error| {
                    anyhow::anyhow!(
                        "could not create the mail folder {}: {error}",
                        dir.display()
                    )
                })?;
                tracing::info!(
                    folder = %dir.display(),
                    "no STAFFGATE_SMTP_URL set: mail is written to this folder as .eml files"
                );
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
        };
        Ok(Self {
            db,
            transport: Arc::new(transport),
            from: config.mail_from.clone(),
            wake: Arc::new(Notify::new()),
            retry_base: Duration::from_secs(10),
        })
    }

    /// Sets the first retry delay (it doubles with each failure). Tests use a short one.
    pub fn with_retry_base(mut self, base: Duration) -> Self {
        self.retry_base = base;
        self
    }

    /// Asks the sender to look at the outbox now (after a transaction queued mail).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs the sender until the process ends.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let pause = match self.deliver_due().await {
                    Ok(_) => self.time_until_next_attempt().await,
                    Err(error) => {
                        tracing::error!(%error, "could not read the mail outbox");
                        IDLE_POLL
                    }
                };
                let _ = tokio::time::timeout(pause, self.wake.notified()).await;
            }
        })
    }

    /// Sends every message that is due now, once.
    pub async fn deliver_due(&self) -> Result<Pass, sqlx::Error> {
        let mut pass = Pass::default();
        let now = db::now_ms();
        for id in outbox::due(self.db.pool(), now, 50).await? {
            let Some(message) = outbox::claim(self.db.pool(), id, now, CLAIM_LEASE_MS).await?
            else {
                continue;
            };
            match self.send(&message).await {
                Ok(()) => {
                    outbox::mark_sent(self.db.pool(), id, db::now_ms()).await?;
                    tracing::info!(
                        outbox.id = id,
                        to = %messages::mask_email(&message.recipient),
                        "mail sent"
                    );
                    pass.sent += 1;
                }
                Err(error) => {
                    let attempts = message.attempts + 1;
                    let delay = retry_delay(self.retry_base, attempts);
                    let retry_at =
                        db::now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                    outbox::mark_failed(self.db.pool(), id, &error, retry_at).await?;
                    // SMTP replies often quote the recipient; the log gets the masked form.
                    let error = error.replace(
                        &message.recipient,
                        &messages::mask_email(&message.recipient),
                    );
                    tracing::warn!(
                        outbox.id = id,
                        attempts,
                        retry_in_secs = delay.as_secs(),
                        %error,
                        "mail not sent; will try again"
                    );
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    async fn send(&self, message: &outbox::SqlMessage) -> Result<(), String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|error| format!("bad recipient: {error}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(None)
            .singlepart(SinglePart::plain(message.body_text.clone()))
            .map_err(|error| format!("could not build the message: {error}"))?;
        match self.transport.as_ref() {
            Transport::Smtp(smtp) => smtp.send(email).await.map(drop).map_err(|e| e.to_string()),
            Transport::Folder(folder) => folder
                .send(email)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }

    async fn time_until_next_attempt(&self) -> Duration {
        match outbox::next_attempt_at(self.db.pool()).await {
            Ok(Some(at)) => {
                let wait = u64::try_from(at - db::now_ms()).unwrap_or(0);
                Duration::from_millis(wait).min(IDLE_POLL)
            }
            _ => IDLE_POLL,
        }
    }
}

/// The wait before attempt `attempts + 1`: the base, doubled per failure, at most an hour.
pub fn retry_delay(base: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    base.saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_RETRY_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_delay_doubles_and_stops_at_an_hour() {
        let base = Duration::from_secs(10);
        assert_eq!(retry_delay(base, 1), Duration::from_secs(10));
        assert_eq!(retry_delay(base, 2), Duration::from_secs(20));
        assert_eq!(retry_delay(base, 4), Duration::from_secs(80));
        assert_eq!(retry_delay(base, 30), MAX_RETRY_DELAY);
    }
}
