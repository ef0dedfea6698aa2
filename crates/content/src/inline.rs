//! The inline markup editors write inside `text` and `attribution`:
//! `{kind:content}` or `{kind:content|argument}`, never nested.

use crate::Inline;

/// Parses inline markup. Errors say what is wrong and where, for the build log.
pub fn parse(source: &str) -> Result<Vec<Inline>, String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!(
                "unexpected '}}' before {:?}",
                snippet(&rest[open..])
            ));
        }
        if open > 0 {
            out.push(Inline::Text(rest[..open].to_string().into()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("'{{' is never closed in {:?}", snippet(&rest[open..])))?;
        let inner = &after[..close];
        if inner.contains('{') {
            return Err(format!("markup cannot be nested: {:?}", snippet(inner)));
        }
        out.push(parse_one(inner)?);
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.to_string().into()));
    }
    Ok(out)
}

fn snippet(s: &str) -> String {
    s.chars().take(40).collect()
}

fn parse_one(inner: &str) -> Result<Inline, String> {
    let (kind, body) = inner
        .split_once(':')
        .ok_or_else(|| format!("markup {{{inner}}} needs a kind, like {{abbr:IMRF|...}}"))?;
    let (content, argument) = match body.split_once('|') {
        Some((c, a)) => (c, Some(a)),
        None => (body, None),
    };
    if content.trim().is_empty() {
        return Err(format!("markup {{{inner}}} has no content"));
    }
    let content = content.to_string().into();
    let need_arg = |what: &str| {
        argument
            .filter(|a| !a.trim().is_empty())
            .map(|a| a.to_string().into())
            .ok_or_else(|| format!("{{{kind}:...}} needs {what} after '|' in {{{inner}}}"))
    };
    let no_arg = || match argument {
        Some(_) => Err(format!(
            "{{{kind}:...}} takes no '|' argument in {{{inner}}}"
        )),
        None => Ok(()),
    };
    match kind {
        "en" | "ar" => no_arg().map(|_| Inline::Foreign {
            lang: kind.to_string().into(),
            text: content,
        }),
        "abbr" => Ok(Inline::Abbr {
            text: content,
            title: need_arg("the expansion")?,
        }),
        "email" => no_arg().and_then(|_| {
            let ok = body.contains('@') && !body.contains(char::is_whitespace);
            ok.then_some(Inline::Email(content))
                .ok_or_else(|| format!("{{email:{body}}} is not an e-mail address"))
        }),
        "url" => no_arg().and_then(|_| {
            let ok = body.starts_with("https://") || body.starts_with("http://");
            ok.then_some(Inline::Url(content))
                .ok_or_else(|| format!("{{url:{body}}} must start with https:// or http://"))
        }),
        "time" => {
            let datetime: crate::Text = need_arg("the datetime value, like 2022-05-16")?;
            let valid = datetime
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ':' || c == 'T');
            if valid {
                Ok(Inline::Time {
                    text: content,
                    datetime,
                })
            } else {
                Err(format!(
                    "{{time:...|{datetime}}}: the datetime is not a date"
                ))
            }
        }
        "note" => no_arg().map(|_| Inline::Note(content)),
        other => Err(format!(
            "unknown markup kind {other:?} in {{{inner}}} (known: en, ar, abbr, email, url, time, note)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_and_every_kind() {
        let got = parse("a {abbr:IMRF|Forum} b {email:x@y.org} {url:https://u.org/} {time:May|2022-05} {en:Solidarity Center}").unwrap();
        assert_eq!(got.len(), 10);
        assert_eq!(
            got[1],
            Inline::Abbr {
                text: "IMRF".into(),
                title: "Forum".into()
            }
        );
        assert_eq!(got[3], Inline::Email("x@y.org".into()));
        assert_eq!(
            got[9],
            Inline::Foreign {
                lang: "en".into(),
                text: "Solidarity Center".into()
            }
        );
        assert_eq!(
            crate::plain_text(&got),
            "a IMRF b x@y.org https://u.org/ May Solidarity Center"
        );
    }

    #[test]
    fn rejects_bad_markup_with_a_message() {
        for (bad, expected) in [
            ("{abbr:IMRF}", "needs the expansion"),
            ("{nope:x}", "unknown markup kind"),
            ("open {email:x@y.org", "never closed"),
            ("a } b", "unexpected '}'"),
            ("{time:May|soon}", "not a date"),
            ("{url:ftp://x}", "must start with"),
            ("{email:not-an-address}", "not an e-mail"),
            ("{abbr:|X}", "no content"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(expected), "{bad}: {err}");
        }
    }
}
