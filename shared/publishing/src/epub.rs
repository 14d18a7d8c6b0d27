//! The EPUB 3 e-book: one XHTML document per page with its picture and the picture's
//! description as alt text, a title page, a navigation document and the package document.
//! The container is a plain ZIP (the `zip` crate); every entry is stored, not deflated,
//! since the pictures are PNGs already and `mimetype` must be stored first anyway.

use std::io::{Cursor, Write};
use storyloom_domain::calendar::iso8601;
use storyloom_domain::ports::PrintBook;
use storyloom_domain::{AgeBand, Error, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Text for XML content and quoted attributes: the five markup characters escaped, and
/// the control characters XML 1.0 does not allow left out.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The class that sizes a page's type for its age band (as the PDF does).
fn band_class(age: AgeBand) -> &'static str {
    match age {
        AgeBand::Ages3To5 => "ages-3-5",
        AgeBand::Ages6To8 => "ages-6-8",
        AgeBand::Ages9To12 => "ages-9-12",
    }
}

fn xhtml(title: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><meta charset="UTF-8"/><title>{}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body>
{body}
</body>
</html>
"#,
        xml(title)
    )
}

const STYLE: &str = "body { font-family: serif; margin: 1em; }\n\
h1 { text-align: center; margin-top: 2em; }\n\
figure { margin: 0; text-align: center; }\n\
img { max-width: 100%; height: auto; }\n\
p.text { font-size: 1.3em; line-height: 1.5; text-align: center; }\n\
.ages-3-5 p.text { font-size: 1.8em; }\n\
.ages-6-8 p.text { font-size: 1.5em; }\n\
section.cover { text-align: center; }\n\
section.cover h1 { margin-top: 0.5em; }\n\
p.dedication { text-align: center; font-style: italic; font-size: 1.4em; margin-top: 30%; }\n\
p.cast, p.colophon { text-align: center; font-style: italic; }\n";

const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

fn page_file(number: u32) -> String {
    format!("page-{number:03}.xhtml")
}

fn picture_file(number: u32) -> String {
    format!("images/page-{number:03}.png")
}

/// The e-book's bytes.
pub fn package(book: &PrintBook) -> Result<Vec<u8>> {
    let title = if book.title.trim().is_empty() {
        "A Storyloom book"
    } else {
        book.title.trim()
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // The cover: the opening picture (the same file its page shows) under the title.
    let cover = book.cover_page().map(|p| picture_file(p.number));
    files.push((
        "cover.xhtml".into(),
        xhtml(
            title,
            &format!(
                "<section epub:type=\"cover\" class=\"cover\">{}<h1>{}</h1></section>",
                cover
                    .as_ref()
                    .map(|f| format!("<img src=\"{f}\" alt=\"The cover picture\"/>"))
                    .unwrap_or_default(),
                xml(title)
            ),
        )
        .into_bytes(),
    ));
    let cast: Vec<String> = book
        .cast
        .iter()
        .map(|(name, about)| format!("{}, {}", xml(name), xml(about)))
        .collect();
    files.push((
        "title.xhtml".into(),
        xhtml(
            title,
            &format!(
                "<section epub:type=\"titlepage\"><h1>{}</h1><p class=\"cast\">{}</p></section>",
                xml(title),
                cast.join("<br/>")
            ),
        )
        .into_bytes(),
    ));
    if let Some(dedication) = book.dedication.as_deref().filter(|d| !d.trim().is_empty()) {
        files.push((
            "dedication.xhtml".into(),
            xhtml(
                "Dedication",
                &format!(
                    "<section epub:type=\"dedication\"><p class=\"dedication\">{}</p></section>",
                    xml(dedication.trim())
                ),
            )
            .into_bytes(),
        ));
    }
    for page in &book.pages {
        let figure = match &page.picture {
            Some(png) => {
                files.push((picture_file(page.number), png.clone()));
                format!(
                    "<figure><img src=\"{}\" alt=\"{}\"/></figure>",
                    picture_file(page.number),
                    xml(&page.alt_text)
                )
            }
            None => String::new(),
        };
        let paragraphs: String = page
            .text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p class=\"text\">{}</p>", xml(p.trim())))
            .collect();
        files.push((
            page_file(page.number),
            xhtml(
                &format!("{title}, page {}", page.number),
                &format!(
                    "<section epub:type=\"chapter\" class=\"{}\" aria-label=\"Page {}\">{figure}{paragraphs}</section>",
                    band_class(book.age_band),
                    page.number
                ),
            )
            .into_bytes(),
        ));
    }
    files.push((
        "colophon.xhtml".into(),
        xhtml(
            "Colophon",
            &format!(
                "<section epub:type=\"colophon\"><p class=\"colophon\">{}</p></section>",
                xml(&book.colophon)
            ),
        )
        .into_bytes(),
    ));
    let toc: String = std::iter::once(format!(
        "<li><a href=\"title.xhtml\">{}</a></li>",
        xml(title)
    ))
    .chain(book.pages.iter().map(|p| {
        format!(
            "<li><a href=\"{}\">Page {}</a></li>",
            page_file(p.number),
            p.number
        )
    }))
    .chain(std::iter::once(
        "<li><a href=\"colophon.xhtml\">Colophon</a></li>".to_owned(),
    ))
    .collect();
    files.push((
        "nav.xhtml".into(),
        xhtml(
            "Contents",
            &format!("<nav epub:type=\"toc\" id=\"toc\"><h1>Contents</h1><ol>{toc}</ol></nav>"),
        )
        .into_bytes(),
    ));
    files.push(("style.css".into(), STYLE.as_bytes().to_vec()));

    let mut manifest = String::new();
    let mut spine = String::new();
    for (i, (name, _)) in files.iter().enumerate() {
        let id = format!("item{i}");
        let (media, props) = if cover.as_ref() == Some(name) {
            ("image/png", " properties=\"cover-image\"")
        } else if name.ends_with(".png") {
            ("image/png", "")
        } else if name.ends_with(".css") {
            ("text/css", "")
        } else if name == "nav.xhtml" {
            ("application/xhtml+xml", " properties=\"nav\"")
        } else {
            ("application/xhtml+xml", "")
        };
        manifest.push_str(&format!(
            "    <item id=\"{id}\" href=\"{name}\" media-type=\"{media}\"{props}/>\n"
        ));
        if media == "application/xhtml+xml" && name != "nav.xhtml" {
            spine.push_str(&format!("    <itemref idref=\"{id}\"/>\n"));
        }
    }
    let opf = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">urn:storyloom:book:{id}</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:language>en</dc:language>
    <dc:creator>Storyloom</dc:creator>
    <meta property="dcterms:modified">{modified}</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessMode">visual</meta>
    <meta property="schema:accessibilityFeature">alternativeText</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">Each picture has a short description of who is in it and where.</meta>
  </metadata>
  <manifest>
{manifest}  </manifest>
  <spine>
{spine}  </spine>
</package>
"#,
        id = xml(&book.id),
        title = xml(title),
        modified = iso8601(book.made_at_ms),
    );

    let fail = |e: zip::result::ZipError| Error::Permanent(format!("e-book packaging: {e}"));
    let io = |e: std::io::Error| Error::Permanent(format!("e-book packaging: {e}"));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", stored).map_err(fail)?;
    zip.write_all(b"application/epub+zip").map_err(io)?;
    zip.start_file("META-INF/container.xml", stored)
        .map_err(fail)?;
    zip.write_all(CONTAINER.as_bytes()).map_err(io)?;
    zip.start_file("OEBPS/content.opf", stored).map_err(fail)?;
    zip.write_all(opf.as_bytes()).map_err(io)?;
    for (name, bytes) in &files {
        zip.start_file(format!("OEBPS/{name}"), stored)
            .map_err(fail)?;
        zip.write_all(bytes).map_err(io)?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use storyloom_domain::AgeBand;
    use storyloom_domain::ports::PrintPage;

    #[test]
    fn the_package_starts_with_a_stored_mimetype_and_lists_every_page() {
        let book = PrintBook {
            id: "b-1".into(),
            made_at_ms: 0,
            title: "Hazel & the <Moon>".into(),
            age_band: AgeBand::Ages3To5,
            cast: vec![("Hazel".into(), "a small hedgehog".into())],
            pages: (1..=2)
                .map(|n| PrintPage {
                    number: n,
                    text: format!("Page {n} says hi."),
                    picture: (n == 1).then(|| vec![0x89, b'P', b'N', b'G']),
                    alt_text: "Hazel in the garden".into(),
                })
                .collect(),
            colophon: "Made offline.".into(),
            dedication: Some("For Ada, who asks \"why?\"".into()),
        };
        let bytes = package(&book).expect("packaged");
        assert_eq!(&bytes[30..38], b"mimetype", "first entry, no extra field");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let mut text = |name: &str| {
            let mut out = String::new();
            zip.by_name(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .read_to_string(&mut out)
                .expect("text");
            out
        };
        let opf = text("OEBPS/content.opf");
        assert!(opf.contains("<dc:title>Hazel &amp; the &lt;Moon&gt;</dc:title>"));
        assert!(opf.contains("1970-01-01T00:00:00Z"));
        assert!(opf.contains("href=\"images/page-001.png\""));
        assert!(!opf.contains("page-002.png"), "no picture, no image");
        let page = text("OEBPS/page-001.xhtml");
        assert!(page.contains("alt=\"Hazel in the garden\""));
        assert!(page.contains("class=\"ages-3-5\""));
        assert!(opf.contains(
            "href=\"images/page-001.png\" media-type=\"image/png\" properties=\"cover-image\""
        ));
        assert!(text("OEBPS/cover.xhtml").contains("<h1>Hazel &amp; the &lt;Moon&gt;</h1>"));
        assert!(text("OEBPS/dedication.xhtml").contains("For Ada, who asks &quot;why?&quot;"));
    }
}
