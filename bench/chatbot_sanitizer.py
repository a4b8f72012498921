"""Recall and precision of the chatbot's PII sanitizer on the labelled fixtures.

    python bench/chatbot_sanitizer.py [path/to/pii_es.jsonl]

Prints:
- recall: share of labelled PII values that do not survive (neither the value
  nor, for values with 4+ digits, its digits run together);
- token survival: share of the words of the messages outside any PII value
  that are still in the output (the "precision" of the masking);
- keep survival: share of the labelled technical fragments kept verbatim;
- the mean time per message with 5,000 employee names in the matcher.
No Odoo and no database needed: the sanitizer is pure Python.
"""

import importlib.util
import json
import pathlib
import re
import sys
import time
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "fixtures" / "pii_es.jsonl"
if not DEFAULT.exists():
    DEFAULT = pathlib.Path("/work/shared/fixtures/pii_es.jsonl")


def load_sanitizer():
    path = ROOT / "helpdesk_itims_chatbot" / "services" / "sanitizer.py"
    spec = importlib.util.spec_from_file_location("itims_sanitizer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORD = re.compile(r"\w+", re.UNICODE)


def digits(text):
    return re.sub(r"\D", "", text)


def evaluate(sanitizer, rows):
    pii_total = pii_masked = 0
    tok_total = tok_kept = 0
    keep_total = keep_kept = 0
    misses = []
    for row in rows:
        text, out = row["text"], sanitizer.sanitize(row["text"])
        for value in row["pii"]:
            pii_total += 1
            leaked = value in out or (len(digits(value)) >= 4 and digits(value) in digits(out))
            if leaked:
                misses.append((text, value, out))
            else:
                pii_masked += 1
        outside = text
        for value in row["pii"]:
            outside = outside.replace(value, " ")
        words = Counter(WORD.findall(outside))
        survived = Counter(WORD.findall(out))
        tok_total += sum(words.values())
        tok_kept += sum(min(n, survived[w]) for w, n in words.items())
        for value in row["keep"]:
            keep_total += 1
            keep_kept += value in out
    return {
        "recall": pii_masked / pii_total if pii_total else 1.0,
        "token_survival": tok_kept / tok_total if tok_total else 1.0,
        "keep_survival": keep_kept / keep_total if keep_total else 1.0,
        "pii": pii_total,
        "tokens": tok_total,
        "misses": misses,
    }


def main():
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    module = load_sanitizer()
    result = evaluate(module.Sanitizer(), rows)
    print(f"fixture: {path} ({len(rows)} messages, {result['pii']} PII values)")
    print(f"recall (PII masked):              {result['recall']:.3f}")
    print(f"non-PII token survival:           {result['token_survival']:.3f}")
    print(f"labelled technical text kept:     {result['keep_survival']:.3f}")
    for text, value, out in result["misses"]:
        print(f"  missed {value!r} in {text!r} -> {out!r}")
    names = [f"Nombre{i} Apellido{i} Segundo{i}" for i in range(5000)]
    start = time.perf_counter()
    sanitizer = module.Sanitizer(names)
    built = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(20):
        for row in rows:
            sanitizer.sanitize(row["text"])
    per_message = (time.perf_counter() - start) / (20 * len(rows))
    print(
        f"matcher of 5000 employees built in {built * 1000:.1f} ms, "
        f"{per_message * 1e6:.0f} µs per message"
    )


if __name__ == "__main__":
    main()
