"""The `cpu` budget on this machine: how long a whole `cpu` run of a step takes, projected from a short timed run.

    python benchmarks/cpu_budget.py [STEP ...] [--steps 100] [--threads 2]

Each step (default: `transformer`, the final model, and `mlp`, the first neural rung, as its peer) trains
for `--steps` optimiser steps of its own `cpu` settings with `--threads` threads (after 10 untimed warm-up
steps); the time per step is projected to the preset's `max_iters`. It prints the projected minutes and
the ratio of each step to the first peer, measured in the same run: the machine is shared, so the ratio
is the number to trust, and the minutes are what this machine gives right now. The book's `cpu` preset
promises at most ten minutes a step on two cores.
"""
import argparse, time
import torch
from you_could_have.data import load_corpus
from you_could_have.ladder import get_step
from you_could_have.training import train, with_overrides

def per_step_seconds(step_id:str, corpus, steps:int, warmup:int=10) -> tuple:
    "Seconds per optimiser step of `step_id` under its cpu settings, and the preset's number of steps."
    s = get_step(step_id)
    p, _ = s.settings('cpu')
    model = s.build('cpu', len(corpus.vocab))
    quiet = dict(eval_interval=0, ckpt_interval=0, warmup_iters=0)
    train(model, corpus.train, with_overrides(p, main_line=False, max_iters=warmup, **quiet), progress=False)
    t0 = time.perf_counter()
    train(model, corpus.train, with_overrides(p, main_line=False, max_iters=steps, **quiet), progress=False)
    return (time.perf_counter() - t0) / steps, p.max_iters

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('steps_ids', nargs='*', default=['mlp', 'transformer'], metavar='STEP')
    ap.add_argument('--steps', type=int, default=100)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    corpus = load_corpus()
    rows = [(i, *per_step_seconds(i, corpus, a.steps)) for i in a.steps_ids]
    peer = rows[0][1]
    print(f"{'step':>14} {'s/step':>8} {'steps':>6} {'projected min':>14} {'ratio to ' + rows[0][0]:>16}   ({a.threads} threads)")
    for i, sec, n in rows:
        print(f"{i:>14} {sec:8.4f} {n:6d} {sec * n / 60:14.1f} {sec / peer:16.2f}")
