"""The CPU speedrun: tuning its settings on held-out TRAIN (never val), and nanoGPT's CPU recipe beside it.

    python benchmarks/speedrun.py tune STEP --lr 2e-3 4e-3 --dropout 0 0.2 [--frac 0.25] [--threads 1]
    python benchmarks/speedrun.py compare [--threads 2]

`tune` trains STEP's `speedrun` settings with each learning rate and dropout on the first 90% of the training
text and scores the last 10% of it with the shared evaluator, at `--frac` of the preset's tokens (the schedule
shortened to match). Each run adds a row to `results/speedrun/tuning/STEP.json` (`rows`, `chosen`: the lowest
held-out bpc at the full budget, else at the largest budget tried, and `command`), written atomically; the
step's `speedrun` settings read `chosen` from it. A reduced budget can rank the regularisation differently
(fewer epochs overfit less), so dropout is compared at the full budget.

`compare` reads the speedrun record of the GRU and trains nanoGPT's CPU recipe through the book's loop in the same
process, printing both (bpc, nats, wall time) and their ratio.
"""
import argparse, fcntl, json, sys, time
from pathlib import Path
import torch
from you_could_have.data import load_corpus
from you_could_have.records import write_json
from you_could_have.ladder import get_step
from you_could_have.training import with_overrides, n_params, train, build_model
from you_could_have.yardstick import evaluate

ROOT = Path(__file__).resolve().parent.parent

def heldout_run(step_id:str, lr:float, dropout:float, frac:float=1.0, preset:str='speedrun') -> dict:
    "Train `step_id`'s `preset` settings with `lr` and `dropout` on the first 90% of train; its bpc on the last 10%."
    corpus, s = load_corpus(), get_step(step_id)
    p, kw = s.settings(preset)
    cut = int(0.9 * len(corpus.train))
    iters = max(1, round(p.max_iters * frac))
    p = with_overrides(p, main_line=False, lr=lr, min_lr=lr / 10, max_iters=iters,
                       warmup_iters=min(p.warmup_iters, iters // 10), eval_interval=0, ckpt_interval=0)
    model = build_model(s.factory, len(corpus.vocab), p.block_size, seed=p.seed, **dict(kw, dropout=dropout))
    info = train(model, corpus.train[:cut], p, progress=False)
    score = evaluate(model, corpus.train[cut:], p.block_size)
    return dict(lr=lr, dropout=dropout, frac=frac, tokens=p.train_tokens, max_iters=iters, params=n_params(model),
                heldout_train_bpc=score['bpc'], wall_s=round(info['wall_s'], 1), threads=torch.get_num_threads())

def choose(rows:list) -> dict:
    "The lowest held-out bpc among the rows at the largest budget tried."
    top = max(r['frac'] for r in rows)
    best = min((r for r in rows if r['frac'] == top), key=lambda r: r['heldout_train_bpc'])
    return dict(lr=best['lr'], dropout=best['dropout'])

def tune(step_id:str, lrs, dropouts, frac:float, preset:str='speedrun'):
    path = ROOT/'results'/preset/'tuning'/f'{step_id}.json'
    for lr in lrs:
        for d in dropouts:
            row = heldout_run(step_id, lr, d, frac, preset)
            print(json.dumps(row), flush=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.with_name(path.name + '.lock'), 'w') as lock:   # runs in parallel each add their row
                fcntl.flock(lock, fcntl.LOCK_EX)
                add_row(path, row, step_id, preset)

def add_row(path, row:dict, step_id:str, preset:str):
    "Add (or replace) `row` in the tuning record at `path`, and choose again."
    lr, d, frac = row['lr'], row['dropout'], row['frac']
    rec = json.loads(path.read_text()) if path.exists() else dict(step=step_id, preset=preset, rows=[])
    rec['rows'] = [r for r in rec['rows'] if (r['lr'], r['dropout'], r['frac']) != (lr, d, frac)] + [row]
    rec['chosen'] = choose(rec['rows'])
    rec['command'] = f"python benchmarks/speedrun.py tune {step_id} --lr LR... --dropout D... --frac F (one row each)"
    rec['protocol'] = ('trained on the first 90% of train, scored on its last 10% (never val); learning rate '
                       'swept at a reduced budget, dropout at the full budget')
    write_json(path, rec)

def compare(step_id:str='gru'):
    "nanoGPT's CPU recipe trained through the book's loop now, beside the speedrun record of `step_id`."
    corpus, s = load_corpus(), get_step('nanogpt_cpu_recipe')
    p, _ = s.settings('cpu')
    model = s.build('cpu', len(corpus.vocab))
    info = train(model, corpus.train, with_overrides(p, main_line=False, eval_interval=0, ckpt_interval=0), progress=False)
    ref = dict(step='nanogpt_cpu_recipe (cpu)', wall_s=info['wall_s'], **evaluate(model, corpus.val, p.block_size))
    f = ROOT/'results'/'speedrun'/f'{step_id}.json'
    if not f.exists(): raise SystemExit(f"speedrun.py: error: no record at {f}: run `ych_train {step_id} --preset speedrun` first.")
    rec = json.loads(f.read_text())
    ours = dict(step=f"{step_id} (speedrun, recorded)", wall_s=rec['wall_s'], bpc=rec['bpc'], nats=rec['nats'])
    for r in (ref, ours): print(f"{r['step']:>28}: {r['bpc']:.4f} bpc, {r['nats']:.4f} nats/char, {r['wall_s']:.0f} s")
    print(f"speedrun / nanoGPT CPU recipe: {ours['nats'] / ref['nats']:.3f} of its nats, {ours['wall_s'] / ref['wall_s']:.2f}x its time")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    t = sub.add_parser('tune'); t.add_argument('step')
    t.add_argument('--lr', type=float, nargs='+', required=True); t.add_argument('--dropout', type=float, nargs='+', default=[0.0])
    t.add_argument('--frac', type=float, default=1.0); t.add_argument('--threads', type=int, default=1)
    c = sub.add_parser('compare'); c.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.cmd == 'tune': tune(a.step, a.lr, a.dropout, a.frac)
    else: compare()
