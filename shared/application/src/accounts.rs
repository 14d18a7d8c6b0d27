//! Local accounts: sign up, sign in, sessions, sign out, change password, close the account.
//!
//! Passwords are hashed with Argon2id at OWASP's recommended floor (19 MiB of memory, two
//! passes, one lane; [`PARAMS`]); the hash is a PHC string, so stronger parameters later
//! still verify old hashes. Hashing runs on the blocking pool: it is deliberately slow.

use crate::limits::Limiter;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use std::time::Duration;
use storyloom_domain::account::{Account, AccountStore, Login, Session, check_password};
use storyloom_domain::ports::{
    BlobStore, BookStore, CharacterStore, Clock, ShareStore, SpendingStore,
};
use storyloom_domain::{Error, Result};

/// Argon2id memory (KiB), passes and lanes.
pub const PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);
/// How long a session lasts from sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The login and password do not match an account. Deliberately does not say which.
    #[error("that login and password do not match an account")]
    BadCredentials,
    /// Anything else: bad input, a taken login, the store.
    #[error(transparent)]
    Domain(#[from] Error),
}

/// A new session: the token goes to the browser (once), the record to the store.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub session: Session,
    pub login: Login,
}

fn hasher() -> Argon2<'static> {
    let (m, t, p) = PARAMS;
    // The constants are within Argon2's bounds, so building them cannot fail.
    let params = Params::new(m, t, p, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| Error::Transient(format!("no entropy: {e}")))?;
        let salt = SaltString::encode_b64(&salt)
            .map_err(|e| Error::Permanent(format!("salt encoding: {e}")))?;
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Permanent(format!("password hashing: {e}")))
    })
    .await
    .map_err(|e| Error::Transient(format!("hashing task: {e}")))?
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash no password matches, verified when the login is unknown so that a wrong login
/// takes as long to refuse as a wrong password (no account enumeration by timing).
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3Rvcnlsb29tZGVjb3k$u8qK1oE5pR9bJ3pUQ9gD0q6q0cJqQ0m6b0sX9yq2h1M";

/// The store key of a session token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| Error::Transient(format!("no entropy: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates an account and signs it in.
pub async fn sign_up(
    clock: &dyn Clock,
    accounts: &dyn AccountStore,
    login: &str,
    password: &str,
) -> Result<Issued, AccountError> {
    let login = Login::parse(login)?;
    check_password("password", password, &login)?;
    let now = clock.now_ms();
    let account = Account {
        login: login.clone(),
        password_hash: hash_password(password.to_owned()).await?,
        created_at_ms: now,
        sessions_valid_from_ms: now,
    };
    accounts
        .create_account(&account)
        .await
        .map_err(|e| match e {
            Error::Conflict(_) => Error::Conflict(format!(
                "the login {} is taken; sign in, or choose another",
                login.as_str()
            )),
            other => other,
        })?;
    tracing::info!(owner = %account.owner(), "account created");
    Ok(issue(clock, accounts, &account).await?)
}

/// Signs in with a login and password.
pub async fn sign_in(
    clock: &dyn Clock,
    accounts: &dyn AccountStore,
    login: &str,
    password: &str,
) -> Result<Issued, AccountError> {
    let found = match Login::parse(login) {
        Ok(login) => accounts.account(login.owner()).await?,
        Err(_) => None,
    };
    let hash = found
        .as_ref()
        .map_or(DECOY_HASH.to_owned(), |a| a.password_hash.clone());
    let matches = verify_password(password.to_owned(), hash).await;
    match found {
        Some(account) if matches => Ok(issue(clock, accounts, &account).await?),
        _ => Err(AccountError::BadCredentials),
    }
}

async fn issue(
    clock: &dyn Clock,
    accounts: &dyn AccountStore,
    account: &Account,
) -> Result<Issued> {
    let now = clock.now_ms();
    let token = random_hex(32)?;
    let session = Session {
        owner: account.owner().clone(),
        created_at_ms: now,
        expires_at_ms: now + SESSION_TTL.as_millis() as u64,
        csrf: random_hex(24)?,
    };
    accounts.put_session(&token_hash(&token), &session).await?;
    Ok(Issued {
        token,
        session,
        login: account.login.clone(),
    })
}

/// The live session a token names, with its account: `None` when the token is unknown,
/// expired, signed out, from before a password change, or its account was closed.
pub async fn session(
    clock: &dyn Clock,
    accounts: &dyn AccountStore,
    token: &str,
) -> Result<Option<(Session, Account)>> {
    let hash = token_hash(token);
    let Some(session) = accounts.session(&hash).await? else {
        return Ok(None);
    };
    let now = clock.now_ms();
    if session.expires_at_ms <= now {
        accounts.delete_session(&hash).await?;
        return Ok(None);
    }
    let Some(account) = accounts.account(&session.owner).await? else {
        return Ok(None);
    };
    if session.created_at_ms < account.sessions_valid_from_ms {
        return Ok(None);
    }
    Ok(Some((session, account)))
}

/// Ends the session a token names (signing out twice is not an error).
pub async fn sign_out(accounts: &dyn AccountStore, token: &str) -> Result<()> {
    accounts.delete_session(&token_hash(token)).await
}

/// Goes on only when `password` is the account's (before changing or closing it).
async fn confirm(account: &Account, password: &str, field: &str) -> Result<(), AccountError> {
    if verify_password(password.to_owned(), account.password_hash.clone()).await {
        Ok(())
    } else {
        Err(Error::invalid(field, "is not your current password").into())
    }
}

/// Changes the signed-in `account`'s password after checking the current one. Every
/// session but a new one issued here is signed out.
pub async fn change_password(
    clock: &dyn Clock,
    accounts: &dyn AccountStore,
    mut account: Account,
    current: &str,
    new: &str,
) -> Result<Issued, AccountError> {
    confirm(&account, current, "current_password").await?;
    check_password("new_password", new, &account.login)?;
    account.password_hash = hash_password(new.to_owned()).await?;
    // Sessions from before this millisecond end; the one issued below starts after it.
    account.sessions_valid_from_ms = clock.now_ms();
    accounts.update_account(&account).await?;
    tracing::info!(owner = %account.owner(), "password changed; other sessions signed out");
    Ok(issue(clock, accounts, &account).await?)
}

/// Closes the signed-in `account`: its books (cancelled first when still being made, then
/// deleted with their pictures and files), its characters, the shares it was given, and the
/// account with every session. Repeatable after a crash midway: what was deleted stays
/// deleted.
pub async fn close<S>(
    limiter: &Limiter<'_, S>,
    blobs: &dyn BlobStore,
    accounts: &dyn AccountStore,
    account: &Account,
    password: &str,
) -> Result<(), AccountError>
where
    S: BookStore + CharacterStore + ShareStore + SpendingStore + ?Sized,
{
    confirm(account, password, "password").await?;
    let owner = account.owner();
    let store = limiter.store;
    for book in store.list_books(owner).await? {
        if book.status.in_flight() {
            crate::books::cancel(store, limiter.clock, owner, &book.id).await?;
        }
        crate::books::delete(limiter, blobs, owner, &book.id).await?;
    }
    for character in store.list_characters(owner).await? {
        crate::characters::delete(store, blobs, owner, &character.id).await?;
    }
    for share in store.shared_with(owner).await? {
        store.delete_share(&share.book_id, owner).await?;
    }
    accounts.delete_account(owner).await?;
    tracing::info!(owner = %owner, "account closed with its books and characters");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify_only_their_password() {
        let a = hash_password("correct horse".into()).await.expect("hash");
        let b = hash_password("correct horse".into()).await.expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse".into(), a.clone()).await);
        assert!(!verify_password("correct horsf".into(), a).await);
        assert!(
            PasswordHash::new(DECOY_HASH).is_ok(),
            "the decoy must cost a real verify"
        );
        assert!(!verify_password("anything".into(), DECOY_HASH.into()).await);
    }

    #[test]
    fn token_hashes_are_sha256_hex() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
