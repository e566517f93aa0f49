"""Speed-ups of the Transformer chapter, each a ratio against the plain way measured in the same run.

    python benchmarks/fast.py      # prints the ratios and writes benchmarks/fast.json

- fused against plain attention: a training step (forward, backward) of the cpu-sized Transformer, 32 x 64;
- bfloat16 autocast and `torch.compile` against the plain float32 eager step (the same training step);
- KV cache against recomputation: generating a full window (63 characters after a 1-character prompt), batch 1.
Each timing is the median of several repeats; the machine is shared, so only the ratios mean anything.
"""
import json, statistics, time
from pathlib import Path
import torch, torch.nn.functional as F
from you_could_have.transformer import Transformer
from you_could_have.fast import generate_cached
from you_could_have.training import generate, default_device
from you_could_have.records import write_json

def _median_time(fn, repeats=5, warmup=1):
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    m = Transformer(65, 64, n_embd=128, n_layer=4, n_head=4)
    x = torch.randint(65, (32, 64))
    def step():
        loss = F.cross_entropy(m(x).view(-1, 65), x.view(-1)); loss.backward()
    rows = []
    times = {}
    for fused in (False, True):
        for b in m.blocks: b.attn.fused = fused
        times[fused] = _median_time(step)
    rows.append(dict(what='attention: fused vs plain (train step, 32 x 64)', plain_s=times[False], fast_s=times[True],
                     ratio=times[False] / times[True]))
    eager = times[True]                                           # the fused model, eager, is the peer of the next two
    def bf16_step():
        with torch.autocast('cpu', dtype=torch.bfloat16): loss = F.cross_entropy(m(x).view(-1, 65).float(), x.view(-1))
        loss.backward()
    t = _median_time(bf16_step)
    rows.append(dict(what='bfloat16 autocast vs float32 (train step, 32 x 64, CPU)', plain_s=eager, fast_s=t, ratio=eager / t))
    try:
        cm = torch.compile(m)
        def compiled_step():
            loss = F.cross_entropy(cm(x).view(-1, 65), x.view(-1)); loss.backward()
        t = _median_time(compiled_step, warmup=2)                 # the first calls compile
        rows.append(dict(what='torch.compile vs eager (train step, 32 x 64)', plain_s=eager, fast_s=t, ratio=eager / t))
    except Exception as e:                                        # no C++ compiler, or an unsupported platform
        print(f"torch.compile unavailable here: {type(e).__name__}: {e}")
    m.eval()
    prompt = torch.zeros(1, 1, dtype=torch.long)
    full = _median_time(lambda: generate(m, prompt, 63, 64, top_k=1))
    cached = _median_time(lambda: generate_cached(m, prompt, 63, top_k=1))
    assert torch.equal(generate(m, prompt, 63, 64, top_k=1), generate_cached(m, prompt, 63, top_k=1))
    rows.append(dict(what='generation: KV cache vs recomputation (63 characters)', plain_s=full, fast_s=cached, ratio=full / cached))
    out = dict(rows=rows, device=str(default_device()), torch=torch.__version__, threads=torch.get_num_threads(),
               date=time.strftime('%Y-%m-%d %H:%M:%S'), command='python benchmarks/fast.py')
    write_json(Path(__file__).parent/'fast.json', out)                # whole or not at all
    for r in rows: print(f"{r['what']}: {r['plain_s']:.3f}s -> {r['fast_s']:.3f}s, {r['ratio']:.2f}x")

if __name__ == '__main__': main()
