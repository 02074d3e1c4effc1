"""The dispatcher (DESIGN §6): pure rules over the attempt ledger; no intelligence, no I/O."""
