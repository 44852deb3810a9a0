#!/usr/bin/env python3
"""Writes wine.csv: the UCI Wine recognition data as shipped by Debian's python3-sklearn, with a header of the
attributes' names and the class as the name of the cultivar.

sklearn keeps it as wine_data.csv: a first line "178,13,class_0,class_1,class_2" (rows, attributes, class names), then
13 numbers and a class index per row; the attribute names are in descr/wine_data.rst. Usage:
    python3 make_wine_csv.py [/usr/lib/python3/dist-packages/sklearn/datasets] > wine.csv
"""
import csv
import sys
from pathlib import Path

# The attributes in the order of descr/wine_data.rst, as column names ML.NET's LoadFromTextFile can use.
COLUMNS = ["Alcohol", "MalicAcid", "Ash", "AlcalinityOfAsh", "Magnesium", "TotalPhenols", "Flavanoids",
           "NonflavanoidPhenols", "Proanthocyanins", "ColorIntensity", "Hue", "OD280OD315OfDilutedWines", "Proline"]

# sklearn's class_0, class_1, class_2 are the UCI file's classes 1, 2, 3: the three cultivars.
CLASSES = {"class_0": "Cultivar1", "class_1": "Cultivar2", "class_2": "Cultivar3"}


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/sklearn/datasets")
    with open(root / "data" / "wine_data.csv", newline="") as source:
        reader = csv.reader(source)
        rows, attributes, *class_names = next(reader)
        if int(attributes) != len(COLUMNS):
            raise SystemExit(f"expected {len(COLUMNS)} attributes, the file says {attributes}")
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(COLUMNS + ["Cultivar"])
        count = 0
        for row in reader:
            if len(row) != len(COLUMNS) + 1:
                raise SystemExit(f"row {count + 1} has {len(row)} fields, expected {len(COLUMNS) + 1}")
            out.writerow(row[:-1] + [CLASSES[class_names[int(row[-1])]]])
            count += 1
        if count != int(rows):
            raise SystemExit(f"expected {rows} rows, read {count}")


if __name__ == "__main__":
    main()
