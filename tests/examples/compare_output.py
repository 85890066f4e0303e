#!/usr/bin/env python3
"""Runs an example program and compares what it prints with the output of its Python twin
under PyTorch (tests/golden/seed/*.out, made by tools/golden/seed_outputs.py).

    compare_output.py EXPECTED [--rtol R] [--atol A] [--error REGEX]... -- PROGRAM [ARGS...]

Line by line, each line split into numbers and the text between them, whitespace ignored (so
column alignment may differ). Text must be equal; integers must be equal; a number with a
fraction or an exponent may differ by float formatting noise: one unit in the last digit either
side printed, or rtol * |expected| + atol when given (for long float computations). An expected
line "error: <PyTorch's message>" requires a line "error: <ember's message>"; the messages differ
by design, so ember's is checked against the --error patterns instead, one per error line, in
order. Exit status 0 when everything matches; otherwise the first differences are printed.
"""
import argparse
import math
import re
import subprocess
import sys

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b")


def tokens(line):
    """The line as a list of ('num', text) and ('text', text) items, whitespace dropped."""
    out, pos = [], 0
    for m in NUMBER.finditer(line):
        text = "".join(line[pos:m.start()].split())
        if text:
            out.append(("text", text))
        out.append(("num", m.group()))
        pos = m.end()
    text = "".join(line[pos:].split())
    if text:
        out.append(("text", text))
    return out


def last_digit_unit(number):
    """The value of one unit in the last printed digit: 0.01 for '1.25', 1e-5 for '1.5e-04'."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    if decimals == 0 and not exponent:
        return 0.0  # "2." is PyTorch's way of printing an integral float: exact
    return 10.0 ** (int(exponent or 0) - decimals)


def is_integer(number):
    return not any(c in number.lower() for c in ".e") and number.lstrip("+-").isdigit()


def numbers_match(expected, actual, rtol, atol):
    if is_integer(expected) and is_integer(actual):
        return int(expected) == int(actual)
    e, a = float(expected), float(actual)
    if math.isnan(e) or math.isnan(a) or math.isinf(e) or math.isinf(a):
        return (math.isnan(e) and math.isnan(a)) or e == a
    noise = max(last_digit_unit(expected), last_digit_unit(actual)) * 1.0001
    return abs(e - a) <= max(noise, rtol * abs(e) + atol)


def compare_line(expected, actual, rtol, atol):
    """None when the lines match, else why not."""
    te, ta = tokens(expected), tokens(actual)
    if len(te) != len(ta):
        return "different structure"
    for (ke, ve), (ka, va) in zip(te, ta):
        if ke != ka:
            return f"'{va}' where '{ve}' was expected"
        if ke == "text" and ve != va:
            return f"text '{va}' where '{ve}' was expected"
        if ke == "num" and not numbers_match(ve, va, rtol, atol):
            return f"number {va} where {ve} was expected"
    return None


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: compare_output.py EXPECTED [options] -- PROGRAM [ARGS...]")
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("expected")
    parser.add_argument("--rtol", type=float, default=0.0)
    parser.add_argument("--atol", type=float, default=0.0)
    parser.add_argument("--error", action="append", default=[])
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]

    with open(args.expected, encoding="utf-8") as f:
        expected = f.read().rstrip("\n").split("\n")
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    actual = run.stdout.rstrip("\n").split("\n")
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        sys.exit(f"FAIL: {command[0]} exited with status {run.returncode}")

    problems, error_patterns = [], list(args.error)
    for number, (e, a) in enumerate(zip(expected, actual), start=1):
        if e.startswith("error: "):
            if not a.startswith("error: "):
                problems.append(f"line {number}: expected an error line, got: {a}")
            elif not error_patterns:
                problems.append(f"line {number}: no --error pattern left for: {a}")
            elif not re.search(error_patterns[0], a):
                problems.append(f"line {number}: error message does not match "
                                f"/{error_patterns[0]}/: {a}")
            if error_patterns:
                error_patterns.pop(0)
            continue
        why = compare_line(e, a, args.rtol, args.atol)
        if why:
            problems.append(f"line {number}: {why}\n  expected: {e}\n  actual:   {a}")
    if len(expected) != len(actual):
        problems.append(f"{len(actual)} lines printed, {len(expected)} expected")
    if error_patterns:
        problems.append(f"unused --error patterns: {error_patterns}")
    if problems:
        print("\nFAIL: the output differs from PyTorch's (" + args.expected + "):", file=sys.stderr)
        for p in problems[:20]:
            print(p, file=sys.stderr)
        sys.exit(1)
    print(f"\nOK: {len(expected)} lines match PyTorch's output")


if __name__ == "__main__":
    main()
