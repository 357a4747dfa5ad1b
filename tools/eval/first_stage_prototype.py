#!/usr/bin/env python3
"""An independent re-implementation of the first ranking in Python (numpy/scipy/nltk), to check whether the bot's C#
first stage loses anything and what a char 4-gram analyser would add, on PIAF dev.

Each analyser scores paragraphs with fielded BM25 (k1 0.6, b 0.5; body + 0.3 x title + 0.5 x all paragraphs sharing
the title), divided by the question's best; analysers are summed (CombSUM). Analysers: Snowball (nltk), the first five
letters, char 4-grams of the words (with edge marks). Stopwords are the bot's own list (Resources/stopwords-fr.txt).

  /usr/bin/python3 tools/eval/first_stage_prototype.py eval/piaf-corpus.jsonl eval/piaf-dev-questions.json [--keep-stopwords-for-grams]

--keep-stopwords-for-grams also counts the grams of function words (question and paragraphs) in the char 4-gram analyser.

Needs python3-numpy python3-scipy python3-nltk (Debian).
"""
import collections, json, os, re, sys, unicodedata
import numpy as np
from scipy.sparse import csr_matrix
from nltk.stem.snowball import FrenchStemmer

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
RESOURCES = f"{HERE}/src/ChatBot.Core/Resources/"
corpus_path, questions_path = sys.argv[1], sys.argv[2]
KEEP_STOPWORDS_FOR_GRAMS = "--keep-stopwords-for-grams" in sys.argv


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


STOP = {fold(w) for line in open(RESOURCES + "stopwords-fr.txt", encoding="utf-8") if not line.startswith("#") for w in line.split()}
snowball, stems = FrenchStemmer(), {}


def words(text, analyser):
    keep_stop = KEEP_STOPWORDS_FOR_GRAMS and analyser == "char4"
    return [w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 1 and (keep_stop or w not in STOP)]


def terms(word, analyser):
    if analyser == "snowball":
        if word not in stems:
            stems[word] = snowball.stem(word)
        return [stems[word]]
    if analyser == "prefix":
        return [word[:5]]
    padded = f"<{word}>"
    return [padded[i:i + 4] for i in range(max(1, len(padded) - 3))] if word[0].isalpha() else [word]


corpus = [json.loads(line) for line in open(corpus_path, encoding="utf-8")]
questions = json.load(open(questions_path, encoding="utf-8"))
ids = [d["id"] for d in corpus]
titles = sorted({d["title"] for d in corpus})
title_of = np.array([titles.index(d["title"]) for d in corpus])


def bm25_fields(analyser, k1=0.6, b=0.5):
    vocabulary = {}

    def matrix(texts):
        rows, cols, values, lengths = [], [], [], []
        for i, text in enumerate(texts):
            counts = collections.Counter(t for w in words(text, analyser) for t in terms(w, analyser))
            lengths.append(sum(counts.values()))
            for term, n in counts.items():
                rows.append(i); cols.append(vocabulary.setdefault(term, len(vocabulary))); values.append(n)
        return rows, cols, values, np.array(lengths, float)

    parts = [matrix([d["text"] for d in corpus]), matrix(titles),
             matrix([" ".join(d["text"] for d in corpus if d["title"] == t) for t in titles])]
    fields = []
    for rows, cols, values, lengths in parts:
        n = len(lengths)
        m = csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary))).tocsc()
        df = np.diff(m.indptr)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        m = m.tocoo()
        w = idf[m.col] * m.data * (k1 + 1) / (m.data + k1 * (1 - b + b * lengths[m.row] / lengths.mean()))
        fields.append(csr_matrix((w, (m.row, m.col)), shape=(n, len(vocabulary))).tocsr())
    return vocabulary, fields


def scores(question, analyser, model, title_weight=0.3, document_weight=0.5):
    vocabulary, (body, title, document) = model
    q = np.zeros(len(vocabulary))
    for term in {t for w in words(question, analyser) for t in terms(w, analyser)}:
        if term in vocabulary:
            q[vocabulary[term]] = 1
    s = body @ q + title_weight * (title @ q)[title_of] + document_weight * (document @ q)[title_of]
    return s / s.max() if s.max() > 0 else s


ANALYSERS = ["snowball", "prefix", "char4"]
models = {a: bm25_fields(a) for a in ANALYSERS}
S = {a: np.array([scores(q["question"], a, models[a]) for q in questions]) for a in ANALYSERS}
gold = [ids.index(q["gold"]) for q in questions]


def evaluate(total):
    r1 = r5 = r10 = mrr = 0
    for i, g in enumerate(gold):
        rank = (total[i] > total[i, g]).sum() + 1
        r1 += rank == 1; r5 += rank <= 5; r10 += rank <= 10; mrr += 1 / rank if rank <= 10 else 0
    return tuple(round(v / len(gold), 3) for v in (r1, r5, r10, mrr))


print("CombSUM of fielded BM25 analysers, R@1 / R@5 / R@10 / MRR@10 on PIAF dev")
for combo in (["snowball"], ["prefix"], ["char4"], ["snowball", "prefix"], ["prefix", "char4"], ["snowball", "prefix", "char4"]):
    print(f"  {' + '.join(combo):<28}", evaluate(sum(S[a] for a in combo)))
