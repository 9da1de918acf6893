//! Phone numbers: chains of digit pieces (digits, spelled digits, letter-for-digit swaps) joined by
//! phone separators, with 7–15 digits, that are not a date, time, amount, ID, year list or help line.
//!
//! Pure; works on an [`Analysis`] (normalized view + tokens + lexicon readings). Depends on
//! `allow`, `tokens`, `words`; knows nothing of emails, handles or the window's storage.

use super::allow::Allow;
use super::tokens::{Class, Gap};
use super::words::{ID_NOUN, PHONE_CUE, Spelled, UNIT};
use super::{Analysis, ContactKind, Found};

/// Fewest digits in a phone number: seven is a local number without area code ("555 0147").
/// Anything shorter is a count, a dose or a short code (988, 741741).
pub(crate) const MIN_DIGITS: usize = 7;
/// Most digits in a phone number (E.164). Longer runs are order numbers and IDs.
pub(crate) const MAX_DIGITS: usize = 15;
/// Most punctuation marks between two pieces of one number: ") - " is three.
const MAX_SEPARATORS: usize = 3;
/// How far back (in tokens) an ID noun makes a number an identifier: "order number 304-…".
const ID_LOOKBACK: usize = 4;

/// Phone cues that do not, on their own, outweigh an ID noun ("order number", "account #").
const WEAK_PHONE_CUES: &[&[u8]] = &[b"number", b"num", b"#", b"contact", b"reach"];

/// One run of digits as the member wrote it.
#[derive(Debug, Clone)]
struct Piece {
    first: usize,
    last: usize,
    digits: String,
    spelled: bool,
    swapped: bool,
}

#[derive(Debug, Clone)]
enum Item {
    Piece(Piece),
    Sep { tok: usize, byte: u8 },
    Barrier,
}

/// Quick upper bound on the digits this text could hold; below [`MIN_DIGITS`] nothing here can
/// match, which skips the whole recognizer for most chat.
pub(crate) fn potential_digits(a: &Analysis<'_>) -> usize {
    a.tokens
        .iter()
        .zip(&a.lex)
        .map(|(t, lex)| match t.class {
            Class::Number => t.len(),
            Class::Mixed => swapped_len(a.bytes(t)),
            Class::Word => lex.spelled.map_or(0, Spelled::weight),
            Class::Punct(_) => 0,
        })
        .sum()
}

/// Finds phone numbers in `a` and appends them to `out`.
pub(crate) fn find(a: &Analysis<'_>, allow: &Allow, out: &mut Vec<Found>) {
    let items = items(a);
    let strong_cue = has_strong_cue(a);
    for chain in chains(&items) {
        if let Some(found) = judge(a, allow, &chain, strong_cue) {
            out.push(found);
        }
    }
}

/// True if a phone cue other than a weak one ("number") appears anywhere in the analysed text.
/// "my number" is strong too: members do not call an order number theirs.
fn has_strong_cue(a: &Analysis<'_>) -> bool {
    a.tokens.iter().enumerate().any(|(i, t)| {
        let cue = a.lex[i].has(PHONE_CUE) || t.class == Class::Punct(b'#');
        cue && {
            let mine = i > 0 && a.bytes(&a.tokens[i - 1]) == b"my";
            !WEAK_PHONE_CUES.contains(&a.bytes(t)) || mine
        }
    })
}

/// Reads the token stream as pieces, separators and barriers.
fn items(a: &Analysis<'_>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < a.tokens.len() {
        let t = a.tokens[i];
        let consumed = match t.class {
            Class::Number => {
                if let Some(n) = atom_len(a, i) {
                    items.push(Item::Barrier);
                    n
                } else {
                    items.push(Item::Piece(Piece {
                        first: i,
                        last: i,
                        digits: String::from_utf8_lossy(a.bytes(&t)).into_owned(),
                        spelled: false,
                        swapped: false,
                    }));
                    1
                }
            }
            Class::Mixed => {
                items.push(swapped(a, i).map_or(Item::Barrier, Item::Piece));
                1
            }
            Class::Word => spelled(a, i, &mut items),
            Class::Punct(b'$') => {
                items.push(Item::Barrier);
                1 + money_len(a, i + 1)
            }
            Class::Punct(b) if b"-./()+,".contains(&b) => {
                items.push(Item::Sep { tok: i, byte: b });
                1
            }
            Class::Punct(_) => {
                items.push(Item::Barrier);
                1
            }
        };
        i += consumed;
    }
    items
}

/// A mixed token whose letters are all digit lookalikes ("7O2", "Ol44", "9OO123"): O/o for zero,
/// l/I/i for one. It needs a real digit, so words ("lol", "oil") never become numbers; a lone
/// lookalike token among words stays a word, because a chain needs seven digits.
fn swapped(a: &Analysis<'_>, i: usize) -> Option<Piece> {
    swapped_digits(a.bytes(&a.tokens[i])).map(|digits| Piece {
        first: i,
        last: i,
        digits,
        spelled: false,
        swapped: true,
    })
}

/// How many digits a mixed token can stand for, without building them: an upper bound of
/// [`swapped_digits`].
fn swapped_len(bytes: &[u8]) -> usize {
    let lookalike =
        |b: &u8| b.is_ascii_digit() || matches!(b, b'o' | b'l' | b'i' | b'x' | b'e' | b't');
    if bytes.iter().any(u8::is_ascii_digit) && bytes.iter().all(lookalike) {
        bytes.len()
    } else {
        0
    }
}

/// The digits a mixed token reads as, if all its letters are digit lookalikes. An extension
/// glued to the number ("0134x12", "0134ext12") is dropped: the number is what matters.
fn swapped_digits(bytes: &[u8]) -> Option<String> {
    if !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    let extension = [&b"ext"[..], b"x"].iter().find_map(|mark| {
        let at = bytes.windows(mark.len()).position(|w| w == *mark)?;
        let (number, rest) = (&bytes[..at], &bytes[at + mark.len()..]);
        let digits_only = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        (digits_only(number) && digits_only(rest) && rest.len() <= 5).then_some(number)
    });
    if let Some(number) = extension {
        return Some(String::from_utf8_lossy(number).into_owned());
    }
    bytes
        .iter()
        .map(|&b| match b {
            b'0'..=b'9' => Some(b as char),
            b'o' => Some('0'),
            b'l' | b'i' => Some('1'),
            _ => None,
        })
        .collect()
}

/// Reads a word at token `i`: a spelled number (possibly consuming the next words), a joining word
/// ("dash"), or a barrier. Returns how many tokens were consumed.
fn spelled(a: &Analysis<'_>, i: usize, items: &mut Vec<Item>) -> usize {
    let lex = a.lex[i];
    let Some(spelled) = lex.spelled else {
        if lex.has(super::words::DIGIT_JOIN) {
            items.push(Item::Sep { tok: i, byte: b'-' });
        } else if lex.has(super::words::SPELLED_JOIN) {
            // Read as a comma: it joins only where a spelled digit sits on either side.
            items.push(Item::Sep { tok: i, byte: b',' });
        } else {
            items.push(Item::Barrier);
        }
        return 1;
    };
    let piece = |last: usize, digits: String| Piece {
        first: i,
        last,
        digits,
        spelled: true,
        swapped: false,
    };
    match spelled {
        Spelled::Digit(d) => items.push(Item::Piece(piece(i, d.to_string()))),
        Spelled::Teen(v) => items.push(Item::Piece(piece(i, v.to_string()))),
        Spelled::Tens(t) => {
            // "fifty five", "fifty-five": one two-digit number.
            let unit = next_digit_word(a, i + 1).map(|d| (d, i + 1)).or_else(|| {
                let hyphen = a
                    .tokens
                    .get(i + 1)
                    .is_some_and(|t| t.class == Class::Punct(b'-') && t.gap == Gap::None);
                next_digit_word(a, i + 2)
                    .filter(|_| hyphen)
                    .map(|d| (d, i + 2))
            });
            match unit {
                Some((d, last)) if d > 0 => {
                    items.push(Item::Piece(piece(last, format!("{t}{d}"))));
                    return last - i + 1;
                }
                _ => items.push(Item::Piece(piece(i, format!("{t}0")))),
            }
        }
        Spelled::Hundred | Spelled::Thousand => {
            // Only "eight hundred", never "a hundred": the zeros extend a spelled digit.
            let zeros = if spelled == Spelled::Hundred {
                "00"
            } else {
                "000"
            };
            match items.last_mut() {
                Some(Item::Piece(p)) if p.spelled && p.last + 1 == i => {
                    p.digits.push_str(zeros);
                    p.last = i;
                }
                _ => items.push(Item::Barrier),
            }
        }
        Spelled::Double | Spelled::Triple => {
            let times = if spelled == Spelled::Double { 2 } else { 3 };
            let next = next_digit_word(a, i + 1).or_else(|| single_digit_number(a, i + 1));
            match next {
                Some(d) => {
                    items.push(Item::Piece(piece(i + 1, d.to_string().repeat(times))));
                    return 2;
                }
                None => items.push(Item::Barrier),
            }
        }
    }
    1
}

/// The digit of a spelled digit word at token `i`, if it is one.
fn next_digit_word(a: &Analysis<'_>, i: usize) -> Option<u8> {
    match a.lex.get(i)?.spelled? {
        Spelled::Digit(d) => Some(d),
        _ => None,
    }
}

/// The value of a one-digit number token at `i` ("double 5").
fn single_digit_number(a: &Analysis<'_>, i: usize) -> Option<u8> {
    let t = a.tokens.get(i)?;
    (t.class == Class::Number && t.len() == 1).then(|| a.bytes(t)[0] - b'0')
}

/// Number of tokens forming a date, time, thousands-separated amount or percentage starting at
/// number token `i`, which are never part of a phone number.
fn atom_len(a: &Analysis<'_>, i: usize) -> Option<usize> {
    let num = |k: usize| -> Option<&[u8]> {
        let t = a.tokens.get(k)?;
        (t.class == Class::Number && (k == i || t.gap == Gap::None)).then(|| a.bytes(t))
    };
    let punct = |k: usize| -> Option<u8> {
        let t = a.tokens.get(k)?;
        if t.gap == Gap::None { t.punct() } else { None }
    };
    let first = num(i)?;
    // 50%
    if punct(i + 1) == Some(b'%') {
        return Some(2);
    }
    // 8:30, 20:00, 4:10:22
    if punct(i + 1) == Some(b':') && first.len() <= 2 && num(i + 2).is_some_and(|m| m.len() == 2) {
        let seconds = punct(i + 3) == Some(b':') && num(i + 4).is_some_and(|s| s.len() == 2);
        return Some(if seconds { 5 } else { 3 });
    }
    // 1,200 and 12,000,000
    if first.len() <= 3 && punct(i + 1) == Some(b',') && num(i + 2).is_some_and(|g| g.len() == 3) {
        let mut k = i + 2;
        while punct(k + 1) == Some(b',') && num(k + 2).is_some_and(|g| g.len() == 3) {
            k += 2;
        }
        return Some(k - i + 1);
    }
    // 15.08.2023, 06/14/2025, 2024-03-05: same separator twice, plausible values, nothing after.
    let sep = punct(i + 1).filter(|b| b"/.-".contains(b))?;
    let second = num(i + 2)?;
    if punct(i + 3) != Some(sep) {
        return None;
    }
    let third = num(i + 4)?;
    let continues = punct(i + 5) == Some(sep) && num(i + 6).is_some();
    (!continues && is_date(first, second, third)).then_some(5)
}

fn value(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |v, &d| {
        v.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

fn is_year(digits: &[u8]) -> bool {
    digits.len() == 4 && (1900..=2099).contains(&value(digits))
}

/// Day-month-year, month-day-year or year-month-day with values a calendar allows.
fn is_date(a: &[u8], b: &[u8], c: &[u8]) -> bool {
    let day_month = |x: &[u8], y: &[u8]| {
        x.len() <= 2 && y.len() <= 2 && (1..=31).contains(&value(x)) && (1..=12).contains(&value(y))
    };
    let short_or_year = |y: &[u8]| y.len() == 2 || is_year(y);
    let dmy_or_mdy = (day_month(a, b) || day_month(b, a)) && short_or_year(c);
    let ymd = is_year(a) && b.len() <= 2 && c.len() <= 2 && day_month(c, b);
    dmy_or_mdy || ymd
}

/// Tokens of an amount after a currency sign: "$ 1,200.50".
fn money_len(a: &Analysis<'_>, i: usize) -> usize {
    let Some(t) = a.tokens.get(i) else { return 0 };
    if t.class != Class::Number || t.gap == Gap::Line {
        return 0;
    }
    let mut k = i + 1;
    while let (Some(p), Some(n)) = (a.tokens.get(k), a.tokens.get(k + 1)) {
        let joined = p.gap == Gap::None && n.gap == Gap::None && n.class == Class::Number;
        if joined && matches!(p.punct(), Some(b',' | b'.')) {
            k += 2;
        } else {
            break;
        }
    }
    k - i
}

/// A candidate number: consecutive pieces with acceptable separators between them.
#[derive(Debug, Clone, Default)]
struct Chain {
    /// First token of the number as written, including a leading `(` or `+`.
    lead: usize,
    pieces: Vec<Piece>,
    plus: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct SepRun {
    marks: usize,
    comma: bool,
    plus: Option<usize>,
    first: Option<usize>,
    only_leading: bool,
}

impl SepRun {
    fn add(&mut self, tok: usize, byte: u8) {
        if self.first.is_none() {
            self.first = Some(tok);
            self.only_leading = true;
        }
        self.marks += 1;
        self.comma |= byte == b',';
        self.only_leading &= matches!(byte, b'(' | b'+');
        if byte == b'+' {
            self.plus = Some(tok);
        }
    }

    /// May a number continue across these separators from a piece to the next?
    fn joins(&self, previous: &Piece, next: &Piece) -> bool {
        let comma_ok = !self.comma || previous.spelled || next.spelled;
        self.marks <= MAX_SEPARATORS && self.plus.is_none() && comma_ok
    }
}

/// Groups pieces into chains.
fn chains(items: &[Item]) -> Vec<Chain> {
    let mut chains = Vec::new();
    let mut current: Option<Chain> = None;
    let mut seps = SepRun::default();
    for item in items {
        match item {
            Item::Piece(piece) => {
                let joins = current
                    .as_ref()
                    .and_then(|c| c.pieces.last())
                    .is_some_and(|last| seps.joins(last, piece));
                if joins {
                    if let Some(chain) = current.as_mut() {
                        chain.pieces.push(piece.clone());
                    }
                } else {
                    chains.extend(current.take());
                    let lead = seps
                        .first
                        .filter(|_| seps.only_leading)
                        .unwrap_or(piece.first);
                    current = Some(Chain {
                        lead,
                        pieces: vec![piece.clone()],
                        plus: seps.plus.is_some(),
                    });
                }
                seps = SepRun::default();
            }
            Item::Sep { tok, byte } => seps.add(*tok, *byte),
            Item::Barrier => {
                chains.extend(current.take());
                seps = SepRun::default();
            }
        }
    }
    chains.extend(current);
    chains
}

/// Decides whether a chain is a phone number.
fn judge(a: &Analysis<'_>, allow: &Allow, chain: &Chain, strong_cue: bool) -> Option<Found> {
    let digits: String = chain.pieces.iter().map(|p| p.digits.as_str()).collect();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
        return None;
    }
    let last = chain.pieces.last()?.last;
    let numeric = chain.pieces.iter().all(|p| !p.spelled && !p.swapped);
    let ordinary = (numeric
        && (is_year_list(chain) || is_round_range(chain) || is_decimal(a, chain)))
        || is_counting(chain)
        || (!chain.plus && unit_follows(a, last))
        || (!strong_cue && id_precedes(a, chain.lead))
        || allow.is_help_line(&digits)
        || vanity(a, last).is_some_and(|letters| allow.is_help_line(&(digits.clone() + &letters)));
    if ordinary {
        return None;
    }
    let range = a.tokens[chain.lead].start..a.tokens[last].end;
    let span = a.view.source(a.text, range.clone());
    let messages = a.messages_touched(&span);
    if messages > 1 && !split_is_phone(chain, &digits, messages, strong_cue) {
        return None;
    }
    let rule = if messages > 1 {
        "phone-split"
    } else if chain.pieces.iter().any(|p| p.spelled) {
        "phone-spelled"
    } else if chain.pieces.iter().any(|p| p.swapped) {
        "phone-lookalike"
    } else if chain.plus {
        "phone-international"
    } else {
        "phone"
    };
    Some(Found {
        kind: ContactKind::Phone,
        span,
        rule,
        evidence: format!("{} => {digits}", a.view.text(range)),
    })
}

/// A number completed over several messages needs more than seven digits in a row: a phone cue in
/// the window, an international `+`, three or more fragments, or the length of a full number.
/// Two ordinary numbers at the end of one message and the start of the next ("sober 365",
/// "1000 days next month") must not add up to a phone.
fn split_is_phone(chain: &Chain, digits: &str, messages: usize, cue: bool) -> bool {
    let full_length = digits.len() >= 10 || (digits.starts_with('0') && digits.len() >= 9);
    cue || chain.plus || messages >= 3 || full_length
}

/// The keypad digits of letters written after a number: "1-800-273-TALK" ends in "8255".
fn vanity(a: &Analysis<'_>, last: usize) -> Option<String> {
    let dash = a.tokens.get(last + 1)?;
    let word = a.tokens.get(last + 2)?;
    let attached = dash.gap == Gap::None && word.gap == Gap::None;
    if !(attached && dash.punct() == Some(b'-') && word.class == Class::Word) {
        return None;
    }
    a.bytes(word)
        .iter()
        .map(|&b| {
            let key = match b {
                b'a'..=b'c' => '2',
                b'd'..=b'f' => '3',
                b'g'..=b'i' => '4',
                b'j'..=b'l' => '5',
                b'm'..=b'o' => '6',
                b'p'..=b's' => '7',
                b't'..=b'v' => '8',
                b'w'..=b'z' => '9',
                _ => return None,
            };
            Some(key)
        })
        .collect()
}

/// "2019 2020 2021", "2019-2023": years, not a number.
fn is_year_list(chain: &Chain) -> bool {
    chain.pieces.iter().all(|p| is_year(p.digits.as_bytes()))
}

/// "1500-2000": two round amounts.
fn is_round_range(chain: &Chain) -> bool {
    chain.pieces.len() == 2
        && chain
            .pieces
            .iter()
            .all(|p| p.digits.len() >= 3 && p.digits.ends_with("00"))
}

/// Fewest pieces read as counting ("1 2 3 4", "2 4 6 8", "100 200 300 400").
const COUNTING_PIECES: usize = 4;

/// "1 2 3 4 5 6 7", "2 4 6 8 10 12", "ten nine eight…": counting, not dialling. Also one digit
/// repeated ("oh oh oh oh oh oh oh"), which no one is given as a number.
fn is_counting(chain: &Chain) -> bool {
    let digits: String = chain.pieces.iter().map(|p| p.digits.as_str()).collect();
    if digits.bytes().all(|b| Some(b) == digits.bytes().next()) {
        return true;
    }
    let values: Option<Vec<i64>> = chain
        .pieces
        .iter()
        .map(|p| p.digits.parse::<i64>().ok())
        .collect();
    let Some(values) = values else { return false };
    // "12 12 12 12": the same number over and over.
    if values.len() >= 3 && values.windows(2).all(|w| w[0] == w[1]) {
        return true;
    }
    if values.len() < COUNTING_PIECES {
        return false;
    }
    let step = values[1] - values[0];
    step != 0 && step.abs() <= 100 && values.windows(2).all(|w| w[1] - w[0] == step)
}

/// "3.14159": one dot between a short whole part and a long fraction is a decimal. ("555.0147",
/// a local number, has a four-digit second part and stays a number.)
fn is_decimal(a: &Analysis<'_>, chain: &Chain) -> bool {
    let [whole, fraction] = chain.pieces.as_slice() else {
        return false;
    };
    let between = &a.tokens[whole.last + 1..fraction.first];
    let one_dot = matches!(between, [dot] if dot.punct() == Some(b'.') && dot.gap == Gap::None);
    one_dot
        && a.tokens[fraction.first].gap == Gap::None
        && whole.digits.len() <= 3
        && fraction.digits.len() >= 5
}

/// "12000000 steps", "1500 2000 calories", "50 %".
fn unit_follows(a: &Analysis<'_>, last: usize) -> bool {
    a.tokens.get(last + 1).is_some_and(|t| {
        t.gap != Gap::Line && (a.lex[last + 1].has(UNIT) || t.class == Class::Punct(b'%'))
    })
}

/// "order number 304-…", "member ID W123", "#12345678".
fn id_precedes(a: &Analysis<'_>, lead: usize) -> bool {
    // "#12345678" is a reference; "my # 415…" is not (the mark is not attached).
    let hash_before = lead > 0
        && a.tokens[lead - 1].class == Class::Punct(b'#')
        && a.tokens[lead].gap == Gap::None;
    // "in case", "in order to" are not IDs.
    let noun_before = (lead.saturating_sub(ID_LOOKBACK)..lead)
        .any(|k| a.lex[k].has(ID_NOUN) && !(k > 0 && a.bytes(&a.tokens[k - 1]) == b"in"));
    hash_before || noun_before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_need_calendar_values() {
        assert!(is_date(b"15", b"08", b"2023"));
        assert!(is_date(b"06", b"14", b"2025"));
        assert!(is_date(b"2024", b"03", b"05"));
        assert!(!is_date(b"720", b"555", b"0192"));
        assert!(!is_date(b"06", b"39", b"98"));
    }

    #[test]
    fn counting_is_a_step_of_one() {
        let chain = |values: &[&str]| Chain {
            lead: 0,
            plus: false,
            pieces: values
                .iter()
                .map(|v| Piece {
                    first: 0,
                    last: 0,
                    digits: (*v).to_owned(),
                    spelled: true,
                    swapped: false,
                })
                .collect(),
        };
        assert!(is_counting(&chain(&["1", "2", "3", "4", "5", "6", "7"])));
        assert!(is_counting(&chain(&["9", "8", "7", "6", "5"])));
        assert!(!is_counting(&chain(&["6", "0", "2", "5", "5", "5", "0"])));
    }
}
