//! Bearer tokens for the local stack: HS256 JWTs signed with a key from the secrets port.
//! On AWS, API Gateway's JWT authorizer does this work and the functions only read the
//! verified claims; locally nothing stands in front of the router, so it verifies itself.

use crate::caller::VerifiedOwner;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use storyloom_domain::{OwnerId, Tier};

/// The secret that holds the local signing key.
pub const SIGNING_KEY_SECRET: &str = "jwt-signing-key";
/// The issuer the local stack signs as and accepts.
pub const LOCAL_ISSUER: &str = "storyloom-local";
/// The audience of every Storyloom token.
pub const AUDIENCE: &str = "storyloom-api";
/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 30;
/// The shortest signing key accepted (HS256 wants at least the hash size).
const MIN_KEY_BYTES: usize = 32;

/// Why a token was refused; the message is safe to show to the caller.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired; sign in again")]
    Expired,
    #[error("the token is not valid yet (nbf is in the future)")]
    NotYetValid,
    #[error("the token's signature does not verify")]
    BadSignature,
    #[error("the token is for another audience")]
    WrongAudience,
    #[error("the token was issued by someone this API does not trust")]
    WrongIssuer,
    #[error("the token must be signed with HS256")]
    WrongAlgorithm,
    #[error("the token's subject is not a usable user id: {0}")]
    BadSubject(String),
    #[error("the token is malformed: {0}")]
    Malformed(String),
}

/// The signing key is unusable.
#[derive(Debug, thiserror::Error)]
#[error("the signing key must be at least {MIN_KEY_BYTES} bytes")]
pub struct WeakKey;

/// The claims Storyloom issues and checks.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: u64,
    nbf: u64,
    exp: u64,
    /// The reader's plan ([`Tier::CLAIM`]); absent means free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tier: Option<String>,
}

/// Mints and verifies the local stack's tokens.
pub struct TokenAuthority {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenAuthority { .. }")
    }
}

impl TokenAuthority {
    /// An authority over `key` (the secret's text, used as bytes).
    pub fn new(key: &str) -> Result<Self, WeakKey> {
        if key.len() < MIN_KEY_BYTES {
            return Err(WeakKey);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[LOCAL_ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "sub", "aud", "iss"]);
        Ok(TokenAuthority {
            encoding: EncodingKey::from_secret(key.as_bytes()),
            decoding: DecodingKey::from_secret(key.as_bytes()),
            validation,
        })
    }

    /// A fresh random signing key (hex, 256 bits), for a stack's first start.
    pub fn generate_key() -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A free-tier token naming `owner`, valid for `ttl` from `now_secs` (Unix seconds).
    pub fn mint(&self, owner: &OwnerId, now_secs: u64, ttl: Duration) -> String {
        self.mint_for(owner, Tier::Free, now_secs, ttl)
    }

    /// As [`TokenAuthority::mint`], for a reader of `tier`.
    pub fn mint_for(&self, owner: &OwnerId, tier: Tier, now_secs: u64, ttl: Duration) -> String {
        let claims = Claims {
            tier: (tier != Tier::Free).then(|| tier.as_str().to_owned()),
            sub: owner.to_string(),
            iss: LOCAL_ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now_secs,
            nbf: now_secs,
            exp: now_secs + ttl.as_secs(),
        };
        // Encoding HS256 claims of plain strings and numbers cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_default()
    }

    /// The owner (and tier) a token names, if it verifies: signature, algorithm, issuer,
    /// audience, expiry and not-before are all checked.
    pub fn verify(&self, token: &str) -> Result<VerifiedOwner, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::ImmatureSignature => TokenError::NotYetValid,
                ErrorKind::InvalidSignature => TokenError::BadSignature,
                ErrorKind::InvalidAudience => TokenError::WrongAudience,
                ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::WrongAlgorithm
                }
                _ => TokenError::Malformed(e.to_string()),
            })?;
        let owner =
            OwnerId::parse(&data.claims.sub).map_err(|e| TokenError::BadSubject(e.to_string()))?;
        Ok(VerifiedOwner {
            owner,
            tier: crate::caller::tier_of(data.claims.tier.as_deref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn owner() -> OwnerId {
        OwnerId::parse("reader-1").expect("valid")
    }

    #[test]
    fn a_minted_token_verifies_as_its_owner() {
        let auth = TokenAuthority::new(KEY).expect("key");
        let token = auth.mint(&owner(), now(), Duration::from_secs(60));
        assert_eq!(
            auth.verify(&token),
            Ok(VerifiedOwner {
                owner: owner(),
                tier: Tier::Free
            })
        );
        let paid = auth.mint_for(&owner(), Tier::Paid, now(), Duration::from_secs(60));
        assert_eq!(auth.verify(&paid).map(|v| v.tier), Ok(Tier::Paid));
    }

    #[test]
    fn short_keys_are_refused_and_generated_keys_are_long_and_fresh() {
        assert!(TokenAuthority::new("short").is_err());
        let a = TokenAuthority::generate_key().expect("entropy");
        let b = TokenAuthority::generate_key().expect("entropy");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(TokenAuthority::new(&a).is_ok());
    }

    #[test]
    fn expired_and_future_tokens_are_refused() {
        let auth = TokenAuthority::new(KEY).expect("key");
        let old = auth.mint(&owner(), now() - 3600, Duration::from_secs(60));
        assert_eq!(auth.verify(&old), Err(TokenError::Expired));
        let future = auth.mint(&owner(), now() + 3600, Duration::from_secs(60));
        assert_eq!(auth.verify(&future), Err(TokenError::NotYetValid));
    }

    #[test]
    fn a_token_from_another_key_is_refused() {
        let auth = TokenAuthority::new(KEY).expect("key");
        let other = TokenAuthority::new("ffffffffffffffffffffffffffffffff").expect("key");
        let token = other.mint(&owner(), now(), Duration::from_secs(60));
        assert_eq!(auth.verify(&token), Err(TokenError::BadSignature));
        assert!(matches!(
            auth.verify("not.a.token"),
            Err(TokenError::Malformed(_))
        ));
    }
}
