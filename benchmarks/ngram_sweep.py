"""Val bpc against n-gram order for every smoothing method, characters and words: writes results/cpu/ngram_orders.json.

    python benchmarks/ngram_sweep.py

The record is read by the n-gram chapter (nbs/10_ngrams.ipynb) and by later chapters (the modified-KN character curve,
`["char"]["mkn"]`). Every setting is chosen on the held-out tail of train, never on val.
"""
from you_could_have.ngrams import ngram_sweep
from you_could_have.records import write_json, find_results

sweep = ngram_sweep()
path = find_results()/'cpu'/'ngram_orders.json'
write_json(path, sweep)
print(f"chosen order {sweep['chosen_order']}; {sweep['wall_s']} s -> {path}")
