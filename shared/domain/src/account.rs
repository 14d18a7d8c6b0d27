//! Local accounts: a user name and a password for people who run Storyloom on their own
//! machine (on AWS, a Cognito user pool keeps accounts instead). An account's id is the
//! owner every book and character already belongs to, so tenancy, sharing, limits and
//! tiers apply to a signed-in person exactly as to a bearer token.

use crate::error::{Error, Result};
use crate::ids::OwnerId;
use crate::validation::Checker;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The shortest password accepted (NIST SP 800-63B's floor for chosen secrets).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted: hashing cost grows with length, so it is bounded.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A sign-in name: an email address or a user name, compared case-insensitively. It is
/// also the account's owner id, so a person shares a book by naming the other's login.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(OwnerId);

impl Login {
    /// Validates and normalises (trimmed, lower case) a sign-in name.
    pub fn parse(raw: &str) -> Result<Self> {
        let name = raw.trim().to_lowercase();
        let ok_char = |c: char| c.is_ascii_alphanumeric() || "._-@".contains(c);
        if name.len() < 3 || name.len() > 64 {
            return Err(Error::invalid("login", "must be 3 to 64 characters"));
        }
        if !name.chars().all(ok_char) {
            return Err(Error::invalid(
                "login",
                "may use letters, digits and . _ - @ only (an email address or a user name)",
            ));
        }
        if name.starts_with(['.', '-', '@']) || name.matches('@').count() > 1 {
            return Err(Error::invalid(
                "login",
                "must start with a letter or digit and hold at most one @",
            ));
        }
        // Every login these rules allow is an owner id.
        OwnerId::parse(&name)
            .map(Login)
            .map_err(|e| Error::invalid("login", e.to_string()))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The owner the account's books and characters belong to: the login itself.
    pub fn owner(&self) -> &OwnerId {
        &self.0
    }
}

impl TryFrom<String> for Login {
    type Error = Error;
    fn try_from(raw: String) -> Result<Self> {
        Login::parse(&raw)
    }
}

impl From<Login> for String {
    fn from(login: Login) -> String {
        login.0.into()
    }
}

/// Checks a new password against the policy: long enough, not too long, and not the login.
pub fn check_password(field: &str, password: &str, login: &Login) -> Result<()> {
    let mut checker = Checker::default();
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        checker.fail(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        );
    } else if chars > MAX_PASSWORD_CHARS {
        checker.fail(
            field,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        );
    } else if password.trim().to_lowercase() == login.as_str() {
        checker.fail(field, "must not be the same as the login");
    }
    checker.finish(())
}

/// A local account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Its name, which is also the owner its books and characters belong to.
    pub login: Login,
    /// The password's hash as a PHC string (algorithm, parameters, salt and hash).
    pub password_hash: String,
    pub created_at_ms: u64,
    /// Sessions issued before this instant are no longer honoured (a password change
    /// signs every other session out).
    pub sessions_valid_from_ms: u64,
}

/// A signed-in browser. The store keys it by the SHA-256 of its token, so a copy of the
/// store cannot be replayed as sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub owner: OwnerId,
    pub created_at_ms: u64,
    pub expires_at_ms: u64,
    /// The anti-forgery token a state-changing request must echo in `X-CSRF-Token`.
    pub csrf: String,
}

impl Account {
    /// The owner its books and characters belong to.
    pub fn owner(&self) -> &OwnerId {
        self.login.owner()
    }
}

/// Where local accounts and their sessions live.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Saves a new account; `Conflict` when the login is taken.
    async fn create_account(&self, account: &Account) -> Result<()>;
    /// The account of `owner` (the owner a login names).
    async fn account(&self, owner: &OwnerId) -> Result<Option<Account>>;
    /// Replaces an existing account's record (a new password hash).
    async fn update_account(&self, account: &Account) -> Result<()>;
    /// Removes the account and its sessions.
    async fn delete_account(&self, owner: &OwnerId) -> Result<()>;
    /// Saves a session under the hash of its token.
    async fn put_session(&self, token_hash: &str, session: &Session) -> Result<()>;
    /// The session under a token hash, if any (expired ones too: callers check).
    async fn session(&self, token_hash: &str) -> Result<Option<Session>>;
    /// Ends one session.
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(
            Login::parse("  Ana@Example.org ").map(|l| l.as_str().to_owned()),
            Ok("ana@example.org".to_owned())
        );
        assert!(Login::parse("sam_the-reader").is_ok());
        for bad in [
            "ab",
            "a b c",
            "@ana",
            "ana@x@y",
            "ana#1",
            "a+b@x.org",
            &"x".repeat(65),
        ] {
            assert!(Login::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_follow_the_policy() {
        let login = Login::parse("ana").expect("valid");
        assert!(check_password("password", "correct horse", &login).is_ok());
        assert!(check_password("password", "short", &login).is_err());
        assert!(check_password("password", &"x".repeat(129), &login).is_err());
        let same = Login::parse("ana-reader").expect("valid");
        assert!(check_password("password", "Ana-Reader", &same).is_err());
    }
}
