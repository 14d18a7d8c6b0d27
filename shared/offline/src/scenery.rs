//! Painting a scene as SVG: sky and light for the time of day, ground and props for the
//! setting, then the characters standing in it, in the chosen art style.

use crate::appearance::Look;
use crate::figure::{self, Drawn};
use crate::rng::Dice;
use std::fmt::Write;
use storyloom_domain::staging::{Figure, Shot};
use storyloom_domain::{ArtStyle, TimeOfDay};

/// The canvas, in SVG user units (the aspect of the printed picture area).
pub(crate) const W: f32 = 1000.0;
pub(crate) const H: f32 = 628.6;
const HORIZON: f32 = 400.0;

/// What was painted: the props drawn, and each character as drawn.
pub(crate) struct Painted {
    pub svg: String,
    pub objects: Vec<String>,
    pub characters: Vec<Drawn>,
}

/// A picture to paint: the place and light, the framing, and who is in it doing what.
pub(crate) struct Canvas<'a> {
    pub setting: &'a str,
    pub time: TimeOfDay,
    pub style: ArtStyle,
    pub shot: Shot,
    /// Each character's look, with their figure on this page (pose and feeling).
    pub cast: &'a [(Look, Figure)],
    pub objects: &'a [String],
    pub seed: u64,
}

/// Builds the SVG document for one picture.
pub(crate) fn paint(canvas: &Canvas<'_>) -> Painted {
    let Canvas {
        setting,
        time,
        style,
        shot,
        cast,
        objects,
        seed,
    } = *canvas;
    let mut dice = Dice::new(seed);
    let mut svg = String::with_capacity(16 * 1024);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}">"##
    );
    svg.push_str(&defs(time));
    let outline = match style {
        ArtStyle::Ink => r##" stroke="#1d1a1a" stroke-width="2.6" stroke-linejoin="round""##,
        ArtStyle::Crayon => {
            r##" stroke="#3a2a20" stroke-width="2" stroke-dasharray="7 3 2 3" stroke-linecap="round""##
        }
        _ => "",
    };
    let filter = match style {
        ArtStyle::Watercolour => r##" filter="url(#wash)""##,
        ArtStyle::PaperCut => r##" filter="url(#cut)""##,
        _ => "",
    };
    let _ = write!(
        svg,
        r##"<rect width="{W}" height="{H}" fill="url(#sky)"/>"##
    );
    let _ = write!(svg, "<g{filter}>");
    sky_lights(&mut svg, time, &mut dice);
    // The framing is a camera over the whole scene: close in on the faces, or tilt the
    // ground up to look down on it.
    let camera = match shot {
        // Close on the faces: the tallest head goes a little above the middle, and small
        // creatures are brought closer so a face fills the frame as a big one's does.
        Shot::Close => {
            let tallest = cast.iter().map(|(l, _)| l.size).fold(0.3, f32::max);
            let heads = 560.0 - 2.1 * tallest * 85.0;
            let zoom = (1.75 / tallest.sqrt()).clamp(1.75, 2.5);
            format!(
                r#" transform="translate({:.1} {:.1}) scale({zoom:.3})""#,
                W / 2.0 - zoom * W / 2.0,
                300.0 - zoom * heads
            )
        }
        Shot::FromAbove => format!(
            r#" transform="translate(0 {:.1}) scale(1 {:.3})""#,
            ABOVE_HORIZON - HORIZON * ABOVE_STRETCH,
            ABOVE_STRETCH
        ),
        _ => String::new(),
    };
    let _ = write!(svg, "<g{camera}>");
    ground(&mut svg, setting, time, outline, &mut dice);
    svg.push_str("</g>");
    let _ = write!(
        svg,
        "<g{}>",
        if shot == Shot::Close {
            camera.as_str()
        } else {
            ""
        }
    );
    let drawn_objects = crate::props::draw(&mut svg, objects, outline);
    let characters = stage(&mut svg, shot, cast, outline, &mut dice);
    svg.push_str("</g></g>");
    if time == TimeOfDay::Night {
        let _ = write!(
            svg,
            r##"<rect width="{W}" height="{H}" fill="#0b1640" opacity="0.28"/>"##
        );
    }
    if matches!(
        style,
        ArtStyle::Watercolour | ArtStyle::Gouache | ArtStyle::Crayon
    ) {
        let _ = write!(
            svg,
            r##"<rect width="{W}" height="{H}" filter="url(#paper)" opacity="0.16"/>"##
        );
    }
    svg.push_str("</svg>");
    Painted {
        svg,
        objects: drawn_objects,
        characters,
    }
}

/// Where the horizon sits, and how much the ground is stretched, when looking down.
const ABOVE_HORIZON: f32 = 150.0;
const ABOVE_STRETCH: f32 = (H - ABOVE_HORIZON) / (H - HORIZON);

/// Places the characters for the framing and draws each in their pose.
fn stage(
    svg: &mut String,
    shot: Shot,
    cast: &[(Look, Figure)],
    outline: &str,
    dice: &mut Dice,
) -> Vec<Drawn> {
    let n = cast.len().max(1) as f32;
    // The span they stand across and how large they are drawn.
    let (left, right, scale, ground) = match shot {
        Shot::Wide => (0.25, 0.75, 0.55, 585.0),
        Shot::Medium => (0.0, 1.0, 1.0, 560.0),
        Shot::Close => (0.2, 0.8, 1.0, 560.0),
        Shot::TwoShot => (0.18, 0.82, 1.15, 575.0),
        Shot::FromAbove => (0.15, 0.85, 0.7, 470.0),
    };
    let hugging = cast
        .iter()
        .filter(|(_, f)| f.pose == storyloom_domain::staging::Pose::Hugging)
        .count()
        >= 2;
    let (left, right) = if hugging { (0.3, 0.7) } else { (left, right) };
    cast.iter()
        .enumerate()
        .map(|(i, (look, fig))| {
            let x = W * (left + (right - left) * (i as f32 + 1.0) / (n + 1.0))
                + dice.range(-20.0, 20.0);
            let y = ground + dice.range(-10.0, 10.0);
            let facing = if cast.len() == 1 || (i as f32 + 0.5) < n / 2.0 {
                1.0
            } else {
                -1.0
            };
            figure::draw(
                svg,
                look,
                fig.pose,
                fig.expression,
                (x, y),
                2.1 * look.size * scale,
                facing,
                outline,
            )
        })
        .collect()
}

fn defs(time: TimeOfDay) -> String {
    let (top, bottom) = match time {
        TimeOfDay::Morning => ("#a9d8f5", "#fde2c4"),
        TimeOfDay::Afternoon => ("#63b0ea", "#d7f0ff"),
        TimeOfDay::Evening => ("#6b5b95", "#f7a072"),
        TimeOfDay::Night => ("#08122e", "#2c3e73"),
    };
    format!(
        r##"<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/><stop offset="0.65" stop-color="{bottom}"/></linearGradient>
<filter id="wash" x="-5%" y="-5%" width="110%" height="110%"><feGaussianBlur stdDeviation="1.4"/></filter>
<filter id="cut" x="-5%" y="-5%" width="110%" height="110%"><feDropShadow dx="3" dy="4" stdDeviation="2.5" flood-color="#000" flood-opacity="0.35"/></filter></defs>"##
    )
}

fn sky_lights(svg: &mut String, time: TimeOfDay, dice: &mut Dice) {
    match time {
        TimeOfDay::Night => {
            for _ in 0..60 {
                let (x, y, r) = (
                    dice.range(0.0, W),
                    dice.range(0.0, HORIZON - 40.0),
                    dice.range(0.8, 2.6),
                );
                let _ = write!(
                    svg,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="#fff8d8"/>"##
                );
            }
            let x = dice.range(650.0, 900.0);
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="95" r="46" fill="#fdf3c0"/><circle cx="{:.1}" cy="82" r="42" fill="#14204a"/>"##,
                x + 22.0
            );
        }
        _ => {
            let (x, y, c) = match time {
                TimeOfDay::Morning => (180.0, 150.0, "#ffd36e"),
                TimeOfDay::Afternoon => (800.0, 90.0, "#fff0a0"),
                _ => (760.0, 300.0, "#ff8a4c"),
            };
            let _ = write!(
                svg,
                r##"<circle cx="{x}" cy="{y}" r="58" fill="{c}" opacity="0.95"/>"##
            );
            for _ in 0..3 {
                let (cx, cy) = (dice.range(60.0, 940.0), dice.range(40.0, 220.0));
                let _ = write!(
                    svg,
                    r##"<g fill="#ffffff" opacity="0.85"><ellipse cx="{cx:.0}" cy="{cy:.0}" rx="60" ry="22"/><ellipse cx="{:.0}" cy="{:.0}" rx="38" ry="26"/><ellipse cx="{:.0}" cy="{:.0}" rx="32" ry="18"/></g>"##,
                    cx - 25.0,
                    cy - 14.0,
                    cx + 35.0,
                    cy - 6.0
                );
            }
        }
    }
}

fn ground(svg: &mut String, setting: &str, time: TimeOfDay, outline: &str, dice: &mut Dice) {
    let night = time == TimeOfDay::Night;
    let lit = if night { "#ffd966" } else { "#cfe8f7" };
    match setting {
        "seaside" => {
            let _ = write!(
                svg,
                r##"<rect y="{HORIZON}" width="{W}" height="110" fill="#3d8fc7"{outline}/>"##
            );
            for i in 0..9 {
                let x = i as f32 * 120.0 + dice.range(0.0, 40.0);
                let _ = write!(
                    svg,
                    r##"<path d="M{x} 440 q 20 -14 40 0 t 40 0" fill="none" stroke="#e8f6ff" stroke-width="4"/>"##
                );
            }
            let _ = write!(
                svg,
                r##"<path d="M0 500 Q 500 470 {W} 505 L {W} {H} L 0 {H} Z" fill="#efd59a"{outline}/>"##
            );
            for _ in 0..6 {
                let (x, y) = (dice.range(20.0, 980.0), dice.range(520.0, 610.0));
                let _ = write!(
                    svg,
                    r##"<ellipse cx="{x:.0}" cy="{y:.0}" rx="9" ry="5" fill="#f7efe2" stroke="#c7a97a"/>"##
                );
            }
        }
        "city" => {
            let mut x = 0.0;
            while x < W {
                let (w, h) = (dice.range(70.0, 130.0), dice.range(120.0, 260.0));
                let c = dice.pick(&["#c98b6b", "#9aa7b8", "#d8b46a", "#8f7fa8", "#b46f6f"]);
                let _ = write!(
                    svg,
                    r##"<rect x="{x:.0}" y="{:.0}" width="{w:.0}" height="{h:.0}" fill="{c}"{outline}/>"##,
                    HORIZON + 40.0 - h
                );
                let mut wy = HORIZON + 60.0 - h;
                while wy < HORIZON + 20.0 {
                    let mut wx = x + 12.0;
                    while wx < x + w - 20.0 {
                        let _ = write!(
                            svg,
                            r##"<rect x="{wx:.0}" y="{wy:.0}" width="12" height="16" fill="{lit}"/>"##
                        );
                        wx += 26.0;
                    }
                    wy += 32.0;
                }
                x += w + 6.0;
            }
            let _ = write!(
                svg,
                r##"<rect y="{}" width="{W}" height="{}" fill="#7d8791"/>"##,
                HORIZON + 40.0,
                H - HORIZON - 40.0
            );
            let _ = write!(
                svg,
                r##"<rect y="{}" width="{W}" height="6" fill="#f2f2f2" stroke-dasharray="40 30"/>"##,
                HORIZON + 120.0
            );
        }
        "mountain" => {
            for i in 0..4 {
                let x = i as f32 * 300.0 - 80.0 + dice.range(0.0, 60.0);
                let h = dice.range(180.0, 300.0);
                let top = HORIZON - h + 60.0;
                let _ = write!(
                    svg,
                    r##"<path d="M{x:.0} {HORIZON} L{:.0} {top:.0} L{:.0} {HORIZON} Z" fill="#7f8ca3"{outline}/>"##,
                    x + 170.0,
                    x + 340.0
                );
                let _ = write!(
                    svg,
                    r##"<path d="M{:.0} {:.0} L{:.0} {top:.0} L{:.0} {:.0} Z" fill="#ffffff"/>"##,
                    x + 130.0,
                    top + 45.0,
                    x + 170.0,
                    x + 210.0,
                    top + 45.0
                );
            }
            let _ = write!(
                svg,
                r##"<rect y="{HORIZON}" width="{W}" height="{}" fill="#9fbf7a"{outline}/>"##,
                H - HORIZON
            );
        }
        "space" => {
            let _ = write!(
                svg,
                r##"<circle cx="220" cy="170" r="70" fill="#e08f5a"/><ellipse cx="220" cy="170" rx="115" ry="20" fill="none" stroke="#f3d2a0" stroke-width="7"/>"##
            );
            let _ = write!(
                svg,
                r##"<path d="M0 470 Q 500 400 {W} 470 L {W} {H} L 0 {H} Z" fill="#b7b0c9"{outline}/>"##
            );
            for _ in 0..7 {
                let (x, y, r) = (
                    dice.range(30.0, 970.0),
                    dice.range(490.0, 610.0),
                    dice.range(8.0, 22.0),
                );
                let _ = write!(
                    svg,
                    r##"<ellipse cx="{x:.0}" cy="{y:.0}" rx="{r:.0}" ry="{:.0}" fill="#9890ad"/>"##,
                    r * 0.45
                );
            }
        }
        "home" => {
            let _ = write!(
                svg,
                r##"<rect width="{W}" height="{}" fill="#f3dcc0"/>"##,
                HORIZON + 60.0
            );
            let window_sky = if night { "#14204a" } else { "#a9d8f5" };
            let _ = write!(
                svg,
                r##"<rect x="380" y="90" width="240" height="190" fill="{window_sky}" stroke="#8b5a3c" stroke-width="12"/><path d="M500 90 V280 M380 185 H620" stroke="#8b5a3c" stroke-width="8"/>"##
            );
            if night {
                let _ = write!(
                    svg,
                    r##"<circle cx="560" cy="140" r="22" fill="#fdf3c0"/>"##
                );
            }
            let _ = write!(
                svg,
                r##"<rect y="{}" width="{W}" height="{}" fill="#b07f55"/>"##,
                HORIZON + 60.0,
                H - HORIZON - 60.0
            );
            let _ = write!(
                svg,
                r##"<rect x="60" y="330" width="230" height="120" rx="12" fill="#6c8fd1"{outline}/><rect x="60" y="300" width="70" height="45" rx="14" fill="#ffffff"/>"##
            );
            let _ = write!(
                svg,
                r##"<ellipse cx="520" cy="585" rx="300" ry="34" fill="#d8433b" opacity="0.75"/>"##
            );
            let _ = write!(
                svg,
                r##"<rect x="820" y="300" width="28" height="160" fill="#8b5a3c"/><path d="M790 300 L878 300 L860 240 L808 240 Z" fill="{}"/>"##,
                if night { "#ffd966" } else { "#f2c53d" }
            );
        }
        _ => {
            let grass = match setting {
                "meadow" => "#8cc265",
                "garden" => "#79b35a",
                "farm" => "#9cc46a",
                "castle" => "#7fae5c",
                _ => "#5f9b4c",
            };
            let _ = write!(
                svg,
                r##"<path d="M0 {HORIZON} Q 250 370 500 {} T {W} 395 L {W} {H} L 0 {H} Z" fill="{grass}"{outline}/>"##,
                HORIZON + 5.0
            );
            match setting {
                "forest" => {
                    for i in 0..7 {
                        let x = i as f32 * 150.0 + dice.range(-20.0, 40.0);
                        let h = dice.range(160.0, 240.0);
                        let _ = write!(
                            svg,
                            r##"<rect x="{:.0}" y="{:.0}" width="26" height="{h:.0}" fill="#6b4a32"{outline}/>"##,
                            x - 13.0,
                            HORIZON + 40.0 - h
                        );
                        let _ = write!(
                            svg,
                            r##"<circle cx="{x:.0}" cy="{:.0}" r="{:.0}" fill="#2f6b3a"{outline}/><circle cx="{:.0}" cy="{:.0}" r="{:.0}" fill="#3d7d45"/>"##,
                            HORIZON + 40.0 - h,
                            h * 0.42,
                            x + 25.0,
                            HORIZON + 20.0 - h,
                            h * 0.3
                        );
                    }
                    if night {
                        for _ in 0..14 {
                            let (x, y) = (dice.range(20.0, 980.0), dice.range(380.0, 600.0));
                            let _ = write!(
                                svg,
                                r##"<circle cx="{x:.0}" cy="{y:.0}" r="4" fill="#fff38a"/><circle cx="{x:.0}" cy="{y:.0}" r="10" fill="#fff38a" opacity="0.25"/>"##
                            );
                        }
                    }
                }
                "farm" => {
                    let _ = write!(
                        svg,
                        r##"<rect x="700" y="260" width="200" height="150" fill="#b8322c"{outline}/><path d="M690 262 L800 190 L910 262 Z" fill="#7a2a24"{outline}/><rect x="775" y="330" width="50" height="80" fill="#f4f1ea"/>"##
                    );
                    for i in 0..12 {
                        let x = i as f32 * 55.0;
                        let _ = write!(
                            svg,
                            r##"<rect x="{x}" y="440" width="10" height="50" fill="#e8dcc0"/>"##
                        );
                    }
                    let _ = write!(
                        svg,
                        r##"<rect x="0" y="452" width="660" height="8" fill="#e8dcc0"/><rect x="0" y="474" width="660" height="8" fill="#e8dcc0"/>"##
                    );
                }
                "castle" => {
                    let _ = write!(
                        svg,
                        r##"<g fill="#b9b4c7"{outline}><rect x="620" y="200" width="260" height="210"/><rect x="590" y="140" width="70" height="270"/><rect x="840" y="140" width="70" height="270"/></g><path d="M590 140 L625 80 L660 140 Z M840 140 L875 80 L910 140 Z" fill="#8a5cc2"/><rect x="715" y="310" width="70" height="100" rx="35" fill="#5b4636"/>"##
                    );
                }
                "garden" => {
                    for i in 0..10 {
                        let x = i as f32 * 100.0 + 30.0;
                        let _ = write!(
                            svg,
                            r##"<path d="M{x} 470 q -6 -40 0 -70" stroke="#3d7d45" stroke-width="5" fill="none"/><circle cx="{x}" cy="400" r="14" fill="{}"/>"##,
                            dice.pick(&["#d8433b", "#f2c53d", "#ef8fb4", "#8a5cc2"])
                        );
                    }
                }
                _ => {}
            }
            for _ in 0..if setting == "meadow" { 40 } else { 14 } {
                let (x, y) = (
                    dice.range(10.0, 990.0),
                    dice.range(HORIZON + 30.0, H - 10.0),
                );
                let c = dice.pick(&["#ffffff", "#f2c53d", "#ef8fb4", "#d8433b", "#b6a2e0"]);
                let _ = write!(
                    svg,
                    r##"<circle cx="{x:.0}" cy="{y:.0}" r="5" fill="{c}"/><circle cx="{x:.0}" cy="{y:.0}" r="2" fill="#f2a93b"/>"##
                );
            }
        }
    }
}
