//! Criterion benchmark of the two checks every chat message passes: the contact filter and the
//! crisis-language detector, on mixed chat text.
//!
//! `cargo bench --bench filter`: throughput over a corpus that mixes ordinary support-group talk
//! (most of it), numbers that are not phones, talk about platforms, and some contact details, plain
//! and disguised; and the latency of one typical 200-character message.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hearth::domain::Millis;
use hearth::filter::{Context, Filter, FilterConfig, RecentMessages};

/// Lines of chat, roughly in the proportions of a real group: mostly talk (two thirds), some
/// numbers (a fifth), a few attempts at contact (one in eight, spread out as they would be).
const CHAT: &[&str] = &[
    "does anyone else feel numb after the first few weeks? like nothing is good or bad",
    "I called my sister today for the first time in months. we cried a lot. it was good",
    "my therapist says I need to stop apologizing for existing. working on it",
    "the cravings hit hardest around dinner time, so I go for a walk instead",
    "just listening tonight, thanks for having me",
    "I'm so tired of being tired. but I didn't drink, so that's something",
    "if u want to talk more my email is holly.brennan71@gmail.com",
    "honestly this group is the only place I can say this stuff out loud",
    "my mom keeps asking when I'll be 'normal' again and I don't know what to say",
    "went to my first meeting in person, sat in the back, didn't share, but I went",
    "I relapsed on saturday. I'm sorry. I'm back at day one and I feel awful",
    "you're not starting from zero, you're starting from experience. someone told me that here",
    "sleep is still a mess but it's better than it was a month ago",
    "call 919 five five five 01 six one",
    "my kids noticed I'm calmer. my daughter said I laugh more now",
    "work is stressful and the guys go to the pub every friday. I said no again",
    "I keep thinking about texting my old dealer. I won't. writing it here instead",
    "grateful for this group. grateful for coffee. grateful for my dog",
    "I don't really know how to ask for help, I've never been good at it",
    "journaling helps, even if it's just three lines before bed",
    "add me on insta @paper.moon.pilot",
    "anyone have tips for weddings? my cousin's is next month and there's an open bar",
    "I'm proud of you all. seriously. it's hard and you keep showing up",
    "my sponsor told me to make a gratitude list and I rolled my eyes but it works",
    "the hardest part is the boredom, evenings feel endless without a drink",
    "I deleted the gambling apps again. third time. this time I asked my partner to change the password",
    "got through thanksgiving without a drink, first time in ten years",
    "my discord username is dusty.lantern, hmu whenever",
    "I'm struggling today, honestly. Woke up at 4:10 with the sweats and couldn't get back to sleep.",
    "thank you all for being here, it means more than I can say",
    "73 days clean and I finally slept through the night",
    "my sponsor says I rushed step 4, so I'm going back over it this month",
    "citalopram 20 mg, going to 30 next month. anyone else had the nausea at the start?",
    "I deleted instagram last week and I already feel less anxious about comparing myself",
    "text 3\u{200B}1\u{200B}7\u{200B}-\u{200B}5\u{200B}5\u{200B}5\u{200B}-\u{200B}0\u{200B}1\u{200B}8\u{200B}3",
    "at the store dot dot dot staring at the wine aisle, but I walked out",
    "if it gets bad, call or text 988, it helped me more than once",
    "kids' soccer game ended 4-2 and I was there, sober, cheering. small wins",
    "saved £1,200 since january by not going to the pub every night",
    "meeting moved to room 118, same time, see you all at 19:30",
    "I'm 52, never thought I'd be here but here I am, one day at a time",
    "kira dot sato at gmail dot com",
    "the 14 bus takes forever to get to treatment but it gives me time to think",
    "@Juniper thank you for that, I needed to hear it today ❤️",
    "“It’s okay to not be okay” — my therapist said that and it stuck with me",
    "2 years sober this sunday. I can't believe it, some days it felt impossible",
    "breathe in for four, hold for seven, out for eight. works for me when I panic",
    "I know we can't swap numbers here, that's fine, I'm just glad this group exists",
    "wa.me/13055550199",
    "from 2/1 to 2/28 I did dry february and honestly it was harder than I expected",
    "NAMI HelpLine 1-800-950-6264, weekdays, for families too",
    "PHQ-9 of 8 this week, down from 14 in march. slowly slowly",
];

/// About 200 characters of ordinary talk with a few numbers.
const TYPICAL: &str = "Day 41 today. Had a rough evening at my sister's place, everyone was drinking wine and I \
     held a sparkling water for 3 hours. Left at 9:30, called my sponsor on the way home. Proud of it.";

fn corpus() -> String {
    let mut text = String::new();
    while text.len() < 64 * 1024 {
        for line in CHAT {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn bench_filter(c: &mut Criterion) {
    let filter = Filter::new(FilterConfig::default());
    let ctx = Context::standalone(Millis(0));
    let corpus = corpus();
    let lines: Vec<&str> = corpus.lines().collect();

    let mut group = c.benchmark_group("contact_filter");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("mixed_chat_per_message", |b| {
        b.iter(|| {
            lines
                .iter()
                .filter(|l| !filter.check(black_box(l), &ctx).is_clean())
                .count()
        })
    });
    group.bench_function("mixed_chat_with_window", |b| {
        b.iter(|| {
            let mut recent = RecentMessages::new();
            let mut blocked = 0;
            for (i, line) in lines.iter().enumerate() {
                let now = Millis(i as i64 * 10_000);
                let ctx = Context {
                    names: &["Juniper", "River"],
                    recent: Some(&recent),
                    now,
                };
                let verdict = filter.check(black_box(line), &ctx);
                blocked += usize::from(!verdict.is_clean());
                recent.record(now, line, &verdict);
            }
            blocked
        })
    });
    group.finish();

    let mut single = c.benchmark_group("contact_filter_message");
    single.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    single.bench_function("typical_200_chars", |b| {
        b.iter(|| filter.check(black_box(TYPICAL), &ctx))
    });
    single.finish();
}

/// The crisis detector runs on every message too; ordinary talk should leave on its fast path.
fn bench_crisis_detection(c: &mut Criterion) {
    let corpus = corpus();
    let lines: Vec<&str> = corpus.lines().collect();
    let mut group = c.benchmark_group("crisis_detection");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("mixed_chat_per_message", |b| {
        b.iter(|| {
            lines
                .iter()
                .filter(|l| hearth::safety::detect(black_box(l)).is_some())
                .count()
        })
    });
    group.finish();

    let mut single = c.benchmark_group("crisis_detection_message");
    single.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    single.bench_function("typical_200_chars", |b| {
        b.iter(|| hearth::safety::detect(black_box(TYPICAL)))
    });
    single.finish();
}

criterion_group!(benches, bench_filter, bench_crisis_detection);
criterion_main!(benches);
