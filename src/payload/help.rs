//! 214 Help message (RFC 959 section 4.2.2), and the command tables that
//! servers print in its middle lines.

use crate::reply::{Lines, Reply};

/// A 214 reply: its lines, and the command names its table lists.
///
/// vsftpd and pyftpdlib print the table as space-separated names on lines
/// that start with a space; ProFTPD repeats `214-` on every line and marks
/// a command it does not implement with `*` (`SMNT*`); pure-ftpd lists its
/// SITE commands one per line. A single-line 214 (the answer to
/// `HELP RETR`) is a help reply without a table.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Help<'a> {
    reply: Reply<'a>,
}

/// One command name from a help table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HelpCommand<'a> {
    /// The name, without the `*` mark (`SMNT`).
    pub name: &'a str,
    /// True when the server marked the name with `*` (ProFTPD's "not
    /// implemented").
    pub unimplemented: bool,
}

impl<'a> Help<'a> {
    /// The help view of a reply (any code is accepted here;
    /// [`Reply::help`] checks for 214).
    #[must_use]
    pub const fn new(reply: Reply<'a>) -> Self {
        Help { reply }
    }

    /// The reply.
    #[must_use]
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }

    /// The text of every line (see [`Reply::lines`]).
    #[must_use]
    pub fn lines(&self) -> Lines<'a> {
        self.reply.lines()
    }

    /// The command names listed in the middle lines of the block, in order.
    ///
    /// A middle line counts as a table line when every word on it looks like
    /// a command name: an ASCII capital letter, then 1 to 9 capitals or
    /// digits, then an optional `*`. Other middle lines (prose, syntax
    /// help) are skipped.
    #[must_use]
    pub fn commands(&self) -> HelpCommands<'a> {
        let mut lines = self.reply.lines();
        let middle = self.reply.line_count().saturating_sub(2);
        if middle > 0 {
            lines.next();
        }
        HelpCommands {
            lines,
            middle,
            words: &[],
        }
    }

    /// True when the table lists `name` (ASCII case-insensitive).
    #[must_use]
    pub fn lists(&self, name: &str) -> bool {
        self.commands().any(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// Iterator over a help table, from [`Help::commands`].
#[derive(Debug, Clone)]
pub struct HelpCommands<'a> {
    lines: Lines<'a>,
    middle: usize,
    words: &'a [u8],
}

/// A command name of a help table: a capital, then 1 to 9 capitals or
/// digits, then an optional `*`. Checked once per word, in one pass.
fn command_word(word: &[u8]) -> Option<HelpCommand<'_>> {
    let (name, unimplemented) = match word.split_last() {
        Some((b'*', name)) => (name, true),
        _ => (word, false),
    };
    if !(2..=10).contains(&name.len()) || !name.first().is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    if !name
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    // ASCII capitals and digits are UTF-8: this cannot fail.
    let name = core::str::from_utf8(name).ok()?;
    Some(HelpCommand {
        name,
        unimplemented,
    })
}

/// The words of a line, split at spaces and tabs.
fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|b| *b == b' ' || *b == b'\t')
        .filter(|w| !w.is_empty())
}

/// True when every word of `line` is a command name (and there is one).
fn is_table_line(line: &[u8]) -> bool {
    let mut any = false;
    for w in words(line) {
        if command_word(w).is_none() {
            return false;
        }
        any = true;
    }
    any
}

impl<'a> Iterator for HelpCommands<'a> {
    type Item = HelpCommand<'a>;

    fn next(&mut self) -> Option<HelpCommand<'a>> {
        loop {
            // `words` holds the rest of a line already checked whole, so
            // each word is a name: split it off without checking again.
            let trimmed = self.words.trim_ascii_start();
            if !trimmed.is_empty() {
                let end = trimmed
                    .iter()
                    .position(|b| *b == b' ' || *b == b'\t')
                    .unwrap_or(trimmed.len());
                let (word, rest) = trimmed.split_at_checked(end)?;
                self.words = rest;
                let (name, unimplemented) = match word.split_last() {
                    Some((b'*', name)) => (name, true),
                    _ => (word, false),
                };
                let name = core::str::from_utf8(name).ok()?;
                return Some(HelpCommand {
                    name,
                    unimplemented,
                });
            }
            if self.middle == 0 {
                return None;
            }
            self.middle -= 1;
            let line = self.lines.next()?;
            if is_table_line(line) {
                self.words = line;
            }
        }
    }
}

/// Compared by content: the same lines, however they were framed.
impl PartialEq for Help<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.lines().eq(other.lines())
    }
}

impl Eq for Help<'_> {}

impl core::hash::Hash for Help<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for item in self.lines() {
            item.hash(state);
        }
    }
}
