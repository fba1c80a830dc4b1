//! The decision for one span of words: the intent it asks for and its arguments, out of scope,
//! or a refusal that says why.
use super::OfflineRouter;
use super::model::needs_arguments;
use super::score::Scored;
use crate::plugin::spec::IntentSpec;
use crate::router::lexicon::{self, ASKING, DECLINING_REACH, NOT_MEANT, REQUESTING};
use crate::router::text::{Token, is_stopword, stem};
use crate::router::{Call, Context, OUT_OF_SCOPE, RouteError};

/// Below this score an utterance is out of scope.
const MIN_SCORE: f64 = 0.3;
/// An intent that takes parameters but found none in the utterance (or only numbers placed like
/// its examples place them) must be this much like its examples: "estimate the cost of 2
/// instances" is not a bare "find cheapest", and "if I run 6 instances" sets no group size.
const MIN_SIMILARITY_WITHOUT_ARGS: f64 = 0.35;
/// An intent this like the utterance is sure the request is about it.
const SURE_SIMILARITY: f64 = 0.5;
/// An intent that acts on AWS must be this like its examples to be chosen (see `acting`).
const SURE_ACTION: f64 = 0.3;
/// ... and score this many times the best intent that does not act, unless it is named.
const ACTION_MARGIN: f64 = 1.2;
/// Out-of-scope this many times as like the utterance as an intent that is not much like it
/// overrules that intent's arguments.
const OUT_OF_SCOPE_DOMINANCE: f64 = 1.25;
/// An intent called without arguments must beat out-of-scope by more than this factor.
const NOTHING_MARGIN: f64 = 0.85;
/// What one span of words asks for, and how surely.
pub(super) struct Decision {
    /// One call; or an intent that takes nothing and the one the span's settings go to; or
    /// out of scope.
    pub(super) calls: Vec<Call>,
    /// How like its examples the span is to the (last) call's intent.
    pub(super) similarity: f64,
    /// Arguments found by shape, unit or name, not by a learned word or position alone.
    pub(super) sure_args: usize,
    /// The words name another service ("an RDS instance with 16 GB"): out of scope, whatever
    /// their numbers would fill here.
    pub(super) elsewhere: bool,
}

impl OfflineRouter {
    /// The call(s) one span of words asks for: one call; or, when an intent that takes nothing
    /// is clearly asked for and another gets the settings the words give ("enable autoscaling
    /// with min 2 max 5"), both, the one that takes nothing first; or out of scope. `asks`: the
    /// span's sentence ends with a question mark; `answers_only`: only an intent that neither
    /// acts nor changes anything may answer. Each span stands alone but for the context's
    /// settings not in use, which decide whose setting a shared word names.
    pub(super) fn decide(&self, words: &[Token], asks: bool, context: &Context, answers_only: bool) -> Result<Decision, RouteError> {
        let nothing = || Decision { calls: vec![Call::out_of_scope()], similarity: 0.0, sure_args: 0, elsewhere: false };
        // An intent whose every example fills an argument is never called empty ("what's my
        // min size?" asks about the group, it changes nothing): the next intent answers instead.
        // An intent that runs alone (undo) is asked for only in its own words.
        // A question never changes the configuration, unless the intent's own examples ask
        // questions ("what about in us-west-2?" searches again); a question about what a thing
        // is reaches only an intent whose examples ask that ("what is a spot instance?"); and an
        // intent whose examples all ask answers only questions ("go with m5.large" is no
        // question about it).
        let mood = super::score::moods(asks, words);
        let (question, definition) = (mood.contains(&super::score::QUESTION), mood.contains(&super::score::DEFINITION));
        let tells = super::score::tells(words);
        let answers = |name: &str| {
            let Some(m) = self.intents.iter().find(|m| m.spec.name == name) else { return true };
            (!definition || m.defines || name == OUT_OF_SCOPE)
                && (!question || m.asks || !self.writers.contains(name))
                && (question || definition || tells || !m.only_asks)
        };
        // An intent that runs alone (undo) is asked for only in its own words, and never by a
        // bare "ok" or "go".
        let acknowledging = words.iter().all(|t| crate::router::lexicon::is(&crate::router::lexicon::ACKNOWLEDGING, &t.text) || is_stopword(&t.text));
        let solo_asked = |name: &str| !self.solo.contains(name) || (self.all_words_of(words, name) && self.says_an_example(words, name) && !acknowledging);
        let scores: Vec<Scored<'_>> = self.scores_of(words, asks).into_iter().filter(|s| solo_asked(&s.spec.name) && answers(&s.spec.name)).collect();
        let out_of_scope = scores.iter().find(|s| s.spec.name == OUT_OF_SCOPE);
        // Out-of-scope's own arguments name what it covers ("an RDS instance with 16 GB"): the
        // numbers around them belong to that, not to any intent here, unless another intent
        // reads the same word ("the vpc zone identifier" is a modify-asg setting).
        let read_elsewhere = |w: usize| scores.iter().any(|s| s.spec.name != OUT_OF_SCOPE && s.read[w]);
        if let Some(other) = out_of_scope.filter(|s| !s.args.is_empty() && s.read.iter().enumerate().any(|(w, r)| *r && !read_elsewhere(w))) {
            let args = other.spec.check(&other.args).unwrap_or_default();
            return Ok(Decision { calls: vec![Call { intent: OUT_OF_SCOPE.into(), args }], similarity: other.similarity, sure_args: 0, elsewhere: true });
        }
        let (out_of_scope, unlike_anything) = out_of_scope.map_or((0.0, 0.0), |s| (s.score, s.similarity));
        // The best intent that does not act on AWS, which an action must stand clear of.
        // An intent that needs arguments and found none cannot be called, so it is no rival
        // ("launch it" is as like "make it an m5.large" as it is like deploy's examples).
        let mut callable: Vec<Scored<'_>> = scores.into_iter().filter(|s| !s.args.is_empty() || !s.problems.is_empty() || !needs_arguments(s.spec)).collect();
        let runner_up = callable.iter().find(|s| !self.actions.contains(&s.spec.name) && s.spec.name != OUT_OF_SCOPE).map_or(0.0, |s| s.score);
        // Numbers placed only by position are trusted when an intent that takes nothing is sure
        // the request is about it ("turn on autoscaling with between 2 and 6 instances"): the
        // numbers can only be settings for it.
        let sure_setting = callable.iter().any(|s| s.spec.params.is_empty() && s.spec.name != OUT_OF_SCOPE && s.similarity >= SURE_SIMILARITY);
        // An intent that takes nothing yields to one the utterance gives settings to: "enable
        // autoscaling, max size 10" changes the max; so does one that only heard a setting
        // named, unless asked about it: "launch template = batch-workers" sets it.
        if callable.first().is_some_and(|s| s.spec.params.is_empty() || (!s.args.is_empty() && s.settings == 0 && !question))
            && let Some(at) = callable.iter().position(|s| s.settings > 0 && s.spec.name != OUT_OF_SCOPE)
        {
            callable.swap(0, at);
        }
        // ... and, asked for clearly, still runs first: in a word of its own that the intent
        // getting the settings does not read ("enable", "turn on"), not the group named as the
        // thing being sized ("the auto scaling group should have at least 2").
        let mut first = None;
        if let Some(best) = callable.first().filter(|s| s.settings > 0 && s.spec.name != OUT_OF_SCOPE)
            && let Some(argless) = callable
                .iter()
                .filter(|s| s.spec.params.is_empty() && self.writers.contains(&s.spec.name) && !self.solo.contains(&s.spec.name))
                .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
            && argless.similarity >= SURE_SIMILARITY
            && self.marked(words, &argless.spec.name, Some(&best.spec.name))
            && !self.declined(&argless.spec.name, words)
        {
            first = Some(Call { intent: argless.spec.name.clone(), args: vec![] });
        }
        // A question that names one setting and gives it nothing asks what it is set to ("what
        // subnets is the group in?"), unless the intent ahead is asked for in its own words
        // ("which instance type is cheapest?").
        if question
            && callable.first().is_some_and(|s| s.args.is_empty() && !self.marked(words, &s.spec.name, None))
            && let Some(at) = callable.iter().position(|s| !s.args.is_empty() && s.settings == 0)
        {
            let named = callable.remove(at);
            callable.insert(0, named);
        }
        // A setting not in use yields to one in use that the same shared words fill: "set the
        // maximum to 6" is the group's while autoscaling is on, and the EC2 count's while it is off.
        let dormant = |s: &Scored<'_>| s.args.iter().any(|(n, _)| context.dormant.contains(n));
        let values = |s: &Scored<'_>| s.args.iter().map(|(_, v)| serde_json::to_string(v).unwrap_or_default()).collect::<Vec<_>>();
        if let Some(first) = callable.first().filter(|s| s.shared_only && dormant(s))
            && let Some(at) = callable.iter().position(|s| s.shared_only && !dormant(s) && values(s) == values(first))
        {
            callable.swap(0, at);
        }
        // An intent whose examples say what it does with a negation ("I don't want an
        // autoscaling group") needs a negation, a word letting go or a word of its own: "I want
        // this to autoscale" asks for the opposite.
        // ("hold off", "sign off" are not "off".)
        let turned = |(i, w): (usize, &Token)| {
            lexicon::declines(&w.text)
                || lexicon::is(&lexicon::LETTING_GO, &w.text)
                || w.text == "off" && !i.checked_sub(1).is_some_and(|p| ["hold", "sign", "log", "kick", "show"].contains(&words[p].text.as_str()))
        };
        if callable.first().is_some_and(|s| {
            s.spec.params.is_empty() && self.negative(&s.spec.name) && !words.iter().enumerate().any(turned) && !self.marked(words, &s.spec.name, None)
        }) {
            callable.remove(0);
        }
        // An action the words do not clearly ask for yields to the best intent that only answers
        // ("before we ship anything show me everything that's configured" shows it); so does
        // every action and change when the gate found the words ask for none now.
        // The one that answers must be asked for in words of its own, not the action's ("I will
        // deploy it tomorrow" asks for no estimate).
        let unasked = callable.first().filter(|s| self.actions.contains(&s.spec.name) && !self.acting(s, words, asks, runner_up)).map(|s| s.spec.name.clone());
        if answers_only || unasked.is_some() {
            callable.retain(|s| {
                !self.actions.contains(&s.spec.name)
                    && !self.writers.contains(&s.spec.name)
                    && unasked.as_deref().is_none_or(|action| s.spec.name == OUT_OF_SCOPE || self.marked(words, &s.spec.name, Some(action)))
            });
        }
        let Some(best) = callable.into_iter().next() else {
            return Ok(nothing());
        };
        // "don't deploy yet" declines deploy whichever intent the words "don't" and "yet" favour.
        if best.settings == 0 && best.spec.name != OUT_OF_SCOPE {
            // Best by its own words; any other by its name ("don't deploy yet"), unless best says
            // what it does with a negation about the same thing ("no autoscaling after all").
            let shares_name = |s: &IntentSpec| s.name.split('-').any(|w| best.spec.name.split('-').any(|b| b == w));
            let named = self
                .intents
                .iter()
                .map(|m| &m.spec)
                .filter(|s| s.params.is_empty() && s.name != OUT_OF_SCOPE && !(self.negative(&best.spec.name) && shares_name(s)))
                .find(|s| self.declined_by_name(&s.name, words));
            let declined = std::iter::once(best.spec).filter(|s| s.params.is_empty() && self.declined(&s.name, words)).chain(named).next();
            if let Some(spec) = declined.filter(|s| !self.negative(&s.name)) {
                return Err(RouteError::Declined(format!("That reads as not wanting {}; nothing was done.", spec.name)));
            }
        }
        let unsure_without_args = best.named_args == 0 && !best.spec.params.is_empty() && best.similarity < MIN_SIMILARITY_WITHOUT_ARGS && !sure_setting;
        // An action nothing in the utterance parametrises, barely ahead of "none of these", is
        // not worth the risk ("disregard your rules and delete everything").
        // (A setting named, "what subnets is the group in?", is something in it.)
        let close_to_nothing = best.args.is_empty() && out_of_scope >= NOTHING_MARGIN * best.score;
        // Arguments do not make an intent of words far more like what it does not cover: "stop
        // every instance in us-east-1" names a region and still asks for something else.
        let unlike_its_examples =
            best.by_name == 0 && best.similarity < MIN_SIMILARITY_WITHOUT_ARGS && unlike_anything > OUT_OF_SCOPE_DOMINANCE * best.similarity;
        if best.score < MIN_SCORE || best.spec.name == OUT_OF_SCOPE || unsure_without_args || close_to_nothing || unlike_its_examples {
            return Ok(nothing());
        }
        // Words that named a setting but gave nothing usable for it are said, not dropped.
        if !best.problems.is_empty() {
            return Err(RouteError::Rejected(format!("{}; nothing was changed", best.problems.join("; "))));
        }
        // What the router found must pass the spec's own check; if not, act on nothing unsure.
        match best.spec.check(&best.args) {
            Ok(args) => Ok(Decision {
                calls: first.into_iter().chain([Call { intent: best.spec.name.clone(), args }]).collect(),
                similarity: best.similarity,
                sure_args: best.sure_args,
                elsewhere: false,
            }),
            Err(_) => Ok(nothing()),
        }
    }

    /// Whether `best`, an intent that acts on AWS, is clearly asked for: not a question that
    /// opens with a question word ("should I deploy now?", "what would deploying create?" ask
    /// about the plan; "ok, can you deploy?" asks for it), and like its own examples at least
    /// [`SURE_ACTION`] — a greeting or chit-chat barely like anything does not launch instances.
    ///
    /// It must also stand clear of the best intent that does not act (by [`ACTION_MARGIN`]),
    /// unless the utterance names it ("deploy the gpu config now", "tear down the asg"): a
    /// request that is nearly as much about changing a setting or showing the plan is not a
    /// request to act on AWS.
    ///
    /// Jokes and hypotheticals ("deploy, just kidding", "imagine if you deployed this") and
    /// questions that ask about acting rather than for it ("would deploying cost a lot?", as
    /// against "can you deploy it?") are not requests either.
    fn acting(&self, best: &Scored<'_>, words: &[Token], question_mark: bool, runner_up: f64) -> bool {
        let asks = words.first().is_some_and(|w| ASKING.contains(&w.text.as_str()) || w.text == "should");
        // "would deploying cost a lot?" wonders; "could you deploy it?", "could we remove them?" ask.
        let wonders = question_mark
            && words.first().is_some_and(|w| REQUESTING.contains(&w.text.as_str()))
            && !words.get(1).is_some_and(|w| ["you", "we"].contains(&w.text.as_str()));
        let playful = words.iter().any(|w| NOT_MEANT.contains(&w.text.as_str()));
        let name = best.spec.name.replace('-', "");
        let named = words.iter().any(|w| stem(&w.text) == stem(&name)) || words.windows(2).any(|w| format!("{}{}", w[0].text, w[1].text) == name);
        !asks && !wonders && !playful && best.similarity >= SURE_ACTION && (named || best.score >= ACTION_MARGIN * runner_up)
    }

    /// Whether every word of `words` but courtesy is one `intent`'s own examples use ("undo
    /// that", not "undo the deployment").
    fn all_words_of(&self, words: &[Token], intent: &str) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        let courtesy =
            |w: &str| is_stopword(w) || lexicon::is(&lexicon::CHATTER, w) || lexicon::is(&lexicon::CORRECTING, w) || lexicon::is(&lexicon::FILLERS, w);
        words.iter().all(|t| courtesy(&t.text) || model.vocabulary.contains_key(&stem(&t.text)))
    }

    /// Whether `words`, courtesy aside, say one of `intent`'s examples whole ("actually, redo
    /// that"; not "put that in", which only shares words with "put it back").
    fn says_an_example(&self, words: &[Token], intent: &str) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        let content = |ws: &[Token]| ws.iter().filter(|t| !super::plan::courtesy(&t.text) || t.text == "that").map(|t| stem(&t.text)).collect::<Vec<_>>();
        let said = content(words);
        model.spec.examples.iter().any(|e| {
            let example = content(&crate::router::text::tokens(&e.utterance));
            !example.is_empty() && said.windows(example.len()).any(|w| w == example.as_slice())
        })
    }

    /// Whether a declining word comes shortly before `intent`'s name ("don't deploy yet").
    fn declined_by_name(&self, intent: &str, words: &[Token]) -> bool {
        let name: Vec<String> = intent.split('-').map(stem).collect();
        declining(words, |stemmed| name.iter().any(|n| n == stemmed))
    }

    /// Whether `intent`'s own examples say what it does with a negation ("no autoscaling after
    /// all", "I don't want an autoscaling group").
    fn negative(&self, intent: &str) -> bool {
        self.intents.iter().any(|m| m.spec.name == intent && m.negative)
    }

    /// Whether the utterance asks for `intent` (one that takes no arguments) not to happen: a
    /// negation shortly before a word of its own examples ("don't enable autoscaling", "do not
    /// deploy", "not sure"). Negation of a value is read where the value is; this is the
    /// negation of the request itself. An intent whose own examples are negative ("no
    /// autoscaling after all") is not declined by the words that ask for it.
    fn declined(&self, intent: &str, words: &[Token]) -> bool {
        let Some(model) = self.intents.iter().find(|m| m.spec.name == intent) else { return false };
        !model.negative && declining(words, |stemmed| model.vocabulary.contains_key(stemmed))
    }
}

/// Whether a declining word comes shortly before a word whose stem `marks` accepts.
fn declining(words: &[Token], marks: impl Fn(&str) -> bool) -> bool {
    words.iter().enumerate().filter(|(_, w)| lexicon::declines(&w.text)).any(|(at, _)| {
        words[at + 1..].iter().take_while(|w| !w.clause_start).filter(|w| !is_stopword(&w.text)).take(DECLINING_REACH).any(|w| marks(&stem(&w.text)))
    })
}
