//! The public record's query string, as plain data: which published inputs a
//! page lists (`group`, `country`, `language`) and which page of them
//! (`page`). Read leniently (a value that is not one of ours is left out and
//! said so, a repeated parameter counts once), written back in one order, so
//! that every link (the pages, the other language, the filters) keeps the
//! same filters. Pure.

use imrf_contract::{countries, Lang, StakeholderGroup};

/// The parameters' names.
pub const GROUP: &str = "group";
pub const COUNTRY: &str = "country";
pub const LANGUAGE: &str = "language";
pub const PAGE: &str = "page";

/// Inputs per page.
pub const PAGE_SIZE: u32 = 20;

/// The filters of a list of published inputs; `None` is "all".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub group: Option<StakeholderGroup>,
    /// An ISO 3166-1 code of the list, or `other`.
    pub country: Option<&'static str>,
    pub language: Option<Lang>,
}

/// A list's query, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: Filter,
    /// From 1; `None` when `page` was not a page number (0, negative, not a number).
    pub page: Option<u32>,
    /// Some parameter was not one of ours, or its value was not: it was left out.
    pub ignored: bool,
}

impl ListQuery {
    /// Reads a query string (without the `?`).
    pub fn parse(query: &str) -> ListQuery {
        let mut q = ListQuery {
            filter: Filter::default(),
            page: Some(1),
            ignored: false,
        };
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if seen.iter().any(|s| *s == name) {
                q.ignored = true;
                continue;
            }
            seen.push(name.to_string());
            let value = value.trim();
            if value.is_empty() && name != PAGE {
                // An empty choice is "all" (what the form sends for it).
                continue;
            }
            let known = match name.as_ref() {
                GROUP => StakeholderGroup::from_key(value).map(|g| q.filter.group = Some(g)),
                COUNTRY => country_code(value).map(|c| q.filter.country = Some(c)),
                LANGUAGE => language(value).map(|l| q.filter.language = Some(l)),
                PAGE => {
                    q.page = value.parse::<u32>().ok().filter(|&p| p > 0);
                    Some(())
                }
                _ => None,
            };
            q.ignored |= known.is_none();
        }
        q
    }
}

fn country_code(value: &str) -> Option<&'static str> {
    if value == "other" {
        return Some("other");
    }
    countries::all()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(value))
        .map(|c| c.code)
}

fn language(value: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == value)
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The query string of this filter on `page` (page 1 is left out), with
    /// `?`, or empty when there is nothing to say.
    pub fn query(&self, page: u32) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if let Some(g) = self.group {
            out.append_pair(GROUP, g.key());
        }
        if let Some(c) = self.country {
            out.append_pair(COUNTRY, c);
        }
        if let Some(l) = self.language {
            out.append_pair(LANGUAGE, l.code());
        }
        if page > 1 {
            out.append_pair(PAGE, &page.to_string());
        }
        let query = out.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }
}

/// How many pages `total` inputs make (at least one, which may be empty).
pub fn page_count(total: u64) -> u32 {
    let pages = total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_and_written_back_in_one_order() {
        let q = ListQuery::parse("language=ar&page=3&group=trade_unions&country=jo");
        assert_eq!(q.filter.group, Some(StakeholderGroup::TradeUnions));
        assert_eq!(q.filter.country, Some("JO"));
        assert_eq!(q.filter.language, Some(Lang::Ar));
        assert_eq!(q.page, Some(3));
        assert!(!q.ignored);
        assert_eq!(
            q.filter.query(2),
            "?group=trade_unions&country=JO&language=ar&page=2"
        );
        assert_eq!(
            q.filter.query(1),
            "?group=trade_unions&country=JO&language=ar"
        );
        assert_eq!(Filter::default().query(1), "");
    }

    #[test]
    fn what_is_not_ours_is_left_out_and_said() {
        for query in [
            "group=pirates",
            "country=ZZ",
            "language=fr",
            "colour=red",
            "group=media&group=academia",
        ] {
            let q = ListQuery::parse(query);
            assert!(q.ignored, "{query}");
            assert_eq!(q.page, Some(1), "{query}");
        }
        let repeated = ListQuery::parse("group=media&group=academia");
        assert_eq!(
            repeated.filter.group,
            Some(StakeholderGroup::Media),
            "the first counts"
        );
        // The form's "all" is an empty value: nothing to say.
        assert!(!ListQuery::parse("group=&country=&language=").ignored);
        assert!(ListQuery::parse("").filter.is_empty());
    }

    #[test]
    fn a_page_that_is_not_a_page_number_is_none() {
        for query in [
            "page=0",
            "page=-1",
            "page=x",
            "page=",
            "page=99999999999999999999",
        ] {
            assert_eq!(ListQuery::parse(query).page, None, "{query}");
        }
        assert_eq!(ListQuery::parse("page=4294967295").page, Some(u32::MAX));
    }

    #[test]
    fn pages_of_twenty() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(20), 1);
        assert_eq!(page_count(21), 2);
        assert_eq!(page_count(1000), 50);
    }
}
