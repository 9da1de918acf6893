//! Table-driven cases for the contact filter: hundreds of messages written for these tests, one
//! table per category of the issue (plain, international, spacing, spelled digits, lookalikes,
//! Unicode digits, invisible characters, at/dot dressings, reversed, handles with platform cues,
//! links), and the ordinary talk that must pass (counts, doses, dates, times, money, ranges, help
//! lines, identifiers, talk about platforms, mentions, at/dot words, resource links).
//!
//! The dev sets in `shared/` are not copied here: these cases are meant to generalize.

use super::{ContactKind, Context, Filter, FilterConfig, RecentMessages, Verdict};
use crate::domain::Millis;

fn filter() -> Filter {
    Filter::new(FilterConfig::default())
}

fn check(filter: &Filter, text: &str) -> Verdict {
    filter.check(text, &Context::standalone(Millis(0)))
}

/// Every text must be blocked with `kind` among the kinds found.
fn assert_caught(kind: ContactKind, texts: &[&str]) {
    let filter = filter();
    let misses: Vec<(&str, Vec<ContactKind>)> = texts
        .iter()
        .map(|&text| (text, check(&filter, text).kinds()))
        .filter(|(_, kinds)| !kinds.contains(&kind))
        .collect();
    assert!(misses.is_empty(), "expected {kind:?} in: {misses:#?}");
}

/// No text may be blocked.
fn assert_clean(texts: &[&str]) {
    let filter = filter();
    let alarms: Vec<(&str, String)> = texts
        .iter()
        .map(|&text| (text, check(&filter, text)))
        .filter(|(_, verdict)| !verdict.is_clean())
        .map(|(text, verdict)| (text, verdict.masked))
        .collect();
    assert!(alarms.is_empty(), "false alarms: {alarms:#?}");
}

/// Feeds each conversation as one member's messages ten seconds apart; returns whether any
/// message was blocked.
fn conversation_blocked(filter: &Filter, messages: &[&str]) -> bool {
    let mut recent = RecentMessages::new();
    let mut blocked = false;
    for (i, text) in messages.iter().enumerate() {
        let now = Millis(i64::try_from(i).unwrap_or(0) * 10_000);
        let ctx = Context {
            names: &[],
            recent: Some(&recent),
            now,
        };
        let verdict = filter.check(text, &ctx);
        blocked |= !verdict.is_clean();
        recent.record(now, text, &verdict);
    }
    blocked
}

const EMAIL_IMPLICIT: &[&str] = &[
    "my gmail is sam.jones.82",
    "my hotmail is river_walker",
    "my yahoo is quietfern22",
    "gmail: ben.morris.net1",
    "my email is sam.jones82, gmail",
    "my icloud is dana.r.88",
];

const EMAIL_OBFUSCATED: &[&str] = &[
    "sam dot jones at gmail dot com",
    "river_walker [at] outlook [dot] com",
    "j.doe (at) protonmail (dot) com",
    "mary {at} icloud {dot} com",
    "tom at hotmail dot co dot uk",
    "lena <at> web <dot> de",
    "sam.jones at gmail.com",
    "samjones AT gmail DOT com",
    "sam . jones @ gmail . com",
    "sam jones at gmail",
    "email me, its quietfern22 at yahoo",
    "hello[at]juniperwrites[dot]com",
    "sam_jones at gmail dot com",
    "kai dot n at fastmail dot fm",
    "dana r at aol dot com",
    "email: ben at benmorris dot net",
    "my email is mark underscore ellis at gmail dot com",
    "sarah dash m at live dot com",
    "its rosie dot f at hotmail",
    "amy(at)gmail(dot)com",
    "amy [@] gmail [.] com",
    "amy at gmail . com",
    "theo at gmail dot com",
    "my email is at sign... no wait, its theo.k at gmail",
    "moc.liamg@senoj.mas",
    "reversed: moc.kooltuo@reklaw_revir",
    "backwards moc.oohay@22nrefteiuq",
    "email me, sam jones at gmail",
    "rosie f at gmail",
    "rosie dot f at gmail",
    "rosie.f at gmail",
    "rosie.f(at)gmail.com",
    "rosie.f [at] gmail [dot] com",
    "rosie.f AT gmail",
    "r o s i e . f @ g m a i l . c o m",
    "rosie.f @ gmail",
    "rosie.f at gmail dot com",
    "my email is rosie f at hotmail dot com",
    "rosie.f at gmail dot com (no spaces)",
    "its rosief at yahoo dot co dot uk",
    "rosief {at} proton {dot} me",
    "rosief at gmail dot com",
    "email: rosie.f at outlook",
    "rosie_f at icloud",
];

const EMAIL_PLAIN: &[&str] = &[
    "my email is sam.jones@gmail.com",
    "email me at river_walker@outlook.com",
    "quietfern22@yahoo.com",
    "reach me: j.doe@protonmail.com",
    "contact me on mary-ann.lee@icloud.com",
    "my addy is tom.b@hotmail.co.uk",
    "you can mail me at hello@juniperwrites.com",
    "MARK.ELLIS@GMAIL.COM",
    "its ben+group@gmail.com",
    "write to lena_k@web.de",
    "my uni email a.smith@student.ucl.ac.uk",
    "my email: dana.r@aol.com if you want to talk",
    "drop me a line kai.n@fastmail.fm",
    "email: soberdad82@gmail.com",
    "I check sarahm@live.com daily",
    "email me: rosie.f@gmail.com 💌",
    "my email if you want: t.nguyen@outlook.com",
    "sam82@protonmail.ch",
    "contact: river.w@pm.me",
    "my school email j.smith22@students.example.edu",
    "the.quiet.fern@gmail.com is me",
    "SAM.JONES@HOTMAIL.CO.UK",
    "my work one is sjones@acme-corp.com but use gmail: sam.jones@gmail.com",
];

const EMAIL_UNICODE: &[&str] = &[
    "sam.jones@gmаil.com",
    "ｓａｍ＠ｇｍａｉｌ．ｃｏｍ",
    "sam.jones＠gmail.com",
    "sam\u{200B}.jones@gmail\u{200B}.com",
    "𝐬𝐚𝐦@𝐠𝐦𝐚𝐢𝐥.𝐜𝐨𝐦",
    "ѕаm.јоnеѕ@gmail.com",
    "sam.jones@gmail。com",
];

const EMAIL_VARIED: &[&str] = &[
    "my email's jess.m.porter@gmail.com",
    "jessporter at gmail if u wanna chat",
    "jess.porter(at)outlook.com",
    "email: jess [dot] porter [at] gmail [dot] com",
    "jess_porter88 at yahoo dot com",
    "you can email me at jess.porter@icloud.com",
    "my email is jessporter at hotmail dot co dot uk",
    "JESS.PORTER @ GMAIL . COM",
    "jess.porter at proton dot me",
    "jessporter88@gmail",
    "email me — jess dot porter at gmail",
    "hazel.d@gmail.com 🙂",
    "email hazel d at gmail",
    "hazel_d(at)hotmail.com",
    "hazel.d [at] gmail.com",
    "my address is hazel.d@me.com",
    "hazeld@yahoo.fr",
    "h.dawn@outlook.de",
    "hazel.dawn@gmx.net",
    "hazel at hazeldawn dot co dot uk",
    "hazel@hazeldawn.art",
    "hazel dawn at gmail dot com",
    "hazel.dawn AT gmail",
    "reach me by email: hazel.dawn at yahoo",
];

const HANDLE_OBFUSCATED: &[&str] = &[
    "1nsta: sober.sam",
    "d1sc0rd: cobalt_crow",
    "sn4p: river_w22",
    "i n s t a @ q u i e t . f e r n",
    "s n a p: r i v e r _ w 2 2",
    "insta is sam dot sober",
    "my ig is at sign sober dot sam",
    "tik tok @ quiet.fern",
    "snap chat: gully_jones",
    "whats app me: sam_82",
    "insta → sober.sam",
    "ig - at quiet underscore fern",
    "my insta is sober.sam",
    "Ｉｎｓｔａ： ｓｏｂｅｒ．ｓａｍ",
    "іnstа: sober.sam",
    "i.n.s.t.a: sober.sam",
    "telegram: @kalinka_sea",
    "d i s c o r d: cobalt_crow",
];

const HANDLE_PLAIN: &[&str] = &[
    "add me on insta: sober.sam",
    "my snap is river_w22",
    "follow me on tiktok @quiet.fern",
    "ig: juniper.writes",
    "my instagram is @dawn.chaser",
    "discord: cobalt.crow",
    "find me on discord, dusty_lantern",
    "my twitter is @soberdad82",
    "add me on snapchat sam_j_82",
    "kik me, mistletoad",
    "telegram @kalinka_sea",
    "threads @sober.sam",
    "bsky: sobersam.bsky.social",
    "reddit u/quiet_fern",
    "my reddit is u/sober_sam_82",
    "hmu on snap, poppy_seed_9",
    "dm me on insta @rosehip.tea",
    "my tiktok is sober.baker",
    "fb: lorna.pryce",
    "facebook is lorna.pryce.3, add me",
    "my discord is brassmonkey#1024",
    "add me brassmonkey#1024",
    "snap - sam.j.82",
    "my ig handle is sober_sam",
    "insta @sam.sober",
    "x: @soberdad",
    "on x @soberdad82",
    "follow me on twitter @river_walks",
    "my user on discord is dusty_lantern",
    "my snapchat username is gully_jones",
    "search me on insta, juniper_writes",
    "tiktok: @tidepool.tales",
    "whatsapp me, my username is sam_82",
    "my signal username is fennel.88",
    "kik: rosehip_tea",
    "add me @quiet.fern on insta",
    "quietfern_22 on insta",
    "I'm poppy_seed_9 on snap",
    "@sober.baker.bea on tiktok",
    "sam_j_82 is my snap",
    "my steam is river_w22",
    "my instagram: wander.and.wonder",
    "snapchat - gully_jones",
    "insta: dawnchaser99",
    "find me on instagram as rosehip.tea",
    "add me on discord its dusty.lantern",
    "snap me at sam_j_82",
    "ig @rosehip.tea",
    "my bluesky is sobersam.bsky.social",
    "can we keep talking on discord? I'm dusty_lantern",
    "lets move this to snap, poppy_seed_9",
    "anyone want to chat on telegram? @kalinka_sea",
    "we should make a discord, add me brassmonkey#1024",
    "keep in touch? insta: juniper.writes",
    "message me on kik: mistletoad after the group",
    "sc: rosie.f22",
    "snapchat: rosief22",
    "insta @rosie.f",
    "ig rosie.f",
    "my ig: rosie.f",
    "follow me @rosie.f on insta",
    "add me on snap its rosief22",
    "hmu on ig @rosie_f",
    "I'm rosie.f on everything",
    "my handle is @rosie_f everywhere",
    "username: rosie_f22",
    "find me on tiktok: rosie.f.22",
    "yo my insta's rosie.f",
    "snap is rosief22",
    "discord - rosie#4821",
    "my discord is rosie_f",
    "telegram me @rosie_f",
    "add me on kik rosief22",
    "my twitter handle is rosie_f22",
    "ig: @rosie.f 🌸",
    "my insta is rosie dot f",
    "my snap is rosie underscore f",
    "dm me on twitter @rosie_f",
    "message me on discord rosie_f",
    "tiktok @rosie.f.22",
    "threads: rosie.f",
    "bluesky: rosie.bsky.social",
    "my reddit is rosie_f22",
    "reddit: u/rosie_f",
    "fb: rosie.fitzgerald.9",
    "facebook: rosie.fitzgerald.9",
    "add me on facebook rosie.fitzgerald.9",
    "whats app rosie_f",
];

const HANDLE_VARIED: &[&str] = &[
    "insta is jess.porter.88",
    "add my snap jessp_88",
    "my ig @jess.porter",
    "follow me on tiktok: jessporter_",
    "discord: jessp#2231",
    "my discord is jessp88",
    "snap: jess.p88",
    "my instagram is jesswrites",
    "twitter @jess_writes",
    "find me on ig jess.porter",
    "ig: jess_p",
    "kik me at jessp88",
    "telegram @jessp88",
    "hmu on snap jessp_88",
    "my reddit is u/jess_p",
    "yo add me on snap, jessp_88 🙂",
    "u can find me on insta as jess.porter",
    "insta: @jess.porter (private acct, request)",
    "I'm hazeldawn on insta",
    "find me as hazel.dawn on ig",
    "ig -> hazel.dawn",
    "add me on snapchat: hazeldawn22",
    "follow @hazel.dawn",
    "snapchat @hazeldawn22",
    "my tiktok @hazel.dawn.22",
    "my snap: hazeldawn_",
    "add hazeldawn22 on snap",
    "hazel.dawn on instagram, add me",
    "twitter/x: @hazeldawn",
    "discord hazel_dawn",
    "insta 👉 hazel.dawn",
    "Insta: Hazel.Dawn",
    "my ig's hazel.dawn",
    "sc - hazeldawn22",
    "ig @ hazel.dawn",
    "the gram: @hazel.dawn",
];

const LINK_OBFUSCATED: &[&str] = &[
    "instagram dot com slash sober.sam",
    "t dot me slash kalinka_sea",
    "wa . me / 447700900123",
    "linktr . ee / sober.sam",
    "discord dot gg/AbC123",
    "instagram[.]com/sober.sam",
    "hxxps://t.me/kalinka_sea",
    "tiktok(dot)com/@quiet.fern",
    "facebook dot com/lorna.pryce.3",
    "t.me / kalinka_sea",
];

const LINK_PLAIN: &[&str] = &[
    "instagram.com/sober.sam",
    "https://instagram.com/dawn.chaser",
    "www.instagram.com/rosehip.tea/",
    "t.me/kalinka_sea",
    "https://t.me/+AbCdEfGh123",
    "wa.me/447700900123",
    "https://wa.me/13125550147",
    "discord.gg/AbC123",
    "https://discord.gg/recoveryfriends",
    "linktr.ee/sober.sam",
    "https://linktr.ee/juniperwrites",
    "facebook.com/lorna.pryce.3",
    "https://www.facebook.com/profile.php?id=1000123",
    "twitter.com/soberdad82",
    "x.com/soberdad82",
    "tiktok.com/@quiet.fern",
    "https://vm.tiktok.com/ZMabc123/",
    "bsky.app/profile/sobersam.bsky.social",
    "snapchat.com/add/gully_jones",
    "reddit.com/u/quiet_fern",
    "https://www.reddit.com/user/sober_sam_82",
    "youtube.com/@soberdadvlogs",
    "chat.whatsapp.com/AbCdEf123",
    "m.me/lorna.pryce",
    "sam-sober.carrd.co",
    "https://juniperwrites.substack.com",
    "beacons.ai/sobersam",
    "my blog is juniperwrites.com",
    "check out my site soberdadjokes.net",
    "threads.net/@sober.sam",
    "join my zoom zoom.us/j/1234567890",
    "https://calendly.com/sam-jones",
    "signal.me/#p/+13125550147",
    "paypal.me/samjones",
    "linkedin.com/in/sam-jones-82",
    "twitch.tv/soberstreams",
    "instagram.com/rosie.f",
    "https://www.instagram.com/rosie.f?igsh=abc",
    "snapchat.com/add/rosief22",
    "t.me/rosie_f",
    "https://t.me/rosie_f",
    "https://discord.gg/abcDEF",
    "linktr.ee/rosie.f",
    "https://www.tiktok.com/@rosie.f.22",
    "tiktok.com/@rosie.f.22",
    "facebook.com/rosie.fitzgerald.9",
    "fb.com/rosie.fitzgerald.9",
    "https://x.com/rosie_f",
    "twitter.com/rosie_f",
    "bsky.app/profile/rosie.bsky.social",
    "reddit.com/user/rosie_f22",
    "rosie.carrd.co",
    "https://rosie.substack.com",
    "my blog: rosiewrites.com",
    "youtube.com/@rosievlogs",
    "https://m.facebook.com/rosie.fitzgerald.9",
    "instagram dot com / rosie.f",
    "www.linktr.ee/rosie.f",
];

const LINK_VARIED: &[&str] = &[
    "instagram.com/jess.porter",
    "https://www.tiktok.com/@jessporter_",
    "linktr.ee/jessporter",
    "t.me/jessp88",
    "wa.me/447911123456",
    "discord.gg/jessfriends",
    "facebook.com/jess.porter.88",
    "https://jessporter.carrd.co/",
    "instagram.com/hazel.dawn/",
    "https://instagr.am/hazel.dawn",
    "http://t.me/hazeldawn",
    "t.me/joinchat/AAAAAE",
    "chat.whatsapp.com/invite/ABC123",
    "https://discord.com/invite/abc123",
    "tiktok.com/@hazel.dawn?lang=en",
    "hazeldawn.carrd.co",
    "my website hazeldawn.com",
    "https://www.linkedin.com/in/hazel-dawn-123",
    "https://www.snapchat.com/add/hazeldawn22",
];

const PHONE_INTERNATIONAL: &[&str] = &[
    "+44 7700 900123",
    "+1 312 555 0147",
    "+33 6 12 34 56 78",
    "+49 30 12345678",
    "+61 412 345 678",
    "+353 87 123 4567",
    "+64 21 555 0134",
    "+27 82 555 0134",
    "+91 98765 43210",
    "+34 612 345 678",
    "call me on +44 (0)20 7946 0958",
    "my uk number +447700900456",
    "0044 7700 900 789",
    "whatsapp +1-415-555-0199",
    "+39 333 123 4567",
    "+31 6 12345678",
    "+55 11 91234-5678",
    "+52 55 1234 5678",
    "+81 90-1234-5678",
    "+46 70 123 45 67",
    "my irish one is 087 123 4567",
    "uk mobile 07123 456789",
    "australian mobile 0412 555 013",
    "french number 06 12 34 56 78",
    "german handy 0151 12345678",
];

const PHONE_LOOKALIKE: &[&str] = &[
    "5O5-555-O137",
    "call 3l2 555 Ol47",
    "my number 646 555 0199",
    "7O2 555 O148",
    "2l2-555-Ol87",
    "text me at 4I5 555 OI22",
    "9l9.555.Ol6l",
    "O77OO 9OO123",
];

const PHONE_PLAIN: &[&str] = &[
    "call me 555-123-4567",
    "my number is 312 555 0147",
    "text me: 646.555.0199",
    "(212) 555-0187 is my cell",
    "my cell 2125550143",
    "reach me at 415-555-0122 anytime",
    "phone: 503 555 0110",
    "555-0147 is my landline",
    "hmu 917 555 0134",
    "call or text 708-555-0166 if you need someone",
    "my number's 404 555 0173",
    "my mobile is 0412 345 678",
    "ring me on 07911 123456",
    "its 555 867 5309 lol",
    "digits: 773-555-0100",
    "call me at (305)555-0142 after 6",
    "number is 1 800 555 0199",
    "text 206 555 0134 whenever",
    "whatsapp me 07700 900123",
    "555.867.5309",
    "my # is 312-555-0190",
    "here: 818 555 0112",
    "feel free to text 602 555 0177",
    "my work phone is 555 0148 ext 22",
    "tel 020 7946 0123",
    "I'm at 469-555-0128 if anyone wants to talk",
    "cell: (646) 555 0100",
    "call me tonight 5551234567",
    "number 3125550147",
    "my new number 347 555 0163, old one is gone",
    "signal me at 312 555 0147",
    "my whatsapp is 07700 900 555",
    "telegram: +44 7700 900321",
    "add me on whatsapp 0412 345 678",
    "viber 0151 23456789",
    "imessage me 646 555 0199",
    "whatsapp +91 98765 43210 for the group",
    "my number is 555 0147",
    "call 1 (800) 555-0199 ask for me",
    "+1.415.555.0122",
    "(415)5550122",
    "four one five – five five five – zero one two two",
    "my cell is 415 555 01 22",
    "415.555.0122.",
    "number: 415-555-O122",
    "+1 four one five 555 0122",
    "call me at 415 555 zero one two two",
    "four hundred fifteen, five fifty five, oh one twenty two",
    "555 12 34 call me",
    "if u need me 07700900123",
    "my # 415 555 0122 text first",
    "txt me 4155550122 ok?",
    "hey everyone, this is my number in case: 312.555.0147",
    "my landline is 01632 960123",
    "0161 496 0123 is home",
    "mob: 07700 900 987",
    "reach me on 021 555 0134",
    "landline (02) 9876 5432",
    "Here's my number if anyone needs to talk 503-555-0110 💛",
    "I'm at 503 555 0110 most nights",
    "Call or text anytime: 555.019.9999",
    "number is five five five, one two three, four five six seven",
    "nine seven two five five five zero one zero zero",
    "its 3 1 2 five five five 0 1 4 7",
    "2\u{FE0F}\u{20E3}0\u{FE0F}\u{20E3}6\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}0\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}",
    "☎\u{FE0F} 415 555 0122",
    "📞 07700 900123",
    "whatsapp: +44 7700 900 321",
    "wa: 07700 900321",
    "+1 (206) 555-0134 ext 12",
    "call 206-555-0134x12",
    "+44 (0) 7700 900 123",
    "00 44 7700 900 123",
    "+61 (0)4 1234 5678",
    "my number 9876543210",
    "call me 98765 43210",
];

const PHONE_SPACING: &[&str] = &[
    "3 1 2 5 5 5 0 1 4 7",
    "call 4 1 5 - 5 5 5 - 0 1 2 2",
    "5.5.5.1.2.3.4.5.6.7",
    "555 - 123 - 4567",
    "9 1 7  5 5 5  0 1 3 4",
    "my number is 31 25 55 01 47",
    "3-1-2-5-5-5-0-1-4-7",
    "6 4 6 5 5 5 0 1 9 9 call me",
    "7 2 0 . 5 5 5 . 0 1 9 2",
    "text me 21 2 55 50 18 7",
    "0 7 7 0 0 9 0 0 1 2 3",
];

const PHONE_SPELLED_DIGITS: &[&str] = &[
    "five five five one two three four five six seven",
    "call me at four one five five five five oh one two two",
    "my number is three one two, five five five, oh one four seven",
    "text six oh two five five five oh one four eight",
    "nine one seven five five five zero one three four",
    "oh seven seven double oh nine double oh one two three",
    "four one five triple five oh one two two",
    "eight hundred five five five oh one nine nine",
    "one eight hundred five five five one two one two",
    "its seven one eight, five five five, twelve thirty four",
    "three one two. five five five. oh one four seven",
    "two one two - five five five - oh one eight seven",
    "my digits are six four six five five five zero one nine nine",
    "nine one nine fifty five fifty five oh one six one",
    "forty one five, five five five, oh one two two",
    "text me: seven zero two, five five five, zero one four four",
    "call six-oh-two five-five-five oh-one-four-eight",
    "zero four one two three four five six seven eight",
    "call 312 five five five 0147",
    "my number is 4 one 5 555 o1 2 2",
    "six 4 six 555 zero one 99",
    "919 555 oh one six one",
    "text 202 five 5 five 0 1 5 5",
    "it's 07700 nine zero zero one two three",
    "415 five five five oh one two two call me",
    // Glued together.
    "my cell is fivefivefivetwoonetwothreefour",
    "4one5 five5five 0one9two",
    "call FiveFiveFive OneTwoThree FourFiveSix",
    "text 312 fivefivefive 0147",
    // Groups joined by "then".
    "it's eight zero zero, then five five five, then oh one nine nine",
];

const PHONE_UNICODE: &[&str] = &[
    "my number ３１２-５５５-０１４７",
    "call 𝟑𝟏𝟐 𝟓𝟓𝟓 𝟎𝟏𝟒𝟕",
    "٣١٢ ٥٥٥ ٠١٤٧ call me",
    "४१५ ५५५ ०१२२",
    "③①② ⑤⑤⑤ ⓪①④⑦",
    "❸❶❷ ❺❺❺ ⓿❶❹❼",
    "³¹² ⁵⁵⁵ ⁰¹⁴⁷",
    "3\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}2\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}5\u{FE0F}\u{20E3}0\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}4\u{FE0F}\u{20E3}7\u{FE0F}\u{20E3}",
    "text 6\u{200D}4\u{200D}6\u{200D}5\u{200D}5\u{200D}5\u{200D}0\u{200D}1\u{200D}9\u{200D}9",
    "call 4\u{200B}1\u{200B}5 5\u{200B}5\u{200B}5 0\u{200B}1\u{200B}2\u{200B}2",
    "my cell ۶۴۶ ۵۵۵ ۰۱۹۹",
    "𝟕𝟐𝟎.𝟓𝟓𝟓.𝟎𝟏𝟗𝟐",
    "phone：３１２ ５５５ ０１４７",
    "٠٧٧٠٠ ٩٠٠١٢٣",
    "3\u{AD}1\u{AD}2\u{AD}5\u{AD}5\u{AD}5\u{AD}0\u{AD}1\u{AD}4\u{AD}7",
    "call ５５５–１２３–４５６７",
];

const PHONE_VARIED: &[&str] = &[
    "if anyone needs a friend 4 0 4 - 5 5 5 - 0 1 7 3 ok",
    "i dont care about the rules here's my # 773 555 0100",
    "u can reach me on 07712 345678",
    "my digits 646 five five five 0199",
    "its 2125550187 dont share it",
    "Text me: (312)555-0147",
    "cell 312.555.0147 text only pls",
    "my phone is 0 4 1 2 3 4 5 6 7 8",
    "+44 7911 123456 whatsapp only",
    "call me on +353 86 123 4567 after 8",
    "number's +61 412 345 678",
    "three one two – five five five – zero one four seven",
    "I'm at 415-555-0199 if you ever want to grab coffee",
    "my new cell: 929 555 0166",
    "sms 07700 900 432",
    "whatsapp/signal: 07700 900 432",
    "call 020 7946 0000 ask for Jo",
    "my numbers 503 555 0110 lol",
    "Here's my number, 720 555 0192, hit me up whenever",
    "llámame al 612 345 678",
    "ruf mich an 0151 23456789",
    "mi numero è 333 1234567",
    "my cell's 555-0199 (no area code, it's local)",
    "call me at eight one eight, five five five, oh one two three",
    "5 5 5 - 0 1 9 9",
    "555 - 0199",
    "(555) 0199",
    "+1 312-555-0147",
    "001 312 555 0147",
    "+1 312 555 0147 (cell)",
    "312/555/0147",
    "312.555.0147",
    "3 one 2 5 five 5 0 one 4 seven",
    "312 555 0147",
    "my number: three-one-two-five-five-five-zero-one-four-seven",
    "call +31 20 123 4567 if you're in amsterdam",
    "0800 555 0147 is my business line",
    "my boyfriend's number is 07700 900 111 if I don't answer",
    "hmu at 07700900111",
    "ring 01632 960 001",
    "tel: +44 1632 960001",
];

const CLEAN_AT_DOT_WORDS: &[&str] = &[
    "at the store dot dot dot staring at the wine aisle",
    "at dinner with my parents",
    "at long last, a good day",
    "I'm at the clinic waiting",
    "look at me, 90 days",
    "at work at 9 at night",
    "dot dot dot",
    "connect the dots",
    "staring at the ceiling at 3am",
    "at least I tried",
    "I'm at peace with it",
    "working at amazon now",
    "I work at google",
    "at home at last",
    "mad at myself",
    "at the AA meeting",
    "at my sister's house",
    "at the hospital again",
    "good at email, bad at phones",
    "I was at church at 10",
    "she's at gmail's office lol",
    "at rock bottom",
    "at the gym dot com level of motivation",
    "at 5am I was up",
    "me @ my sister's wedding: sober and happy",
    "see you @ 6",
    "@ the meeting tonight",
    "dinner @ 7 with family",
    "me @ 3am: craving",
    "coffee @ starbucks",
    "@ work rn",
    "drinks @ the bar, but I had soda",
];

const CLEAN_COUNTS: &[&str] = &[
    "day 12 and feeling okay",
    "I'm on day 365 today!!",
    "90 days clean tomorrow",
    "18 months sober",
    "3 years, 2 months, 11 days",
    "1,000 days today, never thought I'd see it",
    "my app says 1247 days",
    "I reset my counter to 0 again",
    "day 1. again. 3rd time this year",
    "been clean since 2019, 1,461 days",
    "4 years 7 months",
    "400 days, 9600 hours, 576000 minutes",
    "sober 30 60 90 and now 120",
    "I got my 30 day chip",
    "week 3 of no gambling",
    "12 days off weed, 6 off nicotine",
    "I'm at 2 years 9 months 14 days",
    "I'm 52, never thought I'd be here",
    "my daughter is 8 and my son is 15",
    "he was 30 when he died",
    "started drinking at 14",
    "I'm 27 and already 3 years sober",
    "my kids are 2, 6 and 10",
    "turning 40 next week",
    "mom is 71, dad 74",
    "hit 12000 steps today",
    "over 2000 hours sober",
    "10000 steps every day",
    "1000000 views on that video lol",
    "100000 words in my journal",
    "2500 calories",
    "burned 3500 kcal",
    "I walked 25000 steps",
    "a 1000 piece puzzle",
    "my score is 1250000 points",
    "PHQ-9 of 8 this week",
    "GAD-7 went from 15 to 9",
    "kids' soccer game ended 4-2",
    "rated my mood 3/10",
    "anxiety 7 out of 10",
    "the match finished 2-1, then 3-3",
    "AUDIT score 23",
    "mood 6/10, sleep 4/10, craving 2/10",
    "lost 15 kg",
    "5 ft 10",
    "ran 5k this morning",
    "I weigh 182 lbs now, down from 230",
    "drank 2 liters of water",
    "blood pressure 120/80",
    "bp 135/85 and pulse 72",
    "temp 38.5",
    "glucose 5.6",
    "6'2 and 190",
    "I slept 4 5 6 and then 8 hours",
    "1, 2, 3, breathe",
    "scores: 12, 15, 18, 21",
    "3 4 5 6 7 8 9 10 counting helps",
    "one two three four five six seven eight nine ten",
    "10 9 8 7 6 5 4 3 2 1",
    "5 4 3 2 1 grounding: 5 things you see",
    "I had 4 beers, 3 shots, 2 glasses of wine",
    "weeks 1 2 3 4 5 6 7 8",
];

const CLEAN_DATES: &[&str] = &[
    "15.08.2023 was day one",
    "my last drink was 2/14/2022",
    "2024-03-05 is my sobriety date",
    "since 01/01/2020",
    "on 3-17-2021 I quit",
    "born 12.04.1987",
    "court date 10/3",
    "appointment on 11/22/2024 at 2pm",
    "from 2019-2023 I was a mess",
    "june 5th 2021",
    "between 2015 and 2018",
    "it was 31/12/2019",
    "1999-2004 were the worst years",
    "the 2020-2021 lockdown",
    "07.07.07 lol",
    "my kid was born 03/09/2016",
    "DOB 05-06-1990 on the form",
    "due 2025-01-15",
    "see you 12/12",
    "from 1/1/23 to 3/1/23",
    "2017 was rock bottom",
    "since 2004 on and off",
    "in 2019 I had 3 relapses",
    "2021 2022 2023 all blurry",
    "class of 2008",
    "back in 1998 it started",
    "2010 2011 2012 2013 I don't remember much",
];

const CLEAN_DOSES: &[&str] = &[
    "50mg twice a day",
    "I take 100 mg of sertraline",
    "lithium 900mg at night",
    "20mg prozac, 10mg at first",
    "down to 2.5mg",
    "suboxone 8mg/2mg strips",
    "vyvanse 30 mg",
    "300mg wellbutrin xl",
    "0.5 mg clonazepam as needed",
    "methadone 85mg daily",
    "gabapentin 300 mg three times a day",
    "1 pill every 8 hours",
    "taking 5000 IU vitamin D",
    "naltrexone 50 mg, 1 a day",
];

const CLEAN_EMAIL_LIKE: &[&str] = &[
    ":) sleep well all",
    ":-( bad day",
    "<3",
    ":'( miss him",
    "xD",
    "(ノಠ益ಠ)ノ",
    "^_^",
    "o_O what",
    ":P",
    "<33 love you all",
    ":D :D :D",
    "¯\\_(ツ)_/¯",
    "I sent the journal.pdf to my therapist",
    "updated the app to 3.2.0",
    "e.g. walking, reading, calling a friend",
    "i.e. the hard part",
    "my notes.txt file",
    "screenshot_2023.png",
    "the worksheet was called step4_inventory.docx",
    "a.m. meetings are easier",
    "at 7 p.m. sharp",
    "U.S. vs U.K. numbers",
    "Dr. Patel said ok",
    "vs. last year",
    "etc. etc.",
    "version 2.0.1 fixed it",
    "mp3 of the meditation",
    "the 12.5.2 update",
];

const CLEAN_HELP_LINES: &[&str] = &[
    "911 if anyone is in immediate danger",
    "please, if you feel unsafe, call or text 988",
    "Lifeline 13 11 14 is always open",
    "Samaritans 116 123 helped me once",
    "NAMI HelpLine 1-800-950-6264, weekdays",
    "text HOME to 741741",
    "call 999 or 112",
    "the old number was 1-800-273-8255",
    "SAMHSA 1-800-662-4357 is free and confidential",
    "Lifeline also does text now, 0477 13 11 14",
    "Trevor project 1-866-488-7386",
    "in the UK you can text SHOUT to 85258",
    "trans lifeline 877-565-8860",
    "domestic violence hotline 1-800-799-7233",
    "988 or 1-800-273-TALK",
    "CALM 0800 58 58 58",
    "kids helpline 1800 55 1800",
    "call 988 then press 1 for veterans",
    "talk suicide canada 1-833-456-4566",
    "988, 911, 112, 999: save them in your phone",
    "US 988 / UK 116 123 / AU 13 11 14",
    "gambling helpline 1-800-522-4700",
    "Beyond Blue 1300 22 4636",
    "poison control 1-800-222-1222 saved my kid",
];

const CLEAN_IDENTIFIERS: &[&str] = &[
    "my insurance member ID is W123456789",
    "order number 304-1198273-5561102 is lost",
    "tracking 1Z999AA10123456784",
    "case #12345678",
    "account 12345678 is overdrawn",
    "my NHS number is 943 476 5919",
    "ticket no. 55512345",
    "policy 8812345678",
    "ref 20231005-0012",
    "confirmation code 4471-2231-9981",
    "invoice 2023-004512",
    "patient id 00012345",
    "version 3.2.1.1024",
    "isbn 978-0-06-112008-4",
    "serial SN-88213349",
];

const CLEAN_LINKS: &[&str] = &[
    "smartrecovery.org has free online meetings",
    "findahelpline.com lists lines by country",
    "988lifeline.org/chat works too",
    "check aa.org for meetings",
    "https://www.samaritans.org/how-we-can-help/",
    "nami.org has a family course",
    "https://www.samhsa.gov/find-help/national-helpline",
    "www.na.org/meetingsearch",
    "nhs.uk/mental-health is good",
    "I read it on wikipedia.org",
    "psychologytoday.com has a therapist finder",
    "mind.org.uk/information-support",
    "https://www.youtube.com/watch?v=abc123 a guided meditation",
    "headspace.com has sleep casts",
    "nytimes.com/2023/health/sober-curious.html",
    "https://www.youtube.com/watch?v=xyz",
    "youtu.be/abc123",
    "https://en.wikipedia.org/wiki/Twelve-step_program",
    "nytimes.com",
    "bbc.co.uk/news/health-123",
    "https://open.spotify.com/playlist/37i9dQZF1DX",
    "spotify.com",
    "headspace.com",
    "calm.com",
    "instagram.com",
    "facebook.com",
    "tiktok.com",
    "discord.com",
    "x.com",
    "www.reddit.com/r/stopdrinking/comments/abc/day_100/",
    "https://www.instagram.com/explore/tags/sobriety/",
    "https://twitter.com/search?q=sober",
    "https://www.facebook.com/help",
    "https://t.me",
    "https://discord.com/safety",
    "samaritans.org",
    "https://988lifeline.org",
    "https://www.thetrevorproject.org/get-help/",
    "aa.org/find-aa",
    "https://www.smartrecovery.org/community/",
    "meetings at na.org",
];

const CLEAN_MENTIONS: &[&str] = &[
    "@Juniper thank you for that",
    "@everyone see you thursday",
    "@Otter_5 congrats!!",
    "@Birch you're doing great",
    "@River @Sage welcome!",
    "@Moon_Child same here",
    "thanks @Pine",
    "@Quiet.Fern you got this",
    "@all group at 7",
    "@Maple22 happy birthday",
    "@here reminder: no meeting monday",
    "@J.R. welcome back",
];

const CLEAN_MONEY: &[&str] = &[
    "the ticket was $90",
    "I spent $300 a week on booze",
    "owe my mom 2k",
    "saved £1,200 since january",
    "$1,234,567 in debt lol",
    "lost €4,500 at the casino",
    "that's like 15000 dollars",
    "I make 45k a year",
    "$45,000 gone",
    "rent is 1,850 a month",
    "spent 250000 rupees",
    "£20 a day habit, so £7,300 a year",
    "$12.99 a month for the app",
    "paid 1200 and 3500 in fines",
];

const CLEAN_NUMBERS: &[&str] = &[
    "I've been sober since 10/12/2019, that's 1,500+ days",
    "my meds: 150mg effexor, 2mg abilify, 1mg klonopin",
    "my sobriety date is 4.5.2021",
    "05/06/07 lol",
    "call 211 for local resources",
    "I'm 5'4 and 130",
    "2 + 2 = 4",
    "From 2008 to 2015 I drank daily, 2016 to 2019 on and off",
    "2008 - 2015",
    "Step 1, 2, 3... 12",
    "Weeks: 1, 2, 3, 4, 5, 6, 7, 8",
    "I walked 10,000 steps, 8,000 yesterday",
    "1.5 liters, 2.5 liters",
    "Zip code 90210",
    "My therapist is at 555 Main Street",
    "apartment 4B, 1200 Pine St",
    "flight BA 2490 at 14:35",
    "the year 2000",
    "I'm 32 years old 5 years sober 2 kids 1 dog",
    "38 39 40 41 42 43 44",
    "pi is 3.14159265",
    "40.7128, -74.0060",
    "Room 1205 building 3 floor 12",
    "meds at 0800 and 2000",
    "2 4 6 8 10 12 14 16",
    "oh oh oh oh oh oh oh no",
    "one, two, three, four, five, six, seven, eight",
    "twenty-four seven",
    "I was born in 1985. 2 kids. 3 dogs.",
    "1985 1990 1995 2000 2005",
    "took 3 x 50mg",
    "blood test: 4.5, 130, 98, 1.2",
    "bac was 0.24 when I got my DUI",
    "I've called 988 like 5 times this year",
    "PHQ9 23 -> 14 -> 9",
    "my ACE score is 7",
    "2019: 365 drinking days. 2023: 0.",
    "the 12 steps and 12 traditions",
    "I have 3 sponsees now, 1 of them 90 days",
    "it's 2:47am and I can't sleep",
    "episode 1x07 of the show",
    "season 4 episode 12",
    "4/20 was always my excuse",
    "1 in 5 adults",
    "90 in 90 meetings",
    "24/7 support",
    "9 days, 9 hours, 9 minutes",
    "I lost 100 lbs in 2 years",
    "section 8 housing",
    "code 3 ambulance",
    "the 5 4 3 2 1 technique",
    "my credit score 580 to 720 in 18 months",
    "weigh-in 212.4, goal 180",
    "1 800 number on the back of my insurance card",
    "ssn ends in 1234 don't ask",
    "from 12/2021 to 03/2022 inpatient",
    "2021-22 was rough, 2022-23 better",
    "I'm 35. 42 days sober today.",
    "I paid 1,200 euros for rehab",
    "rehab was $30,000",
    "600 days, 14400 hours",
    "I've made 1,000,000 mistakes",
    "it's been 3 years 4 months 12 days 6 hours",
    "16 oz, 32 oz, 64 oz",
    "call me in 5 minutes lol kidding",
    "dial 0 for operator",
    "press 1 then 2 then 3",
    "open 9-5 mon-fri",
    "tel aviv trip in may",
    "mile 13.1 of the half marathon",
    "zone 2 cardio 3x a week",
];

const CLEAN_PLACES: &[&str] = &[
    "working step 2 this month",
    "step 12 is about helping others",
    "meeting moved to room 118",
    "room 4B, second floor",
    "building 7, suite 210",
    "the 14 bus takes forever",
    "bus 42 then train 7",
    "gate 23",
    "step 4 inventory took me 3 months",
    "steps 1 2 and 3 are the foundation",
    "chapter 5 page 58",
    "big book page 417",
    "ward 6 bed 12",
];

const CLEAN_PLAIN_TALK: &[&str] = &[
    "is sharing socials against the rules? just asking",
    "I know we can't swap numbers here, that's fine",
    "why can't we share emails?",
    "no phone numbers, I get it",
    "can we exchange instagrams after the group ends?",
    "the rules say no contact outside, fair",
    "should we make a group chat? probably not allowed",
    "no DMs, no numbers, no socials",
    "would be nice to have a whatsapp group but rules are rules",
    "can I add you on snap? jk I know",
    "just listening tonight",
    "I'm struggling today",
    "thank you all for being here",
    "I relapsed. I'm sorry.",
    "does anyone else feel numb?",
    "My therapist said to add more structure",
    "follow the program, it works",
    "find me a sponsor who gets it",
    "I want to reach out but I'm scared",
    "add me to the prayer list please",
    "follow me into the kitchen, the craving followed me",
    "message me if... oh wait, we can't. never mind",
    "my handle on life is slipping",
    "username and password problems all day",
    "my profile picture at work is from 2010",
    "my account of what happened",
    "at least I called my mom",
    "dm me... kidding",
    "hit me up when you're in town — i mean, in here",
    "find me on the couch all weekend",
    "look me up in ten years, I'll be sober",
    "I'm on snap chat... no I'm not, I deleted it",
    "I sent him a message on facebook asking to talk",
    "text me your thoughts... I mean post them here",
    "my name is Sarah and I'm an alcoholic",
    "hi I'm Tom, addict, 30 days",
    "my name's Jo",
    "I go by River here",
    "call me Sam",
    "my snap at my mom was bad",
    "I signal my boundaries better now",
    "I'm on my phone too much",
    "I texted my sponsor at 2am",
    "my email inbox is overwhelming",
    "I check email at 9 and 5",
    "I emailed my boss at work",
    "sent an email to HR about leave",
    "gmail keeps crashing",
    "my gmail is full of spam",
    "my outlook is better today",
    "outlook: cautiously optimistic",
    "my instagram is full of old party pics",
    "my discord is muted",
    "the group chat on whatsapp is toxic",
    "my friend on snap keeps sending pics of drinks",
    "someone on insta messaged me",
    "I saw an ad on facebook for an online casino",
    "my reddit account is 10 years old",
    "twitter: no. tiktok: no. instagram: trying.",
    "is discord safe for teens?",
    "does anyone use signal?",
    "I blocked him on snap",
    "I unfollowed all the party accounts on ig",
    "facebook memories are brutal",
    "insta is toxic for me",
    "add me to your prayers",
    "follow me into recovery lol",
    "find me at the back of the room",
    "hit me up at the meeting",
    "look me up next week at group",
    "staring at the ceiling dot com",
    "at gmail they have good spam filters",
    "I got this email at work",
    "I'm at starbucks.com... I mean at starbucks",
    "cheaper at walmart.com",
    "I work at amazon.com",
    "she works at apple.com",
    "I'm at peace.",
    "me at 3am: why",
    "at 14 I had my first drink",
    "at sign in I froze",
    "the at symbol on my keyboard is broken",
    "I used to be dot com rich lol",
    "tiktok dot com is blocked on my router",
    "go to aa dot org for meetings",
    "smartrecovery dot org",
    "I read your post at reddit.com/r/stopdrinking",
    "I'm a fan of @ddlovato's honesty",
    "@Sam_2 @River_9 thanks both",
    "@Quiet_Fern22 you're amazing",
    "@river.w you said it",
    "@Sage.M how was your week?",
    "user error lol",
    "username taken everywhere",
    "#sobriety #onedayatatime",
    "#1 rule: don't drink",
    "we're #2 in line",
    "I'm a 10/10 mess today",
    "5/5 would recommend",
    "the snap of a rubber band helps",
    "x-rays tomorrow",
    "Gen X problems",
    "my X texted me",
    "ig I'll try again tomorrow",
    "ig that's progress",
    "fb friends are not real friends",
    "yt videos about recovery help",
    "the line was long at the pharmacy",
    "zoom meetings are fine",
    "my zoom keeps freezing",
    "steam is my escape but I play too much",
    "roblox with my kid",
    "xbox at 3am again",
    "threads of hope",
    "no signal out here",
    "signal: strong. wifi: weak.",
    "kik was a mistake in 2014",
    "e-mail me? no, we can't",
    "email: the bane of my life",
    "mail came today",
    "e.g. call a friend, i.e. reach out",
    "the a.m. is hardest",
    "p.s. thank you",
    "w/ my sponsor",
    "w/o coffee",
    "b/c I was scared",
    "and/or",
    "24/7/365",
    "s/o to everyone here",
    "u/ nothing",
    "r/stopdrinking and r/leaves helped",
    "r/alcoholism_medication",
];

const CLEAN_PLATFORM_SUBSTRINGS: &[&str] = &[
    "I fell asleep at 9",
    "asleep by ten finally",
    "a signal that I need rest",
    "I snap at my kids when I'm hungover",
    "I snapped at my partner",
    "oh snap, forgot my meds",
    "x marks the spot",
    "plan x, y or z",
    "the x-ray was fine",
    "it's a sign, a signal, something",
    "signal from my body to slow down",
    "a snapshot of my week",
    "I'm in a boxing class",
    "instant coffee",
    "instantly regretted it",
    "the thread about grief",
    "thread the needle",
    "my ex is on my mind",
    "on the line with my sponsor",
    "discordant feelings",
    "whatsoever",
    "facebookless life",
    "I'm tiktoking less",
    "fbi show marathon",
    "igloo",
    "ignore the cravings",
    "scary",
    "scenic walk",
    "tgif",
    "wait, what",
    "dcf visit tomorrow",
    "ytd I've saved a lot",
    "ttyl",
    "telephone game",
    "bluesky thinking",
];

const CLEAN_PLATFORM_TALK: &[&str] = &[
    "I deleted snapchat",
    "instagram makes me compare myself to everyone",
    "quit facebook, best decision",
    "my old whatsapp groups were all drinking buddies",
    "tiktok makes me anxious",
    "I deleted instagram and feel better",
    "twitter is a dumpster fire",
    "reddit has some good recovery subs",
    "r/stopdrinking helped me a lot",
    "my insta is private now",
    "my snap is dead lol",
    "discord servers kept me up at night",
    "telegram groups were where I bought",
    "I left all the whatsapp groups",
    "facebook reminded me of my drinking pics",
    "youtube at 3am is my weakness",
    "the algorithm on tiktok knows me too well",
    "signal is what my therapist uses",
    "is instagram really that bad?",
    "snapchat streaks were an addiction too",
    "I quit insta for lent",
    "my ig is mostly dogs",
    "muted everyone on twitter",
    "deactivated fb yesterday",
    "the whatsapp family chat is stressful",
    "threads is just twitter again",
    "bluesky seems calmer",
    "kik was a bad place for me",
    "i saw it on insta",
    "my feed on ig is all ads now",
    "x is worse than twitter was",
    "tiktok: 4 hours a day. insane.",
    "my snapchat: gone. deleted. done.",
    "facebook: never again",
    "instagram.com is blocked on my phone now",
    "reddit.com/r/stopdrinking is great",
    "I went on youtube.com/watch?v=dQw4w9WgXcQ lol",
];

const CLEAN_RANGES: &[&str] = &[
    "48-72 hours are the worst",
    "5-10 minutes of journaling",
    "sleep 7-9 hours they say",
    "2-3 meetings a week",
    "withdrawal lasts 3-5 days",
    "100-200 mg range",
    "between 1000-1500 calories",
    "10-15 minute walk",
    "1500-2000 steps more",
    "it takes 6-8 weeks to work",
    "ages 18-25",
    "pages 120-145 of the big book",
];

const CLEAN_SPELLED_NUMBERS: &[&str] = &[
    "breathe in for four, out for six",
    "one hundred days today",
    "two years and three months",
    "one day at a time",
    "four seven eight breathing",
    "five four three two one grounding",
    "I have two kids and one dog",
    "twenty one days",
    "nineteen ninety nine was when it started",
    "seven eight nine, the count down",
    "one or two drinks turned into ten",
    "double shift again",
    "triple dose of coffee",
    "oh well",
    "oh no, oh no, oh no",
    "zero days since my last panic attack",
    "twenty twenty three was hard",
    "it was one, maybe two in the morning",
    "fifty fifty chance",
    "a hundred and one reasons",
    // Words that hold digit words but are not glued digits.
    "someone said none of us are alone, and oneself is enough, often",
    "fivefold, twofold, ninefold: the seventies, eighties, nineties",
    "oneone? no, just one, two, three breaths",
    "from 2019 then 2020 then 2021 I was using",
    "I did ten then nine then eight reps",
];

const CLEAN_TIMES: &[&str] = &[
    "meds at 8",
    "and again at 20:00",
    "meeting's at 7:30pm",
    "see you at 19:30",
    "from 11-2 I'm at work",
    "woke at 3:45 again",
    "10:00-11:30 every tuesday",
    "9 to 5 job is killing me",
    "call my sponsor at 6",
    "8:00 am group then 12:30 lunch",
    "slept from 11pm to 4am",
    "20:00 - 21:30 UTC",
    "at 10:15, 12:15 and 18:15",
    "by 9.30 I was already craving",
];

const CLEAN_VARIED: &[&str] = &[
    "I'm 34 and have been drinking since I was 15",
    "sober since 03/14/2019, 1,800 days",
    "took 2 x 500mg of metformin",
    "I make $52,000 a year and blew $9,000 on scratch cards",
    "1 in 10 people struggle with this",
    "my counselor's office is room 2.14",
    "bus 73 then 207 to get to the clinic",
    "PIN changed lol, no I won't share it",
    "area code 312 is chicago",
    "my zip is 60614",
    "did 3 sets of 10 reps",
    "meeting id is in the group rules? no, we use this app",
    "I've been to 150 meetings in 90 days",
    "I'm 6'1 and 210 lbs",
    "the 2008 crash wrecked us",
    "from 1990 to 2010 I drank every day",
    "I'm on 1.5 mg now, down from 3 mg",
    "temp was 101.3 last night",
    "the clinic is open 8-5 M-F",
    "my kids are 3, 7, 12 and 15",
    "day 1,095",
    "that's 26,280 hours sober",
    "I sleep 10pm-6am now",
    "4:30am wakeups are brutal",
    "2:00, 3:00, 4:00 - every hour I woke up",
    "one more day",
    "one two three, breathe",
    "I counted to ten twice",
    "a thousand thanks",
    "a million times better",
    "twenty years of drinking",
    "nineteen years old when it started",
    "I was one of them",
    "number one rule: don't pick up",
    "I'm on insta way too much",
    "i basically live on tiktok lol",
    "discord was my whole life in lockdown",
    "my ig feed is a mess",
    "I'm addicted to snapchat streaks",
    "I unfollowed my old drinking buddies on insta",
    "is signal really private?",
    "threads vs twitter, who cares",
    "reddit is where I found this group actually",
    "my kid is on roblox all day",
    "my husband plays xbox till 3am",
    "the telegram from my aunt lol",
    "whatsapp family group is a minefield",
    "x is just chaos now",
    "i check ig first thing every morning",
    "@Maple thanks, same",
    "@Ash_77 proud of you",
    "@Wren.K you nailed it",
    "@Sky glad you're here",
    "I'm at the hospital with my dad",
    "at 3 years now",
    "at least 2 meetings a week",
    "look at us go",
    "stare at the wall",
    "I was at a party, dot dot dot, you can guess",
    "at last",
    "at sign of trouble I call my sponsor",
    "going at it one day at a time",
    "mad at the world",
    "at my lowest I weighed 110",
    "check out smartrecovery.org",
    "na.org has a meeting finder",
    "aa.org/find-aa",
    "https://988lifeline.org/",
    "samaritans.org/how-we-can-help",
    "psychologytoday.com therapist search helped",
    "open.spotify.com/episode/abc is a good one",
    "my therapist said call 988 if I need to",
    "text 741741 when it's bad",
    "Lifeline: 13 11 14",
    "111 if it's not an emergency in the UK",
    "the sign said 555 main st",
    "I'm sending good vibes your way",
    "e-mail is hard for me lately",
    "my inbox has 4,512 unread",
    "my phone died at 2% lol",
    "iOS 17.2.1 broke my alarm",
    "version 2.0 of me",
    "P.S. I love you all",
    "ok.",
    "k",
    "lol ok",
    "... yeah",
    "!!!",
    "????",
    "ugh.",
    "me too",
    "same",
    "💛",
    "🙏🙏🙏",
    "❤\u{FE0F}\u{200D}🩹",
    "I emailed support about my account",
    "jo@samaritans.org is the samaritans email",
    "Dot and I went to the park",
    "me and dot at the beach",
    "at 2 weeks now",
    "email me at... no wait, not allowed",
    "did anyone watch the show on netflix at 9?",
    "she is at home.",
    "work at 9. gym at 6.",
    "at 8. at 9. at 10.",
    "1 2 3 4 5 6 7 8 9",
    "0 to 100 real quick",
    "from 0 to 60",
    "11 11 11 make a wish",
    "12 12 12 12 12 12",
    "2023 2024 2025",
    "Jan 2019 - Mar 2021",
    "the 1990s and 2000s",
    "99 problems",
    "top 10 list",
    "I'm hazel, nice to meet you all",
    "my name is Hazel, I'm an addict",
    "I'm new on instagram detox",
    "I'm addicted on insta",
    "I'm stuck on tiktok",
    "as usual on twitter",
    "I'm active on reddit",
    "I'm hardly on fb anymore",
    "I'm so done on snapchat",
    "i'm obsessed w instagram",
    "im sober on discord too lol",
    "snap decisions",
    "snap out of it",
    "a snap judgement",
    "x amount of days",
    "at x o'clock",
    "the x factor",
    "signal boost this please",
    "we got the signal to go",
    "no phone signal here",
    "i'm on the gram too much",
    "insta-famous people make me feel bad",
    "instagram-worthy lol",
    "my instagram-addicted teen",
    "the discord channel rules say no DMs",
    "in the whatsapp-group era",
    "tiktok-brain is real",
    "#tbt to day 1",
    "#1 priority",
    "it's 50/50",
    "score was 24-17",
    "1/2 a bottle a night",
    "3/4 of the way there",
    "page 86-88 of the big book",
    "aa big book p. 417",
    "bp 120/80 hr 72 o2 98",
    "o2 sat 95",
    "B12 and D3 every morning",
    "vitamin b6 50mg",
    "covid19 made it worse",
    "I use the app 2x daily",
];

const SPLIT_CONTACT: &[&[&str]] = &[
    &["call me", "415", "555", "0122"],
    &["my number", "is 415 555", "0122"],
    &["text me at 415", "555 0122"],
    &["4", "1", "5", "5", "5", "5", "0", "1", "2", "2"],
    &["four one five", "five five five", "oh one two two"],
    &["if you want to talk", "my cell is", "312-555", "-0147"],
    &["+44", "7700 900", "123"],
    &["07700", "900", "123"],
    &["whatsapp me", "07700 900", "123"],
    &[
        "ok here goes",
        "three one two",
        "five five five",
        "zero one four seven",
        "don't tell the mods lol",
    ],
    &["my #", "415", "555", "O122"],
    &["315", "555", "0123", "call me"],
    &["call me", "4 1 5", "5 5 5", "0 1 2 2"],
    &["number is 312 five five five", "oh one four seven"],
    &["my number: 020", "7946 0123"],
    &["hey", "so my number is 646", "five five five 0199"],
    &["my email", "is marigold.vance", "at gmail"],
    &["email me", "rosie.f", "at gmail dot com"],
    &["rosie dot f", "at", "gmail dot com"],
    &["my email is rosie.f", "@gmail.com"],
    &["email: rosie.f@", "gmail.com"],
    &["its rosie underscore f", "at yahoo"],
    &["my gmail", "is rosie.f.22"],
    &["add me", "on insta", "it's", "quietfern_22"],
    &["my snap is", "poppy_seed_9"],
    &["insta:", "@rosie.f"],
    &["find me on discord", "dusty_lantern"],
    &["kik", "kik: mistletoad"],
    &["follow me", "@rosie.f on tiktok"],
    &["snap", "rosie_f22"],
    &["instagram.com/", "rosie.f"],
    &["t.me", "/rosie_f"],
    &["add me", "wa.me/447700900123"],
];

const SPLIT_CLEAN: &[&[&str]] = &[
    &["I'm on day 12", "12 more to go", "then 30 days"],
    &["meds at 8", "and again at 20:00", "with 50mg"],
    &["in 2019 I had 3 relapses", "in 2021 just 1", "2023 none"],
    &["if it gets bad", "call 988", "seriously, it helped me"],
    &["my kids are 6 and 9", "my husband is 41", "and I'm 38"],
    &["sober 365", "1000 days next month"],
    &["how many days?", "45", "and you?", "100"],
    &["12", "15", "18", "21", "counting the weeks"],
    &["2019", "2020", "2021", "the lost years"],
    &["call 988", "or text 741741", "or 911 if it's urgent"],
    &["988", "741741"],
    &["Samaritans 116", "123 in the UK"],
    &["Lifeline 13 11 14", "or text 0477 13 11 14"],
    &["my weight went down to 182", "2000 calories a day now"],
    &["I'm 35", "42 days sober", "proud"],
    &[
        "at the store",
        "staring at the wine",
        "dot dot dot",
        "walked out",
    ],
    &[
        "I deleted insta",
        "it was toxic",
        "honestly",
        "best decision",
    ],
    &["my snap", "is dead", "lol", "don't use it anymore"],
    &["email", "is overwhelming", "at work", "gmail is full"],
    &["I spent $300 a week", "$1,200 a month", "on booze"],
    &["step 4", "step 5", "step 6 next month"],
    &["room 118", "at 7:30", "see you there"],
    &["PHQ-9 of 14", "then 9", "now 6"],
    &[
        "one", "two", "three", "four", "five", "six", "seven", "breathe",
    ],
    &["5", "4", "3", "2", "1", "grounding works"],
    &[
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "counting helps me",
    ],
    &[
        "my daughter turns 8 on 12/15",
        "my son 15 on 3/2",
        "they grow fast",
    ],
    &[
        "it was 2:30",
        "then 3:15",
        "then 4:45 and I gave up on sleep",
    ],
    &["the 14 bus", "then the 22", "then walk 10 min"],
    &["@River", "thank you", "@Sage you too"],
    &[
        "I used to be on tiktok",
        "like 5 hours a day",
        "now 20 minutes",
    ],
    &["50mg sertraline", "100mg at night", "200 total"],
    &["started at 14", "stopped at 41", "sober 3 years"],
    &["my phone is", "always on silent", "now"],
    &["call me", "crazy", "but I miss drinking"],
    &["text me... jk", "we can't", "rules"],
    &["90 days", "180 days", "365 days", "the milestones"],
    &["I owe 2500", "plus 1200 to my brother", "ugh"],
];

#[test]
fn email_implicit_is_caught() {
    assert_caught(ContactKind::Email, EMAIL_IMPLICIT);
}

#[test]
fn email_obfuscated_is_caught() {
    assert_caught(ContactKind::Email, EMAIL_OBFUSCATED);
}

#[test]
fn email_plain_is_caught() {
    assert_caught(ContactKind::Email, EMAIL_PLAIN);
}

#[test]
fn email_unicode_is_caught() {
    assert_caught(ContactKind::Email, EMAIL_UNICODE);
}

#[test]
fn email_varied_is_caught() {
    assert_caught(ContactKind::Email, EMAIL_VARIED);
}

#[test]
fn handle_obfuscated_is_caught() {
    assert_caught(ContactKind::Handle, HANDLE_OBFUSCATED);
}

#[test]
fn handle_plain_is_caught() {
    assert_caught(ContactKind::Handle, HANDLE_PLAIN);
}

#[test]
fn handle_varied_is_caught() {
    assert_caught(ContactKind::Handle, HANDLE_VARIED);
}

#[test]
fn link_obfuscated_is_caught() {
    assert_caught(ContactKind::Link, LINK_OBFUSCATED);
}

#[test]
fn link_plain_is_caught() {
    assert_caught(ContactKind::Link, LINK_PLAIN);
}

#[test]
fn link_varied_is_caught() {
    assert_caught(ContactKind::Link, LINK_VARIED);
}

#[test]
fn phone_international_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_INTERNATIONAL);
}

#[test]
fn phone_lookalike_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_LOOKALIKE);
}

#[test]
fn phone_plain_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_PLAIN);
}

#[test]
fn phone_spacing_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_SPACING);
}

#[test]
fn phone_spelled_digits_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_SPELLED_DIGITS);
}

#[test]
fn phone_unicode_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_UNICODE);
}

#[test]
fn phone_varied_is_caught() {
    assert_caught(ContactKind::Phone, PHONE_VARIED);
}

#[test]
fn at_dot_words_pass() {
    assert_clean(CLEAN_AT_DOT_WORDS);
}

#[test]
fn counts_pass() {
    assert_clean(CLEAN_COUNTS);
}

#[test]
fn dates_pass() {
    assert_clean(CLEAN_DATES);
}

#[test]
fn doses_pass() {
    assert_clean(CLEAN_DOSES);
}

#[test]
fn email_like_pass() {
    assert_clean(CLEAN_EMAIL_LIKE);
}

#[test]
fn help_lines_pass() {
    assert_clean(CLEAN_HELP_LINES);
}

#[test]
fn identifiers_pass() {
    assert_clean(CLEAN_IDENTIFIERS);
}

#[test]
fn links_pass() {
    assert_clean(CLEAN_LINKS);
}

#[test]
fn mentions_pass() {
    assert_clean(CLEAN_MENTIONS);
}

#[test]
fn money_pass() {
    assert_clean(CLEAN_MONEY);
}

#[test]
fn numbers_pass() {
    assert_clean(CLEAN_NUMBERS);
}

#[test]
fn places_pass() {
    assert_clean(CLEAN_PLACES);
}

#[test]
fn plain_talk_pass() {
    assert_clean(CLEAN_PLAIN_TALK);
}

#[test]
fn platform_substrings_pass() {
    assert_clean(CLEAN_PLATFORM_SUBSTRINGS);
}

#[test]
fn platform_talk_pass() {
    assert_clean(CLEAN_PLATFORM_TALK);
}

#[test]
fn ranges_pass() {
    assert_clean(CLEAN_RANGES);
}

#[test]
fn spelled_numbers_pass() {
    assert_clean(CLEAN_SPELLED_NUMBERS);
}

#[test]
fn times_pass() {
    assert_clean(CLEAN_TIMES);
}

#[test]
fn varied_pass() {
    assert_clean(CLEAN_VARIED);
}

#[test]
fn details_split_over_messages_are_caught() {
    let filter = filter();
    let misses: Vec<&&[&str]> = SPLIT_CONTACT
        .iter()
        .filter(|c| !conversation_blocked(&filter, c))
        .collect();
    assert!(misses.is_empty(), "missed: {misses:#?}");
}

#[test]
fn ordinary_conversations_pass_with_the_window() {
    let filter = filter();
    let alarms: Vec<&&[&str]> = SPLIT_CLEAN
        .iter()
        .filter(|c| conversation_blocked(&filter, c))
        .collect();
    assert!(alarms.is_empty(), "false alarms: {alarms:#?}");
}
