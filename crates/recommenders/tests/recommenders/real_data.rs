//! Accuracy on the real ml-latest-small, when it is there (`$SCREENING_ML_SMALL`, else
//! `../shared/datasets/ml-latest-small` beside the repository); skipped with a note otherwise.

use screening_catalog::import::{self, Format, ImportOptions};
use screening_recommenders::{
    Model, Options, Silent, SplitOptions, TrainInput, evaluate, genre_ids, list_length, split,
};

#[test]
fn ease_and_item_knn_beat_popularity_on_ndcg_at_10() {
    let Some(path) = screening_catalog::samples::ml_latest_small() else {
        eprintln!("note: ml-latest-small not found; skipping the accuracy check");
        return;
    };
    let dataset =
        import::load(&path, Format::Movielens, &ImportOptions::default()).unwrap().dataset;
    let split = split(&dataset, &SplitOptions::default()).unwrap();
    assert_eq!(split.test.len(), 61);
    let input = TrainInput { catalog: &dataset.items, data: &split.train };
    let genres = genre_ids(&dataset.items);
    let ks = [10];
    let ndcg = |name: &str| {
        let model = Model::train(&name.parse().unwrap(), &input, &Silent);
        let m = evaluate(
            &split,
            &ks,
            &genres,
            |t| model.rank(&t.input, list_length(&ks), Options::default()),
            &Silent,
        )
        .unwrap();
        m.get("ndcg@10").unwrap()
    };
    let (popularity, knn, ease) = (ndcg("popularity"), ndcg("item-knn"), ndcg("ease"));
    eprintln!("ndcg@10: popularity {popularity:.4}, item-knn {knn:.4}, ease {ease:.4}");
    assert!(knn > popularity, "item-knn {knn} vs popularity {popularity}");
    assert!(ease > popularity, "ease {ease} vs popularity {popularity}");
}
