"""What ``quotes build`` shows while it works.

On a terminal: a tqdm bar over the articles (with their number and the time left), then one
bar over the database-wide stages naming the one under way.  Anywhere else (a log file, a CI
job): a few plain lines, one as each stage ends and at most one a minute while articles are
extracted, never a line per article or a carriage-return animation.
"""
from __future__ import annotations

import sys
import time
from typing import IO, Iterable, Iterator, TypeVar

T = TypeVar("T")

# The database-wide stages of a build, in order (see quotes.build.refresh).
STAGES = ("speakers", "sentence vectors", "candidate pairs", "grouping", "writing groups", "substitutions",
          "facet counts")


class Progress:
    """Reports a build's progress on ``stream`` (standard error by default).

    :param bars: tqdm bars (default: when ``stream`` is a terminal), else plain lines
    :param every_s: on plain lines, the least time between two lines about the articles
    """

    def __init__(self, stream: IO[str] | None = None, *, bars: bool | None = None, every_s: float = 60.0) -> None:
        self.stream = stream or sys.stderr
        self.bars = self.stream.isatty() if bars is None else bars
        self.every_s = every_s
        self._bar = None
        self._stage: str | None = None
        self._stage_began = 0.0

    def articles(self, items: Iterable[T], total: int) -> Iterator[T]:
        """``items`` (the articles being extracted), reporting each one as it comes."""
        if self.bars:
            from tqdm import tqdm

            yield from tqdm(items, total=total, desc="articles", unit="article", file=self.stream)
            return
        began = last = time.monotonic()
        done = 0
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now - last >= self.every_s and done < total:
                left = (now - began) / done * (total - done)
                self._line(f"articles: {done:,} of {total:,} ({done / total:.0%}), about {_duration(left)} left")
                last = now
        self._line(f"articles: {done:,} extracted in {_duration(time.monotonic() - began)}")

    def stage(self, name: str) -> None:
        """A database-wide stage (one of ``STAGES``) begins; the one before it has ended."""
        self._end_stage()
        self._stage, self._stage_began = name, time.monotonic()
        if self.bars:
            if self._bar is None:
                from tqdm import tqdm

                # No ": " after {desc}: tqdm adds one to a description.
                self._bar = tqdm(total=len(STAGES), desc="database", unit="stage", file=self.stream,
                                 bar_format="{desc}{n_fmt}/{total_fmt} stages |{bar}| {elapsed}")
            self._bar.set_description(f"database: {name}")

    def close(self) -> None:
        """The last stage has ended."""
        self._end_stage()
        if self._bar is not None:
            self._bar.set_description("database")
            self._bar.close()
            self._bar = None

    def _end_stage(self) -> None:
        if self._stage is None:
            return
        if self._bar is not None:
            self._bar.update(1)
        else:
            self._line(f"{self._stage}: {_duration(time.monotonic() - self._stage_began)}")
        self._stage = None

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class Silent(Progress):
    """No report at all (a build called from Python)."""

    def __init__(self) -> None:
        super().__init__(bars=False)

    def articles(self, items: Iterable[T], total: int) -> Iterator[T]:
        return iter(items)

    def stage(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"
