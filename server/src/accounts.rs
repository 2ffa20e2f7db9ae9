//! Creating users: the rules for usernames, addresses, roles and passwords.

use staffgate_app::api::types::Role;

use crate::db::notifications::{self, Actor, Entry, Event};
use crate::db::{self, Db, users};
use crate::password;

/// The shortest password accepted for a new user.
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_USERNAME_CHARS: usize = 64;

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error(
        "the username must be 1 to {MAX_USERNAME_CHARS} characters of a-z, 0-9, '.', '_', '-' \
         or '@', starting with a letter or digit"
    )]
    BadUsername,
    #[error("{0:?} is not a mail address")]
    BadEmail(String),
    #[error("the role must be admin, staff or reseller, not {0:?}")]
    BadRole(String),
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    ShortPassword,
    #[error("a user named {0:?} already exists")]
    Duplicate(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Checks a username and returns its stored (lower-case) form.
pub fn normalize_username(username: &str) -> Result<String, CreateUserError> {
    let username = username.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c);
    let starts_well = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !starts_well || username.len() > MAX_USERNAME_CHARS || !username.chars().all(allowed) {
        return Err(CreateUserError::BadUsername);
    }
    Ok(username)
}

/// Creates a user and logs it; returns the new id.
pub async fn create_user(
    db: &Db,
    username: &str,
    email: &str,
    role: &str,
    password: String,
    actor: &Actor,
) -> Result<i64, CreateUserError> {
    let username = normalize_username(username)?;
    let email = email.trim();
    if email.parse::<lettre::Address>().is_err() {
        return Err(CreateUserError::BadEmail(email.to_owned()));
    }
    let role = Role::parse(role).ok_or_else(|| CreateUserError::BadRole(role.to_owned()))?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CreateUserError::ShortPassword);
    }

    let hash = password::hash(password).await?;
    let now = db::now_ms();
    let mut tx = db.begin_write().await.map_err(anyhow::Error::from)?;
    let id = match users::insert(&mut *tx, &username, email, role.as_str(), &hash, now).await {
        Ok(id) => id,
        Err(error) if db::is_unique_violation(&error, users::USERNAME_KEY, "username") => {
            return Err(CreateUserError::Duplicate(username));
        }
        Err(error) => return Err(anyhow::Error::from(error).into()),
    };
    let detail = format!("role {}", role.as_str());
    let entry = Entry {
        event: Event::UserCreated,
        actor,
        subject: Some((id, &username)),
        client_addr: None,
        reason: None,
        detail: Some(&detail),
    };
    notifications::append(&mut *tx, entry, now)
        .await
        .map_err(anyhow::Error::from)?;
    tx.commit().await.map_err(anyhow::Error::from)?;

    tracing::info!(user.id = id, role = role.as_str(), "user created");
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_stored_in_lower_case_and_checked() {
        assert_eq!(normalize_username("  Alice.Ops ").unwrap(), "alice.ops");
        assert_eq!(
            normalize_username("bob@example.test").unwrap(),
            "bob@example.test"
        );
        for bad in [
            "",
            "-lead",
            "has space",
            "colon:name",
            "ünicode",
            &"a".repeat(65),
        ] {
            assert!(
                normalize_username(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
