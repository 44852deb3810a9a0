"""Write synthetic-penguins.csv: a SYNTHETIC table shaped like a real tabular data set.

The rows are made up. They are drawn from normal distributions whose means and
spreads per species were chosen by hand to resemble published summaries of
penguin measurements; no row is a real measurement. The table has what a real
one has and a loader must cope with: an id column, a text column that is not a
feature (island), string classes, and a few empty cells.

Run from the repository root (Python 3 standard library only):

    python3 samples/TabularCsv/data/make_penguins.py

The seed is fixed, so a rerun writes the same file.
"""

import csv
import random
from pathlib import Path

SEED = 20261130
OUT = Path(__file__).resolve().parent / "synthetic-penguins.csv"

# species: (count, islands, (mean, sd) of bill length mm, bill depth mm, flipper length mm, body mass g)
SPECIES = {
    "Adelie": (150, ["Biscoe", "Dream", "Torgersen"], [(38.8, 2.7), (18.3, 1.2), (190.0, 6.5), (3700, 460)]),
    "Chinstrap": (68, ["Dream"], [(48.8, 3.3), (18.4, 1.1), (196.0, 7.1), (3730, 380)]),
    "Gentoo": (124, ["Biscoe"], [(47.5, 3.1), (15.0, 1.0), (217.0, 6.5), (5080, 500)]),
}
COLUMNS = ["id", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "species"]
DECIMALS = [1, 1, 0, 0]
EMPTY_CELLS = 6


def main():
    rng = random.Random(SEED)
    rows = []
    for species, (count, islands, stats) in SPECIES.items():
        for _ in range(count):
            values = [round(rng.gauss(mean, sd), d) for (mean, sd), d in zip(stats, DECIMALS)]
            values = [int(v) if d == 0 else v for v, d in zip(values, DECIMALS)]
            rows.append([rng.choice(islands), *values, species])
    rng.shuffle(rows)
    # A few measurements missing, as in field data: never the class, never a whole row.
    for r in rng.sample(range(len(rows)), EMPTY_CELLS):
        rows[r][rng.randrange(1, 5)] = ""
    with OUT.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i, row in enumerate(rows, start=1):
            writer.writerow([f"P{i:04d}", *row])


if __name__ == "__main__":
    main()
