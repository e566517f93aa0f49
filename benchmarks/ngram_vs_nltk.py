"""nltk.lm against `you_could_have.ngrams.NGramLM` on the same slice, order and settings: agreement and speed.

    python benchmarks/ngram_vs_nltk.py [--train-chars 20000] [--test-chars 1000] [--order 3] [--repeats 5]

Interpolated Kneser-Ney with one fixed discount (nltk's `KneserNeyInterpolated`) and Laplace. Both fit on the
first `--train-chars` of the train text and score the next `--test-chars`; the script prints the largest relative
difference of the probabilities, both times (fit + score, the best of `--repeats` runs of each, so that a busy
machine's noise does not decide the ratio) and the speed ratio, in wall time and in CPU time (which a shared machine
disturbs less: both sides run on one core); it fails if the agreement is worse than 1e-9 or a CPU-time ratio is
below 100. nltk scores a Kneser-Ney probability by scanning all its higher-order counts, so its time grows
with the slice. The table is written to benchmarks/ngram_vs_nltk.json.
"""
import argparse, json, os, sys, tempfile, time
from pathlib import Path
import numpy as np
from you_could_have.data import load_corpus
from you_could_have.ngrams import compare_nltk, NGramLM, mean_nats
from you_could_have.records import git_commit

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--train-chars', type=int, default=20_000)
ap.add_argument('--test-chars', type=int, default=1_000)
ap.add_argument('--order', type=int, default=3)
ap.add_argument('--discount', type=float, default=0.75)
ap.add_argument('--repeats', type=int, default=5, help='runs of each side; the best time of each is compared')
ap.add_argument('--out', default=str(Path(__file__).with_suffix('.json')), help="where to write the table ('' for nowhere)")
a = ap.parse_args()
for name in ('train_chars', 'test_chars', 'order', 'repeats'):
    if getattr(a, name) < 1: ap.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(a, name)}")

corpus = load_corpus()
train, test = corpus.train_text[:a.train_chars], corpus.train_text[a.train_chars:a.train_chars + a.test_chars]
load = os.getloadavg()[0]
print(f"slice: {len(train):,} train chars, {len(test):,} test chars, order {a.order}, best of {a.repeats}; "
      f"load average {load:.1f} on {os.cpu_count()} cores")
rows, worst, slowest = {}, 0.0, float('inf')             # slowest: the lowest CPU-time ratio
for method in ('kn', 'laplace'):
    runs = [compare_nltk(train, test, a.order, method, a.discount) for _ in range(a.repeats)]
    r = runs[0]
    rel = max(float(np.abs(r['ours'] / r['nltk'] - 1).max()) for r in runs)
    nltk_s, ours_s = min(r['nltk_s'] for r in runs), min(r['ours_s'] for r in runs)
    nltk_cpu, ours_cpu = min(r['nltk_cpu_s'] for r in runs), min(r['ours_cpu_s'] for r in runs)
    worst, slowest = max(worst, rel), min(slowest, nltk_cpu / ours_cpu)
    rows[method] = dict(max_rel_diff=rel, nltk_s=nltk_s, ours_s=ours_s, ratio=nltk_s / ours_s,
                        nltk_cpu_s=nltk_cpu, ours_cpu_s=ours_cpu, cpu_ratio=nltk_cpu / ours_cpu,
                        ours_s_runs=[r['ours_s'] for r in runs], nltk_s_runs=[r['nltk_s'] for r in runs])
    print(f"{method:>8}: max relative difference {rel:.2e}; nltk {nltk_s:.2f} s, ours {ours_s * 1000:.1f} ms "
          f"(fit + score): {nltk_s / ours_s:.0f}x faster; in CPU time {nltk_cpu / ours_cpu:.0f}x")

t0 = time.perf_counter()
lm = NGramLM(len(corpus.vocab), 7, 'mkn').fit(corpus.train)
t1 = time.perf_counter()
nats = mean_nats(lm, corpus.val)
t2 = time.perf_counter()
print(f"modified KN, order 7, all of train and val: fit {t1 - t0:.1f} s, score {t2 - t1:.1f} s, {nats / np.log(2):.4f} bpc")

if a.out:
    out = Path(a.out)
    rec = dict(train_chars=len(train), test_chars=len(test), order=a.order, discount=a.discount, repeats=a.repeats,
               methods=rows, mkn7_full=dict(fit_s=t1 - t0, score_s=t2 - t1, bpc=nats / np.log(2)),
               load_average=load, cpu_count=os.cpu_count(), units='seconds of fit + score, best of the repeats (wall and CPU); ratio = nltk_s / ours_s, cpu_ratio = nltk_cpu_s / ours_cpu_s',
               command='python ' + ' '.join([f'benchmarks/{Path(__file__).name}'] + sys.argv[1:]),
               git_commit=git_commit(), date=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()))
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name + '.', suffix='.tmp')  # unique, beside the target
    try:
        with os.fdopen(fd, 'w') as f: f.write(json.dumps(rec, indent=1) + '\n')
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp): os.unlink(tmp)
    print(f"wrote {out}")
if worst > 1e-9: sys.exit(f"disagreement with nltk {worst:.2e} > 1e-9")
if slowest < 100: sys.exit(f"lowest CPU-time ratio {slowest:.0f}x < 100x nltk")
