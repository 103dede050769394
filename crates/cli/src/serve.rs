//! `screening serve-model`: the reference model server (`screening_sources::serve`) on a port.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use screening_recommenders::{ModelSpec, TrainData, TrainInput};
use screening_sources::serve::{ModelServer, serve};

use crate::args::ServeModelArgs;
use crate::load_dataset;
use crate::progress::Bars;

pub fn serve_model_cmd(args: &ServeModelArgs) -> Result<(), String> {
    let specs = ModelSpec::parse_list(&args.models).map_err(|e| e.to_string())?;
    if specs.is_empty() {
        return Err("--models names no model".into());
    }
    for (i, spec) in specs.iter().enumerate() {
        if specs[..i].iter().any(|s| s.name() == spec.name()) {
            let name = spec.name();
            return Err(format!("--models names {name} twice: serve one parameter set per model"));
        }
    }
    let dataset = Arc::new(load_dataset(&args.dataset)?);
    let data = TrainData::from_dataset(&dataset);
    let input = TrainInput { catalog: &dataset.items, data: &data };
    let cache = crate::models::cache(&args.cache);
    let bars = Bars::stderr();
    let mut models = BTreeMap::new();
    for spec in &specs {
        models.insert(spec.name().to_owned(), Arc::new(cache.get(spec, &input, &bars).model));
    }
    let server = Arc::new(ModelServer::new(Arc::clone(&dataset), models));
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let mut out = std::io::stdout();
        // Scripts and tests wait for this line: it means requests are accepted from now on.
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        serve(listener, server, shutdown).await.map_err(|e| format!("the server failed: {e}"))
    })
}
