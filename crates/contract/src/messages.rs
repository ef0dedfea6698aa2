//! Field names and error messages in both languages. They live with the rules
//! so that the form and the endpoint word every error the same way.

use crate::{Field, Lang, Rule};

/// The field's name as an error message refers to it.
pub fn field_label(field: Field, lang: Lang) -> &'static str {
    match (field, lang) {
        (Field::Name, Lang::Ar) => "الاسم",
        (Field::Name, Lang::En) => "Name",
        (Field::Organisation, Lang::Ar) => "المنظمة",
        (Field::Organisation, Lang::En) => "Organization",
        (Field::Email, Lang::Ar) => "البريد الإلكتروني",
        (Field::Email, Lang::En) => "Email address",
        (Field::Country, Lang::Ar) => "البلد أو الإقليم",
        (Field::Country, Lang::En) => "Country or territory",
        (Field::StakeholderGroup, Lang::Ar) => "فئة أصحاب المصلحة",
        (Field::StakeholderGroup, Lang::En) => "Stakeholder group",
        (Field::StakeholderGroupOther, Lang::Ar) => "فئة أصحاب المصلحة الأخرى",
        (Field::StakeholderGroupOther, Lang::En) => "Other stakeholder group",
        (Field::Title, Lang::Ar) => "عنوان المدخلات",
        (Field::Title, Lang::En) => "Title of your input",
        (Field::Input, Lang::Ar) => "المدخلات",
        (Field::Input, Lang::En) => "Your input",
        (Field::Link, Lang::Ar) => "رابط إلى وثيقة منشورة",
        (Field::Link, Lang::En) => "Link to a published document",
        (Field::Consent, Lang::Ar) => "الموافقة على النشر",
        (Field::Consent, Lang::En) => "Consent to publication",
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
        (Rule::TooLong { max }, Lang::Ar) => {
            format!("يجب ألا يتجاوز حقل «{label}» {max} حرفًا")
        }
        (Rule::TooLong { max }, Lang::En) => {
            format!("{label} must be {max} characters or fewer")
        }
        (Rule::EmailSyntax, Lang::Ar) => {
            "أدخل عنوان بريد إلكتروني بالصيغة الصحيحة، مثل name@example.org".to_string()
        }
        (Rule::EmailSyntax, Lang::En) => {
            "Enter an email address in the correct format, like name@example.org".to_string()
        }
        (Rule::UrlSyntax, Lang::Ar) => {
            "أدخل رابطًا كاملًا بالصيغة الصحيحة، مثل https://example.org/report".to_string()
        }
        (Rule::UrlSyntax, Lang::En) => {
            "Enter a full link in the correct format, like https://example.org/report".to_string()
        }
        (Rule::UrlScheme, Lang::Ar) => "يجب أن يبدأ الرابط بـ http:// أو https://".to_string(),
        (Rule::UrlScheme, Lang::En) => "The link must start with http:// or https://".to_string(),
        (Rule::CountryUnknown, Lang::Ar) => "اختر بلدًا أو إقليمًا من القائمة".to_string(),
        (Rule::CountryUnknown, Lang::En) => {
            "Select a country or territory from the list".to_string()
        }
        (Rule::ConsentRequired, Lang::Ar) => {
            "يجب أن توافق على نشر مدخلاتك على الموقع الإلكتروني للشبكة لإرسالها".to_string()
        }
        (Rule::ConsentRequired, Lang::En) => {
            "You must agree to your input being published on the Network's website to send it"
                .to_string()
        }
        (Rule::Malformed, Lang::Ar) => {
            format!("تعذّر قراءة «{label}». أعد تحميل الصفحة وحاول مرة أخرى")
        }
        (Rule::Malformed, Lang::En) => {
            format!("{label} could not be read. Reload the page and try again")
        }
    }
}

fn required_message(field: Field, lang: Lang) -> &'static str {
    match (field, lang) {
        (Field::Name, Lang::Ar) => "أدخل اسمك",
        (Field::Name, Lang::En) => "Enter your name",
        (Field::Email, Lang::Ar) => "أدخل عنوان بريدك الإلكتروني",
        (Field::Email, Lang::En) => "Enter your email address",
        (Field::Country, Lang::Ar) => "اختر البلد أو الإقليم",
        (Field::Country, Lang::En) => "Select your country or territory",
        (Field::StakeholderGroup, Lang::Ar) => "اختر فئة أصحاب المصلحة التي تنتمي إليها",
        (Field::StakeholderGroup, Lang::En) => "Select your stakeholder group",
        (Field::StakeholderGroupOther, Lang::Ar) => "اكتب فئة أصحاب المصلحة التي تنتمي إليها",
        (Field::StakeholderGroupOther, Lang::En) => "Enter your stakeholder group",
        (Field::Title, Lang::Ar) => "أدخل عنوانًا لمدخلاتك",
        (Field::Title, Lang::En) => "Enter a title for your input",
        (Field::Input, Lang::Ar) => "اكتب مدخلاتك",
        (Field::Input, Lang::En) => "Enter your input",
        (Field::Consent, Lang::Ar) => {
            "يجب أن توافق على نشر مدخلاتك على الموقع الإلكتروني للشبكة لإرسالها"
        }
        (Field::Consent, Lang::En) => {
            "You must agree to your input being published on the Network's website to send it"
        }
        (_, Lang::Ar) => "هذا الحقل مطلوب",
        (_, Lang::En) => "This field is required",
    }
}
