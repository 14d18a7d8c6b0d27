//! Partial retry: a book whose picture failed for good ends Partial; retrying redraws only
//! that picture, re-assembles, and the book becomes Ready.

mod common;
use async_trait::async_trait;
use common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use storyloom_application::stages::assemble_book::Press;
use storyloom_application::stages::illustrate_page::Drawing;
use storyloom_application::stages::write_story::Writing;
use storyloom_application::stages::{
    Stage, assemble_book, illustrate_page, review_story, write_story,
};
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{ImageModel, ImageRequest, ImageResponse, ModelInfo};
use storyloom_domain::{BookStatus, Error, IllustrationStatus, OwnerId};
use storyloom_offline::OfflineIllustrator;

/// The offline illustrator, except that its first call fails for good.
struct FirstCallFails(AtomicU32);

#[async_trait]
impl ImageModel for FirstCallFails {
    fn info(&self) -> ModelInfo {
        OfflineIllustrator.info()
    }

    async fn draw(&self, request: &ImageRequest) -> storyloom_domain::Result<ImageResponse> {
        if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err(Error::Permanent("the provider rejected the request".into()));
        }
        OfflineIllustrator.draw(request).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_book_becomes_ready_when_its_failed_pictures_are_redrawn() {
    let HandRun {
        dir: _dir,
        stack,
        base,
        http,
        id,
        book_id,
    } = book_ordered_by_hand().await;
    let mut ports = stack.ports.clone();
    ports.image = Arc::new(FirstCallFails(AtomicU32::new(0)));

    write_story::run(&Stage::of(&ports), &Writing::of(&ports), &book_id)
        .await
        .unwrap();
    review_story::run(&Stage::of(&ports), &book_id)
        .await
        .unwrap();
    for n in 1..=4 {
        illustrate_page::run(&Stage::of(&ports), &Drawing::of(&ports), &book_id, n)
            .await
            .unwrap();
    }
    assemble_book::run(&Stage::of(&ports), &Press::of(&ports), &book_id)
        .await
        .unwrap();
    let partial = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(partial.status, BookStatus::Partial);
    assert_eq!((partial.tally.done, partial.tally.failed), (3, 1));
    let kept: Vec<_> = ports
        .store
        .list_pages(&book_id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.number, p.image_key))
        .collect();

    let illustrate_before = stack.queue.depth(QueueName::Illustrate).await.unwrap();
    let (status, body) = post(
        &http,
        &format!("{base}/v1/books/{id}/retry"),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["status"], "illustrating");
    assert_eq!(
        stack.queue.depth(QueueName::Illustrate).await.unwrap(),
        illustrate_before + 1,
        "only the failed page is redrawn"
    );
    // Retrying again while it is being redrawn is refused, and queues nothing.
    let (status, _) = post(
        &http,
        &format!("{base}/v1/books/{id}/retry"),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 409);

    illustrate_page::run(&Stage::of(&ports), &Drawing::of(&ports), &book_id, 1)
        .await
        .unwrap();
    assemble_book::run(&Stage::of(&ports), &Press::of(&ports), &book_id)
        .await
        .unwrap();
    let ready = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(ready.status, BookStatus::Ready);
    assert_eq!((ready.tally.done, ready.tally.failed), (4, 0));
    let pages = ports.store.list_pages(&book_id).await.unwrap();
    assert!(
        pages
            .iter()
            .all(|p| p.illustration == IllustrationStatus::Ok)
    );
    for (n, key) in kept.into_iter().filter(|(n, _)| *n != 1) {
        assert_eq!(pages[n as usize - 1].image_key, key, "page {n} was redrawn");
    }
    check_pdf(&download_pdf(&http, &base, &id).await, 4);
    let books = ports
        .store
        .list_books(&OwnerId::parse(OWNER).unwrap())
        .await
        .unwrap();
    assert_eq!(books.len(), 1);
    stack.stop().await;
}
