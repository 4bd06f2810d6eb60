"""Word lists used by the extraction rules.

Hand-written by the geokg developers from the reporting conventions of wire
copy (Reuters, AP, AFP, Yonhap style) seen in the development corpus; each list
is by kind of word, never by article.
"""

from __future__ import annotations

# Words that form a role title before or after a person's name ("Foreign Minister",
# "foreign policy advisor", "army chief General"). Lower-case; multi-word titles are
# built from runs of these words.
TITLE_WORDS = frozenset("""
president vice prime minister premier chancellor secretary foreign defense defence state
spokesman spokeswoman spokesperson adviser advisor aide envoy ambassador special representative
king queen prince crown emperor leader chief deputy general lieutenant colonel admiral commander
senator congressman congresswoman lawmaker legislator representative mp governor mayor chairman
chairwoman chair head director counselor counsellor diplomat top senior security national policy
interior finance trade economy commerce justice home affairs external relations unification
intelligence military army navy air force staff joint chiefs speaker supreme opposition former
then-premier then-president then premier acting first lady ruler monarch sheikh emir crown-prince
secretary-general undersecretary under-secretary assistant high commissioner rights human
minister-president party commissioner attorney
""".split())

# Titles that on their own mark a person's role (the head of a title run).
TITLE_HEADS = frozenset("""
president premier chancellor minister secretary spokesman spokeswoman spokesperson adviser advisor
aide envoy ambassador king queen prince emperor leader chief general commander senator lawmaker
governor mayor chairman chairwoman chair head director diplomat speaker ruler monarch emir sheikh
secretary-general representative commissioner counselor counsellor colonel admiral lieutenant
congressman congresswoman legislator mp attorney
""".split())

# Words that never start a role run even though capitalised at sentence start.
NOT_TITLE = frozenset("the a an his her their its our my this that".split())

# Government-body head words: an ORG whose name contains one is a GovernmentBody.
GOVERNMENT_BODY_WORDS = frozenset("""
ministry department office kremlin pentagon house parliament congress senate assembly duma cabinet
government council commission bureau agency administration presidency military army navy forces
court command staff committee embassy mission legislature knesset diet
""".split())

# ORG words that mark an armed group or movement.
GROUP_WORDS = frozenset("""
militia militias rebels insurgents taliban front brigade brigades movement fighters jihadists
network units
""".split())

# Spans spaCy sometimes tags PERSON/ORG that are not actors.
NON_ACTORS = frozenset("""
twitter facebook instagram youtube x tiktok telegram weibo wechat covid covid-19 coronavirus
""".split())

PRONOUNS_PERSON = frozenset({"he", "she"})

# -- grammatical gender of a person, where the text states it (issue 3: "she said" is not a man) --

#: Honorifics written before a name, and the gender they state.
HONORIFIC_GENDER: dict[str, str] = {
    **dict.fromkeys("mr mister sir lord monsieur herr".split(), "male"),
    **dict.fromkeys("mrs ms miss madam madame mme dame lady frau".split(), "female"),
}

#: Title words that state a gender (royal and noble titles, "-man"/"-woman" forms of offices);
#: the others ("president", "minister", "chairman" used for women too) state none.
TITLE_GENDER: dict[str, str] = {
    **dict.fromkeys("king prince emperor sultan emir sheikh duke baron pope spokesman congressman "
                    "businessman".split(), "male"),
    **dict.fromkeys("queen princess empress sultana duchess baroness spokeswoman congresswoman "
                    "chairwoman businesswoman".split(), "female"),
}

#: Kinship nouns written before a name ("his wife Peng Liyuan", "her husband, Joachim Sauer").
KIN_GENDER: dict[str, str] = {
    **dict.fromkeys("husband widower father son brother uncle grandson grandfather".split(), "male"),
    **dict.fromkeys("wife widow mother daughter sister aunt granddaughter grandmother".split(), "female"),
}

#: Personal pronouns and the gender they refer to.
PRONOUN_GENDER: dict[str, str] = {
    **dict.fromkeys("he him his himself".split(), "male"),
    **dict.fromkeys("she her hers herself".split(), "female"),
}
