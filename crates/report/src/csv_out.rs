//! CSV exports: RFC 4180 (CRLF line ends, fields quoted when they must be) and safe to open in a
//! spreadsheet: a text cell that a spreadsheet would run as a formula is neutralised as OWASP
//! recommends (a leading `'`), while numbers stay numbers.

use screening_core::report::{JudgementEvent, Report};

use crate::number;

/// The characters that make a spreadsheet read a cell as a formula (or, for tab, CR and NUL,
/// that let one hide behind them): OWASP "CSV Injection".
const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// A text cell made safe: prefixed with `'` when it starts with a trigger character.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(TRIGGERS) { format!("'{text}") } else { text.to_owned() }
}

/// One CSV field.
enum Cell {
    Text(String),
    Number(String),
    Empty,
}

fn text(s: impl AsRef<str>) -> Cell {
    Cell::Text(s.as_ref().to_owned())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, text)
}

fn num(x: impl ToString) -> Cell {
    Cell::Number(x.to_string())
}

fn opt_num(x: Option<f64>) -> Cell {
    x.filter(|v| v.is_finite()).map_or(Cell::Empty, num)
}

/// Writes rows as CSV: text cells neutralised and always quoted (so a spreadsheet keeps them as
/// text), numbers bare.
fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut out, header.iter().map(|h| quote(h)).collect());
    for row in rows {
        line(
            &mut out,
            row.into_iter()
                .map(|c| match c {
                    Cell::Text(t) => quote(&safe_cell(&t)),
                    Cell::Number(n) => n,
                    Cell::Empty => String::new(),
                })
                .collect(),
        );
    }
    out
}

/// A list as JSON text in one cell.
fn json_cell<T: serde::Serialize>(v: Option<&T>) -> Cell {
    v.map_or(Cell::Empty, |v| text(serde_json::to_string(v).unwrap_or_default()))
}

/// RFC 4180 quoting: the field in double quotes, inner quotes doubled.
fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// The raw judgements, one row per event, in the columns of the JSON Lines format (`shown` and
/// `ranking` as JSON text).
pub fn judgements_csv(events: &[JudgementEvent]) -> String {
    const HEADER: [&str; 18] = [
        "op_id",
        "session_id",
        "persona_id",
        "snapshot_id",
        "candidate",
        "reviewer",
        "kind",
        "criterion",
        "value",
        "shown",
        "ranking",
        "all_bad",
        "item_id",
        "flag",
        "on",
        "text",
        "supersedes",
        "created_at",
    ];
    write(
        &HEADER,
        events.iter().map(|e| {
            vec![
                text(&e.op_id),
                text(&e.session_id),
                text(&e.persona_id),
                opt_text(e.snapshot_id.as_deref()),
                opt_text(e.candidate.as_deref()),
                text(&e.reviewer),
                text(e.kind.as_str()),
                opt_text(e.criterion.as_deref()),
                e.value.map_or(Cell::Empty, num),
                json_cell(e.shown.as_ref()),
                json_cell(e.ranking.as_ref()),
                if e.all_bad { text("true") } else { Cell::Empty },
                opt_text(e.item_id.as_deref()),
                opt_text(e.flag.as_deref()),
                e.on.map_or(Cell::Empty, |on| text(on.to_string())),
                opt_text(e.text.as_deref()),
                opt_text(e.supersedes.as_deref()),
                num(e.created_at),
            ]
        }),
    )
}

/// The report's numbers as one table: a row per criterion × candidate (mean, n, interval, α),
/// per Bradley–Terry strength, the challenger's win probability, position bias and each gate
/// check. Columns: `section, name, candidate, value, ci_low, ci_high, n, note`.
pub fn summary_csv(report: &Report) -> String {
    const HEADER: [&str; 8] =
        ["section", "name", "candidate", "value", "ci_low", "ci_high", "n", "note"];
    let lo = |ci: Option<[f64; 2]>| opt_num(ci.map(|c| c[0]));
    let hi = |ci: Option<[f64; 2]>| opt_num(ci.map(|c| c[1]));
    let mut rows = Vec::new();
    for (criterion, c) in report.criteria.iter() {
        for (candidate, m) in c.candidates.iter() {
            rows.push(vec![
                text("mean"),
                text(criterion),
                text(candidate),
                num(m.mean),
                lo(m.ci),
                hi(m.ci),
                num(m.n),
                Cell::Empty,
            ]);
        }
        rows.push(vec![
            text("agreement"),
            text(criterion),
            Cell::Empty,
            opt_num(c.alpha),
            Cell::Empty,
            Cell::Empty,
            num(c.pairable),
            text(if c.low_agreement { "low agreement" } else { "" }),
        ]);
    }
    for (candidate, s) in report.preferences.bradley_terry.iter() {
        rows.push(vec![
            text("bradley_terry"),
            text("strength"),
            text(candidate),
            num(s.strength),
            lo(s.ci),
            hi(s.ci),
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    if let Some(w) = &report.preferences.challenger_vs_incumbent {
        rows.push(vec![
            text("preference"),
            text(format!("P({} beats {})", w.challenger, w.incumbent)),
            text(&w.challenger),
            num(w.p),
            lo(w.ci),
            hi(w.ci),
            num(report.preferences.pairs),
            Cell::Empty,
        ]);
    }
    let pb = &report.position_bias;
    rows.push(vec![
        text("position_bias"),
        text("left_share"),
        Cell::Empty,
        opt_num(pb.left_share),
        Cell::Empty,
        Cell::Empty,
        num(pb.decided),
        text(format!("p = {}", number(pb.p_value, 4))),
    ]);
    for c in &report.gate.checks {
        rows.push(vec![
            text("gate"),
            text(&c.name),
            Cell::Empty,
            opt_num(c.value),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            text(format!(
                "{} {} {}: {}{}",
                c.label,
                c.op,
                c.threshold,
                if c.passed { "pass" } else { "fail" },
                c.note.as_ref().map_or(String::new(), |n| format!(" ({n})"))
            )),
        ]);
    }
    write(&HEADER, rows)
}
