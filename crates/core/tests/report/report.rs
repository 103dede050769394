//! The report over whole sessions of events.

use screening_core::report::events::EventLog;
use screening_core::report::{GateThresholds, ReportOptions, build_report};
use screening_core::splitmix64;

fn log() -> EventLog {
    EventLog::new("s")
}

fn options(rounds: u32) -> ReportOptions {
    ReportOptions {
        rounds,
        seed: 42,
        candidates: vec!["inc".into(), "chal".into()],
        incumbent: Some("inc".into()),
        ..ReportOptions::default()
    }
}

/// A small uniform draw in 0..n from a seeded stream.
fn draw(state: &mut u64, n: u64) -> u64 {
    *state = splitmix64(*state);
    *state % n
}

#[test]
fn means_counts_and_intervals() {
    let mut ev = log();
    for p in 0..8 {
        for (r, bias) in [("ann", 0), ("bob", 1), ("cat", -1)] {
            ev.rate(&format!("p{p}"), r, "chal", "overall", (2 + p % 3 + bias).clamp(1, 5));
        }
    }
    let report = build_report(&ev.events, &options(500));
    let chal = report.criteria.get("overall").and_then(|c| c.candidates.get("chal")).expect("chal");
    // (2+3+4)·… per persona cycle: values 2,3,4 for p%3 = 0,1,2, reviewers ±1 cancel out.
    let want = (0..8).map(|p| f64::from(2 + p % 3)).sum::<f64>() / 8.0;
    assert_eq!(chal.n, 24);
    assert!((chal.mean - want).abs() < 1e-12, "{}", chal.mean);
    let [lo, hi] = chal.ci.expect("ci");
    assert!(lo < want && want < hi && lo >= 1.0 && hi <= 5.0, "{lo} {hi}");
    assert!(report.criteria.get("overall").expect("c").candidates.get("inc").is_none());
    // Same seed, same report; another seed, other intervals.
    assert_eq!(build_report(&ev.events, &options(500)), report);
    let other = build_report(&ev.events, &ReportOptions { seed: 7, ..options(500) });
    assert_ne!(other.criteria, report.criteria);
}

/// Ratings with a strong effect per persona and per reviewer (the clusters). A bootstrap over
/// single votes would treat 400 ratings as independent and give far too narrow intervals; the
/// cluster bootstrap's 95% interval must cover the true mean in about 95% of simulated sessions.
#[test]
fn cluster_bootstrap_intervals_cover_the_true_mean() {
    let (sessions, mut covered, mut naive_covered) = (200, 0, 0);
    let mut state = 9u64;
    for s in 0..sessions {
        let mut ev = log();
        let personas: Vec<i64> = (0..20).map(|_| draw(&mut state, 3) as i64 - 1).collect();
        let reviewers: Vec<i64> = (0..10).map(|_| draw(&mut state, 3) as i64 - 1).collect();
        let mut sum = 0.0;
        for (p, pe) in personas.iter().enumerate() {
            for (r, re) in reviewers.iter().enumerate() {
                // True mean 3; each effect ±1 with equal chance, noise ±1.
                let v = 3 + pe + re + draw(&mut state, 3) as i64 - 1;
                let v = v.clamp(1, 5);
                sum += v as f64;
                ev.rate(&format!("p{p}"), &format!("r{r}"), "chal", "overall", v);
            }
        }
        let report = build_report(&ev.events, &ReportOptions { seed: s, ..options(200) });
        let ci = report
            .criteria
            .get("overall")
            .and_then(|c| c.candidates.get("chal"))
            .and_then(|c| c.ci);
        let [lo, hi] = ci.expect("ci");
        // The population mean (clamping makes it slightly off 3): the expectation of the
        // clamped sum, 3 − P(v < 1)·… ; with effects and noise each in {−1, 0, 1}, v ranges 0..6
        // and clamping is symmetric, so the mean stays 3.
        covered += usize::from(lo <= 3.0 && 3.0 <= hi);
        // What an interval of ±1.96 standard errors over single votes would say.
        let mean = sum / 200.0;
        let var =
            ev.events.iter().map(|e| (e.value.unwrap_or(0) as f64 - mean).powi(2)).sum::<f64>()
                / 199.0;
        let half = 1.96 * (var / 200.0).sqrt();
        naive_covered += usize::from((mean - half..=mean + half).contains(&3.0));
    }
    let coverage = covered as f64 / sessions as f64;
    let naive = naive_covered as f64 / sessions as f64;
    assert!((0.85..=1.0).contains(&coverage), "cluster coverage {coverage}");
    assert!(naive < coverage - 0.2, "naive {naive} vs cluster {coverage}");
}

#[test]
fn preferences_matrix_bradley_terry_and_challenger_probability() {
    let mut ev = log();
    // Over 3 reviewers × 10 personas: chal beats inc 20 times, loses 6, ties 4.
    for i in 0..30 {
        let (p, r) = (format!("p{}", i % 10), format!("r{}", i / 10));
        let ranking: &[&[&str]] = match i % 15 {
            0..10 => &[&["chal"], &["inc"]],
            10..13 => &[&["inc"], &["chal"]],
            _ => &[&["chal", "inc"]],
        };
        ev.prefer(&p, &r, &["inc", "chal"], ranking);
    }
    let report = build_report(&ev.events, &options(1000));
    let m = &report.preferences.matrix;
    let rec = m.get("chal").and_then(|row| row.get("inc")).expect("chal vs inc");
    assert_eq!((rec.wins, rec.ties, rec.losses), (20, 4, 6));
    // Two candidates: the BT probability is the share of wins, ties half each: 22 / 30.
    let cvi = report.preferences.challenger_vs_incumbent.as_ref().expect("cvi");
    assert_eq!((cvi.challenger.as_str(), cvi.incumbent.as_str()), ("chal", "inc"));
    assert!((cvi.p - 22.0 / 30.0).abs() < 1e-9, "{}", cvi.p);
    let [lo, hi] = cvi.ci.expect("ci");
    assert!(lo < cvi.p && cvi.p < hi && hi <= 1.0, "{lo} {hi}");
    let bt = &report.preferences.bradley_terry;
    let (c, i) = (bt.get("chal").expect("c"), bt.get("inc").expect("i"));
    assert!((c.strength + i.strength).abs() < 1e-9 && c.strength > 0.0);
    let [clo, chi] = c.ci.expect("ci");
    assert!(clo < c.strength && c.strength < chi);
    // The incumbent was always shown left: left won 6 of 26 decided pairs.
    let pb = &report.position_bias;
    assert_eq!((pb.left_wins, pb.decided), (6, 26));
    // scipy.stats.binomtest(6, 26).pvalue (scipy 1.17.1)
    assert!((pb.p_value.expect("p") - 0.009_355_306_625_366_211).abs() < 1e-12);
}

#[test]
fn multi_column_rankings_become_pairs() {
    let mut ev = log();
    ev.prefer("p1", "ann", &["a", "b", "c"], &[&["b"], &["a", "c"]]);
    let report = build_report(&ev.events, &ReportOptions::default());
    let m = &report.preferences.matrix;
    let get = |x: &str, y: &str| *m.get(x).and_then(|r| r.get(y)).expect("pair");
    assert_eq!((get("b", "a").wins, get("b", "c").wins, get("a", "c").ties), (1, 1, 1));
    assert_eq!((get("a", "b").losses, get("c", "b").losses), (1, 1));
    assert_eq!(report.preferences.pairs, 3);
    // b never lost and a, c never won outright: the fit is regularised, and still finite.
    assert!(report.preferences.regularized);
    let bt = &report.preferences.bradley_terry;
    assert!(bt.get("b").expect("b").strength > bt.get("a").expect("a").strength);
}

#[test]
fn agreement_per_criterion_flags_low_agreement() {
    let mut ev = log();
    for p in 0..6 {
        let persona = format!("p{p}");
        for r in ["ann", "bob", "cat"] {
            // Everyone agrees on "overall"; "freshness" is noise.
            ev.rate(&persona, r, "chal", "overall", 1 + p % 5);
            let noise = (p * 7 + r.len() as i64 * 3 + r.as_bytes()[0] as i64) % 5 + 1;
            ev.rate(&persona, r, "chal", "freshness", noise);
        }
    }
    let report = build_report(&ev.events, &options(0));
    let overall = report.criteria.get("overall").expect("overall");
    assert_eq!((overall.alpha, overall.pairable, overall.low_agreement), (Some(1.0), 18, false));
    let fresh = report.criteria.get("freshness").expect("freshness");
    assert!(fresh.alpha.expect("alpha") < 0.667 && fresh.low_agreement);
    // Zero rounds: no intervals.
    assert_eq!(overall.candidates.get("chal").expect("c").ci, None);
}

#[test]
fn flags_most_flagged_first() {
    let mut ev = log();
    ev.flag("p1", "ann", "chal", "i1", "great_pick");
    ev.flag("p1", "ann", "chal", "i2", "stale");
    ev.flag("p1", "bob", "chal", "i2", "stale");
    ev.flag("p2", "ann", "inc", "i3", "inappropriate");
    let report = build_report(&ev.events, &options(0));
    let rows: Vec<(&str, &str, u32)> = report
        .flags
        .iter()
        .map(|r| (r.item_id.as_str(), r.candidate.as_str(), r.problems))
        .collect();
    assert_eq!(rows, [("i2", "chal", 2), ("i3", "inc", 1), ("i1", "chal", 0)]);
    assert_eq!(report.flags[0].counts.get("stale"), Some(&2));
}

/// A session that passes every default check, then one change per check that fails it.
#[test]
fn the_gate_checks_each_threshold() {
    let passing = || {
        let mut ev = log();
        for p in 0..10 {
            for r in ["ann", "bob", "cat"] {
                let persona = format!("p{p}");
                ev.rate(&persona, r, "chal", "overall", 4 + p % 2);
                ev.rate(&persona, r, "inc", "overall", 2 + p % 2);
                ev.prefer(&persona, r, &["inc", "chal"], &[&["chal"], &["inc"]]);
            }
        }
        ev.flag("p1", "ann", "inc", "i9", "inappropriate");
        ev
    };
    let ev = passing();
    let report = build_report(&ev.events, &options(200));
    let by = |name: &str| report.gate.checks.iter().find(|c| c.name == name).expect(name).clone();
    assert!(report.gate.passed, "{:#?}", report.gate);
    assert_eq!(by("reviewers").value, Some(3.0));
    assert_eq!(by("judgements").value, Some(91.0));
    assert_eq!(by("blocker_flags").value, Some(0.0));
    assert!(by("win_probability").value.expect("lower") > 0.5);
    assert_eq!(by("agreement").value, Some(1.0));

    let failed = |ev: &EventLog, opts: &ReportOptions| -> Vec<String> {
        let r = build_report(&ev.events, opts);
        r.gate.checks.iter().filter(|c| !c.passed).map(|c| c.name.clone()).collect()
    };
    let mut flagged = passing();
    flagged.flag("p2", "bob", "chal", "i4", "inappropriate");
    assert_eq!(failed(&flagged, &options(200)), ["blocker_flags"]);
    let strict = ReportOptions {
        gate: GateThresholds { min_reviewers: 4, min_judgements: 100, ..GateThresholds::default() },
        ..options(200)
    };
    assert_eq!(failed(&ev, &strict), ["reviewers", "judgements"]);
    let no_incumbent = ReportOptions { incumbent: None, ..options(200) };
    let r = build_report(&ev.events, &no_incumbent);
    let check = r.gate.checks.iter().find(|c| c.name == "win_probability").expect("check");
    assert_eq!(
        (check.passed, check.note.as_deref()),
        (false, Some("the session names no incumbent"))
    );
    let mut split = passing();
    for p in 0..10 {
        split.prefer(&format!("p{p}"), "dan", &["inc", "chal"], &[&["inc"], &["chal"]]);
        split.prefer(&format!("p{p}"), "eve", &["inc", "chal"], &[&["inc"], &["chal"]]);
        split.prefer(&format!("p{p}"), "fay", &["inc", "chal"], &[&["inc"], &["chal"]]);
        split.rate(&format!("p{p}"), "dan", "chal", "overall", 1 + p % 5);
    }
    assert!(failed(&split, &options(200)).contains(&"win_probability".to_owned()));
}

/// The same judgements in another order — the server's arrival order, a device's, reversed,
/// shuffled — give the same report, bit for bit (so the same digest): the statistics meet
/// personas, reviewers and sums in op id order, not in the order the events came.
#[test]
fn the_report_does_not_depend_on_the_order_of_the_events() {
    use screening_core::report::synthetic::{Shape, candidate, session};
    let shape = Shape { personas: 7, reviewers: 4, candidates: 3, criteria: 2 };
    let events = session(shape, 5);
    let options = ReportOptions {
        rounds: 200,
        candidates: (0..3).map(candidate).collect(),
        incumbent: Some(candidate(0)),
        challenger: Some(candidate(1)),
        ..ReportOptions::default()
    };
    let expected = serde_json::to_string(&build_report(&events, &options)).unwrap();
    let mut reversed = events.clone();
    reversed.reverse();
    let mut shuffled = events.clone();
    let mut state = 9;
    for i in (1..shuffled.len()).rev() {
        let j = draw(&mut state, i as u64 + 1) as usize;
        shuffled.swap(i, j);
    }
    for (what, other) in [("reversed", reversed), ("shuffled", shuffled)] {
        let got = serde_json::to_string(&build_report(&other, &options)).unwrap();
        assert!(got == expected, "{what}: the report changed with the order of the events");
    }
}
