//! The PDF: a cover (the opening picture across the full bleed, the title over it on a
//! calm panel), a title page with the cast, the dedication when there is one, then one page
//! per story page with its picture across the full bleed and its text in the safe area, in
//! type sized for the age band.

use crate::fonts::{BOLD, Metrics, REGULAR};
use crate::layout::break_lines;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use storyloom_domain::ports::{PrintBook, PrintPage};
use storyloom_domain::{AgeBand, Error, Result};

/// Points per inch.
const PT: f32 = 72.0;
/// Trim size: 8.5 in square.
pub const TRIM: f32 = 8.5 * PT;
/// Bleed on every side: 0.125 in.
pub const BLEED: f32 = 0.125 * PT;
/// The media box: trim plus bleed on both sides.
pub const MEDIA: f32 = TRIM + 2.0 * BLEED;
/// The safe margin inside the trim where text may go: 0.375 in.
const SAFE: f32 = 0.375 * PT;
/// Height of the picture band, from the top of the bleed.
const ART: f32 = MEDIA * 1650.0 / 2625.0;

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fill(surface: &mut Surface<'_>, colour: (u8, u8, u8)) {
    fill_with(surface, colour, NormalizedF32::ONE);
}

fn fill_with(surface: &mut Surface<'_>, (r, g, b): (u8, u8, u8), opacity: NormalizedF32) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity,
        rule: FillRule::NonZero,
    }));
}

/// Draws `png` to cover the `w`×`h` box at (`x`, `y`), trimmed evenly, never stretched.
fn picture(
    surface: &mut Surface<'_>,
    png: &[u8],
    (x, y, w, h): (f32, f32, f32, f32),
    what: &str,
) -> Result<()> {
    let image = Image::from_png(png.to_vec().into(), true)
        .map_err(|e| Error::Permanent(format!("{what}: the picture is not a valid PNG: {e}")))?;
    let (iw, ih) = image.size();
    let bad = || Error::Permanent(format!("{what}: the picture has no area"));
    let fit = cover(iw as f32, ih as f32, w, h).ok_or_else(bad)?;
    let size = Size::from_wh(fit.width(), fit.height()).ok_or_else(bad)?;
    let band = rect_path(x, y, w, h).ok_or_else(bad)?;
    surface.push_clip_path(&band, &FillRule::NonZero);
    surface.push_transform(&Transform::from_translate(x + fit.left(), y + fit.top()));
    surface.draw_image(image, size);
    surface.pop();
    surface.pop();
    Ok(())
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    if let Some(path) = rect_path(x, y, w, h) {
        surface.draw_path(&path);
    }
}

/// Where a `w`×`h` picture goes to cover a `band_w`×`band_h` band: scaled to fill it
/// and centred (`None` for a picture with no area).
fn cover(w: f32, h: f32, band_w: f32, band_h: f32) -> Option<Rect> {
    let scale = (band_w / w).max(band_h / h);
    let (dw, dh) = (w * scale, h * scale);
    Rect::from_xywh((band_w - dw) / 2.0, (band_h - dh) / 2.0, dw, dh)
}

fn centred(
    surface: &mut Surface<'_>,
    font: &Font,
    metrics: &Metrics<'_>,
    size: f32,
    y: f32,
    text: &str,
) {
    let w = metrics.width(text, f64::from(size)) as f32;
    surface.draw_text(
        Point::from_xy((MEDIA - w) / 2.0, y),
        font.clone(),
        size,
        text,
        false,
        TextDirection::Auto,
    );
}

fn page_settings() -> PageSettings {
    let trim = Rect::from_xywh(BLEED, BLEED, TRIM, TRIM);
    let bleed = Rect::from_xywh(0.0, 0.0, MEDIA, MEDIA);
    PageSettings::from_wh(MEDIA, MEDIA)
        .unwrap_or_else(|| {
            PageSettings::new(Size::from_wh(MEDIA, MEDIA).expect("constant page size is positive"))
        })
        .with_bleed_box(bleed)
        .with_trim_box(trim)
}

/// The body type for an age band, and the least it may shrink to on a full page: large
/// for the youngest, who are read to and begin to read along (at least 18 pt for 3–5).
pub fn type_size(age: AgeBand) -> (f32, f32) {
    match age {
        AgeBand::Ages3To5 => (24.0, 18.0),
        AgeBand::Ages6To8 => (19.0, 15.0),
        AgeBand::Ages9To12 => (16.0, 13.0),
    }
}

/// The cover: the opening picture across the full bleed, the title on a light panel over
/// its top (dark type on a near-white panel, whatever the picture's colours).
fn cover_page(
    doc: &mut Document,
    book: &PrintBook,
    fonts: &Fonts,
    regular: &Metrics<'_>,
    bold: &Metrics<'_>,
) -> Result<()> {
    let mut page = doc.start_page_with(page_settings());
    let mut s = page.surface();
    match book.cover_page().and_then(|p| p.picture.as_deref()) {
        Some(png) => picture(&mut s, png, (0.0, 0.0, MEDIA, MEDIA), "the cover")?,
        None => {
            fill(&mut s, (216, 67, 59));
            rect(&mut s, 0.0, 0.0, MEDIA, MEDIA);
        }
    }
    let width = f64::from(TRIM - 2.0 * SAFE - 0.5 * PT);
    let lines = break_lines(&book.title, bold, 40.0, width);
    let panel_top = BLEED + SAFE;
    let panel_h = 0.45 * PT + lines.len() as f32 * 48.0 + 28.0;
    fill_with(
        &mut s,
        (255, 253, 248),
        NormalizedF32::new(0.88).unwrap_or(NormalizedF32::ONE),
    );
    rect(&mut s, BLEED + SAFE, panel_top, TRIM - 2.0 * SAFE, panel_h);
    fill(&mut s, (40, 36, 48));
    let mut y = panel_top + 0.3 * PT + 40.0;
    for line in &lines {
        centred(&mut s, &fonts.bold, bold, 40.0, y, line);
        y += 48.0;
    }
    fill(&mut s, (90, 84, 100));
    centred(
        &mut s,
        &fonts.regular,
        regular,
        14.0,
        y - 8.0,
        &format!("A picture book for {}", book.age_band),
    );
    s.finish();
    page.finish();
    Ok(())
}

/// The dedication, alone in the middle of its page.
fn dedication_page(doc: &mut Document, dedication: &str, fonts: &Fonts, regular: &Metrics<'_>) {
    let mut page = doc.start_page_with(page_settings());
    let mut s = page.surface();
    fill(&mut s, (252, 249, 242));
    rect(&mut s, 0.0, 0.0, MEDIA, MEDIA);
    fill(&mut s, (60, 54, 70));
    let width = f64::from(TRIM - 4.0 * SAFE);
    let lines = break_lines(dedication, regular, 18.0, width);
    let mut y = MEDIA / 2.0 - lines.len() as f32 * 13.0 + 18.0;
    for line in &lines {
        centred(&mut s, &fonts.regular, regular, 18.0, y, line);
        y += 26.0;
    }
    s.finish();
    page.finish();
}

fn title_page(
    doc: &mut Document,
    book: &PrintBook,
    fonts: &Fonts,
    regular: &Metrics<'_>,
    bold: &Metrics<'_>,
) {
    let mut page = doc.start_page_with(page_settings());
    let mut s = page.surface();
    fill(&mut s, (250, 244, 232));
    rect(&mut s, 0.0, 0.0, MEDIA, MEDIA);
    fill(&mut s, (216, 67, 59));
    rect(&mut s, 0.0, 0.0, MEDIA, BLEED + 0.9 * PT);
    fill(&mut s, (40, 36, 48));
    let width = f64::from(TRIM - 2.0 * SAFE);
    let mut y = BLEED + 2.4 * PT;
    for line in break_lines(&book.title, bold, 34.0, width) {
        centred(&mut s, &fonts.bold, bold, 34.0, y, &line);
        y += 42.0;
    }
    y += 10.0;
    let subtitle = format!("A picture book for {}", book.age_band);
    centred(&mut s, &fonts.regular, regular, 15.0, y, &subtitle);
    y += 50.0;
    centred(&mut s, &fonts.bold, bold, 14.0, y, "Starring");
    y += 26.0;
    for (name, about) in &book.cast {
        for line in break_lines(&format!("{name} — {about}"), regular, 12.0, width - 40.0) {
            centred(&mut s, &fonts.regular, regular, 12.0, y, &line);
            y += 17.0;
        }
        y += 6.0;
    }
    fill(&mut s, (110, 104, 120));
    let mut y = MEDIA - BLEED - SAFE - 24.0;
    for line in break_lines(&book.colophon, regular, 9.0, width) {
        centred(&mut s, &fonts.regular, regular, 9.0, y, &line);
        y += 12.0;
    }
    s.finish();
    page.finish();
}

fn story_page(
    doc: &mut Document,
    book: &PrintBook,
    p: &PrintPage,
    fonts: &Fonts,
    regular: &Metrics<'_>,
) -> Result<()> {
    let mut page = doc.start_page_with(page_settings());
    let mut s = page.surface();
    fill(&mut s, (252, 249, 242));
    rect(&mut s, 0.0, 0.0, MEDIA, MEDIA);
    match &p.picture {
        // Providers draw at their own aspect ratios: the picture fills the band, its
        // overflow trimmed evenly, never stretched.
        Some(png) => picture(
            &mut s,
            png,
            (0.0, 0.0, MEDIA, ART),
            &format!("page {}", p.number),
        )?,
        None => {
            // An honest gap: the picture failed or was refused, and the page says so.
            fill(&mut s, (226, 222, 214));
            rect(&mut s, 0.0, 0.0, MEDIA, ART);
            fill(&mut s, (120, 114, 104));
            centred(
                &mut s,
                &fonts.regular,
                regular,
                12.0,
                ART / 2.0,
                "(This picture could not be drawn.)",
            );
        }
    }
    // Text in the safe area below the picture; the type shrinks until the page fits.
    let left = BLEED + SAFE;
    let width = f64::from(TRIM - 2.0 * SAFE);
    let top = ART + 0.3 * PT;
    let bottom = MEDIA - BLEED - SAFE - 16.0;
    let (mut size, least) = type_size(book.age_band);
    let lines = loop {
        let lines = break_lines(&p.text, regular, f64::from(size), width);
        if lines.len() as f32 * size * 1.4 <= bottom - top || size <= least {
            break lines;
        }
        size -= 0.5;
    };
    fill(&mut s, (40, 36, 48));
    let mut y = top + size;
    for line in &lines {
        s.draw_text(
            Point::from_xy(left, y),
            fonts.regular.clone(),
            size,
            line,
            false,
            TextDirection::Auto,
        );
        y += size * 1.4;
    }
    fill(&mut s, (140, 134, 150));
    centred(
        &mut s,
        &fonts.regular,
        regular,
        9.0,
        MEDIA - BLEED - SAFE + 6.0,
        &p.number.to_string(),
    );
    s.finish();
    page.finish();
    Ok(())
}

/// Typesets a book as a PDF with krilla, synchronously (see [`crate::Typesetter`] for the
/// async port).
pub fn render(book: &PrintBook) -> Result<Vec<u8>> {
    let font = |data: &'static [u8]| {
        Font::new(data.into(), 0)
            .ok_or_else(|| Error::Permanent("embedded font is unreadable".into()))
    };
    let fonts = Fonts {
        regular: font(REGULAR)?,
        bold: font(BOLD)?,
    };
    let regular = Metrics::new(REGULAR)
        .ok_or_else(|| Error::Permanent("embedded font is unreadable".into()))?;
    let bold =
        Metrics::new(BOLD).ok_or_else(|| Error::Permanent("embedded font is unreadable".into()))?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(book.title.clone())
            .creator("Storyloom".into()),
    );
    cover_page(&mut doc, book, &fonts, &regular, &bold)?;
    title_page(&mut doc, book, &fonts, &regular, &bold);
    if let Some(dedication) = book.dedication.as_deref().filter(|d| !d.trim().is_empty()) {
        dedication_page(&mut doc, dedication, &fonts, &regular);
    }
    for p in &book.pages {
        story_page(&mut doc, book, p, &fonts, &regular)?;
    }
    doc.finish()
        .map_err(|e| Error::Permanent(format!("PDF assembly failed: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_covers(w: f32, h: f32) {
        let fit = cover(w, h, MEDIA, ART).expect("a picture with area");
        assert!(fit.left() <= 0.0 && fit.top() <= 0.0, "{fit:?}");
        assert!(
            fit.right() >= MEDIA - 0.01 && fit.bottom() >= ART - 0.01,
            "{fit:?}"
        );
        assert!(
            (fit.width() / fit.height() - w / h).abs() < 1e-3,
            "stretched: {fit:?}"
        );
        assert!(
            (fit.left() + fit.right() - MEDIA).abs() < 0.01,
            "off centre: {fit:?}"
        );
        assert!(
            (fit.top() + fit.bottom() - ART).abs() < 0.01,
            "off centre: {fit:?}"
        );
    }

    #[test]
    fn pictures_of_any_shape_cover_the_band_unstretched() {
        // The offline illustrator's own size fills the band exactly.
        let exact = cover(2625.0, 1650.0, MEDIA, ART).unwrap();
        assert!((exact.width() - MEDIA).abs() < 0.01 && (exact.height() - ART).abs() < 0.01);
        // OpenAI's landscape, Titan's 5:3, a square and a portrait are trimmed, not bent.
        for (w, h) in [
            (1536.0, 1024.0),
            (1280.0, 768.0),
            (1024.0, 1024.0),
            (768.0, 1280.0),
        ] {
            assert_covers(w, h);
        }
        assert!(cover(0.0, 0.0, MEDIA, ART).is_none());
    }
}
