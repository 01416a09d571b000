"""Faults: builds killed or interrupted at random moments, a preview that meets an unexpected
error or SIGTERM, and a disk or folder that refuses to be written. Each ends in one line and
the right exit code, leaves the last good site as it was, and leaves nothing of ours behind.

Builds run as real processes (`python -m dlp_site`) with a private TMPDIR, so what they leave in
the temporary directory can be seen, and other programs' files are never in the way.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import click
import pytest

from .conftest import ROOT, edit, tree_digest
from .test_serve import Output, free_port, get


def command(*args: object, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen([sys.executable, "-m", "dlp_site", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def handlers_installed(proc: subprocess.Popen, deadline: float) -> bool:
    """Wait until the command has taken over stop signals (SIGTERM appears among the signals it
    catches, /proc/PID/status SigCgt). Before that Python itself is starting and a Ctrl-C gets
    Python's own behaviour, which no program can change."""
    status = Path(f"/proc/{proc.pid}/status")
    while time.monotonic() < deadline and proc.poll() is None:
        caught = next((line.split()[1] for line in status.read_text().splitlines() if line.startswith("SigCgt:")), "0")
        if int(caught, 16) & (1 << (signal.SIGTERM - 1)):
            return True
        time.sleep(0.005)
    return False


def build_args(data: Path, out: Path) -> list[object]:
    return ["build", "-q", "--data", data, "--geo", data / "no-geo", "--site-src", ROOT / "site_src",
            "--config", ROOT / "mkdocs.yml", "--out", out]


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, list[str]]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.splitlines()


def ours(folder: Path, out_name: str = "site") -> list[str]:
    """Leftovers of ours in a folder: staging beside --out, or temporary folders."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((f".{out_name}.new-", f".{out_name}.old-", "dlp-docs-", "dlp-serve-")))


def readable_by_others(root: Path) -> list[str]:
    """Paths a web server running as another user could not read (or enter)."""
    bad = []
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        need = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        if mode & need != need:
            bad.append(f"{oct(mode & 0o777)} {path.relative_to(root)}")
    return bad


@pytest.fixture
def place():
    """A folder others may enter (pytest's own tmp folders are 0700), with a private TMPDIR."""
    folder = Path(tempfile.mkdtemp(prefix="faults-"))
    folder.chmod(0o755)
    (folder / "tmp").mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_published_site_is_readable_by_the_web_server(othertown: Path, place: Path):
    out = place / "site"
    old = os.umask(0o022)
    try:
        code, lines = finish(command(*build_args(othertown, out), tmp=place / "tmp"))
    finally:
        os.umask(old)
    assert code == 0, lines
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert oct((out / "index.html").stat().st_mode & 0o777) == "0o644"
    assert readable_by_others(out) == []
    if os.getuid() == 0:  # read every file as nobody, as a web server would
        reader = subprocess.run(["find", str(out), "-type", "f", "-exec", "cat", "{}", "+"], user=65534,
                                capture_output=True)
        assert reader.returncode == 0, reader.stderr[-500:]


@pytest.mark.faults
def test_builds_killed_at_random_moments_leave_nothing_behind(othertown: Path, place: Path):
    out, tmp = place / "site", place / "tmp"
    rng = random.Random(10)
    killed_at = []
    for _ in range(20):
        proc = command(*build_args(othertown, out), tmp=tmp)
        delay = rng.uniform(0.0, 2.5)  # a whole build of this dataset takes about 2 s
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        killed_at.append(round(delay, 2))
    code, lines = finish(command(*build_args(othertown, out), tmp=tmp))
    assert code == 0, lines
    assert (out / "index.html").exists() and (out / "projects" / "early-signs" / "index.html").exists()
    assert (out / ".dlp-site").exists()
    assert readable_by_others(out) == []
    assert ours(place) == [] and ours(tmp) == [], f"leftovers after kills at {killed_at}"


@pytest.mark.faults
def test_ctrl_c_at_any_moment_is_one_line_exit_130_and_publishes_nothing(othertown: Path, place: Path):
    out, tmp = place / "site", place / "tmp"
    assert finish(command(*build_args(othertown, out), tmp=tmp))[0] == 0
    edit(othertown, "projects.csv", "Early Signs Together", "Early Signs Renamed")
    rng = random.Random(130)
    outcomes = []
    for _ in range(10):
        before = tree_digest(out)
        proc = command(*build_args(othertown, out), tmp=tmp)
        assert handlers_installed(proc, time.monotonic() + 30)
        time.sleep(rng.uniform(0.0, 2.5))
        proc.send_signal(signal.SIGINT)
        code, lines = finish(proc)
        outcomes.append(code)
        assert "Traceback" not in "\n".join(lines)
        if code == 0:  # the build had finished before the signal
            assert lines == []
        else:
            assert code == 130, lines
            assert len(lines) == 1, lines
            if lines == ["Interrupted by Ctrl-C: nothing was published."]:
                assert tree_digest(out) == before
            else:
                assert lines == ["Interrupted by Ctrl-C: the new site had already been published."]
        assert ours(place) == [] and ours(tmp) == []
    assert 130 in outcomes


def test_serve_keeps_answering_after_an_unexpected_error_and_cleans_up_on_sigterm(othertown: Path, place: Path):
    tmp = place / "tmp"
    port = free_port()
    proc = command("serve", "--data", othertown, "--geo", othertown / "no-geo", "--site-src", ROOT / "site_src",
                   "--config", ROOT / "mkdocs.yml", "--port", port, tmp=tmp)
    errors, _ = Output(proc.stderr), Output(proc.stdout)
    try:
        url = f"http://127.0.0.1:{port}/projects/early-signs/"
        assert "Early Signs Together" in get(url, time.monotonic() + 60)
        assert [p for p in ours(tmp) if p.startswith("dlp-serve-")]
        seen = errors.count()
        # A folder where a table should be: the build fails with an OSError, not a data error.
        (othertown / "areas.csv").rename(othertown / "areas.bak")
        (othertown / "areas.csv").mkdir()
        errors.wait_for("The preview shows the last good build.", time.monotonic() + 60, after=seen)
        with urllib.request.urlopen(url, timeout=5) as response:  # answered at once, not hung
            assert "Early Signs Together" in response.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    lines = errors.lines()
    assert code == 0, lines
    assert (f"Error: {othertown / 'areas.csv'}: Is a directory (a folder has the name a file should have) "
            "The preview shows the last good build.") in lines
    assert "Traceback" not in "\n".join(lines)
    assert ours(tmp) == []


def test_a_busy_port_is_one_line(othertown: Path, place: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, lines = finish(command("serve", "--data", othertown, "--geo", othertown / "no-geo", "--site-src",
                                     ROOT / "site_src", "--config", ROOT / "mkdocs.yml", "--port", port,
                                     tmp=place / "tmp"))
    assert code == 1
    assert lines[-1] == (f"Error: 127.0.0.1:{port}: the port is already in use "
                         "(stop the other program or choose another with --port)")
    assert ours(place / "tmp") == []


# --- folders that refuse to be written --------------------------------------------------------

def chattr(flag: str, path: Path) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    result = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot chattr here: {result.stderr.strip()}")


def test_a_read_only_parent_is_one_line(othertown: Path, place: Path):
    parent = place / "locked"
    parent.mkdir()
    chattr("+i", parent)  # even root cannot create a folder in it
    try:
        code, lines = finish(command(*build_args(othertown, parent / "site"), tmp=place / "tmp"))
    finally:
        chattr("-i", parent)
    assert code == 1
    assert lines == [f"Error: cannot build beside {parent / 'site'}: Operation not permitted ({parent}); the new "
                     "site is built next to --out and swapped in, so its folder must be writable"]
    assert list(parent.iterdir()) == [] and ours(place / "tmp") == []


def test_an_immutable_out_is_one_line_and_kept(othertown: Path, place: Path):
    out = place / "site"
    assert finish(command(*build_args(othertown, out), tmp=place / "tmp"))[0] == 0
    before = tree_digest(out)
    chattr("+i", out)
    try:
        code, lines = finish(command(*build_args(othertown, out), tmp=place / "tmp"))
    finally:
        chattr("-i", out)
    assert code == 1
    assert lines == [f"Error: cannot replace {out}: Operation not permitted; the previous site was left as it was "
                     "(is the folder locked, read-only or in use?)"]
    assert tree_digest(out) == before and ours(place) == [] and ours(place / "tmp") == []


def test_a_full_disk_is_one_line_and_the_site_is_kept(othertown: Path, place: Path):
    disk = place / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        out = disk / "site"
        out.mkdir()
        (out / ".dlp-site").write_text("made by dlp-site\n")
        (out / "index.html").write_text("the last good site\n")
        code, lines = finish(command(*build_args(othertown, out), tmp=place / "tmp"))
        assert code == 1
        assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(
            f"No space left on device ({errno_hint(errno.ENOSPC)})"), lines
        assert (out / "index.html").read_text() == "the last good site\n"
        assert ours(disk) == [] and ours(place / "tmp") == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def errno_hint(code: int) -> str:
    from dlp_site.errors import OS_HINTS

    return OS_HINTS[code]


def test_a_stop_while_the_old_site_is_removed_says_the_new_one_was_published(tmp_path: Path, monkeypatch):
    """Ctrl-C after the swap (here: while the previous site is deleted) must not claim that
    nothing was published: the new site is already in place."""
    from dlp_site.site import interrupt, publish

    out = tmp_path / "site"
    for text in ("old", "new"):
        staged = publish.staging_dir(out)
        (staged.path / "index.html").write_text(text, encoding="utf-8")
        if text == "old":
            publish.publish(staged, out)

    def stop(*_args):
        raise interrupt.Interrupted()

    monkeypatch.setattr(publish, "remove_tree", stop)
    with interrupt.stop_on_signals(), pytest.raises(interrupt.Interrupted) as caught:
        publish.publish(staged, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert caught.value.published


def test_a_stop_after_the_command_has_finished_cannot_change_its_outcome(othertown: Path, tmp_path: Path):
    """Once a command has reported, stop signals are ignored until the process exits; before,
    Ctrl-C there killed the process silently (shell 130) after a complete, published build."""
    from click.testing import CliRunner

    from dlp_site.cli import main

    result = CliRunner().invoke(main, ["check", "--data", str(othertown), "-q"])
    try:
        assert result.exit_code == 0, result.output
        assert all(signal.getsignal(s) == signal.SIG_IGN for s in (signal.SIGINT, signal.SIGTERM))
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


SIGNAL_DURING_IMPORT = """
import importlib.abc, os, signal, sys
module = sys.argv[1]
class Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == module:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Hook())
sys.argv[0:2] = ["dlp-site"]
from dlp_site.__main__ import run
run()
"""


@pytest.mark.parametrize("module", ["numpy._core._multiarray_umath"])
def test_ctrl_c_inside_a_libraries_import_is_still_one_line(othertown: Path, place: Path, module: str):
    """numpy's C extension prints its own traceback and turns a KeyboardInterrupt raised while it
    initialises into an ImportError (which read as a bug, exit 70). Ctrl-C exactly then:"""
    script = place / "signal_during_import.py"
    script.write_text(SIGNAL_DURING_IMPORT, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), module, *map(str, build_args(othertown, place / "site"))],
                         capture_output=True, text=True, env={**os.environ, "TMPDIR": str(place / "tmp")}, timeout=120)
    assert (run.returncode, run.stderr.splitlines()) == (130, ["Interrupted by Ctrl-C: nothing was published."])
    assert not (place / "site").exists()


def test_an_interrupt_a_library_turned_into_another_error_is_still_an_interrupt():
    from click.testing import CliRunner

    from dlp_site.cli import Boundary
    from dlp_site.site import interrupt

    @click.group(cls=Boundary)
    def group() -> None:
        pass

    @group.command()
    def work() -> None:
        try:
            interrupt._raise(signal.SIGINT, None)  # what the handler does on Ctrl-C
        except KeyboardInterrupt:
            raise ImportError("numpy._core.multiarray failed to import") from None

    try:
        result = CliRunner().invoke(group, ["work"])
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # _raise records the signal for the rest of the process (a command's entry clears it);
        # left there, the next in-process build of the session stops as Interrupted: 2.
        interrupt._received.clear()
    assert (result.exit_code, result.output.strip()) == (130, "Interrupted by Ctrl-C: nothing was published.")
