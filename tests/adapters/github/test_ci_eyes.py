"""CI eyes' log tail: the newest lines, timestamps and colours gone, credentials masked first."""

from __future__ import annotations

from prime_action.adapters.github.ci_eyes import tail
from prime_action.domain.ci import LOG_CHARS, LOG_LINES


def test_the_tail_keeps_the_last_lines_without_timestamps_or_colours() -> None:
    log = "".join(
        f"2026-03-01T10:00:{n % 60:02d}.1234567Z \x1b[31mline {n}\x1b[0m\n" for n in range(200)
    )
    kept = tail(log).splitlines()
    assert len(kept) == LOG_LINES
    assert (kept[0], kept[-1]) == (f"line {200 - LOG_LINES}", "line 199")


def test_a_token_is_masked_before_the_cut_so_no_piece_of_it_survives() -> None:
    token = "ghp_" + "Q" * 36
    # 80 lines whose 6,000-character bound falls inside the token of the first one.
    log = "\n".join([f"token {token}", *("y" * 75 for _ in range(78)), "z" * 40])
    assert 6 < len(log) - LOG_CHARS < 46
    kept = tail(log)
    assert len(kept) <= LOG_CHARS
    assert "QQQQ" not in kept
    assert token not in tail(f"token={token}\nE   boom")
    assert "[REDACTED]" in tail(f"token={token}\nE   boom")
