#!/usr/bin/env python3
"""Baseline for the prompts benchmark: what an analyst would write in Python.

Parses the danmaku XML (xml.etree iterparse), segments every comment with jieba, keeps the ones that
look like questions (question mark or question word), vectorises them with scikit-learn's TF-IDF and
groups them with MiniBatchKMeans, then writes the clusters as JSON. Prints one line of timings.
usage: prompts_baseline.py LOG.xml OUT.json
"""
import json
import re
import sys
import time
import xml.etree.ElementTree as ET

import jieba
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

t0 = time.perf_counter()
texts = []
for _, el in ET.iterparse(sys.argv[1]):
    if el.tag == "d":
        texts.append(el.text or "")
        el.clear()
t1 = time.perf_counter()
jieba.setLogLevel(60)
q = re.compile(r"[?？吗呢]|什么|怎么|为什么|几|多少|哪|如何")
questions = [t for t in texts if q.search(t)]
docs = [" ".join(jieba.lcut(t)) for t in questions]
t2 = time.perf_counter()
vec = TfidfVectorizer(token_pattern=r"(?u)\S+", min_df=2)
X = vec.fit_transform(docs)
k = min(200, max(2, X.shape[0] // 50))
km = MiniBatchKMeans(n_clusters=k, random_state=0, batch_size=4096, n_init=3).fit(X)
t3 = time.perf_counter()
clusters = {}
for label, text in zip(km.labels_, questions):
    clusters.setdefault(int(label), []).append(text)
ranked = sorted(clusters.values(), key=len, reverse=True)
json.dump([{"count": len(c), "examples": c[:5]} for c in ranked], open(sys.argv[2], "w"), ensure_ascii=False)
t4 = time.perf_counter()
print("baseline: %d comments, %d question-like, %d clusters; parse %.2fs, jieba %.2fs, tfidf+kmeans %.2fs, write %.2fs"
      % (len(texts), len(questions), k, t1 - t0, t2 - t1, t3 - t2, t4 - t3))
