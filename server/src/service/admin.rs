//! Administration: the user table, turning off a user's two-factor, the notification log and
//! the installation settings. Every method starts by checking that the caller is an admin.

use std::collections::HashMap;

use staffgate_app::api::types::{InstallationSettings, NotificationRow, Role, UserRow};
use staffgate_app::error::AppError;
use staffgate_app::ssr::RequestContext;
use staffgate_core::clock::words::describe_drift_short;
use staffgate_core::otp::{Algorithm, Digits, Issuer, Period};

use crate::db::notifications::{self, Actor, Event};
use crate::db::users::SqlDeviceClock;
use crate::db::{settings, users};
use crate::password;
use crate::service::disable::{DisableError, DisableRequest, MAX_REASON_CHARS, disable_two_factor};
use crate::service::{Staffgate, internal};
use crate::when::format_utc;

/// Entries shown on "System Notifications".
const NOTIFICATIONS_SHOWN: i64 = 500;

impl Staffgate {
    /// Every user, for "Manage System Users".
    pub(super) async fn user_rows(&self, cx: &RequestContext) -> Result<Vec<UserRow>, AppError> {
        self.admin(cx).await?;
        let rows = users::list(self.db.pool())
            .await
            .map_err(internal("list users"))?;
        let mut clocks: HashMap<i64, Vec<SqlDeviceClock>> = HashMap::new();
        for clock in users::device_clocks(self.db.pool())
            .await
            .map_err(internal("list device clocks"))?
        {
            clocks.entry(clock.user_id).or_default().push(clock);
        }
        Ok(rows
            .into_iter()
            .map(|row| UserRow {
                id: row.id,
                role: Role::parse(&row.role).unwrap_or(Role::Staff),
                username: row.username,
                email: row.email,
                two_factor_on: row.credentials > 0,
                last_sign_in: row.last_sign_in_at.map(format_utc),
                device_clock: describe_device_clocks(
                    clocks.get(&row.id).map_or(&[], Vec::as_slice),
                ),
            })
            .collect())
    }

    /// Turns off another user's two-factor after checking the admin's own password again.
    pub(super) async fn disable_for_user(
        &self,
        cx: &RequestContext,
        user_id: i64,
        reason: String,
        password: String,
    ) -> Result<(), AppError> {
        let admin = self.admin(cx).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid(
                "Give a reason: it goes into the log and the mail.".into(),
            ));
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::Invalid(format!(
                "The reason is too long: at most {MAX_REASON_CHARS} characters."
            )));
        }
        let matches = password::verify(password, Some(admin.password_hash.clone()))
            .await
            .map_err(internal("check a password"))?;
        if !matches {
            tracing::warn!(user.id = admin.id, "admin password check failed");
            return Err(AppError::Invalid("Your password is not right.".into()));
        }

        let actor = Actor::User {
            id: admin.id,
            username: admin.username.clone(),
        };
        let request = DisableRequest {
            user_id,
            actor: &actor,
            by_user: false,
            reason: Some(reason),
            client_addr: cx.client_addr.as_deref(),
        };
        match disable_two_factor(&self.db, &self.mailer, request).await {
            Ok(_) => Ok(()),
            Err(DisableError::UnknownUser) => {
                Err(AppError::NotFound("There is no such user.".into()))
            }
            Err(DisableError::AlreadyOff(username)) => Err(AppError::Conflict(format!(
                "Two-factor authentication is already off for {username}."
            ))),
            Err(error) => Err(internal("turn off two-factor")(error)),
        }
    }

    /// The log, newest first.
    pub(super) async fn notification_rows(
        &self,
        cx: &RequestContext,
    ) -> Result<Vec<NotificationRow>, AppError> {
        self.admin(cx).await?;
        let rows = notifications::newest(self.db.pool(), NOTIFICATIONS_SHOWN)
            .await
            .map_err(internal("read notifications"))?;
        Ok(rows
            .into_iter()
            .map(|row| NotificationRow {
                id: row.id,
                at: format_utc(row.created_at),
                event: Event::describe(&row.event),
                actor: row.actor,
                subject: row.subject,
                address: row.client_addr,
                reason: row.reason,
                detail: row.detail,
            })
            .collect())
    }

    /// The installation settings.
    pub(super) async fn installation_settings(
        &self,
        cx: &RequestContext,
    ) -> Result<InstallationSettings, AppError> {
        self.admin(cx).await?;
        let stored = settings::get(self.db.pool())
            .await
            .map_err(internal("read settings"))?;
        Ok(InstallationSettings {
            issuer: stored.issuer,
            algorithm: stored.algorithm,
            digits: u8::try_from(stored.digits).unwrap_or(6),
            period_secs: u32::try_from(stored.period).unwrap_or(30),
        })
    }

    /// Validates and stores new installation settings (for new enrollments only).
    pub(super) async fn change_settings(
        &self,
        cx: &RequestContext,
        new: InstallationSettings,
    ) -> Result<(), AppError> {
        let admin = self.admin(cx).await?;
        let invalid = |error: staffgate_core::otp::ParamError| AppError::Invalid(error.to_string());
        let issuer = Issuer::parse(&new.issuer).map_err(invalid)?;
        let algorithm: Algorithm = new.algorithm.parse().map_err(invalid)?;
        let digits = Digits::new(new.digits).map_err(invalid)?;
        let period = Period::new(new.period_secs).map_err(invalid)?;

        let row = settings::SqlSettings {
            issuer: issuer.as_str().to_owned(),
            algorithm: algorithm.as_str().to_owned(),
            digits: i64::from(digits.get()),
            period: i64::from(period.secs()),
        };
        settings::put(self.db.pool(), &row)
            .await
            .map_err(internal("store settings"))?;
        tracing::info!(user.id = admin.id, "installation settings changed");
        Ok(())
    }
}

/// The "Device clock" cell: the last observed offset of the user's one credential ("device
/// clock about +2 min"), or of each, named, when there are several.
fn describe_device_clocks(clocks: &[SqlDeviceClock]) -> Option<String> {
    let describe = |clock: &SqlDeviceClock| {
        describe_drift_short(clock.last_offset_steps.saturating_mul(clock.period))
    };
    match clocks {
        [] => None,
        [only] => Some(describe(only)),
        several => Some(
            several
                .iter()
                .map(|clock| format!("{}: {}", clock.label, describe(clock)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(label: &str, last_offset_steps: i64, period: i64) -> SqlDeviceClock {
        SqlDeviceClock {
            user_id: 1,
            label: label.to_owned(),
            last_offset_steps,
            period,
        }
    }

    #[test]
    fn one_credential_gives_its_offset_and_several_name_theirs() {
        assert_eq!(describe_device_clocks(&[]), None);
        assert_eq!(
            describe_device_clocks(&[clock("Authenticator app", 4, 30)]).as_deref(),
            Some("device clock about +2 min")
        );
        assert_eq!(
            describe_device_clocks(&[clock("Authenticator app", 0, 30), clock("CSV-001", -3, 30)])
                .as_deref(),
            Some(
                "Authenticator app: device clock in step; CSV-001: device clock about \u{2212}90 s"
            )
        );
    }
}
