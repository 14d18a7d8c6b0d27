//! `storyloom demo`: start the stack in-process, create a cast and a book through the HTTP
//! API like any client would, watch its progress stage by stage, and save the PDF.

use crate::LocalStack;
use anyhow::{Context, bail};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const OWNER: &str = "demo-reader";

/// Runs the demo; prints the PDF's path.
pub async fn run(
    out: &Path,
    data: Option<PathBuf>,
    pages: u32,
    text_model: Option<storyloom_providers::Provider>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let temp = tempfile::tempdir()?;
    let data = data.unwrap_or_else(|| temp.path().to_owned());
    let options = crate::stack::StackOptions {
        text_model,
        ..Default::default()
    };
    let mut stack = LocalStack::open_with(&data, &options).await?;
    stack.start_workers();
    let addr = stack.serve("127.0.0.1:0".parse()?).await?;
    let base = format!("http://{addr}");
    let http = crate::client::signed_in(&stack.token(OWNER)?)?;
    let (text, image) = (stack.ports.text.info(), stack.ports.image.info());
    println!(
        "Storyloom demo — text: {} ({}), pictures: {} ({})",
        text.id,
        if text.offline {
            "on this machine"
        } else {
            "managed"
        },
        image.id,
        if image.offline {
            "on this machine"
        } else {
            "managed"
        },
    );

    let cast = [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave", "curious"],
               "visual_description": "a small brown hedgehog with a red scarf", "voice": "asks lots of questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise", "gentle"],
               "visual_description": "a big grey owl with round blue glasses", "voice": "slow and grand, with long words"}),
        json!({"name": "Pip", "kind": "mouse", "traits": ["cheerful"],
               "visual_description": "a tiny white mouse with a yellow bow", "voice": "sings in rhymes"}),
    ];
    let mut ids = Vec::new();
    for c in cast {
        let created: Value =
            crate::client::json(http.post(format!("{base}/v1/characters")).json(&c)).await?;
        ids.push(created["id"].as_str().context("character id")?.to_owned());
    }
    let request = json!({
        "premise": "A brave little hedgehog who is afraid of the dark",
        "age_band": "3-5", "page_count": pages, "art_style": "watercolour", "cast": ids, "seed": 7,
        "dedication": "For everyone who is still a little afraid of the dark"
    });
    let book: Value =
        crate::client::json(http.post(format!("{base}/v1/books")).json(&request)).await?;
    let id = book["id"].as_str().context("book id")?.to_owned();

    let bars = Bars::new(pages);
    let progress = loop {
        let p: Value =
            crate::client::json(http.get(format!("{base}/v1/books/{id}/progress"))).await?;
        bars.update(&p);
        match p["status"].as_str() {
            Some("ready" | "partial") => break p,
            Some("failed" | "cancelled") => {
                bail!("the book {}: {}", p["status"], p["failure_reason"])
            }
            _ => tokio::time::sleep(Duration::from_millis(150)).await,
        }
    };
    bars.finish();
    let pdf = crate::client::pdf(&http, &base, &id).await?;
    std::fs::create_dir_all(out)?;
    let path = out.join(format!(
        "{}.pdf",
        slug(progress["title"].as_str().unwrap_or("book"))
    ));
    std::fs::write(&path, &pdf)?;
    stack.stop().await;
    println!(
        "\"{}\" is {}: {} story pages after the cover, title page and dedication, {:.1} MB, made in {:.1} s",
        progress["title"].as_str().unwrap_or_default(),
        progress["status"].as_str().unwrap_or_default(),
        pages,
        pdf.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    println!("{}", path.canonicalize().unwrap_or(path).display());
    Ok(())
}

/// A title as a file name: lower-case words joined by dashes.
pub(crate) fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// One progress bar per stage.
struct Bars {
    _multi: MultiProgress,
    write: ProgressBar,
    review: ProgressBar,
    draw: ProgressBar,
    assemble: ProgressBar,
}

impl Bars {
    fn new(pages: u32) -> Bars {
        let multi = MultiProgress::new();
        let style = ProgressStyle::with_template("{prefix:>11} [{bar:32}] {pos:>2}/{len:2} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = |name: &str, len: u64| {
            let b = multi.add(ProgressBar::new(len));
            b.set_style(style.clone());
            b.set_prefix(name.to_owned());
            b
        };
        Bars {
            write: bar("writing", u64::from(pages)),
            review: bar("reviewing", 1),
            draw: bar("illustrating", u64::from(pages)),
            assemble: bar("assembling", 1),
            _multi: multi,
        }
    }

    fn update(&self, p: &Value) {
        let n = |v: &Value| v.as_u64().unwrap_or(0);
        self.write.set_position(n(&p["writing"]["pages_written"]));
        self.write.set_message(match n(&p["writing"]["rewrites"]) {
            0 => String::new(),
            r => format!("rewrite {r}"),
        });
        if p["review"]["passed"].as_bool() == Some(true) {
            self.review.set_position(1);
            self.review.set_message("all gates passed");
        }
        let i = &p["illustrations"];
        self.draw
            .set_position(n(&i["done"]) + n(&i["failed"]) + n(&i["flagged"]));
        self.draw
            .set_message(format!("{} in progress", n(&i["in_progress"])));
        if p["assembled"].as_bool() == Some(true) {
            self.assemble.set_position(1);
            self.assemble.set_message("PDF ready");
        }
    }

    fn finish(&self) {
        for b in [&self.write, &self.review, &self.draw, &self.assemble] {
            b.finish();
        }
    }
}
