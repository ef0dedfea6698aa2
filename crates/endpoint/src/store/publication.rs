//! The store's side of the public record (`crate::publication`): the
//! published inputs, as the public may see them. One condition says what is
//! public ([`PUBLIC`]): published by the secretariat, not flagged as
//! automated, not withdrawn. Every query of this module goes through it, and
//! none of them reads the e-mail address.

use anyhow::{Context, Result};

use super::{with_pool, Backend, Store};

/// The rows the public may see (`s` the submission, `d` its decision).
const PUBLIC: &str = "d.state = 'published' AND s.flagged IS NULL \
     AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.reference = s.reference)";

/// The filters, as nullable binds `$1` (group), `$2` (country), `$3` (language).
const FILTERED: &str = "(CAST($1 AS TEXT) IS NULL OR s.stakeholder_group = $1) \
     AND (CAST($2 AS TEXT) IS NULL OR s.country = $2) \
     AND (CAST($3 AS TEXT) IS NULL OR d.language = $3)";

/// What the public record shows of one input: never the e-mail address,
/// the idempotency key, the fill time or the flag.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedRow {
    pub reference: String,
    pub received_at: String,
    pub published_at: String,
    /// The text's language (`imrf_contract::text_language`), decided at publication.
    pub language: Option<String>,
    pub name: String,
    pub organisation: String,
    pub country: String,
    pub stakeholder_group: String,
    pub stakeholder_group_other: String,
    pub title: String,
    pub input: String,
    pub link: String,
    /// The stored JSON text of the typed directions, e.g. `{"input":"rtl"}`.
    pub directions: String,
    /// The name, organisation, title and input are the secretariat's
    /// redacted copy (`redactions`), not what was sent.
    pub edited_by_secretariat: bool,
}

/// The columns of a [`PublishedRow`]: where the secretariat made a redacted
/// copy (`r`), its name, organisation, title and input instead of the
/// original's (the public never sees the original of a redacted input).
const ROW_COLUMNS: &str = "s.reference, s.received_at, d.decided_at AS published_at, d.language, \
     COALESCE(r.name, s.name) AS name, COALESCE(r.organisation, s.organisation) AS organisation, \
     s.country, s.stakeholder_group, s.stakeholder_group_other, \
     COALESCE(r.title, s.title) AS title, COALESCE(r.input, s.input) AS input, s.link, s.directions, \
     r.reference IS NOT NULL AS edited_by_secretariat";

/// The published inputs with their redacted copies, if any.
const FROM: &str = "FROM submissions s JOIN decisions d ON d.reference = s.reference \
     LEFT JOIN redactions r ON r.reference = s.reference";

/// Which published inputs a page lists (each `None` is "all"); values are
/// matched exactly, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    pub group: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

/// The published inputs a filter matches, counted by group and by country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub total: i64,
    pub by_group: Vec<(String, i64)>,
    pub by_country: Vec<(String, i64)>,
}

/// An input's place in the public record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Published(Box<PublishedRow>),
    /// It was public once (the audit log says so) and is not now: unpublished,
    /// withdrawn or deleted.
    NoLongerPublished,
    /// Never public, or no such input.
    NotPublished,
}

impl Store {
    /// One page of the published inputs `filter` matches, newest first.
    pub async fn published_page(
        &self,
        filter: &RecordFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<PublishedRow>> {
        // Made of this module's constants only.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} {FROM} \
             WHERE {PUBLIC} AND {FILTERED} ORDER BY s.received_at DESC, s.reference DESC LIMIT $4 OFFSET $5"
        ));
        with_pool!(self, pool => sqlx::query_as(sql)
            .bind(filter.group.as_deref()).bind(filter.country.as_deref()).bind(filter.language.as_deref())
            .bind(limit).bind(offset)
            .fetch_all(pool).await)
        .context("reading the published inputs")
    }

    /// Every published input, newest first (the open data and the static site).
    pub async fn all_published(&self) -> Result<Vec<PublishedRow>> {
        self.published_page(&RecordFilter::default(), i64::MAX, 0)
            .await
    }

    /// How many published inputs `filter` matches, in all and by group and country.
    pub async fn published_counts(&self, filter: &RecordFilter) -> Result<RecordCounts> {
        let by = |column: &str| {
            sqlx::AssertSqlSafe(format!(
                "SELECT s.{column}, COUNT(*) FROM submissions s JOIN decisions d ON d.reference = s.reference \
                 WHERE {PUBLIC} AND {FILTERED} GROUP BY s.{column} ORDER BY COUNT(*) DESC, s.{column}"
            ))
        };
        let (groups, countries) = (by("stakeholder_group"), by("country"));
        let read = |sql: sqlx::AssertSqlSafe<String>| async move {
            with_pool!(self, pool => sqlx::query_as::<_, (String, i64)>(sql)
                .bind(filter.group.as_deref()).bind(filter.country.as_deref()).bind(filter.language.as_deref())
                .fetch_all(pool).await)
        };
        let by_group = read(groups)
            .await
            .context("counting the published inputs")?;
        let by_country = read(countries)
            .await
            .context("counting the published inputs")?;
        Ok(RecordCounts {
            total: by_group.iter().map(|(_, n)| n).sum(),
            by_group,
            by_country,
        })
    }

    /// One input as the public record has it.
    pub async fn published_input(&self, reference: &str) -> Result<Lookup> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} {FROM} WHERE {PUBLIC} AND s.reference = $1"
        ));
        let row: Option<PublishedRow> = with_pool!(self, pool => sqlx::query_as(sql)
            .bind(reference).fetch_optional(pool).await)
        .context("reading a published input")?;
        if let Some(row) = row {
            return Ok(Lookup::Published(Box::new(row)));
        }
        const WAS: &str =
            "SELECT COUNT(*) FROM audit_log WHERE reference = $1 AND to_state = 'published'";
        let was: i64 = with_pool!(self, pool => sqlx::query_scalar(WAS)
            .bind(reference).fetch_one(pool).await)
        .context("reading the audit log")?;
        Ok(if was > 0 {
            Lookup::NoLongerPublished
        } else {
            Lookup::NotPublished
        })
    }

    /// The text's language of the input `reference`, as its publication
    /// records it: decided from the text the public is shown (`text`), with
    /// the original's typed direction and form language.
    pub(super) async fn text_language_of(
        &self,
        reference: &str,
        text: ShownText<'_>,
    ) -> Result<Option<String>> {
        const SQL: &str = "SELECT s.input, r.input, s.directions, s.language FROM submissions s \
             LEFT JOIN redactions r ON r.reference = s.reference WHERE s.reference = $1";
        type Row = (String, Option<String>, String, String);
        let row: Option<Row> = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(reference).fetch_optional(pool).await)
        .context("reading an input's text")?;
        Ok(row.map(|(original, redacted, directions, form)| {
            let input = match text {
                ShownText::AsStored => redacted.as_deref().unwrap_or(&original),
                ShownText::Original => &original,
                ShownText::This(t) => t,
            };
            let typed = serde_json::from_str::<
                std::collections::BTreeMap<String, imrf_contract::TextDirection>,
            >(&directions)
            .ok()
            .and_then(|d| d.get(imrf_contract::Field::Input.key()).copied());
            let form = imrf_contract::Lang::from_tag(&form).unwrap_or_default();
            imrf_contract::text_language(input, typed, form)
                .code()
                .to_string()
        }))
    }
}

/// Which text an input's language is decided from.
#[derive(Debug, Clone, Copy)]
pub(super) enum ShownText<'a> {
    /// The redacted copy where there is one, else the original.
    AsStored,
    /// The original, as sent.
    Original,
    /// A text about to be stored as the redacted copy.
    This(&'a str),
}
