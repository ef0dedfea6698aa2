//! The console list's query string, read leniently and written back in one
//! order (pure), so every link and bookmark keeps the filters: the
//! decision state, flagged or not, and the public record's own filters
//! (stakeholder group, country, language: `crate::published::filter`).

use crate::published::filter::{Filter, ListQuery};

/// An input's decision state, as the console filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    New,
    Published,
    NotPublished,
    Withdrawn,
}

impl StateFilter {
    pub const ALL: [StateFilter; 4] = [
        StateFilter::New,
        StateFilter::Published,
        StateFilter::NotPublished,
        StateFilter::Withdrawn,
    ];

    /// The stored and query name.
    pub fn key(self) -> &'static str {
        match self {
            StateFilter::New => "new",
            StateFilter::Published => "published",
            StateFilter::NotPublished => "not_published",
            StateFilter::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<StateFilter> {
        StateFilter::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// What a console list shows: the filters, the search and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsoleQuery {
    /// Words to find in the name, organisation, title and input (trimmed; `None` when empty).
    pub search: Option<String>,
    /// Group, country and the language of the form the input was sent with.
    pub filter: Filter,
    pub state: Option<StateFilter>,
    /// `Some(true)`: flagged only; `Some(false)`: not flagged.
    pub flagged: Option<bool>,
    /// From 1.
    pub page: u32,
    /// Something in the query was not understood and left out.
    pub ignored: bool,
}

/// The longest search kept.
pub const SEARCH_MAX_CHARS: usize = 200;

/// Inputs per page of the console's list.
pub const PAGE_SIZE: u32 = 25;

impl ConsoleQuery {
    pub fn parse(raw: &str) -> ConsoleQuery {
        let mut q = ConsoleQuery {
            page: 1,
            ..ConsoleQuery::default()
        };
        let mut others = form_urlencoded::Serializer::new(String::new());
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            match (&*name, &*value) {
                ("q", v) => {
                    let v = v.trim();
                    if !v.is_empty() {
                        q.search = Some(v.chars().take(SEARCH_MAX_CHARS).collect());
                    }
                }
                ("group" | "country" | "language", v) => {
                    others.append_pair(&name, v);
                }
                (_, "") => {}
                ("state", v) => match StateFilter::from_key(v) {
                    Some(s) => q.state = Some(s),
                    None => q.ignored = true,
                },
                ("flagged", "yes") => q.flagged = Some(true),
                ("flagged", "no") => q.flagged = Some(false),
                ("page", v) => match v.parse::<u32>() {
                    Ok(n) if n >= 1 => q.page = n,
                    _ => q.ignored = true,
                },
                _ => q.ignored = true,
            }
        }
        let record = ListQuery::parse(&others.finish());
        q.filter = record.filter;
        q.ignored |= record.ignored;
        q
    }

    /// The query string of these filters at `page` (`""` when there is nothing).
    pub fn query(&self, page: u32) -> String {
        let record = self.filter.query(1);
        let mut parts: Vec<String> = record
            .strip_prefix('?')
            .map(|q| q.split('&').map(str::to_string).collect())
            .unwrap_or_default();
        if let Some(s) = self.state {
            parts.push(format!("state={}", s.key()));
        }
        if let Some(f) = self.flagged {
            parts.push(format!("flagged={}", if f { "yes" } else { "no" }));
        }
        if let Some(words) = &self.search {
            let mut out = form_urlencoded::Serializer::new(String::new());
            out.append_pair("q", words);
            parts.push(out.finish());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// How many pages `total` inputs fill (at least one).
pub fn page_count(total: u64) -> u32 {
    u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_leniently_and_written_in_one_order() {
        let q = ConsoleQuery::parse("page=2&flagged=yes&state=not_published");
        assert_eq!(q.state, Some(StateFilter::NotPublished));
        assert_eq!(q.flagged, Some(true));
        assert_eq!(q.page, 2);
        assert!(!q.ignored);
        assert_eq!(q.query(2), "?state=not_published&flagged=yes&page=2");
        assert_eq!(q.query(1), "?state=not_published&flagged=yes");
        let q = ConsoleQuery::parse("country=jo&state=new&group=trade_unions&language=ar");
        assert_eq!(q.filter.country, Some("JO"));
        assert_eq!(
            q.query(1),
            "?group=trade_unions&country=JO&language=ar&state=new"
        );
        assert!(ConsoleQuery::parse("country=zz").ignored);
        let q = ConsoleQuery::parse("q=+%D8%A3%D8%AD%D9%85%D8%AF+%26+co+&state=new");
        assert_eq!(q.search.as_deref(), Some("أحمد & co"));
        assert_eq!(
            q.query(2),
            "?state=new&q=%D8%A3%D8%AD%D9%85%D8%AF+%26+co&page=2"
        );
        assert_eq!(ConsoleQuery::parse("q=+++").search, None);
        let odd = ConsoleQuery::parse("state=%3Cscript%3E&page=0&x=1&flagged=");
        assert_eq!(odd.state, None);
        assert_eq!(odd.page, 1);
        assert!(odd.ignored);
        assert_eq!(odd.query(1), "");
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(25), 1);
        assert_eq!(page_count(26), 2);
    }
}
