//! The fast path: one pass over a message that says whether any recognizer could start on it.
//!
//! Most chat has no digits, no `@`, no dotted word and no cue word; such a message is clean after
//! this pass, without normalization, tokens or allocation (for ASCII). The pass must never say
//! "clean" where the full pipeline would find something: a property test holds it to that.
//! Depends on `words` (and the thresholds of `phone` and `dress`); must not depend on the
//! recognizers' logic or the window.

use super::words::{
    self, ACCOUNT_NOUN, CONTACT_VERB, EMAIL_CUE, Lex, Lexicon, PLATFORM, PLATFORM_WEAK, PROVIDER,
};
use super::{dress, phone};

/// How the fast path reads a non-ASCII character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuickChar {
    /// As this ASCII byte (what normalization would make of it, or a neutral mark).
    Byte(u8),
    /// An emoji joiner or selector: nothing, unless it splits a word (then it may hide one).
    Joiner,
    /// Might normalize to a letter or digit: leave it to the full pipeline.
    Bail,
}

/// The fast path's reading of a non-ASCII character. Only punctuation, spaces and emoji are read;
/// letters, digits of other scripts and enclosed or fullwidth forms bail.
fn quick_char(c: char) -> QuickChar {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => QuickChar::Byte(b'\''),
        '\u{201C}'..='\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => QuickChar::Byte(b'"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => QuickChar::Byte(b'-'),
        '\u{2026}' | '\u{2022}' | '\u{00B7}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}'
        | '\u{3002}' => QuickChar::Byte(b'.'),
        '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' => QuickChar::Joiner,
        c if c.is_whitespace() => QuickChar::Byte(b' '),
        '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{2600}'..='\u{2775}'
        | '\u{2794}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{1F1E6}'..='\u{1F1FF}'
        | '\u{1F300}'..='\u{1FAFF}' => QuickChar::Byte(b'*'),
        _ => QuickChar::Bail,
    }
}

/// What the fast pass found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quick {
    /// Something that can start an address or handle match: `@`, `#`, a dotted, slashed or
    /// underscored word, a letters-and-digits word, a cue word, spaced-out letters.
    pub(crate) trigger: bool,
    /// Digits plus the digits spelled-number words can stand for.
    pub(crate) digits: usize,
}

impl Quick {
    /// Nothing can match: no trigger, and too few digits for a phone number.
    pub(crate) fn is_clean(&self) -> bool {
        !self.trigger && self.digits < phone::MIN_DIGITS
    }
}

/// One pass over `text` (allocation-free for ASCII): is there anything a recognizer could
/// start from? `None` when the text holds characters only the full pipeline can read. Must
/// report a trigger or enough digits whenever `detect` could find something.
pub(crate) fn quick(lexicon: &Lexicon, text: &str) -> Option<Quick> {
    if text.is_ascii() {
        return Some(quick_bytes(lexicon, text.as_bytes()));
    }
    // Curly quotes, dashes and emoji are everyday chat: read them as their ASCII
    // counterparts; anything that normalization could turn into a letter or digit bails.
    let mut mapped = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            mapped.push(c as u8);
            continue;
        }
        match quick_char(c) {
            QuickChar::Byte(b) => mapped.push(b),
            QuickChar::Joiner => {
                let before = mapped.last().is_some_and(u8::is_ascii_alphanumeric);
                let after = chars.peek().is_some_and(char::is_ascii_alphanumeric);
                if before && after {
                    return None;
                }
            }
            QuickChar::Bail => return None,
        }
    }
    Some(quick_bytes(lexicon, &mapped))
}

/// [`quick`] over ASCII bytes.
fn quick_bytes(lexicon: &Lexicon, bytes: &[u8]) -> Quick {
    const CUES: u32 = PLATFORM | PLATFORM_WEAK | EMAIL_CUE | PROVIDER | ACCOUNT_NOUN;
    let mut quick = Quick {
        trigger: false,
        digits: 0,
    };
    let (mut singles, mut asks) = (0usize, false);
    let mut i = 0;
    while i < bytes.len() && !quick.trigger {
        let b = bytes[i];
        if !b.is_ascii_alphanumeric() {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            quick.trigger = match b {
                b'@' | b'#' => true,
                b'.' | b'/' | b'_' => {
                    after.is_some_and(|a| a.is_ascii_alphanumeric())
                        || (before.is_some_and(|c| c.is_ascii_whitespace())
                            && after.is_some_and(|c| c.is_ascii_whitespace()))
                }
                _ => false,
            };
            if !b.is_ascii_whitespace() {
                singles = 0;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric()
                || (bytes[i] == b'\'' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
        {
            i += 1;
        }
        let run = &bytes[start..i];
        let digits = run.iter().filter(|b| b.is_ascii_digit()).count();
        singles = if run.len() == 1 { singles + 1 } else { 0 };
        if digits == run.len() {
            quick.digits += digits;
        } else if let glued @ 1.. = words::glued_digit_count(run) {
            // Spelled digits glued together: "fivefivefive", "4one5".
            quick.digits += glued;
        } else if digits > 0 {
            // Letters and digits: lookalike digits, "d1scord", "name22".
            quick.trigger = true;
        } else if run.len() <= words::LONGEST_WORD {
            let mut lower = [0u8; words::LONGEST_WORD];
            for (l, b) in lower.iter_mut().zip(run) {
                *l = b.to_ascii_lowercase();
            }
            let word = &lower[..run.len()];
            let lex = lexicon.get(word);
            quick.digits += lex.spelled.map_or(0, words::Spelled::weight);
            quick.trigger = lex.has(CUES | words::TRIGGER) || (asks && word == b"me");
            asks = lex.has(CONTACT_VERB);
        }
        quick.trigger |= singles >= dress::SPACED_RUN;
    }
    quick
}

/// The lexicon entry of a word as typed (any case), without allocating.
pub(crate) fn lookup_lower(lexicon: &Lexicon, word: &str) -> Lex {
    if word.len() > words::LONGEST_WORD {
        return Lex::default();
    }
    let mut lower = [0u8; words::LONGEST_WORD];
    for (l, b) in lower.iter_mut().zip(word.bytes()) {
        *l = b.to_ascii_lowercase();
    }
    lexicon.get(&lower[..word.len()])
}
