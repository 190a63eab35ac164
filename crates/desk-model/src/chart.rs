//! Charts drawn in Rust as SVG text (issue 17), for the reports and the dashboard: no JavaScript charting
//! library. Pure and exact: bar lengths are computed from the amounts with decimals (no floating point), the
//! labels are formatted the language's way, and every text is escaped.

use crate::money::{format_money, round_dp, Money};
use crate::msg::Lang;
use rust_decimal::Decimal;

/// One series of a bar chart: a name for the legend, a CSS class for its colour, one value per label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// CSS class of its bars (`s0`, `s1`…).
    pub class: String,
    /// One value per label; negative values draw as zero.
    pub values: Vec<Money>,
}

/// Escapes text for SVG.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `part / whole × length`, to one decimal place, never negative (zero when the whole is zero).
fn scale(part: Money, whole: Money, length: u32) -> Decimal {
    if whole.0 <= Decimal::ZERO || part.0 <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let v = part.0.checked_div(whole.0).unwrap_or(Decimal::ZERO) * Decimal::from(length);
    round_dp(v.min(Decimal::from(length)), 1)
}

fn largest<'a>(values: impl Iterator<Item = &'a Money>) -> Money {
    values.copied().fold(Money::ZERO, |a, b| if b > a { b } else { a })
}

/// Vertical bars: one group per label, one bar per series in each group, a value axis with the largest amount,
/// and a legend when there are several series. `id` names the chart's element.
pub fn bars(id: &str, labels: &[String], series: &[Series], lang: Lang) -> String {
    let (width, height, left, bottom, top) = (720u32, 260u32, 90u32, 40u32, 24u32);
    let plot_h = height - bottom - top;
    let plot_w = width - left - 10;
    let max = largest(series.iter().flat_map(|s| s.values.iter()));
    let groups = labels.len().max(1) as u32;
    let group_w = plot_w / groups;
    let n = series.len().max(1) as u32;
    let bar_w = ((group_w.saturating_sub(6)) / n).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\">",
        escape(id)
    );
    // axis: zero and the largest amount
    let base_y = top + plot_h;
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{base_y}\" x2=\"{}\" y2=\"{base_y}\"/>\
         <line class=\"grid\" x1=\"{left}\" y1=\"{top}\" x2=\"{}\" y2=\"{top}\"/>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        width - 10,
        width - 10,
        left - 6,
        top + 4,
        escape(&format_money(max, lang)),
        left - 6,
        base_y + 4,
        escape(&format_money(Money::ZERO, lang)),
    ));
    for (g, label) in labels.iter().enumerate() {
        let gx = left + g as u32 * group_w + 3;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(g).copied().unwrap_or(Money::ZERO);
            let h = scale(v, max, plot_h);
            let x = gx + k as u32 * bar_w;
            svg.push_str(&format!(
                "<rect class=\"bar {}\" x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\"><title>{}: {}</title></rect>",
                escape(&s.class),
                Decimal::from(base_y) - h,
                bar_w.saturating_sub(1).max(1),
                escape(&format!("{} {label}", s.name)),
                escape(&format_money(v, lang)),
            ));
        }
        // every label while they fit, else every few
        let every = (groups / 12).max(1) as usize;
        if g % every == 0 {
            svg.push_str(&format!(
                "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                gx + group_w / 2,
                base_y + 16,
                escape(label)
            ));
        }
    }
    if series.len() > 1 {
        for (k, s) in series.iter().enumerate() {
            let x = left + 10 + k as u32 * 160;
            svg.push_str(&format!(
                "<rect class=\"bar {}\" x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>",
                escape(&s.class),
                height - 14,
                x + 16,
                height - 4,
                escape(&s.name)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one per row (top customers, VAT per rate), each with its label and amount, 720 units wide.
pub fn hbars(id: &str, rows: &[(String, Money)], lang: Lang) -> String {
    hbars_width(id, rows, lang, 720)
}

/// [`hbars`] for a narrower box (the dashboard's column): the same text size once scaled to it.
pub fn hbars_width(id: &str, rows: &[(String, Money)], lang: Lang, width: u32) -> String {
    let width = width.max(300);
    let (row_h, left, right) = (26u32, width / 3, 110u32);
    let height = row_h * rows.len().max(1) as u32 + 8;
    let plot_w = width - left - right;
    let max = largest(rows.iter().map(|(_, m)| m));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\">",
        escape(id)
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = 4 + i as u32 * row_h;
        let w = scale(*v, max, plot_w);
        let short: String = label.chars().take((left / 7) as usize).collect();
        svg.push_str(&format!(
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar s0\" x=\"{left}\" y=\"{y}\" width=\"{w}\" height=\"{}\"><title>{}</title></rect>\
             <text class=\"value\" x=\"{}\" y=\"{}\">{}</text>",
            left - 8,
            y + 16,
            escape(&short),
            row_h - 8,
            escape(label),
            Decimal::from(left + 6) + w,
            y + 16,
            escape(&format_money(*v, lang)),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn bars_are_proportional_to_the_amounts() {
        let s = Series {
            name: "2026".into(),
            class: "s0".into(),
            values: vec![Money(dec!(100)), Money(dec!(50)), Money(dec!(-5))],
        };
        let svg = bars("c", &["jan".into(), "fev".into(), "mar".into()], &[s], Lang::Pt);
        // the plot is 196 px high: the largest bar fills it, half of it is 98 px, a negative one is flat
        assert!(svg.contains("height=\"196\""), "{svg}");
        assert!(svg.contains("height=\"98.0\""), "{svg}");
        assert!(svg.contains("height=\"0\""), "{svg}");
        assert!(svg.contains("100,00 €"), "{svg}");
    }

    #[test]
    fn text_is_escaped() {
        let svg = hbars("top", &[("Pão & <Vinho>".into(), Money(dec!(10)))], Lang::En);
        assert!(svg.contains("Pão &amp; &lt;Vinho&gt;"));
        assert!(!svg.contains("<Vinho>"));
    }

    #[test]
    fn an_empty_chart_draws_without_dividing_by_zero() {
        let svg = bars("e", &[], &[], Lang::Pt);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let svg = hbars("e", &[("x".into(), Money::ZERO)], Lang::Pt);
        assert!(svg.contains("width=\"0\""));
    }
}

/// The change from `before` to `now` in whole per cent (rounded half away from zero), or `None` when `before`
/// is zero: "+12 % on last year".
pub fn change_percent(now: Money, before: Money) -> Option<i64> {
    if before.0.is_zero() {
        return None;
    }
    let pct = (now.0 - before.0).checked_mul(Decimal::from(100))?.checked_div(before.0.abs())?;
    use rust_decimal::prelude::ToPrimitive;
    round_dp(pct, 0).to_i64()
}

#[cfg(test)]
mod change {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn change_is_whole_per_cent_of_last_year() {
        assert_eq!(change_percent(Money(dec!(112)), Money(dec!(100))), Some(12));
        assert_eq!(change_percent(Money(dec!(50)), Money(dec!(200))), Some(-75));
        assert_eq!(change_percent(Money(dec!(1)), Money::ZERO), None);
    }
}
