//! The statistics against values computed once by reference libraries (see
//! `tests/fixtures/stats/README.md` for where each came from).

use screening_core::report::stats::{self, Metric};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/stats/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn krippendorff_alpha_matches_the_krippendorff_package_and_the_2011_paper() {
    let cases = fixture("alpha");
    let cases = cases["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default();
        let metric = match case["level"].as_str() {
            Some("ordinal") => Metric::Ordinal,
            Some("interval") => Metric::Interval,
            _ => Metric::Nominal,
        };
        // Rows are raters, columns units: a unit's values are its column's non-null cells.
        let rows = case["data"].as_array().expect("data");
        let width = rows[0].as_array().expect("row").len();
        let units: Vec<Vec<u8>> = (0..width)
            .map(|u| rows.iter().filter_map(|r| r[u].as_u64().map(|v| v as u8)).collect())
            .collect();
        let got = stats::krippendorff_alpha(&units, metric);
        assert_eq!(got.pairable, case["pairable"].as_u64().expect("pairable"), "{name}");
        match case["alpha"].as_f64() {
            Some(want) => {
                let alpha = got.alpha.unwrap_or_else(|| panic!("{name}: alpha undefined"));
                assert!(close(alpha, want, 1e-12), "{name}: {alpha} vs {want}");
            }
            None => assert_eq!(got.alpha, None, "{name}"),
        }
    }
}

#[test]
fn bradley_terry_matches_scipy_and_choix() {
    let cases = fixture("bradley_terry");
    for case in cases["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().unwrap_or_default();
        let rows = case["wins"].as_array().expect("wins");
        let n = rows.len();
        let wins: Vec<f64> = rows
            .iter()
            .flat_map(|r| r.as_array().expect("row").iter().map(|x| x.as_f64().expect("f64")))
            .collect();
        let fit = stats::bradley_terry(n, &wins);
        assert!(!fit.regularized, "{name}");
        for (i, want) in case["strength"].as_array().expect("strength").iter().enumerate() {
            let got = fit.strength[i].expect("compared");
            let want = want.as_f64().expect("f64");
            assert!((got - want).abs() < 1e-8, "{name}[{i}]: {got} vs {want}");
        }
        let p = fit.win_probability(0, 1).expect("p");
        let want = case["p_first_beats_second"].as_f64().expect("p");
        assert!((p - want).abs() < 1e-9, "{name}: {p} vs {want}");
    }
}

#[test]
fn binomial_test_matches_scipy() {
    let cases = fixture("binomial");
    for case in cases["cases"].as_array().expect("cases") {
        let (k, n) = (case["k"].as_u64().expect("k"), case["n"].as_u64().expect("n"));
        let want = case["p_value"].as_f64().expect("p");
        let got = stats::binomial_two_sided(k, n);
        assert!(
            close(got, want, 1e-9) || (got - want).abs() < 1e-300,
            "k={k} n={n}: {got} vs {want}"
        );
        if want < 1e-3 {
            assert!((got / want - 1.0).abs() < 1e-9, "k={k} n={n}: relative {got} vs {want}");
        }
    }
}

#[test]
fn quantiles_match_numpy_percentile() {
    let cases = fixture("percentile");
    for case in cases["cases"].as_array().expect("cases") {
        let mut x: Vec<f64> =
            case["x"].as_array().expect("x").iter().map(|v| v.as_f64().expect("f64")).collect();
        let want: Vec<f64> = case["values"]
            .as_array()
            .expect("v")
            .iter()
            .map(|v| v.as_f64().expect("f64"))
            .collect();
        let got = stats::interval95(&mut x).expect("values");
        assert!(
            close(got[0], want[0], 1e-12) && close(got[1], want[1], 1e-12),
            "{got:?} vs {want:?}"
        );
    }
}
