"""Which position scheme goes on the main line: short runs of each, scored on a held-out slice of TRAIN (never val).

    python benchmarks/positions_choice.py none index learned sinusoidal rope alibi

Each scheme trains the attention rung's shape (one head, 4 layers, 128 wide) on the first 90% of the training
text for `--tokens` tokens (default 1,024,000, a tenth of the cpu budget, under a compressed cpu schedule) and
is scored on the last 10% by the shared evaluator. Each run writes `benchmarks/positions_choice/SCHEME.json`;
`positions.BEST_POS` is the lowest. Run one process per scheme (each uses one thread).
"""
import argparse, json, time
from pathlib import Path
import torch
from you_could_have.data import load_corpus
from you_could_have.training import get_preset, with_overrides, build_model, n_params, train
from you_could_have.yardstick import evaluate
from you_could_have.records import write_json
from you_could_have.positions import PosLM, POSITIONS

OUT = Path(__file__).parent/'positions_choice'

def run(pos:str, tokens:int):
    torch.set_num_threads(1)
    corpus = load_corpus()
    cut = int(0.9 * len(corpus.train))
    tr, held = corpus.train[:cut], corpus.train[cut:]
    base = get_preset('cpu')
    iters = tokens // (base.batch_size * base.block_size)
    p = with_overrides(base, main_line=False, max_iters=iters, warmup_iters=max(1, iters // 25), eval_interval=0, ckpt_interval=0)
    model = build_model(PosLM, len(corpus.vocab), p.block_size, seed=p.seed, n_embd=128, n_layer=4, n_head=1, pos=pos)
    info = train(model, tr, p, progress=False)
    score = evaluate(model, held, p.block_size)
    row = dict(pos=pos, tokens=p.train_tokens, params=n_params(model), heldout_train_bpc=score['bpc'],
               wall_s=round(info['wall_s'], 1), torch=torch.__version__, date=time.strftime('%Y-%m-%d %H:%M:%S'))
    OUT.mkdir(exist_ok=True)
    write_json(OUT/f'{pos}.json', row)                               # whole or not at all, even beside other runs
    print(f"{pos}: held-out train {score['bpc']:.4f} bpc", flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('schemes', nargs='+', choices=POSITIONS)
    ap.add_argument('--tokens', type=int, default=1_024_000)
    a = ap.parse_args()
    for s in a.schemes: run(s, a.tokens)
