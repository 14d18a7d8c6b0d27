//! Sharing a book: the owner lets another user read it (viewer) or also change it
//! (editor). What a caller may do with a book follows from [`Access`].

use crate::ids::{BookId, OwnerId};
use serde::{Deserialize, Serialize};

/// What a share lets its user do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Read the book, its progress and pages; download pictures and the PDF.
    Viewer,
    /// A viewer who may also change the book: cancel, retry, edit pages, redraw pictures.
    Editor,
}

/// A book shared with one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub book_id: BookId,
    /// The book's owner (kept so a user's shared-with-me list needs no second lookup).
    pub owner: OwnerId,
    /// Who the book is shared with.
    pub user: OwnerId,
    pub role: Role,
    /// Milliseconds since the epoch.
    pub granted_at: u64,
}

/// A caller's standing towards one book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Owner,
    Editor,
    Viewer,
}

/// What a use case needs to do with a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// See it and download it.
    Read,
    /// Change its content or its generation.
    Edit,
    /// Delete or share it.
    Manage,
}

impl Access {
    /// The access `caller` has to a book owned by `owner`, given the caller's share of it.
    pub fn of(owner: &OwnerId, caller: &OwnerId, share: Option<&Share>) -> Option<Access> {
        if owner == caller {
            return Some(Access::Owner);
        }
        share.filter(|s| &s.user == caller).map(|s| match s.role {
            Role::Viewer => Access::Viewer,
            Role::Editor => Access::Editor,
        })
    }

    /// Whether this access allows `need`.
    pub fn allows(self, need: Need) -> bool {
        match need {
            Need::Read => true,
            Need::Edit => matches!(self, Access::Owner | Access::Editor),
            Need::Manage => self == Access::Owner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> OwnerId {
        OwnerId::parse(s).expect("valid")
    }

    fn share(user: &str, role: Role) -> Share {
        Share {
            book_id: BookId::parse("b-1").expect("valid"),
            owner: id("alice"),
            user: id(user),
            role,
            granted_at: 0,
        }
    }

    #[test]
    fn roles_grant_exactly_their_rights() {
        let table = [
            (Access::Owner, [true, true, true]),
            (Access::Editor, [true, true, false]),
            (Access::Viewer, [true, false, false]),
        ];
        for (access, expected) in table {
            let got = [Need::Read, Need::Edit, Need::Manage].map(|n| access.allows(n));
            assert_eq!(got, expected, "{access:?}");
        }
    }

    #[test]
    fn access_comes_from_ownership_or_the_callers_own_share() {
        let (alice, bob) = (id("alice"), id("bob"));
        assert_eq!(Access::of(&alice, &alice, None), Some(Access::Owner));
        assert_eq!(Access::of(&alice, &bob, None), None);
        let bobs = share("bob", Role::Editor);
        assert_eq!(Access::of(&alice, &bob, Some(&bobs)), Some(Access::Editor));
        // Someone else's share grants nothing.
        assert_eq!(Access::of(&alice, &id("carol"), Some(&bobs)), None);
    }
}
