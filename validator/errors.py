"""Errors that end a run with exit code 2 and a one-line message naming the file."""

from __future__ import annotations


class InputError(Exception):
    """An input that cannot be read or understood."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UsageError(Exception):
    """A command line that cannot be carried out (unknown rule, bad option value…)."""
