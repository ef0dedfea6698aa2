//! The store's side of the console's reading (`crate::console`): every
//! input as staff see it (flagged and withdrawn ones too), filtered by its
//! decision state and flag, newest first, and counted by state.

use anyhow::{Context, Result};

use super::{with_pool, Backend, Store};
use crate::search_text::{fold, like_patterns, MAX_WORDS};

/// An input's state as one word: the withdrawal wins, then the decision.
const STATE: &str =
    "CASE WHEN EXISTS (SELECT 1 FROM withdrawals w WHERE w.reference = s.reference) \
     THEN 'withdrawn' ELSE COALESCE(d.state, 'new') END";

/// The filters as nullable binds: `$1` the state, `$2` flagged (1) or not
/// (0), `$3` the group, `$4` the country, `$5` the form's language, `$6`
/// to `$10` the search's words as `LIKE` patterns (`i` the search index).
fn filtered() -> String {
    let words: Vec<String> = (6..6 + MAX_WORDS)
        .map(|n| format!("AND (CAST(${n} AS TEXT) IS NULL OR i.text LIKE ${n} ESCAPE '\\')"))
        .collect();
    format!(
        "(CAST($1 AS TEXT) IS NULL OR {STATE} = $1) AND (CAST($2 AS INTEGER) IS NULL OR \
         (CASE WHEN s.flagged IS NULL THEN 0 ELSE 1 END) = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR s.stakeholder_group = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR s.country = $4) \
         AND (CAST($5 AS TEXT) IS NULL OR s.language = $5) {}",
        words.join(" ")
    )
}

/// Which inputs a console list shows (each `None` is "all").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    /// `new`, `published`, `not_published` or `withdrawn`.
    pub state: Option<String>,
    pub flagged: Option<bool>,
    pub group: Option<String>,
    pub country: Option<String>,
    /// The language of the form it was sent with (`ar`, `en`).
    pub language: Option<String>,
    /// Words to find (`search_text::like_patterns`).
    pub search: Option<String>,
}

/// One line of the console's list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub reference: String,
    pub received_at: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    /// The form's language, and the typed directions (JSON), for the title's language.
    pub language: String,
    pub directions: String,
    pub flagged: Option<String>,
    pub state: String,
    pub reason: Option<String>,
}

/// How many inputs are in each state (and flagged), over all inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub all: i64,
    pub by_state: Vec<(String, i64)>,
    pub flagged: i64,
}

impl Store {
    /// One page of the inputs `filter` matches, newest first, and how many match.
    pub async fn review_page(
        &self,
        filter: &ReviewFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ReviewRow>, i64)> {
        if filter.search.is_some() {
            self.index_for_search().await?;
        }
        let from = "FROM submissions s LEFT JOIN decisions d ON d.reference = s.reference \
             LEFT JOIN search_index i ON i.reference = s.reference";
        let rows_sql = sqlx::AssertSqlSafe(format!(
            "SELECT s.reference, s.received_at, s.name, s.organisation, s.title, s.language, s.directions, \
             s.flagged, \
             {STATE} AS state, d.reason {from} WHERE {} \
             ORDER BY s.received_at DESC, s.id DESC LIMIT $11 OFFSET $12",
            filtered()
        ));
        let count_sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {from} WHERE {}", filtered()));
        let flagged = filter.flagged.map(i32::from);
        let state = filter.state.as_deref();
        let (group, country, language) = (
            filter.group.as_deref(),
            filter.country.as_deref(),
            filter.language.as_deref(),
        );
        let mut words = like_patterns(filter.search.as_deref().unwrap_or_default());
        words.resize(MAX_WORDS, String::new());
        let word = |n: usize| Some(words[n].as_str()).filter(|w| !w.is_empty());
        let rows: Vec<ReviewRow> = with_pool!(self, pool => sqlx::query_as(rows_sql)
            .bind(state).bind(flagged).bind(group).bind(country).bind(language)
            .bind(word(0)).bind(word(1)).bind(word(2)).bind(word(3)).bind(word(4))
            .bind(limit).bind(offset).fetch_all(pool).await)
        .context("reading the inputs")?;
        let total: i64 = with_pool!(self, pool => sqlx::query_scalar(count_sql)
            .bind(state).bind(flagged).bind(group).bind(country).bind(language)
            .bind(word(0)).bind(word(1)).bind(word(2)).bind(word(3)).bind(word(4))
            .fetch_one(pool).await)
        .context("counting the inputs")?;
        Ok((rows, total))
    }

    /// Folds the inputs the search index does not have yet (new ones;
    /// inputs never change, and a deleted one takes its entry with it).
    async fn index_for_search(&self) -> Result<()> {
        const NEW: &str = "SELECT reference, name, organisation, title, input FROM submissions s \
             WHERE NOT EXISTS (SELECT 1 FROM search_index i WHERE i.reference = s.reference) \
             ORDER BY id LIMIT 500";
        const ADD: &str = "INSERT INTO search_index (reference, text) VALUES ($1, $2) \
             ON CONFLICT (reference) DO NOTHING";
        type Row = (String, String, String, String, String);
        loop {
            let rows: Vec<Row> =
                with_pool!(self, pool => sqlx::query_as(NEW).fetch_all(pool).await)
                    .context("reading the inputs to index")?;
            if rows.is_empty() {
                return Ok(());
            }
            let entries: Vec<(String, String)> = rows
                .into_iter()
                .map(|(r, name, org, title, input)| {
                    (r, fold(&format!("{name}\n{org}\n{title}\n{input}")))
                })
                .collect();
            with_pool!(self, pool => async {
                let mut tx = pool.begin().await?;
                for (reference, text) in &entries {
                    sqlx::query(ADD).bind(reference).bind(text).execute(&mut *tx).await?;
                }
                tx.commit().await
            }.await)
            .context("indexing the inputs for search")?;
        }
    }

    /// Adds a private note to an input (false when no input has the reference).
    pub async fn add_note(&self, reference: &str, actor: &str, text: &str) -> Result<bool> {
        const SQL: &str = "INSERT INTO input_notes (reference, at, actor, text) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM submissions WHERE reference = $1)";
        let now = super::now_rfc3339();
        let n = with_pool!(self, pool => sqlx::query(SQL).bind(reference).bind(now.as_str())
            .bind(actor).bind(text).execute(pool).await.map(|r| r.rows_affected()))
        .context("adding a note")?;
        Ok(n == 1)
    }

    /// An input's private notes, oldest first: (at, actor, text).
    pub async fn notes_of(&self, reference: &str) -> Result<Vec<(String, String, String)>> {
        const SQL: &str =
            "SELECT at, actor, text FROM input_notes WHERE reference = $1 ORDER BY id";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(reference).fetch_all(pool).await)
            .context("reading the notes")
    }

    /// Every input counted by state, and the flagged ones.
    pub async fn review_counts(&self) -> Result<ReviewCounts> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT st, COUNT(*) FROM (SELECT {STATE} AS st FROM submissions s \
             LEFT JOIN decisions d ON d.reference = s.reference) x GROUP BY st"
        ));
        const FLAGGED: &str = "SELECT COUNT(*) FROM submissions WHERE flagged IS NOT NULL";
        let by_state: Vec<(String, i64)> =
            with_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)
                .context("counting the inputs")?;
        let flagged: i64 =
            with_pool!(self, pool => sqlx::query_scalar(FLAGGED).fetch_one(pool).await)
                .context("counting the flagged inputs")?;
        Ok(ReviewCounts {
            all: by_state.iter().map(|(_, n)| n).sum(),
            by_state,
            flagged,
        })
    }

    /// The countries inputs came from (for the country filter).
    pub async fn review_countries(&self) -> Result<Vec<String>> {
        const SQL: &str = "SELECT DISTINCT country FROM submissions ORDER BY country";
        with_pool!(self, pool => sqlx::query_scalar(SQL).fetch_all(pool).await)
            .context("reading the countries")
    }

    /// The inputs before and after one in the list's order (newest first):
    /// (the newer, the older).
    pub async fn review_neighbours(
        &self,
        reference: &str,
    ) -> Result<(Option<String>, Option<String>)> {
        const NEWER: &str = "SELECT s.reference FROM submissions s, submissions x \
             WHERE x.reference = $1 AND (s.received_at > x.received_at \
             OR (s.received_at = x.received_at AND s.id > x.id)) \
             ORDER BY s.received_at, s.id LIMIT 1";
        const OLDER: &str = "SELECT s.reference FROM submissions s, submissions x \
             WHERE x.reference = $1 AND (s.received_at < x.received_at \
             OR (s.received_at = x.received_at AND s.id < x.id)) \
             ORDER BY s.received_at DESC, s.id DESC LIMIT 1";
        let newer: Option<String> = with_pool!(self, pool => sqlx::query_scalar(NEWER)
            .bind(reference).fetch_optional(pool).await)
        .context("reading the next input")?;
        let older: Option<String> = with_pool!(self, pool => sqlx::query_scalar(OLDER)
            .bind(reference).fetch_optional(pool).await)
        .context("reading the previous input")?;
        Ok((newer, older))
    }

    /// The input's message to the mailbox: (sent_at, failed_at, attempts), if there is one.
    pub async fn review_mail(
        &self,
        reference: &str,
    ) -> Result<Option<(Option<String>, Option<String>, i64)>> {
        const SQL: &str = "SELECT sent_at, failed_at, CAST(attempts AS BIGINT) FROM outbox \
             WHERE reference = $1 AND kind = 'secretariat'";
        with_pool!(self, pool => sqlx::query_as(SQL).bind(reference).fetch_optional(pool).await)
            .context("reading an input's mail")
    }
}
