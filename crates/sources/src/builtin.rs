//! Built-in models as a candidate: a trained model over a dataset, asked like any other source.

use std::sync::Arc;
use std::time::Duration;

use screening_core::Dataset;
use screening_recommenders::{Model, Options};
use serde_json::json;

use crate::candidate::{Answer, AnswerItem, BoxFuture, Candidate, Failure};
use crate::contract::RecommendRequest;

/// Something that holds the dataset a model was trained on.
pub type SharedDataset = Arc<dyn AsRef<Dataset> + Send + Sync>;

/// A trained built-in model.
pub struct BuiltinCandidate {
    model: Arc<Model>,
    dataset: SharedDataset,
}

impl BuiltinCandidate {
    /// `model`, trained on `dataset` (a `Dataset` or anything holding one).
    pub fn new(model: Arc<Model>, dataset: SharedDataset) -> Self {
        BuiltinCandidate { model, dataset }
    }
}

impl Candidate for BuiltinCandidate {
    fn timeout(&self) -> Duration {
        Duration::from_secs(60)
    }

    fn fetch<'a>(
        &'a self,
        request: &'a RecommendRequest,
    ) -> BoxFuture<'a, Result<Answer, Failure>> {
        let (model, dataset, request) =
            (Arc::clone(&self.model), Arc::clone(&self.dataset), request.clone());
        Box::pin(async move {
            // Scoring is CPU work: off the async threads.
            tokio::task::spawn_blocking(move || list(&model, (*dataset).as_ref(), &request))
                .await
                .unwrap_or_else(|e| Err(Failure::new(format!("the model failed: {e}"))))
        })
    }
}

fn list(model: &Model, dataset: &Dataset, request: &RecommendRequest) -> Result<Answer, Failure> {
    let ids: Vec<&str> = request.history.iter().map(|h| h.item_id.as_str()).collect();
    let sent = json!({ "model": model.spec().to_string(), "history": ids, "k": request.k });
    let mut history = Vec::with_capacity(ids.len());
    for id in &ids {
        let idx = dataset.item_idx(id).ok_or_else(|| Failure {
            message: format!("history item {id:?} is not in the catalog the model was trained on"),
            sent: sent.clone(),
            raw_response: None,
        })?;
        history.push(idx);
    }
    let items = model
        .recommend(&history, request.k as usize, Options::default())
        .into_iter()
        .map(|r| AnswerItem {
            item_id: dataset.items[r.item as usize].id.clone(),
            score: Some(f64::from(r.score)),
            reason: Some(r.reason.text(&dataset.items)),
            promotion: None,
        })
        .collect();
    Ok(Answer { items, model_version: Some(model.spec().to_string()), sent, raw_response: None })
}
