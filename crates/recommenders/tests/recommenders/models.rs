//! Every built-in model through the public API, on the demo catalog.

use std::sync::OnceLock;

use screening_core::{Dataset, Persona};
use screening_recommenders::{
    MODEL_NAMES, Model, ModelSpec, Options, Reason, Silent, TrainData, TrainInput, cache_key,
};

struct Demo {
    dataset: Dataset,
    personas: Vec<Persona>,
    models: Vec<Model>,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let (dataset, personas) = screening_catalog::demo::demo_with_personas();
        let data = TrainData::from_dataset(&dataset);
        let input = TrainInput { catalog: &dataset.items, data: &data };
        let models = MODEL_NAMES
            .iter()
            .map(|n| Model::train(&n.parse().unwrap(), &input, &Silent))
            .collect();
        Demo { dataset, personas, models }
    })
}

fn history(p: &Persona) -> Vec<u32> {
    p.history.iter().map(|h| demo().dataset.item_idx(&h.item_id).unwrap()).collect()
}

#[test]
fn every_model_gives_k_distinct_unwatched_items_for_every_persona() {
    let d = demo();
    for p in &d.personas {
        let h = history(p);
        for m in &d.models {
            let list = m.recommend(&h, 20, Options::default());
            assert_eq!(list.len(), 20, "{} for {}", m.spec(), p.id);
            let mut ids: Vec<u32> = list.iter().map(|r| r.item).collect();
            assert!(ids.iter().all(|i| !h.contains(i)), "{} recommends watched items", m.spec());
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 20, "{} repeats items", m.spec());
            assert!(list.windows(2).all(|w| w[0].score >= w[1].score || w[1].score == 0.0));
            // rank() is recommend() without reasons
            let ranked = m.rank(&h, 20, Options::default());
            assert_eq!(ranked, list.iter().map(|r| r.item).collect::<Vec<_>>());
        }
    }
}

#[test]
fn personal_models_follow_the_persona_and_say_why() {
    let d = demo();
    let fan = d.personas.iter().find(|p| p.id == "reality-fan").unwrap();
    let h = history(fan);
    let reality = |i: u32| d.dataset.items[i as usize].content_type.as_str() == "reality";
    for m in d.models.iter().filter(|m| matches!(m.spec().name(), "item-knn" | "ease" | "content"))
    {
        let list = m.recommend(&h, 10, Options::default());
        let share = list.iter().filter(|r| reality(r.item)).count();
        assert!(share >= 6, "{}: only {share} of 10 are reality", m.spec());
        for r in &list {
            match &r.reason {
                Reason::BecauseYouWatched { items } => {
                    assert!(!items.is_empty() && items.iter().all(|i| h.contains(i)), "{r:?}")
                }
                Reason::SimilarContent { item, .. } => assert!(h.contains(item), "{r:?}"),
                other => panic!("{}: unexpected reason {other:?}", m.spec()),
            }
        }
    }
    let popular = d.models.iter().find(|m| m.spec().name() == "popularity").unwrap();
    let share =
        popular.recommend(&h, 10, Options::default()).iter().filter(|r| reality(r.item)).count();
    assert!(share < 6, "popularity is not personal, yet {share} of 10 are reality");
}

#[test]
fn an_empty_history_falls_back_to_popularity_and_says_so() {
    let d = demo();
    let popular = d.models[0].rank(&[], 10, Options::default());
    for m in &d.models {
        let list = m.recommend(&[], 10, Options::default());
        match m.spec().name() {
            "item-knn" | "ease" | "content" => {
                assert_eq!(list.iter().map(|r| r.item).collect::<Vec<_>>(), popular);
                assert!(list.iter().all(|r| matches!(r.reason, Reason::NoHistory { .. })));
            }
            "random" => assert!(list.iter().all(|r| r.reason == Reason::Random)),
            _ => assert_eq!(list.len(), 10),
        }
    }
}

#[test]
fn watched_items_can_be_kept_and_random_is_reproducible() {
    let d = demo();
    let h = history(&d.personas[0]);
    let popularity = &d.models[0];
    let with = popularity.rank(&h, 50, Options { exclude_watched: false });
    let without = popularity.rank(&h, 50, Options::default());
    assert!(with.iter().any(|i| h.contains(i)));
    assert!(without.iter().all(|i| !h.contains(i)));
    let random = d.models.iter().find(|m| m.spec().name() == "random").unwrap();
    assert_eq!(random.rank(&h, 10, Options::default()), random.rank(&h, 10, Options::default()));
    let other: Vec<u32> = h.iter().copied().filter(|&i| i != h[0]).collect();
    assert_ne!(
        random.rank(&h, 10, Options::default()),
        random.rank(&other, 10, Options::default())
    );
}

#[test]
fn models_survive_the_cache_format_and_keys_change_with_data_or_parameters() {
    let d = demo();
    let data = TrainData::from_dataset(&d.dataset);
    let input = TrainInput { catalog: &d.dataset.items, data: &data };
    let h = history(&d.personas[1]);
    for m in &d.models {
        let key = cache_key(m.spec(), &input);
        let bytes = m.to_bytes(&key);
        let back = Model::from_bytes(&bytes, &key).expect("loads");
        assert_eq!(
            back.recommend(&h, 10, Options::default()),
            m.recommend(&h, 10, Options::default())
        );
        assert!(Model::from_bytes(&bytes, "another key").is_none());
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1], &key).is_none());
    }
    let spec: ModelSpec = "ease".parse().unwrap();
    let other_spec: ModelSpec = "ease:lambda=100".parse().unwrap();
    assert_ne!(cache_key(&spec, &input), cache_key(&other_spec, &input));
    let fewer = TrainData::from_users(d.dataset.items.len(), vec![vec![(0, 1)], vec![(1, 2)]]);
    let other_input = TrainInput { catalog: &d.dataset.items, data: &fewer };
    assert_ne!(cache_key(&spec, &input), cache_key(&spec, &other_input));
}
