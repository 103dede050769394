//! Review-loop timings on a real SQLite file (`synchronous=FULL`, WAL) in a temporary folder.
//!
//! - `freeze`: 4 built-in candidates (popularity, item-kNN, EASE, content) × the 6 sample
//!   personas, k = 10: first with models trained on the spot (cold, no disk cache), then a second
//!   session with the models in memory (warm).
//! - `record`: one rating through the use case (`Reviews::record`: validation, current state,
//!   supersede, then the store) against `Store::record` alone, the store's own transaction
//!   (judgement + outbox, `BEGIN IMMEDIATE`, fsync), as the reference; p50/p99 over 300 each.
//!
//! Run: `cargo bench -p screening-app --bench review`.

use std::sync::Arc;
use std::time::Instant;

use screening_app::{
    JudgementInput, Library, ModelCache, NewSessionRequest, RecordRequest, Workspace,
};
use screening_store::{JudgementKind, NewJudgement, Store};

const WRITES: usize = 300;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name:<44} p50 {:>7.2} ms   p99 {:>7.2} ms   ({} runs)",
        percentile(&ms, 0.5),
        percentile(&ms, 0.99),
        ms.len()
    );
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let library = Arc::new(Library::demo());
        let store = Store::open(dir.path()).await.unwrap();
        let ws = Workspace::on(
            store.clone(),
            dir.path(),
            library.clone(),
            ModelCache::new(None),
            "bench".into(),
        )
        .await
        .unwrap();
        let desk = &ws.reviews;
        let personas: Vec<String> = library.personas().into_iter().map(|p| p.id).collect();
        let request = |name: &str| NewSessionRequest {
            name: name.into(),
            persona_ids: personas.clone(),
            candidate_ids: [
                "builtin-popularity",
                "builtin-item-knn",
                "builtin-ease",
                "builtin-content",
            ]
            .map(str::to_owned)
            .to_vec(),
            k: 10,
            blind: true,
            criteria: vec![],
            incumbent_candidate_id: None,
            challenger_candidate_id: None,
        };
        println!("review bench: demo catalog, {} personas, temporary SQLite file", personas.len());
        for (label, name) in [
            ("freeze 4 × 6, cold (training included)", "cold"),
            ("freeze 4 × 6, warm (models in memory)", "warm"),
        ] {
            let id = desk.create_session(request(name)).await.unwrap().summary.id;
            let start = Instant::now();
            let report = desk.freeze(&id, |_| {}).await.unwrap();
            println!(
                "{label:<44} {:>9.1} ms   ({} snapshots)",
                start.elapsed().as_secs_f64() * 1e3,
                report.snapshots
            );
        }
        let id = desk.sessions().await.unwrap()[0].id.clone();
        let board = desk.board(&id, &personas[0]).await.unwrap();
        let snapshot = board.columns[0].snapshot_id.clone();

        let mut reference = Vec::with_capacity(WRITES);
        for n in 0..WRITES {
            let start = Instant::now();
            store
                .record(NewJudgement {
                    reviewer: "reference".into(),
                    session_id: id.clone(),
                    persona_id: personas[0].clone(),
                    snapshot_id: Some(snapshot.clone()),
                    item_id: None,
                    kind: JudgementKind::Rating,
                    payload: serde_json::json!({ "criterion": "overall", "score": n % 5 + 1 }),
                    supersedes: None,
                })
                .await
                .unwrap();
            reference.push(start.elapsed().as_secs_f64() * 1e3);
        }
        let mut use_case = Vec::with_capacity(WRITES);
        for n in 0..WRITES {
            let start = Instant::now();
            desk.record(RecordRequest {
                session_id: id.clone(),
                persona_id: personas[0].clone(),
                judgement: JudgementInput::Rating {
                    snapshot_id: snapshot.clone(),
                    criterion: "overall".into(),
                    score: (n % 5 + 1) as u8,
                },
            })
            .await
            .unwrap();
            use_case.push(start.elapsed().as_secs_f64() * 1e3);
        }
        report("record: Store::record (reference)", reference);
        report("record: Reviews::record (use case)", use_case);
    });
}
