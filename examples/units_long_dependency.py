"""What the shipped long-dependency LSTMs' units do, measured with zoo.units (the README's "Units" section).

Every sentence is "he likes a X <fillers> but he likes a Y ." and the answer is whether Y is X. So a unit
that remembers must carry X across the fillers. For the units that change most over time, this prints the
Pearson r between the unit's h over the filler steps and "X was girl", its mean h over the fillers after
"boy" and after "girl", and the share of saturated forget-gate steps; then LSTMVis's select and match from
the fillers of one "boy … boy" sentence: which share of the matched spans are in a "boy" sentence too.

    .venv/bin/python examples/units_long_dependency.py [BACKEND]     (torch-lstm by default)
"""
import sys

import numpy as np

from zoo import units
from zoo.pretrained import pretrained_path

FIRST_OBJECT = 3  # "he likes a X": the step that reads X


def main(backend: str = "torch-lstm") -> None:
    path = pretrained_path("long-dependency", backend)
    states = units.states(path, units.dataset_split(path))
    sequences = len(states.starts) - 1
    words = [states.labels[states.starts[n]:states.starts[n + 1]] for n in range(sequences)]
    first = np.array([w[FIRST_OBJECT] for w in words])
    # the filler steps: after X, before "but"
    fillers = np.concatenate([np.arange(states.starts[n] + FIRST_OBJECT + 1, states.starts[n] + w.index("but"))
                              for n, w in enumerate(words)])
    girl = np.repeat(first == "girl", np.diff(states.starts))[fillers]
    h = states.values(0)[fillers].astype(np.float64)
    forget = {row["gate"]: row for row in units.saturation(states, 0)}["f"]
    print(f"{states.name}: {len(fillers):,} filler steps in {sequences} sentences")
    print("unit  change  r(h, X = girl) over the fillers  mean h after boy  after girl  f > 0.9")
    for row in units.ranking(states, 0, top=5)["change"]:
        u = row["unit"]
        r = np.corrcoef(h[:, u], girl)[0, 1]
        print(f"{u:>4}  {row['change']:.3f}   {r:+.3f}                            {h[~girl, u].mean():+.3f}"
              f"            {h[girl, u].mean():+.3f}      {forget['units_above'][u]:.1%}")
    r_all = np.array([abs(np.corrcoef(h[:, u], girl)[0, 1]) for u in range(h.shape[1])])
    print(f"units whose h over the fillers has |r| > 0.9 with X: {int((r_all > 0.9).sum())} of {h.shape[1]}")

    # LSTMVis's select: the fillers of the first "boy … but he likes a boy" sentence, from its second filler
    # (h is still rising at the first) up to the second boy, where a unit that held "boy" lets go
    boy = next(n for n, w in enumerate(words) if w[FIRST_OBJECT] == w[-2] == "boy")
    start, stop = FIRST_OBJECT + 2, len(words[boy]) - 2
    selected = units.select(states, boy, start, stop, 0.5, 0)
    found = units.match(states, selected, 0.5, 0, stop - start, k=sequences, exclude=(boy, start))
    after_boy = sum(first[m["sequence"]] == "boy" for m in found)
    print(f"select sentence {boy}, steps {start}..{stop - 1} ({' '.join(words[boy][start:start + 3])} … "
          f"{' '.join(words[boy][stop - 4:stop])}; h >= 0.5 over them, below one step around): units {selected}; "
          f"they are all on in {len(found)} other spans, {after_boy} of them ({after_boy / max(len(found), 1):.0%}) in "
          f"sentences whose X is boy ({np.mean(first == 'boy'):.0%} of the sentences are)")
    latch = units.ranking(states, 0)["change"][0]["unit"]
    found = units.match(states, [latch], 0.5, 0, stop - start, k=sequences)
    long = [m for m in found if m["steps"] >= 5]  # a latch holds across fillers; a unit that only flickers does not
    after_boy = sum(first[m["sequence"]] == "boy" for m in long)
    print(f"the unit that changes most, {latch}, alone: on (h >= 0.5) for 5 steps or more in {len(long)} spans, "
          f"{after_boy} of them ({after_boy / max(len(long), 1):.0%}) in sentences whose X is boy")

if __name__ == "__main__":
    main(*sys.argv[1:])
