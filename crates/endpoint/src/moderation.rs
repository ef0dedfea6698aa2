//! The secretariat's decision on an input, as plain data: what state an
//! input is in, what may be done to it, and what that makes it. Pure
//! (tested natively); the store records it (`store/decisions.rs`) with an
//! entry in the audit log, and every door (the CLI's `publish` and
//! `unpublish`, the console) goes through [`decide`].

/// Why an input is not published: the console's short list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Duplicate,
    OffTopic,
    Abusive,
    PersonalData,
    NotConsented,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 6] = [
        Reason::Duplicate,
        Reason::OffTopic,
        Reason::Abusive,
        Reason::PersonalData,
        Reason::NotConsented,
        Reason::Other,
    ];

    /// The stored and command-line name.
    pub fn key(self) -> &'static str {
        match self {
            Reason::Duplicate => "duplicate",
            Reason::OffTopic => "off_topic",
            Reason::Abusive => "abusive",
            Reason::PersonalData => "personal_data",
            Reason::NotConsented => "not_consented",
            Reason::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// Where an input stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not decided yet.
    New,
    Published,
    /// Decided against publishing, with a reason.
    NotPublished(Reason),
    /// Its sender withdrew it (`crate::withdrawal`): it is never published.
    Withdrawn,
}

impl State {
    /// The stored name (`withdrawn` is not stored here: it comes from `withdrawals`).
    pub fn key(self) -> &'static str {
        match self {
            State::New => "new",
            State::Published => "published",
            State::NotPublished(_) => "not_published",
            State::Withdrawn => "withdrawn",
        }
    }

    /// Reads a stored state and reason back; `None` for anything else.
    pub fn from_stored(state: &str, reason: Option<&str>) -> Option<State> {
        match state {
            "new" => Some(State::New),
            "published" => Some(State::Published),
            "not_published" => Reason::from_key(reason?).map(State::NotPublished),
            "withdrawn" => Some(State::Withdrawn),
            _ => None,
        }
    }

    /// The audit log's name: the key, with the reason after a colon
    /// (`not_published:duplicate`).
    pub fn log_name(self) -> String {
        match self {
            State::NotPublished(r) => format!("{}:{}", self.key(), r.key()),
            _ => self.key().to_string(),
        }
    }

    pub fn reason(self) -> Option<Reason> {
        match self {
            State::NotPublished(r) => Some(r),
            State::New | State::Published | State::Withdrawn => None,
        }
    }
}

/// What a reviewer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Publish,
    DoNotPublish(Reason),
    /// Back to undecided (the console's "undo"): the record no longer shows it.
    Undo,
}

impl Action {
    /// The audit log's name.
    pub fn key(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::DoNotPublish(_) => "do_not_publish",
            Action::Undo => "undo",
        }
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The sender withdrew it: nothing may publish it again.
    Withdrawn,
    /// It was set apart as automated (honeypot, too fast): not published.
    Flagged,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Withdrawn => "its sender withdrew it; a withdrawn input is never published",
            Refusal::Flagged => "it was set apart as automated (flagged); it is not published",
        })
    }
}

/// What an input is about to be decided on: its state, and whether it was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub state: State,
    pub flagged: bool,
}

/// The state an action leads to, or why it may not be done. Doing what is
/// already so (publishing a published input) is allowed and changes nothing.
pub fn decide(standing: Standing, action: Action) -> Result<State, Refusal> {
    if standing.state == State::Withdrawn {
        return Err(Refusal::Withdrawn);
    }
    match action {
        Action::Publish if standing.flagged => Err(Refusal::Flagged),
        Action::Publish => Ok(State::Published),
        Action::DoNotPublish(reason) => Ok(State::NotPublished(reason)),
        Action::Undo => Ok(State::New),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(state: State) -> Standing {
        Standing {
            state,
            flagged: false,
        }
    }

    #[test]
    fn publishing_and_declining() {
        assert_eq!(
            decide(standing(State::New), Action::Publish),
            Ok(State::Published)
        );
        assert_eq!(
            decide(standing(State::Published), Action::Publish),
            Ok(State::Published),
            "again is harmless"
        );
        assert_eq!(
            decide(
                standing(State::Published),
                Action::DoNotPublish(Reason::PersonalData)
            ),
            Ok(State::NotPublished(Reason::PersonalData))
        );
    }

    #[test]
    fn undo_makes_an_input_undecided() {
        for from in [
            State::Published,
            State::NotPublished(Reason::Duplicate),
            State::New,
        ] {
            assert_eq!(decide(standing(from), Action::Undo), Ok(State::New));
        }
    }

    #[test]
    fn a_withdrawn_input_is_never_published() {
        for action in [
            Action::Publish,
            Action::DoNotPublish(Reason::Other),
            Action::Undo,
        ] {
            assert_eq!(
                decide(standing(State::Withdrawn), action),
                Err(Refusal::Withdrawn)
            );
        }
    }

    #[test]
    fn flagged_inputs_are_not_published_but_may_be_declined() {
        let flagged = Standing {
            flagged: true,
            ..standing(State::New)
        };
        assert_eq!(decide(flagged, Action::Publish), Err(Refusal::Flagged));
        assert_eq!(
            decide(flagged, Action::DoNotPublish(Reason::Abusive)),
            Ok(State::NotPublished(Reason::Abusive))
        );
    }

    #[test]
    fn stored_names_read_back() {
        for s in [
            State::New,
            State::Published,
            State::NotPublished(Reason::OffTopic),
            State::Withdrawn,
        ] {
            assert_eq!(
                State::from_stored(s.key(), s.reason().map(Reason::key)),
                Some(s)
            );
            assert!(s.log_name().starts_with(s.key()));
        }
        assert_eq!(State::from_stored("not_published", Some("rude")), None);
        assert_eq!(State::from_stored("hidden", None), None);
        for r in Reason::ALL {
            assert_eq!(Reason::from_key(r.key()), Some(r));
        }
    }
}
