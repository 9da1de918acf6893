//! Domain values parsed at the edge: identifiers, roles, time, pseudonyms and message text.
//!
//! Every value that comes from a member is parsed here into a type that cannot hold an invalid
//! value, so inner modules never re-check. Pure: depends on std, serde and `text` only; no I/O,
//! no clock (time is a value passed in).

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::text;

/// A standing group (a weekly anxiety group, say). Stored in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupId(pub i64);

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A seat in one session of a room. Session-scoped: it means nothing once the session ends, so it
/// can appear in audit events without identifying anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ParticipantId(pub u32);

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A chat message within one session, assigned by the room in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MessageId(pub u64);

/// A facilitator account. Stored in the database; appears in audit events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The keyed hash of a browser's device key (a random value kept in an HttpOnly cookie). Lets a
/// room refuse someone who was removed or banned without knowing who they are.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeviceId(pub [u8; 32]);

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceId(<hash>)")
    }
}

/// Milliseconds since the Unix epoch. The pure core receives "now" as one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Millis(pub i64);

impl Millis {
    /// The instant `ms` milliseconds later.
    #[must_use]
    pub fn plus_ms(self, ms: i64) -> Millis {
        Millis(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self` (negative if `earlier` is later).
    #[must_use]
    pub fn since(self, earlier: Millis) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// What a participant may do in a room. Comes from the server's own records (an invite makes a
/// member; a facilitator session cookie for this group makes a facilitator), never from a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Joined with an invite, under a pseudonym.
    Member,
    /// Holds the room: admits, moderates, opens and ends the session.
    Facilitator,
}

/// Longest pseudonym, in characters (after normalization).
pub const PSEUDONYM_MAX_CHARS: usize = 32;

/// Names a member may not take, because they would let a member pass as staff. Compared on the
/// skeleton, so "Ad min" and "ΑDMIN" are refused as well.
pub const RESERVED_NAMES: &[&str] = &[
    "facilitator",
    "admin",
    "administrator",
    "moderator",
    "mod",
    "hearth",
    "host",
    "staff",
    "system",
    "operator",
];

/// A member's chosen display name: NFKC-normalized, trimmed, 1–32 characters, free of control,
/// bidi and invisible characters, and not a reserved word.
#[derive(Clone, PartialEq, Eq)]
pub struct Pseudonym {
    display: String,
    skeleton: String,
}

// Pseudonyms are personal data: never print them by accident through `{:?}` in a log line.
impl fmt::Debug for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonym(<redacted>)")
    }
}

/// Why a pseudonym was refused. `Display` is a sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PseudonymError {
    /// Nothing left after trimming.
    #[error("Please choose a name: a first name or nickname is enough.")]
    Empty,
    /// More than [`PSEUDONYM_MAX_CHARS`] characters.
    #[error("That name is too long. Please use at most 32 characters.")]
    TooLong,
    /// Line breaks, tabs or other control characters.
    #[error("Names cannot contain line breaks or control characters.")]
    ControlCharacter,
    /// Zero-width, bidi or other invisible characters that could disguise the name.
    #[error(
        "Names cannot contain invisible or direction-changing characters. Please type it plainly."
    )]
    InvisibleCharacter,
    /// Would let a member pass as staff.
    #[error("That name is kept for staff. Please choose another.")]
    Reserved,
    /// Another participant in the room already looks the same.
    #[error(
        "Someone here already uses that name (or one that looks just like it). Please choose another."
    )]
    Taken,
    /// The contact filter found contact details in it.
    #[error(
        "Names cannot contain contact details such as phone numbers, emails or social handles."
    )]
    ContactInfo,
}

impl Pseudonym {
    /// Parses a name typed by a member.
    ///
    /// # Errors
    /// A [`PseudonymError`] whose `Display` says why, in words for the member.
    pub fn parse(raw: &str) -> Result<Pseudonym, PseudonymError> {
        // Refuse (rather than silently strip) invisible characters: a name that differs from what
        // its owner sees is exactly the disguise we want to prevent.
        if raw.chars().any(text::is_invisible) {
            return Err(PseudonymError::InvisibleCharacter);
        }
        let normalized: String = raw.nfkc().collect();
        let display = normalized.trim();
        if display.is_empty() {
            return Err(PseudonymError::Empty);
        }
        if display.chars().any(char::is_control) {
            return Err(PseudonymError::ControlCharacter);
        }
        if display.chars().count() > PSEUDONYM_MAX_CHARS {
            return Err(PseudonymError::TooLong);
        }
        // Collapse runs of inner whitespace so "Sam    Lee" is shown as "Sam Lee".
        let display = display.split_whitespace().collect::<Vec<_>>().join(" ");
        let skeleton = text::skeleton(&display);
        if skeleton.is_empty() {
            return Err(PseudonymError::Empty);
        }
        if is_reserved(&skeleton) {
            return Err(PseudonymError::Reserved);
        }
        Ok(Pseudonym { display, skeleton })
    }

    /// A facilitator's display name comes from their account, which staff choose; reserved words
    /// are allowed there (a facilitator may well be called "Facilitator Sam").
    ///
    /// # Errors
    /// As [`Pseudonym::parse`], except that reserved words are accepted.
    pub fn parse_staff(raw: &str) -> Result<Pseudonym, PseudonymError> {
        match Pseudonym::parse(raw) {
            Err(PseudonymError::Reserved) => {
                let display = raw.nfkc().collect::<String>().trim().to_owned();
                let skeleton = text::skeleton(&display);
                Ok(Pseudonym { display, skeleton })
            }
            other => other,
        }
    }

    /// The name as shown to others.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The visual identity used for uniqueness within a room (see [`text::skeleton`]).
    pub fn skeleton(&self) -> &str {
        &self.skeleton
    }
}

fn is_reserved(skeleton: &str) -> bool {
    RESERVED_NAMES.iter().any(|reserved| {
        let reserved = text::skeleton(reserved);
        // "admin", "the admin", "admin2", "moderator_jo": any name built around a staff word.
        skeleton == reserved
            || (reserved.len() >= 5 && skeleton.contains(reserved.as_str()))
            || skeleton
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == reserved)
    })
}

/// Longest chat message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 2_000;

/// The text of one chat message: not blank, at most [`MESSAGE_MAX_CHARS`] characters, line
/// breaks normalized to `\n`, no control characters other than line breaks and tabs.
#[derive(Clone, PartialEq, Eq)]
pub struct MessageText(String);

// Message text is the most confidential thing the server holds: never in a log line.
impl fmt::Debug for MessageText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageText(<{} bytes>)", self.0.len())
    }
}

/// Why a message could not be sent. `Display` is a sentence for the sender.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace.
    #[error("The message is empty.")]
    Empty,
    /// Over [`MESSAGE_MAX_CHARS`] characters.
    #[error("The message is too long: at most 2,000 characters. Try splitting it in two.")]
    TooLong,
    /// A control character other than a line break or tab.
    #[error("The message contains control characters that cannot be shown.")]
    ControlCharacter,
}

impl MessageText {
    /// Parses text a participant wants to send.
    ///
    /// # Errors
    /// A [`TextError`] whose `Display` says why.
    pub fn parse(raw: &str) -> Result<MessageText, TextError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        // Count before normalizing so the limit a member sees matches what they typed.
        if trimmed.chars().count() > MESSAGE_MAX_CHARS {
            return Err(TextError::TooLong);
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(TextError::ControlCharacter);
        }
        let text = if trimmed.contains('\r') {
            trimmed.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            trimmed.to_owned()
        };
        Ok(MessageText(text))
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonym_is_normalized_and_trimmed() {
        let name = Pseudonym::parse("  Ｒｉｖｅｒ  ").unwrap();
        assert_eq!(name.as_str(), "River");
        let name = Pseudonym::parse("Sam    Lee").unwrap();
        assert_eq!(name.as_str(), "Sam Lee");
    }

    #[test]
    fn pseudonym_length_is_counted_in_characters() {
        assert!(Pseudonym::parse(&"é".repeat(32)).is_ok());
        assert_eq!(
            Pseudonym::parse(&"é".repeat(33)),
            Err(PseudonymError::TooLong)
        );
        assert_eq!(
            Pseudonym::parse(&"a".repeat(33)),
            Err(PseudonymError::TooLong)
        );
    }

    #[test]
    fn blank_pseudonym_is_refused() {
        assert_eq!(Pseudonym::parse(""), Err(PseudonymError::Empty));
        assert_eq!(Pseudonym::parse("   "), Err(PseudonymError::Empty));
    }

    #[test]
    fn pseudonym_with_hidden_or_control_characters_is_refused() {
        for bad in [
            "Ri\u{200B}ver",
            "\u{202E}reviR",
            "Ri\u{2066}ver",
            "x\u{FEFF}",
        ] {
            assert_eq!(
                Pseudonym::parse(bad),
                Err(PseudonymError::InvisibleCharacter),
                "{bad:?}"
            );
        }
        for bad in ["Ri\nver", "Ri\tver", "a\u{7}b", "a\u{85}b"] {
            assert_eq!(
                Pseudonym::parse(bad),
                Err(PseudonymError::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn reserved_names_are_refused_in_any_disguise() {
        for bad in [
            "Facilitator",
            "admin",
            "ADMIN",
            "Αdmin", // Greek capital alpha
            "Moderator",
            "hearth",
            "the admin",
            "admin2",
            "mod",
            "Hearth Staff",
        ] {
            assert_eq!(
                Pseudonym::parse(bad),
                Err(PseudonymError::Reserved),
                "{bad:?}"
            );
        }
        assert!(Pseudonym::parse("Modesty").is_ok());
        assert!(Pseudonym::parse("Admiral").is_ok());
        assert!(Pseudonym::parse("Hosta").is_ok());
    }

    #[test]
    fn staff_names_may_use_reserved_words() {
        assert_eq!(
            Pseudonym::parse_staff("Facilitator Sam").unwrap().as_str(),
            "Facilitator Sam"
        );
    }

    #[test]
    fn pseudonym_debug_never_shows_the_name() {
        let name = Pseudonym::parse("River").unwrap();
        assert!(!format!("{name:?}").contains("River"));
    }

    #[test]
    fn message_text_limits() {
        assert_eq!(MessageText::parse("  "), Err(TextError::Empty));
        assert!(MessageText::parse(&"a".repeat(2_000)).is_ok());
        assert_eq!(
            MessageText::parse(&"a".repeat(2_001)),
            Err(TextError::TooLong)
        );
        assert_eq!(
            MessageText::parse("a\u{0}b"),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(MessageText::parse("a\r\nb").unwrap().as_str(), "a\nb");
        assert!(!format!("{:?}", MessageText::parse("secret").unwrap()).contains("secret"));
    }
}
