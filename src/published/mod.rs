//! The public record (feature `ssr`, natively only, never in the
//! WebAssembly): the published inputs as whole documents, rendered by the
//! endpoint from what the store lets the public see. Complete HTML with no
//! script at all: a reader of the record downloads the document alone.
//!
//! Each stakeholder's text keeps its own language and direction inside a
//! page in the other language: the title and the input are marked with the
//! language [`imrf_contract::text_language`] decided when the input was
//! published, and every name, organisation and title in running text is
//! isolated (`bdi`), so that a Latin name in an Arabic list, or the reverse,
//! never reorders its neighbours.

pub mod chart;
pub mod filter;

use imrf_contract::{
    countries, endonym, field_label, format_count, stakeholder_group_label, Field, Lang,
    StakeholderGroup,
};
use leptos::prelude::*;

use crate::i18n::{fill, fill_count};
use crate::plain_page::{plain_document, Head};
use crate::release_content::ui;
use chart::{chart_and_table, Bar};
use filter::{page_count, Filter, ListQuery};

/// One published input, as the public record shows it (never the e-mail
/// address: the store does not read it for the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedInput {
    pub reference: String,
    /// RFC 3339 (UTC); the record shows the date.
    pub received: String,
    pub published: String,
    /// The language of the title and the input.
    pub text_lang: Lang,
    pub name: String,
    pub organisation: String,
    /// An ISO 3166-1 code, or `other`.
    pub country: String,
    pub group: Option<StakeholderGroup>,
    pub group_other: String,
    pub title: String,
    pub input: String,
    pub link: String,
    /// The name, organisation, title and input are the secretariat's
    /// redacted copy (marked "edited by the secretariat").
    pub edited: bool,
}

/// How many published inputs a list's filter matches, by group and by country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub by_group: Vec<(Option<StakeholderGroup>, u64)>,
    /// By country code (or `other`).
    pub by_country: Vec<(String, u64)>,
}

/// One page of the list.
#[derive(Debug, Clone, Copy)]
pub struct ListPage<'a> {
    pub query: ListQuery,
    /// The page shown (from 1).
    pub page: u32,
    pub items: &'a [PublishedInput],
    pub counts: &'a Counts,
    /// The countries the country filter offers: those with published inputs.
    pub countries: &'a [String],
}

/// What a record document shows.
#[derive(Debug, Clone, Copy)]
pub enum RecordPage<'a> {
    List(ListPage<'a>),
    Input(&'a PublishedInput),
    /// No published input has the reference (404).
    NotPublished,
    /// It was published once and is not now (410).
    NoLongerPublished,
    /// A page number past the end, or not a page number (404).
    NoSuchPage,
}

/// What every record document shares: its stylesheet (inlined; the caller
/// allows it in the CSP by its hash) and, when known, the site's public
/// address for the canonical links.
#[derive(Debug, Clone, Copy, Default)]
pub struct Site<'a> {
    pub stylesheet: Option<&'a str>,
    /// e.g. `https://imrf.example` (no trailing slash).
    pub public_url: Option<&'a str>,
    pub layout: Layout,
}

/// How the record's addresses look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// As the endpoint serves it: `/{lang}/inputs/REF`, filters and pages
    /// in the query.
    #[default]
    Served,
    /// As static files any web server can host (`imrf-endpoint
    /// export-site`): every page a folder with its `index.html`
    /// (`/{lang}/inputs/REF/`, `/{lang}/inputs/pages/2/`), no filters (a
    /// static host cannot filter).
    Files,
}

/// Every link of a page: relative to the site's root from the page's own
/// folder, so the record works under any path prefix (a CMS's folder).
#[derive(Debug, Clone)]
struct Links {
    root: String,
    layout: Layout,
    public_url: Option<String>,
}

impl Links {
    /// For the page at `path` (its query left out).
    fn of(path: &str, site: &Site) -> Links {
        let path = path.split('?').next().unwrap_or(path);
        let depth = path.matches('/').count().saturating_sub(1);
        Links {
            root: "../".repeat(depth),
            layout: site.layout,
            public_url: site.public_url.map(str::to_string),
        }
    }

    fn href(&self, rest: &str) -> String {
        format!("{}{rest}", self.root)
    }

    /// Absolute with the public address, else relative.
    fn absolute(&self, rest: &str) -> String {
        match &self.public_url {
            Some(base) => format!("{base}/{rest}"),
            None => self.href(rest),
        }
    }

    fn list_rest(&self, lang: Lang, filter: Filter, page: u32) -> String {
        let list = format!("{}/inputs/", lang.code());
        match self.layout {
            Layout::Served => format!("{list}{}", filter.query(page)),
            Layout::Files if page > 1 => format!("{list}pages/{page}/"),
            Layout::Files => list,
        }
    }

    fn input_rest(&self, lang: Lang, reference: &str) -> String {
        match self.layout {
            Layout::Served => format!("{}/inputs/{reference}", lang.code()),
            Layout::Files => format!("{}/inputs/{reference}/", lang.code()),
        }
    }
}

/// The path of page `page` of the list in `lang`, as static files.
pub fn file_list_path(lang: Lang, page: u32) -> String {
    if page > 1 {
        format!("/{}/inputs/pages/{page}/", lang.code())
    } else {
        list_path(lang)
    }
}

/// The path of one input's page in `lang`, as static files.
pub fn file_input_path(lang: Lang, reference: &str) -> String {
    format!("/{}/inputs/{reference}/", lang.code())
}

/// The path of the list in `lang`.
pub fn list_path(lang: Lang) -> String {
    format!("/{}/inputs/", lang.code())
}

/// The path of one input's page in `lang`.
pub fn input_path(lang: Lang, reference: &str) -> String {
    format!("/{}/inputs/{reference}", lang.code())
}

/// The path of the Atom feed in `lang`.
pub fn feed_path(lang: Lang) -> String {
    format!("/{}/inputs/feed.xml", lang.code())
}

/// The open data's paths.
pub const CSV_PATH: &str = "/inputs.csv";
pub const JSON_PATH: &str = "/inputs.json";

/// The date of an RFC 3339 time (`2026-12-04T…` → `2026-12-04`).
pub fn date_of(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

/// A country's UN name in `lang` (`other` and unknown codes read "Other").
pub fn country_name(code: &str, lang: Lang) -> &'static str {
    countries::all()
        .iter()
        .find(|c| c.code == code)
        .map_or(ui(lang).country_other, |c| c.name(lang))
}

/// A stakeholder group's label in `lang` (none reads as "Other").
pub fn group_name(group: Option<StakeholderGroup>, lang: Lang) -> &'static str {
    stakeholder_group_label(group.unwrap_or(StakeholderGroup::Other), lang)
}

/// The first words of a text, about `max` characters, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    // At the last space, unless that leaves too little (one very long word).
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// The whole document for `page` in `lang` at `path` (with its query).
pub fn record_document(lang: Lang, site: &Site, path_and_query: &str, page: &RecordPage) -> String {
    let html = crate::static_html::render(|| document(lang, site, path_and_query, page));
    format!("<!doctype html>\n{html}\n")
}

/// The title of a record page.
fn page_title(lang: Lang, page: &RecordPage) -> String {
    let t = ui(lang);
    match page {
        RecordPage::List(_) => format!("{} | {}", t.inputs_title, t.site_name),
        RecordPage::Input(input) => format!("{} | {}", input.title, t.inputs_title),
        RecordPage::NotPublished => format!("{} | {}", t.input_not_published, t.site_name),
        RecordPage::NoLongerPublished => {
            format!("{} | {}", t.input_no_longer_published, t.site_name)
        }
        RecordPage::NoSuchPage => format!("{} | {}", t.inputs_no_page, t.site_name),
    }
}

/// Where the same page is in `lang` (relative to the root).
fn page_rest(links: &Links, lang: Lang, page: &RecordPage) -> String {
    match page {
        RecordPage::List(list) => links.list_rest(lang, list.query.filter, list.page),
        RecordPage::Input(input) => links.input_rest(lang, &input.reference),
        RecordPage::NotPublished | RecordPage::NoLongerPublished | RecordPage::NoSuchPage => {
            links.list_rest(lang, Filter::default(), 1)
        }
    }
}

fn document(lang: Lang, site: &Site, path_and_query: &str, page: &RecordPage) -> impl IntoView {
    let t = ui(lang);
    let links = Links::of(path_and_query, site);
    let canonical = (site.public_url.is_some()
        && matches!(page, RecordPage::List(_) | RecordPage::Input(_)))
    .then(|| links.absolute(&page_rest(&links, lang, page)));
    let head = Head {
        title: page_title(lang, page),
        description: t.inputs_intro,
        canonical,
        alternates: Some((
            links.absolute(&page_rest(&links, Lang::Ar, page)),
            links.absolute(&page_rest(&links, Lang::En, page)),
        )),
        feed: Some((
            links.href(&format!("{}/inputs/feed.xml", lang.code())),
            t.inputs_feed,
        )),
        root: links.href(""),
        stylesheet: site.stylesheet,
    };
    let other_path = links.href(&page_rest(&links, lang.other(), page));
    plain_document(lang, head, other_path, content(lang, &links, page))
}

fn content(lang: Lang, links: &Links, page: &RecordPage) -> AnyView {
    let t = ui(lang);
    match *page {
        RecordPage::List(list) => list_view(lang, links, list).into_any(),
        RecordPage::Input(input) => input_view(lang, links, input).into_any(),
        RecordPage::NotPublished => missing(
            lang,
            links,
            t.input_not_published,
            t.input_not_published_body,
        ),
        RecordPage::NoLongerPublished => missing(
            lang,
            links,
            t.input_no_longer_published,
            t.input_no_longer_published_body,
        ),
        RecordPage::NoSuchPage => missing(lang, links, t.inputs_no_page, ""),
    }
}

fn missing(lang: Lang, links: &Links, heading: &'static str, body: &'static str) -> AnyView {
    let t = ui(lang);
    let all = links.href(&links.list_rest(lang, Filter::default(), 1));
    view! {
        <article class="imrf-record">
            <h1>{heading}</h1>
            {(!body.is_empty()).then(|| view! { <p>{body}</p> })}
            <p><a href=all>{t.inputs_all}</a></p>
        </article>
    }
    .into_any()
}

/// The facts line of an input in the list: name, organisation, group,
/// country and date, each isolated.
fn facts_line(lang: Lang, input: &PublishedInput) -> impl IntoView {
    let organisation = (!input.organisation.is_empty())
        .then(|| view! { ", "<bdi>{input.organisation.clone()}</bdi> });
    view! {
        <p class="imrf-record-meta">
            <bdi>{input.name.clone()}</bdi>
            {organisation}
            " · "{group_view(lang, input)}
            " · "{country_name(&input.country, lang)}
            " · "<time datetime=date_of(&input.received).to_string() dir="ltr">{date_of(&input.received).to_string()}</time>
        </p>
    }
}

/// The mark of a redacted copy, in the visitor's language.
fn edited_note(lang: Lang, input: &PublishedInput) -> Option<impl IntoView> {
    input
        .edited
        .then(|| view! { <p class="imrf-record-edited">{ui(lang).inputs_edited}</p> })
}

fn group_view(lang: Lang, input: &PublishedInput) -> impl IntoView {
    let other = (!input.group_other.is_empty())
        .then(|| view! { " ("<bdi>{input.group_other.clone()}</bdi>")" });
    view! { {group_name(input.group, lang)}{other} }
}

fn list_view(lang: Lang, links: &Links, list: ListPage) -> impl IntoView {
    let t = ui(lang);
    let filter = list.query.filter;
    let total = list.counts.total;
    let items = list
        .items
        .iter()
        .map(|input| {
            let text_lang = input.text_lang;
            view! {
                <li class="imrf-record-item">
                    <h2 lang=text_lang.code() dir=text_lang.dir().code()>
                        <a href=links.href(&links.input_rest(lang, &input.reference))>{input.title.clone()}</a>
                    </h2>
                    {facts_line(lang, input)}
                    {edited_note(lang, input)}
                    <p class="imrf-record-excerpt" lang=text_lang.code() dir=text_lang.dir().code()>
                        {excerpt(&input.input, 240)}
                    </p>
                </li>
            }
        })
        .collect_view();
    let none = if filter.is_empty() {
        t.inputs_none
    } else {
        t.inputs_none_match
    };
    let list_or_none = if list.items.is_empty() {
        view! { <p>{none}</p> }.into_any()
    } else {
        view! { <ol class="imrf-record-list">{items}</ol> }.into_any()
    };
    let ignored = list.query.ignored.then(
        || view! { <p class="imrf-record-notice" role="status">{t.inputs_filters_ignored}</p> },
    );
    view! {
        <article class="imrf-record">
            <h1>{t.inputs_title}</h1>
            <p>{t.inputs_intro}</p>
            {ignored}
            {(links.layout == Layout::Served).then(|| filter_form(lang, filter, list.countries))}
            <p class="imrf-record-count">{fill_count(&t.inputs_count, lang, total, &[("count", total)])}</p>
            {list_or_none}
            {pagination(lang, links, filter, list.page, page_count(total))}
            {counts_view(lang, list.counts)}
            {open_data(lang, links)}
            <p><a href=links.href(&format!("{}/", lang.code()))>{t.inputs_release_link}</a></p>
        </article>
    }
}

/// The filters as a plain GET form: the chosen ones are the address.
fn filter_form(lang: Lang, filter: Filter, countries_offered: &[String]) -> impl IntoView {
    let t = ui(lang);
    let any = t.inputs_any;
    let groups = StakeholderGroup::ALL
        .into_iter()
        .map(|g| {
            view! {
                <option value=g.key() selected=filter.group == Some(g)>
                    {stakeholder_group_label(g, lang)}
                </option>
            }
        })
        .collect_view();
    let mut offered: Vec<(String, &'static str)> = countries_offered
        .iter()
        .map(|code| (code.clone(), country_name(code, lang)))
        .collect();
    if let Some(chosen) = filter.country {
        if !offered.iter().any(|(code, _)| code == chosen) {
            offered.push((chosen.to_string(), country_name(chosen, lang)));
        }
    }
    // In the list's language's reading order, as the form's own list.
    let order = countries::display_order(lang);
    let rank = |code: &str| {
        order
            .iter()
            .position(|c| c.code == code)
            .unwrap_or(usize::MAX)
    };
    offered.sort_by_key(|(code, _)| rank(code));
    let countries = offered
        .into_iter()
        .map(|(code, name)| {
            let selected = filter.country == Some(code.as_str());
            view! { <option value=code selected=selected>{name}</option> }
        })
        .collect_view();
    let languages = Lang::ALL
        .into_iter()
        .map(|l| {
            view! {
                <option value=l.code() selected=filter.language == Some(l) lang=l.code()>
                    {endonym(l)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="imrf-record-filters" method="get" action="./">
            <fieldset>
                <legend>{t.inputs_filters}</legend>
                <p>
                    <label for="imrf-filter-group">{field_label(Field::StakeholderGroup, lang)}</label>
                    <select id="imrf-filter-group" name=filter::GROUP>
                        <option value="">{any}</option>
                        {groups}
                    </select>
                </p>
                <p>
                    <label for="imrf-filter-country">{field_label(Field::Country, lang)}</label>
                    <select id="imrf-filter-country" name=filter::COUNTRY>
                        <option value="">{any}</option>
                        {countries}
                    </select>
                </p>
                <p>
                    <label for="imrf-filter-language">{t.inputs_language_label}</label>
                    <select id="imrf-filter-language" name=filter::LANGUAGE>
                        <option value="">{any}</option>
                        {languages}
                    </select>
                </p>
                <p class="imrf-record-filter-actions">
                    <button type="submit" class="imrf-button">{t.inputs_apply}</button>
                    {(!filter.is_empty()).then(|| view! { <a href="./">{t.inputs_clear}</a> })}
                </p>
            </fieldset>
        </form>
    }
}

/// Real links to the previous and next pages, keeping the filters.
fn pagination(
    lang: Lang,
    links: &Links,
    filter: Filter,
    page: u32,
    pages: u32,
) -> Option<impl IntoView> {
    let t = ui(lang);
    (pages > 1).then(|| {
        let href = |p: u32| links.href(&links.list_rest(lang, filter, p));
        let previous = (page > 1).then(|| {
            view! { <li><a href=href(page - 1) rel="prev">{t.inputs_previous}</a></li> }
        });
        let next = (page < pages)
            .then(|| view! { <li><a href=href(page + 1) rel="next">{t.inputs_next}</a></li> });
        let position = fill(
            t.inputs_page_of,
            &[
                ("page", &format_count(lang, u64::from(page))),
                ("pages", &format_count(lang, u64::from(pages))),
            ],
        );
        view! {
            <nav class="imrf-record-pages" aria-label=t.inputs_pages>
                <ul>
                    {previous}
                    <li aria-current="page">{position}</li>
                    {next}
                </ul>
            </nav>
        }
    })
}

fn counts_view(lang: Lang, counts: &Counts) -> Option<impl IntoView> {
    let t = ui(lang);
    (counts.total > 0).then(|| {
        let groups = counts
            .by_group
            .iter()
            .map(|(g, n)| Bar {
                label: group_name(*g, lang).to_string(),
                count: *n,
            })
            .collect();
        let countries = counts
            .by_country
            .iter()
            .map(|(code, n)| Bar {
                label: country_name(code, lang).to_string(),
                count: *n,
            })
            .collect();
        view! {
            {chart_and_table(
                lang,
                "imrf-by-group",
                t.inputs_by_group,
                field_label(Field::StakeholderGroup, lang),
                t.inputs_count_column,
                groups,
            )}
            {chart_and_table(
                lang,
                "imrf-by-country",
                t.inputs_by_country,
                field_label(Field::Country, lang),
                t.inputs_count_column,
                countries,
            )}
        }
    })
}

/// "Open data: … as CSV, as JSON, or as an Atom feed", each a link.
fn open_data(lang: Lang, links: &Links) -> impl IntoView {
    let t = ui(lang);
    let template = t.inputs_open_data;
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        parts.push(view! { {rest[..start].to_string()} }.into_any());
        let link = match &rest[start + 1..start + len] {
            "csv" => view! { <a href=links.href("inputs.csv") dir="ltr">"CSV"</a> }.into_any(),
            "json" => view! { <a href=links.href("inputs.json") dir="ltr">"JSON"</a> }.into_any(),
            "feed" => {
                let feed = links.href(&format!("{}/inputs/feed.xml", lang.code()));
                view! { <a href=feed type="application/atom+xml">{t.inputs_feed}</a> }.into_any()
            }
            other => view! { {other.to_string()} }.into_any(),
        };
        parts.push(link);
        rest = &rest[start + len + 1..];
    }
    parts.push(view! { {rest.to_string()} }.into_any());
    view! { <p class="imrf-record-open-data">{parts}</p> }
}

fn input_view(lang: Lang, links: &Links, input: &PublishedInput) -> impl IntoView {
    let t = ui(lang);
    let text_lang = input.text_lang;
    let fact = |label: &'static str, value: AnyView| {
        view! {
            <dt>{label}</dt>
            <dd>{value}</dd>
        }
    };
    let organisation = (!input.organisation.is_empty()).then(|| {
        fact(
            field_label(Field::Organisation, lang),
            view! { <bdi>{input.organisation.clone()}</bdi> }.into_any(),
        )
    });
    let link = (!input.link.is_empty()).then(|| {
        fact(
            field_label(Field::Link, lang),
            view! {
                <a href=input.link.clone() rel="nofollow ugc noopener noreferrer" dir="ltr" class="imrf-record-link">
                    {input.link.clone()}
                </a>
            }
            .into_any(),
        )
    });
    let date = |time: &str| {
        let (datetime, day) = (date_of(time).to_string(), date_of(time).to_string());
        view! { <time datetime=datetime dir="ltr">{day}</time> }.into_any()
    };
    view! {
        <article class="imrf-record">
            <p><a href=links.href(&links.list_rest(lang, Filter::default(), 1))>{t.inputs_all}</a></p>
            <h1 lang=text_lang.code() dir=text_lang.dir().code()>{input.title.clone()}</h1>
            <dl class="imrf-record-facts">
                {fact(field_label(Field::Name, lang), view! { <bdi>{input.name.clone()}</bdi> }.into_any())}
                {organisation}
                {fact(field_label(Field::StakeholderGroup, lang), group_view(lang, input).into_any())}
                {fact(field_label(Field::Country, lang), view! { {country_name(&input.country, lang)} }.into_any())}
                {fact(t.inputs_received, date(&input.received))}
                {fact(t.inputs_published, date(&input.published))}
                {fact(
                    t.inputs_reference,
                    view! { <span dir="ltr" class="imrf-reference-number">{input.reference.clone()}</span> }.into_any(),
                )}
                {link}
            </dl>
            {edited_note(lang, input)}
            <div class="imrf-record-text" lang=text_lang.code() dir=text_lang.dir().code()>
                {input.input.clone()}
            </div>
            <p><a href=links.href(&format!("{}/", lang.code()))>{t.inputs_release_link}</a></p>
        </article>
    }
}

#[cfg(test)]
mod tests;
