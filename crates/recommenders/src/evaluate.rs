//! Offline evaluation as Amazon Personalize does it: hold out users, hide their newest
//! interactions, score the lists against them.

use rayon::prelude::*;

use screening_core::Dataset;

use crate::data::TrainData;
use crate::metrics::{ItemPopularity, MRR_K, Metrics, MetricsAccumulator};
use crate::progress::Progress;

/// Share of each test user's (distinct) items that is hidden as ground truth.
pub const HOLDOUT_FRACTION: f64 = 0.1;

/// How to choose the test users.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitOptions<'a> {
    /// Seeds the choice of test users.
    pub seed: u64,
    /// Share of users drawn as test users, in (0, 1).
    pub test_fraction: f64,
    /// Instead of drawing: the text of a file with one user id per line (`--test-users`).
    pub test_users: Option<&'a str>,
}

impl Default for SplitOptions<'_> {
    fn default() -> Self {
        SplitOptions { seed: 42, test_fraction: 0.1, test_users: None }
    }
}

/// A held-out user: the history a model sees, and what the user watched next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    /// Index into [`Dataset::users`].
    pub user: u32,
    /// Distinct items, oldest first: the history given to the model.
    pub input: Vec<u32>,
    /// The newest 10% (at least one) of the user's distinct items, sorted by index.
    pub truth: Vec<u32>,
}

/// Training data and test users.
#[derive(Debug, Clone)]
pub struct Split {
    /// Every interaction of the users who are not test users.
    pub train: TrainData,
    /// Sorted by user index.
    pub test: Vec<TestUser>,
}

/// Why an evaluation cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("--test-fraction must be between 0 and 1 (exclusive), not {0}")]
    BadFraction(f64),
    #[error("the test set is empty: {0}")]
    EmptyTestSet(&'static str),
    #[error("test users file, line {line}: unknown user {id:?} (not in the interactions)")]
    UnknownTestUser { line: usize, id: String },
    #[error("test users file, line {line}: user {id:?} is listed twice")]
    DuplicateTestUser { line: usize, id: String },
    #[error("--k must list cut-offs greater than 0, such as 5,10,25")]
    BadK,
}

/// Splits `dataset` into training data and test users.
///
/// Each test user's interactions are sorted by (timestamp, file order) and reduced to the first
/// interaction with each item: repeated events (binge episodes, re-watches) count once, when the
/// viewer first found the item. So the ground truth is what the viewer discovered next, which
/// every model can reach even though watched items are left out of lists. The newest 10% of
/// those items (at least one) are the truth, the rest the input. On data without repeats
/// (MovieLens) this is exactly Personalize's split.
pub fn split(dataset: &Dataset, options: &SplitOptions<'_>) -> Result<Split, EvalError> {
    let per_user = crate::data::events_by_user(dataset);
    let mut is_test = vec![false; per_user.len()];
    match options.test_users {
        Some(text) => mark_listed(dataset, text, &per_user, &mut is_test)?,
        None => draw(options, &per_user, &mut is_test)?,
    }
    let mut test = Vec::new();
    let mut train = Vec::with_capacity(per_user.len());
    for (u, mut events) in per_user.into_iter().enumerate() {
        if !is_test[u] {
            train.push(events);
            continue;
        }
        // A stable sort keeps file order among equal timestamps.
        events.sort_by_key(|&(_, t)| t);
        let mut seen = std::collections::HashSet::new();
        let items: Vec<u32> = events.iter().map(|&(i, _)| i).filter(|i| seen.insert(*i)).collect();
        let hidden = ((items.len() as f64 * HOLDOUT_FRACTION) as usize).max(1);
        let (input, truth) = items.split_at(items.len() - hidden);
        let mut truth = truth.to_vec();
        truth.sort_unstable();
        test.push(TestUser { user: u as u32, input: input.to_vec(), truth });
    }
    Ok(Split { train: TrainData::from_users(dataset.items.len(), train), test })
}

fn draw(
    options: &SplitOptions<'_>,
    per_user: &[Vec<(u32, i64)>],
    is_test: &mut [bool],
) -> Result<(), EvalError> {
    let f = options.test_fraction;
    if !(f > 0.0 && f < 1.0) {
        return Err(EvalError::BadFraction(f));
    }
    let mut active: Vec<usize> = (0..per_user.len()).filter(|&u| !per_user[u].is_empty()).collect();
    if active.len() < 2 {
        return Err(EvalError::EmptyTestSet(
            "the dataset needs at least two users with interactions",
        ));
    }
    // Fisher–Yates with SplitMix64: the same seed draws the same users on every machine.
    let mut state = options.seed;
    for i in (1..active.len()).rev() {
        state = screening_core::splitmix64(state);
        let j = (state % (i as u64 + 1)) as usize;
        active.swap(i, j);
    }
    let n = ((active.len() as f64 * f).round() as usize).clamp(1, active.len() - 1);
    for &u in &active[..n] {
        is_test[u] = true;
    }
    Ok(())
}

fn mark_listed(
    dataset: &Dataset,
    text: &str,
    per_user: &[Vec<(u32, i64)>],
    is_test: &mut [bool],
) -> Result<(), EvalError> {
    let mut any = false;
    for (n, line) in text.lines().enumerate() {
        let id = line.trim().trim_start_matches('\u{feff}');
        if id.is_empty() {
            continue;
        }
        let unknown = || EvalError::UnknownTestUser { line: n + 1, id: id.to_owned() };
        let u = dataset.user_idx(id).ok_or_else(unknown)? as usize;
        if per_user[u].is_empty() {
            return Err(unknown());
        }
        if std::mem::replace(&mut is_test[u], true) {
            return Err(EvalError::DuplicateTestUser { line: n + 1, id: id.to_owned() });
        }
        any = true;
    }
    if any { Ok(()) } else { Err(EvalError::EmptyTestSet("the test users file lists no user")) }
}

/// The cut-offs, checked: non-empty and all > 0.
pub fn check_ks(ks: &[usize]) -> Result<(), EvalError> {
    if ks.is_empty() || ks.contains(&0) { Err(EvalError::BadK) } else { Ok(()) }
}

/// How long a list evaluation asks for: the largest cut-off, and at least [`MRR_K`].
pub fn list_length(ks: &[usize]) -> usize {
    ks.iter().copied().max().unwrap_or(0).max(MRR_K)
}

/// Scores the lists `list_for` gives each test user (at least [`list_length`] items are looked
/// at). Users are evaluated in parallel; `progress` counts users.
pub fn evaluate<F>(
    split: &Split,
    ks: &[usize],
    genres: &[Vec<u32>],
    list_for: F,
    progress: &dyn Progress,
) -> Result<Metrics, EvalError>
where
    F: Fn(&TestUser) -> Vec<u32> + Sync,
{
    check_ks(ks)?;
    if split.test.is_empty() {
        return Err(EvalError::EmptyTestSet("no test users"));
    }
    let popularity =
        ItemPopularity::new(split.train.item_counts(), split.train.n_users().max(1) as u32);
    let n_items = split.train.n_items();
    progress.begin("evaluating", split.test.len() as u64);
    let acc = split
        .test
        .par_iter()
        .fold(
            || MetricsAccumulator::new(ks, n_items, &popularity, genres),
            |mut acc, t| {
                acc.add(&list_for(t), &t.truth);
                progress.advance(1);
                acc
            },
        )
        .reduce_with(|mut a, b| {
            a.merge(b);
            a
        });
    progress.end();
    Ok(acc.map_or_else(
        || MetricsAccumulator::new(ks, n_items, &popularity, genres).finish(),
        |a| a.finish(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use screening_core::{ContentType, Interaction, Item};

    fn dataset(users: &[(&str, &[(u32, i64)])], n_items: u32) -> Dataset {
        let items = (0..n_items)
            .map(|i| Item::new(format!("i{i}"), format!("Item {i}"), ContentType::Film))
            .collect();
        let mut ds = Dataset::new(items).unwrap();
        let watch = ds.intern_event_type("watch");
        for (id, events) in users {
            let user = ds.intern_user(id);
            for &(item, timestamp) in *events {
                ds.push(Interaction { user, item, timestamp, event_type: watch, value: None });
            }
        }
        ds
    }

    #[test]
    fn the_newest_tenth_of_distinct_items_is_the_truth() {
        // u1 watches 0..20 in time order, item 3 twice (the repeat is dropped), and item 19 and
        // 18 at the same second, 19 first in the file: the two newest are 19 then 18.
        let mut events: Vec<(u32, i64)> = (0..18).map(|i| (i, i64::from(i) * 10)).collect();
        events.push((3, 500));
        events.push((19, 1000));
        events.push((18, 1000));
        let ds = dataset(&[("u1", &events), ("u2", &[(0, 1), (1, 2)])], 20);
        let split =
            split(&ds, &SplitOptions { test_users: Some("u1\n"), ..Default::default() }).unwrap();
        assert_eq!(split.test.len(), 1);
        let t = &split.test[0];
        assert_eq!(t.truth, vec![18, 19]);
        assert_eq!(t.input, (0..18).collect::<Vec<u32>>());
        // only u2 trains
        assert_eq!(split.train.n_users(), 1);
        assert_eq!(split.train.user_items(0), &[0, 1]);
    }

    #[test]
    fn a_user_with_one_item_keeps_it_as_truth() {
        let ds = dataset(&[("a", &[(0, 1)]), ("b", &[(1, 1)])], 2);
        let split =
            split(&ds, &SplitOptions { test_users: Some("a"), ..Default::default() }).unwrap();
        assert_eq!(split.test[0].input, Vec::<u32>::new());
        assert_eq!(split.test[0].truth, vec![0]);
    }

    #[test]
    fn drawing_is_seeded_and_takes_the_fraction() {
        let users: Vec<(String, Vec<(u32, i64)>)> =
            (0..200).map(|u| (format!("u{u}"), vec![(u % 7, 1), ((u + 1) % 7, 2)])).collect();
        let refs: Vec<(&str, &[(u32, i64)])> =
            users.iter().map(|(id, e)| (id.as_str(), e.as_slice())).collect();
        let ds = dataset(&refs, 7);
        let pick = |seed| {
            let s = split(&ds, &SplitOptions { seed, ..Default::default() }).unwrap();
            s.test.iter().map(|t| t.user).collect::<Vec<u32>>()
        };
        assert_eq!(pick(1).len(), 20);
        assert_eq!(pick(1), pick(1));
        assert_ne!(pick(1), pick(2));
        let s = split(&ds, &SplitOptions::default()).unwrap();
        assert_eq!(s.train.n_users(), 180);
    }

    #[test]
    fn bad_splits_are_refused_with_a_reason() {
        let ds = dataset(&[("a", &[(0, 1)]), ("b", &[(1, 1)])], 2);
        let with = |o: SplitOptions<'static>| split(&ds, &o).unwrap_err().to_string();
        assert_eq!(
            with(SplitOptions { test_fraction: 1.0, ..Default::default() }),
            "--test-fraction must be between 0 and 1 (exclusive), not 1"
        );
        assert_eq!(
            with(SplitOptions { test_users: Some("a\n\nzz\n"), ..Default::default() }),
            "test users file, line 3: unknown user \"zz\" (not in the interactions)"
        );
        assert_eq!(
            with(SplitOptions { test_users: Some("a\na"), ..Default::default() }),
            "test users file, line 2: user \"a\" is listed twice"
        );
        assert!(
            with(SplitOptions { test_users: Some("\n"), ..Default::default() })
                .starts_with("the test set is empty")
        );
        assert_eq!(check_ks(&[5, 0]), Err(EvalError::BadK));
        assert_eq!(check_ks(&[]), Err(EvalError::BadK));
    }

    #[test]
    fn evaluation_scores_the_given_lists() {
        let ds = dataset(&[("a", &[(0, 1), (1, 2)]), ("b", &[(1, 1), (2, 2)])], 3);
        let split =
            split(&ds, &SplitOptions { test_users: Some("a"), ..Default::default() }).unwrap();
        let genres = vec![vec![]; 3];
        let perfect = evaluate(&split, &[1], &genres, |t| t.truth.clone(), &crate::Silent).unwrap();
        assert_eq!(perfect.get("precision@1"), Some(1.0));
        assert_eq!(perfect.get("ndcg@1"), Some(1.0));
        let wrong = evaluate(&split, &[1], &genres, |_| vec![2], &crate::Silent).unwrap();
        assert_eq!(wrong.get("precision@1"), Some(0.0));
        assert_eq!(wrong.get("coverage"), Some(1.0 / 3.0));
        assert!(evaluate(&split, &[0], &genres, |_| vec![], &crate::Silent).is_err());
    }
}
