//! What a print-ready book must be, checked on the PDF bytes.

/// Pages before the story when the book has no dedication: the cover and the title page.
pub const FRONT_MATTER: usize = 2;

/// Checks the PDF is print-ready: page count, boxes, embedded fonts, a picture on the cover
/// and on every story page.
pub fn check_pdf(bytes: &[u8], story_pages: usize) {
    check_pdf_with_front(bytes, story_pages, FRONT_MATTER)
}

/// As [`check_pdf`], for a book with `front` pages before the story (a dedication adds one).
pub fn check_pdf_with_front(bytes: &[u8], story_pages: usize, front: usize) {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages = doc.get_pages();
    assert_eq!(
        pages.len(),
        story_pages + front,
        "cover, title page (and dedication) plus one page per story page"
    );
    let mut fonts_embedded = 0;
    for (_, obj) in doc.objects.iter() {
        if let Ok(dict) = obj.as_dict()
            && dict.get(b"Type").and_then(|t| t.as_name()).ok()
                == Some(b"FontDescriptor".as_slice())
        {
            assert!(
                dict.has(b"FontFile2") || dict.has(b"FontFile3"),
                "a font is not embedded: {dict:?}"
            );
            fonts_embedded += 1;
        }
    }
    assert!(fonts_embedded >= 1, "no embedded fonts");
    for (n, page_id) in pages {
        let page = doc.get_dictionary(page_id).unwrap();
        let rect = |k: &[u8]| -> Vec<f32> {
            page.get(k)
                .unwrap_or_else(|_| panic!("page {n} has no {}", String::from_utf8_lossy(k)))
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect()
        };
        assert_eq!(
            rect(b"MediaBox"),
            vec![0.0, 0.0, 630.0, 630.0],
            "8.75 in media = 8.5 in trim + 2 x 0.125 in bleed"
        );
        assert_eq!(rect(b"TrimBox"), vec![9.0, 9.0, 621.0, 621.0]);
        assert_eq!(rect(b"BleedBox"), vec![0.0, 0.0, 630.0, 630.0]);
        let picture_page = n == 1 || n as usize > front;
        if picture_page {
            let resources = doc.get_page_resources(page_id).unwrap();
            let dict = resources
                .0
                .cloned()
                .or_else(|| {
                    resources
                        .1
                        .first()
                        .and_then(|id| doc.get_dictionary(*id).ok().cloned())
                })
                .unwrap();
            let xobjects = dict.get(b"XObject").and_then(|x| match x {
                lopdf::Object::Reference(r) => doc.get_dictionary(*r),
                other => other.as_dict(),
            });
            let has_image = xobjects.map(|x| {
                x.iter().any(|(_, v)| {
                    let id = v.as_reference().unwrap();
                    doc.get_object(id)
                        .unwrap()
                        .as_stream()
                        .unwrap()
                        .dict
                        .get(b"Subtype")
                        .and_then(|s| s.as_name())
                        .ok()
                        == Some(b"Image".as_slice())
                })
            });
            assert_eq!(has_image.ok(), Some(true), "page {n} has no picture");
        }
    }
}
