//! The one table of builtins (table.rs): each builtin's name, other names, forms with their
//! operands and options, usage, summary and examples. `help` prints it, the REPL completes and
//! highlights from it, syntax errors name expected words from it, and a test holds it and
//! grammar/vsh.pest together both ways (tests.rs).

mod objects;
mod options;
mod table;
#[cfg(test)]
mod tests;
mod usage;

pub use table::{BUILTINS, CONTROL};
pub use usage::help_lines;

/// What a word stands for. Completion offers the live names of the kinds that have them
/// (namespaces, devices, bridges, addresses), and `help` writes each as its placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A namespace, `root` included.
    Netns,
    /// A namespace in /run/netns: not `root`, which cannot be deleted.
    NamedNetns,
    /// A name for something the statement makes.
    NewName,
    /// A device of the namespace the statement acts in.
    Device,
    /// A bridge of that namespace.
    Bridge,
    /// An address (with its prefix length) that a device of that namespace has.
    Address,
    /// An address with a prefix length, written anew.
    Prefix,
    /// A prefix or `default`, the destination of a route.
    Destination,
    /// An address without a length.
    Ip,
    Number,
    Mac,
    /// A program to run; its arguments follow.
    Program,
    File,
    Pid,
    /// The name of a builtin (`help NAME`).
    BuiltinName,
    Word,
    /// One of these values (not keywords: the grammar takes any word there).
    Choice(&'static [&'static str]),
}

impl Kind {
    /// How `help` writes a word of this kind.
    pub fn placeholder(self) -> String {
        match self {
            Kind::Netns => "NS".into(),
            Kind::NamedNetns | Kind::NewName | Kind::BuiltinName => "NAME".into(),
            Kind::Device => "DEV".into(),
            Kind::Bridge => "BR".into(),
            Kind::Address | Kind::Prefix => "CIDR".into(),
            Kind::Destination => "PREFIX|default".into(),
            Kind::Ip => "ADDR".into(),
            Kind::Number => "N".into(),
            Kind::Mac => "MAC".into(),
            Kind::Program => "PROGRAM".into(),
            Kind::File => "FILE".into(),
            Kind::Pid => "PID".into(),
            Kind::Word => "WORD".into(),
            Kind::Choice(values) => values.join("|"),
        }
    }

    /// The keywords a word of this kind may be (`default` for a route's destination).
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            Kind::Destination => &["default"],
            _ => &[],
        }
    }
}

/// An option: a keyword (`up`, `dev`) or flag (`-c`), and the kind of value it takes.
#[derive(Debug)]
pub struct Opt {
    pub word: &'static str,
    /// Other spellings the grammar takes (`protocol` for `proto`).
    pub aliases: &'static [&'static str],
    /// `None`: the option stands alone (`up`, `-q`).
    pub takes: Option<Kind>,
}

impl Opt {
    /// The option's name or one of its other spellings.
    pub fn is(&self, word: &str) -> bool {
        self.word == word || self.aliases.contains(&word)
    }
}

/// An option that stands alone: `up`, `-q`.
pub const fn flag(word: &'static str) -> Opt {
    Opt {
        word,
        aliases: &[],
        takes: None,
    }
}

/// An option followed by a value of `kind`: `mtu N`, `-c N`.
pub const fn opt(word: &'static str, kind: Kind) -> Opt {
    Opt {
        word,
        aliases: &[],
        takes: Some(kind),
    }
}

/// An operand: a word by its position, or after a keyword (`dev DEV`).
#[derive(Debug)]
pub struct Operand {
    pub kind: Kind,
    /// Keywords that may stand before it (`[dev] DEV`).
    pub keys: &'static [&'static str],
    /// Whether it must come after one of `keys` (`addr add CIDR dev DEV`).
    pub keyed_only: bool,
    /// Whether it takes every word left (`ARGS...`).
    pub repeats: bool,
}

/// An operand by position.
pub const fn arg(kind: Kind) -> Operand {
    Operand {
        kind,
        keys: &[],
        keyed_only: false,
        repeats: false,
    }
}

/// An operand a keyword may stand before: `[dev] DEV`.
pub const fn keyed(keys: &'static [&'static str], kind: Kind) -> Operand {
    Operand {
        kind,
        keys,
        keyed_only: false,
        repeats: false,
    }
}

/// An operand that comes after its keyword: `dev DEV`.
pub const fn after(key: &'static [&'static str], kind: Kind) -> Operand {
    Operand {
        kind,
        keys: key,
        keyed_only: true,
        repeats: false,
    }
}

/// Every word left: `ARGS...`, `PID...`.
pub const fn many(kind: Kind) -> Operand {
    Operand {
        kind,
        keys: &[],
        keyed_only: false,
        repeats: true,
    }
}

/// One form of a builtin: a subcommand (or none) with its operands and options.
#[derive(Debug)]
pub struct Form {
    /// The subcommand (`add`), or "" for a form without one (`netns NAME { }`, `ping DEST`).
    pub sub: &'static str,
    /// Other spellings of the subcommand (`delete`, `ls`).
    pub aliases: &'static [&'static str],
    /// The operands, in order.
    pub operands: &'static [Operand],
    /// Options, in any order among the operands.
    pub options: &'static [Opt],
    /// What follows `NAME SUB` in each line `help` prints; after ` # `, a note. Its words are
    /// the form's (a test checks); options it leaves out `help` lists after it.
    pub usage: &'static [&'static str],
    /// Only as the condition of `if` (`netns exists NAME`).
    pub cond: bool,
    /// Its options are the statements of its block (`bridge NAME { port DEV; addr CIDR }`).
    pub block_items: bool,
}

/// A form with nothing: the base the table's entries fill in.
pub const FORM: Form = Form {
    sub: "",
    aliases: &[],
    operands: &[],
    options: &[],
    usage: &[""],
    cond: false,
    block_items: false,
};

impl Form {
    /// The subcommand's name or one of its other spellings.
    pub fn is(&self, word: &str) -> bool {
        !self.sub.is_empty() && (self.sub == word || self.aliases.contains(&word))
    }

    pub fn option(&self, word: &str) -> Option<&'static Opt> {
        // The table is static; so is every form in it.
        let options: &'static [Opt] = self.options;
        options.iter().find(|o| o.is(word))
    }
}

/// A builtin verb of the language.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    /// Other names (`address` for `addr`).
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    /// Options before the subcommand (`ip -n NS`, `route -6`).
    pub options: &'static [Opt],
    pub forms: &'static [Form],
    /// Whether `ip NAME ...` is this builtin as iproute2 spells it (`ip link`).
    pub under_ip: bool,
    /// Whether it is only spelled `ip NAME ...`: `NAME` alone does not start a statement.
    pub ip_only: bool,
    pub examples: &'static [&'static str],
}

/// A builtin with nothing: the base the table's entries fill in.
pub const BUILTIN: Builtin = Builtin {
    name: "",
    aliases: &[],
    summary: "",
    options: &[],
    forms: &[],
    under_ip: false,
    ip_only: false,
    examples: &[],
};

impl Builtin {
    /// The form of subcommand `word` (any spelling), conditions of `if` included.
    pub fn form(&self, word: &str) -> Option<&'static Form> {
        let forms: &'static [Form] = self.forms;
        forms.iter().find(|f| f.is(word))
    }

    /// The form without a subcommand (`netns NAME`, `ping DEST`), if there is one.
    pub fn plain(&self) -> Option<&'static Form> {
        let forms: &'static [Form] = self.forms;
        forms.iter().find(|f| f.sub.is_empty())
    }

    pub fn option(&self, word: &str) -> Option<&'static Opt> {
        let options: &'static [Opt] = self.options;
        options.iter().find(|o| o.is(word))
    }
}

/// The builtin called `name`, or that `name` is another name of (`address`: `addr`).
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS
        .iter()
        .find(|b| b.name == name || b.aliases.contains(&name))
}

/// The builtin `ip WORD` is: its name, another name, or iproute2's prefix of its name
/// (`ip a` is `addr`, `ip l` is `link`).
pub fn under_ip(word: &str) -> Option<&'static Builtin> {
    let ip = BUILTINS.iter().filter(|b| b.under_ip);
    find(word).filter(|b| b.under_ip).or_else(|| {
        ip.into_iter()
            .find(|b| !word.is_empty() && b.name.starts_with(word))
    })
}

/// Every keyword of the language: builtins, their subcommands, options and the keywords
/// before operands, other names of all of these, and control words; not flags (`-n`) and
/// not the values of a `Choice`. The grammar's keyword rules hold the same set (tests.rs).
pub fn keywords() -> std::collections::BTreeSet<&'static str> {
    let mut all = words();
    all.retain(|w| !w.starts_with('-'));
    all
}

/// `keywords()` and the flags.
pub(crate) fn words() -> std::collections::BTreeSet<&'static str> {
    let mut all = std::collections::BTreeSet::new();
    all.extend(CONTROL);
    for b in BUILTINS {
        all.insert(b.name);
        all.extend(b.aliases);
        all.extend(b.options.iter().flat_map(opt_words));
        for f in b.forms {
            if !f.sub.is_empty() {
                all.insert(f.sub);
            }
            all.extend(f.aliases);
            all.extend(f.options.iter().flat_map(opt_words));
            for o in f.operands {
                all.extend(o.keys);
                all.extend(o.kind.keywords());
            }
        }
    }
    all
}

fn opt_words(o: &Opt) -> impl Iterator<Item = &'static str> {
    std::iter::once(o.word).chain(o.aliases.iter().copied())
}

/// The subcommands of a builtin (`add`, `del`, ... for `netns`), not the conditions of `if`.
pub fn subcommands(name: &str) -> Vec<&'static str> {
    let mut subs: Vec<&'static str> = find(name)
        .into_iter()
        .flat_map(|b| b.forms.iter())
        .filter(|f| !f.sub.is_empty() && !f.cond)
        .map(|f| f.sub)
        .collect();
    subs.sort_unstable();
    subs
}

/// The whole word a grammar rule stands for in "expected ..." messages, from the table:
/// `netns_add` is `add`, `route_via` is `via`, `link_cmd` is `link`, `ip_route` is `route`.
pub fn rule_word(rule: &str) -> Option<&'static str> {
    let (head, tail) = rule.split_once('_')?;
    if head == "ip" {
        return find(tail).filter(|b| b.under_ip).map(|b| b.name);
    }
    let b = find(head)?;
    if tail == "cmd" {
        return Some(b.name);
    }
    if let Some(f) = b.form(tail) {
        return Some(f.sub);
    }
    b.forms
        .iter()
        .flat_map(|f| f.options.iter())
        .chain(b.options)
        .find(|o| o.is(tail))
        .map(|o| o.word)
}

/// The table's spelling of a subcommand any builtin has (`delete`: `del`), or `word`.
pub fn canonical(word: &str) -> &str {
    let forms = || BUILTINS.iter().flat_map(|b| b.forms.iter());
    if forms().any(|f| f.sub == word) {
        return word;
    }
    forms().find(|f| f.is(word)).map_or(word, |f| f.sub)
}

/// The options of `builtin`'s form `sub` ("" for the form without one) for "expected ..."
/// messages: with `valued`, those that take a value (`-c N`); else those that stand alone.
pub fn options_of(builtin: &str, sub: &str, valued: bool) -> Vec<&'static str> {
    let form = find(builtin).and_then(|b| {
        if sub.is_empty() {
            b.plain()
        } else {
            b.form(sub)
        }
    });
    form.into_iter()
        .flat_map(|f| f.options.iter())
        .filter(|o| o.takes.is_some() == valued)
        .map(|o| o.word)
        .collect()
}

/// The builtin closest in spelling to `word`, if one is close enough to be a likely typo.
pub fn nearest(word: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .map(|b| (distance(word, b.name), b.name))
        .filter(|(d, name)| *d <= 2 && *d < name.len())
        .min()
        .map(|(_, name)| name)
}

/// The subcommand of `builtin` closest in spelling to `word` (`ad` for `netns`: `add`), if
/// `word` is not one itself and one is close enough to be a likely typo.
pub fn nearest_subcommand(builtin: &str, word: &str) -> Option<&'static str> {
    if find(builtin).and_then(|b| b.form(word)).is_some() {
        return None;
    }
    subcommands(builtin)
        .into_iter()
        .map(|s| (distance(word, s), s))
        .filter(|(d, s)| *d <= 2 && *d < s.len() && *d < word.len().max(2))
        .min()
        .map(|(_, s)| s)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
