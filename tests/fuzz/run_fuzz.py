"""Fuzz `vsys build` (and the reader) by hand, for as long as you like:

    .venv/bin/python tests/fuzz/run_fuzz.py --cases 20000 [--seed N] [--out DIR]
    .venv/bin/python tests/fuzz/run_fuzz.py --reader --cases 100000
    .venv/bin/python tests/fuzz/run_fuzz.py --repl --cases 2000

Each case takes an example config, applies one to three realistic mistakes
(fuzz_mutate.py) and builds it in this process (fuzz_harness.py).  Every outcome that
breaks the rule (a Python exception, an internal error, an error without FILE:LINE:COLUMN,
Python text in a message, a hang) is grouped by its signature; the first case of each
group is saved under --out with its description, so it can be replayed
(`--replay FILE`) and turned into a regression case in tests/fuzz/cases/.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]       # its helpers, and tests/support

import fuzz_harness  # noqa: E402
import fuzz_mutate  # noqa: E402

from vsys.dsl.errors import SchemeError  # noqa: E402
from vsys.dsl.reader import is_complete, read_located  # noqa: E402
from vsys.repl import COMMANDS, Session  # noqa: E402


def workspace() -> fuzz_harness.Workspace:
    """A scratch workspace, removed when the run ends."""
    ws = fuzz_harness.Workspace(tempfile.mkdtemp(prefix="vsys-fuzz-"))
    atexit.register(ws.remove)
    return ws


def fuzz_builds(args) -> int:
    ws = workspace()
    texts = ws.sources
    corpus = fuzz_mutate.Corpus(list(texts.values()))
    names = sorted(texts)
    kinds: collections.Counter = collections.Counter()
    groups: dict[str, list] = {}
    start = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    for n in range(args.cases):
        seed = args.seed * 1_000_003 + n
        rng = random.Random(seed)
        name = rng.choice(names)
        text, done = fuzz_mutate.mutate(rng, texts[name], corpus,
                                        rng.randint(1, args.mutations) if args.mutations
                                        else None)
        path = ws.write(text)
        root = tempfile.mkdtemp(dir=ws.root) if args.plan or args.activate else None
        out = fuzz_harness.build(path, args.timeout, root, args.activate)
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        kinds[out.kind] += 1
        if out.kind == "vsys" and kinds["vsys"] <= 5:     # not the config's: worth a look
            print(f"[{n}] seed {seed}: {out.message}", flush=True)
        if out.bad:
            sig = out.signature()
            if sig not in groups:
                saved = os.path.join(args.out, f"{len(groups):03d}-{out.kind}.scm")
                with open(saved, "wb") as f:
                    f.write(text)
                with open(saved[:-4] + ".txt", "w") as f:
                    f.write(f"seed {seed} from {name}\n" + "\n".join(done) + "\n\n"
                            + out.message + "\n")
                groups[sig] = [saved]
                print(f"[{n}] NEW {sig}\n    {saved}", flush=True)
            groups[sig].append(seed)
        if n % 500 == 499:
            ws.clear_store()
            print(f"[{n + 1}] {dict(kinds)} {time.monotonic() - start:.0f}s", flush=True)
    print(f"\n{args.cases} cases in {time.monotonic() - start:.0f}s: {dict(kinds)}")
    for sig, found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(found) - 1:6d}  {sig}\n        {found[0]}")
    return 1 if groups else 0


def fuzz_reader(args) -> int:
    """Random text (mostly Scheme-ish) to the reader alone: only its read error may come
    out, always located."""
    alphabet = list("()[]\"';`,@#|\\ \n\tabcxyz019.-+:/{}$~!?*<>=") + \
        ["#|", "|#", "#;", "#\\", "#(", "#vu8(", "#u8(", "#:", "#t", "#f", "#e", "#x",
         "#b", "1/0", "1e999", "#\\x", "#\\space", "\\x41;", "\x00", "\u00e9", "\ufffd",
         "#!", "!#", "#{", "}#", "#'", "#~", "#$", "#@", "#$@", ".", " . ", "#<", "#d"]
    bad = 0
    start = time.monotonic()
    examples = [open(os.path.join(fuzz_harness.EXAMPLES, n), "rb").read()
                for n in sorted(os.listdir(fuzz_harness.EXAMPLES)) if n.endswith(".scm")]
    corpus = fuzz_mutate.Corpus(examples)
    for n in range(args.cases):
        rng = random.Random(args.seed * 1_000_003 + n)
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))
        else:
            raw, _ = fuzz_mutate.mutate(rng, rng.choice(examples), corpus)
            text = raw.decode("utf-8", "replace")
        for fn in (lambda: read_located(text, "f.scm"), lambda: is_complete(text)):
            try:
                fn()
            except SchemeError as e:
                if e.loc is None or e.condition is None or e.condition.key.name != "read-error":
                    bad += 1
                    print(f"UNLOCATED {text!r}: {e}")
            except Exception as e:  # noqa: BLE001
                bad += 1
                print(f"CRASH {text!r}: {e.__class__.__name__}: {e}")
    print(f"{args.cases} reader cases in {time.monotonic() - start:.0f}s: {bad} bad")
    return 1 if bad else 0


def fuzz_repl(args) -> int:
    """Mutated configs typed into the REPL line by line, then meta-commands with odd
    arguments: the session goes on and never prints an internal error."""
    ws = workspace()
    texts = ws.sources
    corpus = fuzz_mutate.Corpus(list(texts.values()))
    odd = ["", "x", "(", ")", "((", "'", "#", "\"", "(gnu services)", "(no such)", "[", "*",
           "operating-system", "libvirt-configuration", "tls-port", "42", "#<", ",", "1 2",
           "(list 1 2)", "(operating-system)", "%base-services", "/", "..", "\x00",
           "/dev/null", "(ice-9 match)", "vsys-user", "(vsys-user)", "\u00e9"]
    bad = 0
    start = time.monotonic()
    for n in range(args.cases):
        rng = random.Random(args.seed * 1_000_003 + n)
        text, done = fuzz_mutate.mutate(rng, texts[rng.choice(sorted(texts))], corpus)
        lines = text.decode("utf-8", "replace").replace("\x00", "").splitlines()
        lines = [ln for ln in lines[:80] if not ln.lstrip().startswith(",q")]
        meta = [f",{rng.choice(sorted(COMMANDS))} {rng.choice(odd)}" for _ in range(3)]
        out = io.StringIO()
        session = Session(out=out)
        for line in lines + [""] * 3 + [m for m in meta if not m.startswith(",quit")]:
            try:
                session.feed(line)
            except Exception as e:  # noqa: BLE001
                bad += 1
                print(f"CRASH seed {args.seed * 1_000_003 + n} at {line!r}: {e!r}")
                break
        if "internal error" in out.getvalue():
            bad += 1
            print(f"INTERNAL seed {args.seed * 1_000_003 + n} {done} {meta}:\n"
                  + out.getvalue()[-600:])
    print(f"{args.cases} REPL sessions in {time.monotonic() - start:.0f}s: {bad} bad")
    return 1 if bad else 0


def replay(args) -> int:
    ws = workspace()
    with open(args.replay, "rb") as f:
        path = ws.write(f.read())
    out = fuzz_harness.build(path, args.timeout)
    print(out.kind)
    print(out.message)
    return 1 if out.bad else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--mutations", type=int, default=0,
                   help="apply 1 to N mistakes to each case (default: 1 to 3)")
    p.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "vsys-fuzz-found"))
    p.add_argument("--reader", action="store_true", help="fuzz the reader alone")
    p.add_argument("--repl", action="store_true", help="fuzz the REPL's input")
    p.add_argument("--plan", action="store_true",
                   help="also plan each system that builds against an empty root")
    p.add_argument("--activate", action="store_true",
                   help="also activate each system that builds into an empty root (slow)")
    p.add_argument("--replay", help="build one saved case and show its outcome")
    args = p.parse_args()
    # A runaway allocation (a huge number given to make-string) must fail, not swap.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = 8 << 30
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if args.replay:
        return replay(args)
    if args.repl:
        return fuzz_repl(args)
    return fuzz_reader(args) if args.reader else fuzz_builds(args)


if __name__ == "__main__":
    sys.exit(main())
