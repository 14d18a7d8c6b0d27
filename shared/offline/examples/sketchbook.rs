//! Draws the offline illustrator's range into a folder of PNGs, to look at: every kind of
//! creature with what it wears, every pose, every feeling and every framing.
//!
//! `cargo run -p storyloom-offline --example sketchbook -- OUT_DIR`

use storyloom_domain::page::Scene;
use storyloom_domain::ports::{CharacterLook, ImageModel, ImageRequest};
use storyloom_domain::staging::{Expression, Figure, Pose, Shot};
use storyloom_domain::{ArtStyle, TimeOfDay};
use storyloom_offline::OfflineIllustrator;

fn look(name: &str, kind: &str, description: &str) -> CharacterLook {
    let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, 7);
    CharacterLook::from_sheet(name, kind, sheet)
}

fn request(
    cast: Vec<CharacterLook>,
    figures: Vec<Figure>,
    shot: Shot,
    objects: &[&str],
) -> ImageRequest {
    ImageRequest {
        direction: None,
        prompt: String::new(),
        scene: Scene {
            setting: "meadow".into(),
            time_of_day: TimeOfDay::Afternoon,
            characters: cast.iter().map(|c| c.name.clone()).collect(),
            mood: "warm".into(),
            objects: objects.iter().map(|s| s.to_string()).collect(),
            shot,
            figures,
        },
        cast,
        style: ArtStyle::Watercolour,
        width: 500,
        height: 314,
        seed: 3,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "sketchbook".into()),
    );
    std::fs::create_dir_all(&out)?;
    let kinds = [
        ("Mila", "fox", "a small orange fox with a green backpack"),
        ("Bram", "bear", "a big brown bear in a blue raincoat"),
        ("Pip", "mouse", "a tiny white mouse with a yellow bow"),
        (
            "Hazel",
            "hedgehog",
            "a small brown hedgehog with a red scarf",
        ),
        ("Otto", "owl", "a big grey owl with round blue glasses"),
        ("Tess", "cat", "a black cat with a purple hat"),
        ("Rex", "dog", "a spotted dog with red boots"),
        ("Penny", "pig", "a pink pig with a gold crown"),
        ("Leo", "lion", "a golden lion with a green scarf"),
        ("Momo", "monkey", "a brown monkey with an orange bag"),
        ("Fig", "frog", "a green frog with a red necklace"),
        ("Ella", "elephant", "a grey elephant in a pink jumper"),
        ("Dot", "duck", "a yellow duck with a blue cape"),
        ("Bolt", "robot", "a silver robot"),
        ("Ember", "dragon", "a small green dragon"),
        ("Ava", "girl", "a girl in a yellow raincoat and red boots"),
        ("Bun", "rabbit", "a white rabbit with a blue scarf"),
        ("Woolly", "sheep", "a fluffy white sheep with a red bag"),
        ("Shelly", "turtle", "a green turtle with a yellow hat"),
        ("Gigi", "giraffe", "a tall giraffe with a blue scarf"),
        ("Star", "unicorn", "a white unicorn with a pink bow"),
        ("Clip", "pony", "a brown pony with green boots"),
        ("Wim", "wombat", "a round brown wombat with glasses"),
    ];
    for chunk in kinds.chunks(3) {
        let cast: Vec<CharacterLook> = chunk.iter().map(|(n, k, d)| look(n, k, d)).collect();
        let r = request(cast, vec![], Shot::Medium, &[]);
        let png = OfflineIllustrator.draw(&r).await?.png;
        std::fs::write(
            out.join(format!("kinds-{}.png", chunk[0].0.to_lowercase())),
            png,
        )?;
    }
    let poses = Pose::ALL;
    let feelings = Expression::ALL;
    for (i, pose) in poses.iter().enumerate() {
        let feeling = feelings[i % feelings.len()];
        let cast = vec![look("Bram", "bear", "a big brown bear in a blue raincoat")];
        let figures = vec![Figure {
            name: "Bram".into(),
            pose: *pose,
            expression: feeling,
        }];
        let png = OfflineIllustrator
            .draw(&request(cast, figures, Shot::Medium, &[]))
            .await?
            .png;
        std::fs::write(
            out.join(format!("pose-{i:02}-{pose:?}-{feeling:?}.png").to_lowercase()),
            png,
        )?;
    }
    for shot in Shot::ALL {
        let cast = vec![
            look("Mila", "fox", "a small orange fox with a green backpack"),
            look("Bram", "bear", "a big brown bear in a blue raincoat"),
        ];
        let figures = vec![
            Figure {
                name: "Mila".into(),
                pose: Pose::Pointing,
                expression: Expression::Surprised,
            },
            Figure {
                name: "Bram".into(),
                pose: Pose::Waving,
                expression: Expression::Happy,
            },
        ];
        let png = OfflineIllustrator
            .draw(&request(cast, figures, shot, &["raft", "river", "kite"]))
            .await?
            .png;
        std::fs::write(out.join(format!("shot-{shot:?}.png").to_lowercase()), png)?;
    }
    println!("{}", out.display());
    Ok(())
}
