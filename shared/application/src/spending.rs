//! Money at run time: every model call is admitted against the book's cap and the owner's
//! monthly budget before it is made, and charged after; a refused call pauses the book,
//! and raising a budget resumes it where it stopped.

use crate::access::open;
use crate::modify::modify_book;
use std::time::Duration;
use storyloom_domain::PriceTable;
use storyloom_domain::budget::{self, BudgetView};
use storyloom_domain::money::micros;
use storyloom_domain::ports::{
    BookStore, Clock, ImageModel, ImageRequest, ImageResponse, JobQueue, PageStore, ShareStore,
    SpendingStore, TextModel, TextRequest, TextResponse, Usage,
};
use storyloom_domain::share::Need;
use storyloom_domain::{Book, BookId, BookStatus, Envelope, Error, OwnerId, Result, StageMessage};

/// Attempts at a compare-and-swap on a shared record before giving up for now.
const CAS_ATTEMPTS: u32 = 16;

/// What paying for model calls uses: the books (for a cap) and budgets they are admitted
/// against and charged to, the clock months turn by, and the prices.
pub struct Till<'a, S: ?Sized> {
    /// Where books and budgets are stored.
    pub store: &'a S,
    /// The time budgets count months by.
    pub clock: &'a dyn Clock,
    /// What each model's calls cost.
    pub prices: &'a PriceTable,
}

impl<S: BookStore + SpendingStore + ?Sized> Till<'_, S> {
    /// A text call within budget: admitted first, charged to the owner after. Returns the
    /// reply and what it cost (micros), for the book's own ledger.
    pub async fn text_call(
        &self,
        text: &dyn TextModel,
        book: &Book,
        request: &TextRequest,
    ) -> Result<(TextResponse, u64)> {
        let model = text.info().id;
        let estimate = budget::text_estimate(self.prices, &model, request);
        self.paid(book, &model, estimate, text.generate(request), |r| &r.usage)
            .await
    }

    /// A picture within budget; see [`Till::text_call`].
    pub async fn image_call(
        &self,
        image: &dyn ImageModel,
        book: &Book,
        request: &ImageRequest,
    ) -> Result<(ImageResponse, u64)> {
        let model = image.info().id;
        let estimate = budget::image_estimate(self.prices, &model, request);
        self.paid(book, &model, estimate, image.draw(request), |r| &r.usage)
            .await
    }

    /// Admits a call of `model` estimated at `estimate`, makes it, and charges what its
    /// reply's usage cost.
    async fn paid<T>(
        &self,
        book: &Book,
        model: &str,
        estimate: u64,
        call: impl Future<Output = Result<T>>,
        usage: impl Fn(&T) -> &Usage,
    ) -> Result<(T, u64)> {
        self.admit(book, estimate).await?;
        let reply = call.await?;
        let cost = budget::cost(self.prices, model, usage(&reply));
        self.charge(&book.owner, cost).await?;
        Ok((reply, cost))
    }

    async fn admit(&self, book: &Book, estimate: u64) -> Result<()> {
        if book.cap_micros.is_none() {
            let budget = self.store.get_budget(&book.owner).await?;
            return budget::admit(book, &budget, estimate, self.clock.now_ms());
        }
        // The cap counts pictures drawn by other workers since `book` was read.
        let fresh = self
            .store
            .get_book(&book.id)
            .await?
            .unwrap_or_else(|| book.clone());
        let budget = self.store.get_budget(&book.owner).await?;
        budget::admit(&fresh, &budget, estimate, self.clock.now_ms())
    }

    /// Adds a call's cost to the owner's month.
    async fn charge(&self, owner: &OwnerId, cost: u64) -> Result<()> {
        if cost == 0 {
            return Ok(());
        }
        for _ in 0..CAS_ATTEMPTS {
            let mut budget = self.store.get_budget(owner).await?;
            budget.charge(cost, self.clock.now_ms());
            match self.store.put_budget(&budget).await {
                Ok(_) => return Ok(()),
                Err(Error::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        // The call is made and paid for; failing the stage now would only make it again.
        tracing::warn!(%owner, cost, "could not record a charge after many attempts");
        Ok(())
    }
}

/// Pauses a book that a budget stopped, keeping everything done so far. Pausing a book
/// already paused (another page hit the same limit) changes nothing.
pub async fn pause<S: BookStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    id: &BookId,
    reason: &str,
) -> Result<()> {
    let now = clock.now_ms();
    let book = modify_book(store, id, |book| {
        if !matches!(book.status, BookStatus::Writing | BookStatus::Illustrating) {
            return Ok(false);
        }
        book.pause(reason, now)?;
        Ok(true)
    })
    .await?;
    if let Some(book) = book.filter(|b| b.status == BookStatus::Paused) {
        tracing::info!(book_id = %id, correlation_id = %book.correlation_id, reason, "book paused");
    }
    Ok(())
}

/// Resumes a paused book in the stage it stopped in and sends that stage its messages.
/// A book that is not paused is left as it is.
async fn resume<S: BookStore + PageStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    clock: &dyn Clock,
    id: &BookId,
) -> Result<()> {
    let now = clock.now_ms();
    let mut resumed = None;
    let book = modify_book(store, id, |book| {
        resumed = None;
        if book.status != BookStatus::Paused {
            return Ok(false);
        }
        resumed = Some(book.resume(now)?);
        Ok(true)
    })
    .await?;
    let (Some(book), Some(stage)) = (book, resumed) else {
        return Ok(());
    };
    let messages = match stage {
        BookStatus::Illustrating => {
            crate::stages::illustrate_messages(id, crate::stages::pending_pages(store, id).await?)
        }
        _ => vec![StageMessage::WriteStory {
            book_id: id.clone(),
        }],
    };
    for message in messages {
        queue
            .send(&Envelope::about(&book, message), Duration::ZERO)
            .await?;
    }
    tracing::info!(book_id = %id, correlation_id = %book.correlation_id, stage = stage.as_str(), "book resumed");
    Ok(())
}

/// The owner's budget.
pub async fn get(
    store: &dyn SpendingStore,
    clock: &dyn Clock,
    owner: &OwnerId,
) -> Result<BudgetView> {
    let budget = store.get_budget(owner).await?;
    Ok(budget.view(clock.now_ms()))
}

fn dollars(field: &str, usd: Option<f64>) -> Result<Option<u64>> {
    usd.map(|v| {
        micros(v).ok_or_else(|| Error::invalid(field, "must be a number of dollars, at least 0"))
    })
    .transpose()
}

/// Sets (or, with `None`, removes) the owner's monthly budget, then resumes their paused
/// books: one still over a limit pauses again at its next call, saying why.
pub async fn set_monthly<S: BookStore + PageStore + SpendingStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    clock: &dyn Clock,
    owner: &OwnerId,
    monthly_usd: Option<f64>,
) -> Result<BudgetView> {
    let monthly = dollars("monthly_usd", monthly_usd)?;
    let saved = loop {
        let mut budget = store.get_budget(owner).await?;
        budget.monthly_micros = monthly;
        match store.put_budget(&budget).await {
            Ok(saved) => break saved,
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    };
    for book in store.list_books(owner).await? {
        if book.status == BookStatus::Paused {
            resume(store, queue, clock, &book.id).await?;
        }
    }
    Ok(saved.view(clock.now_ms()))
}

/// Sets (or removes) a book's cost cap; a book paused by its cap resumes.
pub async fn set_cap<S: BookStore + PageStore + ShareStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    clock: &dyn Clock,
    caller: &OwnerId,
    id: &BookId,
    max_usd: Option<f64>,
) -> Result<Book> {
    let cap = dollars("max_usd", max_usd)?;
    open(store, caller, id, Need::Edit).await?;
    modify_book(store, id, |book| {
        book.cap_micros = cap;
        Ok(true)
    })
    .await?;
    resume(store, queue, clock, id).await?;
    store
        .get_book(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("book {id}")))
}
