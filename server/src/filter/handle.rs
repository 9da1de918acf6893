//! Social handles: an identifier introduced by a platform ("insta", "snap:", "d1scord @") or a
//! contact phrase ("add me", "find me on", "my username is"), or shaped like one on its own
//! (`name#1234` on Discord, `u/name` on Reddit). Also the implicit email: "my gmail is clara.upton".
//!
//! Talk *about* platforms ("I deleted snapchat", "instagram makes me anxious"), mentions of room
//! members ("@River thanks") and words that merely contain a platform name ("asleep", "snapped")
//! are not handles. Pure; works on the tokens of the undressed view from `dress`. Depends on
//! `dress`, `tokens` and `words` (and `text` for name skeletons); must not depend on the other
//! recognizers or the window.

use super::dress::{SOFT_AT, SPACED_AT};
use super::normalize::{OTHER_SYMBOL, View};
use super::tokens::{Class, Gap, Token};
use super::words::{
    ACCOUNT_NOUN, CONTACT_VERB, EMAIL_CUE, FILE_EXTENSION, FILLER, HANDLE_NOUN, Lex, Lexicon,
    NAMING, PLATFORM, PLATFORM_LEAD, PLATFORM_WEAK, PROVIDER, is_plain_english, unleet,
};
use super::{Analysis, ContactKind, Found};

/// Most words and marks between a cue and its handle: "insta, my handle is @x" has four.
const MAX_FILLERS: usize = 5;
/// Most units between a handle and the platform after it: "poppy_seed_9 on snap".
const MAX_CUE_AFTER: usize = 3;
/// Shortest plain-word handle ("kik: mistletoad"); shorter words are initials or English.
const MIN_PLAIN_HANDLE: usize = 3;
/// Mentions that address the room, not a person.
const ROOM_MENTIONS: &[&str] = &[
    "everyone",
    "here",
    "all",
    "channel",
    "room",
    "group",
    "facilitator",
    "facilitators",
    "mods",
    "mod",
];
/// Endings that make a dotted identifier a domain rather than a handle.
const DOMAIN_ENDINGS: &[&str] = &[
    "com", "net", "org", "io", "co", "app", "ee", "gg", "ly", "tv", "edu", "gov", "uk", "us", "ca",
    "au", "ie", "de", "social",
];
/// Weak platform names that are unambiguous after "my".
const POSSESSED_APPS: &[&[u8]] = &[b"snap", b"ig", b"sc", b"fb", b"tg", b"dc"];
/// Words that may follow a plain-word handle: the request around it, not more of a sentence.
const AFTER_NAME: &[&[u8]] = &[
    b"add",
    b"pls",
    b"plz",
    b"please",
    b"follow",
    b"dm",
    b"message",
    b"msg",
    b"me",
    b"lol",
    b"if",
    b"on",
    b"or",
    b"and",
    b"too",
    b"thx",
    b"thanks",
    b"anytime",
    b"whenever",
    b"later",
    b"tonight",
    b"after",
    b"hmu",
    b"x",
    b"xx",
    b"xo",
    b"btw",
    b"ok",
    b"okay",
];
/// Two-word spellings of platforms ("tik tok").
const SPLIT_PLATFORMS: &[&str] = &[
    "tiktok",
    "snapchat",
    "whatsapp",
    "what'sapp",
    "instagram",
    "facebook",
    "bluesky",
];

/// How much an identifier looks like a handle by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `@name`, `name.with.dots`, `name_underscore`, `name42`, `name#1234`, `u/name`.
    Strong,
    /// A single word: a handle only where the text says so ("kik: mistletoad").
    Plain,
    /// Numbers, abbreviations, file names, doses: never a handle.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word(Lex),
    Ident {
        at: bool,
        shape: Shape,
        special: bool,
    },
    Punct(u8),
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    kind: Kind,
    gap: Gap,
}

/// What introduced a handle.
#[derive(Debug, Clone, Copy)]
struct Cue {
    /// Last unit of the cue.
    end: usize,
    kind: ContactKind,
    /// A platform name (not a verb like "add me").
    platform: bool,
    /// "my insta", "my username": possessive, so "is" names the account.
    mine: bool,
    /// "my handle", "username": the cue itself names what follows.
    naming: bool,
    /// A weak platform name ("snap"): a plain word after it needs a naming mark, not just "is".
    weak: bool,
}

/// Finds handles in the undressed view `d` (tokens `dt`) of `a`; `names` are the skeletons of the
/// pseudonyms in the room.
pub(crate) fn find(
    a: &Analysis<'_>,
    d: &View,
    dt: &[Token],
    lexicon: &Lexicon,
    names: &[&str],
    out: &mut Vec<Found>,
) {
    let units = units(d, dt, lexicon);
    let word = |u: &Unit| &d.bytes[u.start..u.end];
    // The names' skeletons are computed once, and only if a mention needs them.
    let skeletons = std::cell::OnceCell::new();
    let is_name = |u: &Unit| {
        let text = String::from_utf8_lossy(word(u));
        let bare = text.trim_start_matches('@');
        ROOM_MENTIONS.contains(&bare)
            || !names.is_empty() && {
                let known: &Vec<String> = skeletons
                    .get_or_init(|| names.iter().map(|n| crate::text::skeleton(n)).collect());
                known.contains(&crate::text::skeleton(bare))
            }
    };
    let mut push = |u: &Unit, kind: ContactKind, rule: &'static str| {
        out.push(Found {
            kind,
            span: d.source(a.text, u.start..u.end),
            rule,
            evidence: d.text(u.start..u.end),
        });
    };
    for k in 0..units.len() {
        let unit = &units[k];
        if let Kind::Ident {
            at,
            shape: Shape::Strong,
            special,
        } = unit.kind
        {
            if is_name(unit) {
                continue;
            }
            if special {
                push(unit, ContactKind::Handle, "handle-shape");
                continue;
            }
            if at && dotted(word(unit)) && !addresses_someone(&units, k) {
                push(unit, ContactKind::Handle, "handle-at-dotted");
                continue;
            }
            if platform_after(&units, k, d, lexicon) {
                push(unit, ContactKind::Handle, "handle-before-platform");
                continue;
            }
        }
        // "I'm hazeldawn on insta": a plain name introduced as oneself, then the platform.
        let before = |n: usize| k.checked_sub(n).and_then(|j| word_at(&units, j, d));
        let introduced = matches!(before(1), Some(b"i'm" | b"im"))
            || (before(1) == Some(b"as") && before(2) == Some(b"me"));
        let plain = matches!(
            unit.kind,
            Kind::Word(_)
                | Kind::Ident {
                    shape: Shape::Plain,
                    ..
                }
        );
        if introduced
            && plain
            && plain_handle(word(unit), lexicon)
            && !is_name(unit)
            && platform_after(&units, k, d, lexicon)
        {
            push(unit, ContactKind::Handle, "handle-before-platform");
            continue;
        }
        let Some(cue) = cue_at(&units, k, d, lexicon) else {
            continue;
        };
        let Some((target, named)) = target_after(&units, &cue, d) else {
            continue;
        };
        let t = &units[target];
        if is_name(t) {
            continue;
        }
        let rule = match (cue.kind, t.kind) {
            (
                ContactKind::Email,
                Kind::Ident {
                    shape: Shape::Strong,
                    ..
                },
            ) => "email-implicit",
            (ContactKind::Email, _) if named && cue.platform => "email-implicit-named",
            (
                _,
                Kind::Ident {
                    shape: Shape::Strong,
                    ..
                },
            ) => "handle-cue",
            (_, _) if named && cue.platform && !cue.weak || cue.naming => "handle-named",
            _ => continue,
        };
        // A plain word is a name only where a name would end the thought: "kik: mistletoad",
        // "my insta is mistletoad, add me"; not "instagram: comparison machine".
        if rule.ends_with("named")
            && !(plain_handle(word(t), lexicon) && ends_thought(&units, target, d))
        {
            continue;
        }
        push(t, cue.kind, rule);
    }
}

/// Builds units: identifiers glued from alnum runs and `. _ -`, with `@`, `#1234` and `u/` forms.
fn units(d: &View, dt: &[Token], lexicon: &Lexicon) -> Vec<Unit> {
    let bytes = &d.bytes;
    let text = |t: &Token| &bytes[t.start..t.end];
    let attached = |k: usize| dt.get(k).is_some_and(|t| t.gap == Gap::None);
    let mut units = Vec::with_capacity(dt.len());
    let mut i = 0;
    while i < dt.len() {
        let t = dt[i];
        let at_sign = matches!(t.punct(), Some(b'@' | SPACED_AT));
        let at = at_sign && attached(i + 1) && dt[i + 1].is_alnum();
        let reddit = t.class == Class::Word
            && text(&t) == b"u"
            && dt.get(i + 1).is_some_and(|s| s.punct() == Some(b'/'))
            && attached(i + 1)
            && attached(i + 2)
            && dt.get(i + 2).is_some_and(Token::is_alnum);
        if !(at || t.is_alnum()) {
            units.push(Unit {
                start: t.start,
                end: t.end,
                kind: Kind::Punct(t.punct().unwrap_or(b' ')),
                gap: t.gap,
            });
            i += 1;
            continue;
        }
        let first = if at || reddit {
            i + if at { 1 } else { 2 }
        } else {
            i
        };
        let mut last = first;
        while dt
            .get(last + 1)
            .is_some_and(|s| matches!(s.punct(), Some(b'.' | b'_' | b'-')))
            && attached(last + 1)
            && attached(last + 2)
            && dt.get(last + 2).is_some_and(Token::is_alnum)
        {
            last += 2;
        }
        let discord = dt.get(last + 1).is_some_and(|s| s.punct() == Some(b'#'))
            && attached(last + 1)
            && attached(last + 2)
            && dt
                .get(last + 2)
                .is_some_and(|n| n.class == Class::Number && n.len() == 4);
        if discord {
            last += 2;
        }
        let (start, end) = (t.start, dt[last].end);
        let kind = if !at && !reddit && !discord && last == first && t.class == Class::Word {
            Kind::Word(lexicon.get(text(&t)))
        } else {
            let core = &bytes[dt[first].start..end];
            let special =
                reddit || (discord && core.iter().filter(|b| b.is_ascii_lowercase()).count() >= 2);
            let shape = if special {
                Shape::Strong
            } else if at && is_plain_english(lexicon, core) {
                // "me @ my sister's wedding" reads "@my": English after an at sign is not a name.
                Shape::Plain
            } else {
                shape(core, at, lexicon)
            };
            Kind::Ident { at, shape, special }
        };
        units.push(Unit {
            start,
            end,
            kind,
            gap: t.gap,
        });
        i = last + 1;
    }
    units
}

/// How handle-like an identifier is.
fn shape(core: &[u8], at: bool, lexicon: &Lexicon) -> Shape {
    let letters = core.iter().filter(|b| b.is_ascii_lowercase()).count();
    let digits = core.iter().filter(|b| b.is_ascii_digit()).count();
    if letters == 0 || core.len() > 40 {
        return Shape::None;
    }
    let segments: Vec<&[u8]> = core.split(|b| matches!(b, b'.' | b'_' | b'-')).collect();
    let extension = core.contains(&b'.')
        && segments
            .last()
            .is_some_and(|s| lexicon.get(s).has(FILE_EXTENSION));
    let abbreviation = segments.len() > 1 && segments.iter().all(|s| s.len() <= 1);
    // "x.com", "linktr.ee": a domain is the link recognizer's business, and without a path it is
    // the platform, not a person.
    let domain = core.contains(&b'.')
        && segments
            .last()
            .is_some_and(|s| DOMAIN_ENDINGS.contains(&std::str::from_utf8(s).unwrap_or_default()));
    if extension || abbreviation || domain {
        return Shape::None;
    }
    let separated = segments.len() > 1 && core.iter().any(|b| matches!(b, b'.' | b'_'));
    let numbered = digits > 0 && letters >= 3 && !is_quantity(core);
    if at || separated || numbered {
        Shape::Strong
    } else if digits == 0 {
        Shape::Plain
    } else {
        Shape::None
    }
}

/// "100mg", "20mins", "4th", "2nd": a number with its unit.
fn is_quantity(core: &[u8]) -> bool {
    let split = core
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(core.len());
    split > 0 && core[split..].iter().all(u8::is_ascii_lowercase)
}

/// `@paper.moon.pilot`: a dotted name with real words on both sides of a dot.
fn dotted(word: &[u8]) -> bool {
    let core = word.strip_prefix(b"@").unwrap_or(word);
    let parts: Vec<&[u8]> = core.split(|&b| b == b'.').collect();
    parts.len() >= 2 && parts.iter().filter(|p| p.len() >= 2).count() >= 2
}

/// A plain word that can be a handle: long enough and not ordinary English.
fn plain_handle(word: &[u8], lexicon: &Lexicon) -> bool {
    let core = word.strip_prefix(b"@").unwrap_or(word);
    core.len() >= MIN_PLAIN_HANDLE && !is_plain_english(lexicon, core)
}

/// Is unit `k` a platform name, spelled plainly, with digits for letters, across two words, or
/// with dots between letters? Returns (is platform, weak, last unit).
fn platform_at(units: &[Unit], k: usize, d: &View, lexicon: &Lexicon) -> Option<(bool, usize)> {
    let u = &units[k];
    let word = &d.bytes[u.start..u.end];
    let lookup = |w: &[u8]| {
        let lex = lexicon.get(w);
        if lex.has(PLATFORM) {
            Some(false)
        } else if lex.has(PLATFORM_WEAK) {
            Some(true)
        } else {
            None
        }
    };
    match u.kind {
        Kind::Word(_) => {
            let first_half = matches!(
                word,
                b"tik" | b"snap" | b"whats" | b"what's" | b"insta" | b"face" | b"blue"
            );
            if let Some(next) = units
                .get(k + 1)
                .filter(|n| first_half && n.gap == Gap::Space && matches!(n.kind, Kind::Word(_)))
            {
                let mut joined = word.to_vec();
                joined.extend_from_slice(&d.bytes[next.start..next.end]);
                if SPLIT_PLATFORMS.contains(&std::str::from_utf8(&joined).unwrap_or_default()) {
                    return Some((false, k + 1));
                }
            }
            lookup(word).map(|weak| (weak, k))
        }
        Kind::Ident {
            at: false,
            special: false,
            ..
        } => {
            let letters: Vec<u8> = word.iter().copied().filter(|&b| b != b'.').collect();
            let spaced = word.contains(&b'.') && word.split(|&b| b == b'.').all(|s| s.len() == 1);
            if spaced {
                return lookup(&letters).map(|weak| (weak, k));
            }
            if !word.iter().any(u8::is_ascii_digit) {
                return None;
            }
            lookup(&unleet(word, b'i'))
                .or_else(|| lookup(&unleet(word, b'l')))
                .map(|weak| (weak, k))
        }
        _ => None,
    }
}

fn word_at<'v>(units: &[Unit], k: usize, d: &'v View) -> Option<&'v [u8]> {
    let u = units.get(k)?;
    matches!(u.kind, Kind::Word(_)).then(|| &d.bytes[u.start..u.end])
}

fn lex_at(units: &[Unit], k: usize) -> Lex {
    match units.get(k).map(|u| u.kind) {
        Some(Kind::Word(lex)) => lex,
        _ => Lex::default(),
    }
}

/// The cue that unit `k` starts (and ends), if any.
fn cue_at(units: &[Unit], k: usize, d: &View, lexicon: &Lexicon) -> Option<Cue> {
    let lex = lex_at(units, k);
    let previous = |n: usize| k.checked_sub(n).and_then(|j| word_at(units, j, d));
    let mine = previous(1) == Some(b"my");
    if let Some((weak, end)) = platform_at(units, k, d, lexicon) {
        let led = k > 0 && lex_at(units, k - 1).has(PLATFORM_LEAD);
        // A weak name ("snap", "signal", "x") is the platform only when led ("my snap", "on x") or
        // followed by a naming mark ("snap: …", "x @…").
        // "snap me", "signal me": the platform used as a verb asks for contact.
        let named_next = units.get(end + 1).is_some_and(|n| match n.kind {
            Kind::Punct(b) => matches!(b, b':' | b'-' | b'=' | b'@'),
            Kind::Ident { at, shape, .. } => at || shape == Shape::Strong,
            Kind::Word(l) => {
                l.has(HANDLE_NOUN) || matches!(&d.bytes[n.start..n.end], b"me" | b"is")
            }
        });
        if !weak || led || named_next {
            // "my snap", "my ig": possessed, these can only be the app; "my x", "my gram" may be
            // an ex or a grandmother.
            // "snap: poppy" names too; "signal: hunger" and "x: marks" do not.
            let app = POSSESSED_APPS.contains(&&d.bytes[units[k].start..units[k].end]);
            let marked = units
                .get(end + 1)
                .is_some_and(|n| matches!(n.kind, Kind::Punct(b':' | b'=')));
            let owned_app = app && (mine || marked);
            return Some(Cue {
                end,
                kind: ContactKind::Handle,
                platform: true,
                mine,
                naming: false,
                weak: weak && !owned_app,
            });
        }
        return None;
    }
    let word = word_at(units, k, d)?;
    if lex.has(EMAIL_CUE) {
        return Some(Cue {
            end: k,
            kind: ContactKind::Email,
            platform: true,
            mine,
            naming: false,
            weak: false,
        });
    }
    if lex.has(PROVIDER) {
        // "my outlook is …" may be English: only a handle-shaped name follows a bare provider.
        return Some(Cue {
            end: k,
            kind: ContactKind::Email,
            platform: false,
            mine,
            naming: false,
            weak: false,
        });
    }
    let verb_me = word == b"me" && k > 0 && lex_at(units, k - 1).has(CONTACT_VERB);
    let hit_me_up = word == b"up"
        && previous(1) == Some(b"me")
        && matches!(previous(2), Some(b"hit" | b"look"));
    if verb_me || hit_me_up || word == b"hmu" {
        return Some(Cue {
            end: k,
            kind: ContactKind::Handle,
            platform: false,
            mine: false,
            naming: false,
            weak: false,
        });
    }
    let named_next = units.get(k + 1).is_some_and(|n| match n.kind {
        Kind::Punct(b) => b == b':',
        _ => &d.bytes[n.start..n.end] == b"is",
    });
    if lex.has(ACCOUNT_NOUN) && (mine || named_next) {
        // "my username is mistletoad" names it (through "is"); "my handle on life" does not.
        return Some(Cue {
            end: k,
            kind: ContactKind::Handle,
            platform: true,
            mine: true,
            naming: false,
            weak: false,
        });
    }
    None
}

/// Skips fillers after a cue; returns the unit that may be the handle and whether the words
/// between named it explicitly (":" or "handle", or "is" after a possessive cue).
fn target_after(units: &[Unit], cue: &Cue, d: &View) -> Option<(usize, bool)> {
    let mut named = cue.naming;
    let mut j = cue.end + 1;
    let mut skipped = 0;
    while skipped < MAX_FILLERS {
        let u = units.get(j)?;
        match u.kind {
            Kind::Punct(b)
                if b":-=>()~|!?.*,@".contains(&b)
                    || matches!(b, SOFT_AT | SPACED_AT | OTHER_SYMBOL) =>
            {
                // ':' '=' '@' name what follows; so does a dash or an arrow right after the cue;
                // the end of a sentence does not.
                let first = skipped == 0;
                let names = matches!(b, b':' | b'=' | b'@' | SPACED_AT)
                    || (first && (b == b'-' || b == OTHER_SYMBOL));
                named = names || (named && !matches!(b, b'.' | b'?' | b'!'));
            }
            Kind::Word(lex)
                if lex.has(
                    FILLER | HANDLE_NOUN | PLATFORM | PLATFORM_WEAK | EMAIL_CUE | CONTACT_VERB,
                ) =>
            {
                // "my snap is gone" must stop at "gone", but "is" itself is a filler; it names
                // only after a possessive cue ("my snap is poppy").
                let word = &d.bytes[u.start..u.end];
                let is_word = matches!(word, b"is" | b"it's" | b"its");
                // "kik me, mistletoad": the platform as a verb, then the name.
                let verb_me = word == b"me" && skipped == 0 && cue.platform;
                // Any other word in between ("email: the bane…") means a plain word after it is
                // English, not a name.
                named = lex.has(HANDLE_NOUN)
                    || (lex.has(NAMING) && !is_word)
                    || (is_word && ((cue.mine && !cue.weak) || named))
                    || verb_me;
            }
            _ => return Some((j, named)),
        }
        j += 1;
        skipped += 1;
    }
    None
}

/// Does unit `k` end its thought: the end of the message or line, a mark, or a word of the request
/// around it ("add me", "pls")?
fn ends_thought(units: &[Unit], k: usize, d: &View) -> bool {
    units.get(k + 1).is_none_or(|n| {
        n.gap == Gap::Line
            || matches!(n.kind, Kind::Punct(b) if b != b'\'')
            || (matches!(n.kind, Kind::Word(_)) && AFTER_NAME.contains(&&d.bytes[n.start..n.end]))
    })
}

/// "@Quiet.Fern you got this": an `@name` opening a line and followed by words is a mention of
/// someone in the room, whatever the name looks like.
fn addresses_someone(units: &[Unit], k: usize) -> bool {
    let opens_line = k == 0 || units[k].gap == Gap::Line;
    opens_line
        && units
            .get(k + 1)
            .is_some_and(|n| matches!(n.kind, Kind::Word(_)))
}

/// "quietfern_22 on insta", "@x (tiktok)", "poppy_seed_9 is my snap".
fn platform_after(units: &[Unit], k: usize, d: &View, lexicon: &Lexicon) -> bool {
    for j in (k + 1)..=(k + MAX_CUE_AFTER) {
        let Some(u) = units.get(j) else { return false };
        // "rosie.f on everything", "same on all socials".
        let everywhere = matches!(
            &d.bytes[u.start..u.end],
            b"everything" | b"everywhere" | b"socials" | b"platforms" | b"apps"
        );
        if platform_at(units, j, d, lexicon).is_some() || everywhere {
            return j > k + 1;
        }
        let link = match u.kind {
            Kind::Punct(b) => matches!(b, b'(' | b'-' | b',') || b == SOFT_AT,
            Kind::Word(_) => matches!(
                &d.bytes[u.start..u.end],
                b"on" | b"in" | b"via" | b"is" | b"my" | b"for"
            ),
            Kind::Ident { .. } => false,
        };
        if !link {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_identifiers() {
        let lexicon = Lexicon::new();
        assert_eq!(shape(b"keely.b03", false, &lexicon), Shape::Strong);
        assert_eq!(shape(b"tobi_nz", false, &lexicon), Shape::Strong);
        assert_eq!(shape(b"gully23", false, &lexicon), Shape::Strong);
        assert_eq!(shape(b"soberdadjokes", true, &lexicon), Shape::Strong);
        assert_eq!(shape(b"mistletoad", false, &lexicon), Shape::Plain);
        assert_eq!(shape(b"journal.pdf", false, &lexicon), Shape::None);
        assert_eq!(shape(b"e.g", false, &lexicon), Shape::None);
        assert_eq!(shape(b"100mg", false, &lexicon), Shape::None);
        assert_eq!(shape(b"3.2.0", false, &lexicon), Shape::None);
        assert_eq!(shape(b"self-care", false, &lexicon), Shape::Plain);
    }

    #[test]
    fn dotted_needs_two_real_parts() {
        assert!(dotted(b"@paper.moon.pilot"));
        assert!(!dotted(b"@j.r"));
    }
}
