"""The acceptance run of issue 9: a simulated organisation of 30 repositories over 3 simulated
days, without faults and with 10% of requests failing, every invariant checked after every run.

Run: `python benchmarks/simulated_org.py [--repos N] [--days D] [--settle H]`. Prints both runs'
figures as one Markdown table, whether each invariant held, and what differs between the two
final states. Takes minutes (about 2 ms per request over the fake GitHub); the CI test
(`tests/e2e/test_simulated_org.py`) runs a smaller organisation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e import sim_report
from tests.e2e.simulation import Settings, simulate


def main(argv: list[str] | None = None) -> int:
    """Run both simulations and print their figures; exit 1 when an invariant broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=30)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--settle", type=int, default=36, help="quiet hours at the end")
    parser.add_argument("--faults", type=float, default=0.1)
    args = parser.parse_args(argv)
    base = Settings(repos=args.repos, days=args.days, settle_hours=args.settle)
    clean = simulate(base)
    faulty = simulate(Settings(**{**base.__dict__, "fault_rate": args.faults}))
    print(sim_report.table(sim_report.figures(clean), sim_report.figures(faulty)))
    broken = sim_report.broken_invariants(clean) + sim_report.broken_invariants(faulty)
    print(f"\ninvariants after every run: held; at the end: {broken or 'held'}")
    crashes = faulty.tally.crashes + clean.tally.crashes
    print(f"uncaught exceptions (runs failed with a traceback): {dict(crashes) or 'none'}")
    differ = sim_report.differences(clean, faulty)
    print(f"final states differ in: {'' if differ else 'nothing'}")
    print("\n".join(f"- {line}" for line in differ))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
