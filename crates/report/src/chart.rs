//! Bar charts as SVG (for HTML) and PNG (for DOCX, rendered from the same SVG with resvg).
//!
//! The SVG is written by hand: a horizontal bar per item, its label on the left and its value
//! at the end of the bar. Chinese labels need a CJK face; the PNG renderer loads the system
//! fonts once per process and prefers Noto Sans CJK SC (Debian fonts-noto-cjk).

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::docx::Png;
use crate::model::{Chart, hundredths};

const WIDTH: u32 = 720;
const LABEL_W: u32 = 250;
const BAR_W: u32 = 380;
const ROW_H: u32 = 26;
const TOP: u32 = 16;
const BOTTOM: u32 = 40;
/// Font families for Chinese labels, CJK first.
const FAMILY: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', SimHei, sans-serif";
/// For figures: a Latin face renders several times faster (a CJK font's shaping tables are
/// large and are read for every text element).
const LATIN: &str = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/// Labels longer than this many characters are shortened in the picture (the full text is
/// in the description).
const LABEL_CHARS: usize = 16;

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// The chart's height in pixels.
#[must_use]
pub fn height(c: &Chart) -> u32 {
    TOP + ROW_H * u32::try_from(c.bars.len()).unwrap_or(0) + BOTTOM
}

/// The chart as an SVG document. `id` makes the title and description ids unique in a page.
#[must_use]
pub fn svg(c: &Chart, id: &str) -> String {
    let h = height(c);
    // The scale: at least 100 %, else the largest value, rounded up to 20 %.
    let max = c
        .bars
        .iter()
        .map(|(_, v)| *v)
        .chain(c.reference)
        .max()
        .unwrap_or(10_000)
        .max(10_000);
    let max = (max + 1_999) / 2_000 * 2_000;
    let x = |v: i64| -> f64 {
        // Drawing coordinates only; the values printed are the exact decimals.
        #[expect(clippy::cast_precision_loss, reason = "pixel positions")]
        let f = v.max(0) as f64 / max as f64;
        f64::from(LABEL_W) + f * f64::from(BAR_W)
    };
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} {h}\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-family=\"{FAMILY}\" shape-rendering=\"crispEdges\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
         <rect width=\"{WIDTH}\" height=\"{h}\" fill=\"#ffffff\"/>",
        crate::escaped(&c.title),
        crate::escaped(&c.description()),
    );
    // Grid lines every 20 %.
    let mut g = 0;
    while g <= max {
        let gx = x(g);
        let _ = write!(
            s,
            "<line x1=\"{gx:.1}\" y1=\"{TOP}\" x2=\"{gx:.1}\" y2=\"{}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>\
             <text x=\"{gx:.1}\" y=\"{}\" font-size=\"12\" font-family=\"{LATIN}\" text-anchor=\"middle\" fill=\"#333333\">{}%</text>",
            h - BOTTOM,
            h - BOTTOM + 16,
            g / 100
        );
        g += 2_000;
    }
    for (k, (label, v)) in c.bars.iter().enumerate() {
        let y = TOP + ROW_H * u32::try_from(k).unwrap_or(0);
        let w = x(*v) - f64::from(LABEL_W);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"end\" fill=\"#000000\">{}</text>\
             <rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#2f5597\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\" font-family=\"{LATIN}\" fill=\"#000000\">{}%</text>",
            LABEL_W - 8,
            y + 18,
            crate::escaped(&short(label)),
            y + 5,
            ROW_H - 10,
            x(*v) + 6.0,
            y + 18,
            hundredths(*v)
        );
    }
    if let Some(r) = c.reference {
        let rx = x(r);
        let _ = write!(
            s,
            "<line x1=\"{rx:.1}\" y1=\"{}\" x2=\"{rx:.1}\" y2=\"{}\" stroke=\"#c00000\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            TOP - 4,
            h - BOTTOM
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#333333\">{}</text></svg>",
        f64::from(LABEL_W) + f64::from(BAR_W) / 2.0,
        h - 6,
        crate::escaped(&c.axis)
    );
    s
}

/// The rendering options with the fonts the charts use, loaded once per process.
///
/// The system fonts are scanned (memory-mapped, headers only) to find a CJK sans face and a
/// Latin face; those two files are then read into memory, because a face that is only mapped
/// is mapped and parsed again for every text element (about a millisecond each).
fn options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        use resvg::usvg::fontdb;
        let mut system = fontdb::Database::new();
        system.load_system_fonts();
        let path_of = |family: &str| {
            system.faces().find_map(|face| {
                let named = face.families.iter().any(|(n, _)| n == family);
                match (&face.source, named) {
                    (fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _), true) => {
                        Some((family.to_owned(), p.clone()))
                    }
                    _ => None,
                }
            })
        };
        let cjk = [
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "WenQuanYi Zen Hei",
        ]
        .into_iter()
        .find_map(path_of);
        let latin = ["DejaVu Sans", "Liberation Sans"]
            .into_iter()
            .find_map(path_of);
        let mut o = resvg::usvg::Options::default();
        let db = o.fontdb_mut();
        for (_, path) in cjk.iter().chain(&latin) {
            if let Ok(bytes) = std::fs::read(path) {
                db.load_font_data(bytes);
            }
        }
        if let Some((family, _)) = &cjk {
            db.set_sans_serif_family(family.clone());
        }
        o
    })
}

/// Whether a CJK face is installed (without one, Chinese labels would render as boxes).
#[must_use]
pub fn has_cjk_font() -> bool {
    options().fontdb.faces().any(|f| {
        f.families
            .iter()
            .any(|(n, _)| n.contains("CJK") || n.contains("Han Sans") || n.contains("WenQuanYi"))
    })
}

/// The chart as a PNG at 1.5 times its size (about 175 dpi across the text width), or `None` when no CJK font is installed or the
/// SVG cannot be rendered.
#[must_use]
pub fn png(c: &Chart) -> Option<Png> {
    if !has_cjk_font() {
        return None;
    }
    let tree = resvg::usvg::Tree::from_str(&svg(c, "chart"), options()).ok()?;
    let (w, h) = (WIDTH * 3 / 2, height(c) * 3 / 2);
    let mut pm = resvg::tiny_skia::Pixmap::new(w, h)?;
    pm.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(1.5, 1.5),
        &mut pm.as_mut(),
    );
    Some(Png {
        bytes: encode(&pm)?,
        width: WIDTH,
        height: height(c),
    })
}

/// PNG bytes of an opaque pixmap, with the fast DEFLATE setting (tiny-skia's own encoder
/// takes four times as long for a file a few percent smaller).
fn encode(pm: &resvg::tiny_skia::Pixmap) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(64 * 1024);
    {
        let mut e = png::Encoder::new(&mut out, pm.width(), pm.height());
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        e.set_compression(png::Compression::Fast);
        let mut w = e.write_header().ok()?;
        // The background is opaque white: drop the alpha channel.
        let rgb: Vec<u8> = pm
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        w.write_image_data(&rgb).ok()?;
    }
    Some(out)
}

/// The PNGs of several charts, rendered in parallel.
#[must_use]
pub fn pngs(charts: &[&Chart]) -> Vec<Option<Png>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = charts.iter().map(|c| s.spawn(|| png(c))).collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    })
}
