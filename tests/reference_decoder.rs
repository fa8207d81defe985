//! An independent reference model of the streaming `Decoder`'s documented
//! behaviour, differential-tested against the crate.
//!
//! The model was written from the documentation alone (the `//!` docs of
//! `src/decoder.rs`, the `///` docs of `Decoder`, its methods and
//! `ReplyReady`, `Reply::is_truncated`, `PayloadError::Truncated`,
//! `ErrorKind`, `Error`'s offsets, README "In firmware: the decoder"),
//! before the decoder's code was read. It is deliberately naive: the
//! decoder is a `Vec` of every byte pushed since the stream started and
//! the start of the item not yet handed out; what a complete parse gives
//! comes from the framing model of `tests/reference_framing.rs`
//! (`tests/common/framing_model.rs`, checked against the crate there).
//!
//! `tests/laws.rs` already checks that any chunking gives the items of the
//! walk; this file models what the docs promise beyond that: what `push`
//! takes and when it takes less, `len`/`is_empty` after every call, the
//! bounds on `free`, a reply longer than the buffer (truncated: its code,
//! bytes, lines, text), `finish` at the end of a stream, `clear`,
//! `with_limit`, `poll` + `reply` against `next`, and stale `ReplyReady`
//! tokens.
//!
//! Where the docs say nothing precise the model follows the code and says
//! so (`SILENT:`). The first run (session 57: written from the docs, then
//! compared) found no bug and four doc sentences the code did not keep,
//! now made exact, each pinned by a test `dN_...` with its minimal input
//! and the sentence as it now reads: D1 a push fills the free room and
//! makes room only when there is none, so it may take fewer bytes than
//! `capacity() - len()`; D2 `is_empty()` may be true while `finish` still
//! reports an unfinished item (bytes of an error or a cut reply are
//! dropped as they are scanned); D3 a token from another decoder takes its
//! reply only when the count and the code agree; D4 the push right after
//! `with_limit` may take nothing (room is made once `next` has run).
//! Left to the code (SILENT): `len` while an item known to be an error or
//! a cut reply is held (it depends on when the scan ran), `free` (when the
//! buffer is compacted), `finish` with replies waiting.
//!
//! What is compared, call by call: each push's count (at least what
//! `free` said, at most the capacity less `len`, at least 1 after `next`
//! returned `None`, and, when short, `free() == 0`), `fill`'s room, every
//! item of `next` (or `poll` + `reply`: code, line count, lines, text,
//! bytes, truncated flag; error kind, offset, end, code), the empty
//! truncated reply of a stale token, `len` and `is_empty` after every call,
//! `capacity`, and `finish`'s error.
//!
//! Cases: [`DEFAULT_CASES`] per property, 3 properties (override with
//! `PROPTEST_CASES`), a fixed seed (override with `PROPTEST_RNG_SEED`), no
//! regression file; every recording at 6 sizes and pieces, with `next` and
//! `poll`; 300 generated scripts, 4 runs each, in
//! `the_generator_reaches_every_case`. About 4 s in a debug build.

use ftp_reply::{Decoder, Reply};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 1_000;

// The framing model of `tests/reference_framing.rs` (what `parse_complete`
// and `parse_streaming` give for bytes), checked against the crate there.
#[path = "common/framing_model.rs"]
mod framing_model;
#[path = "common/reference.rs"]
mod reference;
#[path = "common/stream_gen.rs"]
mod stream_gen;

use framing_model::*;
use stream_gen::*;

// ---------------------------------------------------------------------------
// What the decoder gives, as compared.

/// A reply or an error handed out by the decoder (offsets in the stream).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Got {
    Reply {
        code: u16,
        line_count: usize,
        lines: Vec<B>,
        text: B,
        bytes: B,
        truncated: bool,
    },
    Error {
        kind: Kind,
        offset: usize,
        end: usize,
        code: Option<u16>,
    },
}

fn got_reply(r: &Reply<'_>) -> Got {
    Got::Reply {
        code: r.code().get(),
        line_count: r.line_count(),
        lines: r.lines().map(b).collect(),
        text: b(r.text()),
        bytes: b(r.as_bytes()),
        truncated: r.is_truncated(),
    }
}

fn got_error(e: &ftp_reply::Error) -> Got {
    Got::Error {
        kind: kind_of(e.kind()),
        offset: e.offset(),
        end: e.end(),
        code: e.code().map(|c| c.get()),
    }
}

// ---------------------------------------------------------------------------
// The model of `Decoder<N>` (with `with_limit(cap)`).

thread_local! {
    /// How often each case the model tells apart was met on this thread
    /// (`the_generator_reaches_every_case`).
    static SEEN: std::cell::RefCell<std::collections::BTreeMap<&'static str, usize>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

fn note(case: &'static str) {
    SEEN.with(|s| *s.borrow_mut().entry(case).or_default() += 1);
}

struct Model {
    cfg: Cfg,
    /// `capacity()`: "`N`, or less after `with_limit`" (a limit "at most
    /// `N`, at least 1").
    cap: usize,
    /// Every byte pushed since the stream started (or was cleared).
    stream: Vec<u8>,
    /// Where the item not handed out yet starts in `stream`.
    pos: usize,
    /// The last `next` (or `poll`) returned `None` and nothing was pushed
    /// since.
    after_none: bool,
    /// Each capacity and where in `stream` it took effect (`with_limit` on
    /// a decoder in use).
    periods: Vec<(usize, usize)>,
}

impl Model {
    fn new(cfg: Cfg, cap: usize) -> Self {
        Model {
            cfg,
            cap,
            stream: Vec::new(),
            pos: 0,
            after_none: false,
            periods: vec![(0, cap)],
        }
    }

    /// `with_limit` on a decoder in use: "what it holds stays, and the
    /// next `push` makes room under the new limit".
    ///
    /// D4: but that push may take nothing: the guarantee that a push takes
    /// a byte holds only once `next` has returned `None` after the limit
    /// changed (`d4_the_push_after_a_limit_may_take_nothing`).
    fn limit(&mut self, cap: usize) {
        self.cap = cap;
        self.after_none = false;
        self.periods.push((self.stream.len(), cap));
    }

    /// The limit changed while the decoder was in use: `len` and what a
    /// push takes are then only checked loosely.
    fn loose(&self) -> bool {
        self.periods.len() > 1
    }

    /// Whether the item `stream[a..e]` is cut, and then the halves of the
    /// limits its head may have been cut to. "A reply that does not fit in
    /// `N` bytes" is cut; under `with_limit` on a decoder in use, "the next
    /// `push` makes room under the new limit (... cutting the reply being
    /// read, and cutting the head kept of a reply already cut to half the
    /// new limit) ... A reply already whole in the buffer when the limit
    /// shrinks comes out whole": so it is cut when, during a limit, a push
    /// brought bytes of it and left more of it than that limit.
    fn cut_halves(&self, a: usize, e: usize) -> Option<Vec<usize>> {
        let mut halves: Vec<usize> = Vec::new();
        for (i, &(x, c)) in self.periods.iter().enumerate() {
            let until = self.periods.get(i + 1).map_or(usize::MAX, |p| p.0);
            let (from, to) = (x.max(a), until.min(e));
            if from >= to {
                continue;
            }
            if !halves.is_empty() || to - a > c {
                halves.push(c / 2);
            }
        }
        (!halves.is_empty()).then_some(halves)
    }

    fn pending(&self) -> &[u8] {
        &self.stream[self.pos..]
    }

    /// Whether the bytes not handed out yet begin an item that is already
    /// known to be an error (whatever follows).
    fn known_bad(&self) -> bool {
        matches!(
            model(self.pending(), self.cfg, false),
            Outcome::Item(Item::Error { kind, .. })
                if !matches!(kind, Kind::UnterminatedLine | Kind::UnterminatedBlock)
        )
    }

    /// What `len` may be: "Bytes held and not yet handed out", so every
    /// byte pushed and not handed out while the item fits.
    fn len_range(&self) -> (usize, usize) {
        let pending = self.pending().len();
        if self.known_bad() {
            // SILENT: bytes of an item known to be an error are dropped as
            // they are scanned, and when they are scanned depends on the
            // chunking ("only when a line may have ended or the buffer is
            // full"): `len` is anything from 0 to the bytes pushed.
            (0, pending.min(self.cap))
        } else if pending > self.cap {
            // A reply that does not fit: the head kept ("at most N / 2")
            // and, SILENT, the bytes pushed since the last scan.
            (cut_head(self.pending(), self.cap / 2).len(), self.cap)
        } else {
            (pending, pending)
        }
    }

    /// The reply a cut item gives: "a reply with its code (the code of its
    /// closing line) and `Reply::is_truncated` set; it holds the first
    /// line, cut to at most `N / 2` bytes"; "`line_count` is 1".
    fn cut_reply(code: u16, item: &[u8], half: usize) -> Got {
        let head = cut_head(item, half);
        let content = head.strip_suffix(b"\n").unwrap_or(&head);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let text = b(&content[4.min(content.len())..]);
        Got::Reply {
            code,
            line_count: 1,
            lines: if head.is_empty() {
                vec![]
            } else {
                vec![text.clone()]
            },
            text,
            bytes: B(head),
            truncated: true,
        }
    }

    /// What the decoder may give for `item` (at `pos`): one answer, or
    /// after limits changed, one for each head a cut reply may keep.
    fn got(&self, item: &Item) -> Vec<Got> {
        let at = self.pos;
        match item {
            Item::Reply {
                code,
                line_count,
                lines,
                text,
                bytes,
                consumed,
                ..
            } => {
                if let Some(halves) = self.cut_halves(at, at + consumed) {
                    let item = &self.stream[at..];
                    halves
                        .iter()
                        .map(|&h| Self::cut_reply(*code, item, h))
                        .collect()
                } else {
                    vec![Got::Reply {
                        code: *code,
                        line_count: *line_count,
                        lines: lines.clone(),
                        text: text.clone(),
                        bytes: bytes.clone(),
                        truncated: false,
                    }]
                }
            }
            Item::Error {
                kind,
                offset,
                end,
                code,
                ..
            } => vec![Got::Error {
                kind: *kind,
                offset: at + offset,
                end: at + end,
                code: *code,
            }],
        }
    }

    /// "Copies as much of `bytes` as fits and returns how many bytes that
    /// was. Fewer than `bytes.len()` means the buffer is full ... After
    /// `next` has returned `None`, `push` always takes at least one byte".
    /// What fits is the capacity less the bytes held (a push "may make
    /// more" room than `free`).
    fn push(
        &mut self,
        asked: &[u8],
        took: usize,
        (len_before, free_before, free_after): (usize, usize, usize),
    ) -> Result<(), String> {
        if self.after_none && !asked.is_empty() && took == 0 {
            return Err("took nothing after next returned None".into());
        }
        if took > asked.len() {
            return Err(format!("took {took}: more than offered"));
        }
        if self.loose() {
            self.stream.extend_from_slice(&asked[..took]);
            self.after_none = false;
            return Ok(());
        }
        let fits = self.fits(len_before);
        if took > asked.len().min(fits) {
            return Err(format!("took {took}: more than fits ({fits})"));
        }
        if self.after_none && !asked.is_empty() && took == 0 {
            return Err("took nothing after next returned None".into());
        }
        // D1: "Fewer than `bytes.len()` means the buffer is full" holds of
        // the array, not of `len`: a push copies into the free part
        // (`free`) and makes room (moves what is held, cuts a reply) only
        // when there is none, so it may take fewer than fit while `len` is
        // below the capacity (`d1_a_short_push_with_room_left`). So: at
        // least what `free` said, and, when it took fewer than offered,
        // the free part is used up.
        if took < asked.len().min(free_before) {
            return Err(format!("took {took}, less than free ({free_before})"));
        }
        if took < asked.len() && free_after != 0 {
            return Err(format!(
                "took {took} of {}, free {free_after} after",
                asked.len()
            ));
        }
        self.stream.extend_from_slice(&asked[..took]);
        self.after_none = false;
        Ok(())
    }

    /// Room a push or a fill can make: the capacity less the bytes held,
    /// and when they fill the buffer after `next` has returned `None`, "a
    /// reply longer than the buffer is truncated to make room": only its
    /// head stays.
    fn fits(&self, len_before: usize) -> usize {
        if len_before == self.cap && self.after_none {
            let keep = if self.known_bad() {
                0
            } else {
                cut_head(self.pending(), self.cap / 2).len()
            };
            self.cap - keep
        } else {
            self.cap.saturating_sub(len_before)
        }
    }

    /// `fill`: "call it after `next` ... has returned `None`: then the
    /// free part holds at least one byte".
    fn fill(
        &mut self,
        given: &[u8],
        room: usize,
        (len_before, free_before): (usize, usize),
    ) -> Result<(), String> {
        if room > self.fits(len_before) && !self.loose() {
            return Err(format!("room {room}: more than the capacity less len"));
        }
        if self.after_none && room == 0 {
            return Err("fill gave no room after next returned None".into());
        }
        if room < free_before && !self.loose() {
            return Err(format!("room {room}, less than free ({free_before})"));
        }
        self.stream.extend_from_slice(given);
        self.after_none = false;
        Ok(())
    }

    /// "The next reply, or the next error, or `None` when more bytes are
    /// needed": the item at `pos` once its bytes have all been pushed (the
    /// framing model's `parse_streaming`), errors as `parse_complete` gives
    /// them, offsets "from the first byte ever pushed".
    fn next(&mut self) -> Option<Vec<Got>> {
        if self.pos == self.stream.len() {
            self.after_none = true;
            return None;
        }
        match model(self.pending(), self.cfg, true) {
            Outcome::Item(item) => {
                let got = self.got(&item);
                match (&item, &got[0]) {
                    (
                        _,
                        Got::Reply {
                            truncated: true,
                            line_count,
                            bytes,
                            ..
                        },
                    ) => {
                        note(if bytes.0.is_empty() {
                            "cut reply holding nothing"
                        } else if matches!(item, Item::Reply { line_count: 1, .. }) {
                            "cut single-line reply"
                        } else {
                            "cut block"
                        });
                        if got.len() > 1 {
                            note("cut reply after a limit changed");
                        }
                        let _ = line_count;
                    }
                    (Item::Error { resume, .. }, _) if *resume > self.cap => {
                        note("error longer than the buffer");
                    }
                    (Item::Reply { consumed, .. }, _) if self.loose() && *consumed > self.cap => {
                        note("whole reply longer than a limit set after it");
                    }
                    _ => note("item"),
                }
                self.pos += advance(&item);
                Some(got)
            }
            Outcome::Partial => {
                self.after_none = true;
                None
            }
        }
    }

    /// "the bytes left over, if any, are an unfinished reply, reported as
    /// `parse_complete` would ... The buffer is emptied".
    fn finish(&mut self) -> Option<Vec<Got>> {
        let out = if self.pos == self.stream.len() {
            None
        } else {
            match model(self.pending(), self.cfg, false) {
                Outcome::Item(item) => {
                    note(match item {
                        Item::Error {
                            kind: Kind::UnterminatedLine,
                            ..
                        } => "finish: UnterminatedLine",
                        Item::Error {
                            kind: Kind::UnterminatedBlock,
                            ..
                        } => "finish: UnterminatedBlock",
                        _ => "finish: another error",
                    });
                    if self.pending().len() > self.cap {
                        note("finish in a cut item");
                    }
                    Some(self.got(&item))
                }
                Outcome::Partial => unreachable!("complete parsing never asks for more"),
            }
        };
        self.pos = self.stream.len();
        self.after_none = false;
        out
    }

    /// "Forgets every byte held and every error state ...: a new stream
    /// starts, with offsets from 0 again."
    fn clear(&mut self) {
        self.stream.clear();
        self.pos = 0;
        self.after_none = false;
        self.periods = vec![(0, self.cap)];
    }
}

// ---------------------------------------------------------------------------
// A script of calls, run on the crate and checked against the model call by
// call.

/// What to do between two pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    None,
    /// `finish` (after `next` has returned `None`), then go on.
    Finish,
    Clear,
    /// `with_limit` on the decoder in use.
    Limit(usize),
    /// `with_limit` after the piece's first push, before `next`.
    LimitEarly(usize),
}

/// How replies are taken out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Take {
    Next,
    Poll,
    /// `poll` twice, `reply` with the first (stale) token, then the second.
    PollTwice,
}

#[derive(Clone, Debug)]
struct Script {
    cfg: Cfg,
    limit: Option<usize>,
    take: Take,
    /// `fill` in place of `push`.
    fill: bool,
    /// Pieces of the stream, each with what follows it.
    chunks: Vec<(Vec<u8>, Event)>,
}

/// One call and what it returned.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Push {
        asked: usize,
        took: usize,
    },
    Fill {
        room: usize,
        took: usize,
    },
    Next(Option<Got>),
    /// `reply` with a token that a later `poll` made stale.
    Stale(Got),
    Finish(Option<Got>),
    Clear,
    Limit(usize),
}

/// The crate's decoder and the model, in step.
struct Run<const N: usize> {
    d: Decoder<N>,
    m: Model,
    /// The calls so far and the `len` each left.
    log: Vec<(Step, usize)>,
}

impl<const N: usize> Run<N> {
    /// Checks the state a call left: `len` as the model allows,
    /// `is_empty` "when no byte is held", `len + free <= capacity`.
    fn after(&mut self, step: Step, checked: Result<(), String>) -> Result<(), String> {
        let len = self.d.len();
        self.log.push((step, len));
        let (lo, hi) = if self.m.loose() {
            (0, usize::MAX)
        } else {
            self.m.len_range()
        };
        let fail = |why: String| Err(format!("{why}\ncalls (step, len after): {:?}", self.log));
        checked.or_else(fail)?;
        if len < self.m.pending().len() && lo < hi {
            note("len below the bytes pushed and not handed out");
        }
        if !(lo..=hi).contains(&len) {
            return fail(format!("len {len}, model {lo}..={hi}"));
        }
        if self.d.is_empty() != (len == 0) {
            return fail("is_empty is not len == 0".into());
        }
        if len + self.d.free() > self.d.capacity() && !self.m.loose() {
            return fail(format!("len {len} + free {} > capacity", self.d.free()));
        }
        Ok(())
    }

    fn expect(model: Option<Vec<Got>>, got: Option<Got>) -> Result<(), String> {
        let agree = match (&model, &got) {
            (None, None) => true,
            (Some(any), Some(got)) => any.contains(got),
            _ => false,
        };
        if agree {
            Ok(())
        } else {
            Err(format!("model: {model:?}\ncrate: {got:?}"))
        }
    }

    /// One `next` (or `poll` and `reply`); true when it gave an item.
    fn take(&mut self, how: Take) -> Result<bool, String> {
        let d = &mut self.d;
        let got = match how {
            Take::Next => d.next().map(|r| match r {
                Ok(r) => got_reply(&r),
                Err(e) => got_error(&e),
            }),
            Take::Poll => d.poll().map(|r| match r {
                Ok(t) => got_reply(&d.reply(t)),
                Err(e) => got_error(&e),
            }),
            Take::PollTwice => match d.poll() {
                Some(Ok(first)) => match d.poll() {
                    Some(Ok(second)) => {
                        let stale = got_reply(&d.reply(first));
                        let reply = got_reply(&d.reply(second));
                        // "if the decoder was polled ... in between ... the
                        // reply is an empty truncated one with the code
                        // that was found".
                        let Got::Reply { code, .. } = &reply else {
                            unreachable!()
                        };
                        let want = Got::Reply {
                            code: *code,
                            line_count: 1,
                            lines: vec![],
                            text: b(b""),
                            bytes: b(b""),
                            truncated: true,
                        };
                        let checked = Self::expect(Some(vec![want]), Some(stale.clone()));
                        self.log.push((Step::Stale(stale), self.d.len()));
                        note("stale token");
                        checked?;
                        Some(reply)
                    }
                    other => return Err(format!("a second poll found {other:?}")),
                },
                Some(Err(e)) => Some(got_error(&e)),
                None => None,
            },
        };
        let want = self.m.next();
        let more = got.is_some();
        let checked = Self::expect(want, got.clone());
        self.after(Step::Next(got), checked)?;
        Ok(more)
    }

    /// `with_limit` on the decoder in use.
    fn limit(&mut self, l: usize) -> Result<(), String> {
        self.d = std::mem::take(&mut self.d).with_limit(l);
        let cap = l.clamp(1, N);
        self.m.limit(cap);
        let checked = if self.d.capacity() == cap {
            Ok(())
        } else {
            Err(format!("capacity {} not {cap}", self.d.capacity()))
        };
        self.after(Step::Limit(l), checked)
    }

    fn feed(
        &mut self,
        mut rest: &[u8],
        fill: bool,
        how: Take,
        mut early: Option<usize>,
    ) -> Result<(), String> {
        while !rest.is_empty() {
            let len_before = self.d.len();
            let free_before = self.d.free();
            let took = if fill {
                let mut room = 0;
                let took = self
                    .d
                    .fill(|buf| {
                        room = buf.len();
                        let k = buf.len().min(rest.len());
                        buf[..k].copy_from_slice(&rest[..k]);
                        Ok::<usize, ()>(k)
                    })
                    .expect("no read error");
                let checked = self.m.fill(&rest[..took], room, (len_before, free_before));
                self.after(Step::Fill { room, took }, checked)?;
                took
            } else {
                let took = self.d.push(rest);
                let free_after = self.d.free();
                if took < rest.len() && self.d.len() < self.d.capacity() {
                    note("short push with len below the capacity");
                }
                let checked = self
                    .m
                    .push(rest, took, (len_before, free_before, free_after));
                let asked = rest.len();
                self.after(Step::Push { asked, took }, checked)?;
                took
            };
            rest = &rest[took..];
            if let Some(l) = early.take() {
                self.limit(l)?;
            }
            while self.take(how)? {}
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        let got = self.d.finish().map(|e| got_error(&e));
        let want = self.m.finish();
        let checked = Self::expect(want, got.clone());
        self.after(Step::Finish(got), checked)
    }
}

fn run<const N: usize>(s: &Script) -> Result<(), String> {
    let mut d = Decoder::<N>::with_config(s.cfg.config());
    if let Some(l) = s.limit {
        d = d.with_limit(l);
    }
    let cap = s.limit.map_or(N, |l| l.clamp(1, N));
    if d.capacity() != cap {
        return Err(format!("capacity {} not {cap}", d.capacity()));
    }
    let mut r = Run {
        d,
        m: Model::new(s.cfg, cap),
        log: Vec::new(),
    };
    for (chunk, event) in &s.chunks {
        let early = match event {
            Event::LimitEarly(l) => Some(*l),
            _ => None,
        };
        r.feed(chunk, s.fill, s.take, early)?;
        match event {
            Event::None => {}
            Event::Finish => r.finish()?,
            Event::Clear => {
                r.d.clear();
                r.m.clear();
                r.after(Step::Clear, Ok(()))?;
            }
            Event::Limit(l) => r.limit(*l)?,
            Event::LimitEarly(_) => {}
        }
    }
    r.finish()
}

/// Runs `s` on a `Decoder<n>`, with what failed and the script.
fn check_n(n: usize, s: &Script) -> Result<(), String> {
    let result = match n {
        1 => run::<1>(s),
        2 => run::<2>(s),
        3 => run::<3>(s),
        4 => run::<4>(s),
        7 => run::<7>(s),
        16 => run::<16>(s),
        64 => run::<64>(s),
        256 => run::<256>(s),
        4096 => run::<4096>(s),
        _ => unreachable!("no decoder of {n} bytes here"),
    };
    result.map_err(|e| {
        let stream: Vec<u8> = s.chunks.iter().flat_map(|c| c.0.clone()).collect();
        let chunks: Vec<_> = s.chunks.iter().map(|(c, e)| (b(c), *e)).collect();
        format!(
            "N {n} limit {:?} {:?} {:?} fill {}\nstream {:?}\nchunks {chunks:?}\n{e}",
            s.limit,
            s.cfg,
            s.take,
            s.fill,
            b(&stream)
        )
    })
}

// ---------------------------------------------------------------------------
// Generators (`tests/common/stream_gen.rs`).

fn build(segments: &[Segment], tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for seg in segments {
        push_segment(&mut out, seg);
    }
    out.extend_from_slice(tail);
    out
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    let tail = prop_oneof![
        4 => Just(Vec::new()),
        1 => select(TAILS).prop_map(<[u8]>::to_vec),
        1 => text(),
    ];
    (vec(segment(), 0..6), tail).prop_map(|(segments, tail)| build(&segments, &tail))
}

/// What may happen between pieces.
#[derive(Clone, Copy, Debug)]
enum Events {
    None,
    FinishClear,
    Limits,
}

/// The stream cut into pieces of random sizes (some zero), each followed
/// by an event (rarely a `finish` or a `clear`, when `events`).
fn script(
    input: &[u8],
    sizes: &[(usize, u8)],
    events: Events,
    cfg: Cfg,
    limit: Option<usize>,
    take: Take,
    fill: bool,
) -> Script {
    let mut chunks = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < input.len() {
        let (size, ev) = sizes[i % sizes.len()];
        i += 1;
        let end = (at + size).min(input.len());
        let event = match (ev, events) {
            (0, Events::FinishClear) => Event::Finish,
            (1, Events::FinishClear) => Event::Clear,
            (0..=5, Events::Limits) => Event::Limit(usize::from(ev) * 7 % 30),
            (6..=11, Events::Limits) => Event::LimitEarly(usize::from(ev) * 5 % 23),
            _ => Event::None,
        };
        chunks.push((input[at..end].to_vec(), event));
        at = end;
        if size == 0 && i > 4 * input.len() {
            break;
        }
    }
    Script {
        cfg,
        limit,
        take,
        fill,
        chunks,
    }
}

fn sizes() -> impl Strategy<Value = Vec<(usize, u8)>> {
    let size = prop_oneof![
        4 => 1usize..4,
        3 => 4usize..20,
        1 => 20usize..200,
        1 => Just(0usize),
    ];
    vec((size, 0u8..40), 1..8)
}

fn cfg() -> impl Strategy<Value = Cfg> {
    prop_oneof![
        4 => Just(Cfg::STRICT),
        1 => Just(Cfg::LENIENT),
        1 => (any::<bool>(), 1u32..4).prop_map(|(lenient, max)| Cfg { lenient, max: Some(max) }),
    ]
}

fn proptest_config() -> ProptestConfig {
    reference::pinned(DEFAULT_CASES, 0x0dec_0de5)
}

const SIZES: &[usize] = &[1, 2, 3, 4, 7, 16, 64];

proptest! {
    #![proptest_config(proptest_config())]

    /// `next`, any chunking, every small `N`, with and without a limit.
    #[test]
    fn the_decoder_agrees_with_the_model(
        input in stream(),
        sizes in sizes(),
        n in select(SIZES),
        limit in prop::option::weighted(0.2, 0usize..80),
        cfg in cfg(),
        fill in any::<bool>(),
    ) {
        let s = script(&input, &sizes, Events::None, cfg, limit, Take::Next, fill);
        if let Err(e) = check_n(n, &s) {
            prop_assert!(false, "{}", e);
        }
    }

    /// `poll` + `reply` (and stale tokens), `finish` and `clear` in the
    /// middle of a stream.
    #[test]
    fn poll_finish_and_clear_agree_with_the_model(
        input in stream(),
        sizes in sizes(),
        n in select(SIZES),
        cfg in cfg(),
        take in select(&[Take::Next, Take::Poll, Take::PollTwice][..]),
        fill in any::<bool>(),
    ) {
        let s = script(&input, &sizes, Events::FinishClear, cfg, None, take, fill);
        if let Err(e) = check_n(n, &s) {
            prop_assert!(false, "{}", e);
        }
    }

    /// `with_limit` on a decoder in use, between pieces.
    #[test]
    fn a_limit_changed_in_use_agrees_with_the_model(
        input in stream(),
        sizes in sizes(),
        n in select(&[4usize, 7, 16, 64][..]),
        cfg in cfg(),
    ) {
        let s = script(&input, &sizes, Events::Limits, cfg, None, Take::Next, false);
        if let Err(e) = check_n(n, &s) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Every recording, for several `N`, in pieces of 1, 7, 64 and 1460
/// bytes, with `next` and with `poll`.
#[test]
fn recordings_agree_with_the_model() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files = Vec::new();
    for server in std::fs::read_dir(&dir).expect("tests/data").flatten() {
        for f in std::fs::read_dir(server.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.path().extension().is_some_and(|e| e == "raw") {
                files.push(f.path());
            }
        }
    }
    files.sort();
    assert!(files.len() >= 40, "{} recordings", files.len());
    for path in &files {
        let input = std::fs::read(path).expect("a recording");
        for (n, piece) in [
            (16, 7),
            (64, 1),
            (64, 1460),
            (256, 7),
            (4096, 1460),
            (4096, 1),
        ] {
            for take in [Take::Next, Take::Poll] {
                let s = script(
                    &input,
                    &[(piece, 99)],
                    Events::None,
                    Cfg::STRICT,
                    None,
                    take,
                    false,
                );
                if let Err(e) = check_n(n, &s) {
                    panic!("{}: {e}", path.display());
                }
            }
        }
    }
}

/// The generators reach every case the model tells apart (so a change to
/// them cannot quietly make the properties weak).
#[test]
fn the_generator_reaches_every_case() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut config = proptest_config();
    config.rng_seed = RngSeed::Fixed(0x0dec_0de5);
    let mut runner = TestRunner::new(config);
    let plain = (stream(), sizes(), select(SIZES), cfg(), any::<bool>());
    for _ in 0..300 {
        let (input, sizes, n, cfg, fill) = plain.new_tree(&mut runner).expect("a value").current();
        for (events, take) in [
            (Events::None, Take::Next),
            (Events::FinishClear, Take::PollTwice),
            (Events::Limits, Take::Next),
        ] {
            let s = script(&input, &sizes, events, cfg, None, take, fill);
            check_n(n, &s).expect("the model agrees");
            if let Events::Limits = events {
                check_n(64, &s).expect("the model agrees");
            }
        }
    }
    let seen = SEEN.with(|s| s.borrow().clone());
    for case in [
        "item",
        "cut single-line reply",
        "cut block",
        "cut reply holding nothing",
        "cut reply after a limit changed",
        "whole reply longer than a limit set after it",
        "error longer than the buffer",
        "finish: UnterminatedLine",
        "finish: UnterminatedBlock",
        "finish: another error",
        "finish in a cut item",
        "len below the bytes pushed and not handed out",
        "stale token",
        "short push with len below the capacity",
    ] {
        assert!(seen.get(case).is_some_and(|&n| n >= 3), "{case}: {seen:?}");
    }
}

// ---------------------------------------------------------------------------
// Where the code and the docs part, pinned with minimal inputs, and what the
// docs leave open (SILENT), as the code does it.

fn items<const N: usize>(d: &mut Decoder<N>) -> Vec<Got> {
    let mut out = Vec::new();
    while let Some(r) = d.next() {
        out.push(match r {
            Ok(r) => got_reply(&r),
            Err(e) => got_error(&e),
        });
    }
    out
}

fn error(kind: Kind, offset: usize, end: usize, code: Option<u16>) -> Got {
    Got::Error {
        kind,
        offset,
        end,
        code,
    }
}

fn cut(code: u16, bytes: &[u8], text: &[u8]) -> Got {
    Got::Reply {
        code,
        line_count: 1,
        lines: if bytes.is_empty() {
            vec![]
        } else {
            vec![b(text)]
        },
        text: b(text),
        bytes: b(bytes),
        truncated: true,
    }
}

/// D1. `push`: "It fills the free room (`free`), and makes
/// room ... only when there is none, so fewer than `bytes.len()` means the
/// free room is used up, not that no more could be taken". (The docs said
/// "means the buffer is full".) Here the empty line's byte, dropped, still
/// takes its place, and a push takes 3 bytes of 4 while `len()` is 0 and
/// `capacity()` 4.
#[test]
fn d1_a_short_push_with_room_left() {
    let mut d = Decoder::<4>::new();
    assert_eq!(d.push(b"\n"), 1);
    assert_eq!(items(&mut d), [error(Kind::InvalidCode, 0, 1, None)]);
    assert!(d.is_empty());
    assert_eq!(d.push(b"aaaa"), 3);
    assert_eq!((d.len(), d.free(), d.capacity()), (3, 0, 4));
}

/// D2. `is_empty`: "True when no byte is held. The decoder may still be
/// inside an item then: one it knows to be an error drops its bytes as
/// they are read, as does a reply being cut past the head it keeps, and
/// `finish` reports that item." (The docs said only "True when no byte is
/// held", and `finish` spoke of "the bytes left over".)
#[test]
fn d2_empty_yet_finish_reports_an_item() {
    let mut d = Decoder::<16>::new();
    assert_eq!(d.push(b"x\0"), 2);
    assert!(items(&mut d).is_empty());
    assert!(d.is_empty());
    let e = d.finish().expect("an error");
    assert_eq!(got_error(&e), error(Kind::InvalidCode, 0, 2, None));

    let mut d = Decoder::<1>::new();
    for &c in b"200" {
        assert_eq!(d.push(&[c]), 1);
        assert!(items(&mut d).is_empty());
    }
    assert!(d.is_empty());
    let e = d.finish().expect("an error");
    assert_eq!(
        got_error(&e),
        error(Kind::UnterminatedLine, 3, 3, Some(200))
    );
}

/// D3. `reply`: "one from another decoder takes the reply this one holds
/// when its use count (mod 64) and its code are this one's, else an empty
/// truncated one with its code". (The docs said "takes whatever reply this
/// one holds".) The reply of another code stays for a token of its own.
#[test]
fn d3_a_token_from_another_decoder() {
    let mut a = Decoder::<64>::new();
    let mut other = Decoder::<64>::new();
    assert_eq!(a.push(b"200 a\r\n"), 7);
    assert_eq!(other.push(b"331 b\r\n"), 7);
    let foreign = a.poll().expect("a reply").expect("no error");
    let own = other.poll().expect("a reply").expect("no error");
    assert_eq!(got_reply(&other.reply(foreign)), cut(200, b"", b""));
    let r = got_reply(&other.reply(own));
    assert!(
        matches!(
            r,
            Got::Reply {
                code: 331,
                truncated: false,
                ..
            }
        ),
        "{r:?}"
    );

    // The same code and count: it takes the other decoder's reply.
    let mut a = Decoder::<64>::new();
    let mut other = Decoder::<64>::new();
    assert_eq!(a.push(b"200 a\r\n"), 7);
    assert_eq!(other.push(b"200 b\r\n"), 7);
    let foreign = a.poll().expect("a reply").expect("no error");
    let _own = other.poll().expect("a reply").expect("no error");
    let r = got_reply(&other.reply(foreign));
    assert!(
        matches!(&r, Got::Reply { bytes, .. } if bytes.0 == b"200 b\r\n"),
        "{r:?}"
    );
}

/// D4. `with_limit` on a decoder in use: "once `next` has returned `None`
/// again, the next `push` makes room under the new limit ...; a `push`
/// before that may take nothing, as one on a full buffer does". (The docs
/// said "the next `push` makes room".) The push after `next` takes a
/// byte, and the reply comes out cut to half the new limit.
#[test]
fn d4_the_push_after_a_limit_may_take_nothing() {
    let mut d = Decoder::<16>::new();
    assert_eq!(d.push(b"200 abcdefghij"), 14);
    assert!(items(&mut d).is_empty());
    let mut d = d.with_limit(4);
    assert_eq!(d.push(b"x"), 0, "the next push makes no room");
    assert_eq!((d.len(), d.capacity()), (14, 4));
    assert!(items(&mut d).is_empty());
    assert_eq!(d.push(b"x"), 1);
    assert!(d.len() <= d.capacity());
    assert_eq!(feed(&mut d, &[b"\r\n"]).1, [cut(200, b"2\n", b"")]);
}

/// Documented, and kept: "A reply already whole in the buffer when the
/// limit shrinks comes out whole", even when `poll` found it and it is
/// longer than the new limit.
#[test]
fn a_whole_reply_outlives_a_smaller_limit() {
    let mut d = Decoder::<64>::new();
    assert_eq!(d.push(b"211-a\r\n b\r\n211 c\r\n200 d"), 23);
    let mut d = d.with_limit(4);
    let r = items(&mut d);
    assert!(
        matches!(
            &r[..],
            [Got::Reply {
                code: 211,
                line_count: 3,
                truncated: false,
                ..
            }]
        ),
        "{r:?}"
    );
    assert_eq!(d.len(), 5, "over the capacity, 4");
    // `next` has run since the limit changed: the push cuts the 200.
    assert_eq!(
        feed(&mut d, &[b"\r\n"]),
        (vec![(2, 0)], vec![cut(200, b"2\n", b"")])
    );
}

/// Documented, and kept: a token tells apart only "the last 63 polls,
/// clears and finishes" ("counted mod 64"): 64 polls later an old token
/// takes the reply again.
#[test]
fn a_token_64_polls_old_takes_the_reply() {
    for later in [63, 64] {
        let mut d = Decoder::<64>::new();
        assert_eq!(d.push(b"200 a\r\n"), 7);
        let old = d.poll().expect("a reply").expect("no error");
        for _ in 0..later {
            let _ = d.poll();
        }
        let r = got_reply(&d.reply(old));
        if later == 63 {
            assert_eq!(r, cut(200, b"", b""), "stale");
        } else {
            let whole =
                matches!(&r, Got::Reply { bytes, truncated: false, .. } if bytes.0 == b"200 a\r\n");
            assert!(whole, "{r:?}");
        }
    }
}

/// SILENT: `finish` called while replies wait (the docs say to call it
/// after `next` has returned `None`): "replies not taken out yet are
/// dropped", and the error is the unfinished item after them, at its
/// stream offset. Offsets go on after a `finish` (only `clear` starts them
/// from 0 again).
#[test]
fn silent_finish_with_replies_waiting() {
    let mut d = Decoder::<64>::new();
    assert_eq!(d.push(b"200 a\r\n211-x"), 12);
    let e = d.finish().expect("an error");
    assert_eq!(
        got_error(&e),
        error(Kind::UnterminatedLine, 12, 12, Some(211))
    );
    assert!(d.is_empty());
    assert_eq!(d.push(b"x\r\n"), 3);
    assert_eq!(items(&mut d), [error(Kind::InvalidCode, 12, 15, None)]);
    d.clear();
    assert_eq!(d.push(b"x\r\n"), 3);
    assert_eq!(items(&mut d), [error(Kind::InvalidCode, 0, 3, None)]);
}

/// SILENT: `len` while a reply is being cut is the head kept plus the
/// bytes pushed and not scanned yet (the scan runs "only when a line may
/// have ended or the buffer is full"), so it depends on the chunking.
#[test]
fn silent_len_of_a_reply_being_cut() {
    let mut d = Decoder::<16>::new();
    let (log, got) = feed(&mut d, &[b"502 'he", b"lp' not", b" implem", b"ented\r\n"]);
    assert_eq!(got, [cut(502, b"502 'he\n", b"'he")]);
    // (bytes taken by a push, `len` once `next` has returned `None`)
    assert_eq!(
        log,
        [(7, 7), (7, 14), (2, 16), (5, 13), (3, 8), (4, 0)],
        "16 held, cut to 8 and 5 not scanned, full, scanned: 8"
    );
}

/// Feeds `pieces` as the docs say (push, `next` until `None`, push the
/// rest): what each push took and `len` after the `next`s, and the items.
fn feed<const N: usize>(d: &mut Decoder<N>, pieces: &[&[u8]]) -> (Vec<(usize, usize)>, Vec<Got>) {
    let (mut log, mut got) = (Vec::new(), Vec::new());
    for piece in pieces {
        let mut rest = *piece;
        while !rest.is_empty() {
            let took = d.push(rest);
            rest = &rest[took..];
            got.extend(items(d));
            log.push((took, d.len()));
        }
    }
    (log, got)
}
