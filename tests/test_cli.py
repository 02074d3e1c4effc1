"""The command line's own answers: usage errors exit 2, help and version exit 0."""

from __future__ import annotations

import pytest

from prime_action.cli import main


@pytest.mark.parametrize(
    ("argv", "code", "where", "words"),
    [
        ([], 2, "err", "usage: prime"),
        (["bogus"], 2, "err", "invalid choice: 'bogus'"),
        (["--help"], 0, "out", "usage: prime"),
        (["--version"], 0, "out", "prime "),
        (["wake", "--bogus"], 2, "err", "unrecognized arguments: --bogus"),
    ],
    ids=["no command", "unknown command", "help", "version", "unknown option"],
)
def test_the_command_line_answers_with_the_right_exit_code(
    argv: list[str], code: int, where: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert words in (out if where == "out" else err)
