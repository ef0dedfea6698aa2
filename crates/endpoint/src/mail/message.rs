//! What is sent: the message about one input to the secretariat's mailbox,
//! and the daily digest. Pure: a stored row and the configuration in, a
//! complete message out (the same bytes on every attempt but for the
//! transport's own headers), tested natively.
//!
//! Every header value is given to lettre as text, which encodes it (RFC 2047)
//! and folds it; nothing is spliced into a header by hand. On top of that a
//! value is made one line (controls and line breaks become spaces), an
//! encoded-word lookalike (`=?`) is broken with an invisible WORD JOINER so a
//! reader's client shows it as typed, and a long title is cut for the Subject
//! (the whole title is in the body).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use imrf_contract::{
    countries, endonym, field_label, mail_message, stakeholder_group_label, Field, Lang,
    MailMessage, StakeholderGroup,
};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::MailConfig;
use crate::store::{secretariat_message_id, StoredRow};

/// The longest Subject text taken from a title, in characters.
const SUBJECT_TITLE_CHARS: usize = 120;

/// The confirmation to the sender who asked for one, in their language: the
/// reference, what happens next and the withdrawal link (when the site's
/// public URL is known). It repeats nothing the sender typed, not even their
/// name, so the form cannot carry someone's words to another's mailbox;
/// `Reply-To` is the secretariat.
pub fn confirmation_message(
    row: &StoredRow,
    message_id: &str,
    withdraw_link: Option<&str>,
    cfg: &MailConfig,
) -> Result<Message> {
    let lang = Lang::from_tag(&row.language).unwrap_or(Lang::Ar);
    let to: lettre::Address = row
        .email
        .parse()
        .map_err(|e| anyhow::anyhow!("the sender's address is not one a mail server takes: {e}"))?;
    let words = |m| mail_message(m, lang);
    let link = match withdraw_link {
        Some(link) => format!("{}\n{link}", words(MailMessage::ConfirmationWithdraw)),
        None => words(MailMessage::ConfirmationWithdrawOnReceipt).to_string(),
    };
    let plain = format!(
        "{}\n\n{}: {}\n\n{}\n\n{link}\n\n{}\n",
        words(MailMessage::ConfirmationBody),
        words(MailMessage::Reference),
        row.reference,
        words(MailMessage::ConfirmationNext),
        words(MailMessage::ConfirmationNotYou),
    );
    Message::builder()
        .message_id(Some(message_id.to_string()))
        .from(cfg.from.clone())
        .reply_to(cfg.secretariat.clone())
        .to(Mailbox::new(None, to))
        .subject(format!(
            "[{}] {}",
            row.reference,
            words(MailMessage::ConfirmationSubject)
        ))
        .date(received_time(row))
        .singlepart(lettre::message::SinglePart::plain(plain))
        .context("building the confirmation")
}

/// The message about one input, in the language the stakeholder used.
pub fn secretariat_message(row: &StoredRow, message_id: &str, cfg: &MailConfig) -> Result<Message> {
    let lang = Lang::from_tag(&row.language).unwrap_or(Lang::Ar);
    let subject = format!(
        "[{}] {}",
        row.reference,
        header_text(&row.title, SUBJECT_TITLE_CHARS)
    );
    let mut builder = Message::builder()
        .message_id(Some(message_id.to_string()))
        .from(cfg.from.clone())
        .to(cfg.secretariat.clone())
        .subject(subject)
        .date(received_time(row));
    if let Some(reply_to) = sender_mailbox(row) {
        builder = builder.reply_to(reply_to);
    }
    let body = InputBody::new(row, lang);
    builder
        .multipart(MultiPart::alternative_plain_html(body.plain(), body.html()))
        .context("building the message to the secretariat")
}

/// The notice that the sender withdrew an input: a reply to the input's own
/// message (`In-Reply-To`, `References`), so the mail client shows it with it.
pub fn withdrawal_message(
    row: &StoredRow,
    withdrawn_at: &str,
    message_id: &str,
    cfg: &MailConfig,
) -> Result<Message> {
    let lang = Lang::from_tag(&row.language).unwrap_or(Lang::Ar);
    let original = secretariat_message_id(&row.reference, &cfg.message_id_domain);
    let subject = format!(
        "[{}] {}: {}",
        row.reference,
        mail_message(MailMessage::WithdrawnSubject, lang),
        header_text(&row.title, SUBJECT_TITLE_CHARS)
    );
    let plain = format!(
        "{}\n\n{}: {}\n{}: {}\n",
        mail_message(MailMessage::WithdrawnBody, lang),
        mail_message(MailMessage::Reference, lang),
        row.reference,
        mail_message(MailMessage::WithdrawnAt, lang),
        received_display(withdrawn_at),
    );
    Message::builder()
        .message_id(Some(message_id.to_string()))
        .in_reply_to(original.clone())
        .references(original)
        .from(cfg.from.clone())
        .to(cfg.secretariat.clone())
        .subject(subject)
        .singlepart(lettre::message::SinglePart::plain(plain))
        .context("building the withdrawal notice")
}

/// The daily digest: the day's references (each also sent on its own), so
/// a person sees a missing or doubled message.
pub fn digest_message(
    day: &str,
    references: &[String],
    flagged: usize,
    message_id: &str,
    cfg: &MailConfig,
) -> Result<Message> {
    // The secretariat works in both languages: the digest says everything twice.
    let mut plain = String::new();
    for lang in Lang::ALL {
        plain.push_str(mail_message(MailMessage::DigestIntro, lang));
        plain.push_str("\n\n");
        for r in references {
            plain.push_str(r);
            plain.push('\n');
        }
        plain.push_str(&format!("({})\n\n", references.len()));
        if flagged > 0 {
            plain.push_str(&format!(
                "{} {flagged}\n\n",
                mail_message(MailMessage::DigestFlagged, lang)
            ));
        }
    }
    let subject = format!(
        "{} / {} {day}",
        mail_message(MailMessage::DigestSubject, Lang::Ar),
        mail_message(MailMessage::DigestSubject, Lang::En)
    );
    Message::builder()
        .message_id(Some(message_id.to_string()))
        .from(cfg.from.clone())
        .to(cfg.secretariat.clone())
        .subject(subject)
        .singlepart(lettre::message::SinglePart::plain(plain))
        .context("building the digest")
}

/// The stakeholder's name and address as the Reply-To, when the address is
/// one a mail server can take (the contract allows a few that lettre does not).
fn sender_mailbox(row: &StoredRow) -> Option<Mailbox> {
    let address = row.email.parse().ok()?;
    let name = header_text(&row.name, 200);
    Some(Mailbox::new((!name.is_empty()).then_some(name), address))
}

fn received_time(row: &StoredRow) -> std::time::SystemTime {
    time::OffsetDateTime::parse(
        &row.received_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map(std::time::SystemTime::from)
    .unwrap_or_else(|_| std::time::SystemTime::now())
}

/// A value fit for one header: controls, line and paragraph separators and
/// bidi controls become spaces, runs of spaces one, `=?` broken, cut to `max`
/// characters with an ellipsis.
pub fn header_text(value: &str, max: usize) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in value.chars() {
        let blank = c.is_control()
            || c.is_whitespace()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if blank {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c == '?' && out.ends_with('=') {
            out.push('\u{2060}');
        }
        out.push(c);
    }
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect::<String>();
        out.push('…');
    }
    out
}

/// One input laid out for reading: labels in the stakeholder's language,
/// each value in its own direction.
struct InputBody<'a> {
    row: &'a StoredRow,
    lang: Lang,
    directions: BTreeMap<String, String>,
}

/// A line of the message: a label and a value with its direction.
struct Line {
    label: String,
    value: String,
    dir: &'static str,
}

impl<'a> InputBody<'a> {
    fn new(row: &'a StoredRow, lang: Lang) -> InputBody<'a> {
        InputBody {
            row,
            lang,
            directions: serde_json::from_str(&row.directions).unwrap_or_default(),
        }
    }

    /// The direction the stakeholder typed a field in, else the text's own.
    fn dir(&self, field: Field) -> &'static str {
        match self.directions.get(field.key()).map(String::as_str) {
            Some("rtl") => "rtl",
            Some("ltr") => "ltr",
            _ => "auto",
        }
    }

    fn not_given(&self, value: &str) -> String {
        if value.trim().is_empty() {
            mail_message(MailMessage::NotGiven, self.lang).to_string()
        } else {
            value.to_string()
        }
    }

    fn field(&self, field: Field, value: &str) -> Line {
        Line {
            label: field_label(field, self.lang).to_string(),
            value: self.not_given(value),
            dir: self.dir(field),
        }
    }

    fn heading(&self) -> Vec<Line> {
        let lang = self.lang;
        vec![
            Line {
                label: mail_message(MailMessage::Reference, lang).into(),
                value: self.row.reference.clone(),
                dir: "ltr",
            },
            Line {
                label: mail_message(MailMessage::Received, lang).into(),
                value: received_display(&self.row.received_at),
                dir: "ltr",
            },
            Line {
                label: mail_message(MailMessage::FormLanguage, lang).into(),
                value: Lang::from_tag(&self.row.language)
                    .map_or_else(|| self.row.language.clone(), |l| endonym(l).to_string()),
                dir: "auto",
            },
        ]
    }

    /// Every field but the input itself, in the form's order.
    fn fields(&self) -> Vec<Line> {
        let r = self.row;
        let mut email = self.field(Field::Email, &r.email);
        email.dir = "ltr";
        let mut link = self.field(Field::Link, &r.link);
        link.dir = "ltr";
        vec![
            self.field(Field::Name, &r.name),
            self.field(Field::Organisation, &r.organisation),
            email,
            Line {
                label: field_label(Field::Country, self.lang).into(),
                value: self.not_given(&country_name(&r.country, self.lang)),
                dir: "auto",
            },
            Line {
                label: field_label(Field::StakeholderGroup, self.lang).into(),
                value: self.not_given(&self.group()),
                dir: "auto",
            },
            self.field(Field::Title, &r.title),
            link,
        ]
    }

    fn group(&self) -> String {
        let r = self.row;
        match StakeholderGroup::from_key(&r.stakeholder_group) {
            Some(StakeholderGroup::Other) if !r.stakeholder_group_other.is_empty() => format!(
                "{}: {}",
                stakeholder_group_label(StakeholderGroup::Other, self.lang),
                r.stakeholder_group_other
            ),
            Some(g) => stakeholder_group_label(g, self.lang).to_string(),
            None => String::new(),
        }
    }

    fn plain(&self) -> String {
        let lang = self.lang;
        let mut out = format!("{}\n\n", mail_message(MailMessage::NewInput, lang));
        for line in self.heading() {
            out.push_str(&format!("{}: {}\n", line.label, line.value));
        }
        out.push('\n');
        for line in self.fields() {
            out.push_str(&format!("{}: {}\n", line.label, line.value));
        }
        out.push_str(&format!(
            "\n{}:\n\n{}\n\n-- \n{}\n",
            field_label(Field::Input, lang),
            self.row.input,
            mail_message(MailMessage::ReplyHint, lang)
        ));
        out
    }

    /// The HTML part: `lang`/`dir` on the document and a direction on every
    /// value, so an Arabic input reads right to left in Outlook and Gmail.
    fn html(&self) -> String {
        let lang = self.lang;
        let row = |l: &Line| {
            format!(
                "<tr><th scope=\"row\" style=\"text-align:start;padding:2px 8px\">{}</th>\
                 <td dir=\"{}\" style=\"padding:2px 8px\">{}</td></tr>\n",
                escape(&l.label),
                l.dir,
                escape(&l.value)
            )
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
             <title>{title}</title></head>\n<body dir=\"{dir}\">\n<p>{intro}</p>\n<table role=\"presentation\">\n",
            code = lang.code(),
            dir = lang.dir().code(),
            title = escape(&self.row.title),
            intro = escape(mail_message(MailMessage::NewInput, lang)),
        );
        for line in self.heading().iter().chain(&self.fields()) {
            out.push_str(&row(line));
        }
        out.push_str(&format!(
            "</table>\n<h2>{}</h2>\n<div dir=\"{}\">\n",
            escape(field_label(Field::Input, lang)),
            self.dir(Field::Input)
        ));
        for paragraph in self
            .row
            .input
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
        {
            let lines: Vec<String> = paragraph.lines().map(escape).collect();
            out.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
        }
        out.push_str(&format!(
            "</div>\n<hr>\n<p>{}</p>\n</body></html>\n",
            escape(mail_message(MailMessage::ReplyHint, lang))
        ));
        out
    }
}

/// The country's UN name in the language, "Other" as the form says it.
fn country_name(code: &str, lang: Lang) -> String {
    if code == "other" {
        return imrf_release::release_content::ui(lang)
            .country_other
            .to_string();
    }
    countries::all()
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_string(), |c| c.name(lang).to_string())
}

/// `2026-12-04 10:15 UTC` from the stored RFC 3339 time.
fn received_display(stored: &str) -> String {
    match stored.get(..16) {
        Some(t) if stored.ends_with('Z') => format!("{} UTC", t.replacen('T', " ", 1)),
        _ => stored.to_string(),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn row() -> StoredRow {
        StoredRow {
            reference: "IMRF-7K2M9QXA".into(),
            received_at: "2026-12-04T10:15:30.123Z".into(),
            idempotency_key: "k".into(),
            language: "ar".into(),
            name: "Amina \"Ali\"".into(),
            organisation: "جمعية".into(),
            email: "amina@example.org".into(),
            country: "EG".into(),
            stakeholder_group: "civil_society".into(),
            stakeholder_group_other: String::new(),
            title: "عنوان".into(),
            input: "سطر أول\nسطر ثانٍ\n\n<script>x</script>".into(),
            link: String::new(),
            consent: true,
            directions: r#"{"input":"rtl","name":"ltr"}"#.into(),
            fill_ms: 9000,
            flagged: None,
        }
    }

    fn cfg() -> MailConfig {
        MailConfig {
            server: super::super::parse_smtp_url("smtp://127.0.0.1:25").unwrap(),
            from: "IMRF form <forms@example.org>".parse().unwrap(),
            secretariat: "unmignet@iom.int".parse().unwrap(),
            message_id_domain: "example.org".into(),
            retry_base: std::time::Duration::from_secs(30),
            send_timeout: std::time::Duration::from_secs(60),
            public_url: None,
        }
    }

    fn formatted(row: &StoredRow) -> String {
        let id = secretariat_message_id(&row.reference, "example.org");
        String::from_utf8(secretariat_message(row, &id, &cfg()).unwrap().formatted()).unwrap()
    }

    fn headers(message: &str) -> Vec<&str> {
        let head = message.split("\r\n\r\n").next().unwrap();
        head.split("\r\n").collect()
    }

    #[test]
    fn header_values_are_one_line_and_never_an_encoded_word() {
        assert_eq!(header_text("a\r\nBcc: x@y\n", 200), "a Bcc: x@y");
        assert_eq!(header_text("  x\u{2028}\u{202E}y  ", 200), "x y");
        assert_eq!(
            header_text("=?utf-8?b?SGk=?=", 200),
            "=\u{2060}?utf-8?b?SGk=\u{2060}?="
        );
        let long = header_text(&"a".repeat(900), 120);
        assert_eq!(long.chars().count(), 120);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn a_hostile_title_stays_one_subject() {
        let mut r = row();
        r.title = format!(
            "x\r\nBcc: victim@example.org\r\n\r\nbody {}",
            "w".repeat(900)
        );
        r.name = "n\r\nTo: other@example.org".into();
        let m = formatted(&r);
        let hs = headers(&m);
        assert!(!hs.iter().any(|h| h.starts_with("Bcc:")), "{hs:?}");
        assert_eq!(
            hs.iter().filter(|h| h.starts_with("To:")).count(),
            1,
            "{hs:?}"
        );
        assert_eq!(hs.iter().filter(|h| h.starts_with("Subject:")).count(), 1);
        // Folded lines of one header start with white space.
        let subject_at = hs.iter().position(|h| h.starts_with("Subject:")).unwrap();
        for h in &hs[subject_at + 1..] {
            if !h.starts_with([' ', '\t']) {
                assert!(h.contains(':'), "{h}");
                break;
            }
        }
    }

    #[test]
    fn the_message_id_is_derived_from_the_reference() {
        let m = formatted(&row());
        assert!(
            m.contains("Message-ID: <IMRF-7K2M9QXA.secretariat@example.org>\r\n"),
            "{m}"
        );
        assert_eq!(formatted(&row()).matches("Message-ID:").count(), 1);
        assert!(m.contains("Reply-To:"), "{m}");
        assert!(m.contains("amina@example.org"), "{m}");
    }

    #[test]
    fn the_html_part_carries_language_and_directions_and_escapes() {
        let r = row();
        let body = InputBody::new(&r, Lang::Ar);
        let html = body.html();
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
        assert!(html.contains("<div dir=\"rtl\">"), "{html}");
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(
            html.contains("<td dir=\"ltr\" style=\"padding:2px 8px\">Amina &quot;Ali&quot;</td>"),
            "{html}"
        );
        assert!(
            html.contains("جمهورية مصر العربية") || html.contains("مصر"),
            "{html}"
        );
        let plain = body.plain();
        assert!(plain.contains("سطر أول\nسطر ثانٍ"), "{plain}");
        assert!(
            plain.contains(mail_message(MailMessage::NotGiven, Lang::Ar)),
            "{plain}"
        );
    }

    #[test]
    fn an_unparsable_address_gives_no_reply_to() {
        let mut r = row();
        r.email = "not an address".into();
        assert!(!formatted(&r).contains("Reply-To:"));
    }
}
