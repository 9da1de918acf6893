//! The filter's vocabulary: which words are spelled digits, dressings of `@` and `.`, platform
//! names, contact verbs, ID nouns, units and plain English that can never be a handle.
//!
//! Tables are `const` slices compiled once into a hash map by [`Lexicon::new`]. Pure; depends on
//! nothing but std. Every list is small and auditable on purpose: a word belongs here only when it
//! changes a decision somewhere, and the comment on each list says which.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A spelled number word, as the phone recognizer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelled {
    /// "zero", "oh", "o", "one" … "nine".
    Digit(u8),
    /// "ten" … "nineteen": two digits.
    Teen(u8),
    /// "twenty" … "ninety": the tens digit; a following digit word fills the unit.
    Tens(u8),
    /// "hundred": two zeros after a digit ("eight hundred" is 800).
    Hundred,
    /// "thousand": three zeros after a digit.
    Thousand,
    /// "double": the next digit twice.
    Double,
    /// "triple": the next digit three times.
    Triple,
}

impl Spelled {
    /// The most digits this word can contribute to a number (used to skip work early).
    pub(crate) fn weight(self) -> usize {
        match self {
            Spelled::Digit(_) => 1,
            Spelled::Teen(_) | Spelled::Tens(_) | Spelled::Hundred => 2,
            Spelled::Thousand => 3,
            Spelled::Double => 1,
            Spelled::Triple => 2,
        }
    }
}

/// Everything the filter knows about one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lex {
    pub(crate) spelled: Option<Spelled>,
    pub(crate) flags: u32,
}

impl Lex {
    /// True if any of `flags` is set.
    pub(crate) fn has(self, flags: u32) -> bool {
        self.flags & flags != 0
    }
}

/// A social or messaging platform named without ambiguity ("instagram", "whatsapp").
pub(crate) const PLATFORM: u32 = 1 << 0;
/// A platform name that is also an ordinary word or letter ("snap", "signal", "x", "ig"): counts
/// only when something around it says it is the platform ("my snap", "snap:", "on x").
pub(crate) const PLATFORM_WEAK: u32 = 1 << 1;
/// Says "what follows is an email address" ("email", "gmail").
pub(crate) const EMAIL_CUE: u32 = 1 << 2;
/// An email provider whose name is enough as a domain ("at gmail").
pub(crate) const PROVIDER: u32 = 1 << 3;
/// Says "a phone number is being shared" ("call", "cell", "whatsapp").
pub(crate) const PHONE_CUE: u32 = 1 << 4;
/// A long number after this is an identifier, not a phone ("order", "member", "id").
pub(crate) const ID_NOUN: u32 = 1 << 5;
/// A number followed by this is a quantity ("days", "steps", "mg").
pub(crate) const UNIT: u32 = 1 << 6;
/// Names the thing that follows ("handle", "username", "id").
pub(crate) const HANDLE_NOUN: u32 = 1 << 7;
/// With "me" after it, asks for contact ("add", "dm", "follow").
pub(crate) const CONTACT_VERB: u32 = 1 << 8;
/// May sit between a cue and the handle ("is", "it's", "on").
pub(crate) const FILLER: u32 = 1 << 9;
/// Common English: never a handle on its own ("private", "dead", "where").
pub(crate) const STOP: u32 = 1 << 10;
/// "my ___" before a link makes it personal ("site", "blog").
pub(crate) const SITE_NOUN: u32 = 1 << 11;
/// Joins digits of a spelled number without being one ("dash", "hyphen").
pub(crate) const DIGIT_JOIN: u32 = 1 << 12;
/// Words that make "is"-style naming explicit ("is", "it's", "its", "=").
pub(crate) const NAMING: u32 = 1 << 13;
/// Words before a weak platform name that make it the platform ("my snap", "on x").
pub(crate) const PLATFORM_LEAD: u32 = 1 << 14;

/// Top-level domains accepted after a soft " at " ("fergus at fergusbyrne dot ie"): the common
/// generic ones and the country codes of the places members write from. A literal `@` accepts any.
const KNOWN_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "mil", "int", "io", "me", "us", "uk", "ie", "ca", "au",
    "nz", "de", "fr", "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "br",
    "mx", "ar", "in", "jp", "cn", "kr", "ru", "za", "ng", "ke", "info", "biz", "app", "dev", "ai",
    "xyz", "online", "site", "email", "live", "life", "world", "today", "blog", "page", "art",
    "studio", "design", "tech", "space", "store", "shop", "fun", "club", "social", "chat", "link",
    "ly", "cc", "tv", "fm", "gg", "to", "is", "so", "la", "eu", "asia", "pro", "name", "cloud",
    "one", "co", "ee", "bio", "im", "sh", "id", "ph", "sg", "my", "hk", "tw", "il", "ae", "gr",
    "cz", "hu", "ro",
];

/// File extensions: "journal.pdf@2x" and the like are files, not domains.
const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "txt", "jpg", "jpeg", "png", "gif", "heic", "webp", "svg", "mp3", "mp4",
    "mov", "wav", "zip", "rar", "exe", "xls", "xlsx", "ppt", "pptx", "csv", "json", "html", "htm",
    "md", "epub", "bmp", "tiff", "avi", "mkv", "apk", "dmg", "iso",
];

/// Spelled numbers. "o" and "oh" are zero only inside a digit run, which the phone recognizer
/// enforces by needing seven digits in a chain.
const SPELLED: &[(&str, Spelled)] = &[
    ("zero", Spelled::Digit(0)),
    ("oh", Spelled::Digit(0)),
    ("o", Spelled::Digit(0)),
    ("nil", Spelled::Digit(0)),
    ("nought", Spelled::Digit(0)),
    ("naught", Spelled::Digit(0)),
    ("one", Spelled::Digit(1)),
    ("two", Spelled::Digit(2)),
    ("three", Spelled::Digit(3)),
    ("four", Spelled::Digit(4)),
    ("five", Spelled::Digit(5)),
    ("six", Spelled::Digit(6)),
    ("seven", Spelled::Digit(7)),
    ("eight", Spelled::Digit(8)),
    ("nine", Spelled::Digit(9)),
    ("niner", Spelled::Digit(9)),
    ("ten", Spelled::Teen(10)),
    ("eleven", Spelled::Teen(11)),
    ("twelve", Spelled::Teen(12)),
    ("thirteen", Spelled::Teen(13)),
    ("fourteen", Spelled::Teen(14)),
    ("fifteen", Spelled::Teen(15)),
    ("sixteen", Spelled::Teen(16)),
    ("seventeen", Spelled::Teen(17)),
    ("eighteen", Spelled::Teen(18)),
    ("nineteen", Spelled::Teen(19)),
    ("twenty", Spelled::Tens(2)),
    ("thirty", Spelled::Tens(3)),
    ("forty", Spelled::Tens(4)),
    ("fourty", Spelled::Tens(4)),
    ("fifty", Spelled::Tens(5)),
    ("sixty", Spelled::Tens(6)),
    ("seventy", Spelled::Tens(7)),
    ("eighty", Spelled::Tens(8)),
    ("ninety", Spelled::Tens(9)),
    ("hundred", Spelled::Hundred),
    ("thousand", Spelled::Thousand),
    ("double", Spelled::Double),
    ("triple", Spelled::Triple),
];

/// Unambiguous platform names (and common misspellings).
const PLATFORMS: &[&str] = &[
    "instagram",
    "insta",
    "instagramm",
    "snapchat",
    "tiktok",
    "discord",
    "telegram",
    "whatsapp",
    "whatsap",
    "watsapp",
    "whatapp",
    "kik",
    "facebook",
    "twitter",
    "bsky",
    "bluesky",
    "reddit",
    "mastodon",
    "tumblr",
    "skype",
    "wechat",
    "viber",
    "linkedin",
    "messenger",
    "twitch",
    "youtube",
    "pinterest",
    "onlyfans",
    "venmo",
    "cashapp",
    "imessage",
    "facetime",
    "groupme",
    "threema",
    "bereal",
    "tiktoks",
];

/// Platform names that are also ordinary words, letters or slang ("ig" is also "I guess").
const PLATFORMS_WEAK: &[&str] = &[
    "snap", "signal", "x", "ig", "sc", "fb", "tg", "wa", "dc", "yt", "tt", "threads", "tele",
    "zoom", "steam", "xbox", "psn", "roblox", "insta", "gram",
];

/// Words that say an email address follows, and providers that name a domain on their own.
const EMAIL_CUES: &[&str] = &[
    "email", "e-mail", "emails", "mail", "gmail", "addy", "inbox",
];
const PROVIDERS: &[&str] = &[
    "gmail",
    "googlemail",
    "hotmail",
    "yahoo",
    "ymail",
    "outlook",
    "icloud",
    "protonmail",
    "proton",
    "aol",
    "gmx",
    "yandex",
    "zoho",
    "fastmail",
    "tutanota",
    "msn",
    "btinternet",
    "mailfence",
    "hushmail",
    "rocketmail",
];

/// Words that make a nearby long number a phone number.
const PHONE_CUES: &[&str] = &[
    "call",
    "calls",
    "calling",
    "text",
    "texts",
    "txt",
    "texting",
    "phone",
    "cell",
    "cellphone",
    "mobile",
    "mob",
    "tel",
    "telephone",
    "landline",
    "ring",
    "digits",
    "sms",
    "dial",
    "whatsapp",
    "signal",
    "telegram",
    "viber",
    "imessage",
    "facetime",
    "hmu",
    "number",
    "num",
    "#",
    "contact",
    "reach",
    "wa",
];

/// Nouns after which a long number is an identifier (order, account, member ID).
const ID_NOUNS: &[&str] = &[
    "order",
    "account",
    "acct",
    "member",
    "membership",
    "policy",
    "tracking",
    "reference",
    "ref",
    "case",
    "ticket",
    "confirmation",
    "conf",
    "invoice",
    "id",
    "serial",
    "claim",
    "routing",
    "transaction",
    "booking",
    "patient",
    "prescription",
    "rx",
    "license",
    "licence",
    "badge",
    "employee",
    "student",
    "isbn",
    "zip",
    "postcode",
    "otp",
    "voucher",
    "receipt",
    "sku",
    "model",
    "item",
    "parcel",
    "package",
    "shipment",
    "iban",
    "card",
    "bank",
    "nhs",
    "ssn",
    "passport",
    "vin",
    "barcode",
    "coupon",
    "promo",
    "registration",
    "pnr",
    "flight",
    "ticket#",
    "confirmation#",
    "gift",
    "reservation",
    "medicaid",
    "medicare",
    "insurance",
    "version",
    "ver",
    "v",
    "build",
    "release",
    "ip",
];

/// Quantities: a number followed by one of these is an amount, not a phone.
const UNITS: &[&str] = &[
    "day",
    "days",
    "week",
    "weeks",
    "wk",
    "wks",
    "month",
    "months",
    "year",
    "years",
    "yr",
    "yrs",
    "hour",
    "hours",
    "hr",
    "hrs",
    "minute",
    "minutes",
    "min",
    "mins",
    "second",
    "seconds",
    "sec",
    "secs",
    "steps",
    "step",
    "calories",
    "cals",
    "kcal",
    "mg",
    "mcg",
    "ml",
    "g",
    "kg",
    "lbs",
    "lb",
    "pounds",
    "km",
    "miles",
    "mi",
    "meters",
    "metres",
    "m",
    "ft",
    "feet",
    "inches",
    "people",
    "times",
    "dollars",
    "bucks",
    "euros",
    "quid",
    "usd",
    "points",
    "pts",
    "pages",
    "words",
    "reps",
    "sets",
    "laps",
    "followers",
    "likes",
    "views",
    "kids",
    "members",
    "chips",
    "meetings",
    "sessions",
    "percent",
    "am",
    "pm",
    "units",
    "drinks",
    "beers",
    "cigarettes",
    "cigs",
    "pills",
    "tablets",
    "doses",
    "hits",
    "bets",
    "games",
    "rounds",
    "tries",
    "attempts",
    "messages",
    "texts",
    "calls",
    "emails",
    "users",
    "downloads",
    "subscribers",
    "visits",
    "clicks",
    "votes",
    "miles",
    "k",
    "grand",
    "rupees",
    "yen",
    "won",
    "pesos",
];

/// Nouns that name the identifier that follows.
const HANDLE_NOUNS: &[&str] = &[
    "handle",
    "username",
    "usernames",
    "user",
    "name",
    "id",
    "tag",
    "acc",
    "account",
    "profile",
    "un",
    "usr",
    "@",
    "gamertag",
];

/// Nouns that name an account even without a platform: "my handle is …". Not "name": "my name is
/// Sarah" is how members introduce themselves.
const ACCOUNT_NOUNS: &[&str] = &[
    "handle",
    "username",
    "usernames",
    "usr",
    "gamertag",
    "socials",
];

/// Verbs that, followed by "me", ask for outside contact.
const CONTACT_VERBS: &[&str] = &[
    "add", "dm", "dms", "pm", "message", "msg", "follow", "find", "friend", "ping", "search",
    "contact", "reach", "hit", "look", "text", "call", "snap", "tag",
];

/// Words that may sit between a platform cue and the handle it introduces.
const FILLERS: &[&str] = &[
    "is", "it's", "its", "it", "me", "my", "on", "at", "as", "under", "called", "named", "just",
    "also", "same", "via", "s", "add", "follow", "find", "dm", "im", "i'm", "here", "there", "and",
    "or", "too", "still", "now", "over", "the", "user", "username", "handle", "name",
];

/// Words that say "this is its name".
const NAMING_WORDS: &[&str] = &[
    "is",
    "it's",
    "its",
    "handle",
    "username",
    "usernames",
    "user",
    "name",
    "id",
    "tag",
    "acc",
    "account",
    "profile",
    "un",
    "usr",
    "called",
    "named",
    "under",
];

/// Names an account by itself (see [`ACCOUNT_NOUNS`]).
pub(crate) const ACCOUNT_NOUN: u32 = 1 << 15;

/// A top-level domain accepted after a spelled-out " at " (see [`KNOWN_TLDS`]).
pub(crate) const TLD: u32 = 1 << 16;
/// A file extension (see [`FILE_EXTENSIONS`]).
pub(crate) const FILE_EXTENSION: u32 = 1 << 17;

/// Spells out `@ . _ / -` ("at", "dot", "underscore", "slash", "dash", "hyphen").
pub(crate) const DRESSING: u32 = 1 << 18;
/// Starts the address recognizers without being a cue: a dressing or the first half of a
/// two-word platform name ("tik tok").
pub(crate) const TRIGGER: u32 = 1 << 19;
/// Joins spelled digit groups the way a comma does, and only between spelled digits ("five five
/// five, then oh one four seven"): "from 2019 then 2020" stays apart.
pub(crate) const SPELLED_JOIN: u32 = 1 << 20;

/// Words before a weak platform name that show it is the platform.
const PLATFORM_LEADS: &[&str] = &[
    "my", "on", "via", "through", "over", "the", "your", "in", "to", "onto",
];

/// Link nouns: "my blog is …".
const SITE_NOUNS: &[&str] = &[
    "site",
    "website",
    "blog",
    "page",
    "portfolio",
    "channel",
    "podcast",
    "shop",
    "store",
    "newsletter",
    "substack",
    "link",
    "links",
    "linktree",
    "webpage",
    "homepage",
    "vlog",
    "server",
    "group",
    "chat",
    "gc",
];

/// Common English words that follow "my snap is" or "instagram:" when talking *about* a platform,
/// or sit before " at " in ordinary sentences: never read as a handle or the local part of an
/// email. Suffixes (-ing, -ed, -ly) are handled by rule in [`is_plain_english`].
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "it's",
    "i",
    "i'm",
    "im",
    "me",
    "my",
    "mine",
    "you",
    "your",
    "yours",
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "we",
    "us",
    "our",
    "ours",
    "they",
    "them",
    "their",
    "theirs",
    "who",
    "whom",
    "whose",
    "what",
    "which",
    "where",
    "when",
    "why",
    "how",
    "there",
    "here",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "done",
    "have",
    "has",
    "had",
    "having",
    "will",
    "would",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "not",
    "no",
    "yes",
    "yeah",
    "nope",
    "never",
    "always",
    "sometimes",
    "often",
    "just",
    "only",
    "also",
    "too",
    "very",
    "really",
    "so",
    "such",
    "quite",
    "pretty",
    "kinda",
    "sorta",
    "literally",
    "basically",
    "mostly",
    "all",
    "any",
    "some",
    "none",
    "every",
    "each",
    "both",
    "either",
    "neither",
    "more",
    "most",
    "less",
    "least",
    "much",
    "many",
    "few",
    "lot",
    "lots",
    "and",
    "or",
    "but",
    "if",
    "then",
    "than",
    "because",
    "cause",
    "cuz",
    "since",
    "though",
    "although",
    "while",
    "until",
    "for",
    "from",
    "to",
    "of",
    "in",
    "on",
    "at",
    "by",
    "with",
    "without",
    "about",
    "into",
    "onto",
    "over",
    "under",
    "after",
    "before",
    "again",
    "off",
    "out",
    "up",
    "down",
    "away",
    "back",
    "now",
    "still",
    "already",
    "yet",
    "ever",
    "even",
    "ok",
    "okay",
    "fine",
    "good",
    "great",
    "bad",
    "awful",
    "terrible",
    "horrible",
    "toxic",
    "private",
    "public",
    "dead",
    "gone",
    "deleted",
    "deactivated",
    "banned",
    "blocked",
    "hacked",
    "broken",
    "down",
    "weird",
    "boring",
    "addictive",
    "addicting",
    "annoying",
    "exhausting",
    "draining",
    "full",
    "empty",
    "quiet",
    "loud",
    "busy",
    "new",
    "old",
    "same",
    "different",
    "fake",
    "real",
    "free",
    "paid",
    "open",
    "closed",
    "locked",
    "hidden",
    "secret",
    "safe",
    "unsafe",
    "better",
    "worse",
    "best",
    "worst",
    "nice",
    "cool",
    "fun",
    "funny",
    "sad",
    "mad",
    "angry",
    "lonely",
    "scary",
    "hard",
    "easy",
    "tough",
    "messy",
    "crazy",
    "wild",
    "nuts",
    "insane",
    "evil",
    "poison",
    "hell",
    "trash",
    "garbage",
    "rubbish",
    "crap",
    "shit",
    "bs",
    "drama",
    "everything",
    "nothing",
    "something",
    "anything",
    "everyone",
    "someone",
    "anyone",
    "nobody",
    "everybody",
    "somebody",
    "anybody",
    "people",
    "person",
    "thing",
    "things",
    "stuff",
    "time",
    "times",
    "day",
    "days",
    "night",
    "week",
    "year",
    "life",
    "world",
    "work",
    "job",
    "school",
    "home",
    "house",
    "family",
    "friend",
    "friends",
    "mom",
    "dad",
    "kids",
    "wife",
    "husband",
    "partner",
    "boyfriend",
    "girlfriend",
    "sponsor",
    "group",
    "groups",
    "meeting",
    "meetings",
    "therapy",
    "therapist",
    "doctor",
    "clinic",
    "hospital",
    "store",
    "shop",
    "church",
    "gym",
    "park",
    "bar",
    "pub",
    "party",
    "work",
    "dinner",
    "lunch",
    "breakfast",
    "bed",
    "night",
    "morning",
    "evening",
    "weekend",
    "tonight",
    "today",
    "tomorrow",
    "yesterday",
    "first",
    "last",
    "next",
    "least",
    "long",
    "short",
    "once",
    "twice",
    "like",
    "love",
    "hate",
    "miss",
    "want",
    "need",
    "know",
    "think",
    "feel",
    "feels",
    "felt",
    "get",
    "got",
    "go",
    "goes",
    "went",
    "gone",
    "come",
    "came",
    "make",
    "made",
    "take",
    "took",
    "give",
    "gave",
    "see",
    "saw",
    "seen",
    "look",
    "looks",
    "say",
    "said",
    "tell",
    "told",
    "ask",
    "asked",
    "use",
    "used",
    "try",
    "tried",
    "keep",
    "kept",
    "let",
    "put",
    "set",
    "stop",
    "start",
    "quit",
    "left",
    "leave",
    "stay",
    "help",
    "talk",
    "talks",
    "call",
    "text",
    "post",
    "posts",
    "scroll",
    "doom",
    "app",
    "apps",
    "account",
    "accounts",
    "feed",
    "story",
    "stories",
    "reel",
    "reels",
    "video",
    "videos",
    "photo",
    "photos",
    "pics",
    "comment",
    "comments",
    "dm",
    "dms",
    "chat",
    "chats",
    "message",
    "messages",
    "notification",
    "notifications",
    "algorithm",
    "content",
    "influencer",
    "influencers",
    "ads",
    "news",
    "memes",
    "meme",
    "vibe",
    "vibes",
    "mess",
    "problem",
    "issue",
    "trigger",
    "triggers",
    "thanks",
    "thank",
    "please",
    "sorry",
    "hi",
    "hey",
    "hello",
    "bye",
    "lol",
    "lmao",
    "omg",
    "wtf",
    "idk",
    "tbh",
    "imo",
    "btw",
    "ngl",
    "fr",
    "rn",
    "ig",
    "nah",
    "yep",
    "yup",
    "hmm",
    "um",
    "uh",
    "oh",
    "ah",
    "wow",
    "sure",
    "maybe",
    "probably",
    "definitely",
    "honestly",
    "actually",
    "seriously",
    "anyway",
    "anyways",
    "whatever",
    "though",
    "either",
    "not",
    "nor",
    "else",
    "other",
    "others",
    "another",
    "own",
    "self",
    "myself",
    "yourself",
    "himself",
    "herself",
    "itself",
    "ourselves",
    "themselves",
    "one",
    "two",
    "enough",
    "part",
    "half",
    "way",
    "ways",
    "place",
    "point",
    "reason",
    "sign",
    "signs",
    "proof",
    "where",
    "whenever",
    "wherever",
    "gonna",
    "wanna",
    "gotta",
    "lemme",
    "dunno",
    "sober",
    "clean",
    "relapse",
    "relapsed",
    "recovery",
    "healing",
    "progress",
    "struggle",
    "okay",
    "alright",
    "worth",
    "useless",
    "pointless",
    "helpful",
    "harmful",
    "dangerous",
    "unhealthy",
    "healthy",
    "fake",
    "shallow",
    "superficial",
    "depressing",
    "triggering",
    "overwhelming",
    "distracting",
    "negative",
    "positive",
    "everywhere",
    "forever",
    "sucks",
    "sux",
    "blows",
    "bleh",
    "meh",
    "ugh",
    "different",
    "later",
    "soon",
    "anymore",
    "instead",
    "either",
    "whole",
    "entire",
    "alive",
    "active",
    "inactive",
    "offline",
    "online",
    "blank",
    "unused",
    "ancient",
    "mine",
    "gross",
    "cringe",
    "useful",
    "necessary",
    "important",
    "optional",
    "required",
    "allowed",
    "banned",
    "forbidden",
    "against",
    "rules",
    "rule",
    "fine",
    "weak",
    "strong",
    "bad",
    "spotty",
    "patchy",
    "good",
    "terrible",
    "down",
    "out",
    "off",
    "dead",
    "lost",
    "works",
    "lives",
    "stays",
    "shops",
    "buys",
    "looks",
    "goes",
    "says",
    "gets",
    "makes",
    "takes",
    "feels",
    "seems",
    "cheaper",
    "cheap",
    "expensive",
    "sweet",
    "cute",
    "lovely",
    "happy",
    "proud",
    "grateful",
    "thankful",
    "tired",
    "sick",
    "stuck",
    "here",
    "there",
    "somewhere",
    "nowhere",
    "anywhere",
    "clear",
    "red",
    "blue",
    "green",
    "black",
    "white",
    "dark",
    "light",
    "high",
    "low",
    "big",
    "small",
    "little",
    "huge",
    "tiny",
    "slow",
    "fast",
    "quick",
    "cold",
    "hot",
    "warm",
    "nuts",
    "gone",
    "done",
    "over",
    "usual",
    "always",
    "expected",
    "promised",
    "planned",
    "ever",
    "normal",
    "said",
    "well",
];

/// Hashes a word packed into a `u128` (see [`key`]) with one multiply: the keys are our own
/// constants, so SipHash's flooding resistance buys nothing and would cost most of the lookup.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher {
    hash: u64,
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.hash = (self.hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(MULTIPLIER);
        }
    }

    fn write_u128(&mut self, key: u128) {
        // Truncation is the point: fold the two halves into one word before mixing.
        #[allow(clippy::cast_possible_truncation)]
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        self.hash = folded.wrapping_mul(MULTIPLIER);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The FxHash multiplier (from rustc): odd, with well-spread bits.
const MULTIPLIER: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Words longer than this are never in the lexicon; checking length first skips most hashing.
pub(crate) const LONGEST_WORD: usize = 14;

/// The length of the spelled digit at the start of `rest` (any case), if one is there: "zero" …
/// "nine". None is a prefix of another, so a glued word splits one way at most. "oh" and "o" are
/// left out: glued, they are too often part of an ordinary word.
fn glued_piece(rest: &[u8]) -> Option<usize> {
    let candidates: &[&[u8]] = match rest.first()?.to_ascii_lowercase() {
        b'z' => &[b"zero"],
        b'o' => &[b"one"],
        b't' => &[b"two", b"three"],
        b'f' => &[b"four", b"five"],
        b's' => &[b"six", b"seven"],
        b'e' => &[b"eight"],
        b'n' => &[b"nine"],
        _ => return None,
    };
    candidates
        .iter()
        .find(|w| {
            rest.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
        })
        .map(|w| w.len())
}

/// Walks a word glued together from spelled digits and digit runs, calling `piece` with each
/// piece's range and whether it is spelled. False (part-way) when the word is not one.
fn walk_glued(word: &[u8], mut piece: impl FnMut(std::ops::Range<usize>, bool)) -> bool {
    let mut at = 0;
    while at < word.len() {
        let start = at;
        if word[at].is_ascii_digit() {
            while at < word.len() && word[at].is_ascii_digit() {
                at += 1;
            }
            piece(start..at, false);
        } else {
            let Some(len) = glued_piece(&word[at..]) else {
                return false;
            };
            at += len;
            piece(start..at, true);
        }
    }
    true
}

/// How many digits a word glued together from spelled digits reads as ("fivefivefive" → 3,
/// "4one5" → 3); 0 unless the whole word is such pieces, at least two of them, at least one
/// spelled. Plain English never reads this way ("someone", "often", "none" do not). Allocates
/// nothing: the fast path asks it of every word.
pub(crate) fn glued_digit_count(word: &[u8]) -> usize {
    // Most words fail on their first letter.
    match word.first().map(u8::to_ascii_lowercase) {
        Some(b'0'..=b'9' | b'z' | b'o' | b't' | b'f' | b's' | b'e' | b'n') => {}
        _ => return 0,
    }
    // The shortest glued words: a digit and a three-letter digit word ("4one"), or two digit
    // words ("onesix").
    let has_digit = word.iter().any(u8::is_ascii_digit);
    if word.len() < if has_digit { 4 } else { 6 } {
        return 0;
    }
    let (mut pieces, mut spelled, mut digits) = (0, 0, 0);
    let whole = walk_glued(word, |range, is_spelled| {
        pieces += 1;
        spelled += usize::from(is_spelled);
        digits += if is_spelled { 1 } else { range.len() };
    });
    if whole && pieces >= 2 && spelled >= 1 {
        digits
    } else {
        0
    }
}

/// The pieces of a glued word (see [`glued_digit_count`]), as byte ranges of `word`:
/// "fivefivefive" → five|five|five, "4one5" → 4|one|5.
pub(crate) fn glued_digits(word: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    if glued_digit_count(word) == 0 {
        return None;
    }
    let mut pieces = Vec::new();
    walk_glued(word, |range, _| pieces.push(range));
    Some(pieces)
}

/// A word of at most 16 bytes as one integer: a lookup compares integers, not strings.
fn key(word: &[u8]) -> Option<u128> {
    // A fold, not a copy into a buffer: for words this short a call to memcpy costs more.
    (word.len() <= 16).then(|| {
        word.iter()
            .rev()
            .fold(0u128, |k, &b| (k << 8) | u128::from(b))
    })
}

/// The compiled vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    map: HashMap<u128, Lex, BuildHasherDefault<WordHasher>>,
}

impl Lexicon {
    /// Compiles the tables.
    pub(crate) fn new() -> Lexicon {
        let mut map: HashMap<u128, Lex, BuildHasherDefault<WordHasher>> = HashMap::default();
        let packed = |word: &str| {
            debug_assert!(word.len() <= LONGEST_WORD, "lexicon word too long: {word}");
            key(word.as_bytes())
        };
        for &(word, spelled) in SPELLED {
            if let Some(k) = packed(word) {
                map.entry(k).or_default().spelled = Some(spelled);
            }
        }
        let lists: [(&[&'static str], u32); 21] = [
            (
                &["at", "dot", "underscore", "slash", "dash", "hyphen"],
                DRESSING,
            ),
            (
                &["dot", "underscore", "hmu", "tik", "whats", "what's"],
                TRIGGER,
            ),
            (KNOWN_TLDS, TLD),
            (FILE_EXTENSIONS, FILE_EXTENSION),
            (ACCOUNT_NOUNS, ACCOUNT_NOUN),
            (PLATFORMS, PLATFORM),
            (PLATFORMS_WEAK, PLATFORM_WEAK),
            (EMAIL_CUES, EMAIL_CUE),
            (PROVIDERS, PROVIDER),
            (PHONE_CUES, PHONE_CUE),
            (ID_NOUNS, ID_NOUN),
            (UNITS, UNIT),
            (HANDLE_NOUNS, HANDLE_NOUN),
            (CONTACT_VERBS, CONTACT_VERB),
            (FILLERS, FILLER),
            (STOPWORDS, STOP),
            (SITE_NOUNS, SITE_NOUN),
            (&["dash", "hyphen", "dot", "point"], DIGIT_JOIN),
            (&["then"], SPELLED_JOIN),
            (NAMING_WORDS, NAMING),
            (PLATFORM_LEADS, PLATFORM_LEAD),
        ];
        for (words, flag) in lists {
            for &word in words {
                if let Some(k) = packed(word) {
                    map.entry(k).or_default().flags |= flag;
                }
            }
        }
        // A strong platform name never needs a lead, even if also listed as weak ("insta").
        for lex in map.values_mut() {
            if lex.has(PLATFORM) {
                lex.flags &= !PLATFORM_WEAK;
            }
        }
        Lexicon { map }
    }

    /// What the lexicon knows about `word` (lower-case view bytes); empty for unknown words.
    pub(crate) fn get(&self, word: &[u8]) -> Lex {
        if word.is_empty() || word.len() > LONGEST_WORD {
            return Lex::default();
        }
        let find = |w: &[u8]| key(w).and_then(|k| self.map.get(&k).copied());
        // "insta's", "discord's": the possessive reads as the word.
        find(word)
            .or_else(|| word.strip_suffix(b"'s").and_then(find))
            .unwrap_or_default()
    }
}

/// True for a word that is ordinary English and so cannot stand alone as a handle or an email's
/// local part: listed stopwords, and inflected forms (-ing, -ed, -ly, -ness), which handles rarely
/// are and sentences about platforms often contain ("my whatsapp is blowing up").
pub(crate) fn is_plain_english(lexicon: &Lexicon, word: &[u8]) -> bool {
    if lexicon.get(word).has(STOP) {
        return true;
    }
    let inflected = [&b"ing"[..], b"ed", b"ly", b"ness", b"ful"]
        .iter()
        .any(|suffix| word.len() > suffix.len() + 2 && word.ends_with(suffix));
    // "sooo", "reallyyy": a letter held for emphasis is talk, not a name.
    let drawn_out = word.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    (inflected || drawn_out) && word.iter().all(u8::is_ascii_lowercase)
}

/// Reads a word written with digits for letters ("d1scord", "1nsta", "sn4p") as letters, for
/// platform lookup only. `1` becomes `i`; callers retry with `l`.
pub(crate) fn unleet(word: &[u8], one: u8) -> Vec<u8> {
    word.iter()
        .map(|&b| match b {
            b'0' => b'o',
            b'1' => one,
            b'3' => b'e',
            b'4' => b'a',
            b'5' => b's',
            b'7' => b't',
            b'8' => b'b',
            b'@' => b'a',
            b'$' => b's',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_knows_spelled_digits_and_platforms() {
        let lexicon = Lexicon::new();
        assert_eq!(lexicon.get(b"five").spelled, Some(Spelled::Digit(5)));
        assert_eq!(lexicon.get(b"oh").spelled, Some(Spelled::Digit(0)));
        assert_eq!(lexicon.get(b"fifty").spelled, Some(Spelled::Tens(5)));
        assert!(lexicon.get(b"instagram").has(PLATFORM));
        assert!(lexicon.get(b"snap").has(PLATFORM_WEAK));
        assert!(!lexicon.get(b"insta").has(PLATFORM_WEAK));
        assert!(lexicon.get(b"gmail").has(PROVIDER | EMAIL_CUE));
        assert_eq!(lexicon.get(b"asleep"), Lex::default());
        assert_eq!(lexicon.get(b"supercalifragilistic"), Lex::default());
    }

    #[test]
    fn plain_english_includes_inflections() {
        let lexicon = Lexicon::new();
        for word in ["private", "blowing", "deleted", "honestly", "the"] {
            assert!(is_plain_english(&lexicon, word.as_bytes()), "{word}");
        }
        for word in ["mistletoad", "rosehip", "kalinka", "bed"] {
            assert_eq!(
                is_plain_english(&lexicon, word.as_bytes()),
                word == "bed",
                "{word}"
            );
        }
    }

    #[test]
    fn leet_reads_digits_as_letters() {
        assert_eq!(unleet(b"d1scord", b'i'), b"discord");
        assert_eq!(unleet(b"sn4p", b'i'), b"snap");
        assert_eq!(unleet(b"te1egram", b'l'), b"telegram");
    }

    #[test]
    fn glued_digit_words_split_into_their_pieces_and_nothing_else_does() {
        let pieces = |w: &str| {
            glued_digits(w.as_bytes())
                .map(|p| p.into_iter().map(|r| w[r].to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(pieces("fivefivefive").unwrap(), ["five", "five", "five"]);
        assert_eq!(pieces("4one5").unwrap(), ["4", "one", "5"]);
        assert_eq!(pieces("NineOne").unwrap(), ["Nine", "One"]);
        assert_eq!(glued_digit_count(b"312five0147"), 8);
        for plain in [
            "someone", "none", "often", "oneself", "nine", "five", "4ever", "100mg",
        ] {
            assert_eq!(pieces(plain), None, "{plain}");
        }
    }
}
