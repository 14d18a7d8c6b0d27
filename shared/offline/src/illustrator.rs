//! The offline illustrator: paints each scene as SVG and renders it to PNG with resvg.

use crate::appearance::Look;
use crate::scenery::{self, H, W};
use async_trait::async_trait;
use storyloom_domain::ports::{ImageModel, ImageRequest, ImageResponse, ModelInfo, Usage};
use storyloom_domain::{Error, Result};

/// Draws pictures with no network and no model weights.
#[derive(Debug, Clone, Default)]
pub struct OfflineIllustrator;

impl OfflineIllustrator {
    /// The model's id, recorded on every book it draws.
    pub const ID: &'static str = "offline-illustrator-1";

    /// The SVG source of a picture (useful for inspection and tests).
    pub fn svg(request: &ImageRequest) -> String {
        let cast: Vec<Look> = request
            .cast
            .iter()
            .map(|c| Look::of(&c.kind, &c.visual_description, c.seed))
            .collect();
        scenery::paint(
            &request.scene.setting,
            request.scene.time_of_day,
            request.style,
            &cast,
            request.seed,
        )
    }
}

/// Renders SVG source to PNG bytes at `width` x `height`.
pub(crate) fn render_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .map_err(|e| Error::Permanent(format!("offline illustrator drew invalid SVG: {e}")))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| Error::Permanent(format!("cannot draw a {width}x{height} picture")))?;
    let transform = resvg::tiny_skia::Transform::from_scale(width as f32 / W, height as f32 / H);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| Error::Permanent(format!("PNG encoding failed: {e}")))
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
        let png = tokio::task::spawn_blocking(move || render_png(&svg, w, h))
            .await
            .map_err(|e| Error::Transient(format!("illustrator task: {e}")))??;
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
    use storyloom_domain::page::Scene;
    use storyloom_domain::ports::CharacterLook;
    use storyloom_domain::{ArtStyle, TimeOfDay};

    fn request(style: ArtStyle, time: TimeOfDay, setting: &str) -> ImageRequest {
        ImageRequest {
            prompt: String::new(),
            scene: Scene {
                setting: setting.into(),
                time_of_day: time,
                characters: vec!["Hazel".into(), "Otto".into()],
                mood: "warm".into(),
            },
            cast: vec![
                CharacterLook {
                    name: "Hazel".into(),
                    kind: "hedgehog".into(),
                    visual_description: "a small brown hedgehog with a red scarf".into(),
                    seed: 1,
                },
                CharacterLook {
                    name: "Otto".into(),
                    kind: "owl".into(),
                    visual_description: "a grey owl with round glasses".into(),
                    seed: 2,
                },
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
}
