//! `storyloom review-book`: the book report. For one book of a local stack's data, or for
//! every premise of a set (each made first, through the HTTP API like any client, on the
//! configured models): how the book keeps its premise, how its pictures follow its words,
//! grammar, readability, repetition and variety; then the figures over the whole set
//! against the targets.

use crate::LocalStack;
use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use storyloom_domain::book_report::{BookReport, BookToReport, report};
use storyloom_domain::{Book, BookId, Page, prompt};
use storyloom_offline::OfflineIllustrator;

/// A set of premises to make and report on (see `docs/premises.json`).
#[derive(Debug, Deserialize)]
pub struct PremiseSet {
    /// Characters the books' casts are drawn from, as `POST /v1/characters` takes them.
    pub characters: Vec<Value>,
    pub books: Vec<Order>,
}

/// One book to order.
#[derive(Debug, Deserialize)]
pub struct Order {
    pub premise: String,
    /// Names from the set's characters.
    pub cast: Vec<String>,
    pub age_band: String,
    pub page_count: u32,
    #[serde(default = "watercolour")]
    pub art_style: String,
}

fn watercolour() -> String {
    "watercolour".into()
}

/// A book's figures, with what is measured outside the domain.
pub struct Reviewed {
    pub report: BookReport,
    /// Grammar problems, page by page (page number, problem).
    pub grammar: Option<Vec<(u32, String)>>,
    /// Character appearances, and those drawn with everything they wear (offline
    /// illustrator only: its record of what it drew).
    pub appearances: Option<(usize, usize)>,
}

/// Reports on one book of the local stack whose data is in `data`.
pub async fn run_one(data: &Path, id: &str) -> anyhow::Result<()> {
    let stack = LocalStack::open(data).await?;
    let id = BookId::parse(id).context("that is not a book id")?;
    let book = stack
        .ports
        .store
        .get_book(&id)
        .await?
        .with_context(|| format!("no book {id} in {}", data.display()))?;
    let pages = stack.ports.store.list_pages(&id).await?;
    let offline = stack.ports.image.info().offline;
    let reviewed = review(&book, &pages, offline);
    print_book(&reviewed, true);
    stack.stop().await;
    Ok(())
}

/// Makes a book for every premise in `set` on a fresh local stack, then reports on each
/// and on them all.
pub async fn run_set(set_file: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let set: PremiseSet = serde_json::from_str(
        &std::fs::read_to_string(set_file)
            .with_context(|| format!("cannot read {}", set_file.display()))?,
    )
    .with_context(|| format!("{} is not a premise set", set_file.display()))?;
    let started = Instant::now();
    let all = make_and_review(&set, out, true).await?;
    summary(&all, started.elapsed());
    Ok(())
}

/// Makes every book of `set` through the HTTP API of a fresh local stack (offline models
/// unless configured otherwise), waits for them, and measures each; with `out`, saves
/// their PDFs there.
pub async fn make_and_review(
    set: &PremiseSet,
    out: Option<&Path>,
    print: bool,
) -> anyhow::Result<Vec<Reviewed>> {
    let temp = tempfile::tempdir()?;
    let mut stack = LocalStack::open(temp.path()).await?;
    stack.start_workers();
    let addr = stack.serve("127.0.0.1:0".parse()?).await?;
    let base = format!("http://{addr}");
    let offline = stack.ports.image.info().offline;
    if print {
        println!(
            "Making {} books with {} and {}…",
            set.books.len(),
            stack.ports.text.info().id,
            stack.ports.image.info().id
        );
    }
    // One reader per book: each book's limits, budget and earlier books are its own.
    let mut ordered: Vec<(reqwest::Client, String)> = Vec::new();
    for (i, order) in set.books.iter().enumerate() {
        let http = crate::client::signed_in(&stack.token(&format!("reviewer-{i}"))?)?;
        let mut cast = Vec::new();
        for name in &order.cast {
            let character = set
                .characters
                .iter()
                .find(|c| c["name"] == name.as_str())
                .with_context(|| format!("{name} is not among the set's characters"))?;
            let created: Value =
                crate::client::json(http.post(format!("{base}/v1/characters")).json(character))
                    .await?;
            cast.push(created["id"].as_str().context("character id")?.to_owned());
        }
        let request = json!({
            "premise": order.premise, "age_band": order.age_band, "page_count": order.page_count,
            "art_style": order.art_style, "cast": cast, "seed": 1000 + i as u64,
        });
        let book: Value =
            crate::client::json(http.post(format!("{base}/v1/books")).json(&request)).await?;
        ordered.push((http, book["id"].as_str().context("book id")?.to_owned()));
    }
    for (http, id) in &ordered {
        wait(http, &base, id).await?;
    }
    let mut all = Vec::new();
    for (http, id) in &ordered {
        let book_id = BookId::parse(id)?;
        let book = stack
            .ports
            .store
            .get_book(&book_id)
            .await?
            .context("the book vanished")?;
        let pages = stack.ports.store.list_pages(&book_id).await?;
        let reviewed = review(&book, &pages, offline);
        if print {
            print_book(&reviewed, false);
        }
        if let Some(dir) = out {
            std::fs::create_dir_all(dir)?;
            let pdf = crate::client::pdf(http, &base, id).await?;
            let name = format!(
                "{}-{}.pdf",
                book.request.age_band.as_str(),
                crate::demo::slug(&book.title)
            );
            std::fs::write(dir.join(name), &pdf)?;
        }
        all.push(reviewed);
    }
    stack.stop().await;
    Ok(all)
}

async fn wait(http: &reqwest::Client, base: &str, id: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let p: Value =
            crate::client::json(http.get(format!("{base}/v1/books/{id}/progress"))).await?;
        match p["status"].as_str() {
            Some("ready" | "partial") => return Ok(()),
            Some("failed" | "cancelled") => {
                bail!("the book {id}: {} ({})", p["status"], p["failure_reason"])
            }
            _ if Instant::now() > deadline => bail!("the book {id} took over 10 minutes"),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Measures one book: the domain's report, grammar (when built with the `grammar`
/// feature) and, for the offline illustrator, its record of what it drew.
pub fn review(book: &Book, pages: &[Page], offline_pictures: bool) -> Reviewed {
    let cast = book.cast_names();
    let staged: Vec<(String, storyloom_domain::page::Scene)> = pages
        .iter()
        .map(|p| (p.text.clone(), p.scene.clone()))
        .collect();
    let report = report(&BookToReport {
        title: &book.title,
        premise: &book.request.premise,
        age_band: book.request.age_band,
        cast: &cast,
        pages: &staged,
    });
    let appearances = offline_pictures.then(|| {
        let mut seen = 0;
        let mut complete = 0;
        for page in pages {
            let drawing = OfflineIllustrator::drawing(&prompt::page_picture_request(book, page));
            for drawn in &drawing.characters {
                let Some(c) = book.request.cast.iter().find(|c| c.name == drawn.name) else {
                    continue;
                };
                seen += 1;
                let wears = OfflineIllustrator::accessories_named(&c.visual_description);
                if wears.iter().all(|w| drawn.wearing.contains(w)) {
                    complete += 1;
                }
            }
        }
        (seen, complete)
    });
    Reviewed {
        report,
        grammar: grammar(pages, &cast),
        appearances,
    }
}

#[cfg(feature = "grammar")]
fn grammar(pages: &[Page], cast: &[String]) -> Option<Vec<(u32, String)>> {
    let mut checker = storyloom_grammar::Grammar::new();
    Some(
        pages
            .iter()
            .flat_map(|p| {
                checker
                    .check(&p.text, cast)
                    .into_iter()
                    .map(|problem| (p.number, problem.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect(),
    )
}

#[cfg(not(feature = "grammar"))]
fn grammar(_: &[Page], _: &[String]) -> Option<Vec<(u32, String)>> {
    None
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn print_book(r: &Reviewed, details: bool) {
    let b = &r.report;
    let grammar = r
        .grammar
        .as_ref()
        .map_or("n/a".to_owned(), |g| g.len().to_string());
    let worn = r
        .appearances
        .map_or("n/a".to_owned(), |(seen, ok)| format!("{ok}/{seen}"));
    println!(
        "{title:<36} {band:<5} pages={pages:<2} premise→text={t:<4} premise→pictures={p:<4} \
         text↔picture={a:<4} grammar={grammar:<2} grade={g:.1}/{max} over={over} repeated={rep} \
         distinct-2={d:.2} shots={shots} settings={settings} dressed={worn}",
        title = truncate(&b.title, 36),
        band = b.age_band.as_str(),
        pages = b.pages.len(),
        t = pct(b.in_text),
        p = pct(b.in_pictures),
        a = pct(b.agreement()),
        g = b.mean_grade(),
        max = b.age_band.max_grade(),
        over = b.pages_over_grade(),
        rep = b.repeated_sentences.len(),
        d = b.distinct_2,
        shots = b.compositions,
        settings = b.settings,
    );
    let show = |label: &str, items: &[String]| {
        if !items.is_empty() {
            println!("    {label}: {}", items.join("; "));
        }
    };
    show("not in the text", &b.absent_from_text);
    show("not in the pictures", &b.absent_from_pictures);
    show("repeated", &b.repeated_sentences);
    if let Some(g) = &r.grammar {
        let lines: Vec<String> = g.iter().map(|(p, m)| format!("page {p}: {m}")).collect();
        show("grammar", &lines);
    }
    for page in &b.pages {
        if details || !page.missing.is_empty() {
            println!(
                "    page {:>2}: picture shows {} of what the text names{}, grade {:.1}",
                page.number,
                pct(page.agreement),
                if page.missing.is_empty() {
                    String::new()
                } else {
                    format!(" (not {})", page.missing.join(", "))
                },
                page.grade
            );
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}

/// The figures over every book, against the targets.
fn summary(all: &[Reviewed], made: Duration) {
    let n = all.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Reviewed) -> f64| all.iter().map(f).sum::<f64>() / n;
    let things: usize = all.iter().map(|r| r.report.premise_things.len()).sum();
    let absent_text: usize = all.iter().map(|r| r.report.absent_from_text.len()).sum();
    let absent_pictures: usize = all
        .iter()
        .map(|r| r.report.absent_from_pictures.len())
        .sum();
    let share = |absent: usize| {
        if things == 0 {
            1.0
        } else {
            1.0 - absent as f64 / things as f64
        }
    };
    let grammar: Option<usize> = all.iter().map(|r| r.grammar.as_ref().map(Vec::len)).sum();
    let repeated: usize = all.iter().map(|r| r.report.repeated_sentences.len()).sum();
    let books_with_repeats = all
        .iter()
        .filter(|r| !r.report.repeated_sentences.is_empty())
        .count();
    let min_distinct = all
        .iter()
        .map(|r| r.report.distinct_2)
        .fold(f64::INFINITY, f64::min);
    let few_shots = all
        .iter()
        .filter(|r| r.report.pages.len() >= 8 && r.report.compositions < 3)
        .count();
    let one_setting = all
        .iter()
        .filter(|r| r.report.pages.len() >= 8 && r.report.settings < 2)
        .count();
    let over: usize = all.iter().map(|r| r.report.pages_over_grade()).sum();
    let pages: usize = all.iter().map(|r| r.report.pages.len()).sum();
    let dressed = all
        .iter()
        .filter_map(|r| r.appearances)
        .fold((0, 0), |(s, o), (seen, ok)| (s + seen, o + ok));
    println!();
    println!(
        "books={} pages={pages} made in {:.1} s",
        all.len(),
        made.as_secs_f64()
    );
    let line = |name: &str, value: String, target: &str, met: bool| {
        println!(
            "{name:<44} {value:>10}   target {target:<10} {}",
            if met { "met" } else { "NOT MET" }
        );
    };
    line(
        "premise objects and places in the text",
        pct(share(absent_text)),
        ">= 95%",
        share(absent_text) >= 0.95,
    );
    line(
        "premise objects and places in the pictures",
        pct(share(absent_pictures)),
        ">= 90%",
        share(absent_pictures) >= 0.90,
    );
    line(
        "text↔picture agreement (mean of pages)",
        pct(mean(&|r| r.report.agreement())),
        "100%",
        all.iter()
            .all(|r| r.report.pages.iter().all(|p| p.missing.is_empty())),
    );
    match grammar {
        Some(g) => line(
            "grammar problems per book",
            format!("{:.2}", g as f64 / n),
            "0",
            g == 0,
        ),
        None => println!("grammar problems: not measured (build with --features grammar)"),
    }
    line(
        "repeated sentences (books with any)",
        format!("{repeated} ({books_with_repeats})"),
        "0",
        repeated == 0,
    );
    line(
        "distinct-2 (lowest book)",
        format!("{min_distinct:.2}"),
        ">= 0.80",
        min_distinct >= 0.8,
    );
    line(
        "books of 8+ pages with < 3 compositions",
        few_shots.to_string(),
        "0",
        few_shots == 0,
    );
    line(
        "books of 8+ pages in one setting",
        one_setting.to_string(),
        "0",
        one_setting == 0,
    );
    line(
        "pages above their band's grade",
        format!("{over}/{pages}"),
        "0",
        over == 0,
    );
    if dressed.0 > 0 {
        line(
            "appearances drawn with all they wear",
            format!("{}/{}", dressed.1, dressed.0),
            "all",
            dressed.0 == dressed.1,
        );
    }
}
