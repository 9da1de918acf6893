//! The documented phrase list: which word sequences signal crisis, and the context words that
//! keep ordinary support-group talk from raising alerts. `docs/safety.md` explains each group.
//!
//! # Pattern language
//!
//! A pattern is a sequence of positions separated by spaces. At each position, `a|b|c` are
//! alternatives; `a+b` is two consecutive words; a trailing `?` makes the position optional;
//! `_` is any word, `#` any number, `#year` a four-digit year 19xx/20xx. Words are compared
//! after normalization (see `normalize`), so the list is written in plain spelling: "don't"
//! arrives as "do not", "wanna" as "want to", "kms" as "kill myself".

use super::CrisisCategory::{self, Farewell, Hopelessness, Overdose, SelfHarm, Suicide};

/// One entry of the phrase list.
pub(super) struct Rule {
    /// What the phrase signals.
    pub(super) category: CrisisCategory,
    /// The phrase as named in the docs and in alerts (never the member's own words).
    pub(super) phrase: &'static str,
    /// The words to find.
    pub(super) pattern: &'static str,
    /// If set, one of these words must come shortly before, in the same clause ("want", "going"
    /// before "hurt myself"): the phrase alone is too often ordinary ("hurt myself at the gym").
    pub(super) needs_cue: Option<&'static [&'static str]>,
    /// No alert when the word just before the phrase is one of these ("a worksheet *on*
    /// suicidal thoughts": the phrase is a topic, not a disclosure).
    pub(super) not_preceded_by: &'static [&'static str],
    /// Idioms: no alert when the phrase is followed by one of these ("kill myself laughing").
    pub(super) not_followed_by: &'static [&'static str],
    /// If set, the phrase must end the clause or be followed by one of these ("don't want to
    /// live" alerts, "don't want to live like this" does not).
    pub(super) only_followed_by: Option<&'static [&'static str]>,
    /// True when the phrase itself says who it is about ("myself", "without me"), so the
    /// check for a third-person subject ("my son is suicidal") is skipped.
    pub(super) names_speaker: bool,
    /// No alert when the sentence also has one of these: the ordinary reasons for the phrase
    /// ("saying goodbye to everyone, I'm moving to Leeds").
    pub(super) unless_sentence_has: &'static [&'static str],
    /// If set, the message must also have one of these somewhere: for phrases that are ordinary
    /// on their own ("goodbye everyone") and a farewell only in context ("tonight is the night").
    pub(super) needs_message_context: Option<&'static [&'static str]>,
}

const fn rule(category: CrisisCategory, phrase: &'static str, pattern: &'static str) -> Rule {
    Rule {
        category,
        phrase,
        pattern,
        needs_cue: None,
        not_preceded_by: &[],
        not_followed_by: &[],
        only_followed_by: None,
        names_speaker: false,
        unless_sentence_has: &[],
        needs_message_context: None,
    }
}

impl Rule {
    const fn cue(mut self, cues: &'static [&'static str]) -> Rule {
        self.needs_cue = Some(cues);
        self
    }
    const fn not_after(mut self, words: &'static [&'static str]) -> Rule {
        self.not_preceded_by = words;
        self
    }
    const fn not_before(mut self, words: &'static [&'static str]) -> Rule {
        self.not_followed_by = words;
        self
    }
    const fn only_before(mut self, words: &'static [&'static str]) -> Rule {
        self.only_followed_by = Some(words);
        self
    }
    const fn speaker(mut self) -> Rule {
        self.names_speaker = true;
        self
    }
    const fn in_context(mut self, words: &'static [&'static str]) -> Rule {
        self.needs_message_context = Some(words);
        self
    }
    const fn unless(mut self, words: &'static [&'static str]) -> Rule {
        self.unless_sentence_has = words;
        self
    }
}

/// Words that turn a phrase into intent: "want to hurt myself", "going to overdose".
pub(super) const INTENT: &[&str] = &[
    "want",
    "wanted",
    "wanting",
    "wish",
    "wished",
    "wishing",
    "going",
    "about",
    "plan",
    "planning",
    "planned",
    "thinking",
    "thought",
    "think",
    "considering",
    "consider",
    "contemplating",
    "urge",
    "urges",
    "tempted",
    "temptation",
    "ready",
    "might",
    "will",
    "ill",
    "would",
    "could",
    "should",
    "need",
    "needed",
    "try",
    "trying",
    "tried",
    "decided",
    "deciding",
    "scared",
    "afraid",
    "keep",
];

/// Intent for overdose: narrower, because "I'm scared I might overdose if I use again" is
/// recovery talk about relapse, not intent.
const OVERDOSE_INTENT: &[&str] = &[
    "want",
    "wanted",
    "wanting",
    "wish",
    "wished",
    "going",
    "about",
    "plan",
    "planning",
    "planned",
    "thinking",
    "thought",
    "considering",
    "contemplating",
    "ready",
    "decided",
    "try",
    "trying",
    "tried",
    "urge",
    "urges",
    "tempted",
];

/// Reasons for goodbyes and giving things away that are not farewells from life.
const ORDINARY_LEAVING: &[&str] = &[
    "last+session",
    "last+meeting",
    "last+group",
    "last+week",
    "moving",
    "move",
    "moved",
    "graduating",
    "graduate",
    "leaving+the+group",
    "new+group",
    "see+you",
    "next+week",
    "vacation",
    "holiday",
    "trip",
    "break",
    "for+now",
    "for+a+while",
    "for+a+bit",
    "for+the+summer",
    "tonight+is+my+last",
    "until",
    "til",
    "till",
    "declutter",
    "decluttering",
    "donate",
    "donating",
    "charity",
    "garage+sale",
    "minimalism",
    "job",
    "hospital",
    "rehab",
    "treatment",
    "detox",
    "funeral",
    "grave",
    "memorial",
    "cigarettes",
    "smoking",
    "alcohol",
    "booze",
    "drinking",
    "vaping",
    "weed",
    "gambling",
    "day+1",
    "day+one",
    "sober",
    "quit",
    "quitting",
    "drugs",
];

/// The phrase list, most severe first: the first rule that matches names the signal.
pub(super) const RULES: &[Rule] = &[
    // --- Suicide: stated wish or intent to die, or a method.
    rule(Suicide, "kill myself", "kill myself")
        .not_before(&["laughing", "with+laughter"])
        .speaker(),
    rule(Suicide, "killing myself", "killing myself")
        .not_before(&[
            "laughing", "trying", "to", "at", "for", "with", "working", "over", "on", "in",
            "studying", "doing", "just", "here",
        ])
        .speaker(),
    rule(Suicide, "if I killed myself", "killed myself")
        .cue(&["if", "wish", "should"])
        .speaker(),
    rule(Suicide, "end my life", "end|ending my+own|my life")
        .not_before(&["as"])
        .speaker(),
    rule(Suicide, "take my own life", "take|taking my+own|my life")
        .not_before(&[
            "back", "one", "in", "into", "seriously", "for", "to", "forward", "day", "as",
        ])
        .speaker(),
    rule(Suicide, "end it all", "end|ending it all|tonight").not_before(&["with", "for"]),
    rule(Suicide, "end everything", "end|ending everything").only_before(&[
        "tonight", "now", "today", "already", "for+good",
    ]),
    rule(Suicide, "thinking about ending it", "thinking|thought|think about|of ending|end it")
        .only_before(&["all", "tonight", "soon", "for+good", "already", "now"]),
    rule(
        Suicide,
        "want to die",
        "want|wanted|wanting|wish|wished|ready|deserve|deserved|planning|plan to die",
    )
    .not_before(&["of", "laughing", "from", "when", "than", "for", "with", "on", "at"]),
    rule(Suicide, "feel like dying", "feel|feeling|felt like dying")
        .not_before(&["my", "her", "his", "inside", "of", "laughing", "from"]),
    rule(Suicide, "wish I were dead", "wish|wished|wishing i was|were dead").speaker(),
    rule(Suicide, "wish I could die", "wish|wished|wishing i could|would just? die")
        .not_before(&["of", "laughing", "from"])
        .speaker(),
    rule(Suicide, "want to be dead", "want|wanted|wanting to be dead"),
    rule(Suicide, "why can't I just die", "why can not i just? die")
        .not_before(&["of", "laughing", "from"])
        .speaker(),
    rule(Suicide, "rather be dead", "rather be dead"),
    rule(Suicide, "rather die", "rather die").not_before(&["than", "for"]),
    rule(Suicide, "hope I die", "hope|hoping|pray|praying i die|will+die|would+die")
        .not_before(&["laughing", "of", "happy", "before", "first"])
        .speaker(),
    rule(Suicide, "should just end it", "end it")
        .cue(&[
            "should", "could", "will", "ill", "going", "want", "wanted", "wanting", "gonna",
            "ready", "plan", "planning", "decided", "about", "gotta", "need",
        ])
        .only_before(&["all", "tonight", "now", "soon", "for+good", "already", "today"]),
    rule(
        Suicide,
        "no way out but dying",
        "no|a|the way+out except|but|other+than dying|death|suicide|killing+myself|to+die",
    ),
    rule(Suicide, "I am not safe", "i am+not|do+not+feel|feel+not safe")
        .only_before(&["tonight", "right+now", "now", "with+myself", "around+myself", "alone"])
        .speaker(),
    rule(Suicide, "better off dead", "better off dead"),
    rule(Suicide, "suicidal", "suicidal")
        .not_after(&["on", "about", "for", "regarding", "word", "term"])
        .not_before(&[
            "ideation+is", "ideation+can", "thoughts+are+common", "thoughts+can+be",
            "thoughts+are+a", "thoughts+are+normal", "people", "person", "patients", "clients",
            "behavior", "behaviour", "risk", "screening", "prevention", "training", "awareness",
        ]),
    rule(
        Suicide,
        "thinking about suicide",
        "thinking|thought|thoughts|think about|of suicide|committing+suicide",
    ),
    rule(
        Suicide,
        "planning suicide",
        "considering|contemplating|planning|plan|attempt|attempting|attempted my? suicide",
    ),
    rule(Suicide, "commit suicide", "commit|committing suicide").cue(INTENT),
    rule(Suicide, "do not want to be alive", "not want to be alive"),
    rule(Suicide, "do not want to exist", "not want to exist")
        .not_before(&["in", "like", "as", "only", "on"]),
    rule(Suicide, "do not want to live", "not want to live|keep+living").only_before(&[
        "anymore",
        "any+longer",
        "either",
        "no+more",
        "tomorrow",
        "another+day",
    ]),
    rule(
        Suicide,
        "do not want to be here anymore",
        "not want to be here|around anymore|any+longer|no+more",
    ),
    rule(Suicide, "do not want to wake up", "not want to wake up").only_before(&[
        "anymore",
        "tomorrow",
        "again",
        "ever",
        "in+the+morning",
    ]),
    rule(Suicide, "hang myself", "hang|hanging myself").speaker(),
    rule(Suicide, "shoot myself", "shoot|shooting myself")
        .not_before(&["in+the+foot", "in+foot"])
        .speaker(),
    rule(Suicide, "drown myself", "drown|drowning myself")
        .not_before(&["in", "with"])
        .speaker(),
    rule(Suicide, "slit my wrists", "slit|slitting|cut|cutting my wrists|wrist|throat").speaker(),
    rule(
        Suicide,
        "jump off a bridge",
        "jump|jumping|throw+myself|throwing+myself off|from a|the? bridge|building|roof|cliff|balcony",
    )
    .cue(INTENT)
    .not_before(&["into", "in", "for", "on", "at", "with"]),
    rule(
        Suicide,
        "jump in front of a train",
        "jump|jumping|step|stepping|walk|walking|throw+myself|throwing+myself in+front+of a|the? train|car|bus|truck",
    )
    .cue(INTENT),
    rule(Suicide, "suicide plan", "suicide plan|plans|method"),
    rule(
        Suicide,
        "suicide is the only way out",
        "suicide|dying|death is|seems|feels like? the? only way+out|option|answer|solution",
    ),
    rule(Suicide, "want to stop existing", "want|wanted|wish to stop existing|living|being+alive")
        .not_before(&["in", "like", "with", "for", "on", "paycheck"]),
    rule(
        Suicide,
        "want to not be alive",
        "want|wanted|wanting|wish to not be+alive|exist|be+here+anymore|wake+up",
    ),
    rule(Suicide, "wish I were not alive", "wish|wished|wishing i was|were|did not alive|exist")
        .speaker(),
    rule(Suicide, "thinking about dying", "think|thinking|thought about dying|being+dead"),
    rule(Suicide, "ways to die", "ways|way|how|methods to die|overdose|end+it|end+my+life")
        .not_before(&["with", "well", "of", "in", "peacefully"]),
    rule(Suicide, "want to sleep forever", "want|wanted|wanting|wish to sleep forever"),
    // --- Overdose: intentional overdose, or having taken a dangerous amount.
    rule(
        Overdose,
        "overdose on purpose",
        "overdose|overdosed|overdosing on+purpose|intentionally|deliberately",
    ),
    rule(Overdose, "want to overdose", "overdose|overdosing")
        .cue(OVERDOSE_INTENT)
        .not_before(&[
            "on+purpose", "awareness", "prevention", "vigil", "deaths", "death", "crisis",
            "epidemic", "kit", "kits", "training", "response", "reversal", "rates", "rate",
            "anniversary", "day", "month", "statistics", "meeting",
        ]),
    rule(
        Overdose,
        "took all my pills",
        "took|take|taking|swallowed|swallow|swallowing all|all+of my|the pills|tablets",
    )
    .not_before(&[
        "on+time", "as+prescribed", "like+i+was+supposed", "like+i+am+supposed", "for+the+day",
        "for+today", "with+breakfast", "with+food", "with+dinner", "this+morning",
    ])
    .speaker(),
    rule(
        Overdose,
        "took the whole bottle",
        "took|take|taking|swallowed|swallow|swallowing a|the whole|entire bottle|pack|packet|box",
    )
    .not_before(&["of+water", "of+wine", "of+vodka", "of+beer", "of+juice"]),
    rule(
        Overdose,
        "take every pill",
        "took|take|taking|swallowed|swallow|swallowing every pill|tablet|one+of+my+pills",
    ),
    rule(
        Overdose,
        "saving up pills",
        "stockpiling|stockpiled|hoarding|hoarded|stashing|stashed|saving+up|saved+up my? pills|meds|tablets",
    ),
    rule(Overdose, "pills saved up", "pills|meds|tablets saved+up|stockpiled|stashed|hoarded"),
    rule(
        Overdose,
        "took a handful of pills",
        "took|take|taking|swallowed|swallow|swallowing a bunch|handful|lot of pills|tablets",
    ),
    rule(
        Overdose,
        "took too many pills",
        "took|swallowed too many pills|tablets",
    ),
    // --- Self-harm.
    rule(SelfHarm, "hurt myself", "hurt|harm|injure|burn|cut myself")
        .cue(INTENT)
        .not_before(&[
            "at", "lifting", "playing", "running", "working", "in+the+gym", "falling",
            "by+accident", "accidentally", "on", "while", "shaving", "cooking", "off", "out",
            "some", "slack", "a",
        ])
        .speaker(),
    rule(
        SelfHarm,
        "hurt myself again",
        "hurt|harm|harmed|injure|injured|burn|burned|burnt|cut myself again|on+purpose|intentionally|deliberately|tonight|last+night",
    )
    .speaker(),
    rule(SelfHarm, "hurting myself", "hurting|harming|injuring|burning myself")
        .not_before(&[
            "at", "by", "in+the+gym", "lifting", "running", "playing", "trying", "with+work",
            "on", "while", "cooking", "out", "emotionally", "mentally", "financially",
            "with+negative", "with+my+thoughts", "with+words",
        ])
        .speaker(),
    rule(SelfHarm, "cut myself", "cut|cutting|cuting myself")
        .not_before(&[
            "some", "slack", "off", "out", "a", "some+slack", "shaving", "cooking", "chopping",
            "by+accident", "accidentally", "on", "while", "at", "with+a+knife+while", "up",
            "short", "down", "loose", "free",
        ])
        .speaker(),
    rule(SelfHarm, "cutting again", "cutting|cuting again"),
    rule(SelfHarm, "I cut again", "i|i+have cut again").speaker(),
    rule(SelfHarm, "started cutting again", "started|start|starting|back+to cutting")
        .only_before(&["again", "myself", "my"]),
    rule(SelfHarm, "urge to cut", "urge|urges|tempted to cut").not_before(&[
        "back", "down", "ties", "off", "out", "corners", "carbs", "sugar", "costs", "class",
        "school", "hair", "my+hair", "people", "someone", "the", "a", "in", "loose", "it", "them",
        "him", "her", "my+hours", "line",
    ]),
    rule(SelfHarm, "want to cut", "want|wanted|wanting|need|needed to cut")
        .only_before(&["again", "tonight", "so+bad", "so+badly"]),
    rule(
        SelfHarm,
        "cutting my arms",
        "cut|cutting|cuting my arms|arm|thighs|thigh|legs|skin|wrist",
    )
    .not_before(&["on", "while", "at", "by+accident", "accidentally", "cooking", "shaving"])
    .speaker(),
    rule(
        SelfHarm,
        "urge to self-harm",
        "urge|urges|want|wanted|wanting|tempted|temptation|going|thinking+about|thought+about to? self harm|harming",
    ),
    rule(SelfHarm, "I self-harm", "i|me self harm|harmed|harming").speaker(),
    rule(
        SelfHarm,
        "self-harming again",
        "been|started|starting|keep|back+to self harming|harmed",
    ),
    rule(SelfHarm, "self-harm again", "self harm|harmed|harming again"),
    rule(
        SelfHarm,
        "relapsed on self-harm",
        "relapsed|relapse|relapsing on|with|into? self harm|harming",
    ),
    // --- Farewell: saying goodbye for good, a note, giving things away.
    rule(
        Farewell,
        "say goodbye to everyone",
        "say|saying|said goodbye to everyone|everybody|you+all|all+of+you|the+world|yall|the+group",
    )
    .not_before(&["at", "from", "on", "in", "for+me"])
    .unless(ORDINARY_LEAVING),
    rule(
        Farewell,
        "goodbye everyone, tonight is the night",
        "goodbye|bye everyone|everybody|all|world|yall|forever",
    )
    .in_context(&[
        "the+night", "last+message", "this+is+it", "for+the+last+time", "forgive+me",
        "take+care+of+my", "i+am+sorry+for+everything", "sorry+for+everything", "wont+see+me",
        "will+not+see+me", "not+be+here", "wont+be+here", "end+it", "ending+it",
    ])
    .unless(ORDINARY_LEAVING),
    rule(Farewell, "this is my last message", "this is my last message|post|words")
        .only_before(&["ever", "to+you", "to+all", "to+everyone", "to+the+group"])
        .unless(ORDINARY_LEAVING),
    rule(Farewell, "for after I am gone", "for after i am gone|dead").speaker(),
    rule(Farewell, "this is goodbye", "this is goodbye|my+goodbye")
        .not_before(&["to"])
        .unless(ORDINARY_LEAVING),
    rule(Farewell, "goodbye forever", "goodbye forever|for+good").unless(ORDINARY_LEAVING),
    rule(Farewell, "final goodbye", "final|last goodbye")
        .not_before(&["to+my+old", "to+the", "to+this", "to+our", "to+that"])
        .unless(ORDINARY_LEAVING),
    rule(Farewell, "suicide note", "suicide note|letter|notes|letters"),
    rule(
        Farewell,
        "goodbye letter",
        "goodbye letter|note|letters|notes",
    )
    .unless(ORDINARY_LEAVING),
    rule(
        Farewell,
        "giving away my things",
        "giving|gave|give away all? my|of+my belongings|possessions|stuff|things",
    )
    .unless(ORDINARY_LEAVING)
    .speaker(),
    rule(
        Farewell,
        "will not be around much longer",
        "will|would not be around|here|alive much+longer|for+much+longer|for+long",
    )
    .unless(ORDINARY_LEAVING),
    // --- Hopelessness: no reason to live, a burden, wanting it all to stop.
    rule(
        Hopelessness,
        "better off without me",
        "better off without+me|if+i+was+gone|if+i+were+gone|if+i+was+dead|if+i+were+dead|if+i+was+not+here|if+i+were+not+here|if+i+did+not+exist|with+me+gone|if+i+disappeared",
    )
    .not_before(&["on", "at", "in", "for"])
    .speaker(),
    rule(Hopelessness, "happier without me", "happier|easier without me")
        .not_before(&["on", "at", "in", "for", "there", "around"])
        .speaker(),
    rule(
        Hopelessness,
        "easier if I was dead",
        "easier|better|happier if i was|were dead|gone|not+here|never+born|not+around",
    )
    .speaker(),
    rule(
        Hopelessness,
        "no reason to live",
        "no|not+any|any|nothing|nothing+left reason|reasons to live|be+alive|stay+alive|exist|keep+living",
    ),
    rule(
        Hopelessness,
        "what is the point of living",
        "what|whats is? the point of|in living|being+alive|going+on|life|existing",
    )
    .not_before(&["in", "with", "like", "for", "under", "on", "if+you"]),
    rule(
        Hopelessness,
        "do not see the point in living",
        "not see the|a|any point|reason in|of|to living|being+alive|live|existing|going+on|life",
    )
    .not_before(&[
        "in", "with", "like", "for", "under", "on", "the", "a", "this", "that", "my", "to",
        "about", "if+you",
    ]),
    rule(
        Hopelessness,
        "do not think I can keep going",
        "not think i can keep+going|go+on|keep+living|survive",
    )
    .only_before(&["anymore", "any+longer", "much+longer", "like+this"])
    .speaker(),
    rule(
        Hopelessness,
        "hate being alive",
        "hate|hating being+alive|living|existing",
    )
    .not_before(&[
        "with", "in", "here", "there", "alone", "like", "near", "on", "at", "paycheck", "so",
        "far",
    ]),
    rule(
        Hopelessness,
        "tired of fighting to stay alive",
        "tired of fighting|trying to stay+alive|keep+living|be+alive",
    ),
    rule(
        Hopelessness,
        "no one would care if I died",
        "no+one|nobody|noone would care|notice|miss+me if|when i died|was+gone|were+gone|disappeared|was+dead|were+dead",
    )
    .speaker(),
    rule(Hopelessness, "done with life", "done with life|living|being+alive").only_before(&[
        "anymore",
        "honestly",
        "now",
        "already",
        "for+real",
    ]),
    rule(
        Hopelessness,
        "nothing to live for",
        "nothing|nobody|no+one left? to live for",
    ),
    rule(
        Hopelessness,
        "no point in living",
        "no|not+any point|purpose in|to? living|live|being+alive|existing|going+on",
    )
    .not_before(&[
        "in", "with", "like", "for", "under", "on", "the", "a", "this", "that", "my", "to",
        "about",
    ]),
    rule(Hopelessness, "life is not worth living", "life is|was not worth living|it")
        .not_before(&["without"]),
    rule(Hopelessness, "not worth living", "not worth living|being+alive")
        .not_before(&["in", "with", "like", "for", "under", "on"]),
    rule(Hopelessness, "no will to live", "no|lost|losing|lose the|my? will to live"),
    rule(
        Hopelessness,
        "wish I was never born",
        "wish|wished|wishing i was|were|had|would never|not been? born",
    )
    .speaker(),
    rule(
        Hopelessness,
        "want it all to end",
        "want|wanted|need it+all|everything to end|stop|be+over",
    )
    .only_before(&["now", "forever", "for+good", "already"]),
    rule(
        Hopelessness,
        "tired of being alive",
        "tired|sick of living|being+alive|existing|life",
    )
    .only_before(&["anymore", "already", "honestly", "now"]),
    rule(
        Hopelessness,
        "give up on life",
        "give|giving up on life|living",
    ),
    rule(Hopelessness, "cannot go on", "can not go on|keep+going|keep+living").only_before(&[
        "anymore",
        "any+longer",
        "living",
        "much+longer",
    ]),
    rule(
        Hopelessness,
        "not sure I want to live",
        "not sure|certain if|that|whether? i want to live|be+alive|keep+living|exist",
    )
    .speaker(),
    rule(
        Hopelessness,
        "disappear forever",
        "want|wanted|wish|wishing to? disappear forever|for+good|permanently|and+never+come+back|and+never+be+found|and+never+return",
    ),
    rule(
        Hopelessness,
        "never wake up",
        "sleep|sleeping and never wake up",
    ),
    rule(Hopelessness, "never wake up again", "never wake up again"),
    rule(
        Hopelessness,
        "hope I do not wake up",
        "hope|hoping|wish|wishing|pray|praying i do|will|would|did? not|never wake up",
    )
    .not_before(&[
        "with", "early", "late", "at", "in", "on", "before", "feeling", "sick", "tired",
        "hungover", "to", "until", "till",
    ])
    .speaker(),
];

/// Words that negate a phrase when they come just before it: "I'm not suicidal", "I would
/// never hurt myself", "I stopped cutting myself".
pub(super) const NEGATIONS: &[&str] = &["not", "never", "nor", "stopped", "quit", "without"];

/// Words that may stand between a negation and the phrase ("not *really* suicidal", "never
/// *been* suicidal", "not *going to* kill myself").
pub(super) const FILLERS: &[&str] = &[
    "i",
    "am",
    "is",
    "are",
    "be",
    "been",
    "being",
    "was",
    "were",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
    "ever",
    "really",
    "actually",
    "even",
    "truly",
    "honestly",
    "feeling",
    "feel",
    "felt",
    "going",
    "to",
    "would",
    "will",
    "could",
    "should",
    "at",
    "all",
    "so",
    "that",
    "currently",
    "right",
    "now",
    "seriously",
    "gonna",
    "anymore",
    "like",
    "a",
    "bit",
];

/// Subjects that mean the phrase is about the speaker.
pub(super) const FIRST_PERSON: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "mine",
    "we",
    "us",
    "our",
    "ourselves",
];

/// Subjects that mean the phrase is about someone else ("my brother was suicidal", "if you
/// feel suicidal, call 988"). "anyone else" / "someone else" count as the speaker: "does anyone
/// else want to die sometimes" is a disclosure.
pub(super) const OTHER_PERSON: &[&str] = &[
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "his",
    "hers",
    "their",
    "theirs",
    "himself",
    "herself",
    "themselves",
    "you",
    "your",
    "yourself",
    "yourselves",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "everyone",
    "everybody",
    "nobody",
    "people",
    "person",
    "who",
    "son",
    "daughter",
    "brother",
    "sister",
    "mom",
    "mum",
    "mother",
    "dad",
    "father",
    "parent",
    "parents",
    "friend",
    "friends",
    "partner",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "kid",
    "kids",
    "child",
    "children",
    "baby",
    "cousin",
    "uncle",
    "aunt",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "nephew",
    "niece",
    "roommate",
    "coworker",
    "colleague",
    "boss",
    "client",
    "clients",
    "patient",
    "patients",
    "student",
    "students",
    "teen",
    "teenager",
    "guy",
    "girl",
    "man",
    "woman",
    "neighbor",
    "neighbour",
    "ex",
    "fiance",
    "fiancee",
    "spouse",
    "sibling",
    "siblings",
    "buddy",
    "sponsor",
    "sponsee",
    "therapist",
    "doctor",
    "member",
    "members",
    "character",
    "veteran",
    "veterans",
    "family",
];

/// Words that place a phrase in the past or in recovery ("I used to cut", "I was suicidal
/// years ago", "300 days self-harm free"). They suppress the alert unless the same sentence
/// also has a word of `PRESENT` ("I used to cut and I did again last night").
pub(super) const PAST: &[&str] = &[
    "used+to",
    "years+ago",
    "year+ago",
    "months+ago",
    "month+ago",
    "long+time+ago",
    "long+ago",
    "back+when",
    "back+then",
    "in+the+past",
    "when+i+was+younger",
    "when+i+was+young",
    "when+i+was+a",
    "when+i+was+in",
    "when+i+was+little",
    "when+i+was+#",
    "as+a+teen",
    "as+a+teenager",
    "as+a+kid",
    "as+a+child",
    "last+year",
    "in+high+school",
    "in+college",
    "in+my+teens",
    "in+my+twenties",
    "in+#year",
    "no+longer",
    "not+anymore",
    "recovery",
    "recovered",
    "survived",
    "survivor",
    "survivors",
    "doing+better",
    "harm+free",
    "free+from",
    "free+of",
    "clean+from",
    "clean+of",
    "days+clean",
    "weeks+clean",
    "months+clean",
    "years+clean",
    "since+i+last",
    "since+my+last",
    "since+the+last",
    "if+i+ever",
    "in+case",
];

/// Words that bring a past-tense sentence back to now.
pub(super) const PRESENT: &[&str] = &[
    "again",
    "tonight",
    "still",
    "lately",
    "right+now",
    "these+days",
    "this+week",
    "today",
    "yesterday",
    "last+night",
    "this+morning",
    "currently",
    "recently",
];
