//! API.md lists exactly the errors of `imrf_contract::ApiError`: a code added
//! to the enum and not to the document (or the reverse) fails here.

use std::collections::BTreeSet;

use imrf_contract::{ApiError, Code};

/// The (status, code) pairs of the table in API.md's "The error body".
fn documented() -> BTreeSet<(u16, String)> {
    let doc = include_str!("../API.md");
    let section = doc
        .split("## The error body")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("API.md has a section \"The error body\"");
    let mut pairs = BTreeSet::new();
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Ok(status) = cells[1].parse::<u16>() else {
            continue; // the header and separator rows
        };
        // Every `code` in the rule column.
        for code in cells[3].split('`').skip(1).step_by(2) {
            pairs.insert((status, code.to_string()));
        }
    }
    pairs
}

#[test]
fn api_md_lists_exactly_the_error_codes_of_the_enum() {
    let from_enum: BTreeSet<(u16, String)> = ApiError::catalogue()
        .into_iter()
        .map(|(status, code)| (status, code.key().to_string()))
        .collect();
    let documented = documented();
    assert!(!documented.is_empty());
    let undocumented: Vec<_> = from_enum.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&from_enum).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "in the enum, not in API.md: {undocumented:?}; in API.md, not in the enum: {unknown:?}"
    );
    // And every code the enum knows is answered somewhere.
    let answered: BTreeSet<&str> = from_enum.iter().map(|(_, c)| c.as_str()).collect();
    for code in Code::ALL {
        assert!(answered.contains(code.key()), "{code:?} is never answered");
    }
}
