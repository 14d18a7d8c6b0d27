//! One contract per port. Each case is a plain async function over a [`Fixture`], so the
//! same cases run unchanged against every adapter; [`contract_tests!`] turns them into
//! `#[tokio::test]`s for one fixture.
//!
//! [`Fixture`]: crate::fixture::Fixture
//! [`contract_tests!`]: crate::contract_tests

pub mod blobs;
pub mod live;
pub mod queue;
pub mod secrets;
pub mod store;

use storyloom_domain::book::Book;
use storyloom_domain::character::Character;
use storyloom_domain::page::{Change, IllustrationStatus, Page, Scene};
use storyloom_domain::plan::TimeOfDay;
use storyloom_domain::request::{AgeBand, ArtStyle, BookRequest};
use storyloom_domain::{BookId, CharacterId, OwnerId};

/// A unique id with a readable prefix, so cases never see each other's data.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// A saved character.
pub fn character(owner: &OwnerId, name: &str, created_at: u64) -> Character {
    Character {
        id: CharacterId::parse(&unique("c")).expect("valid id"),
        owner: owner.clone(),
        name: name.to_owned(),
        kind: "hedgehog".to_owned(),
        traits: vec!["brave".to_owned(), "curious".to_owned()],
        visual_description: "a small brown hedgehog with a red scarf".to_owned(),
        voice: "short, eager sentences".to_owned(),
        visual_seed: 7,
        created_at,
        // Stored with the character: the contract shows both stores keep it whole.
        reference_sheet: Some(storyloom_domain::sheet::ReferenceSheet::draw_up(
            "hedgehog",
            "a small brown hedgehog with a red scarf",
            7,
        )),
        portrait: 0,
    }
}

/// A queued book of `pages` pages.
pub fn book(owner: &OwnerId, pages: u32, now: u64) -> Book {
    let cast = vec![character(owner, "Hazel", now)];
    let request = BookRequest {
        premise: "a hedgehog who is afraid of the dark".to_owned(),
        age_band: AgeBand::Ages3To5,
        page_count: pages,
        art_style: ArtStyle::Watercolour,
        cast,
        title: None,
        seed: 7,
        cap_micros: None,
        dedication: None,
    };
    Book::new(
        BookId::parse(&unique("b")).expect("valid id"),
        owner.clone(),
        request,
        unique("corr"),
        now,
    )
}

/// A freshly written page waiting for its picture.
pub fn page(book: &BookId, number: u32) -> Page {
    Page {
        book_id: book.clone(),
        number,
        text: format!("Hazel looked at the moon on page {number}."),
        illustration_prompt: "a hedgehog under the moon".to_owned(),
        scene: Scene {
            setting: "the garden".to_owned(),
            time_of_day: TimeOfDay::Night,
            characters: vec!["Hazel".to_owned()],
            mood: "hopeful".to_owned(),
            objects: vec![],
            shot: Default::default(),
            figures: vec![],
        },
        illustration: IllustrationStatus::Pending,
        image_key: None,
        illustration_note: None,
        drawing_since: None,
        revision: 1,
        change: Change::Draft,
        changed_at: 0,
        redraws: 0,
        direction: None,
    }
}

/// Declares one `#[tokio::test]` per contract case for the fixture built by `$make`
/// (an expression evaluating to a future of a [`crate::fixture::Fixture`]).
///
/// `contract_tests!(@concurrency $make)` adds the cases that race writers against each
/// other. They need a backend that isolates concurrent conditional writes, as DynamoDB
/// and redb do; `moto_server` applies concurrent requests without isolation, so they are
/// not run there (see the AWS contract test).
#[macro_export]
macro_rules! contract_tests {
    ($make:expr) => {
        $crate::contract_tests!(@cases $make;
            store::characters_round_trip_per_owner,
            store::books_are_created_once_and_listed_newest_first,
            store::book_updates_are_optimistic_and_keep_the_tally,
            store::pages_list_in_order_and_are_replaced,
            store::reads_follow_every_write,
            store::an_illustration_is_counted_once,
            store::in_flight_books_are_indexed_by_stage_start,
            store::idempotency_keys_are_claimed_once_and_expire,
            store::failed_illustrations_reopen_once,
            store::breakers_are_shared_and_versioned,
            store::shares_are_listed_both_ways_and_revoked,
            store::deleting_a_book_removes_everything_of_it,
            store::allowances_are_versioned_per_user,
            store::page_revisions_are_guarded_and_move_the_tally,
            store::budgets_are_versioned,
            store::timings_are_versioned,
            live::tickets_are_single_use_and_expire,
            live::subscriptions_follow_their_connection,
            queue::messages_are_received_then_acked,
            queue::an_unacked_message_comes_back_after_its_visibility_timeout,
            queue::a_delayed_message_stays_hidden_until_due,
            queue::retry_later_hides_a_message_for_the_backoff,
            queue::a_message_received_too_often_is_dead_lettered,
            queue::stage_queues_are_separate,
            queue::the_priority_lane_is_drained_first,
            blobs::blobs_round_trip_list_and_delete,
            blobs::bad_blob_keys_are_refused,
            blobs::a_presigned_url_serves_the_bytes,
            secrets::secrets_are_read_and_cached_for_their_ttl
        );
    };
    (@concurrency $make:expr) => {
        $crate::contract_tests!(@cases $make; store::concurrent_illustrations_count_exactly);
    };
    (@cases $make:expr; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture = $make.await;
                $crate::contract::$module::$case(&fixture).await;
            }
        )*
    };
}
