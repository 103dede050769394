//! Candidate configuration: what a team writes in a TOML file (and the app stores), checked.
//!
//! ```toml
//! [[candidate]]
//! name = "EASE baseline"
//! kind = "builtin"
//! model = "ease"                      # any `name[:key=value…]` of the built-in models
//!
//! [[candidate]]
//! name = "Two-tower v3"
//! kind = "http"
//! url = "http://127.0.0.1:8080/recommend"
//! timeout_ms = 5000
//! headers = { Authorization = "Bearer ${TWO_TOWER_TOKEN}" }
//!
//! [[candidate]]
//! name = "Personalize user-personalization"
//! kind = "personalize"
//! region = "eu-west-1"
//! campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
//! persona = "replay"                  # or "user_id"
//! event_tracker_id = "…"              # needed for replay
//! ```
//!
//! Secrets never sit in a file or the database in clear: a header that carries credentials
//! (`Authorization`, `Cookie`, names with `token`, `key`, `secret` or `password`) must take its
//! value from the environment with a `${VAR}` reference, URLs may not hold a password, and
//! Personalize candidates use the standard AWS credential chain (there is no field for keys).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::env;
use crate::http::DEFAULT_TIMEOUT_MS;

/// How a Personalize candidate sees a persona.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PersonaMapping {
    /// Send the persona's history with PutEvents under a synthetic user, then ask.
    Replay,
    /// Ask for the persona's external user id for this candidate.
    UserId,
}

/// One configured candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[ts(export)]
pub enum CandidateConfig {
    Builtin {
        name: String,
        /// A built-in model spec: `ease`, `item-knn:neighbours=50`…
        model: String,
    },
    Http {
        name: String,
        url: String,
        #[serde(default = "default_timeout")]
        #[ts(type = "number")]
        timeout_ms: u64,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        #[ts(optional, as = "Option<BTreeMap<String, String>>")]
        headers: BTreeMap<String, String>,
    },
    Personalize {
        name: String,
        region: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        campaign_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recommender_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter_arn: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        filter_values: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        context: BTreeMap<String, String>,
        /// Item metadata columns to return (`metadataColumns`), e.g. `{ ITEMS = ["GENRES"] }`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        metadata_columns: BTreeMap<String, Vec<String>>,
        persona: PersonaMapping,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_tracker_id: Option<String>,
        #[serde(default = "default_timeout")]
        #[ts(type = "number")]
        timeout_ms: u64,
    },
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_MS
}

/// A candidates file: `[[candidate]]` tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateFile {
    #[serde(default)]
    pub candidate: Vec<CandidateConfig>,
}

impl CandidateConfig {
    pub fn name(&self) -> &str {
        match self {
            CandidateConfig::Builtin { name, .. }
            | CandidateConfig::Http { name, .. }
            | CandidateConfig::Personalize { name, .. } => name,
        }
    }

    /// `builtin`, `http` or `personalize`.
    pub fn kind(&self) -> &'static str {
        match self {
            CandidateConfig::Builtin { .. } => "builtin",
            CandidateConfig::Http { .. } => "http",
            CandidateConfig::Personalize { .. } => "personalize",
        }
    }

    /// Checks the settings; the error names the field.
    pub fn check(&self) -> Result<(), String> {
        if self.name().trim().is_empty() {
            return Err("field \"name\": give the candidate a name".into());
        }
        match self {
            CandidateConfig::Builtin { model, .. } => model
                .parse::<screening_recommenders::ModelSpec>()
                .map(|_| ())
                .map_err(|e| format!("field \"model\": {e}")),
            CandidateConfig::Http { url, timeout_ms, headers, .. } => {
                check_url(url)?;
                check_timeout(*timeout_ms)?;
                for (header, value) in headers {
                    if carries_secret(header) && !env::has_reference(value) {
                        return Err(format!(
                            "field \"headers\": {header} holds a credential in clear; write it as a reference such as \"Bearer ${{MY_TOKEN}}\" and set MY_TOKEN in the environment"
                        ));
                    }
                }
                Ok(())
            }
            CandidateConfig::Personalize {
                region,
                campaign_arn,
                recommender_arn,
                persona,
                event_tracker_id,
                timeout_ms,
                filter_arn,
                ..
            } => {
                if region.trim().is_empty() {
                    return Err("field \"region\": name the AWS region, e.g. \"eu-west-1\"".into());
                }
                match (campaign_arn, recommender_arn) {
                    (Some(a), None) => check_arn(a, "campaign_arn")?,
                    (None, Some(a)) => check_arn(a, "recommender_arn")?,
                    _ => {
                        return Err(
                            "give exactly one of \"campaign_arn\" and \"recommender_arn\"".into()
                        );
                    }
                }
                if let Some(f) = filter_arn {
                    check_arn(f, "filter_arn")?;
                }
                if *persona == PersonaMapping::Replay
                    && event_tracker_id.as_deref().is_none_or(|t| t.trim().is_empty())
                {
                    return Err(
                        "field \"event_tracker_id\": persona = \"replay\" sends the history with PutEvents, which needs the event tracker's id".into()
                    );
                }
                check_timeout(*timeout_ms)
            }
        }
    }
}

impl CandidateFile {
    /// Parses and checks a candidates file; errors name the line (TOML errors) or the
    /// candidate and field.
    pub fn parse(text: &str) -> Result<CandidateFile, String> {
        let file: CandidateFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut names = std::collections::HashSet::new();
        for (i, c) in file.candidate.iter().enumerate() {
            c.check().map_err(|e| format!("candidate[{i}] ({:?}): {e}", c.name()))?;
            if !names.insert(c.name().trim().to_lowercase()) {
                return Err(format!(
                    "candidate[{i}] ({:?}): another candidate has this name",
                    c.name()
                ));
            }
        }
        Ok(file)
    }

    /// The file as TOML, `[[candidate]]` tables in order.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

fn check_url(url: &str) -> Result<(), String> {
    if env::has_reference(url) {
        // Checked once the reference is read, when a request is made.
        return Ok(());
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("field \"url\": {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("field \"url\": use http or https, not {}", parsed.scheme()));
    }
    if parsed.password().is_some() {
        return Err("field \"url\": holds a password in clear; send credentials in a header that references an environment variable".into());
    }
    Ok(())
}

fn check_timeout(ms: u64) -> Result<(), String> {
    if (1..=120_000).contains(&ms) {
        Ok(())
    } else {
        Err(format!("field \"timeout_ms\": between 1 and 120000, not {ms}"))
    }
}

fn check_arn(arn: &str, field: &str) -> Result<(), String> {
    if arn.starts_with("arn:aws") && arn.split(':').count() >= 6 {
        Ok(())
    } else {
        Err(format!(
            "field {field:?}: {arn:?} is not an ARN (arn:aws:personalize:REGION:ACCOUNT:…)"
        ))
    }
}

/// Whether a header of this name carries credentials.
fn carries_secret(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h == "authorization"
        || h == "cookie"
        || ["token", "key", "secret", "password", "auth"].iter().any(|w| h.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[[candidate]]
name = "EASE baseline"
kind = "builtin"
model = "ease"

[[candidate]]
name = "Two-tower v3"
kind = "http"
url = "http://127.0.0.1:8080/recommend"
timeout_ms = 5000
headers = { Authorization = "Bearer ${TWO_TOWER_TOKEN}" }

[[candidate]]
name = "Personalize user-personalization"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
persona = "replay"
event_tracker_id = "tracker-1"
"#;

    #[test]
    fn the_issue_example_parses_and_round_trips() {
        let file = CandidateFile::parse(EXAMPLE).unwrap();
        let kinds: Vec<&str> = file.candidate.iter().map(CandidateConfig::kind).collect();
        assert_eq!(kinds, ["builtin", "http", "personalize"]);
        let again = CandidateFile::parse(&file.to_toml()).unwrap();
        assert_eq!(again, file);
        assert!(!file.to_toml().contains("recommender_arn"), "unset options are left out");
    }

    #[test]
    fn bad_files_name_the_line_or_the_candidate_and_field() {
        let cases = [
            ("[[candidate]]\nname = \"x\"\nkind = \"ftp\"\n", "unknown variant `ftp`"),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"builtin\"\nmodel = \"ease\"\nspeed = 3\n",
                "unknown field `speed`",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"builtin\"\nmodel = \"ease:lamda=3\"\n",
                "candidate[0] (\"x\"): field \"model\"",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"http\"\nurl = \"http://h/r\"\nheaders = { Authorization = \"Bearer abc\" }\n",
                "Authorization holds a credential in clear",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"http\"\nurl = \"https://u:pw@h/r\"\n",
                "holds a password in clear",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"http\"\nurl = \"not a url\"\n",
                "field \"url\"",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"http\"\nurl = \"http://h/r\"\ntimeout_ms = 0\n",
                "field \"timeout_ms\"",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"personalize\"\nregion = \"eu-west-1\"\npersona = \"user_id\"\n",
                "exactly one of \"campaign_arn\" and \"recommender_arn\"",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"personalize\"\nregion = \"eu-west-1\"\ncampaign_arn = \"arn:aws:personalize:eu-west-1:1:campaign/c\"\npersona = \"replay\"\n",
                "field \"event_tracker_id\"",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"personalize\"\nregion = \"r\"\ncampaign_arn = \"c\"\npersona = \"user_id\"\naws_secret_access_key = \"k\"\n",
                "unknown field `aws_secret_access_key`",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"builtin\"\nmodel = \"ease\"\n[[candidate]]\nname = \"X\"\nkind = \"builtin\"\nmodel = \"popularity\"\n",
                "candidate[1] (\"X\"): another candidate has this name",
            ),
            (
                "[[candidate]]\nname = \"x\"\nkind = \"builtin\"\nmodel = \"ease\"\n\n[[candidate]\n",
                "line 6",
            ),
        ];
        for (text, expected) in cases {
            let e = CandidateFile::parse(text).unwrap_err();
            assert!(e.contains(expected), "{expected:?} in {e:?}");
        }
    }
}
