//! Draws the web app's example picture for each art style (the new-book flow shows them):
//! the same two friends in the same meadow, once per style.
//!
//! `cargo run -p storyloom-offline --example style_samples -- shared/http/web/styles`

use storyloom_domain::page::Scene;
use storyloom_domain::ports::{CharacterLook, ImageModel, ImageRequest};
use storyloom_domain::staging::{Expression, Figure, Pose, Shot};
use storyloom_domain::{ArtStyle, TimeOfDay};
use storyloom_offline::OfflineIllustrator;

fn look(name: &str, kind: &str, description: &str) -> CharacterLook {
    let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, 11);
    CharacterLook::from_sheet(name, kind, sheet)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "styles".into()));
    std::fs::create_dir_all(&out)?;
    let cast = vec![
        look(
            "Hazel",
            "hedgehog",
            "a small brown hedgehog with a red scarf",
        ),
        look("Otto", "owl", "a grey owl with round blue glasses"),
    ];
    let figures = vec![
        Figure {
            name: "Hazel".into(),
            pose: Pose::Waving,
            expression: Expression::Happy,
        },
        Figure {
            name: "Otto".into(),
            pose: Pose::Standing,
            expression: Expression::Happy,
        },
    ];
    for style in ArtStyle::ALL {
        let request = ImageRequest {
            direction: None,
            prompt: String::new(),
            scene: Scene {
                setting: "meadow".into(),
                time_of_day: TimeOfDay::Afternoon,
                characters: cast.iter().map(|c| c.name.clone()).collect(),
                mood: "warm".into(),
                objects: vec!["kite".into()],
                shot: Shot::Medium,
                figures: figures.clone(),
            },
            cast: cast.clone(),
            style,
            width: 320,
            height: 240,
            seed: 5,
        };
        let png = OfflineIllustrator.draw(&request).await?.png;
        let path = out.join(format!("{}.png", style.as_str()));
        std::fs::write(&path, png)?;
        println!("{}", path.display());
    }
    Ok(())
}
