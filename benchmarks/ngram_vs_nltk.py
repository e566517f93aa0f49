"""nltk.lm against `you_could_have.ngrams.NGramLM` on the same slice, order and settings: agreement and speed.

    python benchmarks/ngram_vs_nltk.py [--train-chars 20000] [--test-chars 1000] [--order 3]

Interpolated Kneser-Ney with one fixed discount (nltk's `KneserNeyInterpolated`) and Laplace. Both fit on the
first `--train-chars` of the train text and score the next `--test-chars`; the script prints the largest relative
difference of the probabilities, both times and the speed ratio, and fails if the agreement is worse than 1e-6.
nltk scores a Kneser-Ney probability by scanning all its higher-order counts, so its time grows with the slice.
"""
import argparse, os, sys, time
import numpy as np
from you_could_have.data import load_corpus
from you_could_have.ngrams import compare_nltk, NGramLM, mean_nats

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--train-chars', type=int, default=20_000)
ap.add_argument('--test-chars', type=int, default=1_000)
ap.add_argument('--order', type=int, default=3)
ap.add_argument('--discount', type=float, default=0.75)
a = ap.parse_args()

corpus = load_corpus()
train, test = corpus.train_text[:a.train_chars], corpus.train_text[a.train_chars:a.train_chars + a.test_chars]
print(f"slice: {len(train):,} train chars, {len(test):,} test chars, order {a.order}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
worst = 0.0
for method in ('kn', 'laplace'):
    r = compare_nltk(train, test, a.order, method, a.discount)
    rel = float(np.abs(r['ours'] / r['nltk'] - 1).max())
    worst = max(worst, rel)
    print(f"{method:>8}: max relative difference {rel:.2e}; nltk {r['nltk_s']:.2f} s, ours {r['ours_s'] * 1000:.1f} ms "
          f"(fit + score): {r['nltk_s'] / r['ours_s']:.0f}x faster")

t0 = time.perf_counter()
lm = NGramLM(len(corpus.vocab), 7, 'mkn').fit(corpus.train)
t1 = time.perf_counter()
nats = mean_nats(lm, corpus.val)
t2 = time.perf_counter()
print(f"modified KN, order 7, all of train and val: fit {t1 - t0:.1f} s, score {t2 - t1:.1f} s, {nats / np.log(2):.4f} bpc")
if worst > 1e-6: sys.exit(f"disagreement {worst:.2e} > 1e-6")
