#!/usr/bin/env python3
"""Builds src/ChatBot.Core/Resources/lexicon-en-fr.tsv from FreeDict's English-French and French-English
dictionaries (Debian packages dict-freedict-eng-fra and dict-freedict-fra-eng, GPL-2.0-or-later).

    sudo apt-get install dict-freedict-eng-fra dict-freedict-fra-eng
    python3 tools/lexicon/build_lexicon.py > src/ChatBot.Core/Resources/lexicon-en-fr.tsv

Each output line is: english<TAB>french|french|...  (lower case, as written in the dictionaries). Translations of
more than one content word are left out (their extra words would be searched for as if they were the English word).
English->French entries come first; French->English entries are inverted for one-word English glosses
("militaire: military" gives military -> militaire). Reproducible: same packages, same file.
"""
import gzip
import re
import sys
from collections import OrderedDict

DICTD = "/usr/share/dictd"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(text):
    value = 0
    for c in text:
        value = value * 64 + B64.index(c)
    return value


def entries(name):
    data = gzip.open(f"{DICTD}/{name}.dict.dz").read()
    with open(f"{DICTD}/{name}.index", encoding="utf-8") as index:
        for line in index:
            head, offset, length = line.rstrip("\n").split("\t")
            if head.startswith("00database") or head.startswith("00-database"):
                continue
            body = data[b64(offset):b64(offset) + b64(length)].decode("utf-8")
            lines = body.strip().split("\n")
            yield head, lines[1:]


FUNCTION_WORDS = {"à", "a", "de", "des", "du", "d'", "la", "le", "les", "l'", "se", "s'", "un", "une", "en", "au", "aux", "qch", "qn", "quelqu'un", "quelque", "chose"}


def content_words(french):
    words = re.findall(r"[^\s']+'?", french)
    return [w for w in words if w.strip("'") and w not in FUNCTION_WORDS and w.rstrip("'") + "'" not in FUNCTION_WORDS]


def senses(lines):
    """The translations of an entry: numbered or not, comma-separated, notes in parentheses dropped."""
    for line in lines:
        line = re.sub(r"^\s*\d+\.\s*", "", line).strip()
        line = re.sub(r"\([^)]*\)", "", line)
        for part in line.split(","):
            part = part.strip().strip(";").strip()
            part = part.replace("\u2010", "-")
            # One content word per translation: "recevoir des visiteurs" would add "visiteurs" to every "receive".
            if part and len(part) < 40 and not part.startswith("<") and len(content_words(part.lower())) == 1:
                yield part.lower()


def clean_english(word):
    word = word.lower().replace("\u2010", "-").strip()
    if word.startswith("to "):
        word = word[3:]
    return word


lexicon = OrderedDict()


def add(english, french):
    english = clean_english(english)
    if not english or not french or len(english) < 2 or len(content_words(french)) != 1:
        return
    lexicon.setdefault(english, [])
    if french not in lexicon[english]:
        lexicon[english].append(french)


for head, lines in entries("freedict-eng-fra"):
    for french in senses(lines):
        add(head, french)

for head, lines in entries("freedict-fra-eng"):
    french = head.lower().replace("\u2010", "-")
    for english in senses(lines):
        english = clean_english(english)
        if " " not in english:
            add(english, french)

print("# English -> French word equivalents, built by tools/lexicon/build_lexicon.py from FreeDict's")
print("# eng-fra 0.1.6 and fra-eng (inverted) dictionaries, https://freedict.org, GPL-2.0-or-later.")
print("# See THIRD-PARTY-NOTICES.md. Do not edit by hand: change the script and run it again.")
for english in sorted(lexicon):
    print(f"{english}\t{'|'.join(lexicon[english])}")
