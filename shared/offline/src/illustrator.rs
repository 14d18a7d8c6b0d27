//! The offline illustrator: paints each scene as SVG and renders it to PNG with resvg.

use crate::appearance::Look;
use crate::scenery::{self, H, W};
use async_trait::async_trait;
use storyloom_domain::ports::{ImageModel, ImageRequest, ImageResponse, ModelInfo, Usage};
use storyloom_domain::staging::{Expression, Figure, Pose, Shot};
use storyloom_domain::{Error, Result, TimeOfDay};

/// Draws pictures with no network and no model weights.
#[derive(Debug, Clone, Default)]
pub struct OfflineIllustrator;

impl OfflineIllustrator {
    /// The model's id, recorded on every book it draws.
    pub const ID: &'static str = "offline-illustrator-1";

    /// The SVG source of a picture (useful for inspection and tests).
    pub fn svg(request: &ImageRequest) -> String {
        Self::paint(request).0
    }

    /// The illustrator's record of what it draws for `request`: the place, the framing,
    /// each character as drawn (body, what they wear, pose, feeling) and the things.
    pub fn drawing(request: &ImageRequest) -> Drawing {
        Self::paint(request).1
    }

    fn paint(request: &ImageRequest) -> (String, Drawing) {
        let scene = &request.scene;
        let cast: Vec<(Look, Figure)> = request
            .cast
            .iter()
            .map(|c| {
                let figure = scene
                    .figures
                    .iter()
                    .find(|f| f.name == c.name)
                    .cloned()
                    .unwrap_or(Figure {
                        name: c.name.clone(),
                        pose: Pose::Standing,
                        expression: Expression::Calm,
                    });
                (Look::of(&c.kind, &c.visual_description, &c.palette), figure)
            })
            .collect();
        // The night sky has its moon already: a page that names it gets that one.
        let objects: Vec<String> = scene
            .objects
            .iter()
            .filter(|o| !(o.as_str() == "moon" && scene.time_of_day == TimeOfDay::Night))
            .cloned()
            .collect();
        let painted = scenery::paint(&scenery::Canvas {
            setting: &scene.setting,
            time: scene.time_of_day,
            style: request.style,
            shot: scene.shot,
            cast: &cast,
            objects: &objects,
            seed: request.seed,
        });
        let mut drawn_objects = painted.objects;
        if objects.len() < scene.objects.len() {
            drawn_objects.push("moon".into());
        }
        let drawing = Drawing {
            setting: scene.setting.clone(),
            shot: scene.shot,
            characters: cast
                .iter()
                .zip(painted.characters)
                .map(|((_, figure), drawn)| DrawnCharacter {
                    name: figure.name.clone(),
                    body: format!("{:?}", drawn.shape).to_lowercase(),
                    wearing: drawn.worn.iter().map(|w| (*w).to_owned()).collect(),
                    pose: drawn.pose,
                    expression: drawn.expression,
                })
                .collect(),
            objects: drawn_objects,
        };
        let svg = painted.svg;
        let svg = match request.direction.as_deref().and_then(weather) {
            Some(overlay) => match svg.rfind("</svg>") {
                Some(end) => format!("{}{overlay}{}", &svg[..end], &svg[end..]),
                None => svg,
            },
            None => svg,
        };
        (svg, drawing)
    }

    /// The accessories a character's description names that the illustrator draws, by
    /// the names its record uses ("backpack", "raincoat").
    pub fn accessories_named(description: &str) -> Vec<String> {
        crate::appearance::worn(description, "#000000")
            .into_iter()
            .map(|w| w.item.name().to_owned())
            .collect()
    }
}

/// One character as the offline illustrator drew them.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnCharacter {
    pub name: String,
    /// The body drawn ("mouse", "bear").
    pub body: String,
    /// What they wear, as drawn.
    pub wearing: Vec<String>,
    pub pose: Pose,
    pub expression: Expression,
}

/// The offline illustrator's record of one picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub setting: String,
    pub shot: Shot,
    pub characters: Vec<DrawnCharacter>,
    /// The things drawn (the night sky's own moon counts).
    pub objects: Vec<String>,
}

/// The weather a person's redraw note asks for, as an overlay over the scene: the one
/// kind of direction this illustrator can follow (a managed image model reads the note in
/// its prompt).
fn weather(note: &str) -> Option<String> {
    let note = note.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| note.contains(w));
    let clouds = r##"<g fill="#5b6270" opacity="0.85"><ellipse cx="180" cy="70" rx="170" ry="55"/><ellipse cx="420" cy="55" rx="200" ry="60"/><ellipse cx="700" cy="75" rx="190" ry="55"/><ellipse cx="930" cy="60" rx="160" ry="50"/></g>"##;
    if has(&["storm", "rain", "thunder"]) {
        let rain = crate::props::rain();
        let bolt = if has(&["storm", "thunder"]) {
            r##"<path d="M610 95 L575 175 L605 175 L570 260 L650 150 L618 150 L645 95 Z" fill="#ffe27a"/>"##
        } else {
            ""
        };
        return Some(format!(
            r##"<rect width="100%" height="100%" fill="#1c2533" opacity="0.35"/>{clouds}{bolt}{rain}"##
        ));
    }
    if has(&["snow", "winter"]) {
        let mut flakes = String::from(r##"<g fill="#ffffff" opacity="0.9">"##);
        for i in 0..70 {
            let x = (i * 41) % 1000 + 5;
            let y = 20 + (i * 67) % 560;
            flakes.push_str(&format!(r#"<circle cx="{x}" cy="{y}" r="{}"/>"#, 3 + i % 4));
        }
        flakes.push_str("</g>");
        return Some(flakes);
    }
    if has(&["cloud", "grey", "gray"]) {
        return Some(clouds.to_owned());
    }
    None
}

/// Renders SVG source to PNG bytes at `width` x `height`.
pub(crate) fn render_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .map_err(|e| Error::Permanent(format!("offline illustrator drew invalid SVG: {e}")))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| Error::Permanent(format!("cannot draw a {width}x{height} picture")))?;
    let transform = resvg::tiny_skia::Transform::from_scale(width as f32 / W, height as f32 / H);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    encode(&pixmap).map_err(|e| Error::Permanent(format!("PNG encoding failed: {e}")))
}

/// Encodes a rendered picture as PNG. A scene covers its whole canvas, so it is stored
/// without alpha and with every row Up-filtered: typesetting decodes each picture again,
/// and that decode is then about four times faster than of the adaptive filter's Paeth
/// rows (5 against 23 ms at 2625x1650, measured), at 2% more bytes, and the PDF writer
/// has no alpha channel to split off and check. A picture with any transparency keeps it.
fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> std::result::Result<Vec<u8>, png::EncodingError> {
    if pixmap.pixels().iter().any(|p| p.alpha() != u8::MAX) {
        return pixmap.encode_png();
    }
    // Opaque pixels are the same premultiplied or not.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[async_trait]
impl ImageModel for OfflineIllustrator {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: Self::ID.into(),
            offline: true,
            description:
                "Storyloom's built-in offline illustrator: stages each scene and paints it as \
                          vector art, deterministically, without an image model"
                    .into(),
        }
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let svg = Self::svg(request);
        let (w, h) = (request.width, request.height);
        // Rendering is CPU-bound: keep it off the async executor.
        let png = storyloom_cpu::run(move || render_png(&svg, w, h))
            .await
            .map_err(|e| Error::Transient(format!("illustrator: {e}")))??;
        Ok(ImageResponse {
            png,
            usage: Usage {
                calls: 1,
                images: 1,
                ..Usage::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(name: &str, kind: &str, description: &str, seed: u64) -> CharacterLook {
        let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, seed);
        CharacterLook::from_sheet(name, kind, sheet)
    }
    use storyloom_domain::ArtStyle;
    use storyloom_domain::page::Scene;
    use storyloom_domain::ports::CharacterLook;

    fn request(style: ArtStyle, time: TimeOfDay, setting: &str) -> ImageRequest {
        ImageRequest {
            direction: None,
            prompt: String::new(),
            scene: Scene {
                setting: setting.into(),
                time_of_day: time,
                characters: vec!["Hazel".into(), "Otto".into()],
                mood: "warm".into(),
                objects: vec![],
                shot: Default::default(),
                figures: vec![],
            },
            cast: vec![
                look(
                    "Hazel",
                    "hedgehog",
                    "a small brown hedgehog with a red scarf",
                    1,
                ),
                look("Otto", "owl", "a grey owl with round glasses", 2),
            ],
            style,
            width: 400,
            height: 252,
            seed: 9,
        }
    }

    #[tokio::test]
    async fn every_style_and_setting_renders_a_png() {
        for style in ArtStyle::ALL {
            for setting in [
                "forest", "seaside", "meadow", "city", "mountain", "garden", "space", "farm",
                "castle", "home",
            ] {
                let r = OfflineIllustrator
                    .draw(&request(style, TimeOfDay::Night, setting))
                    .await
                    .unwrap();
                assert_eq!(&r.png[1..4], b"PNG", "{style:?} {setting}");
                assert_eq!(r.usage.images, 1);
            }
        }
    }

    #[tokio::test]
    async fn a_scene_is_an_opaque_rgb_png_of_the_rendered_pixels() {
        let req = request(ArtStyle::Watercolour, TimeOfDay::Morning, "forest");
        let drawn = OfflineIllustrator.draw(&req).await.unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&drawn.png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Rgb);
        assert_eq!((frame.width, frame.height), (req.width, req.height));
        let tree = resvg::usvg::Tree::from_str(
            &OfflineIllustrator::svg(&req),
            &resvg::usvg::Options::default(),
        )
        .unwrap();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(req.width, req.height).unwrap();
        let scale =
            resvg::tiny_skia::Transform::from_scale(req.width as f32 / W, req.height as f32 / H);
        resvg::render(&tree, scale, &mut pixmap.as_mut());
        let rendered: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(pixels, rendered, "the PNG holds exactly what was rendered");
    }

    #[test]
    fn a_picture_with_transparency_keeps_its_alpha() {
        let pixmap = resvg::tiny_skia::Pixmap::new(8, 8).unwrap();
        let png = encode(&pixmap).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Rgba);
    }

    #[test]
    fn the_same_request_draws_the_same_picture_and_a_character_keeps_its_look() {
        let a = OfflineIllustrator::svg(&request(
            ArtStyle::Watercolour,
            TimeOfDay::Morning,
            "forest",
        ));
        assert_eq!(
            a,
            OfflineIllustrator::svg(&request(
                ArtStyle::Watercolour,
                TimeOfDay::Morning,
                "forest"
            ))
        );
        let b =
            OfflineIllustrator::svg(&request(ArtStyle::Watercolour, TimeOfDay::Night, "seaside"));
        // Hazel's scarf colour and body colour appear in both scenes.
        for s in [&a, &b] {
            assert!(s.contains("#d8433b") && s.contains("#8b5a3c"));
        }
    }

    #[test]
    fn a_page_that_names_the_moon_at_night_gets_the_night_skys_one() {
        let mut night = request(ArtStyle::Ink, TimeOfDay::Night, "forest");
        night.scene.objects = vec!["moon".into(), "lantern".into()];
        let mut day = night.clone();
        day.scene.time_of_day = TimeOfDay::Afternoon;
        // The moon prop's shading: drawn by day, left to the sky at night.
        assert!(!OfflineIllustrator::svg(&night).contains("#8fa6c8"));
        assert!(OfflineIllustrator::svg(&day).contains("#8fa6c8"));
        assert!(
            OfflineIllustrator::svg(&night).contains("#ffd24a"),
            "the lantern"
        );
    }
}
