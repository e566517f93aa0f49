"""Two writers at once, many times: the concurrent-writer stress test of `records.stress_writers`, at a larger size.

    python benchmarks/stress_writers.py [--trials 2000] [--disk]

Two processes, released together by a barrier in every trial, each write a record of their own, the same shared
record and the same checkpoint, and rebuild `ladder.json`. It prints what failed and what was left broken (all
zero when the writers are sound) and writes `benchmarks/stress_writers.json`. `--disk` runs in a folder on disk
(with real fsyncs) instead of memory-backed /dev/shm.
"""
import argparse, tempfile, time
from pathlib import Path
from you_could_have.records import stress_writers, write_json

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--trials', type=int, default=2000)
    ap.add_argument('--disk', action='store_true', help='write on disk (real fsyncs) instead of /dev/shm')
    a = ap.parse_args()
    t = time.time()
    with tempfile.TemporaryDirectory(dir=Path(__file__).parent if a.disk else None) as d:
        r = stress_writers(a.trials, root=Path(d)/'w' if a.disk else None)
    r.update(wall_s=round(time.time() - t, 1), on='disk' if a.disk else 'memory (/dev/shm where present)',
             command='python benchmarks/stress_writers.py' + (f' --trials {a.trials}' if a.trials != 2000 else '') + (' --disk' if a.disk else ''))
    print(r)
    write_json(Path(__file__).parent/'stress_writers.json', r)
    if r['failed_writes'] or r['corrupt'] or r['missing_step'] or r['left_over']: raise SystemExit(1)
