#!/usr/bin/env python3
"""Builds src/ChatBot.Core/Resources/synonyms-fr.tsv from LibreOffice's French thesaurus (Debian package mythes-fr,
thes_fr.dat, by Kevin Hendricks, Frédéric Labbé and Laurent Godard, LGPL-2.1-or-later).

    sudo apt-get install mythes-fr
    python3 tools/lexicon/build_synonyms.py > src/ChatBot.Core/Resources/synonyms-fr.tsv

Each output line is: word<TAB>synonym synonym ...  (lower case, accents kept, one word each: multi-word synonyms and
headwords are left out). The bot stems both sides with its Snowball stemmer when it loads the file, so that a
question's word and a passage's word count as the same concept when either is a synonym of the other. Reproducible:
same package, same file.
"""
import sys

THESAURUS = "/usr/share/mythes/th_fr_FR_v2.dat"


def main(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines[0].strip().upper() != "UTF-8":
        sys.exit(f"{path}: expected a UTF-8 MyThes file")
    synonyms, i = {}, 1
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        if not head or not count.isdigit():
            i += 1
            continue
        head = head.strip().lower()
        for j in range(int(count)):
            for word in lines[i + 1 + j].split("|")[1:]:
                word = word.strip().lower()
                # "(nom)", "(générique)" and the like are labels, not words.
                if word and " " not in word and " " not in head and "(" not in word and word != head:
                    synonyms.setdefault(head, set()).add(word)
        i += 1 + int(count)
    out = sys.stdout
    out.write("# French synonyms, built by tools/lexicon/build_synonyms.py from LibreOffice's French thesaurus\n")
    out.write("# (mythes-fr, thes_fr.dat; Kevin Hendricks, Frédéric Labbé, Laurent Godard), LGPL-2.1-or-later.\n")
    out.write("# See THIRD-PARTY-NOTICES.md. Do not edit by hand: change the script and run it again.\n")
    for head in sorted(synonyms):
        out.write(head + "\t" + " ".join(sorted(synonyms[head])) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else THESAURUS)
