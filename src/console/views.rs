//! The console's views: each page's main region, and the bar of the
//! signed-in person. Every text a stakeholder wrote is a text node (tachys
//! escapes it) marked with its own language, or isolated in `bdi`.

use imrf_contract::{
    countries, endonym, field_label, format_count, rule_message, stakeholder_group_label, Field,
    Lang, StakeholderGroup, LIMITS,
};
use leptos::prelude::*;

use super::filter::{page_count, StateFilter};
use super::{
    decide_path, home_path, input_path, notes_path, redaction_path, ConsoleInput, ConsoleList,
    ConsolePage, DecisionRefusal, Forbidden, MailStatus, StaffLine, Viewer,
    SIGN_OUT_EVERYWHERE_PATH, SIGN_OUT_PATH,
};
use crate::form::escape_html;
use crate::i18n::{fill, fill_count};
use crate::published::{country_name, date_of, group_name};
use crate::release_content::ui;

pub(super) fn viewer_bar(lang: Lang, viewer: Viewer) -> impl IntoView {
    let t = ui(lang);
    view! {
        <div class="imrf-console-viewer">
            <p>{t.console_signed_in_as}" "<bdi dir="ltr">{viewer.email.to_string()}</bdi></p>
            <form method="post" action=SIGN_OUT_PATH>
                <input type="hidden" name="lang" value=lang.code() />
                <button type="submit">{t.console_sign_out}</button>
            </form>
            <form method="post" action=SIGN_OUT_EVERYWHERE_PATH>
                <input type="hidden" name="lang" value=lang.code() />
                <button type="submit">{t.console_sign_out_everywhere}</button>
            </form>
        </div>
    }
}

pub(super) fn content(lang: Lang, page: &ConsolePage) -> AnyView {
    let t = ui(lang);
    match *page {
        ConsolePage::SignIn => sign_in(lang).into_any(),
        ConsolePage::Enrol { token, email } => enrol(lang, token, email).into_any(),
        ConsolePage::EnrolRefused => message(t.console_enrol_refused, t.console_enrol_refused_body),
        ConsolePage::SignedOut => sign_in_link(lang, t.console_signed_out),
        ConsolePage::List(list) => list_view(lang, list).into_any(),
        ConsolePage::Input(input, refusal) => input_view(lang, input, refusal).into_any(),
        ConsolePage::NoInput => back_link(lang, t.console_no_input),
        ConsolePage::Forbidden(why) => {
            let body = match why {
                Forbidden::CrossSite => t.console_forbidden_cross_site,
                Forbidden::Role => t.console_forbidden_role,
            };
            view! {
                <article class="imrf-record">
                    <h1>{t.console_forbidden}</h1>
                    <p>{body}</p>
                    <p><a href=home_path(lang)>{t.console_back}</a></p>
                </article>
            }
            .into_any()
        }
        ConsolePage::Staff(lines) => staff_view(lang, lines).into_any(),
    }
}

fn message(heading: &'static str, body: &'static str) -> AnyView {
    view! {
        <article class="imrf-record">
            <h1>{heading}</h1>
            <p>{body}</p>
        </article>
    }
    .into_any()
}

fn sign_in_link(lang: Lang, heading: &'static str) -> AnyView {
    let t = ui(lang);
    view! {
        <article class="imrf-record">
            <h1>{heading}</h1>
            <p><a href=home_path(lang)>{t.console_sign_in}</a></p>
        </article>
    }
    .into_any()
}

fn back_link(lang: Lang, heading: &'static str) -> AnyView {
    let t = ui(lang);
    view! {
        <article class="imrf-record">
            <h1>{heading}</h1>
            <p><a href=home_path(lang)>{t.console_all_inputs}</a></p>
        </article>
    }
    .into_any()
}

/// The messages the passkey script shows, in the page's language (the
/// script holds no words).
fn script_messages(lang: Lang) -> impl IntoView {
    let t = ui(lang);
    view! {
        <p
            id="imrf-console-status"
            class="imrf-console-status"
            role="status"
            data-failed=t.console_failed
            data-too-many=t.console_too_many
            data-no-passkeys=t.console_no_passkeys
            data-waiting=t.console_waiting
        ></p>
        <p id="imrf-console-needs-script" class="imrf-console-needs-script">{t.console_needs_script}</p>
    }
}

fn sign_in(lang: Lang) -> impl IntoView {
    let t = ui(lang);
    view! {
        <article class="imrf-record">
            <h1>{t.console_sign_in}</h1>
            <p>{t.console_sign_in_intro}</p>
            {script_messages(lang)}
            <form id="imrf-console-sign-in" class="imrf-console-form" data-lang=lang.code()>
                <p>
                    <label for="imrf-console-email">{t.console_email_label}</label>
                    <input
                        id="imrf-console-email"
                        name="email"
                        type="email"
                        dir="ltr"
                        autocomplete="username webauthn"
                        required
                    />
                </p>
                <p><button type="submit">{t.console_sign_in_button}</button></p>
            </form>
        </article>
    }
}

fn enrol(lang: Lang, token: &str, email: &str) -> impl IntoView {
    let t = ui(lang);
    view! {
        <article class="imrf-record">
            <h1>{t.console_enrol_title}</h1>
            <p>{t.console_enrol_intro}</p>
            <p>{t.console_enrol_for}" "<bdi dir="ltr">{email.to_string()}</bdi></p>
            {script_messages(lang)}
            <form
                id="imrf-console-enrol"
                class="imrf-console-form"
                data-token=token.to_string()
                data-lang=lang.code()
            >
                <p><button type="submit">{t.console_enrol_button}</button></p>
            </form>
        </article>
    }
}

/// A state's label, with the reason of a decision not to publish.
pub(super) fn state_label(lang: Lang, state: StateFilter, reason: Option<&str>) -> String {
    let t = ui(lang);
    let label = match state {
        StateFilter::New => t.console_state_new,
        StateFilter::Published => t.console_state_published,
        StateFilter::NotPublished => t.console_state_not_published,
        StateFilter::Withdrawn => t.console_state_withdrawn,
    };
    match reason.map(|r| reason_label(lang, r)) {
        Some(r) if state == StateFilter::NotPublished => format!("{label}: {r}"),
        _ => label.to_string(),
    }
}

/// A reason's label (`moderation::Reason`'s keys).
pub(super) fn reason_label(lang: Lang, key: &str) -> &'static str {
    let t = ui(lang);
    match key {
        "duplicate" => t.console_reason_duplicate,
        "off_topic" => t.console_reason_off_topic,
        "abusive" => t.console_reason_abusive,
        "personal_data" => t.console_reason_personal_data,
        "not_consented" => t.console_reason_not_consented,
        _ => t.console_reason_other,
    }
}

/// The reasons offered, in the list's order.
const REASONS: [&str; 6] = [
    "duplicate",
    "off_topic",
    "abusive",
    "personal_data",
    "not_consented",
    "other",
];

fn flag_label(lang: Lang, flag: &str) -> &'static str {
    let t = ui(lang);
    match flag {
        "honeypot" => t.console_flag_honeypot,
        _ => t.console_flag_too_fast,
    }
}

fn filters_form(lang: Lang, list: &ConsoleList) -> impl IntoView {
    let t = ui(lang);
    let q = &list.query;
    let states = StateFilter::ALL.map(|s| {
        let n = list
            .by_state
            .iter()
            .find(|(k, _)| *k == s)
            .map_or(0, |(_, n)| *n);
        let label = format!("{} ({})", state_label(lang, s, None), format_count(lang, n));
        view! { <option value=s.key() selected=q.state == Some(s)>{label}</option> }
    });
    let all = format!("{} ({})", t.console_any, format_count(lang, list.all));
    let flagged_yes = format!(
        "{} ({})",
        t.console_flagged_yes,
        format_count(lang, list.flagged)
    );
    view! {
        <form method="get" action=home_path(lang) class="imrf-console-filters" aria-label=t.console_filters>
            <p>
                <label for="imrf-console-search">{t.console_search_label}</label>
                <input
                    id="imrf-console-search"
                    type="search"
                    name="q"
                    dir="auto"
                    value=q.search.clone().unwrap_or_default()
                />
            </p>
            <p>
                <label for="imrf-console-state">{t.console_state_label}</label>
                <select id="imrf-console-state" name="state">
                    <option value="" selected=q.state.is_none()>{all}</option>
                    {states}
                </select>
            </p>
            <p>
                <label for="imrf-console-flagged">{t.console_flagged_label}</label>
                <select id="imrf-console-flagged" name="flagged">
                    <option value="" selected=q.flagged.is_none()>{t.console_any}</option>
                    <option value="yes" selected=q.flagged == Some(true)>{flagged_yes}</option>
                    <option value="no" selected=q.flagged == Some(false)>{t.console_flagged_no}</option>
                </select>
            </p>
            {record_filters(lang, list)}
            <p><button type="submit">{t.console_apply}</button></p>
        </form>
    }
}

/// The record's own filters: group, country (those inputs came from, in
/// the language's reading order), the form's language.
fn record_filters(lang: Lang, list: &ConsoleList) -> impl IntoView {
    let t = ui(lang);
    let f = list.query.filter;
    let groups = StakeholderGroup::ALL.map(|g| {
        view! { <option value=g.key() selected=f.group == Some(g)>{stakeholder_group_label(g, lang)}</option> }
    });
    let order = countries::display_order(lang);
    let mut offered: Vec<&String> = list.countries.iter().collect();
    offered.sort_by_key(|code| {
        order
            .iter()
            .position(|c| c.code == code.as_str())
            .unwrap_or(usize::MAX)
    });
    let countries = offered
        .into_iter()
        .map(|code| {
            let selected = f.country == Some(code.as_str());
            view! { <option value=code.clone() selected=selected>{country_name(code, lang)}</option> }
        })
        .collect::<Vec<_>>();
    let languages = Lang::ALL.map(|l| {
        view! { <option value=l.code() selected=f.language == Some(l) lang=l.code()>{endonym(l)}</option> }
    });
    view! {
        <p>
            <label for="imrf-console-group">{field_label(Field::StakeholderGroup, lang)}</label>
            <select id="imrf-console-group" name="group">
                <option value="">{t.console_any}</option>
                {groups}
            </select>
        </p>
        <p>
            <label for="imrf-console-country">{field_label(Field::Country, lang)}</label>
            <select id="imrf-console-country" name="country">
                <option value="">{t.console_any}</option>
                {countries}
            </select>
        </p>
        <p>
            <label for="imrf-console-language">{t.console_language_label}</label>
            <select id="imrf-console-language" name="language">
                <option value="">{t.console_any}</option>
                {languages}
            </select>
        </p>
    }
}

fn list_view(lang: Lang, list: &ConsoleList) -> impl IntoView {
    let t = ui(lang);
    let items = list
        .items
        .iter()
        .map(|item| {
            let organisation = (!item.organisation.is_empty())
                .then(|| view! { ", "<bdi>{item.organisation.clone()}</bdi> });
            let flag = item
                .flagged
                .as_deref()
                .map(|f| view! { " · "<strong>{flag_label(lang, f)}</strong> });
            view! {
                <li class="imrf-record-item">
                    <h2 lang=item.title_lang.code() dir=item.title_lang.dir().code()>
                        <a href=input_path(lang, &item.reference)>{item.title.clone()}</a>
                    </h2>
                    <p class="imrf-record-meta">
                        <bdi>{item.name.clone()}</bdi>
                        {organisation}
                        " · "{state_label(lang, item.state, item.reason.as_deref())}
                        {flag}
                        " · "<time datetime=item.received.clone() dir="ltr">{date_of(&item.received).to_string()}</time>
                        " · "<span dir="ltr">{item.reference.clone()}</span>
                    </p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let empty = items.is_empty().then(|| view! { <p>{t.console_none}</p> });
    view! {
        <article class="imrf-record">
            <h1>{t.console_all_inputs}</h1>
            {filters_form(lang, list)}
            <p class="imrf-record-count">{fill_count(&t.console_count, lang, list.total, &[("count", list.total)])}</p>
            {empty}
            <ol class="imrf-record-list">{items}</ol>
            {pager(lang, list)}
        </article>
    }
}

fn pager(lang: Lang, list: &ConsoleList) -> impl IntoView {
    let t = ui(lang);
    let pages = page_count(list.total);
    let page = list.query.page.min(pages);
    let href = |p: u32| format!("{}{}", home_path(lang), list.query.query(p));
    let position = fill(
        t.console_page_of,
        &[
            ("page", &format_count(lang, u64::from(page))),
            ("pages", &format_count(lang, u64::from(pages))),
        ],
    );
    let previous =
        (page > 1).then(|| view! { <a href=href(page - 1) rel="prev">{t.console_previous}</a>" " });
    let next =
        (page < pages).then(|| view! { " "<a href=href(page + 1) rel="next">{t.console_next}</a> });
    (pages > 1).then(|| {
        view! {
            <nav class="imrf-record-pages" aria-label=t.console_pages>
                <p>{previous}{position}{next}</p>
            </nav>
        }
    })
}

fn input_view(lang: Lang, input: &ConsoleInput, refusal: Option<DecisionRefusal>) -> impl IntoView {
    let t = ui(lang);
    let refusal = refusal.map(|r| {
        let text = match r {
            DecisionRefusal::Withdrawn => t.console_refusal_withdrawn.to_string(),
            DecisionRefusal::Flagged => t.console_refusal_flagged.to_string(),
            DecisionRefusal::Redaction(field, rule) => fill(
                t.console_redaction_refused,
                &[("why", &rule_message(field, rule, lang))],
            ),
        };
        view! { <p class="imrf-console-refusal" role="alert">{text}</p> }
    });
    let flag = input
        .flagged
        .as_deref()
        .map(|f| view! { <p><strong>{flag_label(lang, f)}</strong></p> });
    view! {
        <article class="imrf-record imrf-console-input">
            <p><a href=home_path(lang)>{t.console_all_inputs}</a></p>
            <h1 lang=input.title_lang.code() dir=input.title_lang.dir().code()>{input.title.clone()}</h1>
            {refusal}
            <p class="imrf-console-state">
                {t.console_state_label}": "{state_label(lang, input.state, input.reason.as_deref())}
            </p>
            {flag}
            {facts(lang, input)}
            <h2>{field_label(Field::Input, lang)}</h2>
            <div class="imrf-console-text" lang=input.input_lang.code() dir=input.input_lang.dir().code()>
                {paragraphs(&input.input)}
            </div>
            {decide_forms(lang, input)}
            {redaction_form(lang, input)}
            {history(lang, input)}
            {notes(lang, input)}
            {neighbours(lang, input)}
        </article>
    }
}

/// What will be published: the redacted copy (or, before there is one, the
/// original) to edit, beside the original above, which never changes; and
/// the form that removes the copy.
fn redaction_form(lang: Lang, input: &ConsoleInput) -> Option<impl IntoView> {
    if input.state == StateFilter::Withdrawn || input.flagged.is_some() {
        return None;
    }
    let t = ui(lang);
    let action = redaction_path(lang, &input.reference);
    let copy = input.redaction.as_ref();
    let value = |redacted: Option<&String>, original: &String| redacted.unwrap_or(original).clone();
    let (name, organisation, title, text) = (
        value(copy.map(|c| &c.name), &input.name),
        value(copy.map(|c| &c.organisation), &input.organisation),
        value(copy.map(|c| &c.title), &input.title),
        value(copy.map(|c| &c.input), &input.input),
    );
    let kept = copy.map(|c| {
        view! {
            <p class="imrf-console-redacted">
                {t.console_redaction_kept}" "
                <bdi>{c.actor.clone()}</bdi>" · "
                <time datetime=c.at.clone() dir="ltr">{c.at.clone()}</time>
            </p>
            <form method="post" action=action.clone()>
                <input type="hidden" name="action" value="remove" />
                <p><button type="submit">{t.console_redaction_remove}</button></p>
            </form>
        }
    });
    let line = |field: Field, value: String, max: usize, required: bool| {
        let id = format!("imrf-console-redact-{}", field.key());
        view! {
            <p>
                <label for=id.clone()>{field_label(field, lang)}</label>
                <input type="text" id=id name=field.key() value=value maxlength=max.to_string()
                    dir="auto" required=required />
            </p>
        }
    };
    Some(view! {
        <section class="imrf-console-redaction" aria-labelledby="imrf-console-redaction">
            <h2 id="imrf-console-redaction">{t.console_redaction}</h2>
            <p>{t.console_redaction_intro}</p>
            {kept}
            <form method="post" action=action>
                <input type="hidden" name="action" value="save" />
                {line(Field::Name, name, LIMITS.name, true)}
                {line(Field::Organisation, organisation, LIMITS.organisation, false)}
                {line(Field::Title, title, LIMITS.title, true)}
                <p>
                    <label for="imrf-console-redact-input">{field_label(Field::Input, lang)}</label>
                    <textarea id="imrf-console-redact-input" name="input" rows="10"
                        maxlength=LIMITS.input.to_string() dir="auto" required>
                        // A text area's text is written as it is (as the form's): escaped here.
                        {escape_html(&text)}
                    </textarea>
                </p>
                <p><button type="submit">{t.console_redaction_save}</button></p>
            </form>
        </section>
    })
}

/// The private notes, and the form that adds one.
fn notes(lang: Lang, input: &ConsoleInput) -> impl IntoView {
    let t = ui(lang);
    let items = input
        .notes
        .iter()
        .map(|n| {
            view! {
                <li>
                    <p class="imrf-record-meta">
                        <bdi>{n.actor.clone()}</bdi>" · "
                        <time datetime=n.at.clone() dir="ltr">{n.at.clone()}</time>
                    </p>
                    <p dir="auto" class="imrf-console-note">{n.text.clone()}</p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let empty = items
        .is_empty()
        .then(|| view! { <p>{t.console_notes_none}</p> });
    view! {
        <section aria-labelledby="imrf-console-notes">
            <h2 id="imrf-console-notes">{t.console_notes}</h2>
            {empty}
            <ul class="imrf-console-notes">{items}</ul>
            <form method="post" action=notes_path(lang, &input.reference)>
                <p>
                    <label for="imrf-console-note-new">{t.console_note_new}</label>
                    <textarea id="imrf-console-note-new" name="text" rows="3" maxlength="2000" dir="auto" required></textarea>
                </p>
                <p><button type="submit">{t.console_note_add}</button></p>
            </form>
        </section>
    }
}

/// Links to the newer and the older input, for reading one after another
/// from the keyboard (`rel` next and prev, in the list's order).
fn neighbours(lang: Lang, input: &ConsoleInput) -> impl IntoView {
    let t = ui(lang);
    let newer = input.newer.as_deref().map(|r| {
        view! { <li><a href=input_path(lang, r) rel="prev">{t.console_newer}</a></li> }
    });
    let older = input.older.as_deref().map(|r| {
        view! { <li><a href=input_path(lang, r) rel="next">{t.console_older}</a></li> }
    });
    view! {
        <nav class="imrf-console-neighbours" aria-label=t.console_neighbours>
            <ul>{newer}{older}</ul>
        </nav>
    }
}

/// A text's paragraphs, as written (blank lines between them).
fn paragraphs(text: &str) -> Vec<AnyView> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> }.into_any())
        .collect()
}

fn facts(lang: Lang, input: &ConsoleInput) -> impl IntoView {
    let t = ui(lang);
    let group_other = (!input.group_other.is_empty())
        .then(|| view! { " ("<bdi>{input.group_other.clone()}</bdi>")" });
    let link = (!input.link.is_empty()).then(|| {
        view! {
            <dt>{field_label(Field::Link, lang)}</dt>
            <dd>
                <code class="imrf-console-link" dir="ltr">{input.link.clone()}</code>
                <br />
                {t.console_link_host}" "
                <strong dir="ltr">{input.link_host.clone().unwrap_or_default()}</strong>
            </dd>
        }
    });
    view! {
        <dl class="imrf-console-facts">
            <dt>{t.console_reference}</dt>
            <dd dir="ltr">{input.reference.clone()}</dd>
            <dt>{t.console_received}</dt>
            <dd><time datetime=input.received.clone() dir="ltr">{input.received.clone()}</time></dd>
            <dt>{field_label(Field::Name, lang)}</dt>
            <dd><bdi>{input.name.clone()}</bdi></dd>
            <dt>{field_label(Field::Organisation, lang)}</dt>
            <dd><bdi>{input.organisation.clone()}</bdi></dd>
            <dt>{field_label(Field::Email, lang)}</dt>
            <dd><bdi dir="ltr">{input.email.clone()}</bdi></dd>
            <dt>{field_label(Field::Country, lang)}</dt>
            <dd>{country_name(&input.country, lang)}</dd>
            <dt>{field_label(Field::StakeholderGroup, lang)}</dt>
            <dd>{group_name(input.group, lang)}{group_other}</dd>
            {link}
            <dt>{t.console_mail}</dt>
            <dd>{mail_status(lang, &input.mail)}</dd>
        </dl>
    }
}

fn mail_status(lang: Lang, status: &MailStatus) -> AnyView {
    let t = ui(lang);
    match status {
        MailStatus::Sent(at) => view! {
            {t.console_mail_sent}" "<time datetime=at.clone() dir="ltr">{at.clone()}</time>
        }
        .into_any(),
        MailStatus::Waiting(n) => {
            fill_count(&t.console_mail_waiting, lang, *n, &[("count", *n)]).into_any()
        }
        MailStatus::Failed => t.console_mail_failed.into_any(),
        MailStatus::NotMailed => t.console_mail_none.into_any(),
    }
}

fn decide_forms(lang: Lang, input: &ConsoleInput) -> impl IntoView {
    let t = ui(lang);
    let action = decide_path(lang, &input.reference);
    let reasons = REASONS.map(|r| view! { <option value=r>{reason_label(lang, r)}</option> });
    let undo =
        (input.state != StateFilter::New && input.state != StateFilter::Withdrawn).then(|| {
            view! {
                <form method="post" action=action.clone()>
                    <input type="hidden" name="action" value="undo" />
                    <p><button type="submit">{t.console_undo}</button></p>
                </form>
            }
        });
    (input.state != StateFilter::Withdrawn).then(|| {
        view! {
            <section class="imrf-console-decide" aria-labelledby="imrf-console-decide">
                <h2 id="imrf-console-decide">{t.console_decide}</h2>
                <form method="post" action=action.clone()>
                    <input type="hidden" name="action" value="publish" />
                    <p><button type="submit">{t.console_publish}</button></p>
                </form>
                <form method="post" action=action.clone()>
                    <input type="hidden" name="action" value="decline" />
                    <p>
                        <label for="imrf-console-reason">{t.console_reason}</label>
                        <select id="imrf-console-reason" name="reason" required>{reasons}</select>
                    </p>
                    <p>
                        <label for="imrf-console-note">{t.console_note_label}</label>
                        <textarea id="imrf-console-note" name="note" rows="2" maxlength="500"></textarea>
                    </p>
                    <p><button type="submit">{t.console_decline}</button></p>
                </form>
                {undo}
            </section>
        }
    })
}

fn history_state(lang: Lang, logged: &str) -> String {
    let (state, reason) = logged
        .split_once(':')
        .map_or((logged, None), |(s, r)| (s, Some(r)));
    match StateFilter::from_key(state) {
        Some(s) => state_label(lang, s, reason),
        None => logged.to_string(),
    }
}

fn history(lang: Lang, input: &ConsoleInput) -> impl IntoView {
    let t = ui(lang);
    let rows = input
        .history
        .iter()
        .map(|e| {
            let fields = || {
                e.note
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(Field::from_key)
                    .map(|f| field_label(f, lang))
                    .collect::<Vec<_>>()
                    .join(t.console_list_separator)
            };
            let what = match e.action.as_str() {
                "redact" => fill(t.console_history_redacted, &[("fields", &fields())]),
                "unredact" => t.console_history_unredacted.to_string(),
                _ => format!(
                    "{} → {}",
                    history_state(lang, &e.from),
                    history_state(lang, &e.to)
                ),
            };
            // A redaction's note is the fields' keys, said above.
            let note = (!e.action.ends_with("redact"))
                .then(|| e.note.clone())
                .flatten()
                .unwrap_or_default();
            view! {
                <tr>
                    <td><time datetime=e.at.clone() dir="ltr">{e.at.clone()}</time></td>
                    <td><bdi>{e.actor.clone()}</bdi></td>
                    <td>{what}</td>
                    <td><bdi>{note}</bdi></td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let body = if rows.is_empty() {
        view! { <p>{t.console_history_none}</p> }.into_any()
    } else {
        view! {
            <table class="imrf-console-history">
                <thead>
                    <tr>
                        <th scope="col">{t.console_when}</th>
                        <th scope="col">{t.console_who}</th>
                        <th scope="col">{t.console_what}</th>
                        <th scope="col">{t.console_note}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="imrf-console-history">
            <h2 id="imrf-console-history">{t.console_history}</h2>
            {body}
        </section>
    }
}

fn staff_view(lang: Lang, lines: &[StaffLine]) -> impl IntoView {
    let t = ui(lang);
    let rows = lines
        .iter()
        .map(|s| {
            let role = if s.administrator {
                t.console_role_administrator
            } else {
                t.console_role_reviewer
            };
            view! {
                <tr>
                    <td><bdi dir="ltr">{s.email.clone()}</bdi></td>
                    <td>{role}</td>
                    <td>{format_count(lang, s.passkeys)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <article class="imrf-record">
            <h1>{t.console_staff}</h1>
            <table class="imrf-console-history">
                <thead>
                    <tr>
                        <th scope="col">{t.console_email_label}</th>
                        <th scope="col">{t.console_what}</th>
                        <th scope="col">{t.console_passkeys}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p><a href=home_path(lang)>{t.console_back}</a></p>
        </article>
    }
}
