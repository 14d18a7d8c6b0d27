//! What the operations' own answers mean, named once so that every handler which can give
//! one describes it alike.

/// 404: the thing is not there, or the caller may not see it (the two look the same).
pub(crate) const NOT_FOUND: &str = "No such thing among those the caller may see";
/// 403: the caller sees the book through a share that does not allow this.
pub(crate) const FORBIDDEN: &str = "Shared with the caller, but not for this";
/// 409: the book's status does not allow this now.
pub(crate) const CONFLICT: &str = "The book is not in a state that allows this";
/// 412: an edit raced another one.
pub(crate) const STALE: &str = "The page changed since the ETag sent in If-Match";
/// 428: an edit came without saying which revision it replaces.
pub(crate) const MISSING_IF_MATCH: &str = "If-Match is required: send the page's ETag";
/// The `If-Match` header of a page edit.
pub(crate) const IF_MATCH: &str = "The page's ETag, as read: \"r<revision>\"";
/// What `Retry-After` means, wherever it is sent.
pub(crate) const RETRY_AFTER: &str = "Seconds to wait before trying again";
