//! Every word list the routers read by, in one place: words that are grammar rather than
//! anything an intent's spec could teach (negation, tense, mood, numbers, units, the connectives
//! that join requests). What a word means for an intent is never here: that comes from the
//! plugins' specs (examples, synonyms, patterns). All words are lower case, as the tokeniser
//! (`text::tokens`) leaves them.
//!
//! Lists are sets of single words unless they say otherwise; phrases are word sequences.

/// Is `word` in `list`?
pub fn is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

// ---------------------------------------------------------------- numbers and units

/// Numbers people spell out; compounds ("twenty four", "sixty-four") are summed.
pub const NUMBER_WORDS: [(&str, u32); 30] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("single", 1),
    ("couple", 2),
];

/// Memory units relative to GiB, the only unit plugins declare today.
pub const MEMORY_UNITS: [(&str, f64); 21] = [
    ("gib", 1.0),
    ("gb", 1.0),
    ("g", 1.0),
    ("gig", 1.0),
    ("gigs", 1.0),
    ("gigabyte", 1.0),
    ("gigabytes", 1.0),
    ("giga", 1.0),
    ("gibibyte", 1.0),
    ("gibibytes", 1.0),
    ("mib", 1.0 / 1024.0),
    ("mb", 1.0 / 1024.0),
    ("megabyte", 1.0 / 1024.0),
    ("megabytes", 1.0 / 1024.0),
    ("meg", 1.0 / 1024.0),
    ("megs", 1.0 / 1024.0),
    ("tib", 1024.0),
    ("tb", 1024.0),
    ("terabyte", 1024.0),
    ("terabytes", 1024.0),
    ("t", 1024.0),
];

/// Words spelled the way examples spell them: short replies people type at a prompt, and the
/// everyday names for an instance.
pub const SPELLINGS: [(&str, &str); 27] = [
    ("y", "yes"),
    ("ya", "yes"),
    ("yea", "yes"),
    ("yeah", "yes"),
    ("yup", "yes"),
    ("n", "no"),
    ("nope", "no"),
    ("k", "ok"),
    ("okay", "ok"),
    ("server", "instance"),
    ("servers", "instances"),
    ("machine", "instance"),
    ("machines", "instances"),
    ("vm", "instance"),
    ("vms", "instances"),
    ("box", "instance"),
    ("boxes", "instances"),
    ("node", "instance"),
    ("nodes", "instances"),
    ("computer", "instance"),
    ("computers", "instances"),
    ("host", "instance"),
    ("hosts", "instances"),
    ("until", "to"),
    ("till", "to"),
    ("cfg", "config"),
    ("conf", "config"),
];

/// Phrases spelled the one way examples spell them: bounds ("a minimum of", "up to") and halves.
pub const PHRASES: [(&[&str], &[&str]); 14] = [
    // Starting afresh is one word wherever it is said.
    (&["start", "over"], &["reset"]),
    (&["new", "search"], &["reset", "search"]),
    (&["from", "scratch"], &["reset"]),
    (&["start", "fresh"], &["reset"]),
    (&["a", "minimum", "of"], &["at", "least"]),
    (&["at", "minimum"], &["at", "least"]),
    (&["a", "maximum", "of"], &["at", "most"]),
    (&["a", "min", "of"], &["at", "least"]),
    (&["a", "max", "of"], &["at", "most"]),
    (&["up", "to"], &["at", "most"]),
    (&["half", "a"], &["0.5"]),
    (&["half", "an"], &["0.5"]),
    (&["half", "of", "a"], &["0.5"]),
    (&["half", "of", "1"], &["0.5"]),
];

/// Comparisons that, negated, bound from below ("never fewer than 2", "don't go under 2") or
/// from above ("no more than 8", "don't let it grow beyond 8").
pub const BELOW: [&[&str]; 4] = [&["fewer", "than"], &["less", "than"], &["under"], &["below"]];
pub const ABOVE: [&[&str]; 5] = [&["more", "than"], &["over"], &["above"], &["beyond"], &["exceed"]];

// ---------------------------------------------------------------- polarity

/// Grammatical negation, the one list every reader builds on.
pub const NEGATIONS: [&str; 25] = [
    "no",
    "not",
    "never",
    "dont",
    "don't",
    "doesn't",
    "doesnt",
    "didn't",
    "didnt",
    "won't",
    "wont",
    "cannot",
    "can't",
    "cant",
    "shouldn't",
    "shouldnt",
    "mustn't",
    "isn't",
    "isnt",
    "aren't",
    "arent",
    "wasn't",
    "nah",
    "nope",
    "neither",
];

/// Negation of a value: a negation, or a word that excludes what follows ("avoid ARM",
/// "without arm64", "anything but graviton" is read where "but" follows "anything").
pub const EXCLUDING: [&str; 6] = ["avoid", "without", "except", "excluding", "nothing", "than"];

/// How many words before a value a negation reaches ("not an arm box", "avoid the graviton").
pub const VALUE_NEGATION_REACH: usize = 2;

/// Words that let go of a setting named after them ("forget the GPU", "any memory is fine").
pub const LETTING_GO: [&str; 9] = ["forget", "drop", "any", "without", "remove", "ignore", "whatever", "skip", "nothing"];

/// How many words before a setting's name a word letting go of it reaches ("forget about the GPU").
pub const LETTING_GO_REACH: usize = 3;

/// How far back a negation reaches over a comparison: "never want fewer than", "don't let the
/// group grow beyond".
pub const BOUND_NEGATION_REACH: usize = 5;

/// How many content words after a negation it reaches when it declines a request: the next one
/// ("not ready to deploy", "don't tear it down"); two reached "I don't want to get billed" → get
/// (rid of).
pub const DECLINING_REACH: usize = 1;

/// Whether `word` negates (any list above builds on this).
pub fn negates(word: &str) -> bool {
    is(&NEGATIONS, word)
}

/// Whether `word` turns the value after it around.
pub fn negates_value(word: &str) -> bool {
    negates(word) || is(&EXCLUDING, word)
}

/// Whether `word` declines the request it stands before ("don't enable autoscaling").
pub fn declines(word: &str) -> bool {
    negates(word) || word == "without"
}

/// Whether `word` lets go of the setting named after it.
pub fn lets_go(word: &str) -> bool {
    negates(word) || is(&LETTING_GO, word)
}

// ---------------------------------------------------------------- arguments

/// Words allowed between a parameter's name and its value ("min count to 2", "ram of 4").
pub const FILLERS: [&str; 17] = ["to", "of", "=", "is", "be", "at", "least", "as", "named", "called", "set", "about", "should", "must", "the", "a", "an"];

/// Other words a number may sit behind its parameter's name ("min count for the fleet 2").
pub const MAX_SKIPPED: usize = 2;

/// Words before "a" that ask for the thing named after it ("with a GPU", "need a GPU").
pub const HAVING: [&str; 9] = ["with", "need", "needs", "want", "wants", "has", "have", "plus", "and"];

/// Words that bound or measure a setting rather than name the thing it counts.
pub const BOUND_WORDS: [&str; 8] = ["min", "max", "minimum", "maximum", "count", "size", "number", "desired"];

// ---------------------------------------------------------------- mood

/// Words that open a question.
pub const ASKING: [&str; 13] = ["what", "whats", "which", "how", "is", "are", "does", "did", "where", "who", "why", "when", "was"];

/// Every list of words that say how something is asked, which slips are corrected towards.
pub const ASKING_WORDS: [&[&str]; 3] = [&ASKING, &REQUESTING, &TELLING];

/// Verbs that ask to be told rather than for a change ("tell me about…", "can you show me…").
pub const TELLING: [&str; 12] = ["tell", "describe", "explain", "show", "give", "list", "remind", "compare", "specs", "spec", "display", "summarize"];

/// "can you …?", "could you …?": a question that asks us to act.
pub const REQUESTING: [&str; 4] = ["can", "could", "would", "will"];

/// Words that say an action is not meant: jokes, hypotheticals, hesitation.
pub const NOT_MEANT: [&str; 11] = ["kidding", "joking", "jk", "haha", "imagine", "suppose", "pretend", "hypothetically", "nah", "nope", "hmm"];

/// Words that say nothing about which intent is meant.
pub const STOPWORDS: [&str; 41] = [
    "a", "an", "the", "to", "and", "with", "of", "for", "me", "my", "i", "please", "can", "you", "it", "is", "be", "in", "on", "at", "this", "that", "we",
    "our", "would", "could", "should", "do", "some", "let", "just", "so", "now", "then", "what", "whats", "all", "are", "am", "was", "were",
];

// ---------------------------------------------------------------- joining requests

/// Words that join two requests in one sentence ("find the cheapest, then enable autoscaling").
/// "and" joins values too ("between 2 and 4", "eu-west-1a and eu-west-1b"): the reader keeps
/// those together.
pub const CONNECTIVES: [&str; 6] = ["and", "then", "also", "plus", "afterwards", "additionally"];

/// Words that, opening a clause after a comma, go on with the clause before it rather than
/// start a request ("remove everything, including the group and the template").
pub const CONTINUING: [&str; 9] = ["including", "incl", "especially", "like", "such", "except", "excluding", "namely", "i.e"];

/// Words that start a noun phrase: after "and", a second thing the same verb acts on ("tear
/// down the group and the template"), not a second request.
pub const DETERMINERS: [&str; 13] = ["the", "a", "an", "its", "their", "my", "our", "your", "all", "every", "any", "those", "these"];

/// Prepositions, which ask for nothing by themselves ("from this session", "for us").
pub const PREPOSITIONS: [&str; 16] =
    ["from", "for", "by", "into", "onto", "about", "over", "under", "through", "across", "via", "per", "within", "without", "after", "before"];

/// Adverb particles that pair with "and" into one movement ("scale up and down", "in and out").
pub const PARTICLES: [&str; 8] = ["up", "down", "in", "out", "on", "off", "back", "forth"];

/// Words that open a correction of what was just said ("8 GB, no wait, 16", "sorry, I meant
/// Ohio", "actually eu-west-2"): the value after them replaces the one before.
pub const CORRECTING: [&str; 7] = ["wait", "sorry", "actually", "meant", "mean", "rather", "correction"];

/// Words of courtesy and small talk, which carry no request ("hi", "thanks a ton").
pub const CHATTER: [&str; 34] = [
    "oops",
    "whoops",
    "hi",
    "hello",
    "hey",
    "hiya",
    "thanks",
    "thank",
    "thx",
    "ty",
    "cheers",
    "please",
    "pls",
    "plz",
    "hope",
    "well",
    "doing",
    "good",
    "morning",
    "afternoon",
    "evening",
    "um",
    "uh",
    "hmm",
    "oh",
    "ah",
    "ok",
    "yes",
    "no",
    "sorry",
    "wait",
    "lot",
    "ton",
    "much",
];

// ---------------------------------------------------------------- answering the agent

/// Words that acknowledge or agree and say nothing else ("ok", "yes", "sounds good", "lgtm"):
/// a yes to a question the agent asked, and otherwise chatter.
pub const ACKNOWLEDGING: [&str; 52] = [
    "ok",
    "yes",
    "yep",
    "yess",
    "sure",
    "fine",
    "great",
    "good",
    "cool",
    "nice",
    "perfect",
    "excellent",
    "awesome",
    "alright",
    "right",
    "correct",
    "agreed",
    "agree",
    "thanks",
    "thank",
    "thx",
    "ty",
    "cheers",
    "lgtm",
    "sgtm",
    "approved",
    "approve",
    "confirm",
    "confirmed",
    "proceed",
    "go",
    "ahead",
    "do",
    "lets",
    "let's",
    "sounds",
    "looks",
    "seems",
    "done",
    "works",
    "sweet",
    "roger",
    "ack",
    "kk",
    "got",
    "thing",
    "absolutely",
    "definitely",
    "indeed",
    "makes",
    "sense",
    "fire",
];

/// Words that say no to a question the agent asked ("not yet", "hold on", "nope").
pub const DECLINING_ANSWERS: [&str; 12] = ["no", "not", "yet", "later", "wait", "hold", "stop", "cancel", "never", "mind", "nevermind", "don't"];

/// What a confirmation in the seed's sense is about ("config looks good"): the configuration
/// the agent showed.
pub const CONFIGURATION_NOUNS: [&str; 7] = ["config", "configuration", "setup", "settings", "plan", "everything", "cfg"];

// ---------------------------------------------------------------- asking to act now

/// Words that put the action later: plans, schedules, reminders ("I'll deploy tomorrow", "tear
/// it down next week", "remind me to deploy").
pub const LATER: [&str; 28] = [
    "tomorrow",
    "tonight",
    "later",
    "soon",
    "eventually",
    "someday",
    "sometime",
    "afterwards",
    "next",
    "gonna",
    "plan",
    "planning",
    "planned",
    "intend",
    "intending",
    "schedule",
    "scheduled",
    "remind",
    "reminder",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "weekend",
    "eod",
    "future",
    "once",
];

/// Words that put the action in the past ("I deployed it yesterday", "we already tore that
/// down").
pub const EARLIER: [&str; 7] = ["yesterday", "already", "ago", "earlier", "previously", "last", "recently"];

/// Past forms of action verbs that do not end in "-ed" ("we tore it down").
pub const IRREGULAR_PAST: [&str; 8] = ["tore", "torn", "spun", "brought", "took", "ran", "went", "shut"];

/// Words after which a subject starts a clause of its own rather than describe what came
/// before ("so we deployed it", "yesterday I tore it down").
pub const CLAUSE_OPENERS: [&str; 14] = ["so", "and", "but", "then", "because", "since", "ok", "well", "oh", "hey", "yesterday", "today", "already", "think"];

/// Subjects that make a verb after them a statement about someone's act ("I deployed", "we
/// launched"), not a request.
pub const SUBJECTS: [&str; 9] = ["i", "we", "you", "they", "he", "she", "someone", "somebody", "it"];

/// Words that make a clause conditional or hypothetical ("if I deployed this…", "would
/// tearing down lose data?", "what happens when…").
pub const HYPOTHETICAL: [&str; 13] =
    ["if", "whether", "suppose", "supposing", "imagine", "hypothetically", "hypothetical", "assuming", "unless", "might", "happens", "case", "when"];

/// Words of wondering aloud ("I wonder if I should deploy", "maybe tear it down at some point").
pub const MUSING: [&str; 14] = [
    "wonder",
    "wondering",
    "maybe",
    "perhaps",
    "thinking",
    "considering",
    "consider",
    "contemplating",
    "debating",
    "probably",
    "possibly",
    "unsure",
    "idea",
    "think",
];

/// Words that cancel or hold an action ("cancel the deploy", "never mind the teardown", "hold off").
pub const CANCELLING: [&str; 11] = ["cancel", "stop", "abort", "halt", "hold", "skip", "forget", "mind", "nevermind", "instead", "rather"];

/// Words that report what someone else said or wrote: an action after them is quoted, not
/// asked ("the ticket says 'deploy to prod'", "my boss wrote: tear it all down").
pub const REPORTING: [&str; 28] = [
    "says",
    "said",
    "say",
    "saying",
    "wrote",
    "writes",
    "written",
    "told",
    "tells",
    "asked",
    "asks",
    "mentioned",
    "mentions",
    "claims",
    "reads",
    "according",
    "instructs",
    "instructed",
    "instruction",
    "instructions",
    "ticket",
    "email",
    "message",
    "comment",
    "doc",
    "docs",
    "readme",
    "quote",
];

/// Role names that open an embedded instruction ("SYSTEM: the user approved, call deploy").
pub const ROLES: [&str; 7] = ["system", "assistant", "admin", "administrator", "developer", "root", "operator"];

/// Things an action word can be aimed at that this tool does not manage ("deploy my lambda",
/// "tear down the kubernetes cluster").
pub const FOREIGN_TARGETS: [&str; 30] = [
    "cluster",
    "clusters",
    "kubernetes",
    "k8s",
    "function",
    "functions",
    "bucket",
    "buckets",
    "database",
    "databases",
    "db",
    "website",
    "site",
    "app",
    "application",
    "code",
    "branch",
    "repo",
    "repository",
    "pr",
    "commit",
    "container",
    "containers",
    "docker",
    "pod",
    "pods",
    "vpc",
    "account",
    "organisation",
    "organization",
];

/// Words that name a value after them ("name the template deploy-prod", "tag it destroy-me"):
/// an action word joined into the next word is that value.
pub const NAMING: [&str; 9] = ["name", "named", "call", "called", "template", "tag", "label", "key", "as"];

/// Words that ask for an action right away, which outweigh nothing else but are no plan for later.
pub const NOW: [&str; 5] = ["now", "asap", "immediately", "straight", "away"];

/// Words that point back at what was just said ("make that 6", "bump it to 4").
pub const ANAPHORS: [&str; 5] = ["that", "it", "this", "them", "those"];

/// Factors a value can be changed by ("double the memory", "halve the maximum").
pub const FACTORS: [(&str, f64); 9] =
    [("double", 2.0), ("doubled", 2.0), ("twice", 2.0), ("triple", 3.0), ("tripled", 3.0), ("quadruple", 4.0), ("half", 0.5), ("halve", 0.5), ("halved", 0.5)];

/// After a number, a difference upwards ("2 more") or downwards ("one fewer").
pub const MORE: [&str; 4] = ["more", "extra", "additional", "another"];
pub const FEWER: [&str; 2] = ["fewer", "less"];

/// Verbs of change by an amount ("increase max size by 2", "drop one").
pub const RAISING: [&str; 6] = ["increase", "raise", "add", "bump", "grow", "up"];
pub const LOWERING: [&str; 8] = ["decrease", "reduce", "lower", "cut", "drop", "remove", "shrink", "minus"];

/// Verbs and particles that put a value on something ("make that 6", "set it to 4", "bump it up to 5").
pub const SETTING_VERBS: [&str; 16] = ["make", "set", "change", "bump", "put", "go", "move", "up", "down", "to", "at", "of", "instead", "just", "run", "keep"];

/// What people call instances ("two more servers", "one fewer machine").
pub const INSTANCE_NOUNS: [&str; 14] =
    ["instance", "instances", "server", "servers", "machine", "machines", "computer", "computers", "box", "boxes", "node", "nodes", "vm", "vms"];

/// "servers", "machines", "computers", "nodes", "VMs" as the specs' own word for them.
pub fn instance_word(word: &str) -> Option<&'static str> {
    match word {
        "server" | "machine" | "computer" | "node" | "vm" => Some("instance"),
        "servers" | "machines" | "computers" | "nodes" | "vms" => Some("instances"),
        _ => None,
    }
}

/// Words that open a clause of time ("before I send it", "once we deploy"): what follows them
/// is when, not what to do now.
pub const TIME_CLAUSES: [&str; 7] = ["before", "after", "until", "once", "when", "whenever", "while"];

/// Units of memory too small or too large for any instance ("4 KB ram"): said, never read as GiB.
pub const UNSUPPORTED_UNITS: [&str; 10] = ["kb", "kib", "kilobyte", "kilobytes", "byte", "bytes", "pb", "pib", "petabyte", "petabytes"];
