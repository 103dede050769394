//! The report as Markdown (GitHub-flavoured tables), to paste into a wiki. Also the wording and
//! number formats the HTML report shares.

use std::fmt::Write;

use screening_core::report::{FlagRow, GateCheck, PositionBias, Record, Report};

use crate::{Meta, interval, number};

/// Below this p-value the position bias is reported as real.
const BIAS_P: f64 = 0.05;

/// The report as Markdown tables.
pub fn markdown(report: &Report, meta: &Meta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", md(&meta.title), md(&summary(report, meta)));
    if report.judgements == 0 {
        out.push_str("Nothing to report yet: no judgements.\n\n");
    }
    out.push_str(&gate(report));
    out.push_str(&ratings(report));
    out.push_str(&preferences(report));
    out.push_str(&position_bias(&report.position_bias));
    out.push_str(&flags(report));
    let _ = writeln!(
        out,
        "---\n\n_Source: {}. {} bootstrap rounds, seed {}._",
        md(&meta.source),
        report.rounds,
        report.seed
    );
    out
}

/// Text made safe inside a GFM table cell or a line: Markdown punctuation backslash-escaped (so
/// `|` cannot end a cell and `<` cannot open HTML), line breaks as `<br>`.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    out
}

/// One table: a header row, its alignment row (`r` right-aligns a column) and the rows, whose
/// cells are already escaped.
fn table(header: &[&str], align: &str, rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|", header.join(" | "));
    for (i, _) in header.iter().enumerate() {
        out.push_str(if align.as_bytes().get(i) == Some(&b'r') { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
    out
}

fn gate(report: &Report) -> String {
    let verdict = if report.gate.passed { "PASSED" } else { "FAILED" };
    let rows: Vec<Vec<String>> = report
        .gate
        .checks
        .iter()
        .map(|c| {
            let result = if c.passed { "✅ pass" } else { "❌ fail" };
            let note = c.note.as_ref().map_or(String::new(), |n| format!(" ({})", md(n)));
            vec![
                md(&c.label),
                check_value(c, c.value),
                format!("{} {}", op_symbol(&c.op), check_value(c, Some(c.threshold))),
                format!("{result}{note}"),
            ]
        })
        .collect();
    format!(
        "## Gate: {verdict}\n\n{}",
        table(&["Check", "Value", "Threshold", "Result"], "_rr", &rows)
    )
}

fn ratings(report: &Report) -> String {
    let mut out = String::from("## Ratings\n\n");
    if report.criteria.is_empty() {
        out.push_str("No ratings yet.\n\n");
    }
    for (criterion, c) in report.criteria.iter() {
        let low = if c.low_agreement { " **Low agreement.**" } else { "" };
        let _ = writeln!(out, "### {}\n\n{}{low}\n", md(criterion), agreement(c.alpha, c.pairable));
        let rows: Vec<Vec<String>> = c
            .candidates
            .iter()
            .map(|(name, m)| {
                vec![
                    candidate(report, name),
                    number(Some(m.mean), 2),
                    interval(m.ci, 2),
                    m.n.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(&["Candidate", "Mean", "95% CI", "n"], "_rrr", &rows));
    }
    out
}

/// Krippendorff's α in words.
pub(crate) fn agreement(alpha: Option<f64>, pairable: u32) -> String {
    match alpha {
        None => format!(
            "Krippendorff's α undefined ({pairable} pairable ratings: too few lists rated by two \
             reviewers, or every rating equal)."
        ),
        Some(a) => {
            format!("Krippendorff's α = {} over {pairable} pairable ratings.", number(Some(a), 3))
        }
    }
}

/// A candidate's name, bold with its role when it is the challenger or the incumbent.
fn candidate(report: &Report, name: &str) -> String {
    match role(report, name) {
        Some(r) => format!("**{}** ({r})", md(name)),
        None => md(name),
    }
}

/// `challenger`, `incumbent` or nothing.
pub(crate) fn role(report: &Report, name: &str) -> Option<&'static str> {
    if report.challenger.as_deref() == Some(name) {
        Some("challenger")
    } else if report.incumbent.as_deref() == Some(name) {
        Some("incumbent")
    } else {
        None
    }
}

fn preferences(report: &Report) -> String {
    let p = &report.preferences;
    let mut out = String::from("## Preferences\n\n");
    if p.count == 0 {
        out.push_str("No preferences yet.\n\n");
        return out;
    }
    let _ = writeln!(out, "{}\n", preference_counts(report));
    if !p.bradley_terry.is_empty() {
        out.push_str(&strengths(report));
    }
    if let Some(line) = challenger_line(report) {
        let _ = writeln!(out, "{}\n", md(&line));
    }
    if !p.matrix.is_empty() {
        out.push_str(&matrix(report));
    }
    out
}

/// How many preferences, pairs and all-bad verdicts there are, and whether strengths were
/// regularised.
pub(crate) fn preference_counts(report: &Report) -> String {
    let p = &report.preferences;
    let mut s = format!("{} preferences ({} pairs).", p.count, p.pairs);
    if p.all_bad > 0 {
        let _ = write!(s, " Reviewers found every list bad {} times.", p.all_bad);
    }
    if p.regularized {
        s.push_str(
            " Strengths are regularised (some candidate won or lost every comparison), so they \
             are shrunk towards 0.",
        );
    }
    s
}

fn strengths(report: &Report) -> String {
    let bt = &report.preferences.bradley_terry;
    let inc = incumbent_strength(report);
    let mut header = vec!["Candidate", "Strength", "95% CI"];
    if inc.is_some() {
        header.push("P(beats incumbent)");
    }
    let rows: Vec<Vec<String>> = bt
        .iter()
        .map(|(name, s)| {
            let mut row =
                vec![candidate(report, name), signed(s.strength, 2), signed_interval(s.ci, 2)];
            if let Some(i) = inc {
                let is_inc = report.incumbent.as_deref() == Some(name);
                row.push(if is_inc { "–".into() } else { number(Some(beats(s.strength, i)), 2) });
            }
            row
        })
        .collect();
    format!(
        "### Bradley–Terry strengths\n\nLog scale, centred on 0: a difference of 1 means odds of \
         about 2.7 to 1.\n\n{}",
        table(&header, "_rrr", &rows)
    )
}

/// The incumbent's Bradley–Terry strength, when it was compared.
pub(crate) fn incumbent_strength(report: &Report) -> Option<f64> {
    let inc = report.incumbent.as_deref()?;
    report.preferences.bradley_terry.get(inc).map(|s| s.strength).filter(|s| s.is_finite())
}

/// P(a candidate of strength `s` beats the incumbent of strength `inc`).
pub(crate) fn beats(s: f64, inc: f64) -> f64 {
    1.0 / (1.0 + (inc - s).exp())
}

/// A strength with its sign: `+0.42`, `−0.17`.
pub(crate) fn signed(x: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", x.abs());
    let zero = s.bytes().all(|b| b == b'0' || b == b'.');
    if zero {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// An interval of signed numbers: `−0.42 to +0.17` (an en dash would read as a minus).
pub(crate) fn signed_interval(ci: Option<[f64; 2]>, decimals: usize) -> String {
    ci.map_or_else(
        || "–".to_owned(),
        |[lo, hi]| format!("{} to {}", signed(lo, decimals), signed(hi, decimals)),
    )
}

/// A p-value for people: `0.412`, `< 0.001`, or `–`.
pub(crate) fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "< 0.001".into(),
        p => number(p, 3),
    }
}

/// The challenger against the incumbent, in words (plain text); `None` without either.
pub(crate) fn challenger_line(report: &Report) -> Option<String> {
    let (chal, inc) = (report.challenger.as_deref()?, report.incumbent.as_deref()?);
    Some(match &report.preferences.challenger_vs_incumbent {
        Some(w) => format!(
            "P({} beats {}) = {} (95% CI {}).",
            w.challenger,
            w.incumbent,
            number(Some(w.p), 2),
            interval(w.ci, 2)
        ),
        None => format!("No preference compares {chal} with {inc} yet."),
    })
}

fn matrix(report: &Report) -> String {
    let m = &report.preferences.matrix;
    let names: Vec<&str> = m.iter().map(|(n, _)| n).collect();
    let header_cells: Vec<String> = names.iter().map(|n| md(n)).collect();
    let mut header: Vec<&str> = vec!["vs"];
    header.extend(header_cells.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = m
        .iter()
        .map(|(a, row)| {
            let mut cells = vec![candidate(report, a)];
            cells.extend(names.iter().map(|b| row.get(b).map_or("–".into(), record)));
            cells
        })
        .collect();
    format!(
        "### Wins, ties and losses\n\nEach cell is the row's record against the column \
         (wins–ties–losses).\n\n{}",
        table(&header, &"_".repeat(names.len() + 1), &rows)
    )
}

/// `wins–ties–losses`.
pub(crate) fn record(r: &Record) -> String {
    format!("{}–{}–{}", r.wins, r.ties, r.losses)
}

fn position_bias(pb: &PositionBias) -> String {
    format!("## Position bias\n\n{}\n\n", position_line(pb))
}

/// Position bias in words.
pub(crate) fn position_line(pb: &PositionBias) -> String {
    match pb.left_share {
        None => "No decided pairs yet (ties only, or no preferences).".into(),
        Some(share) => format!(
            "The list shown further left won {:.0}% of {} decided pairs ({} of them), p {}: {}.",
            share * 100.0,
            pb.decided,
            pb.left_wins,
            match p_value(pb.p_value) {
                p if p.starts_with('<') => p,
                p => format!("= {p}"),
            },
            position_reading(pb)
        ),
    }
}

/// What the position-bias test says.
pub(crate) fn position_reading(pb: &PositionBias) -> &'static str {
    match (pb.left_share, pb.p_value) {
        (Some(share), Some(p)) if p < BIAS_P => {
            if share >= 0.5 {
                "reviewers favour the left list"
            } else {
                "reviewers favour the right list"
            }
        }
        (Some(_), _) => "no sign of position bias",
        (None, _) => "not enough decided pairs",
    }
}

fn flags(report: &Report) -> String {
    let rows = &report.flags;
    let mut out = String::from("## Flags\n\n");
    if rows.is_empty() {
        out.push_str("No flags.\n\n");
        return out;
    }
    let titled = rows.iter().any(|r| r.title.is_some());
    let mut header = vec!["Item"];
    if titled {
        header.push("Title");
    }
    header.extend(["Candidate", "Flags", "Problems"]);
    let body: Vec<Vec<String>> = most_flagged(rows)
        .into_iter()
        .map(|r| {
            let mut row = vec![md(&r.item_id)];
            if titled {
                row.push(r.title.as_deref().map_or("–".into(), md));
            }
            let counts: Vec<String> =
                r.counts.iter().map(|(f, n)| format!("{} × {n}", md(&flag_name(f)))).collect();
            row.extend([
                candidate(report, &r.candidate),
                counts.join(", "),
                r.problems.to_string(),
            ]);
            row
        })
        .collect();
    let align = if titled { "___r" } else { "__r" };
    out.push_str(&table(&header, &format!("_{align}"), &body));
    out
}

/// A flag id in words: `wrong_for_persona` as `wrong for persona`.
pub(crate) fn flag_name(flag: &str) -> String {
    flag.replace('_', " ")
}

/// Flag rows with the most problems first (stable: ties keep the report's order).
pub(crate) fn most_flagged(rows: &[FlagRow]) -> Vec<&FlagRow> {
    let mut sorted: Vec<&FlagRow> = rows.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.problems));
    sorted
}

/// The one-line summary under the title.
pub(crate) fn summary(report: &Report, meta: &Meta) -> String {
    let mut s = format!(
        "{} reviewers · {} personas · {} judgements",
        report.reviewers, report.personas, report.judgements
    );
    if let Some(d) = &meta.dataset {
        let _ = write!(s, " · dataset {d}");
    }
    let _ = write!(s, " · {}", utc_minute(meta.generated_at_ms));
    s
}

/// A gate check's number: counts whole, probabilities and α with three decimals.
pub(crate) fn check_value(c: &GateCheck, x: Option<f64>) -> String {
    let whole = matches!(c.name.as_str(), "reviewers" | "judgements" | "blocker_flags");
    number(x, if whole { 0 } else { 3 })
}

/// `>=` as `≥`, `<=` as `≤`.
pub(crate) fn op_symbol(op: &str) -> &str {
    match op {
        ">=" => "≥",
        "<=" => "≤",
        other => other,
    }
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM UTC`.
pub(crate) fn utc_minute(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc_minute(1_700_000_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(utc_minute(-1), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn markdown_escapes_cell_breakers() {
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("a\\|b"), "a\\\\\\|b");
        assert_eq!(md("x\r\ny\nz"), "x<br>y<br>z");
        assert_eq!(md("<b>"), "\\<b\\>");
    }

    #[test]
    fn signs_and_win_probabilities() {
        assert_eq!(signed(0.421, 2), "+0.42");
        assert_eq!(signed(-0.171, 2), "−0.17");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert!((beats(0.0, 0.0) - 0.5).abs() < 1e-12);
        assert!((beats(1.0, 0.0) - 1.0 / (1.0 + (-1.0f64).exp())).abs() < 1e-12);
    }
}
