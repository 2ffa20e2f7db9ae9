//! The Account page and two-factor setup. A new secret changes nothing until a current code
//! from it is confirmed, so nobody locks themselves out.

use staffgate_app::api::types::{AccountView, PendingEnrollment, SetupView};
use staffgate_app::error::AppError;
use staffgate_app::ssr::RequestContext;
use staffgate_core::clock::words::describe_code_drift;
use staffgate_core::otp::{
    AccountName, Issuer, OtpKey, OtpParams, SecretKey, Verdict, Window, enrollment_uri,
    normalize_code, verify,
};

use crate::db::notifications::{self, Actor, Entry, Event};
use crate::db::users::SqlUser;
use crate::db::{credentials, now_ms, outbox, settings};
use crate::mail::messages;
use crate::service::codes::{CodeRoute, params_from_row};
use crate::service::disable::{DisableError, DisableRequest, disable_two_factor};
use crate::service::{Staffgate, internal, role_of};
use crate::when::format_utc;

impl Staffgate {
    /// The Account page.
    pub(super) async fn account_view(&self, cx: &RequestContext) -> Result<AccountView, AppError> {
        let user = self.signed_in(cx).await?;
        let active = credentials::for_user(self.db.pool(), user.id)
            .await
            .map_err(internal("load credentials"))?;
        let code_digits = active.first().map_or(6, |credential| credential.digits);
        Ok(AccountView {
            role: role_of(&user),
            username: user.username,
            email: user.email,
            two_factor_on: !active.is_empty(),
            code_digits: u8::try_from(code_digits).unwrap_or(6),
        })
    }

    /// The setup page: whether two-factor is on, and the pending secret if there is one.
    pub(super) async fn setup_view(&self, cx: &RequestContext) -> Result<SetupView, AppError> {
        let user = self.signed_in(cx).await?;
        let enrolled = credentials::count_for_user(self.db.pool(), user.id)
            .await
            .map_err(internal("count credentials"))?;
        let pending = credentials::pending(self.db.pool(), user.id)
            .await
            .map_err(internal("load a pending secret"))?;
        let pending = match pending {
            Some(row) => {
                let secret = self
                    .secrets
                    .open(&row.secret)
                    .map_err(internal("open a secret"))?;
                let params = params_from_row(&row.algorithm, row.digits, row.period)?;
                Some(
                    self.describe_pending(&user.username, &SecretKey::from_bytes(secret), params)
                        .await?,
                )
            }
            None => None,
        };
        Ok(SetupView {
            role: role_of(&user),
            two_factor_on: enrolled > 0,
            pending,
        })
    }

    async fn describe_pending(
        &self,
        username: &str,
        secret: &SecretKey,
        params: OtpParams,
    ) -> Result<PendingEnrollment, AppError> {
        let stored = settings::get(self.db.pool())
            .await
            .map_err(internal("read settings"))?;
        let issuer = Issuer::parse(&stored.issuer).map_err(internal("read the issuer"))?;
        let account = AccountName::parse(username).map_err(internal("use a username as label"))?;
        Ok(PendingEnrollment {
            uri: enrollment_uri(&issuer, &account, secret, &params),
            key_grouped: secret.grouped_base32(),
            issuer: issuer.as_str().to_owned(),
            account: account.as_str().to_owned(),
            algorithm: params.algorithm.as_str().to_owned(),
            digits: params.digits.get(),
            period_secs: params.period.secs(),
            non_default: !params.is_default(),
        })
    }

    /// Makes a new 160-bit secret for the user; the active credential stays as it is.
    pub(super) async fn start_enrollment(&self, cx: &RequestContext) -> Result<(), AppError> {
        let user = self.signed_in(cx).await?;
        let stored = settings::get(self.db.pool())
            .await
            .map_err(internal("read settings"))?;
        let params = params_from_row(&stored.algorithm, stored.digits, stored.period)?;

        let secret = SecretKey::generate();
        let sealed = self.secrets.seal(secret.as_bytes());
        credentials::put_pending(
            self.db.pool(),
            user.id,
            &sealed,
            params.algorithm.as_str(),
            i64::from(params.digits.get()),
            i64::from(params.period.secs()),
            now_ms(),
        )
        .await
        .map_err(internal("store a pending secret"))?;
        tracing::info!(user.id = user.id, "new secret generated for setup");
        Ok(())
    }

    /// Confirms the pending secret with a current code and makes it the active credential. The
    /// code is a reserved attempt like any other: a wrong one counts, a right one clears the
    /// count.
    pub(super) async fn finish_enrollment(
        &self,
        cx: &RequestContext,
        code: String,
    ) -> Result<(), AppError> {
        let user = self.signed_in(cx).await?;
        let now = now_ms();
        // With nothing to confirm, no code is checked and none is counted.
        let pending = credentials::pending(self.db.pool(), user.id)
            .await
            .map_err(internal("load a pending secret"))?;
        if pending.is_none() {
            return Err(nothing_to_confirm());
        }

        let confirm = self.confirm_pending(cx, &user, &code, now);
        self.with_code_attempt(&user, now, confirm).await?;
        self.mailer.wake();
        tracing::info!(user.id = user.id, "two-factor turned on");
        Ok(())
    }

    /// Checks `code` against the pending secret and, if it is current, makes that secret the
    /// active credential, in one transaction. A wrong code writes nothing.
    async fn confirm_pending(
        &self,
        cx: &RequestContext,
        user: &SqlUser,
        code: &str,
        now: i64,
    ) -> Result<(), AppError> {
        let now_secs = u64::try_from(now / 1000).unwrap_or(0);
        let mut tx = self
            .db
            .begin_write()
            .await
            .map_err(internal("begin a transaction"))?;

        let pending = credentials::pending(&mut *tx, user.id)
            .await
            .map_err(internal("load a pending secret"))?
            .ok_or_else(nothing_to_confirm)?;
        let secret = self
            .secrets
            .open(&pending.secret)
            .map_err(internal("open a secret"))?;
        let params = params_from_row(&pending.algorithm, pending.digits, pending.period)?;
        let key = OtpKey::new(SecretKey::from_bytes(secret), params);

        let verdict = normalize_code(code, params.digits)
            .map(|normalized| verify(&key, &normalized, now_secs, Window::STANDARD, None));
        let step = match verdict {
            Ok(Verdict::Accepted { step, .. }) => step,
            refused => {
                // Nothing was written: the transaction is dropped with the refusal.
                if let Some(message) = ignored_settings(&key, code, now_secs) {
                    return Err(AppError::WrongCode(message));
                }
                return Err(AppError::WrongCode(match refused {
                    Err(format) => format.to_string(),
                    Ok(Verdict::Rejected { drift: Some(steps) }) => {
                        describe_code_drift(steps, params.period.secs())
                    }
                    Ok(_) => "That code does not match the new secret. Enter the code your app \
                              shows now for this account."
                        .into(),
                }));
            }
        };

        credentials::delete_for_user(&mut *tx, user.id, Some("app"))
            .await
            .map_err(internal("replace the old app credential"))?;
        let new = credentials::NewCredential {
            user_id: user.id,
            kind: "app",
            label: "Authenticator app",
            sealed_secret: &pending.secret,
            algorithm: params.algorithm.as_str(),
            digits: i64::from(params.digits.get()),
            period: i64::from(params.period.secs()),
            last_step: Some(i64::try_from(step).map_err(internal("store a time step"))?),
        };
        credentials::insert(&mut *tx, new, now)
            .await
            .map_err(internal("store a credential"))?;
        credentials::delete_pending(&mut *tx, user.id)
            .await
            .map_err(internal("drop the pending secret"))?;
        let actor = Actor::User {
            id: user.id,
            username: user.username.clone(),
        };
        let entry = Entry {
            event: Event::TwoFactorEnabled,
            actor: &actor,
            subject: Some((user.id, &user.username)),
            client_addr: cx.client_addr.as_deref(),
            reason: None,
            detail: Some("authenticator app"),
        };
        notifications::append(&mut *tx, entry, now)
            .await
            .map_err(internal("log an enrollment"))?;
        let draft = messages::two_factor_enabled(&user.username, &format_utc(now));
        outbox::enqueue(&mut *tx, &user.email, &draft.subject, &draft.body, now)
            .await
            .map_err(internal("queue mail"))?;
        tx.commit().await.map_err(internal("commit an enrollment"))
    }

    /// Turns off the user's own two-factor, given a current code.
    pub(super) async fn disable_own_two_factor(
        &self,
        cx: &RequestContext,
        code: String,
    ) -> Result<(), AppError> {
        let user = self.signed_in(cx).await?;
        let checked = self
            .check_code(&user, &code, now_ms(), CodeRoute::SignedIn)
            .await?;
        if let Err(refusal) = checked {
            return Err(refusal.error);
        }

        let actor = Actor::User {
            id: user.id,
            username: user.username.clone(),
        };
        let request = DisableRequest {
            user_id: user.id,
            actor: &actor,
            by_user: true,
            reason: None,
            client_addr: cx.client_addr.as_deref(),
        };
        match disable_two_factor(&self.db, &self.mailer, request).await {
            Ok(_) => Ok(()),
            Err(DisableError::AlreadyOff(_)) => Err(AppError::Conflict(
                "Two-factor authentication is already off.".into(),
            )),
            Err(error) => Err(internal("turn off two-factor")(error)),
        }
    }
}

fn nothing_to_confirm() -> AppError {
    AppError::Conflict("There is no new secret to confirm. Generate a new secret first.".into())
}

/// When the installation uses non-default settings and the code is what SHA1/6/30 would give,
/// the app ignored the settings: say so, naming them.
fn ignored_settings(key: &OtpKey, code: &str, now_secs: u64) -> Option<String> {
    if key.params.is_default() {
        return None;
    }
    let defaults = OtpParams::default();
    let code = normalize_code(code, defaults.digits).ok()?;
    let fallback = OtpKey::new(key.secret.clone(), defaults);
    if !verify(&fallback, &code, now_secs, Window::STANDARD, None).is_accepted() {
        return None;
    }
    Some(format!(
        "Your authenticator app ignored this installation's settings ({}, {} digits, a new code \
         every {} seconds) and made a SHA1, 6-digit, 30-second code instead. Use an app that \
         supports these settings, or ask an administrator to use the defaults.",
        key.params.algorithm.as_str(),
        key.params.digits.get(),
        key.params.period.secs(),
    ))
}
