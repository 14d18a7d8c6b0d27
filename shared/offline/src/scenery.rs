//! Painting a scene as SVG: sky and light for the time of day, ground and props for the
//! setting, then the characters standing in it, in the chosen art style.

use crate::appearance::{Accessory, Look, Shape};
use crate::rng::Dice;
use std::fmt::Write;
use storyloom_domain::{ArtStyle, TimeOfDay};

/// The canvas, in SVG user units (the aspect of the printed picture area).
pub(crate) const W: f32 = 1000.0;
pub(crate) const H: f32 = 628.6;
const HORIZON: f32 = 400.0;

/// Builds the SVG document for one picture.
pub(crate) fn paint(
    setting: &str,
    time: TimeOfDay,
    style: ArtStyle,
    cast: &[Look],
    objects: &[String],
    seed: u64,
) -> String {
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
    ground(&mut svg, setting, time, outline, &mut dice);
    crate::props::draw(&mut svg, objects, outline);
    let n = cast.len().max(1) as f32;
    for (i, look) in cast.iter().enumerate() {
        let x = W * (i as f32 + 1.0) / (n + 1.0) + dice.range(-25.0, 25.0);
        let y = 560.0 + dice.range(-12.0, 12.0);
        let facing = if i as f32 + 0.5 < n / 2.0 { 1.0 } else { -1.0 };
        let facing = if cast.len() == 1 { 1.0 } else { facing };
        character(&mut svg, look, x, y, facing, outline);
    }
    svg.push_str("</g>");
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
    svg
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

/// Draws a character with feet at (x, y), about 210 units tall at size 1, facing left or right.
fn character(svg: &mut String, look: &Look, x: f32, y: f32, facing: f32, outline: &str) {
    let k = 2.1 * look.size;
    let (b, belly, acc) = (&look.body, &look.belly, &look.accent);
    let _ = write!(
        svg,
        r##"<g transform="translate({x:.1} {y:.1}) scale({:.3} {k:.3})">"##,
        k * facing
    );
    let _ = write!(
        svg,
        r##"<ellipse cx="0" cy="2" rx="42" ry="7" fill="#000" opacity="0.18"/>"##
    );
    if look.accessories.contains(&Accessory::Cape) {
        let _ = write!(
            svg,
            r##"<path d="M-22 -70 L22 -70 L34 -4 L-34 -4 Z" fill="{acc}"{outline}/>"##
        );
    }
    // Head centre and radius, for the face and accessories.
    let (hx, hy, hr) = match look.shape {
        Shape::Hedgehog => {
            let mut spikes = String::from("M-48 -20");
            for i in 0..11 {
                let a = std::f32::consts::PI * (1.0 - i as f32 / 10.0);
                let (sx, sy) = (-5.0 + 52.0 * a.cos(), -30.0 - 44.0 * a.sin());
                let _ = write!(
                    spikes,
                    " L{:.1} {:.1} L{:.1} {:.1}",
                    sx * 0.8,
                    sy * 0.85 - 3.0,
                    sx,
                    sy
                );
            }
            let _ = write!(svg, r##"<path d="{spikes} Z" fill="{b}"{outline}/>"##);
            let _ = write!(
                svg,
                r##"<ellipse cx="-4" cy="-30" rx="44" ry="30" fill="{b}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<ellipse cx="30" cy="-34" rx="24" ry="21" fill="{belly}"{outline}/><circle cx="54" cy="-36" r="5" fill="#2b2020"/><ellipse cx="-20" cy="-2" rx="10" ry="5" fill="#5c3b28"/><ellipse cx="16" cy="-2" rx="10" ry="5" fill="#5c3b28"/>"##
            );
            (32.0, -40.0, 18.0)
        }
        Shape::Bird => {
            let _ = write!(
                svg,
                r##"<ellipse cx="0" cy="-48" rx="36" ry="46" fill="{b}"{outline}/><ellipse cx="0" cy="-38" rx="22" ry="30" fill="{belly}"/>"##
            );
            let _ = write!(
                svg,
                r##"<ellipse cx="-36" cy="-46" rx="10" ry="26" fill="{b}"{outline}/><ellipse cx="36" cy="-46" rx="10" ry="26" fill="{b}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<path d="M-18 -92 L-28 -108 L-6 -94 Z M18 -92 L28 -108 L6 -94 Z" fill="{b}"/><circle cx="-13" cy="-72" r="11" fill="#fff"/><circle cx="13" cy="-72" r="11" fill="#fff"/><path d="M-5 -64 L5 -64 L0 -54 Z" fill="#ee8a2c"/><path d="M-12 0 V-6 M12 0 V-6" stroke="#ee8a2c" stroke-width="4"/>"##
            );
            (0.0, -70.0, 26.0)
        }
        Shape::Robot => {
            let _ = write!(
                svg,
                r##"<rect x="-30" y="-78" width="60" height="62" rx="8" fill="{b}"{outline}/><rect x="-22" y="-16" width="12" height="16" fill="{b}"/><rect x="10" y="-16" width="12" height="16" fill="{b}"/>"##
            );
            let _ = write!(
                svg,
                r##"<rect x="-24" y="-118" width="48" height="38" rx="6" fill="{b}"{outline}/><path d="M0 -118 V-132" stroke="#555" stroke-width="3"/><circle cx="0" cy="-135" r="5" fill="{acc}"/><rect x="-14" y="-62" width="28" height="18" rx="3" fill="{acc}"/>"##
            );
            (0.0, -99.0, 20.0)
        }
        Shape::Dragon => {
            let _ = write!(
                svg,
                r##"<path d="M-30 -40 Q -70 -30 -78 -6 Q -50 -20 -32 -22 Z" fill="{b}"{outline}/><path d="M-10 -70 L-40 -118 L-2 -92 L14 -122 L18 -76 Z" fill="{acc}" opacity="0.9"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<ellipse cx="0" cy="-38" rx="36" ry="34" fill="{b}"{outline}/><ellipse cx="6" cy="-32" rx="20" ry="24" fill="{belly}"/><ellipse cx="26" cy="-82" rx="26" ry="20" fill="{b}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<path d="M12 -100 L16 -114 L22 -101 L28 -116 L33 -100" fill="{acc}"/><circle cx="48" cy="-80" r="2.5" fill="#2b2020"/><ellipse cx="-14" cy="-2" rx="10" ry="5" fill="{b}"/><ellipse cx="16" cy="-2" rx="10" ry="5" fill="{b}"/>"##
            );
            (28.0, -86.0, 18.0)
        }
        Shape::Person => {
            let _ = write!(
                svg,
                r##"<rect x="-15" y="-40" width="11" height="40" fill="#3a3a55"/><rect x="4" y="-40" width="11" height="40" fill="#3a3a55"/><path d="M-26 -92 L26 -92 L32 -34 L-32 -34 Z" fill="{b}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<path d="M-26 -88 L-40 -52 M26 -88 L40 -52" stroke="{belly}" stroke-width="9" stroke-linecap="round"/><circle cx="0" cy="-116" r="24" fill="{belly}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<path d="M-25 -112 Q -24 -146 2 -142 Q 28 -142 25 -112 Q 14 -130 -25 -112 Z" fill="#4a2f22"/>"##
            );
            (0.0, -114.0, 24.0)
        }
        shape => {
            let ears = match shape {
                Shape::LongEars => format!(
                    r##"<ellipse cx="-10" cy="-122" rx="8" ry="28" fill="{b}"{outline}/><ellipse cx="10" cy="-122" rx="8" ry="28" fill="{b}"{outline}/><ellipse cx="-10" cy="-120" rx="4" ry="20" fill="#ef8fb4"/><ellipse cx="10" cy="-120" rx="4" ry="20" fill="#ef8fb4"/>"##
                ),
                Shape::PointyEars => format!(
                    r##"<path d="M-22 -92 L-16 -124 L-2 -100 Z M22 -92 L16 -124 L2 -100 Z" fill="{b}"{outline}/><path d="M-28 -30 Q -66 -40 -58 -78" stroke="{b}" stroke-width="12" fill="none" stroke-linecap="round"/>"##
                ),
                _ => format!(
                    r##"<circle cx="-20" cy="-110" r="11" fill="{b}"{outline}/><circle cx="20" cy="-110" r="11" fill="{b}"{outline}/>"##
                ),
            };
            svg.push_str(&ears);
            let _ = write!(
                svg,
                r##"<ellipse cx="0" cy="-38" rx="30" ry="36" fill="{b}"{outline}/><ellipse cx="0" cy="-32" rx="18" ry="24" fill="{belly}"/><circle cx="0" cy="-90" r="26" fill="{b}"{outline}/>"##
            );
            let _ = write!(
                svg,
                r##"<ellipse cx="6" cy="-82" rx="12" ry="9" fill="{belly}"/><circle cx="14" cy="-84" r="4" fill="#2b2020"/><ellipse cx="-14" cy="-2" rx="11" ry="6" fill="{b}"/><ellipse cx="14" cy="-2" rx="11" ry="6" fill="{b}"/>"##
            );
            (0.0, -92.0, 26.0)
        }
    };
    // Eyes and a smile, the same on every page.
    let (ex, ey) = (hx + hr * 0.32, hy - hr * 0.2);
    let _ = write!(
        svg,
        r##"<circle cx="{:.1}" cy="{ey:.1}" r="3.6" fill="#1d1a1a"/><circle cx="{ex:.1}" cy="{ey:.1}" r="3.6" fill="#1d1a1a"/><path d="M{:.1} {:.1} q 6 6 12 0" stroke="#1d1a1a" stroke-width="2.4" fill="none" stroke-linecap="round"/>"##,
        ex - hr * 0.55,
        hx - 2.0,
        hy + hr * 0.35
    );
    for a in &look.accessories {
        match a {
            Accessory::Scarf => {
                let _ = write!(
                    svg,
                    r##"<path d="M{:.1} {:.1} h {:.1}" stroke="{acc}" stroke-width="9" stroke-linecap="round"/><path d="M{:.1} {:.1} l -6 26 l 10 0 Z" fill="{acc}"/>"##,
                    hx - hr,
                    hy + hr * 0.95,
                    hr * 2.0,
                    hx - hr * 0.4,
                    hy + hr
                );
            }
            Accessory::Hat => {
                let _ = write!(
                    svg,
                    r##"<path d="M{:.1} {:.1} h {:.1} l {:.1} {:.1} Z" fill="{acc}"{outline}/>"##,
                    hx - hr,
                    hy - hr * 0.75,
                    hr * 2.0,
                    -hr,
                    -hr * 1.6
                );
            }
            Accessory::Bow => {
                let _ = write!(
                    svg,
                    r##"<path d="M{:.1} {:.1} l -14 -9 v 18 Z M{:.1} {:.1} l 14 -9 v 18 Z" fill="{acc}"/>"##,
                    hx - hr * 0.3,
                    hy - hr * 0.95,
                    hx - hr * 0.3,
                    hy - hr * 0.95
                );
            }
            Accessory::Glasses => {
                let _ = write!(
                    svg,
                    r##"<g fill="none" stroke="{acc}" stroke-width="2.5"><circle cx="{:.1}" cy="{ey:.1}" r="7.5"/><circle cx="{ex:.1}" cy="{ey:.1}" r="7.5"/></g>"##,
                    ex - hr * 0.55
                );
            }
            Accessory::Cape => {}
        }
    }
    svg.push_str("</g>");
}
