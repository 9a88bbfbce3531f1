//! Bar charts: as SVG for HTML, and as a native DrawingML chart part for DOCX.
//!
//! The SVG is written by hand: a horizontal bar per item, its label on the left and its value
//! at the end of the bar. The DOCX chart is the same horizontal bar chart as chart XML with
//! its data cached in the part, so Word, WPS and LibreOffice draw it themselves, crisply and
//! in the document's fonts, and a reader can see the data behind it; nothing is rasterised.

use std::fmt::Write as _;

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
    let max = scale_max(c);
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

/// The largest value of the scale in hundredths of a percent: at least 100 %, else the
/// largest value, rounded up to 20 %.
fn scale_max(c: &Chart) -> i64 {
    let max = c
        .bars
        .iter()
        .map(|(_, v)| *v)
        .chain(c.reference)
        .max()
        .unwrap_or(10_000)
        .max(10_000);
    (max + 1_999) / 2_000 * 2_000
}

/// Chart text properties: size in hundredths of a point, the face for Chinese and Latin.
fn text_props(size: u32, face: &str, out: &mut String) {
    let _ = write!(
        out,
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size}\" b=\"0\">\
         <a:solidFill><a:srgbClr val=\"000000\"/></a:solidFill>\
         <a:latin typeface=\"{face}\"/><a:ea typeface=\"{face}\"/></a:defRPr></a:pPr>\
         <a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
    );
}

/// A title element (chart or axis) with the given text.
fn title(text: &str, size: u32, out: &mut String) {
    let _ = write!(
        out,
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size}\" b=\"0\"/></a:pPr>\
         <a:r><a:rPr lang=\"zh-CN\" sz=\"{size}\" b=\"0\"><a:latin typeface=\"黑体\"/><a:ea typeface=\"黑体\"/></a:rPr>\
         <a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>",
        crate::escaped(text)
    );
}

/// The chart as a DrawingML chart part (`word/charts/chartN.xml`): horizontal bars in the
/// order given (first at the top), values as percentages with their labels, the value axis
/// from 0 to at least 100 % in steps of 20 %.
#[must_use]
pub fn drawingml(c: &Chart) -> String {
    let n = c.bars.len();
    let mut s = String::with_capacity(4096 + n * 160);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart>",
    );
    // The figure caption below the chart is its title; the chart repeats none.
    s.push_str(
        "<c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/><c:barChart><c:barDir val=\"bar\"/>\
         <c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/><c:ser><c:idx val=\"0\"/><c:order val=\"0\"/>",
    );
    let _ = write!(
        s,
        "<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx>\
         <c:spPr><a:solidFill><a:srgbClr val=\"2F5597\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>\
         <c:dLbls><c:numFmt formatCode=\"0.00&quot;%&quot;\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>",
        crate::escaped(&c.axis)
    );
    text_props(1000, "Arial", &mut s);
    let _ = write!(
        s,
        "<c:dLblPos val=\"outEnd\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>\
         <c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>\
         <c:cat><c:strRef><c:f>Sheet1!$A$2:$A${}</c:f><c:strCache><c:ptCount val=\"{n}\"/>",
        n + 1
    );
    for (k, (label, _)) in c.bars.iter().enumerate() {
        let _ = write!(
            s,
            "<c:pt idx=\"{k}\"><c:v>{}</c:v></c:pt>",
            crate::escaped(&short(label))
        );
    }
    let _ = write!(
        s,
        "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B${}</c:f><c:numCache>\
         <c:formatCode>0.00</c:formatCode><c:ptCount val=\"{n}\"/>",
        n + 1
    );
    for (k, (_, v)) in c.bars.iter().enumerate() {
        let _ = write!(s, "<c:pt idx=\"{k}\"><c:v>{}</c:v></c:pt>", hundredths(*v));
    }
    s.push_str(
        "</c:numCache></c:numRef></c:val></c:ser><c:gapWidth val=\"60\"/>\
         <c:axId val=\"500000001\"/><c:axId val=\"500000002\"/></c:barChart>\
         <c:catAx><c:axId val=\"500000001\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling>\
         <c:delete val=\"0\"/><c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>\
         <c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>",
    );
    text_props(1000, "黑体", &mut s);
    s.push_str(
        "<c:crossAx val=\"500000002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>\
         <c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
         <c:valAx><c:axId val=\"500000002\"/><c:scaling><c:orientation val=\"minMax\"/>",
    );
    let _ = write!(
        s,
        "<c:max val=\"{}\"/><c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/>\
         <c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D0D0D0\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>",
        scale_max(c) / 100
    );
    title(&c.axis, 1000, &mut s);
    s.push_str(
        "<c:numFmt formatCode=\"0&quot;%&quot;\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/>\
         <c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>",
    );
    text_props(1000, "Arial", &mut s);
    // Steps of 20 % up to 120 %, else about five steps in whole tens (labels stay upright).
    let top = scale_max(c) / 100;
    let step = if top <= 120 {
        20
    } else {
        (top / 5 + 9) / 10 * 10
    };
    let _ = write!(
        s,
        "<c:crossAx val=\"500000001\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/>\
         <c:majorUnit val=\"{step}\"/></c:valAx></c:plotArea><c:plotVisOnly val=\"1\"/>\
         <c:dispBlanksAs val=\"gap\"/></c:chart>\
         <c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    );
    text_props(1000, "仿宋_GB2312", &mut s);
    s.push_str("</c:chartSpace>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "图1 各级指标得分率".into(),
            axis: "得分率（%）".into(),
            bars: vec![
                ("项目决策".into(), 5_833),
                ("项目管理 & 监督".into(), 12_000),
            ],
            reference: Some(10_000),
        }
    }

    #[test]
    fn drawingml_holds_the_data_in_order_and_scales_to_the_largest_value() {
        let x = drawingml(&chart());
        assert!(x.contains("<c:barDir val=\"bar\"/>"));
        let first = x.find("<c:v>项目决策</c:v>").unwrap_or(usize::MAX);
        let second = x.find("<c:v>项目管理 &amp; 监督</c:v>").unwrap_or(0);
        assert!(first < second, "{x}");
        assert!(x.contains("<c:pt idx=\"0\"><c:v>58.33</c:v></c:pt>"));
        assert!(x.contains("<c:pt idx=\"1\"><c:v>120.00</c:v></c:pt>"));
        // 120 % rounds the scale up to 120 %.
        assert!(x.contains("<c:max val=\"120\"/>"));
        assert!(x.contains("<a:t>得分率（%）</a:t>"), "the axis is titled");
    }
}
