"""Ctrl-C, SIGTERM and SIGHUP stop a command cleanly: temporary folders are removed on the
way out, and a build stopped before its final swap publishes nothing.

Python's own SIGINT handling raises KeyboardInterrupt wherever the program is, and an
interrupt that lands in a finaliser or a library's broad `except` can be lost, letting the
build go on to publish. Here every stop signal is recorded as well as raised, and publishing
checks the record inside a window where those signals are held back (see `held`), so an
interrupt is either noticed before the swap or delivered after it, never lost.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived; the command exits with 128 + its number (130 for Ctrl-C)."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum
        # True when it arrived after the new site was swapped in (while the old one was being
        # removed, say): the message must not then claim that nothing was published.
        self.published = bool(_published)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name


_received: list[int] = []
_published: list[bool] = []  # non-empty once this command has swapped a new site in


def mark_published() -> None:
    """Record that the new site is in place; any later stop signal reports it as published."""
    _published.append(True)


def _raise(signum: int, _frame: object) -> None:
    _received.append(signum)
    raise Interrupted(signum)


def install() -> None:
    """Turn every stop signal into Interrupted for the rest of the process (the command's entry)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn every stop signal into Interrupted for the duration (main thread only)."""
    previous = {}
    try:
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, _raise)
    except ValueError:  # not the main thread: leave signals to whoever owns them
        pass
    _received.clear()
    _published.clear()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_from_now() -> None:
    """The command has finished and said how: a stop signal from here to the process's exit
    must not turn that into a silent death or a second, contradicting message."""
    for signum in STOP_SIGNALS:
        try:
            signal.signal(signum, signal.SIG_IGN)
        except ValueError:  # not the main thread
            return


def received() -> int | None:
    """The last stop signal this command received, if any (even one whose exception a library
    swallowed or turned into another error)."""
    return _received[-1] if _received else None


def raise_if_interrupted() -> None:
    """Raise if a stop signal arrived, even one whose exception something swallowed."""
    if _received:
        raise Interrupted(_received[-1])


@contextmanager
def held() -> Iterator[None]:
    """Hold stop signals back for a short critical section; they are delivered at its end."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    mask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_UNBLOCK, STOP_SIGNALS)
