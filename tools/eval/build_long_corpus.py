#!/usr/bin/env python3
"""Builds a corpus of another kind from PIAF, to check that retrieval does not get worse on it: long documents
(every paragraph of one encyclopaedia entry, concatenated in order) whose titles are removed (each document is
titled by its id, which says nothing), and the dev questions re-targeted at the document holding their paragraph.

    python3 tools/eval/build_long_corpus.py eval data/long
    dotnet run -c Release --project src/ChatBot -- eval --questions data/long/questions.json --corpus data/long/corpus.jsonl
"""
import json
import os
import sys

source, target = sys.argv[1], sys.argv[2]
os.makedirs(target, exist_ok=True)
documents, document_of = {}, {}
with open(os.path.join(source, "piaf-corpus.jsonl"), encoding="utf-8") as corpus:
    for line in corpus:
        paragraph = json.loads(line)
        doc = documents.setdefault(paragraph["title"], {"id": f"doc-{len(documents):03d}", "paragraphs": []})
        doc["paragraphs"].append(paragraph["text"])
        document_of[paragraph["id"]] = doc["id"]
with open(os.path.join(target, "corpus.jsonl"), "w", encoding="utf-8") as out:
    for doc in documents.values():
        out.write(json.dumps({"id": doc["id"], "title": doc["id"], "text": "\n\n".join(doc["paragraphs"])}, ensure_ascii=False) + "\n")
with open(os.path.join(source, "piaf-dev-questions.json"), encoding="utf-8") as f:
    questions = json.load(f)
for q in questions:
    q["gold"] = document_of[q["gold"]]
with open(os.path.join(target, "questions.json"), "w", encoding="utf-8") as out:
    json.dump(questions, out, ensure_ascii=False, indent=1)
print(f"{len(documents)} documents, {len(questions)} questions written to {target}")
