"""Training throughput of each main-line step under the `cpu` preset, against this machine's float32 matmul peak.

    python benchmarks/throughput.py [STEP ...] [--steps 30] [--threads 2] [--compare] [--out benchmarks/throughput.json]

The peer, measured in the same run: large float32 `torch.mm` products on the same threads, the usual measure of a
machine's matrix peak (products small enough to stay in cache can run faster). For each step (default: every main-line step the loop trains, and the GRU side road), it
trains `--steps` optimiser steps of the step's own cpu settings in three blocks, the fastest block counting (a shared
machine's stalls only add time), after a few untimed warm-up steps (which also compile where the step compiles), and prints:

- tokens per second, and the whole cpu run's time projected from it;
- achieved GFLOP/s: the matmul FLOPs of one training step (forward and backward, counted by PyTorch's
  `FlopCounterMode`) divided by the time of a whole step (optimiser included), and as a share of the peak;
- the floor: 6 x parameters x training tokens / peak, the usual estimate of a training run's matmul work at
  the peak; and the projected time as a multiple of it;
- the step's best case at its own shapes: every FLOP-counted operation of one step (recorded with its arguments'
  shapes and strides) run alone on fresh tensors, best of five. `products` is the share of the step those
  operations would take at that speed (the rest is everything else: elementwise work, the optimiser, Python),
  and `alone` their speed then as a share of the peak;
- the same operations inside the run (PyTorch's profiler over a few steps, eager runs only): `in step` is the share of
  the step they take there, which is more than alone when they run slower among the step's other work.

`--compare` also times each step every other way (eager and compiled; fused attention and the plain path where
the step has attention), as `variants`, so the library's choice for each step can be checked against the others
in the same run.

The peak is the fastest of three sizes, measured before and after the steps (the larger counts). The machine is
shared and noisy, so the ratios are the numbers to trust; the JSON (default
`benchmarks/throughput.json`) keeps the machine, the peak and every row, and the book's claims about the cpu
budget's time are generated from it.
"""
import argparse, functools, json, time
from pathlib import Path
import torch, torch.nn.functional as F
from dataclasses import replace
from torch.utils.flop_counter import FlopCounterMode, flop_registry
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_map
from torch.profiler import profile, ProfilerActivity
from you_could_have.data import load_corpus, get_batch
from you_could_have.records import write_json, cpu_name
from you_could_have.ladder import STEPS, get_step
from you_could_have import training
from you_could_have.training import train, with_overrides, n_params

def matmul_peak(sizes=(1024, 1536, 2048), repeats:int=10) -> float:
    "GFLOP/s of the fastest float32 `n x n` matrix product on the current threads (best of `repeats` for each size in `sizes`)."
    out = 0.0
    for n in sizes:
        a, b = torch.randn(n, n), torch.randn(n, n)
        torch.mm(a, b)
        best = float('inf')
        for _ in range(repeats):
            t = time.perf_counter(); torch.mm(a, b); best = min(best, time.perf_counter() - t)
        out = max(out, 2 * n ** 3 / best / 1e9)
    return out

def step_flops(model, p, corpus) -> int:
    "Matmul FLOPs of one training step's forward and backward (the optimiser's own products are not counted)."
    x, y = get_batch(corpus.train, p.block_size, p.batch_size, torch.Generator().manual_seed(0))
    with FlopCounterMode(display=False) as fc:
        logits = model(x)
        F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).backward()
    model.zero_grad(set_to_none=True)
    return fc.get_total_flops()

class _Products(TorchDispatchMode):
    "Records every FLOP-counted operation (matrix products, convolutions, fused attention on CUDA) with its arguments' shapes."
    def __init__(self):
        super().__init__(); self.ops = []
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func._overloadpacket in flop_registry:
            spec = lambda a: ('tensor', tuple(a.shape), tuple(a.stride()), a.dtype, a.requires_grad) if isinstance(a, torch.Tensor) else a
            self.ops.append((func, tree_map(spec, args), tree_map(spec, kwargs)))
        return func(*args, **kwargs)

def _replay(op, repeats:int=5):
    "Best time of one recorded operation, run alone on fresh tensors of the same shapes and strides."
    make = lambda a: (torch.empty_strided(a[1], a[2], dtype=a[3]).normal_() if a[3].is_floating_point else
                      torch.empty_strided(a[1], a[2], dtype=a[3]).zero_()) if isinstance(a, tuple) and a[:1] == ('tensor',) else a
    is_spec = lambda a: isinstance(a, tuple) and a[:1] == ('tensor',)
    func, args, kwargs = op
    args, kwargs = tree_map(make, args, is_leaf=is_spec), tree_map(make, kwargs, is_leaf=is_spec)
    func(*args, **kwargs)
    best = float('inf')
    for _ in range(repeats):
        t = time.perf_counter(); func(*args, **kwargs); best = min(best, time.perf_counter() - t)
    return best

def product_seconds(model, p, corpus) -> float:
    "Seconds one training step's FLOP-counted operations take when each runs alone at its own shapes: the step's best case on this machine."
    x, y = get_batch(corpus.train, p.block_size, p.batch_size, torch.Generator().manual_seed(0))
    with _Products() as rec:
        logits = model(x)
        F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).backward()
    model.zero_grad(set_to_none=True)
    times = {}
    for op in rec.ops:
        key = repr(op)
        if key not in times: times[key] = _replay(op)
    return sum(times[repr(op)] for op in rec.ops)

def attention_paths(model) -> list:
    "The modules of `model` that can take the fused attention kernel or the plain path (their `fused` flag)."
    return [m for m in model.modules() if hasattr(m, 'fused')]

PRODUCT_EVENTS = {k._qualified_op_name for k in flop_registry if hasattr(k, '_qualified_op_name')}   # the operations FLOPs are counted for

def products_in_step(model, p, corpus, steps:int=5) -> float:
    "Seconds a training step's forward and backward spend in their FLOP-counted products (matrix products, convolutions) inside the run, by PyTorch's profiler."
    quiet = with_overrides(p, main_line=False, max_iters=steps, eval_interval=0, ckpt_interval=0, warmup_iters=0)
    with profile(activities=[ProfilerActivity.CPU]) as prof: train(model, corpus.train, quiet, progress=False)
    def counted(e):                              # a product of the model's, not inside another one (a convolution's own calls)
        a = e.cpu_parent                         # nor inside the optimiser (Muon's orthogonalisation is not the model's)
        while a is not None:
            if a.name in PRODUCT_EVENTS or a.name.startswith('Optimizer.step'): return False
            a = a.cpu_parent
        return e.name in PRODUCT_EVENTS
    return sum(e.cpu_time_total for e in prof.events() if counted(e)) / 1e6 / steps

def measure(step_id:str, corpus, steps:int, peak:float, warmup:int=5, compile:bool=None, fused:bool=None, blocks:int=3) -> dict:
    "Time `steps` training steps of `step_id` under its cpu settings (as the step trains, or compiled and fused as `compile` and `fused` say); its throughput against `peak`."
    s = get_step(step_id)
    p, _ = s.settings('cpu')
    if compile is not None: p = replace(p, compile=compile)
    model = s.build('cpu', len(corpus.vocab))
    for m in attention_paths(model) if fused is not None else []: m.fused = fused
    flops, best_s = step_flops(model, p, corpus), product_seconds(model, p, corpus)
    quiet = dict(eval_interval=0, ckpt_interval=0, warmup_iters=0)
    t0 = time.perf_counter()
    train(model, corpus.train, with_overrides(p, main_line=False, max_iters=warmup, **quiet), progress=False)   # compiles, if it does
    warm_s = time.perf_counter() - t0
    sec = float('inf')
    for _ in range(blocks):                      # the best of a few blocks: a shared machine's stalls only ever add time
        t0 = time.perf_counter()
        train(model, corpus.train, with_overrides(p, main_line=False, max_iters=steps // blocks, **quiet), progress=False)
        sec = min(sec, (time.perf_counter() - t0) / (steps // blocks))
    in_step = products_in_step(model, p, corpus) if not p.compile else None
    n, tokens = n_params(model), p.train_tokens
    floor_s = 6 * n * tokens / (peak * 1e9)
    paths = {m.fused for m in attention_paths(model)}
    return dict(step=step_id, params=n, compiled=p.compile, fused=paths.pop() if len(paths) == 1 else None, s_per_step=sec, tokens_per_s=p.block_size * p.batch_size / sec,
                gflops=flops / sec / 1e9, peak_share=flops / sec / 1e9 / peak, projected_s=sec * p.max_iters,
                floor_s=floor_s, floor_ratio=sec * p.max_iters / floor_s, optimizer=p.optimizer,
                products_s=best_s, products_share=best_s / sec, products_peak_share=flops / best_s / 1e9 / peak,
                products_in_step_s=in_step, products_in_step_share=None if in_step is None else in_step / sec,
                warmup_s=warm_s)

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
    ap.add_argument('--compare', action='store_true',
                    help="also time each step every other way: eager and compiled, and, where it has attention, fused and plain (`variants` rows)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.ns_dtype: training.Muon.__init__ = functools.partialmethod(training.Muon.__init__, ns_dtype=getattr(torch, a.ns_dtype))
    corpus = load_corpus()
    peak = matmul_peak()
    rows, variants = [], []
    for i in (a.step_ids or default_steps()):
        rows.append(measure(i, corpus, a.steps, peak))
        if a.compare:
            ways = [(c, f) for c in (False, True) for f in ((None,) if rows[-1]['fused'] is None else (False, True))]
            variants += [dict(rows[-1], default=True)] + [dict(measure(i, corpus, a.steps, peak, compile=c, fused=f), default=False)
                                                         for c, f in ways if (c, f) != (rows[-1]['compiled'], rows[-1]['fused'])]
    end_peak = matmul_peak()                     # measured again at the end: the machine's best, if it slowed at the start
    if end_peak > peak:
        for r in rows + variants:
            for k in ('peak_share', 'products_peak_share'): r[k] *= peak / end_peak
            r['floor_s'] *= peak / end_peak; r['floor_ratio'] *= end_peak / peak
        peak = end_peak
    print(f"float32 matmul peak: {peak:.1f} GFLOP/s on {a.threads} threads ({cpu_name()})")
    print(f"{'step':>14} {'params':>8} {'compiled':>8} {'s/step':>7} {'tokens/s':>9} {'GFLOP/s':>8} {'of peak':>8} {'projected':>10} "
          f"{'floor':>7} {'x floor':>8} {'products':>9} {'alone':>7} {'in step':>8}")
    for r in rows:
        print(f"{r['step']:>14} {r['params']:>8,} {str(r['compiled']):>8} {r['s_per_step']:7.3f} {r['tokens_per_s']:9,.0f} {r['gflops']:8.1f} "
              f"{r['peak_share']:8.0%} {r['projected_s'] / 60:8.1f} m {r['floor_s'] / 60:5.1f} m {r['floor_ratio']:8.2f} "
              f"{r['products_share']:9.0%} {r['products_peak_share']:7.0%} "
              + (f"{r['products_in_step_share']:8.0%}" if r['products_in_step_share'] is not None else f"{'':>8}"))
    print("products: the share of a step its FLOP-counted operations would take, each run alone at its own shapes; "
          "alone: their speed then, as a share of the peak; in step: the share they take inside the run (profiler)")
    for r in variants:
        base = next(v for v in variants if v['step'] == r['step'] and not v['compiled'] and v['fused'] in (None, True))
        print(f"{r['step']:>14} {'compiled' if r['compiled'] else 'eager':>8} {'' if r['fused'] is None else 'fused' if r['fused'] else 'plain':>5}: "
              f"{r['s_per_step']:.3f} s/step, {base['s_per_step'] / r['s_per_step']:.2f}x eager{' fused' if r['fused'] is not None else ''}"
              f"{' (the default)' if r['default'] else ''}, warm-up {r['warmup_s']:.0f} s")
    write_json(a.out, dict(machine=dict(cpu=cpu_name(), threads=a.threads, torch=torch.__version__), peak_gflops=peak,
                           steps_timed=a.steps, ns_dtype=a.ns_dtype or 'library default', date=time.strftime('%Y-%m-%d %H:%M:%S'),
                           command=' '.join(['python benchmarks/throughput.py', *a.step_ids] + (['--ns-dtype', a.ns_dtype] if a.ns_dtype else [])
                                            + (['--compare'] if a.compare else [])),
                           rows=rows, **(dict(variants=variants) if a.compare else {})))
    print(f"written {a.out}")
