//! Candidates as the app stores them: a [`CandidateConfig`] (the same settings a TOML file
//! holds) kept as JSON in the candidate's row.

use screening_sources::CandidateConfig;
use screening_store::setup::CandidateRecord;

/// The settings of a stored candidate. The row's name and kind are authoritative; a built-in
/// candidate stored by an earlier version as `{"spec": …}` still reads.
pub fn config_of(c: &CandidateRecord) -> Result<CandidateConfig, String> {
    let mut value = c.config.clone();
    let Some(fields) = value.as_object_mut() else {
        return Err(format!("candidate {:?}: its stored settings are not an object", c.name));
    };
    if let Some(spec) = fields.remove("spec") {
        fields.entry("model").or_insert(spec);
    }
    fields.insert("kind".into(), c.kind.clone().into());
    fields.insert("name".into(), c.name.clone().into());
    serde_json::from_value(value)
        .map_err(|e| format!("candidate {:?}: its stored settings are not valid: {e}", c.name))
}

/// A record holding `config` under `id`.
pub fn record_of(id: &str, config: &CandidateConfig) -> CandidateRecord {
    CandidateRecord {
        id: id.to_owned(),
        name: config.name().to_owned(),
        kind: config.kind().to_owned(),
        config: serde_json::to_value(config).unwrap_or_default(),
        archived_at: None,
    }
}
