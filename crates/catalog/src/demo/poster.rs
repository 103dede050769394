//! Generated posters: a small SVG per item, embedded as a `data:` URL (never fetched).

use std::fmt::Write as _;

use screening_core::{ContentType, Item};

use super::rng::fnv1a;

/// Base hue (degrees) per content type, so a row of posters shows the mix at a glance.
fn base_hue(ct: ContentType) -> u32 {
    match ct {
        ContentType::Series => 220,
        ContentType::Film => 270,
        ContentType::Reality => 330,
        ContentType::Documentary => 140,
        ContentType::News => 200,
        ContentType::Kids => 45,
        ContentType::Sport => 100,
        ContentType::Cooking => 20,
        ContentType::TalkShow => 300,
        ContentType::Other => 0,
    }
}

fn label(ct: ContentType) -> &'static str {
    match ct {
        ContentType::Series => "SERIES",
        ContentType::Film => "FILM",
        ContentType::Reality => "REALITY",
        ContentType::Documentary => "DOCUMENTARY",
        ContentType::News => "NEWS",
        ContentType::Kids => "KIDS",
        ContentType::Sport => "SPORT",
        ContentType::Cooking => "COOKING",
        ContentType::TalkShow => "TALK",
        ContentType::Other => "",
    }
}

/// `#rrggbb` of an HSL colour (hue in degrees, saturation and lightness in percent).
fn hsl_hex(h: u32, s: u32, l: u32) -> String {
    let (h, s, l) = (f64::from(h % 360) / 60.0, f64::from(s) / 100.0, f64::from(l) / 100.0);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", to(r), to(g), to(b))
}

/// Escapes text for XML content and single- or double-quoted attributes.
pub(crate) fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

const SMALL_WORDS: &[&str] =
    &["the", "of", "on", "in", "a", "an", "and", "to", "at", "by", "for", "with", "v", "from"];

/// Up to two initials from the title's significant words ("Cold Case: Rotterdam" → "CC").
pub(crate) fn initials(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| c.is_whitespace() || c == ':' || c == '-') {
        let Some(first) = word.chars().find(|c| c.is_alphanumeric()) else {
            continue;
        };
        if SMALL_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            continue;
        }
        out.extend(first.to_uppercase());
        if out.chars().count() == 2 {
            break;
        }
    }
    if out.is_empty() {
        out.extend(title.chars().find(|c| !c.is_whitespace()));
    }
    out
}

/// A 200×300 poster: a gradient whose colours come from the id and content type, the title's
/// initials large, the content type on top and the title small at the bottom.
pub(crate) fn svg(item: &Item) -> String {
    let h = fnv1a(&item.id);
    let hue = base_hue(item.content_type) + 340 + (h % 41) as u32; // ±20° around the base
    let top = hsl_hex(hue, 55 + (h >> 8) as u32 % 20, 42 + (h >> 16) as u32 % 12);
    let bottom = hsl_hex(hue + 25 + (h >> 24) as u32 % 50, 50, 14 + (h >> 32) as u32 % 8);
    let len = item.title.chars().count();
    let size = match len {
        0..=18 => 15,
        19..=26 => 13,
        _ => 11,
    };
    // Long titles are squeezed to the poster width rather than cut.
    let fit = if len > 30 { " textLength='184' lengthAdjust='spacingAndGlyphs'" } else { "" };
    let mut s = String::with_capacity(720);
    s.push_str(
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='300' viewBox='0 0 200 300'>\
         <defs><linearGradient id='g' x2='0' y2='1'>",
    );
    let _ = write!(
        s,
        "<stop stop-color='{top}'/><stop offset='1' stop-color='{bottom}'/></linearGradient></defs>\
         <rect width='200' height='300' fill='url(#g)'/>\
         <g fill='#fff' text-anchor='middle' font-family='Helvetica,Arial,sans-serif'>\
         <text x='100' y='30' font-size='11' letter-spacing='3' opacity='.8'>{}</text>\
         <text x='100' y='170' font-size='76' font-weight='700' font-family='Georgia,serif'>",
        label(item.content_type)
    );
    xml_escape(&initials(&item.title), &mut s);
    let _ = write!(
        s,
        "</text><rect y='244' width='200' height='56' fill='#000' opacity='.35'/>\
         <text x='100' y='277' font-size='{size}'{fit}>"
    );
    xml_escape(&item.title, &mut s);
    s.push_str("</text></g></svg>");
    s
}

/// `data:image/svg+xml;charset=utf-8,` followed by the percent-encoded SVG; usable as the `src`
/// of an `<img>`.
pub(crate) fn data_url(svg: &str) -> String {
    const PREFIX: &str = "data:image/svg+xml;charset=utf-8,";
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(PREFIX.len() + svg.len() + svg.len() / 4);
    out.push_str(PREFIX);
    for &b in svg.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
            );
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}
