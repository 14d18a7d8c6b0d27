//! assemble-book: typeset the PDF from the stored pages and pictures, store it, and mark the
//! book Ready (or Partial when some pictures failed or were refused).

use crate::Ports;
use storyloom_domain::diversity::Fingerprint;
use storyloom_domain::ports::{PrintBook, PrintPage};
use storyloom_domain::{BookId, BookStatus, ErrorClass, IllustrationStatus, Result};

/// Handles an `AssembleBook` message.
pub async fn run(ports: &Ports, book_id: &BookId) -> Result<()> {
    let Some(mut book) = ports.store.get_book(book_id).await? else {
        return Ok(());
    };
    if book.status != BookStatus::Assembling {
        return Ok(());
    }
    let pages = ports.store.list_pages(book_id).await?;
    let mut print_pages = Vec::with_capacity(pages.len());
    for p in &pages {
        let picture = match (&p.illustration, &p.image_key) {
            (IllustrationStatus::Ok, Some(key)) => ports.blobs.get(key).await?,
            _ => None,
        };
        print_pages.push(PrintPage {
            number: p.number,
            text: p.text.clone(),
            picture,
            alt_text: format!(
                "{} in the {}",
                p.scene.characters.join(" and "),
                p.scene.setting
            ),
        });
    }
    let complete = print_pages.iter().all(|p| p.picture.is_some());
    let text = ports.text.info();
    let image = ports.image.info();
    let colophon = if text.offline && image.offline {
        "Written and illustrated offline by Storyloom's built-in storyteller and illustrator — no AI service was used.".to_owned()
    } else {
        format!(
            "Written with {}{}. Illustrated with {}{}. Made with Storyloom.",
            text.id,
            if text.offline { " (offline)" } else { "" },
            image.id,
            if image.offline { " (offline)" } else { "" }
        )
    };
    let print = PrintBook {
        id: book.id.to_string(),
        made_at_ms: ports.clock.now_ms(),
        title: book.title.clone(),
        age_band: book.request.age_band,
        cast: book
            .request
            .cast
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    format!(
                        "{}{}",
                        c.visual_description,
                        if c.traits.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", c.traits.join(" and "))
                        }
                    ),
                )
            })
            .collect(),
        pages: print_pages,
        colophon,
        dedication: book.request.dedication.clone(),
    };
    let typeset = match ports.renderer.render_pdf(&print).await {
        Ok(pdf) => ports
            .renderer
            .render_epub(&print)
            .await
            .map(|epub| (pdf, epub)),
        Err(e) => Err(e),
    };
    let (pdf, epub) = match typeset {
        Ok(both) => both,
        Err(e) if e.class() == ErrorClass::Transient => return Err(e),
        Err(e) => {
            book.fail(
                format!("the book could not be typeset: {e}"),
                ports.clock.now_ms(),
            )?;
            crate::telemetry::save_finished(&*ports.store, &*ports.metrics, &book).await?;
            return Ok(());
        }
    };
    // A fresh key per typesetting: one that lost to a page edit (its final write fails on
    // the version) can never overwrite the PDF of the run that won.
    let run = uuid::Uuid::new_v4();
    let key = format!("books/{book_id}/book-{run}.pdf");
    let epub_key = format!("books/{book_id}/book-{run}.epub");
    ports.blobs.put(&key, pdf, "application/pdf").await?;
    ports
        .blobs
        .put(&epub_key, epub, "application/epub+zip")
        .await?;
    let previous = [
        book.pdf_key.replace(key.clone()),
        book.epub_key.replace(epub_key.clone()),
    ];
    let started = book.stage_started_at;
    book.credits.image_model = Some(image.id);
    // Later books are compared with the story as printed, owner's edits included.
    book.review.fingerprint = Fingerprint::of_pages(pages.iter().map(|p| p.text.as_str()));
    book.transition(
        if complete {
            BookStatus::Ready
        } else {
            BookStatus::Partial
        },
        ports.clock.now_ms(),
    )?;
    if let Err(e) = crate::telemetry::save_finished(&*ports.store, &*ports.metrics, &book).await {
        ports.blobs.delete(&key).await?;
        ports.blobs.delete(&epub_key).await?;
        return Err(e);
    }
    for old in previous.into_iter().flatten() {
        if old != key && old != epub_key {
            ports.blobs.delete(&old).await?;
        }
    }
    crate::timings::stage_ended(
        &*ports.store,
        &*ports.clock,
        &ports.timings,
        BookStatus::Assembling,
        started,
        book.page_count(),
    )
    .await;
    Ok(())
}
