//! `${VAR}` references in candidate settings, read from the environment when a request is made,
//! so secrets live in the environment and never in the database or an export.

/// `text` with every `${NAME}` replaced by the environment variable `NAME`; an unset variable
/// is an error naming it. `$` not followed by `{` is kept as is.
pub fn expand(text: &str) -> Result<String, String> {
    expand_with(text, &|name| std::env::var(name).ok())
}

/// [`expand`] over any lookup (for tests).
pub fn expand_with(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| format!("unclosed \"${{\" in {text:?}"))?;
        let name = &after[..end];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!("{name:?} is not an environment variable name (in {text:?})"));
        }
        let value =
            lookup(name).ok_or_else(|| format!("the environment variable {name} is not set"))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Whether `text` holds a `${VAR}` reference.
pub fn has_reference(text: &str) -> bool {
    text.contains("${")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "s3cret".to_owned())
    }

    #[test]
    fn references_are_replaced_and_missing_ones_named() {
        assert_eq!(expand_with("Bearer ${TOKEN}", &lookup).unwrap(), "Bearer s3cret");
        assert_eq!(expand_with("a $b ${TOKEN}${TOKEN}", &lookup).unwrap(), "a $b s3crets3cret");
        assert_eq!(
            expand_with("Bearer ${NOPE}", &lookup).unwrap_err(),
            "the environment variable NOPE is not set"
        );
        assert!(expand_with("${TOKEN", &lookup).unwrap_err().contains("unclosed"));
        assert!(expand_with("${A-B}", &lookup).unwrap_err().contains("not an environment"));
        assert!(has_reference("x ${Y}") && !has_reference("plain"));
    }
}
