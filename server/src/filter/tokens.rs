//! Splits a normalized view into tokens: runs of letters and digits, single punctuation bytes, and
//! the kind of whitespace before each.
//!
//! Pure and allocation-light (one `Vec`); knows nothing about contact details. Depends only on the
//! byte conventions of `normalize`; must not depend on the lexicon or the recognizers.

use super::normalize::OTHER_LETTER;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Letters only (an apostrophe between letters belongs to the word: "it's").
    Word,
    /// ASCII digits only.
    Number,
    /// Letters and digits together: "b03", "100mg", "7o2".
    Mixed,
    /// One byte of anything else.
    Punct(u8),
}

/// Whitespace before a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// The token touches the previous one.
    None,
    /// Spaces or tabs.
    Space,
    /// At least one line break (also between messages of a window).
    Line,
}

/// One token: a byte range of the view it was cut from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) class: Class,
    pub(crate) gap: Gap,
}

impl Token {
    /// True for words, numbers and mixed runs.
    pub(crate) fn is_alnum(&self) -> bool {
        !matches!(self.class, Class::Punct(_))
    }

    /// The punctuation byte, if this is punctuation.
    pub(crate) fn punct(&self) -> Option<u8> {
        match self.class {
            Class::Punct(b) => Some(b),
            _ => None,
        }
    }

    /// Token length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

fn is_letter(b: u8) -> bool {
    b.is_ascii_lowercase() || b == OTHER_LETTER
}

fn is_alnum(b: u8) -> bool {
    is_letter(b) || b.is_ascii_digit()
}

/// Cuts `bytes` (a normalized view) into tokens.
pub(crate) fn tokenize(bytes: &[u8]) -> Vec<Token> {
    // Chat averages one token per four or five bytes; reserving that avoids regrowth.
    let mut tokens = Vec::with_capacity(bytes.len() / 4 + 1);
    let mut i = 0;
    let mut gap = Gap::None;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' => {
                if gap == Gap::None {
                    gap = Gap::Space;
                }
                i += 1;
            }
            b'\n' => {
                gap = Gap::Line;
                i += 1;
            }
            _ if is_alnum(b) => {
                let start = i;
                let (mut letters, mut digits) = (false, false);
                while i < bytes.len() {
                    let c = bytes[i];
                    if is_letter(c) {
                        letters = true;
                    } else if c.is_ascii_digit() {
                        digits = true;
                    } else if c == b'\''
                        && i > start
                        && is_letter(bytes[i - 1])
                        && bytes.get(i + 1).is_some_and(|&n| is_letter(n))
                    {
                        // "it's", "let's": keep the word whole.
                    } else {
                        break;
                    }
                    i += 1;
                }
                let class = match (letters, digits) {
                    (true, true) => Class::Mixed,
                    (false, true) => Class::Number,
                    _ => Class::Word,
                };
                tokens.push(Token {
                    start,
                    end: i,
                    class,
                    gap,
                });
                gap = Gap::None;
            }
            _ => {
                tokens.push(Token {
                    start: i,
                    end: i + 1,
                    class: Class::Punct(b),
                    gap,
                });
                gap = Gap::None;
                i += 1;
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<(String, Class, Gap)> {
        tokenize(text.as_bytes())
            .into_iter()
            .map(|t| (text[t.start..t.end].to_owned(), t.class, t.gap))
            .collect()
    }

    #[test]
    fn cuts_words_numbers_mixed_and_punctuation() {
        let got = shape("it's b03 at 555-0147\nok");
        let expected = [
            ("it's", Class::Word, Gap::None),
            ("b03", Class::Mixed, Gap::Space),
            ("at", Class::Word, Gap::Space),
            ("555", Class::Number, Gap::Space),
            ("-", Class::Punct(b'-'), Gap::None),
            ("0147", Class::Number, Gap::None),
            ("ok", Class::Word, Gap::Line),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(s, c, g)| ((*s).to_owned(), *c, *g))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn apostrophes_at_word_edges_are_punctuation() {
        let got = shape("'hi' 90's");
        assert_eq!(got[0].1, Class::Punct(b'\''));
        assert_eq!(got[1].0, "hi");
        assert_eq!(got[2].1, Class::Punct(b'\''));
        assert_eq!(got[3].0, "90");
    }
}
