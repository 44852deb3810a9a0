"""Make scikit-learn's reference values for NeuralNet's classification report tests.

Writes ``classification_report.json`` next to this script: for a few fixed label
sets (one with a class never predicted, one with a class that has no samples),
scikit-learn's ``classification_report`` as a dict and as text, and its macro
and weighted ``f1_score``.

Run it from the repository root with Debian's scikit-learn
(``apt-get install python3-sklearn``)::

    /usr/bin/python3 tests/NeuralNet.Tests/Fixtures/sklearn/make_fixtures.py

It uses no random numbers: a rerun with the same scikit-learn version rewrites
the same file. Every number is written with Python's repr (round-trip exact).
"""

import json
from pathlib import Path

import sklearn
from sklearn.metrics import classification_report, f1_score

OUT = Path(__file__).resolve().parent

CASES = [
    {
        "name": "three classes, all predicted",
        "y_true": [0, 1, 2, 2, 2, 1, 0, 0, 1, 2],
        "y_pred": [0, 2, 2, 2, 1, 1, 0, 1, 1, 2],
        "target_names": ["setosa", "versicolor", "virginica"],
    },
    {
        "name": "a class never predicted",
        "y_true": [0, 1, 2, 2, 1, 0, 2, 1],
        "y_pred": [0, 0, 2, 2, 0, 0, 2, 2],
        "target_names": ["Adelie", "Chinstrap", "Gentoo"],
    },
    {
        "name": "a class without samples",
        "y_true": [0, 0, 1, 1, 1, 3, 3],
        "y_pred": [0, 2, 1, 1, 0, 3, 2],
        "target_names": ["low", "medium", "high", "very high"],
    },
    {
        "name": "two classes, unbalanced",
        "y_true": [0] * 9 + [1] * 3,
        "y_pred": [0] * 8 + [1] + [1, 0, 0],
        "target_names": ["negative", "positive"],
    },
]


def main():
    cases = []
    for case in CASES:
        labels = list(range(len(case["target_names"])))
        args = dict(labels=labels, zero_division=0)
        report = classification_report(
            case["y_true"], case["y_pred"], target_names=case["target_names"], output_dict=True, **args)
        text = classification_report(
            case["y_true"], case["y_pred"], target_names=case["target_names"], **args)
        cases.append({
            **case,
            "report": report,
            "text": text,
            "macro_f1": f1_score(case["y_true"], case["y_pred"], average="macro", **args),
            "weighted_f1": f1_score(case["y_true"], case["y_pred"], average="weighted", **args),
        })

    out = {"sklearn_version": sklearn.__version__, "cases": cases}
    (OUT / "classification_report.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
