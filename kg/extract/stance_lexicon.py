"""The stance vocabulary: which words express support for or opposition to a target.

Each trigger word (a lemma) maps to a :class:`StanceEntry` giving the stance
(``support`` / ``oppose``), a descriptive kind (the corpus README's list: endorse, praise,
reaffirm, welcome, agree, demand, urge, reject, condemn, criticize, accuse, deny, warn,
threaten, sanction) and a CAMEO event code.

CAMEO codes follow Schrodt, "CAMEO Conflict and Mediation Event Observations Event and
Actor Codebook", version 1.1b3 (2012): 03x express intent to cooperate (030; 036 intent
to meet or negotiate), 05x diplomatic cooperation (051 praise or endorse, 052 defend
verbally, 057 sign formal agreement), 10x demand (100; 106 withdrawal; 107 ceasefire;
108 meeting or negotiation), 11x disapprove (111 criticize or denounce, 112 accuse, 114
complain officially), 12x reject (120; 125 reject proposal to meet or negotiate), 13x
threaten (130) and 16x reduce relations (163 impose embargo, boycott or sanctions).

The word lists are ours, written from the conventions of English wire copy (Reuters, AP,
AFP, Yonhap): verbs of approval and disapproval, their nominalisations, the adjectives of
readiness and displeasure, and the light verbs that carry a stance noun ("expressed
concern", "voiced support"). They are by kind of word, never by article. ``valence`` scores a
phrase with VADER (Hutto & Gilbert, ICWSM 2014; vaderSentiment, MIT licence) adjusted by
these lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract import reporting as _reporting


@dataclass(frozen=True)
class StanceEntry:
    """What a trigger word says about its subject's stance.

    Attributes:
        stance: "support" or "oppose".
        kind: Descriptive kind (corpus README list).
        cameo: CAMEO code (Schrodt 2012), a string of digits.
    """

    stance: str
    kind: str
    cameo: str


def _table(spec: str, stance: str, kind: str, cameo: str) -> dict[str, StanceEntry]:
    entry = StanceEntry(stance, kind, cameo)
    return {word: entry for word in spec.split()}


# -- verbs (lemma -> entry); the subject holds the stance towards the object ----------------

VERBS: dict[str, StanceEntry] = {}
VERBS.update(_table("support back endorse uphold champion favor favour advocate embrace "
                    "respect cultivate sympathize sympathise", "support", "endorse", "051"))
VERBS.update(_table("defend justify", "support", "endorse", "052"))
VERBS.update(_table("welcome applaud hail invite", "support", "welcome", "051"))
VERBS.update(_table("praise commend compliment laud congratulate thank salute admire",
                    "support", "praise", "051"))
VERBS.update(_table("agree accept approve consent believe", "support", "agree", "030"))

# Verbs that are stance verbs only with a direct object ("believed Putin's denial").
DOBJ_ONLY = frozenset({"believe"})
VERBS.update(_table("reaffirm affirm", "support", "reaffirm", "051"))
VERBS.update(_table("urge press plead implore exhort encourage appeal", "support", "urge", "100"))
VERBS.update(_table("demand want", "support", "demand", "100"))
VERBS.update(_table("seek hope wish", "support", "endorse", "030"))
VERBS.update(_table("reject dismiss refuse rebuff spurn repudiate oppose resist dispute veto",
                    "oppose", "reject", "120"))
VERBS.update(_table("deny", "oppose", "deny", "120"))
VERBS.update(_table("condemn denounce decry deplore censure", "oppose", "condemn", "111"))
VERBS.update(_table("criticize criticise slam berate blast rebuke chastise scold lambaste "
                    "castigate skewer mock ridicule curse assail fault attack", "oppose", "criticize", "111"))
VERBS.update(_table("protest complain", "oppose", "criticize", "114"))
VERBS.update(_table("accuse blame", "oppose", "accuse", "112"))
VERBS.update(_table("warn caution", "oppose", "warn", "111"))
VERBS.update(_table("threaten", "oppose", "threaten", "130"))
VERBS.update(_table("sanction pressure", "oppose", "sanction", "163"))

# Verbs that are verbal disapproval only with "for" or a person subject (else a military act:
# "Russian forces attacked Kherson").
VERBAL_ONLY_WITH_FOR = frozenset({"attack"})

# Verb + particle/preposition that make a stance together ("call for", "push back on").
PHRASAL: dict[tuple[str, str], StanceEntry] = {
    ("call", "for"): StanceEntry("support", "demand", "100"),
    ("call", "on"): StanceEntry("support", "urge", "100"),
    ("call", "upon"): StanceEntry("support", "urge", "100"),
    ("insist", "on"): StanceEntry("support", "demand", "100"),
    ("ask", "for"): StanceEntry("support", "urge", "100"),
    ("push", "for"): StanceEntry("support", "demand", "100"),
    ("side", "with"): StanceEntry("support", "endorse", "051"),
    ("stick", "to"): StanceEntry("support", "reaffirm", "051"),
    ("abide", "by"): StanceEntry("support", "reaffirm", "051"),
    ("adhere", "to"): StanceEntry("support", "reaffirm", "051"),
    ("agree", "with"): StanceEntry("support", "agree", "030"),
    ("agree", "on"): StanceEntry("support", "agree", "030"),
    ("agree", "to"): StanceEntry("support", "agree", "030"),
    ("push", "back"): StanceEntry("oppose", "reject", "120"),
    ("hit", "back"): StanceEntry("oppose", "criticize", "111"),
    ("lash", "out"): StanceEntry("oppose", "criticize", "111"),
    ("take", "issue"): StanceEntry("oppose", "reject", "120"),
    ("break", "ties"): StanceEntry("oppose", "reject", "121"),
    ("object", "to"): StanceEntry("oppose", "reject", "120"),
    ("turn", "down"): StanceEntry("oppose", "reject", "120"),
    ("withdraw", "from"): StanceEntry("oppose", "reject", "121"),
    ("pull", "out"): StanceEntry("oppose", "reject", "121"),
}

# Verbs that are stance verbs only with their particle ("call for", not "called" a meeting).
PHRASAL_ONLY = frozenset({k[0] for k in PHRASAL} - set(VERBS))

# Verbs whose OBJECT holds the stance towards the SUBJECT ("Trump upset China").
CAUSATIVE: dict[str, StanceEntry] = {}
CAUSATIVE.update(_table("upset anger infuriate outrage irritate annoy alarm frustrate offend dismay "
                        "enrage irk", "oppose", "criticize", "111"))
CAUSATIVE.update(_table("please delight impress", "support", "praise", "051"))

# -- nouns; the possessor ("China's criticism"), the by/from object or the subject of the light
# verb ("expressed concern") holds the stance towards the of/for/over/to object --------------

NOUNS: dict[str, StanceEntry] = {}
NOUNS.update(_table("support backing endorsement sympathy", "support", "endorse", "051"))
NOUNS.update(_table("praise respect admiration", "support", "praise", "051"))
NOUNS.update(_table("welcome invitation", "support", "welcome", "051"))
NOUNS.update(_table("commitment readiness willingness", "support", "agree", "030"))
NOUNS.update(_table("call plea appeal", "support", "urge", "100"))
NOUNS.update(_table("demand insistence", "support", "demand", "100"))
NOUNS.update(_table("hope wish", "support", "endorse", "030"))
NOUNS.update(_table("criticism rebuke outrage concern disappointment anger frustration suspicion",
                    "oppose", "criticize", "111"))
NOUNS.update(_table("condemnation", "oppose", "condemn", "111"))
NOUNS.update(_table("rejection opposition objection refusal", "oppose", "reject", "120"))
NOUNS.update(_table("withdrawal pullout", "oppose", "reject", "121"))
NOUNS.update(_table("denial", "oppose", "deny", "120"))
NOUNS.update(_table("accusation allegation", "oppose", "accuse", "112"))
NOUNS.update(_table("protest complaint", "oppose", "criticize", "114"))
NOUNS.update(_table("warning", "oppose", "warn", "111"))
NOUNS.update(_table("threat", "oppose", "threaten", "130"))
NOUNS.update(_table("sanction", "oppose", "sanction", "163"))

# Plural and singular surface forms of the stance nouns, for a noun the tagger took for a verb.
NOUN_FORMS: dict[str, str] = {**{n: n for n in NOUNS}, **{n + "s": n for n in NOUNS}}

# Nouns that are a complaint when raised ("raised the issue of the exodus").
RAISED_NOUNS = frozenset("issue question matter".split())

# Light verbs whose subject holds the stance of their stance-noun object.
LIGHT_VERBS = frozenset("""
express voice relay raise renew repeat reiterate issue make extend offer deliver step ramp show
confirm register lodge convey signal state declare announce air give lend pledge reaffirm
emphasize emphasise stress underline underscore send maintain show signal demonstrate indicate
roll join
""".split())

# Light verbs that make a supporting noun a reaffirmation ("confirmed its position of support").
REAFFIRM_VERBS = frozenset("confirm reaffirm reiterate renew repeat maintain".split())

# Verbs whose subject elicits others' stance ("drew criticism", "sparked outrage in Britain"):
# the subject holds a stance noun only when it comes "with" it ("sparked outrage with a rebuke").
ELICIT_VERBS = frozenset("draw spark provoke trigger prompt attract cause face meet receive".split())

# Complements of "refuse"/"decline" that make it a refusal to comment, not a stance.
NO_COMMENT_VERBS = frozenset("comment draw elaborate discuss say disclose confirm specify".split())

# Nouns whose possessor holds the stance even outside a light verb ("rejected Erdogan's calls
# for a ceasefire" - Erdogan calls for it). Others ("Trump's rebuke", "Pakistan's alleged support",
# "seeks Beijing's support") mostly name a stance the sentence does not assert.
POSSESSOR_HOLDS = frozenset("call plea appeal demand sanction withdrawal pullout".split())

# Nouns that are stance nouns only with a complement ("calls for talks", not "a telephone call").
NEEDS_COMPLEMENT = frozenset("call plea appeal demand hope wish withdrawal pullout".split())

# -- adjectives: "X is ready for / willing to / committed to / concerned about Y" -------------

ADJECTIVES: dict[str, StanceEntry] = {}
ADJECTIVES.update(_table("ready willing prepared open keen eager committed determined",
                         "support", "agree", "030"))
ADJECTIVES.update(_table("supportive appreciative grateful happy pleased delighted satisfied",
                         "support", "welcome", "051"))
ADJECTIVES.update(_table("concerned worried upset frustrated angry furious suspicious disappointed "
                         "critical alarmed wary skeptical sceptical unhappy dissatisfied",
                         "oppose", "criticize", "111"))
ADJECTIVES.update(_table("opposed", "oppose", "reject", "120"))
ADJECTIVES.update(_table("tough hostile", "oppose", "threaten", "130"))

# -- the predicate nouns of "X described/called/considers Y (as/to be) Z" ---------------------

ASCRIBE_VERBS = frozenset("describe call consider regard see view label brand term dub deem".split())

# -- verbs that, negated with an actor subject, state a refusal ("will not allow", "would not
# negotiate under blackmail"). A negated support verb is opposition too (see positions.py).

REFUSAL_WHEN_NEGATED = frozenset("""
allow tolerate accept permit participate negotiate stand watch recognize recognise acknowledge
cooperate engage renounce explain budge talk
""".split())

# Verbs whose complement is wished, believed or demanded rather than asserted: a stance verb
# inside it is not its own subject's position.
IRREALIS_VERBS = frozenset("""
hope want wish expect urge ask call demand press suspect fear believe think doubt allege claim
accuse pressure encourage invite plead appeal push seek
""".split())

# Modals (and "need") that make a reported clause a demand of the speaker.
DEMAND_MODALS = frozenset({"should", "must", "need", "needs", "ought"})

REFLEXIVES = frozenset("itself themselves himself herself ourselves myself yourself".split())

# Nouns that, possessed by a pronoun, name the pronoun's referent acting ("his government would
# not allow…"); any other possessed group ("his critics") is not an actor.
INSTITUTION_NOUNS = frozenset("""
government administration cabinet office ministry country nation state team delegation side camp
party spokesman spokeswoman spokesperson envoy leadership presidency
""".split())

# Plural nouns of a nation's people, which do not stand for its state ("British politicians
# lined up to condemn…", "British people reject…").
PEOPLE_NOUNS = frozenset("""
people person politician lawmaker legislator mp voter citizen resident national critic activist
protester protestor supporter opponent commentator analyst expert observer worker student
""".split())

# -- "X is seeking a long-term peace, not a short-term ceasefire": the contrast marker ----------

CONTRAST_NEGATORS = frozenset({"not", "rather than", "instead of"})

# -- the heads of a demanded thing that make the demand opposition to its of-object ("called
# for a halt to sanctions", "the withdrawal of an offer", "committed to Assad's removal") -----

REVERSAL_NOUNS = frozenset("""
halt end stop cessation withdrawal removal cancellation termination lifting repeal suspension
ouster resignation departure inability lack absence
""".split())

# Verbs in the complement of a demand that make it a demand to end something ("urged
# Pyongyang to cease provocations" opposes the provocations).
REVERSAL_VERBS = frozenset("cease stop halt end abandon drop lift withdraw scrap cancel terminate".split())

# -- reported speech: verbs that attribute words to their subject -----------------------------

REPORTING_VERBS = frozenset("""
say tell add state tweet write post note stress emphasize emphasise insist argue claim declare
announce explain reply respond counter remark comment observe assert maintain acknowledge
admit suggest told recall reiterate repeat conclude caution continue
""".split())

# -- sentiment: words whose VADER valence describes events, not a speaker's stance ------------
# (war reporting is full of "killed", "attack", "war", which say nothing about approval); then
# words VADER rates for their everyday sense that in political reporting describe ("a clear
# message", "the ruling party", "security", "the outgoing administration"), and "no", whose
# negation the speech rule reads itself (``stance_syntax.negation_in``).

NEUTRAL_EVENT_WORDS = frozenset("""
war wars killed kill killing killings dead death deaths died die attack attacks attacked
prisoner prisoners prison jail jailed conflict conflicts fighting fight fought fighters
missile missiles bomb bombs bombing strike strikes weapon weapons terror terrorism terrorist
terrorists crisis violence violent victim victims casualties injured wounded hostage hostages
threat threats threaten threatened military army offensive invasion invade shot shoot
shooting crime crimes criminal arrested arrest sanctions sanction defeat defeated hard
pressure battle battles battlefield destruction destroyed missing captured captive captives
""".split()) | frozenset("""
clear clearly party parties original respective outgoing interest interests security top important
number hand survivor survivors no
""".split())

# Valences (VADER scale, -4..4) of the words of political judgement VADER's lexicon lacks or
# rates for everyday use; added to it for both uses.
POLITICAL_VALENCE: dict[str, float] = {
    **dict.fromkeys("ally allies alliance partner partners partnership friend friends".split(), 1.5),
    **dict.fromkeys("constructive productive fruitful cordial".split(), 1.8),
    **dict.fromkeys("hoax groundless baseless unfounded fabricated lies lie".split(), -2.2),
    **dict.fromkeys("unreliable wayward meddling interference".split(), -1.5),
    **dict.fromkeys("illegal illegitimate unacceptable reprehensible egregious provocative "
                    "provocation aggression racist hateful cleansing genocide".split(), -2.5),
    **dict.fromkeys("terrorist terrorists terror violation blatant".split(), -2.0),
    # censure words of political speech that VADER's lexicon lacks
    **dict.fromkeys("divisive divide divides divided dividing destabilize destabilizing destabilising "
                    "machinations collusion hypocrisy coercion coercive blackmail slander distortion "
                    "fabricate disgraceful breach interfere interfering tyranny oppression oppress "
                    "atrocity atrocities dictator dictatorship puppet".split(), -1.8),
    **dict.fromkeys("cooperation mutual stability dialogue".split(), 1.2),
}

# -- factuality: stances not asserted as held (issue 3, "negated, hypothetical and conditional
# events are marked, not reported as facts") ---------------------------------------------------

#: Verbs whose complement is denied: a stance inside it gets status "denied".
DENIAL_VERBS = frozenset("deny dismiss refute reject".split())
#: Modal auxiliaries that make a stance hypothetical (status "planned": expected, not asserted).
HYPOTHETICAL_MODALS = frozenset("would could might may".split())
#: Modals that, in the complement of a reporting verb, are only the tense of reported speech.
BACKSHIFTED_MODALS = frozenset({"would", "could"})
#: How much less confident a denied or hypothetical stance is: the same as for a speech act
#: (``kg.extract.reporting.NOT_OCCURRED_PENALTY``), so that positions and statements agree.
NOT_OCCURRED_PENALTY = _reporting.NOT_OCCURRED_PENALTY

#: What evaluative speech with no stance word says (rule 7): praise (CAMEO 051), criticism (111),
#: a negated claim = a complaint (111), a commitment of the speaker's side (030, intent to cooperate).
SPEECH_PRAISE = StanceEntry("support", "praise", "051")
SPEECH_CRITICISM = StanceEntry("oppose", "criticize", "111")
SPEECH_COMPLAINT = StanceEntry("oppose", "criticize", "111")
SPEECH_COMMITMENT = StanceEntry("support", "reaffirm", "030")

#: Minimum absolute VADER compound score for a reported statement to count as a stance.
SENTIMENT_THRESHOLD = 0.3
#: Heads of "no X" that make no complaint: emphasis ("no doubt", "no different", "no longer")
#: and reporting ("gave no details", "offered no timeline": the speaker did not say more).
NEGATION_IDIOM_HEADS = frozenset("""
doubt different longer detail comment information indication timeline timetable figure date
""".split())
#: A negated statement this positive or more is no complaint ("nobody wants peace more than us").
NEGATED_POSITIVE_MIN = 0.5


# -- scoring with the vocabulary ----------------------------------------------------------------

_VADER: dict[bool, object] = {}
_QUOTE_MARKS = str.maketrans({"“": " ", "”": " ", "‘": " ", "’": "'"})  # VADER strips ASCII marks only


def valence(text: str, events_neutral: bool = True) -> float:
    """VADER compound valence of ``text`` in [-1, 1] (Hutto & Gilbert 2014, vaderSentiment),
    its lexicon extended by :data:`POLITICAL_VALENCE`; with ``events_neutral``
    the event words of war reporting (:data:`NEUTRAL_EVENT_WORDS`) count 0.

    Returns:
        0.0 for empty text.
    """
    if not text:
        return 0.0
    analyzer = _VADER.get(events_neutral)
    if analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = _VADER[events_neutral] = SentimentIntensityAnalyzer()
        analyzer.lexicon.update(POLITICAL_VALENCE)
        if events_neutral:
            for word in NEUTRAL_EVENT_WORDS:
                analyzer.lexicon.pop(word, None)
    return analyzer.polarity_scores(text.translate(_QUOTE_MARKS))["compound"]
