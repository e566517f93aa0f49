"""The Transformer recipe under the `cpu` preset's budget: tuning on a held-out slice of TRAIN (never val).

History: this chose the Muon recipe the Transformer trained with before every rung was tuned by one protocol;
the `transformer` step now reads its own sweep (`ych_tune transformer --preset cpu`, nbs/07_tuning.ipynb).

    python benchmarks/transformer_recipe.py tune NAME [NAME ...]   # short runs, held-out train bpc -> benchmarks/recipe_tuning/NAME.json
    python benchmarks/transformer_recipe.py list                   # the candidate recipes
    python benchmarks/transformer_recipe.py compare                # nanoGPT's CPU recipe and ours, side by side, one run

Each tuning run trains on the first 90% of the training text and scores the last 10% of it with the
shared evaluator (`evaluate`), under a shortened copy of the cpu schedule (`--tokens`, default 2,048,000
tokens, a fifth of the budget). Each run writes `benchmarks/recipe_tuning/NAME.json` with their settings,
so the choice once made for the `transformer` step can be traced. Run one process per recipe (each uses one thread).
"""
import argparse, json, sys, time
from pathlib import Path
import torch
from you_could_have.data import load_corpus
from you_could_have.training import get_preset, with_overrides, build_model, n_params, train
from you_could_have.yardstick import evaluate
from you_could_have.transformer import Transformer
from you_could_have.records import write_json

OUT = Path(__file__).parent/'recipe_tuning'
SHAPE = dict(n_embd=128, n_layer=4, n_head=4)
# name -> (model settings, preset settings); all at the cpu preset's block size, with equal tokens
RECIPES = {
    'adamw_lr2e-3':      (dict(SHAPE), dict(lr=2e-3, min_lr=2e-4)),
    'adamw_lr5e-3':      (dict(SHAPE), dict(lr=5e-3, min_lr=5e-4)),
    'adamw_lr1e-2':      (dict(SHAPE), dict(lr=1e-2, min_lr=1e-3)),
    'adamw_lr5e-3_b16':  (dict(SHAPE), dict(lr=5e-3, min_lr=5e-4, batch_size=16)),
    'muon_lr5e-3':       (dict(SHAPE), dict(lr=5e-3, min_lr=5e-4, optimizer='muon')),
    'muon_lr1e-2':       (dict(SHAPE), dict(lr=1e-2, min_lr=1e-3, optimizer='muon')),
    'adamw_lr5e-3_learned': (dict(SHAPE, pos='learned'), dict(lr=5e-3, min_lr=5e-4)),
    'adamw_lr5e-3_untied':  (dict(SHAPE, tie=False), dict(lr=5e-3, min_lr=5e-4)),
    'adamw_lr5e-3_96x7':    (dict(n_embd=96, n_layer=7, n_head=4), dict(lr=5e-3, min_lr=5e-4)),
    'adamw_lr5e-3_176x2':   (dict(n_embd=176, n_layer=2, n_head=4), dict(lr=5e-3, min_lr=5e-4)),
    'muon_lr5e-3_postln':   (dict(SHAPE, norm='post'), dict(lr=5e-3, min_lr=5e-4, optimizer='muon')),   # a lead of 61_ablations
    # the ablation without normalisation (61_ablations): its learning rate re-tuned, Muon as in the final recipe
    'nonorm_muon_lr1e-3':   (dict(SHAPE, norm='none'), dict(lr=1e-3, min_lr=1e-4, optimizer='muon')),
    'nonorm_muon_lr2e-3':   (dict(SHAPE, norm='none'), dict(lr=2e-3, min_lr=2e-4, optimizer='muon')),
    'nonorm_muon_lr5e-3':   (dict(SHAPE, norm='none'), dict(lr=5e-3, min_lr=5e-4, optimizer='muon')),
    'nonorm_muon_lr1e-2':   (dict(SHAPE, norm='none'), dict(lr=1e-2, min_lr=1e-3, optimizer='muon')),
    'nonorm_muon_lr2e-2':   (dict(SHAPE, norm='none'), dict(lr=2e-2, min_lr=2e-3, optimizer='muon')),
}

def tune(name:str, tokens:int):
    torch.set_num_threads(1)
    corpus = load_corpus()
    cut = int(0.9 * len(corpus.train))
    tr, held = corpus.train[:cut], corpus.train[cut:]
    mkw, pkw = RECIPES[name]
    opt_kind = pkw.get('optimizer', 'adamw')
    base = get_preset('cpu')
    bs = pkw.get('batch_size', base.batch_size)
    iters = tokens // (bs * base.block_size)
    p = with_overrides(base, main_line=False, max_iters=iters, warmup_iters=max(1, iters // 25), eval_interval=0,
                       ckpt_interval=0, **pkw)
    model = build_model(Transformer, len(corpus.vocab), p.block_size, seed=p.seed, **mkw)
    info = train(model, tr, p, progress=False)                     # the library's optimiser: AdamW, or Muon + AdamW
    score = evaluate(model, held, p.block_size)
    row = dict(name=name, model=mkw, optimizer=opt_kind, preset=dict(lr=p.lr, min_lr=p.min_lr, warmup_iters=p.warmup_iters,
               batch_size=p.batch_size, max_iters=p.max_iters, weight_decay=p.weight_decay), tokens=p.train_tokens,
               params=n_params(model), heldout_train_bpc=score['bpc'], wall_s=round(info['wall_s'], 1),
               final_train_loss=info['history'][-1]['loss'], torch=torch.__version__,
               date=time.strftime('%Y-%m-%d %H:%M:%S'))
    OUT.mkdir(exist_ok=True)
    write_json(OUT/f'{name}.json', row)                              # whole or not at all, even beside other runs
    print(f"{name}: held-out train {score['bpc']:.4f} bpc, {n_params(model):,} params, {info['wall_s']:.0f}s", flush=True)

def compare():
    "Train (or read, if recorded) `nanogpt_cpu_recipe` and `transformer` under cpu in this one process, and print them side by side."
    from you_could_have.records import run_step
    from you_could_have.transformer import STEPS
    torch.set_num_threads(1)
    corpus = load_corpus()
    steps = {s.id: s for s in STEPS}
    recs = {k: run_step(steps[k], 'cpu', corpus=corpus, progress=False) for k in ('transformer', 'nanogpt_cpu_recipe')}
    n, t = recs['nanogpt_cpu_recipe'], recs['transformer']
    print(f"{'':>14} {'nanoGPT CPU':>14} {'ours':>14}")
    for k, f in [('bpc', '{:.4f}'), ('nats', '{:.4f}'), ('params', '{:,}'), ('train_tokens', '{:,}'), ('wall_s', '{:.0f}')]:
        print(f"{k:>14} {f.format(n[k]):>14} {f.format(t[k]):>14}")
    print(f"bpc ratio ours/nanoGPT: {t['bpc'] / n['bpc']:.3f}; tokens ratio: {t['train_tokens'] / n['train_tokens']:.2f}; "
          f"wall ratio: {t['wall_s'] / n['wall_s']:.2f}")

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('cmd', choices=['tune', 'list', 'compare'])
    ap.add_argument('names', nargs='*')
    ap.add_argument('--tokens', type=int, default=2_048_000)
    a = ap.parse_args()
    if a.cmd == 'list': print('\n'.join(f"{k}: {v}" for k, v in RECIPES.items())); sys.exit()
    if a.cmd == 'compare': compare(); sys.exit()
    for n in a.names: tune(n, a.tokens)
