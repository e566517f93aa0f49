"""The gpu preset on one CUDA GPU: the final Transformer and the speedrun's model scaled up, each within a time limit.

    python benchmarks/gpu_check.py                 # on a machine with one CUDA GPU: 4 minutes a model at most
    python benchmarks/gpu_check.py --smoke         # the same code on the CPU with the smoke preset, in seconds (CI runs it)

For each model (`transformer` and `gru` under the `gpu` preset) it times a few training steps, shortens the
preset's schedule so that the whole run fits in `--minutes` (the cosine still ends at `min_lr`; the
record says how many of the preset's steps it ran), trains from scratch, scores the whole val text with the
book's yardstick, and prints bpc, nats, wall time and peak memory. It writes `--out` (default
`benchmarks/gpu_check.json`; `--smoke` writes nothing unless `--out` is given) with every row, the device and
the versions. Nothing is written under `results/`: a run cut short is a check, not a record.
"""
import argparse, platform, resource, sys, time
from pathlib import Path
import torch
from you_could_have.data import load_corpus
from you_could_have.records import write_json
from you_could_have.ladder import get_step
from you_could_have.training import with_overrides, train, n_params, default_device, build_model
from you_could_have.yardstick import evaluate

def peak_memory_mb(dev:torch.device) -> float:
    "Peak memory of this run: the GPU's allocator on CUDA, the process's resident set on the CPU."
    if dev.type == 'cuda': return torch.cuda.max_memory_allocated(dev) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024            # Linux reports KiB

def fitted_preset(step, preset:str, corpus, dev, seconds:float, probe_iters:int):
    "The step's preset with `max_iters` cut (never raised) so that training fits in `seconds`, from a timed probe."
    p, _ = step.settings(preset)
    model = step.build(preset, len(corpus.vocab))
    quiet = dict(eval_interval=0, ckpt_interval=0)
    probe = with_overrides(p, main_line=False, max_iters=probe_iters, warmup_iters=0, **quiet)
    train(model, corpus.train, with_overrides(probe, main_line=False, max_iters=2), device=dev, progress=False)   # warm-up
    if dev.type == 'cuda': torch.cuda.synchronize()
    t = time.perf_counter()
    train(model, corpus.train, probe, device=dev, progress=False)
    if dev.type == 'cuda': torch.cuda.synchronize()
    per = (time.perf_counter() - t) / probe_iters
    iters = max(1, min(p.max_iters, int(0.9 * seconds / per)))
    return with_overrides(p, main_line=False, max_iters=iters, warmup_iters=min(p.warmup_iters, iters // 10), **quiet), per

def check(step_id:str, preset:str, corpus, dev, seconds:float, probe_iters:int) -> dict:
    "Train `step_id` under `preset` within `seconds` on `dev` and score it on the whole val text."
    step = get_step(step_id)
    p, per = fitted_preset(step, preset, corpus, dev, seconds, probe_iters)
    _, kw = step.settings(preset)
    model = build_model(step.factory, len(corpus.vocab), p.block_size, seed=p.seed, **kw)
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
    t = time.perf_counter()
    info = train(model, corpus.train, p, device=dev, progress=False)
    wall = time.perf_counter() - t
    score = evaluate(model, corpus.val, p.block_size)
    return dict(step=step_id, preset=preset, params=n_params(model), iters=p.max_iters,
                preset_iters=step.settings(preset)[0].max_iters, train_tokens=info['train_tokens'], s_per_iter=per,
                wall_s=round(wall, 1), bpc=score['bpc'], nats=score['nats'], peak_memory_mb=round(peak_memory_mb(dev), 1))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--smoke', action='store_true', help='run on the CPU with the smoke preset (seconds)')
    ap.add_argument('--minutes', type=float, default=None, help='time limit per model (default: 4, or 0.25 with --smoke)')
    ap.add_argument('--steps', default='transformer,gru', help='comma-separated steps (default: transformer,gru)')
    ap.add_argument('--out', default=None, help='the JSON file to write (default: benchmarks/gpu_check.json; none with --smoke)')
    a = ap.parse_args(argv)
    preset = 'smoke' if a.smoke else 'gpu'
    dev = torch.device('cpu') if a.smoke else default_device()
    if not a.smoke and dev.type != 'cuda':
        print("gpu_check: error: no CUDA GPU here (torch.cuda.is_available() is False): run it on a machine with one, "
              "or pass --smoke to exercise it on the CPU.", file=sys.stderr)
        raise SystemExit(2)
    seconds = 60 * (a.minutes if a.minutes is not None else (0.25 if a.smoke else 4))
    corpus = load_corpus()
    name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else platform.processor() or platform.machine()
    print(f"{preset} preset on {dev.type} ({name}), torch {torch.__version__}, at most {seconds / 60:g} minutes a model")
    rows = []
    for sid in a.steps.split(','):
        r = check(sid, preset, corpus, dev, seconds, probe_iters=3 if a.smoke else 20)
        rows.append(r)
        print(f"{r['step']:>12}: {r['bpc']:.4f} bpc ({r['nats']:.4f} nats/char), {r['params']:,} params, "
              f"{r['iters']:,} of {r['preset_iters']:,} steps, {r['wall_s']:.0f} s, peak memory {r['peak_memory_mb']:,.0f} MiB")
        assert r['wall_s'] <= seconds * 1.05 + 5, f"{sid} took {r['wall_s']:.0f} s, over the {seconds:.0f} s limit"
    out = a.out or (None if a.smoke else str(Path(__file__).parent/'gpu_check.json'))
    if out:
        write_json(out, dict(device=dev.type, name=name, torch=torch.__version__, preset=preset, limit_s=seconds,
                             date=time.strftime('%Y-%m-%d %H:%M:%S'), command='python benchmarks/gpu_check.py' +
                             (' --smoke' if a.smoke else ''), rows=rows))
        print(f"written {out}")

if __name__ == '__main__': main()
