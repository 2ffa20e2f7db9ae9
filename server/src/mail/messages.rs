//! The words of the mail Staffgate sends. Plain text, no secrets, no links that sign in.

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub body: String,
}

/// Who turned two-factor off, for the mail.
#[derive(Debug, Clone, Copy)]
pub enum DisabledBy<'a> {
    User,
    Admin {
        username: &'a str,
        client_addr: Option<&'a str>,
    },
    CommandLine,
}

/// Tells a user that two-factor authentication was turned off on their account.
pub fn two_factor_disabled(
    username: &str,
    when: &str,
    by: DisabledBy<'_>,
    reason: Option<&str>,
) -> Draft {
    let who = match by {
        DisabledBy::User => "you (with a current code, while signed in)".to_owned(),
        DisabledBy::Admin {
            username,
            client_addr: Some(addr),
        } => {
            format!("the administrator \"{username}\", from the address {addr}")
        }
        DisabledBy::Admin {
            username,
            client_addr: None,
        } => {
            format!("the administrator \"{username}\"")
        }
        DisabledBy::CommandLine => "an administrator on the Staffgate server's command line".into(),
    };
    let reason = reason
        .map(|reason| format!("Reason given: {reason}\n"))
        .unwrap_or_default();
    // Only someone else's action ends the user's sessions (see `service::disable`).
    let (sessions, next, unexpected) = match by {
        DisabledBy::User => (
            "Your sessions stayed signed in.",
            "From now on you sign in with your password alone; you can set up two-factor \
             authentication again on your Account page whenever you like.",
            "If you did not do this yourself, someone who knows your password and had a \
             current code may be signed in as you: contact your administrator at once and \
             change your password.",
        ),
        DisabledBy::Admin { .. } | DisabledBy::CommandLine => (
            "You were signed out everywhere.",
            "You can now sign in with your password alone; please set up two-factor \
             authentication again on your Account page as soon as you can.",
            "If you did not expect this, contact your administrator at once and change your \
             password: someone may be trying to take over your account.",
        ),
    };

    let body = format!(
        "Hello {username},\n\
         \n\
         Two-factor authentication was turned OFF for your Staffgate account \"{username}\".\n\
         \n\
         When: {when}\n\
         By: {who}\n\
         {reason}\
         \n\
         Codes from your authenticator app, and from any hardware token you held, no longer \
         work for this account. {sessions} {next}\n\
         \n\
         {unexpected}\n\
         \n\
         This message was sent automatically by Staffgate. It contains no link; sign in only \
         at the address you always use.\n"
    );
    Draft {
        subject: "Two-factor authentication was turned off for your account".into(),
        body,
    }
}

/// Tells a user that two-factor authentication was turned on for their account.
pub fn two_factor_enabled(username: &str, when: &str) -> Draft {
    let body = format!(
        "Hello {username},\n\
         \n\
         Two-factor authentication was turned ON for your Staffgate account \"{username}\".\n\
         \n\
         When: {when}\n\
         \n\
         From now on, signing in asks for a code from your authenticator app after your \
         password. Staffgate has no recovery codes: if you lose the device, an administrator \
         can turn two-factor off for you.\n\
         \n\
         If you did not do this, contact your administrator at once and change your password.\n\
         \n\
         This message was sent automatically by Staffgate. It contains no link; sign in only \
         at the address you always use.\n"
    );
    Draft {
        subject: "Two-factor authentication was turned on for your account".into(),
        body,
    }
}

/// Hides most of an address for logs: `a***@example.test`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_disable_mail_names_what_when_who_why_and_what_to_do() {
        let draft = two_factor_disabled(
            "alice",
            "2026-12-03 19:40:12 UTC",
            DisabledBy::Admin {
                username: "root",
                client_addr: Some("192.0.2.7"),
            },
            Some("lost phone"),
        );
        assert!(draft.subject.contains("turned off"));
        for expected in [
            "turned OFF",
            "\"alice\"",
            "When: 2026-12-03 19:40:12 UTC",
            "the administrator \"root\", from the address 192.0.2.7",
            "Reason given: lost phone",
            "If you did not expect this, contact your administrator",
        ] {
            assert!(
                draft.body.contains(expected),
                "missing {expected:?} in:\n{}",
                draft.body
            );
        }
        assert!(
            !draft.body.contains("http"),
            "the mail must not hold a link"
        );
    }

    #[test]
    fn the_command_line_mail_says_so_and_has_no_address() {
        let draft = two_factor_disabled("bob", "now", DisabledBy::CommandLine, Some("locked out"));
        assert!(draft.body.contains("command line"));
        assert!(draft.body.contains("Reason given: locked out"));
        assert!(draft.body.contains("signed out everywhere"));
    }

    #[test]
    fn the_admin_mail_says_the_user_was_signed_out_everywhere() {
        let by = DisabledBy::Admin {
            username: "root",
            client_addr: None,
        };
        let draft = two_factor_disabled("alice", "now", by, Some("lost phone"));
        assert!(draft.body.contains("You were signed out everywhere."));
        assert!(!draft.body.contains("stayed signed in"));
    }

    #[test]
    fn the_mail_for_an_own_turn_off_does_not_claim_a_sign_out() {
        let draft = two_factor_disabled("alice", "now", DisabledBy::User, None);
        assert!(
            !draft.body.contains("signed out"),
            "the user's sessions are not ended:\n{}",
            draft.body
        );
        for expected in [
            "By: you (with a current code, while signed in)",
            "Your sessions stayed signed in.",
            "If you did not do this yourself",
        ] {
            assert!(
                draft.body.contains(expected),
                "missing {expected:?} in:\n{}",
                draft.body
            );
        }
        assert!(!draft.body.contains("Reason given"));
    }

    #[test]
    fn masked_addresses_keep_only_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("alice@example.test"), "a***@example.test");
        assert_eq!(mask_email("nonsense"), "***");
    }
}
