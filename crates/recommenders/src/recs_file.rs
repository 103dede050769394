//! Parsing of recommendation lists produced outside Screening Room
//! (`screening evaluate --recs FILE`), so that they can be scored like a built-in model.
//!
//! The input is JSON-lines text; the caller reads the file and passes its text and a display
//! name for messages. Each non-blank line is one user's list in either shape:
//!
//! - Amazon Personalize batch-inference output:
//!   `{"input":{"userId":"u1"},"output":{"recommendedItems":["i1","i2"],"scores":[0.9,0.8]},"error":null}`
//!   (`scores` and `error` optional; a non-null `error` makes the line an error for that user);
//! - a plain line: `{"user_id":"u1","items":["i1","i2"]}`.
//!
//! User and item ids may be JSON strings or numbers (MovieLens ids are numeric); a number's JSON
//! text is the id. Ids are kept as text here: mapping them to catalog items is the caller's job,
//! since only it knows the catalog.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// One user's recommendation list read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalList {
    /// 1-based line number in the file, for messages about this list later on.
    pub line: usize,
    /// The user id as text.
    pub user_id: String,
    /// The recommended item ids as text, best first, without duplicates.
    pub items: Vec<String>,
}

/// A recommendations file that cannot be used, with the place of the problem.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct RecsError {
    /// Display name of the file, as given to [`parse_recs`].
    pub file: String,
    /// 1-based line number; 0 for problems with the whole file.
    pub line: usize,
    /// What is wrong.
    pub kind: RecsErrorKind,
}

/// What is wrong with a recommendations file. The `Display` text is the part after `file:line: `.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum RecsErrorKind {
    /// The line is not valid JSON; holds serde_json's message (its line and column are within
    /// the line).
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The line is JSON but neither of the accepted shapes.
    #[error(
        "not a recommendation line; expected an Amazon Personalize batch-inference record like \
         {{\"input\":{{\"userId\":\"u1\"}},\"output\":{{\"recommendedItems\":[\"i1\",\"i2\"]}}}} \
         or a plain line like {{\"user_id\":\"u1\",\"items\":[\"i1\",\"i2\"]}}"
    )]
    UnknownShape,
    /// A required field is absent (or null); holds its path, e.g. `input.userId`.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field is present but of the wrong JSON type, e.g. an item id that is an object.
    #[error("field `{field}` must be {expected}")]
    WrongType {
        /// Path of the field, e.g. `output.recommendedItems`.
        field: &'static str,
        /// What was expected, as a phrase: "a string or a number".
        expected: &'static str,
    },
    /// Personalize could not produce recommendations for this user (the line's `error` field).
    #[error("Amazon Personalize reported an error for user \"{user}\": {message}")]
    Personalize {
        /// The user id of the failed line.
        user: String,
        /// Personalize's error text.
        message: String,
    },
    /// A second list for a user who already has one.
    #[error("user \"{user}\" already has a list on line {first_line}")]
    DuplicateUser {
        /// The repeated user id.
        user: String,
        /// Line of the user's first list.
        first_line: usize,
    },
    /// An item appears twice in one user's list.
    #[error("item \"{item}\" appears more than once in the list of user \"{user}\"")]
    DuplicateItem {
        /// The user whose list it is.
        user: String,
        /// The repeated item id.
        item: String,
    },
    /// No non-blank lines at all.
    #[error("the file has no recommendation lines")]
    Empty,
}

const ID_EXPECTED: &str = "a string or a number";
const ITEMS_EXPECTED: &str = "an array of item ids (strings or numbers)";

/// Parses the JSON-lines `text` of the file called `file` (used only in messages).
///
/// Blank lines are skipped; CRLF line endings and a UTF-8 byte-order mark at the start are
/// accepted. Stops at the first problem: a list that is silently dropped or half-read would skew
/// the evaluation, so the whole file is rejected. An empty list (`[]`) is accepted: it scores 0.
pub fn parse_recs(file: &str, text: &str) -> Result<Vec<ExternalList>, RecsError> {
    let error = |line: usize, kind: RecsErrorKind| RecsError { file: file.to_owned(), line, kind };
    // Editors on Windows save UTF-8 with a BOM; serde_json would reject it as "expected value".
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lists = Vec::new();
    let mut first_line_of_user: HashMap<String, usize> = HashMap::new();
    // `lines()` also strips the `\r` of CRLF endings.
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let list = parse_line(raw).map_err(|kind| error(line, kind))?;
        if let Some(&first_line) = first_line_of_user.get(&list.user_id) {
            return Err(error(
                line,
                RecsErrorKind::DuplicateUser { user: list.user_id, first_line },
            ));
        }
        first_line_of_user.insert(list.user_id.clone(), line);
        lists.push(ExternalList { line, user_id: list.user_id, items: list.items });
    }
    if lists.is_empty() {
        return Err(error(0, RecsErrorKind::Empty));
    }
    Ok(lists)
}

/// One parsed line, before its line number and the cross-line checks are added.
struct ParsedLine {
    user_id: String,
    items: Vec<String>,
}

fn parse_line(raw: &str) -> Result<ParsedLine, RecsErrorKind> {
    let value: Value =
        serde_json::from_str(raw).map_err(|e| RecsErrorKind::NotJson(e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(RecsErrorKind::UnknownShape);
    };
    // The shape is chosen by its distinctive keys so that a line of one shape with a missing
    // field gets "missing field" rather than the vaguer "unknown shape".
    if object.contains_key("input") || object.contains_key("output") {
        parse_personalize(&object)
    } else if object.contains_key("user_id") || object.contains_key("items") {
        parse_plain(&object)
    } else {
        Err(RecsErrorKind::UnknownShape)
    }
}

fn parse_personalize(object: &Map<String, Value>) -> Result<ParsedLine, RecsErrorKind> {
    let input = match present(object, "input") {
        None => return Err(RecsErrorKind::MissingField("input")),
        Some(Value::Object(input)) => input,
        Some(_) => {
            return Err(RecsErrorKind::WrongType { field: "input", expected: "an object" });
        }
    };
    let user_id = id(present(input, "userId"), "input.userId")?;
    // The error is checked before the output: a failed line has no usable output, and the
    // user needs Personalize's message, not "missing field output".
    if let Some(error) = present(object, "error") {
        let message = match error {
            Value::String(message) => message.clone(),
            other => other.to_string(),
        };
        return Err(RecsErrorKind::Personalize { user: user_id, message });
    }
    let output = match present(object, "output") {
        None => return Err(RecsErrorKind::MissingField("output")),
        Some(Value::Object(output)) => output,
        Some(_) => {
            return Err(RecsErrorKind::WrongType { field: "output", expected: "an object" });
        }
    };
    let items = items(present(output, "recommendedItems"), "output.recommendedItems", &user_id)?;
    Ok(ParsedLine { user_id, items })
}

fn parse_plain(object: &Map<String, Value>) -> Result<ParsedLine, RecsErrorKind> {
    let user_id = id(present(object, "user_id"), "user_id")?;
    let items = items(present(object, "items"), "items", &user_id)?;
    Ok(ParsedLine { user_id, items })
}

/// The value of `key`, treating JSON `null` as absent (Personalize writes `"error":null`).
fn present<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).filter(|value| !value.is_null())
}

/// An id from a string or a number (the number's JSON text, e.g. `42`).
fn id(value: Option<&Value>, field: &'static str) -> Result<String, RecsErrorKind> {
    match value {
        None => Err(RecsErrorKind::MissingField(field)),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(Value::Number(number)) => Ok(number.to_string()),
        Some(_) => Err(RecsErrorKind::WrongType { field, expected: ID_EXPECTED }),
    }
}

/// The item ids of an array, rejecting duplicates: a repeated item would count twice as a hit.
fn items(
    value: Option<&Value>,
    field: &'static str,
    user_id: &str,
) -> Result<Vec<String>, RecsErrorKind> {
    let array = match value {
        None => return Err(RecsErrorKind::MissingField(field)),
        Some(Value::Array(array)) => array,
        Some(_) => return Err(RecsErrorKind::WrongType { field, expected: ITEMS_EXPECTED }),
    };
    let mut items = Vec::with_capacity(array.len());
    for element in array {
        let item = match element {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            _ => return Err(RecsErrorKind::WrongType { field, expected: ITEMS_EXPECTED }),
        };
        // Lists are short (tens of items), so a linear scan beats building a set.
        if items.contains(&item) {
            return Err(RecsErrorKind::DuplicateItem { user: user_id.to_owned(), item });
        }
        items.push(item);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(line: usize, user: &str, items: &[&str]) -> ExternalList {
        ExternalList {
            line,
            user_id: user.to_owned(),
            items: items.iter().map(|&item| item.to_owned()).collect(),
        }
    }

    fn parse_err(text: &str) -> RecsError {
        parse_recs("recs.jsonl", text).expect_err("should fail")
    }

    #[test]
    fn personalize_shape() {
        let text = concat!(
            r#"{"input":{"userId":"u1"},"output":{"recommendedItems":["i1","i2"],"scores":[0.9,0.8]},"error":null}"#,
            "\n",
            // No scores, no error field.
            r#"{"input":{"userId":"u2"},"output":{"recommendedItems":["i3"]}}"#,
            "\n",
        );
        assert_eq!(
            parse_recs("recs.jsonl", text).unwrap(),
            [list(1, "u1", &["i1", "i2"]), list(2, "u2", &["i3"])]
        );
    }

    #[test]
    fn plain_shape_with_numeric_ids_and_blank_lines() {
        let text = "\n{\"user_id\":\"u1\",\"items\":[\"a\",\"b\"]}\n   \n{\"user_id\":42,\"items\":[7,\"8\",1029]}\n\n";
        assert_eq!(
            parse_recs("recs.jsonl", text).unwrap(),
            [list(2, "u1", &["a", "b"]), list(4, "42", &["7", "8", "1029"])]
        );
    }

    #[test]
    fn numeric_ids_in_personalize_shape_and_empty_lists() {
        let text = r#"{"input":{"userId":5},"output":{"recommendedItems":[]}}"#;
        assert_eq!(parse_recs("recs.jsonl", text).unwrap(), [list(1, "5", &[])]);
    }

    #[test]
    fn crlf_and_bom_are_tolerated() {
        let text = "\u{feff}{\"user_id\":\"u1\",\"items\":[\"a\"]}\r\n\r\n{\"user_id\":\"u2\",\"items\":[\"b\"]}\r\n";
        assert_eq!(
            parse_recs("recs.jsonl", text).unwrap(),
            [list(1, "u1", &["a"]), list(3, "u2", &["b"])]
        );
    }

    #[test]
    fn not_json_names_file_and_line() {
        let text = "{\"user_id\":\"u1\",\"items\":[]}\n\noops\n";
        let err = parse_err(text);
        assert_eq!(err.line, 3);
        assert!(matches!(err.kind, RecsErrorKind::NotJson(_)), "{err:?}");
        assert_eq!(err.to_string(), "recs.jsonl:3: not JSON: expected value at line 1 column 1");
    }

    #[test]
    fn unknown_shape_explains_both_shapes() {
        for text in [r#"{"user":"u1","recs":["a"]}"#, "[1,2]", "\"u1\""] {
            let err = parse_err(&format!("\n{text}"));
            assert_eq!((err.line, &err.kind), (2, &RecsErrorKind::UnknownShape));
        }
        let message = RecsErrorKind::UnknownShape.to_string();
        assert!(message.contains(r#"{"input":{"userId":"u1"},"output":{"recommendedItems""#));
        assert!(message.contains(r#"{"user_id":"u1","items":["i1","i2"]}"#));
    }

    #[test]
    fn missing_fields_are_named() {
        let cases = [
            (r#"{"output":{"recommendedItems":["a"]}}"#, "input"),
            (r#"{"input":{},"output":{"recommendedItems":["a"]}}"#, "input.userId"),
            (r#"{"input":{"userId":null},"output":{"recommendedItems":["a"]}}"#, "input.userId"),
            (r#"{"input":{"userId":"u1"}}"#, "output"),
            (r#"{"input":{"userId":"u1"},"output":{"scores":[]}}"#, "output.recommendedItems"),
            (r#"{"items":["a"]}"#, "user_id"),
            (r#"{"user_id":"u1"}"#, "items"),
        ];
        for (text, field) in cases {
            let err = parse_err(&format!("{{\"user_id\":\"u0\",\"items\":[]}}\n{text}"));
            assert_eq!((err.line, err.kind), (2, RecsErrorKind::MissingField(field)), "{text}");
        }
        assert_eq!(
            parse_err(r#"{"user_id":"u1"}"#).to_string(),
            "recs.jsonl:1: missing field `items`"
        );
    }

    #[test]
    fn wrong_types_are_named() {
        let cases = [
            (r#"{"input":"u1","output":{"recommendedItems":[]}}"#, "input", "an object"),
            (r#"{"user_id":true,"items":[]}"#, "user_id", ID_EXPECTED),
            (r#"{"user_id":"u1","items":"a"}"#, "items", ITEMS_EXPECTED),
            (r#"{"user_id":"u1","items":["a",{"id":"b"}]}"#, "items", ITEMS_EXPECTED),
            (
                r#"{"input":{"userId":"u1"},"output":{"recommendedItems":[null]}}"#,
                "output.recommendedItems",
                ITEMS_EXPECTED,
            ),
        ];
        for (text, field, expected) in cases {
            let err = parse_err(text);
            assert_eq!((err.line, err.kind), (1, RecsErrorKind::WrongType { field, expected }));
        }
        assert_eq!(
            parse_err(r#"{"user_id":[1],"items":[]}"#).to_string(),
            "recs.jsonl:1: field `user_id` must be a string or a number"
        );
    }

    #[test]
    fn personalize_error_names_user_and_message() {
        let text = concat!(
            r#"{"input":{"userId":"u1"},"output":{"recommendedItems":["a"]},"error":null}"#,
            "\n",
            r#"{"input":{"userId":"u2"},"error":"User not found"}"#,
        );
        let err = parse_err(text);
        assert_eq!(err.line, 2);
        assert_eq!(
            err.kind,
            RecsErrorKind::Personalize { user: "u2".into(), message: "User not found".into() }
        );
        assert_eq!(
            err.to_string(),
            "recs.jsonl:2: Amazon Personalize reported an error for user \"u2\": User not found"
        );
        // A non-string error is reported as its JSON text.
        let err = parse_err(r#"{"input":{"userId":7},"error":{"code":500}}"#);
        assert_eq!(
            err.kind,
            RecsErrorKind::Personalize { user: "7".into(), message: r#"{"code":500}"#.into() }
        );
    }

    #[test]
    fn duplicate_user_points_at_both_lines() {
        // Same user in both shapes, and as a number vs a string: ids are compared as text.
        let text = concat!(
            r#"{"user_id":12,"items":["a"]}"#,
            "\n\n",
            r#"{"input":{"userId":"12"},"output":{"recommendedItems":["b"]}}"#,
        );
        let err = parse_err(text);
        assert_eq!(err.line, 3);
        assert_eq!(err.kind, RecsErrorKind::DuplicateUser { user: "12".into(), first_line: 1 });
        assert_eq!(err.to_string(), "recs.jsonl:3: user \"12\" already has a list on line 1");
    }

    #[test]
    fn duplicate_item_names_user_and_item() {
        let text = "{\"user_id\":\"u1\",\"items\":[\"a\"]}\n{\"user_id\":\"u2\",\"items\":[3,\"b\",\"3\"]}";
        let err = parse_err(text);
        assert_eq!(err.line, 2);
        assert_eq!(err.kind, RecsErrorKind::DuplicateItem { user: "u2".into(), item: "3".into() });
        assert_eq!(
            err.to_string(),
            "recs.jsonl:2: item \"3\" appears more than once in the list of user \"u2\""
        );
    }

    #[test]
    fn empty_file_is_an_error_on_line_zero() {
        for text in ["", "\n\n", " \r\n\t\r\n", "\u{feff}"] {
            let err = parse_err(text);
            assert_eq!((err.line, &err.kind), (0, &RecsErrorKind::Empty), "{text:?}");
            assert_eq!(err.to_string(), "recs.jsonl:0: the file has no recommendation lines");
        }
    }
}
