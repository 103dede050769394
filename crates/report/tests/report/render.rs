//! The Markdown and HTML reports.

use screening_core::report::events::EventLog;
use screening_core::report::{Report, ReportOptions, build_report};
use screening_report::{Meta, html, markdown};

/// Events of session "s"; `prefer` ranks without ties.
struct Events(EventLog);

impl Events {
    fn new() -> Events {
        Events(EventLog::new("s"))
    }

    fn rate(
        &mut self,
        persona: &str,
        reviewer: &str,
        candidate: &str,
        criterion: &str,
        value: i64,
    ) {
        self.0.rate(persona, reviewer, candidate, criterion, value);
    }

    fn prefer(&mut self, persona: &str, reviewer: &str, shown: &[&str], ranking: &[&str]) {
        let tiers: Vec<[&str; 1]> = ranking.iter().map(|c| [*c]).collect();
        let tiers: Vec<&[&str]> = tiers.iter().map(|t| t.as_slice()).collect();
        self.0.prefer(persona, reviewer, shown, &tiers);
    }

    fn flag(&mut self, persona: &str, reviewer: &str, candidate: &str, item: &str, flag: &str) {
        self.0.flag(persona, reviewer, candidate, item, flag);
    }
}

const REVIEWERS: [&str; 3] = ["ann", "bob", "cat"];

/// Three candidates rated by three reviewers over four personas: `inc` averages 3.5, `chal`
/// 4.25 and `other` 2 on every criterion; `chal` wins most preferences; a few flags.
fn session(inc: &str, chal: &str, other: &str, criteria: &[&str]) -> Report {
    let mut ev = Events::new();
    for p in 0..4i64 {
        let persona = format!("p{p}");
        for (r, reviewer) in (0i64..).zip(REVIEWERS) {
            for criterion in criteria {
                ev.rate(&persona, reviewer, inc, criterion, 3 + p % 2);
                ev.rate(&persona, reviewer, chal, criterion, if p == 0 { 5 } else { 4 });
                ev.rate(&persona, reviewer, other, criterion, 2);
            }
            // Shown order rotates so left and right win about equally often.
            let mut shown = [inc, chal, other];
            shown.rotate_left(((p + r) % 3) as usize);
            if p % 2 == 1 {
                shown.reverse();
            }
            let ranking = if p == 3 && r == 0 { [inc, chal, other] } else { [chal, inc, other] };
            ev.prefer(&persona, reviewer, &shown, &ranking);
        }
    }
    ev.flag("p0", "ann", other, "i9", "stale");
    ev.flag("p1", "bob", inc, "i4", "already_seen");
    ev.flag("p1", "cat", inc, "i4", "wrong_for_persona");
    ev.flag("p2", "ann", chal, "i7", "great_pick");
    build_report(&ev.0.events, &options(inc, chal, other))
}

fn options(inc: &str, chal: &str, other: &str) -> ReportOptions {
    ReportOptions {
        rounds: 60,
        seed: 3,
        candidates: vec![inc.into(), chal.into(), other.into()],
        incumbent: Some(inc.into()),
        challenger: Some(chal.into()),
        ..ReportOptions::default()
    }
}

fn meta() -> Meta {
    Meta {
        title: "Autumn review".into(),
        dataset: Some("demo".into()),
        generated_at_ms: 1_700_000_000_000,
        source: "screening.db".into(),
    }
}

/// The cells of a Markdown table row, split at pipes that are not escaped.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let (mut cells, mut cell, mut escaped) = (Vec::new(), String::new(), false);
    for c in inner.chars() {
        match c {
            '|' if !escaped => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    cells
}

/// The row of the table whose first cell is `first`.
fn row<'a>(md: &'a str, first: &str) -> Vec<&'a str> {
    md.lines()
        .filter(|l| l.starts_with('|') && cells(l).first().map(String::as_str) == Some(first))
        .collect()
}

/// Checks that every element is closed in order (void elements and `/>` excepted), skipping the
/// style sheet: the parse a strict reader would do. Returns the tags opened.
fn check_well_formed(html: &str) -> usize {
    const VOID: [&str; 3] = ["meta", "br", "link"];
    let (mut stack, mut opened, mut rest) = (Vec::<String>::new(), 0, html);
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("an unclosed <");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String =
            tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        assert!(!name.is_empty(), "a bare < in {tag:?}");
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{closing}> closes nothing"));
            assert_eq!(open, name, "<{open}> closed by </{name}>");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            opened += 1;
            if name == "style" {
                rest = &rest[rest.find("</style>").expect("style closed")..];
            }
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    opened
}

#[test]
fn markdown_has_the_gate_and_a_row_per_candidate() {
    let report = session("inc", "chal", "other", &["overall", "relevance"]);
    let md = markdown(&report, &meta());
    assert!(md.starts_with("# Autumn review\n"), "{md}");
    assert!(md.contains("3 reviewers · 4 personas · "), "{md}");
    assert!(md.contains("dataset demo · 2023-11-14 22:13 UTC"), "{md}");
    // The gate comes first, with a row per check.
    assert!(report.gate.passed, "{:?}", report.gate);
    let gate = md.find("## Gate: PASSED\n").expect("gate");
    assert!(gate < md.find("## Ratings").expect("ratings"));
    assert!(md.contains("| Check | Value | Threshold | Result |\n| --- | ---: | ---: | --- |"));
    assert_eq!(row(&md, "Reviewers"), ["| Reviewers | 3 | ≥ 3 | ✅ pass |"]);
    assert_eq!(report.gate.checks.len(), 5);
    for check in &report.gate.checks {
        assert_eq!(row(&md, &check.label).len(), 1, "{}: {md}", check.label);
    }
    // A row per candidate and criterion, means with two decimals and the CI and n after them.
    for (name, mean) in [("**inc** (incumbent)", "3.50"), ("**chal** (challenger)", "4.25")] {
        let rows = row(&md, name);
        // Ratings on two criteria, plus the strengths and matrix tables.
        assert_eq!(rows.len(), 4, "{name}: {md}");
        assert_eq!(cells(rows[0])[1], mean, "{name}: {}", rows[0]);
        assert_eq!(cells(rows[0])[3], "12", "{name}: {}", rows[0]);
    }
    let ci = report.criteria.get("overall").and_then(|c| c.candidates.get("other")).expect("c");
    assert_eq!(
        cells(row(&md, "other")[0]),
        ["other", "2.00", &screening_report::interval(ci.ci, 2), "12"]
    );
}

#[test]
fn markdown_reports_strengths_bias_and_flags() {
    let report = session("inc", "chal", "other", &["overall"]);
    let md = markdown(&report, &meta());
    // P(beats incumbent) = 1 / (1 + e^(incumbent − candidate)), "–" for the incumbent itself.
    let bt = &report.preferences.bradley_terry;
    let (inc, chal) =
        (bt.get("inc").expect("inc").strength, bt.get("chal").expect("chal").strength);
    let strengths =
        md.lines().skip_while(|l| !l.starts_with("| Candidate | Strength")).collect::<Vec<_>>();
    let chal_row = strengths.iter().find(|l| l.starts_with("| **chal**")).expect("chal");
    assert_eq!(cells(chal_row)[3], format!("{:.2}", 1.0 / (1.0 + (inc - chal).exp())));
    let inc_row = strengths.iter().find(|l| l.starts_with("| **inc**")).expect("inc");
    assert_eq!(cells(inc_row)[3], "–");
    let w = report.preferences.challenger_vs_incumbent.as_ref().expect("cvi");
    assert!(md.contains(&format!("P(chal beats inc) = {:.2} (95% CI ", w.p)), "{md}");
    // The matrix: the challenger's record against the incumbent.
    let m = report.preferences.matrix.get("chal").and_then(|r| r.get("inc")).expect("m");
    assert!(
        row(&md, "**chal** (challenger)")
            .iter()
            .any(|r| cells(r)[1] == format!("{}–{}–{}", m.wins, m.ties, m.losses))
    );
    // Left and right win about equally often here.
    assert!(report.position_bias.p_value.expect("p") >= 0.05, "{:?}", report.position_bias);
    assert!(md.contains(": no sign of position bias."), "{md}");
    // Flags, most problems first.
    let flags = md.split("## Flags").nth(1).expect("flags");
    let (i4, i9, i7) = (flags.find("| i4 |"), flags.find("| i9 |"), flags.find("| i7 |"));
    assert!(i4 < i9 && i9 < i7 && i4.is_some(), "{flags}");
    assert!(
        flags
            .contains("| i4 | **inc** (incumbent) | already seen × 1, wrong for persona × 1 | 2 |"),
        "{flags}"
    );
    assert!(!md.contains("No flags."));
}

#[test]
fn markdown_names_a_position_bias() {
    let mut ev = Events::new();
    for p in 0..12 {
        ev.prefer(&format!("p{p}"), "ann", &["x", "y"], &["x", "y"]);
    }
    let report =
        build_report(&ev.0.events, &ReportOptions { rounds: 10, ..ReportOptions::default() });
    let md = markdown(&report, &meta());
    assert!(md.contains("won 100% of 12 decided pairs (12 of them), p < 0.001"), "{md}");
    assert!(md.contains(": reviewers favour the left list."), "{md}");
    assert!(html(&report, &meta()).contains("reviewers favour the left list"));
}

#[test]
fn markdown_escapes_user_text_in_tables() {
    let report = session("a|b", "chal", "x\\|y", &["over|all", "taste\nfit"]);
    let md = markdown(&report, &meta());
    assert!(!md.contains("a|b") && md.contains("a\\|b"), "{md}");
    assert!(md.contains("### over\\|all\n") && md.contains("### taste<br>fit\n"), "{md}");
    // Every row of a table has as many cells as its header.
    let mut width = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let n = cells(line).len();
        assert_eq!(*width.get_or_insert(n), n, "{line}\n{md}");
    }
    let rows = row(&md, "**a\\|b** (incumbent)");
    assert_eq!(cells(rows[0])[1], "3.50", "{md}");
    assert_eq!(row(&md, "x\\\\\\|y").len(), 4, "{md}");
}

#[test]
fn html_has_every_chart_and_no_external_resources() {
    let report = session("inc", "chal", "other", &["overall", "relevance", "diversity"]);
    let out = html(&report, &meta());
    assert!(out.starts_with("<!DOCTYPE html>"));
    let count = |s: &str| out.matches(s).count();
    assert_eq!(count("data-chart=\"means\""), 3);
    assert_eq!(count("data-chart=\"strengths\""), 1);
    assert_eq!(count("data-chart=\"agreement\""), 1);
    assert_eq!(count("<svg"), 5);
    assert_eq!(count("role=\"img\""), 5);
    assert_eq!(count("aria-label=\""), 5);
    assert_eq!(count("</svg>"), 5);
    let lower = out.to_lowercase();
    for banned in ["http://", "https://", "src=", "<script", "url(", "@import", "<link", "href="] {
        assert!(!lower.contains(banned), "{banned}");
    }
    // Each chart has its own title, and tags nest properly.
    for svg in out.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").expect("closed")];
        assert!(svg.contains("<title>"), "{svg}");
        assert!(!svg.contains("<svg"), "nested: {svg}");
    }
    assert!(check_well_formed(&out) > 100);
    // Gate banner and tables; the challenger's rows stand out.
    assert!(report.gate.passed, "{:?}", report.gate);
    assert!(out.contains("<div class=\"banner pass\">PASSED</div>"));
    for table in ["gate", "means", "strengths", "matrix", "position", "flags"] {
        assert!(out.contains(&format!("<table class=\"{table}\">")), "{table}");
    }
    let empty = html(&build_report(&[], &ReportOptions::default()), &meta());
    assert!(empty.contains("<div class=\"banner fail\">FAILED</div>"));
    assert!(out.contains("<tr class=\"chal\"><td>chal<span class=\"tag chal\">challenger"));
    assert!(out.contains("<circle class=\"chal\""));
    assert!(out.contains("<circle class=\"inc\""));
    assert!(out.contains("2023-11-14 22:13 UTC"));
    // Deterministic.
    assert_eq!(html(&report, &meta()), out);
}

#[test]
fn html_escapes_user_text_everywhere() {
    let evil = "<script>alert(1)</script>";
    let report = session(evil, "chal\"'&", "o", &[evil]);
    let meta =
        Meta { title: evil.into(), source: evil.into(), dataset: Some(evil.into()), ..meta() };
    let out = html(&report, &meta);
    assert!(!out.to_lowercase().contains("<script"), "{out}");
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    // Title, summary, footer, criterion heading, chart titles, labels, tables, flags.
    assert!(out.matches(escaped).count() > 15, "{}", out.matches(escaped).count());
    assert!(out.contains("chal&quot;&#39;&amp;"));
    assert!(!out.contains("chal\"'&"));
    check_well_formed(&out);
    // In Markdown the angle brackets are escaped too.
    let md = markdown(&report, &meta);
    assert!(!md.contains("<script>") && md.contains("\\<script\\>"), "{md}");
}

#[test]
fn empty_reports_say_there_is_nothing_yet() {
    let report = build_report(&[], &ReportOptions::default());
    let md = markdown(&report, &meta());
    for text in [
        "Nothing to report yet",
        "## Gate: FAILED",
        "No ratings yet.",
        "No preferences yet.",
        "No decided pairs yet",
        "No flags.",
    ] {
        assert!(md.contains(text), "{text}: {md}");
    }
    let out = html(&report, &meta());
    for text in
        ["Nothing to report yet", "FAILED", "No ratings yet.", "No preferences yet.", "No flags."]
    {
        assert!(out.contains(text), "{text}: {out}");
    }
    assert!(!out.contains("<svg"));
    check_well_formed(&out);
}

#[test]
fn missing_intervals_and_undefined_agreement_still_render() {
    // One reviewer and no bootstrap rounds: α is undefined and every interval is missing.
    let mut ev = Events::new();
    for p in 0..3 {
        ev.rate(&format!("p{p}"), "ann", "a", "overall", 4);
        ev.prefer(&format!("p{p}"), "ann", &["a", "b"], &["a", "b"]);
    }
    let report =
        build_report(&ev.0.events, &ReportOptions { rounds: 0, ..ReportOptions::default() });
    assert!(report.criteria.get("overall").is_some_and(|c| c.alpha.is_none()));
    let md = markdown(&report, &meta());
    assert_eq!(cells(row(&md, "a")[0]), ["a", "4.00", "–", "3"], "{md}");
    assert!(md.contains("Krippendorff's α undefined"), "{md}");
    let out = html(&report, &meta());
    assert!(out.contains("<text class=\"value\" x=\"664\" y=\"38.0\">undefined</text>"), "{out}");
    assert!(!out.contains("<rect class=\"bar"), "{out}");
    assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
    assert_eq!(out.matches("<svg").count(), 3);
    check_well_formed(&out);
}

#[test]
fn low_agreement_is_flagged_and_negative_alpha_clamps_at_zero() {
    // Two reviewers who always disagree: α is negative.
    let mut ev = Events::new();
    for p in 0..6 {
        let persona = format!("p{p}");
        let (a, b) = if p % 2 == 0 { (1, 5) } else { (5, 1) };
        ev.rate(&persona, "ann", "x", "overall", a);
        ev.rate(&persona, "bob", "x", "overall", b);
        ev.rate(&persona, "ann", "x", "taste", 4);
        ev.rate(&persona, "bob", "x", "taste", 4 + p % 2);
    }
    let report =
        build_report(&ev.0.events, &ReportOptions { rounds: 20, ..ReportOptions::default() });
    let overall = report.criteria.get("overall").expect("overall");
    let alpha = overall.alpha.expect("alpha");
    assert!(alpha < 0.0 && overall.low_agreement, "{alpha}");
    let md = markdown(&report, &meta());
    assert!(
        md.contains(&format!("α = {alpha:.3} over 12 pairable ratings. **Low agreement.**")),
        "{md}"
    );
    let out = html(&report, &meta());
    let chart = out.split("data-chart=\"agreement\"").nth(1).expect("chart");
    let chart = &chart[..chart.find("</svg>").expect("end")];
    // The bar is empty but the number is printed; the bound is dashed.
    assert!(
        chart.contains("<rect class=\"bar warn\" x=\"200\" y=\"25.6\" width=\"0.0\""),
        "{chart}"
    );
    assert!(chart.contains(&format!(">{alpha:.3} low</text>")), "{chart}");
    assert!(chart.contains("<line class=\"ref\""), "{chart}");
}
