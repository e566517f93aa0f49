"""Training throughput of each main-line step under the `cpu` preset, against this machine's float32 matmul peak.

    python benchmarks/throughput.py [STEP ...] [--steps 30] [--threads 2] [--out benchmarks/throughput.json]

The peer, measured in the same run: a large float32 `torch.mm` on the same threads, the fastest this machine
multiplies matrices. For each step (default: every main-line step the loop trains, and the GRU side road), it
trains `--steps` optimiser steps of the step's own cpu settings (after a few untimed warm-up steps, which also
compile where the step compiles) and prints:

- tokens per second, and the whole cpu run's time projected from it;
- achieved GFLOP/s: the matmul FLOPs of one training step (forward and backward, counted by PyTorch's
  `FlopCounterMode`) divided by the time of a whole step (optimiser included), and as a share of the peak;
- the floor: 6 x parameters x training tokens / peak, the usual estimate of a training run's matmul work at
  the peak; and the projected time as a multiple of it.

The machine is shared and noisy, so the ratios are the numbers to trust; the JSON (default
`benchmarks/throughput.json`) keeps the machine, the peak and every row, and the book's claims about the cpu
budget's time are generated from it.
"""
import argparse, functools, json, platform, time
from pathlib import Path
import torch, torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode
from you_could_have.data import load_corpus, get_batch
from you_could_have.records import write_json
from you_could_have.ladder import STEPS, get_step
from you_could_have import training
from you_could_have.training import train, with_overrides, n_params

def matmul_peak(n:int=1536, repeats:int=10) -> float:
    "GFLOP/s of a float32 `n x n` matrix product on the current threads (best of `repeats`)."
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float('inf')
    for _ in range(repeats):
        t = time.perf_counter(); torch.mm(a, b); best = min(best, time.perf_counter() - t)
    return 2 * n ** 3 / best / 1e9

def step_flops(model, p, corpus) -> int:
    "Matmul FLOPs of one training step's forward and backward (the optimiser's own products are not counted)."
    x, y = get_batch(corpus.train, p.block_size, p.batch_size, torch.Generator().manual_seed(0))
    with FlopCounterMode(display=False) as fc:
        logits = model(x)
        F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).backward()
    model.zero_grad(set_to_none=True)
    return fc.get_total_flops()

def measure(step_id:str, corpus, steps:int, peak:float, warmup:int=5) -> dict:
    "Time `steps` training steps of `step_id` under its cpu settings; its throughput against `peak`."
    s = get_step(step_id)
    p, _ = s.settings('cpu')
    model = s.build('cpu', len(corpus.vocab))
    flops = step_flops(model, p, corpus)
    quiet = dict(eval_interval=0, ckpt_interval=0, warmup_iters=0)
    train(model, corpus.train, with_overrides(p, main_line=False, max_iters=warmup, **quiet), progress=False)
    t0 = time.perf_counter()
    train(model, corpus.train, with_overrides(p, main_line=False, max_iters=steps, **quiet), progress=False)
    sec = (time.perf_counter() - t0) / steps
    n, tokens = n_params(model), p.train_tokens
    floor_s = 6 * n * tokens / (peak * 1e9)
    return dict(step=step_id, params=n, s_per_step=sec, tokens_per_s=p.block_size * p.batch_size / sec,
                gflops=flops / sec / 1e9, peak_share=flops / sec / 1e9 / peak, projected_s=sec * p.max_iters,
                floor_s=floor_s, floor_ratio=sec * p.max_iters / floor_s, optimizer=p.optimizer)

def cpu_name() -> str:
    try: return next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

def default_steps() -> list:
    return [s.id for s in STEPS if s.main_line and s.fit is None and 'cpu' in s.configs] + ['gru']

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('step_ids', nargs='*', metavar='STEP')
    ap.add_argument('--steps', type=int, default=30)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default=str(Path(__file__).parent/'throughput.json'))
    ap.add_argument('--ns-dtype', default=None, choices=['bfloat16', 'float32'],
                    help="Muon's Newton-Schulz dtype (default: the library's choice); bfloat16 measures what torch.optim.Muon does")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.ns_dtype: training.Muon.__init__ = functools.partialmethod(training.Muon.__init__, ns_dtype=getattr(torch, a.ns_dtype))
    corpus = load_corpus()
    peak = matmul_peak()
    rows = [measure(i, corpus, a.steps, peak) for i in (a.step_ids or default_steps())]
    print(f"float32 matmul peak: {peak:.1f} GFLOP/s on {a.threads} threads ({cpu_name()})")
    print(f"{'step':>12} {'params':>8} {'s/step':>7} {'tokens/s':>9} {'GFLOP/s':>8} {'of peak':>8} {'projected':>10} {'floor':>7} {'x floor':>8}")
    for r in rows:
        print(f"{r['step']:>12} {r['params']:>8,} {r['s_per_step']:7.3f} {r['tokens_per_s']:9,.0f} {r['gflops']:8.1f} "
              f"{r['peak_share']:8.0%} {r['projected_s'] / 60:8.1f} m {r['floor_s'] / 60:5.1f} m {r['floor_ratio']:8.2f}")
    write_json(a.out, dict(machine=dict(cpu=cpu_name(), threads=a.threads, torch=torch.__version__), peak_gflops=peak,
                           steps_timed=a.steps, ns_dtype=a.ns_dtype or 'library default', date=time.strftime('%Y-%m-%d %H:%M:%S'),
                           command=' '.join(['python benchmarks/throughput.py', *a.step_ids] + (['--ns-dtype', a.ns_dtype] if a.ns_dtype else [])),
                           rows=rows))
    print(f"written {a.out}")
