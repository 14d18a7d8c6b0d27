//! Drawing one character: the body of their kind, what they wear (each item in its own
//! colour), the pose the page gives them and the feeling on their face. Feet at the
//! origin, facing right, about 130 units tall before scaling.

use crate::appearance::{Accessory, Look, Shape};
use std::fmt::Write;
use storyloom_domain::staging::{Expression, Pose};

/// Where a body's parts are, for the face, the arms and what is worn.
struct Frame {
    /// Head centre and radius.
    head: (f32, f32, f32),
    /// Torso: top, bottom and half width.
    torso: (f32, f32, f32),
    /// Where the arms start.
    shoulder: (f32, f32),
}

/// What was drawn for one character: the illustrator's record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Drawn {
    pub shape: Shape,
    pub worn: Vec<&'static str>,
    pub pose: Pose,
    pub expression: Expression,
}

/// Draws a character with feet at (x, y), scaled by `k`, facing right (`facing` 1) or
/// left (-1).
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw(
    svg: &mut String,
    look: &Look,
    pose: Pose,
    expression: Expression,
    at: (f32, f32),
    k: f32,
    facing: f32,
    o: &str,
) -> Drawn {
    let (x, y) = at;
    // The pose moves the whole body: lifted for a jump or a climb, tipped for a run.
    let (lift, tilt) = match pose {
        Pose::Jumping => (-55.0, 0.0),
        Pose::Climbing => (-70.0, 0.0),
        Pose::Flying => (-120.0, 8.0),
        Pose::Running => (0.0, 12.0),
        Pose::Dancing => (0.0, -9.0),
        Pose::Walking => (0.0, 4.0),
        Pose::Sitting => (14.0, 0.0),
        Pose::Sleeping => (0.0, 0.0),
        _ => (0.0, 0.0),
    };
    let _ = write!(
        svg,
        r##"<g transform="translate({x:.1} {y:.1}) scale({:.3} {k:.3})">"##,
        k * facing
    );
    let _ = write!(
        svg,
        r##"<ellipse cx="0" cy="2" rx="42" ry="7" fill="#000" opacity="0.18"/>"##
    );
    backdrop(svg, pose);
    let body_turn = if pose == Pose::Sleeping {
        r#" transform="translate(-40 0) rotate(-80)""#.to_owned()
    } else if pose == Pose::Sitting {
        r#" transform="translate(0 8) scale(1 0.86)""#.to_owned()
    } else {
        format!(r#" transform="translate(0 {lift}) rotate({tilt})""#)
    };
    let _ = write!(svg, "<g{body_turn}>");
    let (b, belly) = (look.body.as_str(), look.belly.as_str());
    let worn = |item: Accessory| {
        look.worn
            .iter()
            .find(|w| w.item == item)
            .map(|w| w.colour.as_str())
    };
    if let Some(c) = worn(Accessory::Cape) {
        let _ = write!(
            svg,
            r##"<path d="M-22 -70 L22 -70 L34 -4 L-34 -4 Z" fill="{c}"{o}/>"##
        );
    }
    if let Some(c) = worn(Accessory::Backpack) {
        let _ = write!(
            svg,
            r##"<rect x="-56" y="-84" width="34" height="52" rx="10" fill="{c}"{o}/><rect x="-52" y="-58" width="26" height="14" rx="4" fill="#000" opacity="0.18"/>"##
        );
    }
    let frame = frame(look.shape);
    arm(svg, pose, &frame, b, false);
    body(svg, look.shape, b, belly, o);
    let (top, bottom, half) = frame.torso;
    // Clothes over the body, then the arms, then the face and what sits on the head.
    if let Some(c) = worn(Accessory::Raincoat) {
        let _ = write!(
            svg,
            r##"<path d="M{l:.1} {top:.1} L{r:.1} {top:.1} L{r2:.1} {hem:.1} L{l2:.1} {hem:.1} Z" fill="{c}"{o}/><path d="M0 {top:.1} V{hem:.1}" stroke="#000" stroke-opacity="0.25" stroke-width="2"/><circle cx="6" cy="{b1:.1}" r="3" fill="#fff"/><circle cx="6" cy="{b2:.1}" r="3" fill="#fff"/><path d="M{l:.1} {top:.1} L0 {c1:.1} L{r:.1} {top:.1}" fill="{c}" stroke="#000" stroke-opacity="0.3" stroke-width="2"/>"##,
            l = -half * 0.95,
            r = half * 0.95,
            l2 = -half * 1.15,
            r2 = half * 1.15,
            hem = bottom - 6.0,
            b1 = top + (bottom - top) * 0.35,
            b2 = top + (bottom - top) * 0.65,
            c1 = top + 12.0,
        );
    }
    if let Some(c) = worn(Accessory::Jumper) {
        let _ = write!(
            svg,
            r##"<path d="M{l:.1} {top:.1} L{r:.1} {top:.1} L{r:.1} {hem:.1} L{l:.1} {hem:.1} Z" fill="{c}"{o}/><path d="M{l:.1} {s:.1} H{r:.1}" stroke="#fff" stroke-opacity="0.5" stroke-width="4"/>"##,
            l = -half * 0.92,
            r = half * 0.92,
            hem = top + (bottom - top) * 0.7,
            s = top + (bottom - top) * 0.35,
        );
    }
    if let Some(c) = worn(Accessory::Bag) {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {top:.1} L{:.1} {:.1}" stroke="{c}" stroke-width="4"/><rect x="{:.1}" y="{:.1}" width="24" height="20" rx="5" fill="{c}"{o}/>"##,
            -half * 0.7,
            half * 0.6,
            bottom - 26.0,
            half * 0.45,
            bottom - 30.0,
        );
    }
    if let Some(c) = worn(Accessory::Backpack) {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {:.1} Q 4 {:.1} {:.1} {:.1}" stroke="{c}" stroke-width="6" fill="none" stroke-linecap="round"/>"##,
            -half * 0.8,
            top + 2.0,
            top + 20.0,
            half * 0.4,
            top + (bottom - top) * 0.6,
        );
    }
    if let Some(c) = worn(Accessory::Boots) {
        let _ = write!(
            svg,
            r##"<rect x="-27" y="-14" width="22" height="16" rx="5" fill="{c}"{o}/><rect x="4" y="-14" width="22" height="16" rx="5" fill="{c}"{o}/>"##
        );
    }
    arm(svg, pose, &frame, b, true);
    let (hx, hy, hr) = frame.head;
    face(svg, expression, pose == Pose::Sleeping, frame.head);
    if let Some(c) = worn(Accessory::Scarf) {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {:.1} h {:.1}" stroke="{c}" stroke-width="9" stroke-linecap="round"/><path d="M{:.1} {:.1} l -6 26 l 10 0 Z" fill="{c}"/>"##,
            hx - hr,
            hy + hr * 0.95,
            hr * 2.0,
            hx - hr * 0.4,
            hy + hr
        );
    }
    if let Some(c) = worn(Accessory::Necklace) {
        for i in 0..7 {
            let a = std::f32::consts::PI * (0.15 + 0.7 * i as f32 / 6.0);
            let _ = write!(
                svg,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{c}"/>"##,
                hx + hr * 0.8 * a.cos(),
                hy + hr * 0.75 + hr * 0.35 * a.sin()
            );
        }
    }
    if let Some(c) = worn(Accessory::Glasses) {
        let (ex, ey) = (hx + hr * 0.32, hy - hr * 0.2);
        let _ = write!(
            svg,
            r##"<g fill="none" stroke="{c}" stroke-width="2.5"><circle cx="{:.1}" cy="{ey:.1}" r="7.5"/><circle cx="{ex:.1}" cy="{ey:.1}" r="7.5"/><path d="M{:.1} {ey:.1} H{:.1}"/></g>"##,
            ex - hr * 0.55,
            ex - hr * 0.55 + 7.5,
            ex - 7.5
        );
    }
    if let Some(c) = worn(Accessory::Hat) {
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="6" rx="3" fill="{c}"{o}/><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" fill="{c}"{o}/><rect x="{:.1}" y="{:.1}" width="{:.1}" height="5" fill="#000" opacity="0.2"/>"##,
            hx - hr * 1.2,
            hy - hr * 0.85,
            hr * 2.4,
            hx - hr * 0.7,
            hy - hr * 1.75,
            hr * 1.4,
            hr * 0.95,
            hx - hr * 0.7,
            hy - hr * 1.05,
            hr * 1.4,
        );
    }
    if let Some(c) = worn(Accessory::Crown) {
        let (l, r, base, tip) = (hx - hr * 0.7, hx + hr * 0.7, hy - hr * 0.8, hy - hr * 1.5);
        let _ = write!(
            svg,
            r##"<path d="M{l:.1} {base:.1} L{l:.1} {tip:.1} L{:.1} {:.1} L{hx:.1} {tip:.1} L{:.1} {:.1} L{r:.1} {tip:.1} L{r:.1} {base:.1} Z" fill="{c}"{o}/>"##,
            hx - hr * 0.35,
            base - 6.0,
            hx + hr * 0.35,
            base - 6.0,
        );
    }
    if let Some(c) = worn(Accessory::Bow) {
        let _ = write!(
            svg,
            r##"<path d="M{bx:.1} {by:.1} l -14 -9 v 18 Z M{bx:.1} {by:.1} l 14 -9 v 18 Z" fill="{c}"/><circle cx="{bx:.1}" cy="{by:.1}" r="4" fill="{c}"/>"##,
            bx = hx - hr * 0.3,
            by = hy - hr * 0.95,
        );
    }
    svg.push_str("</g>");
    marks(svg, pose);
    svg.push_str("</g>");
    Drawn {
        shape: look.shape,
        worn: look.worn.iter().map(|w| w.item.name()).collect(),
        pose,
        expression,
    }
}

/// What stands behind a figure for its pose: the ladder a climber is on.
fn backdrop(svg: &mut String, pose: Pose) {
    if pose == Pose::Climbing {
        let mut rungs = String::new();
        for i in 0..7 {
            let _ = write!(rungs, " M-34 {} H34", -i * 26);
        }
        let _ = write!(
            svg,
            r##"<path d="M-34 4 V-190 M34 4 V-190{rungs}" stroke="#8a5a32" stroke-width="6" stroke-linecap="round" fill="none"/>"##
        );
    }
}

/// Marks around a figure that show movement or sleep: speed lines, bounce arcs, notes.
fn marks(svg: &mut String, pose: Pose) {
    let line = |svg: &mut String, d: &str| {
        let _ = write!(
            svg,
            r##"<path d="{d}" stroke="#3a3a3a" stroke-width="3" stroke-linecap="round" fill="none" opacity="0.55"/>"##
        );
    };
    match pose {
        Pose::Running => line(svg, "M-58 -40 h-30 M-62 -64 h-36 M-56 -88 h-24"),
        Pose::Jumping => line(svg, "M-24 8 q 24 -12 48 0 M-34 18 q 34 -14 68 0"),
        Pose::Flying => line(
            svg,
            "M-60 -120 q -20 10 -40 0 M-56 -150 q -24 10 -48 0 M-66 -90 h -26",
        ),
        Pose::Waving => line(svg, "M58 -150 q 10 10 0 20 M68 -156 q 14 16 0 32"),
        Pose::Sleeping => line(svg, "M30 -70 h14 l-14 14 h14 M52 -96 h10 l-10 10 h10"),
        Pose::Dancing => {
            let _ = write!(
                svg,
                r##"<g fill="#3a3a3a" opacity="0.6"><ellipse cx="56" cy="-120" rx="7" ry="5"/><path d="M62 -120 V-146" stroke="#3a3a3a" stroke-width="3"/><ellipse cx="-52" cy="-138" rx="7" ry="5"/><path d="M-46 -138 V-164" stroke="#3a3a3a" stroke-width="3"/></g>"##
            );
        }
        Pose::Walking => line(svg, "M-40 -6 h-16 M-44 -18 h-12"),
        _ => {}
    }
}

/// The hands for a pose, each relative to its shoulder: (front, back).
fn hands(pose: Pose) -> ((f32, f32), (f32, f32)) {
    match pose {
        Pose::Waving => ((20.0, -54.0), (-20.0, 30.0)),
        Pose::Pointing => ((44.0, -4.0), (-20.0, 28.0)),
        Pose::Holding => ((28.0, 14.0), (44.0, 16.0)),
        Pose::Hugging => ((40.0, 0.0), (52.0, 2.0)),
        Pose::Climbing => ((10.0, -48.0), (-20.0, -46.0)),
        Pose::Flying => ((40.0, -20.0), (-44.0, -22.0)),
        Pose::Jumping => ((24.0, -42.0), (-38.0, -40.0)),
        Pose::Running => ((30.0, -14.0), (-40.0, 14.0)),
        Pose::Dancing => ((22.0, -46.0), (-46.0, -6.0)),
        Pose::Looking => ((-6.0, -34.0), (-20.0, 28.0)),
        Pose::Walking => ((18.0, 26.0), (-26.0, 24.0)),
        Pose::Sitting => ((20.0, 22.0), (-22.0, 26.0)),
        Pose::Sleeping | Pose::Standing => ((8.0, 30.0), (-20.0, 30.0)),
    }
}

/// One arm: the back one goes behind the body, the front one over it.
fn arm(svg: &mut String, pose: Pose, frame: &Frame, colour: &str, front: bool) {
    let (sx, sy) = frame.shoulder;
    let (front_hand, back_hand) = hands(pose);
    let ((x, y), (dx, dy)) = if front {
        ((sx, sy), front_hand)
    } else {
        ((-sx * 0.5, sy), back_hand)
    };
    let _ = write!(
        svg,
        r##"<path d="M{x:.1} {y:.1} l {dx:.1} {dy:.1}" stroke="{colour}" stroke-width="11" stroke-linecap="round"/>"##
    );
}

/// Eyes, brows and mouth for a feeling.
fn face(svg: &mut String, feeling: Expression, asleep: bool, (hx, hy, hr): (f32, f32, f32)) {
    let (ex, ey) = (hx + hr * 0.32, hy - hr * 0.2);
    let ex2 = ex - hr * 0.55;
    let ink = "#1d1a1a";
    let closed = asleep || feeling == Expression::Laughing;
    if closed {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {ey:.1} q 4 -4 8 0 M{:.1} {ey:.1} q 4 -4 8 0" stroke="{ink}" stroke-width="2.4" fill="none" stroke-linecap="round"/>"##,
            ex2 - 4.0,
            ex - 4.0
        );
    } else {
        let r = if matches!(feeling, Expression::Surprised | Expression::Scared) {
            4.6
        } else {
            3.6
        };
        let _ = write!(
            svg,
            r##"<circle cx="{ex2:.1}" cy="{ey:.1}" r="{r}" fill="{ink}"/><circle cx="{ex:.1}" cy="{ey:.1}" r="{r}" fill="{ink}"/><circle cx="{:.1}" cy="{:.1}" r="1.2" fill="#fff"/><circle cx="{:.1}" cy="{:.1}" r="1.2" fill="#fff"/>"##,
            ex2 + 1.2,
            ey - 1.2,
            ex + 1.2,
            ey - 1.2
        );
    }
    // Brows: raised for surprise and fear, tilted up in the middle for worry and sadness,
    // down in the middle for resolve.
    let by = ey - 8.0;
    let brow = match feeling {
        Expression::Surprised | Expression::Scared => Some((-3.0, -3.0)),
        Expression::Worried | Expression::Sad => Some((2.0, -3.0)),
        Expression::Determined => Some((-2.0, 3.0)),
        _ => None,
    };
    if let Some((outer, inner)) = brow {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}" stroke="{ink}" stroke-width="2.2" stroke-linecap="round"/>"##,
            ex2 - 5.0,
            by + outer,
            ex2 + 4.0,
            by + inner,
            ex - 4.0,
            by + inner,
            ex + 5.0,
            by + outer
        );
    }
    let (mx, my) = (hx - 2.0 + hr * 0.1, hy + hr * 0.35);
    let mouth = match feeling {
        Expression::Happy => format!(
            r##"<path d="M{:.1} {my:.1} q 7 8 14 0" stroke="{ink}" stroke-width="2.4" fill="none" stroke-linecap="round"/>"##,
            mx - 7.0
        ),
        Expression::Calm => format!(
            r##"<path d="M{:.1} {my:.1} q 5 4 10 0" stroke="{ink}" stroke-width="2.2" fill="none" stroke-linecap="round"/>"##,
            mx - 5.0
        ),
        Expression::Laughing => format!(
            r##"<path d="M{:.1} {:.1} h 16 q -8 14 -16 0 Z" fill="#8a2b2b" stroke="{ink}" stroke-width="1.6"/>"##,
            mx - 8.0,
            my - 2.0
        ),
        Expression::Surprised | Expression::Scared => format!(
            r##"<ellipse cx="{mx:.1}" cy="{:.1}" rx="{}" ry="{}" fill="#5a1f1f"/>"##,
            my + 1.0,
            if feeling == Expression::Surprised {
                5.0
            } else {
                3.5
            },
            if feeling == Expression::Surprised {
                6.5
            } else {
                4.5
            },
        ),
        Expression::Sad => format!(
            r##"<path d="M{:.1} {:.1} q 6 -7 12 0" stroke="{ink}" stroke-width="2.4" fill="none" stroke-linecap="round"/><path d="M{:.1} {:.1} q -3 6 0 8 q 3 -2 0 -8 Z" fill="#6fb7ff"/>"##,
            mx - 6.0,
            my + 3.0,
            ex + 1.0,
            ey + 5.0
        ),
        Expression::Worried => format!(
            r##"<path d="M{:.1} {my:.1} q 3 -3 6 0 q 3 3 6 0" stroke="{ink}" stroke-width="2.2" fill="none" stroke-linecap="round"/>"##,
            mx - 6.0
        ),
        Expression::Thinking => format!(
            r##"<path d="M{:.1} {my:.1} h 9" stroke="{ink}" stroke-width="2.2" stroke-linecap="round"/><g fill="#ffffff" stroke="#7a7a7a" stroke-width="1.5"><circle cx="{:.1}" cy="{:.1}" r="4"/><circle cx="{:.1}" cy="{:.1}" r="6"/><circle cx="{:.1}" cy="{:.1}" r="9"/></g>"##,
            mx - 3.0,
            hx + hr * 0.9,
            hy - hr * 1.3,
            hx + hr * 1.2,
            hy - hr * 1.75,
            hx + hr * 1.6,
            hy - hr * 2.3
        ),
        Expression::Determined => format!(
            r##"<path d="M{:.1} {my:.1} h 11" stroke="{ink}" stroke-width="2.6" stroke-linecap="round"/>"##,
            mx - 5.0
        ),
    };
    svg.push_str(&mouth);
    if feeling == Expression::Scared {
        let _ = write!(
            svg,
            r##"<path d="M{:.1} {:.1} q -4 7 0 9 q 4 -2 0 -9 Z" fill="#8fd3ff"/>"##,
            hx - hr * 0.9,
            hy - hr * 0.5
        );
    }
}

/// Where a kind's head, torso and shoulders are.
fn frame(shape: Shape) -> Frame {
    match shape {
        Shape::Hedgehog => Frame {
            head: (32.0, -40.0, 18.0),
            torso: (-56.0, -6.0, 36.0),
            shoulder: (20.0, -26.0),
        },
        Shape::Bird | Shape::Duck => Frame {
            head: (0.0, -70.0, 26.0),
            torso: (-70.0, -8.0, 34.0),
            shoulder: (30.0, -50.0),
        },
        Shape::Robot => Frame {
            head: (0.0, -99.0, 20.0),
            torso: (-78.0, -16.0, 30.0),
            shoulder: (30.0, -72.0),
        },
        Shape::Dragon => Frame {
            head: (28.0, -86.0, 18.0),
            torso: (-70.0, -6.0, 34.0),
            shoulder: (28.0, -56.0),
        },
        Shape::Person => Frame {
            head: (0.0, -114.0, 24.0),
            torso: (-92.0, -34.0, 29.0),
            shoulder: (27.0, -88.0),
        },
        Shape::Giraffe => Frame {
            head: (14.0, -172.0, 20.0),
            torso: (-72.0, -6.0, 30.0),
            shoulder: (26.0, -62.0),
        },
        Shape::Frog => Frame {
            head: (0.0, -72.0, 22.0),
            torso: (-58.0, -4.0, 36.0),
            shoulder: (32.0, -40.0),
        },
        _ => Frame {
            head: (0.0, -90.0, 26.0),
            torso: (-72.0, -6.0, 30.0),
            shoulder: (26.0, -62.0),
        },
    }
}

/// The body of a kind.
fn body(svg: &mut String, shape: Shape, b: &str, belly: &str, o: &str) {
    match shape {
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
            let _ = write!(svg, r##"<path d="{spikes} Z" fill="{b}"{o}/>"##);
            let _ = write!(
                svg,
                r##"<ellipse cx="-4" cy="-30" rx="44" ry="30" fill="{b}"{o}/><ellipse cx="30" cy="-34" rx="24" ry="21" fill="{belly}"{o}/><circle cx="54" cy="-36" r="5" fill="#2b2020"/><ellipse cx="-20" cy="-2" rx="10" ry="5" fill="#5c3b28"/><ellipse cx="16" cy="-2" rx="10" ry="5" fill="#5c3b28"/>"##
            );
        }
        Shape::Bird | Shape::Duck => {
            let _ = write!(
                svg,
                r##"<ellipse cx="0" cy="-48" rx="36" ry="46" fill="{b}"{o}/><ellipse cx="0" cy="-38" rx="22" ry="30" fill="{belly}"/>"##
            );
            if shape == Shape::Bird {
                let _ = write!(
                    svg,
                    r##"<path d="M-18 -92 L-28 -108 L-6 -94 Z M18 -92 L28 -108 L6 -94 Z" fill="{b}"/><circle cx="-13" cy="-72" r="11" fill="#fff"/><circle cx="13" cy="-72" r="11" fill="#fff"/><path d="M-5 -64 L5 -64 L0 -54 Z" fill="#ee8a2c"/>"##
                );
            } else {
                let _ = write!(
                    svg,
                    r##"<path d="M10 -66 q 26 -4 30 4 q -6 8 -30 6 Z" fill="#ee8a2c"{o}/>"##
                );
            }
            let _ = write!(
                svg,
                r##"<path d="M-12 0 V-6 M12 0 V-6" stroke="#ee8a2c" stroke-width="4"/>"##
            );
        }
        Shape::Robot => {
            let _ = write!(
                svg,
                r##"<rect x="-30" y="-78" width="60" height="62" rx="8" fill="{b}"{o}/><rect x="-22" y="-16" width="12" height="16" fill="{b}"/><rect x="10" y="-16" width="12" height="16" fill="{b}"/><rect x="-24" y="-118" width="48" height="38" rx="6" fill="{b}"{o}/><path d="M0 -118 V-132" stroke="#555" stroke-width="3"/><circle cx="0" cy="-135" r="5" fill="#d8433b"/><rect x="-14" y="-62" width="28" height="18" rx="3" fill="{belly}"/>"##
            );
        }
        Shape::Dragon => {
            let _ = write!(
                svg,
                r##"<path d="M-30 -40 Q -70 -30 -78 -6 Q -50 -20 -32 -22 Z" fill="{b}"{o}/><path d="M-10 -70 L-40 -118 L-2 -92 L14 -122 L18 -76 Z" fill="{belly}" opacity="0.9"{o}/><ellipse cx="0" cy="-38" rx="36" ry="34" fill="{b}"{o}/><ellipse cx="6" cy="-32" rx="20" ry="24" fill="{belly}"/><ellipse cx="26" cy="-82" rx="26" ry="20" fill="{b}"{o}/><path d="M12 -100 L16 -114 L22 -101 L28 -116 L33 -100" fill="{belly}"/><circle cx="48" cy="-80" r="2.5" fill="#2b2020"/><ellipse cx="-14" cy="-2" rx="10" ry="5" fill="{b}"/><ellipse cx="16" cy="-2" rx="10" ry="5" fill="{b}"/>"##
            );
        }
        Shape::Person => {
            let _ = write!(
                svg,
                r##"<rect x="-15" y="-40" width="11" height="40" fill="#3a3a55"/><rect x="4" y="-40" width="11" height="40" fill="#3a3a55"/><path d="M-26 -92 L26 -92 L32 -34 L-32 -34 Z" fill="{b}"{o}/><circle cx="0" cy="-116" r="24" fill="{belly}"{o}/><path d="M-25 -112 Q -24 -146 2 -142 Q 28 -142 25 -112 Q 14 -130 -25 -112 Z" fill="#4a2f22"/>"##
            );
        }
        Shape::Frog => {
            let _ = write!(
                svg,
                r##"<ellipse cx="0" cy="-30" rx="40" ry="30" fill="{b}"{o}/><ellipse cx="0" cy="-22" rx="26" ry="18" fill="{belly}"/><ellipse cx="0" cy="-66" rx="32" ry="22" fill="{b}"{o}/><circle cx="-14" cy="-86" r="11" fill="{b}"{o}/><circle cx="14" cy="-86" r="11" fill="{b}"{o}/><circle cx="-14" cy="-86" r="7" fill="#fff"/><circle cx="14" cy="-86" r="7" fill="#fff"/><path d="M-22 -58 q 22 12 44 0" stroke="#2b3a22" stroke-width="2.5" fill="none"/><ellipse cx="-26" cy="-2" rx="14" ry="5" fill="{b}"/><ellipse cx="26" cy="-2" rx="14" ry="5" fill="{b}"/>"##
            );
        }
        Shape::Giraffe => {
            let _ = write!(
                svg,
                r##"<path d="M-12 -70 L-6 -168 L14 -168 L18 -70 Z" fill="{b}"{o}/><ellipse cx="0" cy="-38" rx="30" ry="36" fill="{b}"{o}/><ellipse cx="0" cy="-32" rx="18" ry="24" fill="{belly}"/><path d="M0 -190 V-204 M20 -190 V-204" stroke="{b}" stroke-width="4"/><circle cx="0" cy="-205" r="4" fill="#6b4423"/><circle cx="20" cy="-205" r="4" fill="#6b4423"/><ellipse cx="14" cy="-172" rx="20" ry="18" fill="{b}"{o}/><ellipse cx="28" cy="-164" rx="12" ry="8" fill="{belly}"/><g fill="#9a5b2a" opacity="0.75"><circle cx="-2" cy="-120" r="5"/><circle cx="8" cy="-140" r="4"/><circle cx="4" cy="-96" r="5"/><circle cx="-14" cy="-50" r="6"/><circle cx="14" cy="-60" r="5"/><circle cx="-6" cy="-24" r="5"/></g><ellipse cx="-14" cy="-2" rx="11" ry="6" fill="{b}"/><ellipse cx="14" cy="-2" rx="11" ry="6" fill="{b}"/>"##
            );
        }
        _ => mammal(svg, shape, b, belly, o),
    }
}

/// The upright mammals: one body, with each kind's ears, tail, snout and marks.
fn mammal(svg: &mut String, shape: Shape, b: &str, belly: &str, o: &str) {
    // Behind the body: tails and manes.
    let behind = match shape {
        Shape::Fox => format!(
            r##"<path d="M-24 -28 Q -80 -30 -70 -86 Q -52 -60 -22 -44 Z" fill="{b}"{o}/><path d="M-70 -86 Q -74 -70 -64 -66 Q -62 -80 -70 -86 Z" fill="#fffaf0"/>"##
        ),
        Shape::Cat => format!(
            r##"<path d="M-26 -22 Q -66 -30 -56 -80" stroke="{b}" stroke-width="8" fill="none" stroke-linecap="round"/>"##
        ),
        Shape::Dog => format!(
            r##"<path d="M-26 -30 Q -52 -44 -50 -62" stroke="{b}" stroke-width="10" fill="none" stroke-linecap="round"/>"##
        ),
        Shape::Mouse => String::from(
            r##"<path d="M-24 -16 Q -70 -10 -64 -44 Q -60 -70 -84 -64" stroke="#e59aa8" stroke-width="4" fill="none" stroke-linecap="round"/>"##,
        ),
        Shape::Pig => String::from(
            r##"<path d="M-28 -30 q -14 -4 -12 -14 q 2 -8 10 -4 q 6 4 -2 10" stroke="#e27d96" stroke-width="4" fill="none"/>"##,
        ),
        Shape::Lion => format!(
            r##"<path d="M-26 -24 Q -60 -20 -60 -56" stroke="{b}" stroke-width="6" fill="none"/><circle cx="-60" cy="-60" r="8" fill="#8a4b1f"/><circle cx="0" cy="-90" r="42" fill="#b8662a"{o}/>"##
        ),
        Shape::Monkey => format!(
            r##"<path d="M-26 -20 Q -70 -10 -66 -60 Q -64 -80 -48 -76" stroke="{b}" stroke-width="7" fill="none" stroke-linecap="round"/>"##
        ),
        Shape::Horse | Shape::Unicorn => {
            let mane = if shape == Shape::Unicorn {
                "#c58ad8"
            } else {
                "#4a2f22"
            };
            format!(
                r##"<path d="M-26 -30 Q -62 -30 -60 -2" stroke="{mane}" stroke-width="10" fill="none" stroke-linecap="round"/><path d="M-20 -112 Q -40 -92 -26 -62 L-14 -70 Q -22 -92 -6 -112 Z" fill="{mane}"/>"##
            )
        }
        _ => String::new(),
    };
    svg.push_str(&behind);
    let ears = match shape {
        Shape::Rabbit => format!(
            r##"<ellipse cx="-10" cy="-122" rx="8" ry="28" fill="{b}"{o}/><ellipse cx="10" cy="-122" rx="8" ry="28" fill="{b}"{o}/><ellipse cx="-10" cy="-120" rx="4" ry="20" fill="#ef8fb4"/><ellipse cx="10" cy="-120" rx="4" ry="20" fill="#ef8fb4"/>"##
        ),
        Shape::Fox | Shape::Cat | Shape::Horse | Shape::Unicorn => format!(
            r##"<path d="M-24 -94 L-18 -128 L-2 -104 Z M24 -94 L18 -128 L2 -104 Z" fill="{b}"{o}/><path d="M-18 -102 L-16 -118 L-8 -106 Z M18 -102 L16 -118 L8 -106 Z" fill="#3a2a22" opacity="0.6"/>"##
        ),
        Shape::Dog => format!(
            r##"<ellipse cx="-26" cy="-90" rx="9" ry="22" fill="#6b4a32" transform="rotate(18 -26 -90)"{o}/><ellipse cx="26" cy="-90" rx="9" ry="22" fill="#6b4a32" transform="rotate(-18 26 -90)"{o}/>"##
        ),
        Shape::Mouse => format!(
            r##"<circle cx="-24" cy="-112" r="18" fill="{b}"{o}/><circle cx="24" cy="-112" r="18" fill="{b}"{o}/><circle cx="-24" cy="-112" r="11" fill="#f2b8c6"/><circle cx="24" cy="-112" r="11" fill="#f2b8c6"/>"##
        ),
        Shape::Pig => format!(
            r##"<path d="M-22 -106 L-26 -124 L-8 -112 Z M22 -106 L26 -124 L8 -112 Z" fill="{b}"{o}/>"##
        ),
        Shape::Elephant => format!(
            r##"<ellipse cx="-30" cy="-90" rx="22" ry="28" fill="{b}"{o}/><ellipse cx="30" cy="-90" rx="22" ry="28" fill="{b}"{o}/><ellipse cx="-30" cy="-90" rx="13" ry="18" fill="#e8b8c0" opacity="0.7"/>"##
        ),
        Shape::Sheep => String::from(
            r##"<ellipse cx="-30" cy="-96" rx="12" ry="6" fill="#3a3330" transform="rotate(20 -30 -96)"/><ellipse cx="30" cy="-96" rx="12" ry="6" fill="#3a3330" transform="rotate(-20 30 -96)"/>"##,
        ),
        Shape::Turtle => String::new(),
        Shape::Monkey => format!(
            r##"<circle cx="-28" cy="-92" r="10" fill="{b}"{o}/><circle cx="28" cy="-92" r="10" fill="{b}"{o}/><circle cx="-28" cy="-92" r="5" fill="{belly}"/><circle cx="28" cy="-92" r="5" fill="{belly}"/>"##
        ),
        // Bears, lions and the rest: small round ears.
        _ => format!(
            r##"<circle cx="-20" cy="-111" r="10" fill="{b}"{o}/><circle cx="20" cy="-111" r="10" fill="{b}"{o}/><circle cx="-20" cy="-111" r="5" fill="{belly}"/><circle cx="20" cy="-111" r="5" fill="{belly}"/>"##
        ),
    };
    svg.push_str(&ears);
    let (rx, ry) = match shape {
        Shape::Bear | Shape::Elephant => (36.0, 40.0),
        Shape::Mouse => (24.0, 32.0),
        _ => (30.0, 36.0),
    };
    let _ = write!(
        svg,
        r##"<ellipse cx="0" cy="-38" rx="{rx}" ry="{ry}" fill="{b}"{o}/><ellipse cx="0" cy="-32" rx="{:.0}" ry="{:.0}" fill="{belly}"/><circle cx="0" cy="-90" r="26" fill="{b}"{o}/><ellipse cx="-14" cy="-2" rx="11" ry="6" fill="{b}"/><ellipse cx="14" cy="-2" rx="11" ry="6" fill="{b}"/>"##,
        rx * 0.6,
        ry * 0.66
    );
    // What covers the body: wool, a shell.
    match shape {
        Shape::Sheep => {
            let mut wool = String::new();
            for (x, y, r) in [
                (-22.0, -60.0, 14.0),
                (0.0, -70.0, 15.0),
                (22.0, -60.0, 14.0),
                (-26.0, -36.0, 14.0),
                (26.0, -36.0, 14.0),
                (-14.0, -16.0, 13.0),
                (14.0, -16.0, 13.0),
                (0.0, -110.0, 12.0),
            ] {
                let _ = write!(
                    wool,
                    r##"<circle cx="{x}" cy="{y}" r="{r}" fill="{b}"{o}/>"##
                );
            }
            svg.push_str(&wool);
            svg.push_str(r##"<ellipse cx="6" cy="-86" rx="18" ry="22" fill="#3a3330"/>"##);
        }
        Shape::Turtle => {
            let _ = write!(
                svg,
                r##"<ellipse cx="-12" cy="-44" rx="38" ry="32" fill="#7a5a2e"{o}/><path d="M-12 -70 l 12 8 v 16 l -12 8 l -12 -8 v -16 Z M-40 -46 h 16 M0 -46 h 22 M-12 -30 v 16" stroke="#4e3a1c" stroke-width="3" fill="none"/>"##
            );
        }
        _ => {}
    }
    // The face's own shape: snout, muzzle, trunk, whiskers.
    let snout = match shape {
        Shape::Fox => String::from(
            r##"<path d="M2 -92 Q 26 -88 38 -80 Q 24 -70 4 -74 Z" fill="#fffaf0"/><circle cx="38" cy="-80" r="4" fill="#2b2020"/>"##,
        ),
        Shape::Mouse => String::from(
            r##"<path d="M10 -90 Q 30 -86 36 -82 Q 26 -74 10 -78 Z" fill="#f3e6e6"/><circle cx="36" cy="-82" r="4" fill="#e27d96"/><path d="M28 -80 l 18 -6 M28 -78 l 18 2 M28 -76 l 16 8" stroke="#555" stroke-width="1.2"/>"##,
        ),
        Shape::Cat => String::from(
            r##"<ellipse cx="8" cy="-80" rx="12" ry="8" fill="#fffaf0"/><path d="M8 -84 l -3 -3 h 6 Z" fill="#e27d96"/><path d="M12 -80 l 22 -5 M12 -78 l 22 3 M-4 -80 l -20 -5 M-4 -78 l -20 3" stroke="#555" stroke-width="1.2"/>"##,
        ),
        Shape::Pig => String::from(
            r##"<ellipse cx="8" cy="-80" rx="12" ry="9" fill="#f7bfcd" stroke="#d4778f" stroke-width="2"/><circle cx="4" cy="-80" r="2.2" fill="#a34a60"/><circle cx="12" cy="-80" r="2.2" fill="#a34a60"/>"##,
        ),
        Shape::Elephant => format!(
            r##"<path d="M4 -84 Q 20 -60 12 -40 Q 8 -34 2 -40 Q 8 -60 -6 -80 Z" fill="{b}"{o}/>"##
        ),
        Shape::Monkey => String::from(
            r##"<ellipse cx="4" cy="-86" rx="18" ry="15" fill="#f1d2b0"/><ellipse cx="6" cy="-78" rx="10" ry="6" fill="#e8bf98"/>"##,
        ),
        Shape::Horse | Shape::Unicorn => {
            let horn = if shape == Shape::Unicorn {
                r##"<path d="M4 -112 L12 -150 L18 -110 Z" fill="#f2c53d" stroke="#b8860b" stroke-width="1.5"/>"##
            } else {
                ""
            };
            format!(
                r##"<ellipse cx="20" cy="-80" rx="20" ry="13" fill="{belly}"/><circle cx="32" cy="-80" r="2.6" fill="#2b2020"/>{horn}"##
            )
        }
        Shape::Sheep => {
            String::from(r##"<ellipse cx="12" cy="-76" rx="8" ry="5" fill="#2a2422"/>"##)
        }
        Shape::Bear => String::from(
            r##"<ellipse cx="6" cy="-80" rx="14" ry="10" fill="#e8d2b0"/><ellipse cx="10" cy="-84" rx="5" ry="4" fill="#2b2020"/>"##,
        ),
        _ => format!(
            r##"<ellipse cx="6" cy="-82" rx="12" ry="9" fill="{belly}"/><circle cx="14" cy="-84" r="4" fill="#2b2020"/>"##
        ),
    };
    svg.push_str(&snout);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appearance::Worn;

    fn look(shape: Shape, worn: &[(Accessory, &str)]) -> Look {
        Look {
            shape,
            body: "#8b5a3c".into(),
            belly: "#f3e6c4".into(),
            worn: worn
                .iter()
                .map(|(item, colour)| Worn {
                    item: *item,
                    colour: (*colour).into(),
                })
                .collect(),
            size: 1.0,
        }
    }

    #[test]
    fn each_accessory_is_drawn_in_its_own_colour() {
        let all = [
            (Accessory::Scarf, "#000001"),
            (Accessory::Hat, "#000002"),
            (Accessory::Bow, "#000003"),
            (Accessory::Glasses, "#000004"),
            (Accessory::Cape, "#000005"),
            (Accessory::Backpack, "#000006"),
            (Accessory::Raincoat, "#000007"),
            (Accessory::Boots, "#000008"),
            (Accessory::Crown, "#000009"),
            (Accessory::Bag, "#00000a"),
            (Accessory::Necklace, "#00000b"),
            (Accessory::Jumper, "#00000c"),
        ];
        for shape in [
            Shape::Bear,
            Shape::Mouse,
            Shape::Bird,
            Shape::Person,
            Shape::Hedgehog,
        ] {
            let mut svg = String::new();
            let drawn = draw(
                &mut svg,
                &look(shape, &all),
                Pose::Standing,
                Expression::Happy,
                (0.0, 0.0),
                1.0,
                1.0,
                "",
            );
            assert_eq!(drawn.worn.len(), all.len());
            for (item, colour) in all {
                assert!(svg.contains(colour), "{shape:?}: {item:?} not drawn");
            }
        }
    }

    #[test]
    fn kinds_poses_and_feelings_each_draw_differently() {
        let draw_one = |shape, pose, feeling| {
            let mut svg = String::new();
            draw(
                &mut svg,
                &look(shape, &[]),
                pose,
                feeling,
                (0.0, 0.0),
                1.0,
                1.0,
                "",
            );
            svg
        };
        let (p, e) = (Pose::Standing, Expression::Calm);
        let shapes = Shape::ALL;
        let bodies: std::collections::HashSet<String> =
            shapes.iter().map(|s| draw_one(*s, p, e)).collect();
        assert_eq!(bodies.len(), shapes.len());
        let poses = Pose::ALL;
        let drawn: std::collections::HashSet<String> =
            poses.iter().map(|q| draw_one(Shape::Bear, *q, e)).collect();
        assert_eq!(drawn.len(), poses.len());
        let feelings = Expression::ALL;
        let faces: std::collections::HashSet<String> = feelings
            .iter()
            .map(|f| draw_one(Shape::Bear, p, *f))
            .collect();
        assert_eq!(faces.len(), feelings.len());
    }
}
