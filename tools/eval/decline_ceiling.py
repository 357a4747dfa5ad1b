#!/usr/bin/env python3
"""How far can a lexical decline test go on PIAF's holes? Reads what `eval --unanswerable ... --evidence-out FILE`
wrote and prints, for several rules and models, the best share of unanswerable questions declined while at most 4 %
of the answerable ones are (the bot's rule is "a name unknown or missing, or coverage < θ").

  dotnet run -c Release --project src/ChatBot -- eval --questions eval/piaf-dev-answerable.json \
      --unanswerable eval/piaf-dev-unanswerable.json --corpus eval/piaf-dev-corpus-holes.jsonl \
      --evidence-out /tmp/evidence.jsonl
  /usr/bin/python3 tools/eval/decline_ceiling.py /tmp/evidence.jsonl eval/piaf-dev-questions.json \
      eval/piaf-corpus.jsonl

Needs numpy, scipy and scikit-learn (Debian: python3-numpy python3-scipy python3-sklearn); the synonym test reads mythes-fr's thesaurus
(/usr/share/mythes/th_fr_FR_v2.dat) and NLTK's Snowball stemmer (python3-nltk) when they are there, the lemma test
Hunspell (hunspell hunspell-fr). The last lines replay the bot's own decisions (`present`, `coverage`), also over only
the answerable questions whose paragraph ranks first: what the rule would do if retrieval never missed.
"""
import json, math, re, sys, unicodedata
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

evidence, questions, corpus = sys.argv[1:4]
rows = [json.loads(l) for l in open(evidence, encoding="utf-8")]
titles = {}
for line in open(corpus, encoding="utf-8"):
    d = json.loads(line)
    titles[d["id"]] = d["title"]
article = {q["question"]: titles[q["gold"]] for q in json.load(open(questions, encoding="utf-8"))}
y = np.array([r["answerable"] for r in rows])
TOK = re.compile(r"\w+")
SENT = re.compile(r"(?<=[.!?])\s+")


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn")


def best_at(declined_when_below, forced, limit=0.04):
    """Best (unanswerable, answerable) declined shares with the answerable side at most `limit`."""
    best = (0.0, 0.0, None)
    for t in np.unique(np.append(declined_when_below, [0, 1.01])):
        d = forced | (declined_when_below < t)
        u, a = d[~y].mean(), d[y].mean()
        if a <= limit and u > best[0]:
            best = (round(float(u), 3), round(float(a), 3), round(float(t), 3))
    return best


def coverage_rule(present, weight=lambda r, x: x["w"], also=lambda r, cov: False):
    """present(row, concept) -> bool; the bot's rule over it, with each concept weighed by weight(row, concept) and
    a question also declined when also(row, coverage) holds."""
    cov, forced = [], []
    for r in rows:
        c = r["concepts"]
        if not c or not r["ids"]:
            cov.append(-1.0); forced.append(True); continue
        w = [weight(r, x) for x in c]
        p = [present(r, x) for x in c]
        cov.append(sum(wx for wx, ok in zip(w, p) if ok) / max(sum(w), 1e-9))
        forced.append(r["unknownNames"] > 0 or any(x["name"] and not x["num"] and not ok for x, ok in zip(c, p))
                      or also(r, cov[-1]))
    return best_at(np.array(cov), np.array(forced))


def words(r, i=0):
    return set(fold(w) for w in TOK.findall(r["titles"][i] + " " + r["texts"][i]))


def shares_start(f, ws, n=4):
    return len(f) > n and any(len(w) >= n and w[:n] == f[:n] for w in ws)


print("rule: a name unknown or missing, or coverage < θ (best θ with ≤ 4 % of the answerable declined)")
print("  forms and one-edit spellings only (no shared start)", coverage_rule(lambda r, c: c["hit"][0]))
print("  coverage as max over the top 5 passages            ", best_at(
    np.array([max(sum(x["w"] for x in r["concepts"] if x["hit"][i]) / sum(x["w"] for x in r["concepts"]) for i in range(len(r["ids"])))
              if r["concepts"] and r["ids"] else -1 for r in rows]),
    np.array([not r["concepts"] or not r["ids"] or r["unknownNames"] > 0 or any(x["name"] and not x["num"] and not x["hit"][0] for x in r["concepts"]) for r in rows])))
for n in (3, 4, 5, 6, 7):
    print(f"  + a word sharing its first {n} letters counts        ", coverage_rule(lambda r, c, n=n: c["hit"][0] or shares_start(c["f"], words(r), n)))
for p in (0.5, 1.5, 2.0):
    saved = [[x["w"] for x in r["concepts"]] for r in rows]
    for r in rows:
        for x in r["concepts"]:
            x["w"] = x["w"] ** p
    print(f"  weights raised to the power {p}                    ", coverage_rule(lambda r, c: c["hit"][0] or shares_start(c["f"], words(r))))
    for r, s in zip(rows, saved):
        for x, w in zip(r["concepts"], s):
            x["w"] = w


def window_rule(size):
    def present(r, c):
        return c["hit"][0] or shares_start(c["f"], words(r))
    cov, forced = [], []
    for r in rows:
        c = r["concepts"]
        if not c or not r["ids"]:
            cov.append(-1.0); forced.append(True); continue
        total = sum(x["w"] for x in c)
        title = set(fold(w) for w in TOK.findall(r["titles"][0]))
        sentences = SENT.split(r["texts"][0])
        best = 0.0
        for i in range(len(sentences)):
            ws = set(fold(w) for w in TOK.findall(" ".join(sentences[i:i + size]))) | title
            best = max(best, sum(x["w"] for x in c if x["f"] in ws or shares_start(x["f"], ws)) / total)
        cov.append(best)
        forced.append(r["unknownNames"] > 0 or any(x["name"] and not x["num"] and not present(r, x) for x in c))
    return best_at(np.array(cov), np.array(forced))


for size in (1, 2, 3):
    print(f"  coverage of the best window of {size} sentence(s)       ", window_rule(size))

try:
    from nltk.stem.snowball import FrenchStemmer
    stem = FrenchStemmer().stem
    lines = open("/usr/share/mythes/th_fr_FR_v2.dat", encoding="utf-8").read().split("\n")[1:]
    synonyms, i = {}, 0
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        if not head or not count.isdigit():
            i += 1; continue
        key = stem(fold(head))
        for j in range(int(count)):
            for s in lines[i + 1 + j].split("|")[1:]:
                if " " not in s:
                    synonyms.setdefault(key, set()).add(stem(fold(s)))
        i += 1 + int(count)

    def with_synonyms(r, c):
        if c["hit"][0] or shares_start(c["f"], words(r)):
            return True
        return bool(synonyms.get(stem(c["f"]), set()) & {stem(w) for w in words(r)})
    print("  + a synonym (mythes-fr) counts                      ", coverage_rule(with_synonyms))
except (ImportError, OSError) as error:
    print("  (synonyms skipped:", error, ")")


def features(r):
    c = r["concepts"]
    total = sum(x["w"] for x in c)
    cov = lambda i: sum(x["w"] for x in c if x["hit"][i]) / total
    missing = [x for x in c if not x["hit"][0]]
    outside = [x for x in c if not x["title"][0]]
    outside_total = sum(x["w"] for x in outside)
    k = len(r["ids"])
    return [
        cov(0), max(cov(i) for i in range(k)), sum(x["w"] for x in c if any(x["hit"])) / total,
        max([x["w"] for x in missing], default=0), sum(x["w"] for x in missing), len(missing), len(missing) / len(c),
        min(2, sum(1 for x in missing if x["name"] and not x["num"])), sum(1 for x in missing if x["num"]),
        min(1, r["unknownNames"]), total - sum(x["w"] for x in missing), len(c),
        sum(1 for x in c if not x["known"] and not x["name"]), sum(x["w"] for x in c if x["title"][0]) / total,
        sum(x["w"] for x in outside if x["hit"][0]) / outside_total if outside_total > 0 else 1,
        r["scores"][0], r["scores"][0] / total, (r["scores"][0] - r["scores"][1]) / total if k > 1 else 0,
        int(k > 1 and r["titles"][0] == r["titles"][1]), sum(1 for t in r["titles"] if t == r["titles"][0]),
    ]


usable = [i for i, r in enumerate(rows) if r["concepts"] and r["ids"]]
X = np.array([features(rows[i]) for i in usable])
yu = y[usable]
groups = [article[rows[i]["q"]] for i in usable]
p = np.zeros(len(usable))
for train, test in GroupKFold(5).split(X, yu, groups):
    model = LogisticRegression(max_iter=5000).fit(X[train], yu[train])
    p[test] = model.predict_proba(X[test])[:, 1]
score = np.full(len(rows), -1.0)
score[usable] = p
print("logistic regression over 20 features (coverages, missing weight and names, scores, gaps, fields), 5-fold CV by article:",
      best_at(score, np.zeros(len(rows), dtype=bool)))

# The same features, scaled, and non-linear models (trees find thresholds and interactions a linear model cannot).
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
for name, make in [
    ("scaled logistic regression", lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, C=0.3))),
    ("gradient-boosted trees (depth 3, 200)", lambda: HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05, random_state=0)),
    ("random forest (300 trees, leaves of 10)", lambda: RandomForestClassifier(n_estimators=300, min_samples_leaf=10, random_state=0)),
]:
    p = np.zeros(len(usable))
    for train, test in GroupKFold(5).split(X, yu, groups):
        p[test] = make().fit(X[train], yu[train]).predict_proba(X[test])[:, 1]
    score = np.full(len(rows), -1.0)
    score[usable] = p
    print(f"{name}, 5-fold CV by article:", best_at(score, np.zeros(len(rows), dtype=bool)))


# Other signals, each on top of the bot's rule ("a name missing, or coverage < θ", a word of the same family counting).
def family(r, c, i=0):
    return c["hit"][i] or (i < len(r["texts"]) and shares_start(c["f"], words(r, i)))


print("other signals (the bot's rule with a shared start of 4 letters, no synonyms:", coverage_rule(family), ")")

# 1. Words that every retrieved passage holds are the topic, not what is asked: weigh by rarity among the top k.
for k in (3, 5):
    def local(r, x, k=k):
        n = min(k, len(r["ids"]))
        return x["w"] * (1 - sum(1 for i in range(n) if family(r, x, i)) / (n + 1))
    print(f"  weights × (1 − share of the top {k} passages holding the word)", coverage_rule(family, local))

# 2. The noun an interrogative determiner introduces ("quel métier", "quelle nationalité") names the answer's kind,
#    which the answering sentence rarely repeats: weigh it less.
SKIP = {"est", "sont", "etait", "etaient", "a", "ont", "ete", "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "fut"}
def focus(q):
    t = [fold(w) for w in TOK.findall(q)]
    out = set()
    for i, w in enumerate(t):
        if w in ("quel", "quelle", "quels", "quelles"):
            j = i + 1
            while j < len(t) and t[j] in SKIP:
                j += 1
            if j < len(t):
                out.add(t[j])
    return out
for f in (0.0, 0.5):
    print(f"  the focus noun after quel/quelle weighs × {f}              ", coverage_rule(family, lambda r, x, f=f: x["w"] * (f if x["f"] in focus(r["q"]) else 1)))

# 3. A question is written from one sentence: the words outside the title should meet in one sentence of the passage.
def concentration(r):
    c = r["concepts"]
    title = set(fold(w) for w in TOK.findall(r["titles"][0]))
    rest = [x for x in c if x["f"] not in title and not shares_start(x["f"], title)]
    total = sum(x["w"] for x in rest)
    if total == 0:
        return 1.0
    best = 0.0
    for sentence in SENT.split(r["texts"][0]):
        ws = set(fold(w) for w in TOK.findall(sentence))
        best = max(best, sum(x["w"] for x in rest if x["f"] in ws or shares_start(x["f"], ws)) / total)
    return best
for below, sigma in ((0.55, 0.3), (0.6, 0.4), (0.7, 0.5)):
    print(f"  + coverage < {below} and one sentence holds < {sigma} of the rest", coverage_rule(family, also=lambda r, cov, b=below, s=sigma: cov < b and concentration(r) < s))

# 4. Phrases: the share of the question's adjacent content-word pairs adjacent (within one word) in the passage, added
#    to coverage.
STOP = set()
for name in ("stopwords-fr.txt", "function-words-fr.txt"):
    for line in open(__file__.rsplit("/", 3)[0] + "/src/ChatBot.Core/Resources/" + name, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            STOP.update(fold(w) for w in line.split())
def pairs(r):
    q = [fold(w)[:5] for w in TOK.findall(r["q"]) if fold(w) not in STOP and len(w) > 2]
    p = [fold(w)[:5] for w in TOK.findall(r["titles"][0] + " . " + r["texts"][0]) if fold(w) not in STOP and len(w) > 2]
    near = set(zip(p, p[1:])) | set(zip(p, p[2:]))
    qp = list(zip(q, q[1:]))
    return sum(1 for a, b in qp if (a, b) in near or (b, a) in near) / len(qp) if qp else 0.5
for a in (0.2, 0.5):
    cov = []
    for r in rows:
        c = r["concepts"]
        cov.append(-1.0 if not c or not r["ids"] else sum(x["w"] for x in c if family(r, x)) / sum(x["w"] for x in c) + a * pairs(r))
    forced = np.array([not r["concepts"] or not r["ids"] or r["unknownNames"] > 0 or any(x["name"] and not x["num"] and not family(r, x) for x in r["concepts"]) for r in rows])
    print(f"  coverage + {a} × share of the question's word pairs      ", best_at(np.array(cov), forced))

# 5. Lemmas from Hunspell's French dictionary (irregular forms: "née"/"naître", "prit"/"prendre").
import shutil, subprocess
if shutil.which("hunspell") and __import__("os").path.exists("/usr/share/hunspell/fr.dic"):
    vocab = {x["s"].lower() for r in rows for x in r["concepts"]} | {w.lower() for r in rows if r["texts"] for w in TOK.findall(r["titles"][0] + " " + r["texts"][0])}
    out = subprocess.run(["hunspell", "-d", "/usr/share/hunspell/fr", "-s"], input="\n".join(sorted(vocab)), capture_output=True, text=True).stdout
    lemmas = {}
    for line in out.split("\n"):
        parts = line.split()
        if parts:
            lemmas.setdefault(fold(parts[0]), set()).add(fold(parts[-1]))
    def with_lemmas(r, c):
        return family(r, c) or bool(lemmas.get(fold(c["s"]), set()) & set().union(*[lemmas.get(w, {w}) for w in words(r)]))
    print("  + a word with the same Hunspell lemma counts              ", coverage_rule(with_lemmas))
else:
    print("  (Hunspell lemmas skipped: apt-get install hunspell hunspell-fr)")

# 6. Word similarity learned from the corpus itself (no weights downloaded): PPMI over a ±5-word window, reduced to
#    200 dimensions by SVD; a missing word counts when a passage word's vector is within cosine τ of its vector.
try:
    from nltk.stem.snowball import FrenchStemmer
    import scipy.sparse as sparse
    from sklearn.decomposition import TruncatedSVD
    stem = FrenchStemmer().stem
    holes = corpus.replace("piaf-corpus.jsonl", "piaf-dev-corpus-holes.jsonl")
    seqs = [[stem(fold(w)) for w in TOK.findall(d["title"] + " " + d["text"]) if fold(w) not in STOP and len(w) > 2]
            for d in map(json.loads, open(holes, encoding="utf-8"))]
    vocab = {}
    for seq in seqs:
        for w in seq:
            vocab.setdefault(w, len(vocab))
    a_, b_ = [], []
    for seq in seqs:
        ids = [vocab[w] for w in seq]
        for i, a in enumerate(ids):
            for b in ids[max(0, i - 5):i] + ids[i + 1:i + 6]:
                a_.append(a); b_.append(b)
    V = len(vocab)
    C = sparse.coo_matrix((np.ones(len(a_)), (a_, b_)), shape=(V, V)).tocsr().tocoo()
    total, rows_sum = C.data.sum(), np.asarray(C.tocsr().sum(1)).ravel()
    cols = np.asarray(C.tocsr().sum(0)).ravel() ** 0.75
    pmi = np.log(C.data / (rows_sum[C.row] * cols[C.col] / cols.sum()))
    keep = pmi > 0
    E = TruncatedSVD(200, random_state=0).fit_transform(sparse.coo_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=(V, V)).tocsr())
    E /= np.linalg.norm(E, axis=1, keepdims=True) + 1e-9
    def similar(r, c, tau):
        if family(r, c):
            return True
        s = stem(c["f"])
        ids = [vocab[p] for p in (stem(w) for w in words(r) if w not in STOP and len(w) > 2) if p in vocab]
        return s in vocab and bool(ids) and float((E[ids] @ E[vocab[s]]).max()) >= tau
    for tau in (0.5, 0.6, 0.7):
        print(f"  + a word within cosine {tau} (PPMI-SVD on the corpus) counts", coverage_rule(lambda r, c, tau=tau: similar(r, c, tau)))
except ImportError as error:
    print("  (corpus word vectors skipped:", error, ")")

# Where the rule cannot go: the answerable questions whose best passage is not their paragraph are a question set
# against an unrelated passage, as the unanswerable ones are. Grouped by what ranks first, with coverage's AUC.
from sklearn.metrics import roc_auc_score
gold = {q["question"]: q["gold"] for q in json.load(open(questions, encoding="utf-8"))}
groups_by = {}
for r in rows:
    c = r["concepts"]
    if not c or not r["ids"]:
        continue
    top = "paragraph" if r["ids"][0] == gold[r["q"]] else "same article" if r["titles"][0] == article[r["q"]] else "other article"
    groups_by.setdefault(("answerable" if r["answerable"] else "unanswerable", top), []).append(sum(x["w"] for x in c if family(r, x)) / sum(x["w"] for x in c))
print("what ranks first: questions, mean coverage, share under 0.45")
for key in sorted(groups_by):
    v = np.array(groups_by[key])
    print(f"  {key[0]:>12}, {key[1]:<13} {len(v):4d}  {v.mean():.3f}  {(v < 0.45).mean():.3f}")
for a, b in [(("answerable", "paragraph"), ("unanswerable", "other article")), (("answerable", "other article"), ("unanswerable", "other article")),
             (("answerable", "same article"), ("unanswerable", "same article"))]:
    if a in groups_by and b in groups_by:
        print(f"  coverage AUC, {a[0]} ({a[1]}) vs {b[0]} ({b[1]}): {roc_auc_score([1] * len(groups_by[a]) + [0] * len(groups_by[b]), groups_by[a] + groups_by[b]):.3f}")

# The bot's own decisions (what `eval --evidence-out` wrote as each concept's `present` and the question's `coverage`).
def bot_rule(keep=lambda r: True, power=1.0):
    kept = [r for r in rows if keep(r)]
    yk = np.array([r["answerable"] for r in kept])
    cov = np.array([sum(x["w"] ** power for x in r["concepts"] if x["present"]) / sum(x["w"] ** power for x in r["concepts"])
                    if r["concepts"] and r["ids"] else -1.0 for r in kept])
    forced = np.array([not r["concepts"] or not r["ids"] or r["unknownNames"] > 0
                       or any(x["name"] and not x["num"] and not x["present"] for x in r["concepts"]) for r in kept])
    best = (0.0, 0.0, None)
    for t in np.unique(np.append(cov, [0, 1.01])):
        d = forced | (cov < t)
        u, a = d[~yk].mean(), d[yk].mean()
        if a <= 0.04 and u > best[0]:
            best = (round(float(u), 3), round(float(a), 3), round(float(t), 3))
    return best


if "present" in rows[0]["concepts"][0]:
    print("the bot's decisions:", bot_rule())
    for power in (1.25, 1.5, 1.75, 2.0):
        print(f"  concept weights raised to the power {power}:", bot_rule(power=power))
    print("  only the answerable questions whose own paragraph ranks first:",
          bot_rule(lambda r: not r["answerable"] or (r["ids"] and r["ids"][0] == gold[r["q"]])))

# The answer's kind present in the passage: a "quand / en quelle année" question also declined when the first passage
# holds no year, month or century, a "combien / quel nombre" one when it holds no number (on top of the bot's own
# decisions, the ask test included). Passages nearly always hold both, so it declines almost nothing more.
MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
DATE = re.compile(r"\b(1\d{3}|20\d{2}|" + MONTHS + r"|siecle|annees?\s+\d)\b")
NUMBER = re.compile(r"\d|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|cent|mille|millions?|milliards?|plusieurs|dizaines?|centaines?)\b")


def kind_missing(r):
    q = fold(r["q"])
    if re.search(r"\b(quand|quelle annee|a quelle date|quelle date|quel jour|depuis quand|quel siecle|quelle epoque)\b", q):
        pattern = DATE
    elif re.search(r"\bcombien\b|\bquel (nombre|pourcentage|age|montant)\b", q):
        pattern = NUMBER
    else:
        return False
    return bool(r["ids"]) and not pattern.search(fold(r["texts"][0]))


if "present" in rows[0]["concepts"][0] and "askAnswered" in rows[0]:
    cov = np.array([r["coverage"] if r["concepts"] and r["ids"] else -1.0 for r in rows])
    forced = np.array([not r["concepts"] or not r["ids"] or r["unknownNames"] > 0 or not r["askAnswered"]
                       or any(x["name"] and not x["num"] and not x["present"] for x in r["concepts"]) for r in rows])
    missing = np.array([kind_missing(r) for r in rows])
    print("the bot's decisions with the ask test:", best_at(cov, forced))
    print("  and the answer's kind (a date, a number) required in the first passage:", best_at(cov, forced | missing),
          f"(missing for {missing[~y].sum()} unanswerable, {missing[y].sum()} answerable)")
