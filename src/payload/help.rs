//! 214 Help message (RFC 959 section 4.2.2), and the command tables that
//! servers print in its middle lines.

use crate::encode::{BlockWriter, Sink, write_lines};
use crate::error::Error;
use crate::reply::{Lines, Reply};

/// A 214 reply: its lines, and the command names its table lists.
///
/// vsftpd and pyftpdlib print the table as space-separated names on lines
/// that start with a space; ProFTPD repeats `214-` on every line and marks
/// a command it does not implement with `*` (`SMNT*`), as wu-ftpd does;
/// IIS lists one name per line and writes the mark after a space
/// (`ADAT *`); FileZilla Server lists its own `P@SW` among the names;
/// pure-ftpd lists its SITE commands one per line. A single-line 214 (the answer to
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
    /// True when the server marked the name with `*`, right after it
    /// (ProFTPD and wu-ftpd: `SMNT*`) or as the next word (IIS: `ADAT *`):
    /// "not implemented".
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
    pub fn lines(&self) -> Lines<'a> {
        self.reply.lines()
    }

    /// The command names listed in the middle lines of the block, in order.
    ///
    /// A middle line is read as words split at spaces and tabs. A word
    /// that looks like a command name (an ASCII capital, then 1 to 9
    /// capitals or digits, then an optional `*`) is listed; a lone `*` right
    /// after a name marks that name too (IIS writes `ADAT *`). Any other
    /// word is dropped, not its line (FileZilla Server lists its own `P@SW`
    /// among the names), unless it reads as prose: a word with an ASCII
    /// lowercase letter, or one that ends with `.`, `,` or `:`, makes the
    /// whole line prose, which gives no names (`Use HELP <command> for
    /// details.`, `Commands: RETR STOR`). The first and last lines (the
    /// header and `Help OK.`) give no names either.
    ///
    /// Each line is read twice at most (once to tell prose from table, once
    /// for the names), so the time is linear in the reply's length.
    pub fn commands(&self) -> HelpCommands<'a> {
        HelpCommands {
            lines: self.reply.middle_lines(),
            words: &[],
        }
    }

    /// True when the table lists `name` (ASCII case-insensitive).
    #[must_use]
    pub fn lists(&self, name: &str) -> bool {
        self.commands().any(|c| c.name.eq_ignore_ascii_case(name))
    }
}

impl Help<'_> {
    /// Writes the reply's lines again (see
    /// [`write_lines`](crate::encode::write_lines)).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        write_lines(out, &self.reply)
    }
}

/// Iterator over a help table, from [`Help::commands`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct HelpCommands<'a> {
    lines: Lines<'a>,
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

const fn is_blank(b: &u8) -> bool {
    matches!(b, b' ' | b'\t')
}

/// The first word of `line` and what follows it (blanks before the word
/// skipped); an empty word at the end of the line.
fn split_word(line: &[u8]) -> (&[u8], &[u8]) {
    let start = line.iter().position(|b| !is_blank(b)).unwrap_or(line.len());
    let line = line.get(start..).unwrap_or_default();
    let end = line.iter().position(is_blank).unwrap_or(line.len());
    line.split_at_checked(end).unwrap_or((line, &[]))
}

/// True when `word`, not a command name, reads as prose: it holds an ASCII
/// lowercase letter or ends a clause (`.`, `,`, `:`).
fn is_prose_word(word: &[u8]) -> bool {
    word.iter().any(u8::is_ascii_lowercase) || matches!(word.last(), Some(b'.' | b',' | b':'))
}

/// True when no word of `line` reads as prose.
fn is_table_line(line: &[u8]) -> bool {
    line.split(is_blank)
        .all(|w| command_word(w).is_some() || !is_prose_word(w))
}

impl<'a> Iterator for HelpCommands<'a> {
    type Item = HelpCommand<'a>;

    fn next(&mut self) -> Option<HelpCommand<'a>> {
        loop {
            // `words` holds the rest of a table line.
            let (word, rest) = split_word(self.words);
            self.words = rest;
            if !word.is_empty() {
                let Some(mut command) = command_word(word) else {
                    // Not a name (a stray `*`, FileZilla's `P@SW`): dropped.
                    continue;
                };
                // A lone `*` after the name marks it (IIS: `ADAT *`).
                let (next, after) = split_word(rest);
                if next == b"*" {
                    command.unimplemented = true;
                    self.words = after;
                }
                return Some(command);
            }
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
