//! The embedded fonts (DejaVu Sans, under its permissive licence in `assets/fonts`), and
//! their metrics for line breaking.

/// DejaVu Sans, regular.
pub(crate) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub(crate) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The embedded fonts by file name (under `assets/fonts`), for `storyloom doctor`.
pub fn embedded() -> [(&'static str, &'static [u8]); 2] {
    [("DejaVuSans.ttf", REGULAR), ("DejaVuSans-Bold.ttf", BOLD)]
}

/// Whether `data` is a font the typesetter can use (it parses and maps basic Latin).
pub fn usable(data: &[u8]) -> bool {
    ttf_parser::Face::parse(data, 0)
        .is_ok_and(|face| ('a'..='z').all(|c| face.glyph_index(c).is_some()))
}

/// Measures text in a font, in points, from the font's own advances.
pub(crate) struct Metrics<'a> {
    face: ttf_parser::Face<'a>,
    units_per_em: f64,
}

impl<'a> Metrics<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Option<Self> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let units_per_em = f64::from(face.units_per_em());
        Some(Metrics { face, units_per_em })
    }

    /// The width of `text` at `size` points.
    pub(crate) fn width(&self, text: &str, size: f64) -> f64 {
        let units: f64 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map_or(self.units_per_em * 0.5, f64::from)
            })
            .sum();
        units / self.units_per_em * size
    }
}
