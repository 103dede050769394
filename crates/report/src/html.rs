//! The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts and no
//! external resources, so it opens offline and can be mailed or archived as it is. Every piece of
//! user text goes through [`escape`].

use std::fmt::Write;

use screening_core::report::{
    CriterionReport, FlagRow, GREAT_PICK, GateCheck, LOW_AGREEMENT, PositionBias, Report,
};

use crate::markdown::{
    agreement, beats, challenger_line, check_value, flag_name, incumbent_strength, most_flagged,
    op_symbol, p_value, position_reading, preference_counts, record, role, signed, signed_interval,
    summary, utc_minute,
};
use crate::{Meta, interval, number};

/// The report as HTML with inline SVG charts.
pub fn html(report: &Report, meta: &Meta) -> String {
    page(&meta.title, &fragment(report, meta))
}

/// What [`html`] puts inside `<main>`: the report's header, sections and footer, for a page
/// of its own that includes [`STYLE`].
pub fn fragment(report: &Report, meta: &Meta) -> String {
    let mut body = format!(
        "<header><h1>{}</h1><p class=\"summary\">{}</p></header>\n",
        escape(&meta.title),
        escape(&summary(report, meta))
    );
    if report.judgements == 0 {
        body.push_str("<p class=\"empty\">Nothing to report yet: no judgements.</p>\n");
    }
    body.push_str(&gate(report));
    body.push_str(&ratings(report));
    body.push_str(&preferences(report));
    body.push_str(&position_bias(&report.position_bias));
    body.push_str(&flags(report));
    let _ = writeln!(
        body,
        "<footer>Generated {} from {}. {} bootstrap rounds, seed {}.</footer>",
        utc_minute(meta.generated_at_ms),
        escape(&meta.source),
        report.rounds,
        report.seed
    );
    body
}

/// Text safe in HTML content and in quoted attributes (and so in inline SVG).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

/// The report's style sheet (what [`html`] inlines).
pub const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --chal: #0969da; --inc: #8250df; --other: #6e7781; --warn: #bf8700; --ok: #2f8f5b;
  --pass: #1a7f37; --fail: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 4px; }
p { margin: 6px 0 10px; }
.summary, footer, .note { color: var(--muted); }
.empty { padding: 12px 16px; background: var(--soft); border-radius: 6px; }
.banner { font-size: 26px; font-weight: 700; letter-spacing: .06em; padding: 12px 18px;
  border-radius: 8px; color: #fff; margin: 8px 0 12px; }
.banner.pass { background: var(--pass); } .banner.fail { background: var(--fail); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.self { color: var(--muted); }
table.matrix td, table.matrix th { text-align: center; }
table.matrix td:first-child, table.matrix th:first-child { text-align: left; }
tr.chal td:first-child { box-shadow: inset 4px 0 var(--chal); }
tr.inc td:first-child { box-shadow: inset 4px 0 var(--inc); }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 9px; color: #fff;
  margin-left: 6px; vertical-align: 1px; }
.tag.chal { background: var(--chal); } .tag.inc { background: var(--inc); }
.result { font-weight: 600; }
.result.pass { color: var(--pass); } .result.fail { color: var(--fail); }
.low { color: var(--warn); font-weight: 600; }
.chip { display: inline-block; padding: 0 7px; margin: 1px 2px; border-radius: 9px;
  background: var(--soft); border: 1px solid var(--line); font-size: 13px; white-space: nowrap; }
.chip.blocker { border-color: var(--fail); color: var(--fail); }
.chip.good { border-color: var(--pass); color: var(--pass); }
.legend { font-size: 13px; color: var(--muted); }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin: 0 4px 0 10px; }
.key.chal { background: var(--chal); } .key.inc { background: var(--inc); }
.key.other { background: var(--other); }
svg.chart { display: block; width: 100%; max-width: 760px; height: auto; margin: 4px 0 8px; }
svg.chart text { font-size: 12px; fill: var(--ink); }
svg.chart text.tick, svg.chart text.caption { fill: var(--muted); font-size: 11px; }
svg.chart text.value { font-variant-numeric: tabular-nums; }
svg.chart .grid { stroke: #eaeef2; stroke-width: 1; }
svg.chart .baseline { stroke: var(--muted); stroke-width: 1.2; }
svg.chart .ref { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg.chart .mark { stroke-width: 2; }
svg.chart .chal { stroke: var(--chal); fill: var(--chal); }
svg.chart .inc { stroke: var(--inc); fill: var(--inc); }
svg.chart .other { stroke: var(--other); fill: var(--other); }
svg.chart text.chal { fill: var(--chal); stroke: none; font-weight: 600; }
svg.chart text.inc { fill: var(--inc); stroke: none; font-weight: 600; }
svg.chart text.other { stroke: none; fill: var(--ink); }
svg.chart .bar { fill: var(--ok); } svg.chart .bar.warn { fill: var(--warn); }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h2, h3 { break-after: avoid; }
  table, svg.chart, .banner, .block { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

// ---------------------------------------------------------------------------------------------
// Sections

fn gate(report: &Report) -> String {
    let (class, verdict) = if report.gate.passed { ("pass", "PASSED") } else { ("fail", "FAILED") };
    let rows: String = report.gate.checks.iter().map(gate_row).collect();
    format!(
        "<section id=\"gate\">\n<h2>Release gate</h2>\n\
         <div class=\"banner {class}\">{verdict}</div>\n\
         <table class=\"gate\"><thead><tr><th>Check</th><th class=\"num\">Value</th>\
         <th class=\"num\">Threshold</th><th>Result</th><th>Note</th></tr></thead>\n<tbody>\n\
         {rows}</tbody></table>\n</section>\n"
    )
}

fn gate_row(c: &GateCheck) -> String {
    let (class, result) = if c.passed { ("pass", "pass") } else { ("fail", "fail") };
    format!(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} {}</td>\
         <td class=\"result {class}\">{result}</td><td class=\"note\">{}</td></tr>\n",
        escape(&c.label),
        check_value(c, c.value),
        op_symbol(&c.op),
        check_value(c, Some(c.threshold)),
        c.note.as_deref().map_or(String::new(), escape)
    )
}

fn ratings(report: &Report) -> String {
    let mut out = String::from("<section id=\"ratings\">\n<h2>Ratings</h2>\n");
    if report.criteria.is_empty() {
        out.push_str("<p class=\"empty\">No ratings yet.</p>\n</section>\n");
        return out;
    }
    out.push_str(&legend(report));
    for (name, c) in report.criteria.iter() {
        out.push_str(&criterion(report, name, c));
    }
    out.push_str(&block(
        "Agreement between reviewers",
        &format!(
            "Krippendorff's α per criterion; below {LOW_AGREEMENT} (dashed line) conclusions are \
             tentative at best."
        ),
        &agreement_chart(report),
    ));
    out.push_str("</section>\n");
    out
}

/// Which colour is the challenger and which the incumbent.
fn legend(report: &Report) -> String {
    let mut out = String::new();
    for (class, who, name) in
        [("chal", "challenger", &report.challenger), ("inc", "incumbent", &report.incumbent)]
    {
        if let Some(n) = name {
            let _ = write!(out, "<span class=\"key {class}\"></span>{who}: {}", escape(n));
        }
    }
    if out.is_empty() {
        return out;
    }
    format!("<p class=\"legend\">{out}<span class=\"key other\"></span>others</p>\n")
}

fn criterion(report: &Report, name: &str, c: &CriterionReport) -> String {
    let low = if c.low_agreement { " <span class=\"low\">Low agreement.</span>" } else { "" };
    let rows: String = c
        .candidates
        .iter()
        .map(|(cand, m)| {
            format!(
                "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>\n",
                row_class(report, cand),
                name_cell(report, cand),
                number(Some(m.mean), 2),
                interval(m.ci, 2),
                m.n
            )
        })
        .collect();
    let table = format!(
        "{}<table class=\"means\"><thead><tr><th>Candidate</th><th class=\"num\">Mean</th>\
         <th class=\"num\">95% CI</th><th class=\"num\">n</th></tr></thead>\n<tbody>\n{rows}\
         </tbody></table>\n",
        means_chart(report, name, c)
    );
    let note = format!("{}{low}", escape(&agreement(c.alpha, c.pairable)));
    block(&escape(name), &note, &table)
}

fn preferences(report: &Report) -> String {
    let p = &report.preferences;
    let mut out = String::from("<section id=\"preferences\">\n<h2>Preferences</h2>\n");
    if p.count == 0 {
        out.push_str("<p class=\"empty\">No preferences yet.</p>\n</section>\n");
        return out;
    }
    let _ = writeln!(out, "<p>{}</p>", escape(&preference_counts(report)));
    if let Some(line) = challenger_line(report) {
        let _ = writeln!(out, "<p class=\"headline\"><strong>{}</strong></p>", escape(&line));
    }
    if !p.bradley_terry.is_empty() {
        out.push_str(&strengths(report));
    }
    if !p.matrix.is_empty() {
        out.push_str(&matrix(report));
    }
    out.push_str("</section>\n");
    out
}

fn strengths(report: &Report) -> String {
    let inc = incumbent_strength(report);
    let p_head = if inc.is_some() { "<th class=\"num\">P(beats incumbent)</th>" } else { "" };
    let rows: String = report
        .preferences
        .bradley_terry
        .iter()
        .map(|(name, s)| {
            let p = inc.map_or(String::new(), |i| {
                let is_inc = report.incumbent.as_deref() == Some(name);
                let p = if is_inc { "–".into() } else { number(Some(beats(s.strength, i)), 2) };
                format!("<td class=\"num\">{p}</td>")
            });
            format!(
                "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{p}</tr>\n",
                row_class(report, name),
                name_cell(report, name),
                signed(s.strength, 2),
                signed_interval(s.ci, 2)
            )
        })
        .collect();
    let table = format!(
        "{}<table class=\"strengths\"><thead><tr><th>Candidate</th><th class=\"num\">Strength\
         </th><th class=\"num\">95% CI</th>{p_head}</tr></thead>\n<tbody>\n{rows}</tbody>\
         </table>\n",
        strengths_chart(report)
    );
    block(
        "Bradley–Terry strengths",
        "Log scale, centred on 0: a difference of 1 means odds of about 2.7 to 1.",
        &table,
    )
}

fn matrix(report: &Report) -> String {
    let m = &report.preferences.matrix;
    let head: String = m.iter().map(|(b, _)| format!("<th>{}</th>", escape(b))).collect();
    let rows: String = m
        .iter()
        .map(|(a, row)| {
            let cells: String = m
                .iter()
                .map(|(b, _)| match row.get(b) {
                    Some(r) if a != b => format!("<td class=\"num\">{}</td>", record(r)),
                    _ => "<td class=\"self\">–</td>".into(),
                })
                .collect();
            format!("<tr{}><td>{}</td>{cells}</tr>\n", row_class(report, a), name_cell(report, a))
        })
        .collect();
    let table = format!(
        "<table class=\"matrix\"><thead><tr><th>vs</th>{head}</tr></thead>\n<tbody>\n{rows}\
         </tbody></table>\n"
    );
    block(
        "Wins, ties and losses",
        "Each cell is the row's record against the column (wins–ties–losses).",
        &table,
    )
}

/// A sub-section kept on one printed page: heading and note (both HTML, already escaped) over
/// its content.
fn block(heading: &str, note: &str, content: &str) -> String {
    format!(
        "<div class=\"block\">\n<h3>{heading}</h3>\n<p class=\"note\">{note}</p>\n{content}\
         </div>\n"
    )
}

fn position_bias(pb: &PositionBias) -> String {
    let share = pb.left_share.map(|s| format!("{:.0}%", s * 100.0));
    format!(
        "<section id=\"position-bias\">\n<h2>Position bias</h2>\n<table class=\"position\">\
         <thead><tr><th class=\"num\">Left wins</th><th class=\"num\">Decided pairs</th>\
         <th class=\"num\">Left share</th><th class=\"num\">p-value</th><th>Reading</th></tr>\
         </thead>\n<tbody><tr><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr></tbody></table>\n\
         </section>\n",
        pb.left_wins,
        pb.decided,
        share.as_deref().unwrap_or("–"),
        escape(&p_value(pb.p_value)),
        position_reading(pb)
    )
}

fn flags(report: &Report) -> String {
    let mut out = String::from("<section id=\"flags\">\n<h2>Flags</h2>\n");
    if report.flags.is_empty() {
        out.push_str("<p class=\"empty\">No flags.</p>\n</section>\n");
        return out;
    }
    let rows: String =
        most_flagged(&report.flags).into_iter().map(|r| flag_row(report, r)).collect();
    let _ = write!(
        out,
        "<table class=\"flags\"><thead><tr><th>Item</th><th>Title</th><th>Candidate</th>\
         <th>Flags</th><th class=\"num\">Problems</th></tr></thead>\n<tbody>\n{rows}</tbody>\
         </table>\n</section>\n"
    );
    out
}

fn flag_row(report: &Report, r: &FlagRow) -> String {
    let blockers = &report.gate.thresholds.blocker_flags;
    let chips: String = r
        .counts
        .iter()
        .map(|(flag, n)| {
            let class = if blockers.iter().any(|b| b == flag) {
                "chip blocker"
            } else if flag == GREAT_PICK {
                "chip good"
            } else {
                "chip"
            };
            format!("<span class=\"{class}\">{} × {n}</span>", escape(&flag_name(flag)))
        })
        .collect();
    format!(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{chips}</td><td class=\"num\">{}</td></tr>\n",
        row_class(report, &r.candidate),
        escape(&r.item_id),
        r.title.as_deref().map_or("–".into(), escape),
        name_cell(report, &r.candidate),
        r.problems
    )
}

/// ` class="chal"` or ` class="inc"` for the challenger's and incumbent's rows.
fn row_class(report: &Report, name: &str) -> &'static str {
    match role(report, name) {
        Some("challenger") => " class=\"chal\"",
        Some(_) => " class=\"inc\"",
        None => "",
    }
}

/// A candidate's name with a tag for its role.
fn name_cell(report: &Report, name: &str) -> String {
    let tag = match role(report, name) {
        Some("challenger") => "<span class=\"tag chal\">challenger</span>",
        Some(_) => "<span class=\"tag inc\">incumbent</span>",
        None => "",
    };
    format!("{}{tag}", escape(name))
}

/// The CSS class of a candidate's marks in charts.
fn mark_class(report: &Report, name: &str) -> &'static str {
    match role(report, name) {
        Some("challenger") => "chal",
        Some(_) => "inc",
        None => "other",
    }
}

// ---------------------------------------------------------------------------------------------
// Charts: one layout for all three. A chart is rows (label on the left, marks in the plot area,
// the number on the right) over a shared horizontal axis.

const WIDTH: f64 = 760.0;
/// Row labels end here (right-aligned).
const LABEL_END: f64 = 186.0;
/// The plot area, left and right.
const PLOT: [f64; 2] = [200.0, 650.0];
/// Numbers after the plot start here.
const VALUE_X: f64 = 664.0;
const ROW: f64 = 28.0;
/// Room above the first row (for reference-line labels).
const TOP: f64 = 20.0;
/// Room below the last row for tick labels and the axis caption.
const BOTTOM: f64 = 40.0;
/// Longer labels are cut (the full text stays in a tooltip).
const LABEL_CHARS: usize = 26;

/// A linear map from values to x in the plot area (values outside clamp to its edges).
struct Scale {
    lo: f64,
    hi: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        PLOT[0] + t * (PLOT[1] - PLOT[0])
    }
}

/// An axis: its scale, ticks, tick decimals and caption.
struct Axis {
    scale: Scale,
    ticks: Vec<f64>,
    decimals: usize,
    caption: &'static str,
}

/// The y of the middle of row `i`.
fn row_y(i: usize) -> f64 {
    TOP + ROW * (i as f64 + 0.5)
}

/// A whole chart: the `<svg>` with its title, the axis under `rows` rows, and `marks`.
fn chart(kind: &str, title: &str, rows: usize, axis: &Axis, marks: &str) -> String {
    let plot_bottom = TOP + ROW * rows as f64;
    let height = plot_bottom + BOTTOM;
    let title = escape(title);
    format!(
        "<svg class=\"chart {kind}\" data-chart=\"{kind}\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{title}\">\n\
         <title>{title}</title>\n{}{marks}</svg>\n",
        axis_marks(axis, plot_bottom)
    )
}

/// Grid lines at the ticks, tick labels and the caption under the plot.
fn axis_marks(axis: &Axis, plot_bottom: f64) -> String {
    let mut out = String::new();
    for &t in &axis.ticks {
        let x = axis.scale.x(t);
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{plot_bottom}\"/>\
             <text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            plot_bottom + 14.0,
            tick_label(t, axis.decimals)
        );
    }
    let _ = writeln!(
        out,
        "<line class=\"baseline\" x1=\"{}\" y1=\"{plot_bottom}\" x2=\"{}\" y2=\"{plot_bottom}\"/>\
         <text class=\"caption\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        PLOT[0],
        PLOT[1],
        (PLOT[0] + PLOT[1]) / 2.0,
        plot_bottom + 32.0,
        axis.caption
    );
    out
}

/// A tick's label, with a real minus sign.
fn tick_label(t: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", t.abs());
    if t < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        format!("−{s}")
    } else {
        s
    }
}

/// A row's label on the left (cut when long, the full text in its tooltip) and its number on
/// the right.
fn row_text(i: usize, label: &str, class: &str, value: &str) -> String {
    let y = row_y(i) + 4.0;
    let shown: String = if label.chars().count() > LABEL_CHARS {
        label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
    } else {
        label.to_owned()
    };
    format!(
        "<text class=\"{class}\" x=\"{LABEL_END}\" y=\"{y:.1}\" text-anchor=\"end\"><title>{}\
         </title>{}</text><text class=\"value\" x=\"{VALUE_X}\" y=\"{y:.1}\">{}</text>\n",
        escape(label),
        escape(&shown),
        escape(value)
    )
}

/// A dot at `v` with a whisker over `ci` (capped at both ends) in row `i`.
fn dot_whisker(i: usize, scale: &Scale, v: f64, ci: Option<[f64; 2]>, class: &str) -> String {
    let y = row_y(i);
    let mut out = String::new();
    if let Some([lo, hi]) = ci.filter(|c| c[0].is_finite() && c[1].is_finite()) {
        let (x0, x1) = (scale.x(lo), scale.x(hi));
        let _ = write!(
            out,
            "<path class=\"mark {class}\" fill=\"none\" d=\"M{x0:.1} {:.1}V{:.1}M{x0:.1} {y:.1}\
             H{x1:.1}M{x1:.1} {:.1}V{:.1}\"/>",
            y - 5.0,
            y + 5.0,
            y - 5.0,
            y + 5.0
        );
    }
    let _ = writeln!(
        out,
        "<circle class=\"{class}\" cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5.5\"/>",
        scale.x(v)
    );
    out
}

/// Ticks from `lo` to `hi` every `step`.
fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = ((hi - lo) / step).round() as i64;
    (0..=n).map(|k| lo + step * k as f64).collect()
}

/// A round step (1, 2 or 5 × a power of ten) that cuts `span` into about `parts` pieces.
fn nice_step(span: f64, parts: f64) -> f64 {
    let raw = (span / parts).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Decimals a tick step needs.
fn step_decimals(step: f64) -> usize {
    if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize }
}

/// Means with their intervals on the 1–5 rating scale.
fn means_chart(report: &Report, criterion: &str, c: &CriterionReport) -> String {
    let axis = Axis {
        scale: Scale { lo: 1.0, hi: 5.0 },
        ticks: ticks(1.0, 5.0, 1.0),
        decimals: 0,
        caption: "mean rating (1–5) with 95% interval",
    };
    let mut marks = String::new();
    for (i, (name, m)) in c.candidates.iter().enumerate() {
        let class = mark_class(report, name);
        marks.push_str(&dot_whisker(i, &axis.scale, m.mean, m.ci, class));
        marks.push_str(&row_text(i, name, class, &number(Some(m.mean), 2)));
    }
    let title = format!("Mean ratings on {criterion} per candidate, with 95% intervals");
    chart("means", &title, c.candidates.len(), &axis, &marks)
}

/// Bradley–Terry strengths with their intervals around a 0 line.
fn strengths_chart(report: &Report) -> String {
    let bt = &report.preferences.bradley_terry;
    let reach = bt
        .iter()
        .flat_map(|(_, s)| [Some(s.strength), s.ci.map(|c| c[0]), s.ci.map(|c| c[1])])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.5f64, |m, v| m.max(v.abs()));
    let step = nice_step(2.0 * reach, 6.0);
    let edge = (reach / step).ceil() * step;
    let axis = Axis {
        scale: Scale { lo: -edge, hi: edge },
        ticks: ticks(-edge, edge, step),
        decimals: step_decimals(step),
        caption: "Bradley–Terry log-strength (0 = average) with 95% interval",
    };
    let zero = axis.scale.x(0.0);
    let mut marks = format!(
        "<line class=\"baseline\" x1=\"{zero:.1}\" y1=\"{TOP}\" x2=\"{zero:.1}\" y2=\"{:.1}\"/>\n",
        TOP + ROW * bt.len() as f64
    );
    for (i, (name, s)) in bt.iter().enumerate() {
        let class = mark_class(report, name);
        marks.push_str(&dot_whisker(i, &axis.scale, s.strength, s.ci, class));
        marks.push_str(&row_text(i, name, class, &signed(s.strength, 2)));
    }
    chart("strengths", "Bradley–Terry strengths with 95% intervals", bt.len(), &axis, &marks)
}

/// Krippendorff's α per criterion as bars on 0–1 (negative α drawn as none, its number
/// printed), the low-agreement bound dashed.
fn agreement_chart(report: &Report) -> String {
    let axis = Axis {
        scale: Scale { lo: 0.0, hi: 1.0 },
        ticks: ticks(0.0, 1.0, 0.2),
        decimals: 1,
        caption: "Krippendorff's α",
    };
    let rows = report.criteria.len();
    let bound = axis.scale.x(LOW_AGREEMENT);
    let mut marks = String::new();
    for (i, (name, c)) in report.criteria.iter().enumerate() {
        if let Some(a) = c.alpha {
            let class = if c.low_agreement { "bar warn" } else { "bar" };
            let _ = writeln!(
                marks,
                "<rect class=\"{class}\" x=\"{}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                PLOT[0],
                row_y(i) - ROW * 0.3,
                axis.scale.x(a) - PLOT[0],
                ROW * 0.6
            );
        }
        let value = c.alpha.map_or("undefined".into(), |a| number(Some(a), 3));
        let value = if c.low_agreement { format!("{value} low") } else { value };
        marks.push_str(&row_text(i, name, "other", &value));
    }
    let _ = writeln!(
        marks,
        "<line class=\"ref\" x1=\"{bound:.1}\" y1=\"{:.1}\" x2=\"{bound:.1}\" y2=\"{:.1}\"/>\
         <text class=\"tick\" x=\"{bound:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{LOW_AGREEMENT}\
         </text>",
        TOP - 4.0,
        TOP + ROW * rows as f64,
        TOP - 7.0
    );
    chart("agreement", "Krippendorff's α per criterion", rows, &axis, &marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn scales_clamp_and_ticks_are_round() {
        let s = Scale { lo: 1.0, hi: 5.0 };
        assert_eq!(s.x(1.0), PLOT[0]);
        assert_eq!(s.x(9.0), PLOT[1]);
        assert_eq!(nice_step(3.0, 6.0), 0.5);
        assert_eq!(nice_step(13.0, 6.0), 5.0);
        assert_eq!(ticks(-1.0, 1.0, 0.5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(step_decimals(0.5), 1);
        assert_eq!(tick_label(-0.5, 1), "−0.5");
        assert_eq!(tick_label(-0.0, 1), "0.0");
    }
}
