//! The audit after a chaos run: what every book ended as, and whether anything was lost or
//! done twice.

use std::fmt;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{JobQueue, Store};
use storyloom_domain::{BookStatus, IllustrationStatus, OwnerId, Result};

/// The figures of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    pub books: u32,
    pub terminal: u32,
    pub ready: u32,
    pub partial: u32,
    pub failed: u32,
    /// Work done twice into a result: a book ordered twice, a page written twice in one
    /// round, a model call charged twice, or a progress counter that disagrees with the
    /// pages.
    pub duplicates: u32,
    /// Books ordered but not in a terminal state (or not there at all).
    pub lost: u32,
    pub dead_letters: u64,
    /// What each duplicate was, for a person to look into.
    pub findings: Vec<String>,
}

impl fmt::Display for Audit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "books={} terminal={} ready={} partial={} failed={} duplicates={} lost={} dead_letters={}",
            self.books,
            self.terminal,
            self.ready,
            self.partial,
            self.failed,
            self.duplicates,
            self.lost,
            self.dead_letters
        )
    }
}

/// Audits the `expected` books `owner` ordered.
pub async fn audit(
    store: &dyn Store,
    queue: &dyn JobQueue,
    owner: &OwnerId,
    expected: u32,
) -> Result<Audit> {
    let books = store.list_books(owner).await?;
    let mut a = Audit {
        books: expected,
        duplicates: (books.len() as u32).saturating_sub(expected),
        ..Audit::default()
    };
    if a.duplicates > 0 {
        a.findings
            .push(format!("{} books ordered, {} made", expected, books.len()));
    }
    for book in &books {
        match book.status {
            BookStatus::Ready => a.ready += 1,
            BookStatus::Partial => a.partial += 1,
            BookStatus::Failed => a.failed += 1,
            _ => {}
        }
        if !book.status.in_flight() {
            a.terminal += 1;
        }
        let pages = store.list_pages(&book.id).await?;
        let count =
            |s: IllustrationStatus| pages.iter().filter(|p| p.illustration == s).count() as u32;
        let mut found = |what: String| {
            a.duplicates += 1;
            a.findings.push(format!("book {}: {what}", book.id));
        };
        if matches!(book.status, BookStatus::Ready | BookStatus::Partial) {
            for (name, counted, actual) in [
                ("done", book.tally.done, count(IllustrationStatus::Ok)),
                (
                    "failed",
                    book.tally.failed,
                    count(IllustrationStatus::Failed),
                ),
                (
                    "flagged",
                    book.tally.flagged,
                    count(IllustrationStatus::Flagged),
                ),
            ] {
                if counted != actual {
                    found(format!(
                        "progress counts {counted} {name}, the pages {actual}"
                    ));
                }
            }
        }
        // Each round writes each page once: at most a plan call (a story too like an
        // earlier book is planned again), then per page one persona call per character
        // on it and the chronicler's call.
        let rounds = book.rewrites + 1;
        for p in pages.iter().filter(|p| p.revision > rounds) {
            found(format!(
                "page {} written {} times in {rounds} round(s)",
                p.number, p.revision
            ));
        }
        let cast = book.request.cast.len() as u32;
        let most_calls = rounds * (1 + book.page_count() * (1 + cast));
        if book.text_usage.calls > most_calls {
            found(format!(
                "{} text model calls charged, at most {most_calls} made",
                book.text_usage.calls
            ));
        }
    }
    a.lost = expected.saturating_sub(a.terminal);
    for q in QueueName::ALL {
        a.dead_letters += queue.dead_letter_count(q).await?;
    }
    Ok(a)
}
