//! Page revisions: immutable snapshots of what a page said and showed before it changed.
//!
//! The page record is always the current revision; each change first stores the state it
//! replaces as a [`Revision`], so the history is append-only and a restore can bring back a
//! text together with the picture it had.

use crate::error::{Error, Result};
use crate::gates::safety;
use crate::ids::BookId;
use crate::page::{Change, IllustrationStatus, MAX_PAGE_TEXT, Page};
use serde::{Deserialize, Serialize};

/// One stored, superseded state of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub book_id: BookId,
    pub page: u32,
    pub revision: u32,
    pub text: String,
    /// The picture the page showed at this revision, if any.
    pub image_key: Option<String>,
    pub illustration: IllustrationStatus,
    pub change: Change,
    pub changed_at: u64,
}

impl Revision {
    /// The page as it stands, frozen.
    pub fn of(page: &Page) -> Revision {
        Revision {
            book_id: page.book_id.clone(),
            page: page.number,
            revision: page.revision,
            text: page.text.clone(),
            image_key: page.image_key.clone(),
            illustration: page.illustration,
            change: page.change,
            changed_at: page.changed_at,
        }
    }
}

/// Checks a person's new text for a page: present, short enough for a picture-book page,
/// and safe for children.
pub fn check_text(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > MAX_PAGE_TEXT {
        return Err(Error::invalid(
            "text",
            format!("is {chars} characters; a page holds at most {MAX_PAGE_TEXT}"),
        ));
    }
    if let Some(problem) = safety(text).into_iter().next() {
        return Err(Error::PolicyBlocked(format!("the page text {problem}")));
    }
    Ok(text.to_owned())
}

/// The page an edit makes: the new text as a new revision; the picture stays.
/// Its picture is restaged from the new words (who and what they name, what each does),
/// so a redraw shows what the page now says.
pub fn edit(book: &crate::Book, page: &Page, text: String, now: u64) -> Page {
    let scene = page.scene.restaged(&text, &book.cast_names());
    Page {
        illustration_prompt: crate::prompt::image_request(book, &scene, page.number).prompt,
        scene,
        text,
        ..page.next_revision(Change::Edit, now)
    }
}

/// The page a restore of `old` makes: its text as a new revision, with the picture it had
/// when it had one (a revision without a picture keeps the current one).
pub fn restore(page: &Page, old: &Revision, now: u64) -> Page {
    let mut next = page.next_revision(Change::Restore { from: old.revision }, now);
    next.text = old.text.clone();
    if let (Some(key), IllustrationStatus::Ok) = (&old.image_key, old.illustration) {
        next.image_key = Some(key.clone());
        next.illustration = IllustrationStatus::Ok;
        next.illustration_note = None;
    }
    next
}

/// The page a redraw request makes: the same text as a new revision whose picture is
/// pending. The old picture stays shown until the new one lands, and stays in the history.
pub fn redraw(page: &Page, direction: Option<String>, now: u64) -> Page {
    Page {
        illustration: IllustrationStatus::Pending,
        drawing_since: None,
        redraws: page.redraws + 1,
        direction,
        ..page.next_revision(Change::Redraw, now)
    }
}

/// Checks a redraw note: optional, short, safe.
pub fn check_direction(note: Option<&str>) -> Result<Option<String>> {
    let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > 200 {
        return Err(Error::invalid("note", "must be at most 200 characters"));
    }
    if let Some(problem) = safety(note).into_iter().next() {
        return Err(Error::PolicyBlocked(format!("the note {problem}")));
    }
    Ok(Some(note.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Scene;
    use crate::plan::TimeOfDay;

    fn page() -> Page {
        Page {
            book_id: BookId::parse("b-1").expect("valid"),
            number: 3,
            text: "Hazel saw the moon.".into(),
            illustration_prompt: "moon".into(),
            scene: Scene {
                setting: "the garden".into(),
                time_of_day: TimeOfDay::Night,
                characters: vec!["Hazel".into()],
                mood: "calm".into(),
                objects: vec![],
                shot: Default::default(),
                figures: vec![],
            },
            illustration: IllustrationStatus::Ok,
            image_key: Some("books/b-1/pages/003/a.png".into()),
            illustration_note: None,
            drawing_since: None,
            revision: 2,
            change: Change::Draft,
            changed_at: 0,
            redraws: 0,
            direction: None,
        }
    }

    #[test]
    fn etags_round_trip_and_reject_other_forms() {
        let p = page();
        assert_eq!(p.etag(), "\"r2\"");
        assert_eq!(Page::revision_in(&p.etag()), Some(2));
        for bad in ["r2", "\"2\"", "W/\"r2\"", "\"rx\"", "*"] {
            assert_eq!(Page::revision_in(bad), None, "{bad}");
        }
    }

    fn book() -> crate::Book {
        let owner = crate::OwnerId::parse("ann").expect("valid");
        let hazel = |name: &str, kind: &str, description: &str| crate::Character {
            id: crate::CharacterId::parse(&format!("c-{name}")).expect("valid"),
            owner: owner.clone(),
            name: name.into(),
            kind: kind.into(),
            traits: vec![],
            visual_description: description.into(),
            voice: String::new(),
            visual_seed: 1,
            created_at: 0,
            reference_sheet: None,
            portrait: 0,
        };
        crate::Book::new(
            BookId::parse("b-1").expect("valid"),
            owner.clone(),
            crate::BookRequest {
                premise: "a hedgehog".into(),
                age_band: crate::AgeBand::Ages3To5,
                page_count: 4,
                art_style: crate::ArtStyle::Ink,
                cast: vec![
                    hazel("Hazel", "hedgehog", "a small hedgehog"),
                    hazel("Pip", "mouse", "a white mouse with a yellow bow"),
                ],
                title: None,
                seed: 1,
                cap_micros: None,
                dedication: None,
            },
            "c".into(),
            0,
        )
    }

    #[test]
    fn an_edit_restages_the_picture_from_the_new_words() {
        let edited = edit(
            &book(),
            &page(),
            "Pip climbed the hill with a kite. Hazel laughed.".into(),
            10,
        );
        let scene = &edited.scene;
        assert_eq!(scene.characters, vec!["Hazel", "Pip"]);
        assert_eq!(scene.objects, vec!["kite"]);
        assert_eq!(scene.setting, "mountain");
        assert_eq!(scene.time_of_day, TimeOfDay::Night);
        assert_eq!(scene.figures[1].pose, crate::staging::Pose::Climbing);
        assert!(
            edited.illustration_prompt.contains("a kite"),
            "{}",
            edited.illustration_prompt
        );
        assert!(edited.illustration_prompt.contains("yellow bow"));
    }

    #[test]
    fn an_edit_keeps_the_picture_and_a_restore_brings_its_own_back() {
        let p = page();
        let edited = edit(&book(), &p, "Hazel waved.".into(), 10);
        assert_eq!((edited.revision, edited.change), (3, Change::Edit));
        assert_eq!(edited.image_key, p.image_key);
        let old = Revision::of(&p);
        let mut redrawn = redraw(&edited, Some("stormy sky".into()), 20);
        assert_eq!(redrawn.illustration, IllustrationStatus::Pending);
        assert_eq!((redrawn.revision, redrawn.redraws), (4, 1));
        redrawn.illustration = IllustrationStatus::Ok;
        redrawn.image_key = Some("books/b-1/pages/003/b.png".into());
        let back = restore(&redrawn, &old, 30);
        assert_eq!(back.text, "Hazel saw the moon.");
        assert_eq!(back.image_key, p.image_key);
        assert_eq!(
            (back.revision, back.change),
            (5, Change::Restore { from: 2 })
        );
    }

    #[test]
    fn texts_are_checked() {
        assert!(check_text("  ").is_err());
        assert!(check_text(&"a".repeat(MAX_PAGE_TEXT + 1)).is_err());
        assert_eq!(check_text(" Hi. ").ok().as_deref(), Some("Hi."));
        assert_eq!(check_direction(Some("  ")).ok(), Some(None));
    }
}
