//! The timing stamp each chat message carries, written in plain words.
//!
//! Hearth's contact filter rightly blocks long digit runs (a numeric timestamp looks like a phone
//! number), spelled-out digits and handle-like gibberish. So numbers travel in base 26, and each
//! base-26 digit is written as an ordinary English word whose first letter is the digit (`amber`
//! = 0, `brook` = 1, … `zephyr` = 25). None of the words is a number word, a platform name, a
//! contact cue or shorter than three letters, and the text has no `@`, no link and no digits.
//! Receivers decode by first letters only, which is cheap.
//!
//! Pure: no I/O, no clock.

/// One word per base-26 digit, in letter order: the first letter is the digit.
const WORDS: [&str; 26] = [
    "amber", "brook", "cedar", "daisy", "ember", "fern", "grove", "heron", "ivy", "juniper",
    "kettle", "lantern", "meadow", "nettle", "otter", "pebble", "quill", "robin", "sparrow",
    "thistle", "umber", "violet", "willow", "xylem", "yarrow", "zephyr",
];

/// Chat-like words in front of the stamp, so the message reads like a message and is about as
/// long as a typical one (about 200 bytes of text in all).
const PREFIX: &str = "Checking in with everyone tonight, thank you for listening:";

/// Words per field. Each must hold the field's largest value: 26^3 = 17,576 senders (the file
/// limit caps a run near 19,000 members), 26^5 ≈ 11.9 million messages per sender, and 26^8 µs
/// ≈ 58 hours for the two clocks.
const PHASE_WORDS: usize = 1;
const SENDER_WORDS: usize = 3;
const SEQ_WORDS: usize = 5;
const TIME_WORDS: usize = 8;
const STAMP_WORDS: usize = PHASE_WORDS + SENDER_WORDS + SEQ_WORDS + 2 * TIME_WORDS;

/// What a receiver needs to time and check one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Which load phase sent it (see `run`).
    pub(crate) phase: u32,
    /// The sender's index in the run.
    pub(crate) sender: u32,
    /// The sender's message counter, from 0, across phases.
    pub(crate) seq: u32,
    /// When the open-loop schedule said to send, in µs since the run's epoch.
    pub(crate) intended_us: u64,
    /// When the sender actually handed the frame to its socket, in µs since the epoch.
    pub(crate) sent_us: u64,
}

impl Stamp {
    /// The message text carrying this stamp.
    pub(crate) fn to_text(self) -> String {
        let mut text = String::with_capacity(PREFIX.len() + STAMP_WORDS * 8);
        text.push_str(PREFIX);
        push_number(&mut text, u64::from(self.phase), PHASE_WORDS);
        push_number(&mut text, u64::from(self.sender), SENDER_WORDS);
        push_number(&mut text, u64::from(self.seq), SEQ_WORDS);
        push_number(&mut text, self.intended_us, TIME_WORDS);
        push_number(&mut text, self.sent_us, TIME_WORDS);
        text
    }

    /// Reads a stamp back from a message text; `None` if the text is not one of ours.
    pub(crate) fn from_text(text: &str) -> Option<Stamp> {
        let rest = text.strip_prefix(PREFIX)?;
        let mut digits = rest.split(' ').filter(|w| !w.is_empty()).map(|w| {
            let first = w.as_bytes()[0];
            first.is_ascii_lowercase().then(|| u64::from(first - b'a'))
        });
        let mut take = |words: usize| -> Option<u64> {
            let mut n = 0u64;
            for _ in 0..words {
                n = n * 26 + digits.next()??;
            }
            Some(n)
        };
        let phase = u32::try_from(take(PHASE_WORDS)?).ok()?;
        let sender = u32::try_from(take(SENDER_WORDS)?).ok()?;
        let seq = u32::try_from(take(SEQ_WORDS)?).ok()?;
        let intended_us = take(TIME_WORDS)?;
        let sent_us = take(TIME_WORDS)?;
        Some(Stamp {
            phase,
            sender,
            seq,
            intended_us,
            sent_us,
        })
    }
}

/// Largest value a field of `words` words holds.
pub(crate) const fn field_max(words: usize) -> u64 {
    let mut max = 1u64;
    let mut i = 0;
    while i < words {
        max *= 26;
        i += 1;
    }
    max - 1
}

/// Most senders a stamp can name.
pub(crate) const MAX_SENDERS: u64 = field_max(SENDER_WORDS) + 1;

/// Most phases a stamp can name.
pub(crate) const MAX_PHASES: usize = field_max(PHASE_WORDS) as usize + 1;

fn push_number(text: &mut String, n: u64, words: usize) {
    // Values past the field wrap silently would corrupt timing; clamp instead (never reached
    // within the limits documented on the field widths).
    let mut n = n.min(field_max(words));
    let mut digits = [0usize; TIME_WORDS];
    for slot in digits[..words].iter_mut().rev() {
        *slot = (n % 26) as usize;
        n /= 26;
    }
    for &digit in &digits[..words] {
        text.push(' ');
        text.push_str(WORDS[digit]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_survives_the_round_trip() {
        let stamp = Stamp {
            phase: 7,
            sender: 9_999,
            seq: 123_456,
            intended_us: 61_000_000_123,
            sent_us: 61_000_000_999,
        };
        assert_eq!(Stamp::from_text(&stamp.to_text()), Some(stamp));
        let zero = Stamp {
            phase: 0,
            sender: 0,
            seq: 0,
            intended_us: 0,
            sent_us: 0,
        };
        assert_eq!(Stamp::from_text(&zero.to_text()), Some(zero));
    }

    #[test]
    fn the_text_has_no_digits_no_at_sign_and_only_long_plain_words() {
        let text = Stamp {
            phase: 3,
            sender: 17_000,
            seq: 99,
            intended_us: 5_000_000,
            sent_us: 5_000_500,
        }
        .to_text();
        assert!(!text.bytes().any(|b| b.is_ascii_digit()), "{text}");
        assert!(!text.contains('@') && !text.contains('/'), "{text}");
        assert!(text.len() < 300, "{} bytes", text.len());
        for word in text.split(' ').skip(PREFIX.split(' ').count()) {
            assert!(WORDS.contains(&word), "{word}");
        }
    }

    #[test]
    fn the_words_spell_the_alphabet_in_order() {
        for (i, word) in WORDS.iter().enumerate() {
            assert_eq!(word.as_bytes()[0], b'a' + i as u8, "{word}");
            assert!(word.len() >= 3);
        }
    }

    #[test]
    fn other_texts_are_not_stamps() {
        assert_eq!(Stamp::from_text("hello"), None);
        assert_eq!(Stamp::from_text(PREFIX), None);
        assert_eq!(
            Stamp::from_text(&format!("{PREFIX} amber brook")),
            None,
            "too short"
        );
    }
}
