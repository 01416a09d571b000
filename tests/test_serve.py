"""The live preview serves the site, and a bad edit keeps the last good preview.

Nothing here sleeps for a fixed time: each step waits, with a deadline, for what the preview
says (its output) or serves (a page)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

import pytest

from dlp_site.errors import BuildError
from dlp_site.pipeline import build, rebuild_preview
from dlp_site.site.incremental import KeptStage

from .conftest import ROOT, edit, paths, tree_digest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Output:
    """A running process's output stream, read line by line as it comes (so waiting on it
    never blocks the process), with a way to wait until a line says something."""

    def __init__(self, stream: IO[str]):
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self._lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, text: str, deadline: float, after: int = 0) -> int:
        """Wait until a line after the first `after` lines contains `text`; return how many
        lines there were then."""
        with self._changed:
            while not any(text in line for line in self._lines[after:]):
                left = deadline - time.monotonic()
                assert left > 0, f"no {text!r} in the output: {self._lines[after:]}"
                self._changed.wait(left)
            return len(self._lines)

    def count(self) -> int:
        with self._changed:
            return len(self._lines)

    def lines(self, timeout: float = 30) -> list[str]:
        """Every line, once the stream has ended."""
        self._thread.join(timeout)
        return list(self._lines)


def test_serve_rebuilds_and_survives_bad_data(othertown: Path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlp_site", "serve", "--data", str(othertown), "--site-src",
         str(ROOT / "site_src"), "--config", str(ROOT / "mkdocs.yml"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = Output(proc.stdout)
    try:
        url = f"http://127.0.0.1:{port}/projects/early-signs/"
        assert "Early Signs Together" in get(url, time.monotonic() + 60)
        edit(othertown, "projects.csv", "Early Signs Together", "Early Signs Renamed")
        deadline = time.monotonic() + 60
        while "Early Signs Renamed" not in get(url, deadline):
            assert time.monotonic() < deadline, "preview did not rebuild"
            time.sleep(0.3)  # polling the page, with the deadline above
        seen = output.count()
        edit(othertown, "projects.csv", ",120000,80000,", ",oops,80000,")
        # The failed rebuild has said so: the page must still be the last good one.
        output.wait_for("The preview shows the last good build.", time.monotonic() + 60, after=seen)
        assert "Early Signs Renamed" in get(url, time.monotonic() + 10)  # last good preview kept
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    text = "\n".join(output.lines())
    assert "projects.csv:2:allocation_gbp: 'oops' is not an amount of money" in text
    assert "The preview shows the last good build." in text


def test_preview_redoes_only_what_changed_and_serves_what_a_build_publishes(tmp_path: Path):
    """After each edit the preview's site is byte for byte what `dlp-site build` publishes from
    the same files: a newsletter or a row of a table is rebuilt with MkDocs' dirty build (only
    pages whose staged source changed, plus what that build gets wrong, put right); a new file
    makes the rebuild whole."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    project = paths(data, ROOT / "geo")
    out = tmp_path / "preview" / "site"
    kept = KeptStage(tmp_path / "preview" / "stage")

    def rebuilt() -> str:
        said: list[str] = []
        rebuild_preview(project, out, kept, said.append)
        reference = tmp_path / "reference"
        build(project, reference)
        assert {k: v for k, v in tree_digest(out).items() if k != ".dlp-site"} == \
               {k: v for k, v in tree_digest(reference).items() if k != ".dlp-site"}
        staged = next(line for line in said if line.startswith("Staged"))
        return f"{staged}; " + next(line for line in said if line.startswith("Building the site"))

    assert "(strict)" in rebuilt()
    post = data / "newsletters" / "2022-07-20-summer-term-round-up.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more thing: the summer fair raised £300.\n",
                    encoding="utf-8")
    # The post, the feeds it is in and the email: a few files of the stage's hundreds.
    assert re.search(r": [1-9] changed; .*only what changed", rebuilt())
    edit(data, "projects.csv", "Schools planned shared speech", "Schools planned joint speech")
    assert re.search(r": [1-9][0-9]? changed; .*only what changed", rebuilt())
    (data / "newsletters" / "2022-07-21-a-new-post.md").write_text(
        "---\ntitle: A new post\ndate: 2022-07-21\n---\n\nHello from the programme team.\n", encoding="utf-8")
    assert "(strict)" in rebuilt()  # a new page can change any other: whole
    # A build that fails leaves the last good preview; what it would have done (here, drop a
    # post) is still to do after the fix, so that rebuild is whole too.
    (data / "newsletters" / "2022-07-21-a-new-post.md").unlink()
    broken = post.read_text(encoding="utf-8")
    post.write_text(broken + "\nSee [the plan](no-such-page.md).\n", encoding="utf-8")
    with pytest.raises(BuildError):
        rebuild_preview(project, out, kept, lambda _: None)
    assert (out / "newsletters" / "2022-07-21-a-new-post" / "index.html").is_file()  # last good kept
    post.write_text(broken, encoding="utf-8")
    assert "(strict)" in rebuilt()
