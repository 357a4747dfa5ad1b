#!/usr/bin/env python3
"""What else the reranker's features allow: the same listwise softmax model as `eval --train-ranker` (5-fold
cross-validation grouped by article title, folds assigned the same way), with other L2 penalties, extra transforms of
the features, and a one-hidden-layer network, on the candidates that command wrote with --evidence-out.

  dotnet run -c Release --project src/ChatBot -- eval --questions eval/piaf-dev-questions.json \
      --corpus eval/piaf-corpus.jsonl --train-ranker --output /tmp/ranker.json --evidence-out /tmp/candidates.json
  /usr/bin/python3 tools/eval/ranker_experiments.py /tmp/candidates.json [--mlp]

Needs numpy and scipy (Debian: python3-numpy python3-scipy). Prints R@1, R@5, R@10, MRR@10 over all questions.
"""
import json, sys
import numpy as np
from scipy.optimize import minimize

data = json.load(open(sys.argv[1], encoding="utf-8"))
names, D = data["names"], data["questions"]
TOTAL = int(sys.argv[sys.argv.index("--total") + 1]) if "--total" in sys.argv else 1220
groups = sorted(set(d["g"] for d in D))
fold = {g: i % 5 for i, g in enumerate(groups)}
N, M, F = len(D), max(len(d["x"]) for d in D), len(names)
X = np.zeros((N, M, F)); mask = np.zeros((N, M), bool); rel = np.zeros((N, M), bool)
for i, d in enumerate(D):
    n = len(d["x"]); X[i, :n] = d["x"]; mask[i, :n] = True; rel[i, :n] = d["r"]
folds = np.array([fold[d["g"]] for d in D])


def metrics(S):
    r1 = r5 = r10 = 0; mrr = 0.0
    for i, d in enumerate(D):
        n = len(d["x"]); s = S[i, :n]; seen = []
        for j in sorted(range(n), key=lambda j: (-s[j], j)):
            if d["a"][j] not in seen:
                seen.append(d["a"][j])
        rank = seen.index(d["gold"]) + 1 if d["gold"] in seen else 0
        r1 += rank == 1; r5 += 0 < rank <= 5; r10 += 0 < rank <= 10; mrr += 1 / rank if 0 < rank <= 10 else 0
    return tuple(round(v / TOTAL, 3) for v in (r1, r5, r10, mrr))


def standardised(Xf, idx):
    flat = Xf[idx][mask[idx]]; mu = flat.mean(0); sd = flat.std(0); sd[sd < 1e-9] = 1
    return mu, sd


def fit(Xf, idx, l2, hidden=0, seed=0):
    idx = [i for i in idx if rel[i].any() and mask[i].sum() > 1]
    mu, sd = standardised(Xf, idx)
    Z = (Xf[idx] - mu) / sd; mt = mask[idx]; rt = rel[idx]; Z[~mt] = 0
    f = Xf.shape[2]

    def parts(t):
        return t[:f], t[f:f + f * hidden].reshape(f, hidden), t[f + f * hidden:f + f * hidden + hidden], t[f + f * hidden + hidden:]

    def loss(t):
        w, A, b, v = parts(t)
        H = np.tanh(Z @ A + b) if hidden else None
        s = Z @ w + (H @ v if hidden else 0); s = np.where(mt, s, -1e9)
        e = np.exp(s - s.max(1, keepdims=True)) * mt; tot = e.sum(1); re = (e * rt).sum(1)
        G = (e / tot[:, None] - e * rt / re[:, None]) / len(idx)
        grad = [np.einsum("nm,nmf->f", G, Z)]
        if hidden:
            dH = G[:, :, None] * v[None, None, :] * (1 - H ** 2)
            grad += [np.einsum("nmf,nmh->fh", Z, dH).ravel(), dH.sum((0, 1)), np.einsum("nm,nmh->h", G, H)]
        return -(np.log(re) - np.log(tot)).mean() + 0.5 * l2 * (t @ t), np.concatenate(grad) + l2 * t

    t0 = np.random.default_rng(seed).normal(0, 0.1, f + f * hidden + 2 * hidden) if hidden else np.zeros(f)
    t = minimize(loss, t0, jac=True, method="L-BFGS-B", options={"maxiter": 300 if hidden else 15000}).x
    w, A, b, v = parts(t)
    return lambda Xq: ((Xq - mu) / sd) @ w + (np.tanh(((Xq - mu) / sd) @ A + b) @ v if hidden else 0)


def cross_validated(Xf, l2=0.01, hidden=0):
    S = np.zeros((N, M))
    for k in range(5):
        model = fit(Xf, [i for i in range(N) if folds[i] != k], l2, hidden)
        S[folds == k] = model(Xf[folds == k])
    return metrics(S)


print("first ranking (feature 'fused')           ", metrics(X[:, :, 0]))
print("trained and tested on all questions       ", metrics(fit(X, list(range(N)), 0.01)(X)))
for l2 in (0.001, 0.01, 0.03, 0.1):
    print(f"linear, L2 {l2:<5}                        ", cross_validated(X, l2))
count = mask.sum(1)[:, None, None]
best = np.where(mask[:, :, None], X, -1e9).max(1, keepdims=True)
mean = np.where(mask[:, :, None], X, 0).sum(1, keepdims=True) / count
std = np.sqrt(np.where(mask[:, :, None], (X - mean) ** 2, 0).sum(1, keepdims=True) / count) + 1e-6
print("+ each feature minus the question's best  ", cross_validated(np.concatenate([X, np.where(mask[:, :, None], X - best, 0)], 2)))
print("+ each feature z-scored within the question", cross_validated(np.concatenate([X, np.where(mask[:, :, None], (X - mean) / std, 0)], 2)))
print("+ squares                                 ", cross_validated(np.concatenate([X, X ** 2], 2)))
for j in range(F):
    keep = [c for c in range(F) if c != j]
    print(f"without {names[j]:<28}     ", cross_validated(X[:, :, keep]))
if "--mlp" in sys.argv:
    for hidden in (4, 8):
        print(f"one hidden layer of {hidden} tanh units, L2 .03", cross_validated(X, 0.03, hidden))
