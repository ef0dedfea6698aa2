//! The contract's message table: field names, rule messages, stakeholder
//! groups and language names in both languages. They live with the rules so
//! that the form and the endpoint word every error the same way; every other
//! visible word is in `content/`. The app's build fails when Arabic or an
//! English message arm is written anywhere else in Rust (see
//! `imrf_content::build::check_no_inline_words`).
//!
//! Style (UN Arabic and English): the Arabic addresses the reader in neutral
//! forms (يُرجى + verbal noun, not the masculine imperative); a field is named
//! exactly as the form labels it; Latin runs inside Arabic (addresses,
//! examples) are isolated with FSI … PDI so they read left to right.

use crate::{format_count, plural_category, Field, Lang, PluralCategory, Rule, StakeholderGroup};

/// U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE around a
/// Latin run inside Arabic text.
macro_rules! ltr {
    ($s:literal) => {
        concat!("\u{2068}", $s, "\u{2069}")
    };
}

/// The field's name as an error message refers to it: the form's label
/// (a native test in the app checks they are the same text).
pub fn field_label(field: Field, lang: Lang) -> &'static str {
    match (field, lang) {
        (Field::Name, Lang::Ar) => "الاسم الكامل",
        (Field::Name, Lang::En) => "Full name",
        (Field::Organisation, Lang::Ar) => "المنظمة",
        (Field::Organisation, Lang::En) => "Organization",
        (Field::Email, Lang::Ar) => "البريد الإلكتروني",
        (Field::Email, Lang::En) => "Email address",
        (Field::Country, Lang::Ar) => "البلد أو الإقليم",
        (Field::Country, Lang::En) => "Country or territory",
        (Field::StakeholderGroup, Lang::Ar) => "فئة أصحاب المصلحة",
        (Field::StakeholderGroup, Lang::En) => "Stakeholder group",
        (Field::StakeholderGroupOther, Lang::Ar) => "اسم فئة أصحاب المصلحة",
        (Field::StakeholderGroupOther, Lang::En) => "Name of your stakeholder group",
        (Field::Title, Lang::Ar) => "عنوان المدخلات",
        (Field::Title, Lang::En) => "Title of your input",
        (Field::Input, Lang::Ar) => "المدخلات",
        (Field::Input, Lang::En) => "Your input",
        (Field::Link, Lang::Ar) => "رابط إلى وثيقة منشورة",
        (Field::Link, Lang::En) => "Link to a published document",
        (Field::Consent, Lang::Ar) => "الموافقة على النشر",
        (Field::Consent, Lang::En) => "Consent to publication",
        (Field::Confirmation, Lang::Ar) => "تأكيد بالبريد الإلكتروني",
        (Field::Confirmation, Lang::En) => "Confirmation by email",
        (Field::IdempotencyKey, Lang::Ar) => "مفتاح الإرسال",
        (Field::IdempotencyKey, Lang::En) => "Submission key",
        (Field::Directions, Lang::Ar) => "اتجاه النص",
        (Field::Directions, Lang::En) => "Text direction",
    }
}

/// The message shown next to the field and in the error summary. It says what
/// to do, in the GOV.UK manner ("Enter your name"), not just what is wrong.
pub fn rule_message(field: Field, rule: Rule, lang: Lang) -> String {
    let label = field_label(field, lang);
    match (rule, lang) {
        (Rule::Required, _) => required_message(field, lang).to_string(),
        (Rule::TooLong { max }, _) => too_long_message(label, max as u64, lang),
        (Rule::EmailSyntax, Lang::Ar) => concat!(
            "يُرجى إدخال عنوان بريد إلكتروني بالصيغة الصحيحة، مثل ",
            ltr!("name@example.org")
        )
        .to_string(),
        (Rule::EmailSyntax, Lang::En) => {
            "Enter an email address in the correct format, like name@example.org".to_string()
        }
        (Rule::UrlSyntax, Lang::Ar) => concat!(
            "يُرجى إدخال رابط كامل بالصيغة الصحيحة، مثل ",
            ltr!("https://example.org/report")
        )
        .to_string(),
        (Rule::UrlSyntax, Lang::En) => {
            "Enter a full link in the correct format, like https://example.org/report".to_string()
        }
        (Rule::UrlScheme, Lang::Ar) => concat!(
            "يجب أن يبدأ الرابط بـ",
            ltr!("http://"),
            " أو ",
            ltr!("https://")
        )
        .to_string(),
        (Rule::UrlScheme, Lang::En) => "The link must start with http:// or https://".to_string(),
        (Rule::CountryUnknown, Lang::Ar) => "يُرجى اختيار بلد أو إقليم من القائمة".to_string(),
        (Rule::CountryUnknown, Lang::En) => {
            "Select a country or territory from the list".to_string()
        }
        (Rule::ConsentRequired, _) => consent_message(lang).to_string(),
        (Rule::Malformed, Lang::Ar) => {
            format!("تعذّرت قراءة «{label}». يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.")
        }
        (Rule::Malformed, Lang::En) => {
            format!("{label} could not be read. Reload the page and try again.")
        }
    }
}

/// "… must be {max} characters or fewer", with the counted word in the
/// plural form `max` takes (Arabic: حرفًا واحدًا, حرفين, 10 أحرف, 11 حرفًا, 200 حرف).
fn too_long_message(label: &str, max: u64, lang: Lang) -> String {
    let n = format_count(lang, max);
    let category = plural_category(lang, max);
    match lang {
        Lang::Ar => {
            let limit = match category {
                PluralCategory::One => "حرفًا واحدًا".to_string(),
                PluralCategory::Two => "حرفين".to_string(),
                PluralCategory::Few => format!("{n} أحرف"),
                PluralCategory::Many => format!("{n} حرفًا"),
                PluralCategory::Zero | PluralCategory::Other => format!("{n} حرف"),
            };
            format!("يجب ألا يتجاوز حقل «{label}» {limit}.")
        }
        Lang::En => {
            let word = match category {
                PluralCategory::One => "character",
                _ => "characters",
            };
            format!("{label} must be {n} {word} or fewer")
        }
    }
}

/// Consent is both a required field and a rule of its own; one wording.
fn consent_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Ar => "لا يمكن إرسال المدخلات دون الموافقة على نشرها على الموقع الإلكتروني للشبكة",
        Lang::En => "To send your input, agree to it being published on the Network's website",
    }
}

fn required_message(field: Field, lang: Lang) -> &'static str {
    match (field, lang) {
        (Field::Name, Lang::Ar) => "يُرجى إدخال الاسم الكامل",
        (Field::Name, Lang::En) => "Enter your full name",
        (Field::Email, Lang::Ar) => "يُرجى إدخال عنوان البريد الإلكتروني",
        (Field::Email, Lang::En) => "Enter your email address",
        (Field::Country, Lang::Ar) => "يُرجى اختيار البلد أو الإقليم",
        (Field::Country, Lang::En) => "Select your country or territory",
        (Field::StakeholderGroup, Lang::Ar) => "يُرجى اختيار فئة أصحاب المصلحة",
        (Field::StakeholderGroup, Lang::En) => "Select your stakeholder group",
        (Field::StakeholderGroupOther, Lang::Ar) => "يُرجى كتابة اسم فئة أصحاب المصلحة",
        (Field::StakeholderGroupOther, Lang::En) => "Enter the name of your stakeholder group",
        (Field::Title, Lang::Ar) => "يُرجى إدخال عنوان للمدخلات",
        (Field::Title, Lang::En) => "Enter a title for your input",
        (Field::Input, Lang::Ar) => "يُرجى كتابة المدخلات",
        (Field::Input, Lang::En) => "Enter your input",
        (Field::Consent, _) => consent_message(lang),
        (_, Lang::Ar) => "هذا الحقل مطلوب",
        (_, Lang::En) => "This field is required",
    }
}

/// A stakeholder group as the form lists it (the groups the release names).
pub fn stakeholder_group_label(group: StakeholderGroup, lang: Lang) -> &'static str {
    use StakeholderGroup::*;
    match (group, lang) {
        (Migrants, Lang::Ar) => "المهاجرون",
        (Migrants, Lang::En) => "Migrants",
        (CivilSociety, Lang::Ar) => "المجتمع المدني",
        (CivilSociety, Lang::En) => "Civil society",
        (MigrantAndDiasporaOrganisations, Lang::Ar) => "منظمات المهاجرين والشتات",
        (MigrantAndDiasporaOrganisations, Lang::En) => "Migrant and diaspora organizations",
        (FaithBasedOrganisations, Lang::Ar) => "المنظمات الدينية",
        (FaithBasedOrganisations, Lang::En) => "Faith-based organizations",
        (LocalAuthoritiesAndCommunities, Lang::Ar) => "السلطات والمجتمعات المحلية",
        (LocalAuthoritiesAndCommunities, Lang::En) => "Local authorities and communities",
        (PrivateSector, Lang::Ar) => "القطاع الخاص",
        (PrivateSector, Lang::En) => "Private sector",
        (TradeUnions, Lang::Ar) => "النقابات العمالية",
        (TradeUnions, Lang::En) => "Trade unions",
        (Parliamentarians, Lang::Ar) => "البرلمانيون",
        (Parliamentarians, Lang::En) => "Parliamentarians",
        (NationalHumanRightsInstitutions, Lang::Ar) => "المؤسسات الوطنية لحقوق الإنسان",
        (NationalHumanRightsInstitutions, Lang::En) => "National human rights institutions",
        (RedCrossRedCrescentMovement, Lang::Ar) => "الحركة الدولية للصليب الأحمر والهلال الأحمر",
        (RedCrossRedCrescentMovement, Lang::En) => {
            "International Red Cross and Red Crescent Movement"
        }
        (Academia, Lang::Ar) => "الأوساط الأكاديمية",
        (Academia, Lang::En) => "Academia",
        (Media, Lang::Ar) => "وسائل الإعلام",
        (Media, Lang::En) => "Media",
        (Other, Lang::Ar) => "أصحاب مصلحة آخرون",
        (Other, Lang::En) => "Other stakeholders",
        // Decoded from a key the form never sends; always refused, never shown in a list.
        (Unknown, Lang::Ar) => "فئة غير معروفة",
        (Unknown, Lang::En) => "Unknown group",
    }
}

/// A language's name in itself, as a language switcher shows it.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::Ar => "العربية",
        Lang::En => "English",
    }
}

/// The message of a request-level error of the endpoint, by its stable code
/// (`imrf_contract::Code::key`; keyed by string so this table needs nothing
/// from the error module, which reads it). Empty for a code that is not
/// request-level.
pub fn request_message(code: &str, lang: Lang) -> &'static str {
    let (ar, en) = match code {
        "malformed" => (
            "تعذّرت قراءة الطلب. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.",
            "The request could not be read. Reload the page and try again.",
        ),
        "header_missing" => (
            "ترويسة \u{2068}Idempotency-Key\u{2069} مفقودة. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.",
            "The Idempotency-Key header is missing. Reload the page and try again.",
        ),
        "header_mismatch" => (
            "لا تطابق ترويسة \u{2068}Idempotency-Key\u{2069} مفتاح الإرسال الوارد في الطلب. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.",
            "The Idempotency-Key header does not match the key in the body. Reload the page and try again.",
        ),
        "bad_request" => ("تعذّرت معالجة الطلب.", "The request could not be processed."),
        "not_found" => ("لا يوجد شيء على هذا العنوان.", "There is nothing at this address."),
        "method_not_allowed" => (
            "طريقة الطلب هذه غير مسموح بها هنا.",
            "This request method is not allowed here.",
        ),
        "idempotency_conflict" => (
            "سبق إرسال مدخلات أخرى بمفتاح الإرسال نفسه. يُرجى إعادة تحميل الصفحة لبدء إرسال جديد.",
            "Different input was already sent with this submission key. Reload the page to start a new submission.",
        ),
        "too_large" => (
            "الطلب أكبر من المسموح به. يُرجى اختصار المدخلات والمحاولة مرة أخرى.",
            "The request is too large. Shorten the input and try again.",
        ),
        "unsupported_media_type" => (
            "يجب إرسال الطلب بصيغة \u{2068}JSON\u{2069}.",
            "The request must be sent as JSON (Content-Type: application/json).",
        ),
        "foreign_origin" => (
            "أُرسل النموذج من موقع غير مأذون له بإرساله. يُرجى استخدام النموذج على موقع الشبكة أو على موقع أحد شركائها.",
            "The form was sent from a site that is not allowed to send it. Use the form on the Network's site or on one of its partners' sites.",
        ),
        "rate_limited" => (
            "أُرسلت طلبات كثيرة من هذا الاتصال. يُرجى الانتظار قليلًا ثم المحاولة مرة أخرى.",
            "Too many requests were sent from this connection. Wait a moment and try again.",
        ),
        "internal" => (
            "حدث خطأ لدينا ولم تُحفظ المدخلات. يُرجى المحاولة مرة أخرى بعد قليل.",
            "Something went wrong on our side and the input was not saved. Try again in a few minutes.",
        ),
        "timeout" => (
            "انتهت مهلة استلام الطلب. يُرجى المحاولة مرة أخرى.",
            "The request took too long to arrive. Try again.",
        ),
        "uri_too_long" => (
            "عنوان الطلب أطول من المسموح به.",
            "The request address is too long.",
        ),
        "headers_too_large" => (
            "ترويسات الطلب أكبر من المسموح به.",
            "The request headers are too large.",
        ),
        _ => ("", ""),
    };
    match lang {
        Lang::Ar => ar,
        Lang::En => en,
    }
}

/// What a page the endpoint renders for a form posted without JavaScript
/// may say beyond the error vocabulary (the request-level messages above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMessage {
    /// A receipt asked for with a reference the database does not hold.
    UnknownReference,
    /// The form came in a character encoding other than UTF-8 (its 415).
    FormCharset,
}

/// The words of a [`PageMessage`].
pub fn page_message(message: PageMessage, lang: Lang) -> &'static str {
    let (ar, en) = match message {
        PageMessage::UnknownReference => (
            "لم يُعثر على مدخلات بهذا الرقم المرجعي.",
            "No input with this reference was found.",
        ),
        PageMessage::FormCharset => (
            "أُرسل النموذج بترميز أحرف غير مدعوم. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.",
            "The form was sent in a character encoding other than UTF-8. Reload the page and try again.",
        ),
    };
    match lang {
        Lang::Ar => ar,
        Lang::En => en,
    }
}

/// What the messages to the secretariat's mailbox say beyond the form's
/// field labels (the endpoint's `mail/`; natively only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailMessage {
    /// The opening line of an input's message.
    NewInput,
    /// The label of the reference.
    Reference,
    /// The label of the time the input was received.
    Received,
    /// The label of the language the form was shown in.
    FormLanguage,
    /// What an empty optional field shows.
    NotGiven,
    /// A line for the secretariat: reply to this message to answer the sender.
    ReplyHint,
    /// The subject of the daily digest (the day follows).
    DigestSubject,
    /// The digest's opening line (the count of inputs follows on its own line).
    DigestIntro,
    /// The digest's line on inputs flagged as automated (their count follows).
    DigestFlagged,
    /// The subject's word on the notice of a withdrawal (the title follows).
    WithdrawnSubject,
    /// The notice's text: the sender withdrew the input.
    WithdrawnBody,
    /// The label of the time it was withdrawn.
    WithdrawnAt,
    /// The subject of the sender's confirmation (after the reference).
    ConfirmationSubject,
    /// Its first line: the input was received.
    ConfirmationBody,
    /// What happens next.
    ConfirmationNext,
    /// Before the withdrawal link.
    ConfirmationWithdraw,
    /// When there is no link to give (no public URL configured).
    ConfirmationWithdrawOnReceipt,
    /// For whoever got it by mistake.
    ConfirmationNotYou,
}

/// The words of a [`MailMessage`].
#[cfg(not(target_arch = "wasm32"))]
pub fn mail_message(message: MailMessage, lang: Lang) -> &'static str {
    let (ar, en) = match message {
        MailMessage::NewInput => (
            "وردت مدخلات جديدة عبر النموذج على الموقع الإلكتروني.",
            "A new input was sent through the form on the website.",
        ),
        MailMessage::Reference => ("الرقم المرجعي", "Reference"),
        MailMessage::Received => ("وقت الاستلام", "Received"),
        MailMessage::FormLanguage => ("لغة النموذج", "Language of the form"),
        MailMessage::NotGiven => ("(لم يُذكر)", "(not given)"),
        MailMessage::ReplyHint => (
            "للرد على المرسِل، يُرجى الرد على هذه الرسالة.",
            "To answer the sender, reply to this message.",
        ),
        MailMessage::DigestSubject => ("ملخص المدخلات اليومي", "Daily summary of inputs"),
        MailMessage::DigestIntro => (
            "المدخلات التي وردت في هذا اليوم (بالتوقيت العالمي المنسق)، وقد أُرسلت كل منها في رسالة مستقلة:",
            "The inputs received on this day (UTC), each sent in a message of its own:",
        ),
        MailMessage::DigestFlagged => (
            "مدخلات وُضعت جانبًا لأنها تبدو آلية (لا تُرسل بالبريد):",
            "Inputs set apart as automated (not sent by mail):",
        ),
        MailMessage::WithdrawnSubject => ("سُحبت", "Withdrawn"),
        MailMessage::WithdrawnBody => (
            "سحب المرسِل هذه المدخلات عبر الرابط الوارد في الإيصال. ولا يجوز نشرها.",
            "The sender withdrew this input through the link on their receipt. It must not be published.",
        ),
        MailMessage::WithdrawnAt => ("وقت السحب", "Withdrawn"),
        MailMessage::ConfirmationSubject => ("استُلمت المدخلات", "Your input has been received"),
        MailMessage::ConfirmationBody => (
            "استُلمت المدخلات المرسلة إلى أمانة شبكة الأمم المتحدة المعنية بالهجرة عبر النموذج على الموقع الإلكتروني.",
            "Your input to the secretariat of the UN Network on Migration has been received through the form on the website.",
        ),
        MailMessage::ConfirmationNext => (
            "وتستعرض الأمانة المدخلات الواردة، وتنشرها على الموقع الإلكتروني لشبكة الأمم المتحدة المعنية بالهجرة قبل منتدى استعراض الهجرة الدولية. ويُرجى الاحتفاظ بالرقم المرجعي للرجوع إليه عند التواصل مع الأمانة.",
            "The secretariat reviews the inputs it receives and publishes them on the website of the UN Network on Migration ahead of the International Migration Review Forum. Keep the reference in case you need to contact the secretariat about your input.",
        ),
        MailMessage::ConfirmationWithdraw => (
            "لسحب المدخلات حتى لا تُنشر، يُرجى فتح هذا الرابط:",
            "To withdraw your input, so that it is not published, open this link:",
        ),
        MailMessage::ConfirmationWithdrawOnReceipt => (
            "لسحب المدخلات، يُرجى استخدام الرابط الوارد في الإيصال، أو الرد على هذه الرسالة.",
            "To withdraw your input, use the link on your receipt, or reply to this message.",
        ),
        MailMessage::ConfirmationNotYou => (
            "إذا وصلت هذه الرسالة عن طريق الخطأ، يمكن تجاهلها.",
            "If this message reached you by mistake, you can ignore it.",
        ),
    };
    match lang {
        Lang::Ar => ar,
        Lang::En => en,
    }
}

impl MailMessage {
    pub const ALL: [MailMessage; 18] = [
        MailMessage::NewInput,
        MailMessage::Reference,
        MailMessage::Received,
        MailMessage::FormLanguage,
        MailMessage::NotGiven,
        MailMessage::ReplyHint,
        MailMessage::DigestSubject,
        MailMessage::DigestIntro,
        MailMessage::DigestFlagged,
        MailMessage::WithdrawnSubject,
        MailMessage::WithdrawnBody,
        MailMessage::WithdrawnAt,
        MailMessage::ConfirmationSubject,
        MailMessage::ConfirmationBody,
        MailMessage::ConfirmationNext,
        MailMessage::ConfirmationWithdraw,
        MailMessage::ConfirmationWithdrawOnReceipt,
        MailMessage::ConfirmationNotYou,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    const FSI: char = '\u{2068}';
    const PDI: char = '\u{2069}';

    /// Every run of Latin letters inside an Arabic text sits between FSI and PDI.
    fn latin_runs_isolated(text: &str) -> bool {
        let mut depth = 0i32;
        text.chars().all(|c| {
            match c {
                FSI => depth += 1,
                PDI => depth -= 1,
                _ => {}
            }
            !c.is_ascii_alphabetic() || depth > 0
        }) && depth == 0
    }

    fn every_rule() -> Vec<Rule> {
        vec![
            Rule::Required,
            Rule::TooLong { max: 254 },
            Rule::EmailSyntax,
            Rule::UrlSyntax,
            Rule::UrlScheme,
            Rule::CountryUnknown,
            Rule::ConsentRequired,
            Rule::Malformed,
        ]
    }

    #[test]
    fn arabic_messages_isolate_every_latin_run() {
        let url = rule_message(Field::Link, Rule::UrlScheme, Lang::Ar);
        assert!(url.contains("\u{2068}https://\u{2069}"), "{url}");
        for field in Field::VISIBLE {
            for rule in every_rule() {
                let m = rule_message(field, rule, Lang::Ar);
                assert!(latin_runs_isolated(&m), "{field:?} {rule:?}: {m}");
            }
        }
        assert!(!latin_runs_isolated("يبدأ بـ https://"));
    }

    #[test]
    fn too_long_takes_the_plural_form_of_its_number() {
        let ar = |max| rule_message(Field::Title, Rule::TooLong { max }, Lang::Ar);
        let en = |max| rule_message(Field::Title, Rule::TooLong { max }, Lang::En);
        assert_eq!(ar(0), "يجب ألا يتجاوز حقل «عنوان المدخلات» 0 حرف.");
        assert_eq!(ar(1), "يجب ألا يتجاوز حقل «عنوان المدخلات» حرفًا واحدًا.");
        assert_eq!(ar(2), "يجب ألا يتجاوز حقل «عنوان المدخلات» حرفين.");
        assert_eq!(ar(3), "يجب ألا يتجاوز حقل «عنوان المدخلات» 3 أحرف.");
        assert_eq!(ar(11), "يجب ألا يتجاوز حقل «عنوان المدخلات» 11 حرفًا.");
        assert_eq!(ar(100), "يجب ألا يتجاوز حقل «عنوان المدخلات» 100 حرف.");
        assert_eq!(ar(254), "يجب ألا يتجاوز حقل «عنوان المدخلات» 254 حرفًا.");
        assert_eq!(ar(5000), "يجب ألا يتجاوز حقل «عنوان المدخلات» 5,000 حرف.");
        assert_eq!(en(1), "Title of your input must be 1 character or fewer");
        assert_eq!(en(2), "Title of your input must be 2 characters or fewer");
        assert_eq!(
            en(5000),
            "Title of your input must be 5,000 characters or fewer"
        );
    }

    #[test]
    fn consent_is_worded_once() {
        for lang in Lang::ALL {
            assert_eq!(
                rule_message(Field::Consent, Rule::Required, lang),
                rule_message(Field::Consent, Rule::ConsentRequired, lang)
            );
        }
    }

    #[test]
    fn arabic_messages_address_the_reader_in_neutral_forms() {
        // The masculine imperatives the interface used before.
        let masculine = ["أدخل ", "اختر ", "اكتب ", "أعد ", "حاول ", "توافق"];
        for field in Field::VISIBLE {
            for rule in every_rule() {
                let m = rule_message(field, rule, Lang::Ar);
                for word in masculine {
                    assert!(!m.contains(word), "{field:?} {rule:?}: {m}");
                }
            }
        }
    }

    #[test]
    fn mail_messages_exist_in_both_languages() {
        for m in MailMessage::ALL {
            let ar = mail_message(m, Lang::Ar);
            assert!(latin_runs_isolated(ar) && !ar.is_empty(), "{m:?}: {ar}");
            assert!(!mail_message(m, Lang::En).is_empty(), "{m:?}");
            assert_ne!(ar, mail_message(m, Lang::En), "{m:?}");
        }
    }

    #[test]
    fn page_messages_exist_in_both_languages() {
        for m in [PageMessage::UnknownReference, PageMessage::FormCharset] {
            let ar = page_message(m, Lang::Ar);
            assert!(latin_runs_isolated(ar) && !ar.is_empty(), "{m:?}: {ar}");
            assert!(!page_message(m, Lang::En).is_empty(), "{m:?}");
        }
    }
}
