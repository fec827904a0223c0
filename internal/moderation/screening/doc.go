// Package screening is the automatic first look at messages in a migraine
// support community: it matches rules (misinformation, medical shaming,
// harassment, spam, crisis) against a message and says what to do with it.
//
// It is pure logic: no HTTP, no database. Callers compile a rule set once
// (BuiltinPack plus a tenant's own TermRules) and screen every message with
// the resulting Engine, which is safe for concurrent use.
//
// # How a message is read
//
//  1. Normalise once into tokens: case folded, accents stripped (NFKD),
//     look-alike Cyrillic and Greek letters mapped, invisible characters
//     dropped, apostrophes joined ("don't" → "dont"), digit and symbol swaps
//     undone in tokens that mix letters with digits ("f4k1ng" → "faking",
//     with "1" read as both i and l) but never in plain numbers or a number
//     with a unit ("400mg" stays 400 and mg), web addresses turned into one
//     "<link>" token, and sentences, clauses and closed quotes recorded.
//  2. Look each token up once in the vocabulary of every rule word. A
//     token can stand for several words: a chat spelling ("u", "ur"), its
//     squeezed form when stretched ("faaaking", never a real double letter
//     like "all"), or a word spelled out letter by letter starting there
//     ("c.u.r.e", "k y s", "a c u r e").
//  3. Walk a token trie holding every rule's phrases at once. Patterns are
//     compiled into it as they are: alternatives rejoin through empty edges,
//     so word lists cost their length, not their product. Words no rule
//     uses cost one map lookup and nothing else; a benign message
//     allocates nothing.
//  4. Only when something matched, read the context around it in its own
//     sentence: negation a few words before ("there is no cure", "not just
//     a headache", "nobody is faking"; not "no wonder"), reported speech
//     ("my aunt said", "people tell me"; not "I think", which is the
//     writer's own view, nor "tell her", an order), quoted words with a
//     speech verb nearby, questions ("is there a cure?"; not "did you
//     know ...?"), distant past ("years ago", "used to") and hypotheticals
//     ("if I ever", "reminder"). Each rule says what each context does to
//     it: nothing, suppress it, or downgrade it to the review queue.
//
// # Crisis policy
//
// Recall first. Self-harm language is never suppressed by quotes,
// questions or "if": a conditional threat is still a threat ("if the pain
// doesn't ease I'm going to end it tonight"), and "is it normal to want
// to die during an attack?" needs a person. A negation elsewhere in the
// sentence changes nothing; only a negation of the words themselves
// ("I'm not going to hurt myself") or a clearly distant past ("years ago",
// "used to"; not "last week") lowers it, and then to the review queue, so
// a person still reads it. Obfuscated spellings (digits for letters,
// dotted or spaced letters, full-width text) are read as the words they
// spell. A message about someone else in danger ("my daughter says she
// wants to die") raises the crisis lane too: the writer gets the notice.
// Idioms that read like self-harm ("end it with my boyfriend", "can't do
// this anymore without my ice pack") are listed per rule (Rule.Unless),
// not guessed.
//
// Emergency red flags (a drooping face, slurred speech, sudden one-sided
// weakness, sudden loss of sight in one eye, the worst headache of one's
// life) are written as something happening to the writer or someone with
// them, so a general question ("can aura cause numbness on one side?")
// does not match. Negation ("no face drooping"), distant past and
// hypotheticals suppress them, which is how members describe their
// history; one asked as a question ("my face is drooping, is this a
// migraine?") still goes to the crisis lane.
//
// Telling someone to kill themselves is harassment (held, high severity),
// not the crisis lane, which is for people who may be in danger
// themselves.
//
// # Concepts
//
// The built-in rules are written over a concept layer (concepts.go): a
// medication lexicon by class (triptans, gepants, ditans, CGRP
// antibodies, preventives, NSAIDs, paracetamol, combination analgesics,
// opioids, ergots), actions (stop, cold turkey, double, take), amounts
// and frequencies, supervision cues, authority and conspiracy cues, and
// body parts and symptoms for red flags. "STOP + PREVENTIVE −
// SUPERVISED" is "{stop} ... {preventive}" with Contexts.Supervised set
// to suppress, so a new drug name or verb is one lexicon line.
//
// # Limits
//
// Rules match phrases, not meaning. On messages written after the rules
// were frozen (HoldoutCorpus) precision stays high but recall is far
// lower than on the tuning corpus: new phrasings are missed until someone
// adds them. Treat the engine as a precise first pass in front of member
// reports and moderators, not as the whole of moderation.
package screening
