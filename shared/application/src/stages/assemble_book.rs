//! assemble-book: typeset the PDF from the stored pages and pictures, store it, and mark the
//! book Ready (or Partial when some pictures failed or were refused).

use super::{Stage, StageStores};
use crate::Ports;
use storyloom_domain::diversity::Fingerprint;
use storyloom_domain::models::ModelInfo;
use storyloom_domain::ports::{BlobStore, BookRenderer, PrintBook, PrintPage};
use storyloom_domain::{BookId, BookStatus, ErrorClass, IllustrationStatus, Result};

/// What typesetting a book uses besides the stage: the blobs its pictures come from and
/// its files go to, the renderer, and the models it credits.
pub struct Press<'a> {
    /// Where pictures, PDFs and EPUBs are kept.
    pub blobs: &'a dyn BlobStore,
    /// The typesetter.
    pub renderer: &'a dyn BookRenderer,
    /// The writer the colophon names.
    pub text: ModelInfo,
    /// The illustrator the colophon names.
    pub image: ModelInfo,
}

impl<'a> Press<'a> {
    /// The press of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Press {
            blobs: &*ports.blobs,
            renderer: &*ports.renderer,
            text: ports.text.info(),
            image: ports.image.info(),
        }
    }
}

/// Handles an `AssembleBook` message.
pub async fn run<S: StageStores + ?Sized>(
    stage: &Stage<'_, S>,
    press: &Press<'_>,
    book_id: &BookId,
) -> Result<()> {
    let Some(mut book) = stage.store.get_book(book_id).await? else {
        return Ok(());
    };
    if book.status != BookStatus::Assembling {
        return Ok(());
    }
    let pages = stage.store.list_pages(book_id).await?;
    let mut print_pages = Vec::with_capacity(pages.len());
    for p in &pages {
        let picture = match (&p.illustration, &p.image_key) {
            (IllustrationStatus::Ok, Some(key)) => press.blobs.get(key).await?,
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
    let (text, image) = (&press.text, &press.image);
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
        made_at_ms: stage.clock.now_ms(),
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
    let typeset = match press.renderer.render_pdf(&print).await {
        Ok(pdf) => press
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
                stage.clock.now_ms(),
            )?;
            crate::telemetry::save_finished(stage.store, stage.metrics, &book).await?;
            return Ok(());
        }
    };
    // A fresh key per typesetting: one that lost to a page edit (its final write fails on
    // the version) can never overwrite the PDF of the run that won.
    let run = uuid::Uuid::new_v4();
    let key = format!("books/{book_id}/book-{run}.pdf");
    let epub_key = format!("books/{book_id}/book-{run}.epub");
    press.blobs.put(&key, pdf, "application/pdf").await?;
    press
        .blobs
        .put(&epub_key, epub, "application/epub+zip")
        .await?;
    let previous = [
        book.pdf_key.replace(key.clone()),
        book.epub_key.replace(epub_key.clone()),
    ];
    let started = book.stage_started_at;
    book.credits.image_model = Some(image.id.clone());
    // Later books are compared with the story as printed, owner's edits included.
    book.review.fingerprint = Fingerprint::of_pages(pages.iter().map(|p| p.text.as_str()));
    book.transition(
        if complete {
            BookStatus::Ready
        } else {
            BookStatus::Partial
        },
        stage.clock.now_ms(),
    )?;
    if let Err(e) = crate::telemetry::save_finished(stage.store, stage.metrics, &book).await {
        press.blobs.delete(&key).await?;
        press.blobs.delete(&epub_key).await?;
        return Err(e);
    }
    for old in previous.into_iter().flatten() {
        if old != key && old != epub_key {
            press.blobs.delete(&old).await?;
        }
    }
    stage.ended(BookStatus::Assembling, started, &book).await;
    Ok(())
}
