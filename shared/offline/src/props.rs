//! Drawing the things a page names (its scene's objects): each prop as a small piece of
//! vector art in its place — sky props up high, ground props in the foreground beside the
//! characters, rain, a river and fireflies across the picture.

use crate::scenery::W;
use std::fmt::Write;
use storyloom_domain::props::{Place, find};

/// Where the ground props stand, in turn: the two front corners, then behind the cast.
const GROUND_SLOTS: [(f32, f32); 4] = [
    (120.0, 585.0),
    (880.0, 585.0),
    (330.0, 480.0),
    (670.0, 480.0),
];
/// Where the sky props hang, in turn.
const SKY_SLOTS: [(f32, f32); 3] = [(300.0, 150.0), (680.0, 120.0), (500.0, 230.0)];

/// Draws every known prop of `objects` into `svg`; unknown names are left out (a managed
/// model's prompt still names them). Returns the names drawn: the picture's own record.
pub(crate) fn draw(svg: &mut String, objects: &[String], outline: &str) -> Vec<String> {
    let (mut ground, mut sky) = (GROUND_SLOTS.iter(), SKY_SLOTS.iter());
    let mut drawn = Vec::new();
    for name in objects {
        let Some(prop) = find(name) else { continue };
        let spot = match prop.place {
            Place::Ground => ground.next().copied(),
            Place::Sky => sky.next().copied(),
            Place::Across => Some((0.0, 0.0)),
        };
        let Some((x, y)) = spot else { continue };
        let art = art(prop.name, x, y, outline);
        if art.is_empty() {
            continue;
        }
        svg.push_str(&art);
        drawn.push(prop.name.to_owned());
    }
    drawn
}

/// One prop's art at (`x`, `y`): its base on the ground, or its centre in the sky.
fn art(name: &str, x: f32, y: f32, o: &str) -> String {
    let mut s = String::new();
    match name {
        "kite" => {
            let _ = write!(
                s,
                r##"<path d="M{x} {t} L{r} {y} L{x} {b} L{l} {y} Z" fill="#e8473f"{o}/><path d="M{x} {t} L{x} {b} M{l} {y} L{r} {y}" stroke="#7a2a22" stroke-width="3"/><path d="M{x} {b} q 20 30 -5 55 q -25 25 5 50" fill="none" stroke="#4a3a30" stroke-width="3"/><path d="M{x} {b} L{gx} {gy}" stroke="#6b5a4a" stroke-width="1.5"/><circle cx="{tx1}" cy="{ty1}" r="7" fill="#f7c948"/><circle cx="{tx2}" cy="{ty2}" r="7" fill="#4caf50"/>"##,
                t = y - 55.0,
                b = y + 55.0,
                l = x - 38.0,
                r = x + 38.0,
                gx = x + 120.0,
                gy = 560.0,
                tx1 = x + 12.0,
                ty1 = y + 85.0,
                tx2 = x - 4.0,
                ty2 = y + 130.0,
            );
        }
        "balloon" => {
            let _ = write!(
                s,
                r##"<ellipse cx="{x}" cy="{y}" rx="34" ry="42" fill="#e2557a"{o}/><path d="M{x} {b} q 12 40 -6 80 q -14 40 6 90" fill="none" stroke="#55433a" stroke-width="2"/>"##,
                b = y + 42.0
            );
        }
        "rainbow" => {
            for (i, c) in [
                "#e8473f", "#f59b2f", "#f7d548", "#5cb85c", "#4a90d9", "#7b5ea7",
            ]
            .iter()
            .enumerate()
            {
                let r = 230.0 - i as f32 * 14.0;
                let _ = write!(
                    s,
                    r##"<path d="M{l} 400 A {r} {r} 0 0 1 {rr} 400" fill="none" stroke="{c}" stroke-width="14" opacity="0.8"/>"##,
                    l = x - r,
                    rr = x + r
                );
            }
        }
        "moon" => {
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{y}" r="40" fill="#fdf3c0"/><circle cx="{cx}" cy="{cy}" r="36" fill="#8fa6c8" opacity="0.55"/>"##,
                cx = x + 18.0,
                cy = y - 10.0
            );
        }
        "stars" => {
            for (dx, dy, r) in [
                (-120.0, 10.0, 14.0),
                (0.0, -30.0, 18.0),
                (110.0, 25.0, 12.0),
            ] {
                let _ = write!(
                    s,
                    r##"<path d="{}" fill="#ffe680"/>"##,
                    star(x + dx, y + dy, r)
                );
            }
        }
        "river" => {
            let _ = write!(
                s,
                r##"<path d="M0 430 C 200 410, 350 470, 520 445 S 820 420, {W} 450 L {W} 500 C 800 480, 640 525, 470 505 S 180 470, 0 490 Z" fill="#4a90c8"{o}/><path d="M60 455 q 40 -10 80 0 M420 470 q 40 -10 80 0 M760 462 q 40 -10 80 0" stroke="#cfe8f7" stroke-width="4" fill="none"/>"##
            );
        }
        "rain" => s.push_str(&rain()),
        "fireflies" => {
            s.push_str(r##"<g fill="#fff27a">"##);
            for i in 0..16 {
                let fx = (i * 61 + 40) % 960 + 20;
                let fy = 250 + (i * 47) % 300;
                let _ = write!(
                    s,
                    r##"<circle cx="{fx}" cy="{fy}" r="11" opacity="0.25"/><circle cx="{fx}" cy="{fy}" r="4"/>"##
                );
            }
            s.push_str("</g>");
        }
        "raft" => {
            for i in 0..5 {
                let px = x - 75.0 + i as f32 * 30.0;
                let _ = write!(
                    s,
                    r##"<rect x="{px}" y="{py}" width="28" height="26" rx="5" fill="#a0703c"{o}/>"##,
                    py = y - 26.0
                );
            }
            let _ = write!(
                s,
                r##"<rect x="{l}" y="{ty}" width="150" height="7" fill="#6e4a26"/><rect x="{mx}" y="{my}" width="5" height="70" fill="#6e4a26"/><path d="M{sx} {my} L{sx} {sb} L{se} {sb} Z" fill="#f4efe1"{o}/>"##,
                l = x - 75.0,
                ty = y - 20.0,
                mx = x - 2.0,
                my = y - 96.0,
                sx = x + 3.0,
                sb = y - 36.0,
                se = x + 48.0
            );
        }
        "boat" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {t} L{r} {t} L{rb} {y} L{lb} {y} Z" fill="#c0563b"{o}/><rect x="{mx}" y="{my}" width="5" height="80" fill="#5a3a22"/><path d="M{sx} {my} L{sx} {sb} L{se} {sb} Z" fill="#ffffff"{o}/>"##,
                l = x - 70.0,
                r = x + 70.0,
                t = y - 32.0,
                lb = x - 50.0,
                rb = x + 50.0,
                mx = x - 2.0,
                my = y - 112.0,
                sx = x + 3.0,
                sb = y - 40.0,
                se = x + 55.0
            );
        }
        "bridge" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {y} Q {x} {t} {r} {y}" fill="none" stroke="#8a6a4a" stroke-width="16"{o}/><path d="M{l} {y} Q {x} {t2} {r} {y}" fill="none" stroke="#6b4f35" stroke-width="5"/>"##,
                l = x - 110.0,
                r = x + 110.0,
                t = y - 90.0,
                t2 = y - 120.0
            );
        }
        "lantern" => {
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{cy}" r="48" fill="#ffe27a" opacity="0.35"/><rect x="{l}" y="{t}" width="36" height="48" rx="6" fill="#ffd24a"{o}/><rect x="{hl}" y="{ht}" width="24" height="8" fill="#3a3a46"/><path d="M{pl} {ht} q 12 -18 24 0" fill="none" stroke="#3a3a46" stroke-width="3"/><rect x="{l}" y="{bt}" width="36" height="6" fill="#3a3a46"/>"##,
                cy = y - 30.0,
                l = x - 18.0,
                t = y - 54.0,
                hl = x - 12.0,
                ht = y - 62.0,
                pl = x - 12.0,
                bt = y - 6.0
            );
        }
        "map" => {
            let _ = write!(
                s,
                r##"<rect x="{l}" y="{t}" width="90" height="62" rx="4" fill="#f1e2b8" transform="rotate(-8 {x} {y})"{o}/><path d="M{a} {b} q 20 -18 35 -4 t 30 -8" fill="none" stroke="#a0522d" stroke-width="3" stroke-dasharray="6 5" transform="rotate(-8 {x} {y})"/><path d="M{xa} {xb} l 12 12 m 0 -12 l -12 12" stroke="#c0392b" stroke-width="4" transform="rotate(-8 {x} {y})"/>"##,
                l = x - 45.0,
                t = y - 62.0,
                a = x - 35.0,
                b = y - 22.0,
                xa = x + 22.0,
                xb = y - 50.0
            );
        }
        "ball" => {
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{cy}" r="24" fill="#e8473f"{o}/><path d="M{l} {cy} Q {x} {q} {r} {cy}" fill="none" stroke="#ffffff" stroke-width="6"/>"##,
                cy = y - 24.0,
                l = x - 24.0,
                r = x + 24.0,
                q = y - 10.0
            );
        }
        "umbrella" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {t} A 60 50 0 0 1 {r} {t} Z" fill="#4a7bd0"{o}/><path d="M{x} {t} L{x} {b} q 0 12 -12 12" fill="none" stroke="#3a2a20" stroke-width="5"/>"##,
                l = x - 60.0,
                r = x + 60.0,
                t = y - 95.0,
                b = y - 12.0
            );
        }
        "soft toy" => {
            let _ = write!(
                s,
                r##"<g fill="#c98b55"{o}><circle cx="{x}" cy="{by}" r="22"/><circle cx="{x}" cy="{hy}" r="16"/><circle cx="{el}" cy="{ey}" r="6"/><circle cx="{er}" cy="{ey}" r="6"/></g><circle cx="{x}" cy="{ny}" r="3" fill="#3a2a20"/>"##,
                by = y - 22.0,
                hy = y - 52.0,
                el = x - 12.0,
                er = x + 12.0,
                ey = y - 66.0,
                ny = y - 50.0
            );
        }
        "book" => {
            let _ = write!(
                s,
                r##"<path d="M{x} {t} L{l} {t2} L{l} {y} L{x} {b} L{r} {y} L{r} {t2} Z" fill="#fbf6e8"{o}/><path d="M{x} {t} L{x} {b}" stroke="#8a7a6a" stroke-width="2"/><path d="M{l} {y} L{x} {b} L{r} {y}" fill="none" stroke="#3f6fb5" stroke-width="5"/>"##,
                t = y - 40.0,
                t2 = y - 46.0,
                b = y + 4.0,
                l = x - 40.0,
                r = x + 40.0
            );
        }
        "cake" => {
            let _ = write!(
                s,
                r##"<rect x="{l}" y="{t}" width="80" height="44" rx="6" fill="#f3c6d3"{o}/><rect x="{l}" y="{t}" width="80" height="12" rx="6" fill="#ffffff"/><rect x="{cx}" y="{ct}" width="6" height="20" fill="#7ab8e8"/><path d="M{fx} {ct} q 5 -12 0 -16 q -5 4 0 16" fill="#ffb02e"/>"##,
                l = x - 40.0,
                t = y - 44.0,
                cx = x - 3.0,
                ct = y - 64.0,
                fx = x
            );
        }
        "flowers" => {
            for (dx, c) in [(-30.0, "#e8473f"), (0.0, "#f7c948"), (30.0, "#b56fd0")] {
                let fx = x + dx;
                let _ = write!(
                    s,
                    r##"<path d="M{fx} {y} L{fx} {st}" stroke="#3f8a3a" stroke-width="4"/><g fill="{c}"><circle cx="{fx}" cy="{a}" r="9"/><circle cx="{b1}" cy="{st}" r="9"/><circle cx="{b2}" cy="{st}" r="9"/><circle cx="{fx}" cy="{c2}" r="9"/></g><circle cx="{fx}" cy="{st}" r="6" fill="#fff2a8"/>"##,
                    st = y - 50.0,
                    a = y - 62.0,
                    c2 = y - 38.0,
                    b1 = fx - 12.0,
                    b2 = fx + 12.0
                );
            }
        }
        "tent" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {y} L{x} {t} L{r} {y} Z" fill="#e08a3c"{o}/><path d="M{x} {y} L{x} {t} L{d} {y} Z" fill="#7a4a22"/>"##,
                l = x - 80.0,
                r = x + 80.0,
                t = y - 110.0,
                d = x + 26.0
            );
        }
        "key" => {
            let _ = write!(
                s,
                r##"<circle cx="{l}" cy="{cy}" r="14" fill="none" stroke="#e0b534" stroke-width="8"/><path d="M{s} {cy} L{e} {cy} M{t1} {cy} l0 12 M{t2} {cy} l0 12" stroke="#e0b534" stroke-width="8"/>"##,
                l = x - 24.0,
                cy = y - 20.0,
                s = x - 10.0,
                e = x + 40.0,
                t1 = x + 26.0,
                t2 = x + 38.0
            );
        }
        "shell" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {y} Q {x} {t} {r} {y} Z" fill="#f6c8b4"{o}/><path d="M{x} {y} L{x} {m} M{a} {y} L{a2} {m2} M{b} {y} L{b2} {m2}" stroke="#c98b78" stroke-width="3"/>"##,
                l = x - 34.0,
                r = x + 34.0,
                t = y - 70.0,
                m = y - 34.0,
                m2 = y - 26.0,
                a = x - 14.0,
                a2 = x - 20.0,
                b = x + 14.0,
                b2 = x + 20.0
            );
        }
        "basket" => {
            let _ = write!(
                s,
                r##"<path d="M{l} {t} L{r} {t} L{rb} {y} L{lb} {y} Z" fill="#b98a4a"{o}/><path d="M{l} {t} Q {x} {h} {r} {t}" fill="none" stroke="#8a6030" stroke-width="6"/><circle cx="{a}" cy="{t}" r="10" fill="#e8473f"/><circle cx="{b}" cy="{t}" r="10" fill="#f7c948"/>"##,
                l = x - 45.0,
                r = x + 45.0,
                lb = x - 34.0,
                rb = x + 34.0,
                t = y - 44.0,
                h = y - 110.0,
                a = x - 14.0,
                b = x + 12.0
            );
        }
        _ => {}
    }
    s
}

/// Rain across the whole picture: the prop a page names, and the weather a redraw note
/// asks for.
pub(crate) fn rain() -> String {
    let mut s = String::from(r##"<g stroke="#9fb4c8" stroke-width="3" opacity="0.8">"##);
    for i in 0..55 {
        let x = (i * 37) % 1000 + 10;
        let y = 20 + (i * 53) % 520;
        let _ = write!(
            s,
            r#"<line x1="{x}" y1="{y}" x2="{}" y2="{}"/>"#,
            x - 8,
            y + 26
        );
    }
    s.push_str("</g>");
    s
}

/// A five-pointed star's path around (`x`, `y`).
fn star(x: f32, y: f32, r: f32) -> String {
    let mut d = String::new();
    for i in 0..10 {
        let radius = if i % 2 == 0 { r } else { r * 0.45 };
        let a = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
        let _ = write!(
            d,
            "{}{:.1} {:.1} ",
            if i == 0 { "M" } else { "L" },
            x + radius * a.cos(),
            y + radius * a.sin()
        );
    }
    d.push('Z');
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyloom_domain::props::PROPS;

    #[test]
    fn every_prop_the_storytellers_can_name_is_drawn() {
        for p in PROPS {
            let mut svg = String::new();
            let drawn = draw(&mut svg, &[p.name.to_owned()], "");
            assert_eq!(drawn, vec![p.name.to_owned()], "{} was not drawn", p.name);
            assert!(svg.len() > 40, "{}", p.name);
        }
    }

    #[test]
    fn a_crowded_page_keeps_to_its_slots() {
        let names: Vec<String> = ["raft", "boat", "map", "ball", "book", "cake"]
            .map(String::from)
            .to_vec();
        let mut svg = String::new();
        // Four ground slots: the fifth and sixth ground props are left out.
        assert_eq!(draw(&mut svg, &names, "").len(), GROUND_SLOTS.len());
    }
}
