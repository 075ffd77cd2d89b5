"""The errors a user can meet, each a sentence saying what happened and what to do."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    WOULD_CHANGE = 1
    USER_ERROR = 2
    BUG = 3
    HELD = 4  # written, but some catalog changes were held back for review
    INTERRUPTED = 130  # Ctrl-C, as a shell reports a command stopped by SIGINT


class GenerateError(Exception):
    """A problem the user can fix; printed as `error: <what> — <fix>`."""

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what} — {self.fix}" if self.fix else self.what


class InputError(GenerateError):
    """overrides.yaml, providers.yaml or a template is wrong; `loc` is where in overrides.yaml, if known."""

    def __init__(self, what: str, fix: str = "", loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(what, fix)
        self.loc = loc


class CacheError(GenerateError):
    """A cached catalog is missing, unreadable or corrupt."""


class FetchError(GenerateError):
    """A provider could not be reached or sent something that is not a catalog."""


class CatalogError(GenerateError):
    """A catalog document does not have the shape its normaliser expects."""


class LocatedError(ValueError):
    """A validator's error about one part of its value (`at`: (3,) for item [3]), so the line named is that part's."""

    def __init__(self, message: str, at: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.at = at
