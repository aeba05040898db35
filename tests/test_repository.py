"""The repository keeps its promises: the README's commands and chapter list, and the Binder set-up."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def command_under(heading):
    match = re.search(rf"^## {heading}\n.*?^```bash\n(.+?)\n```", README, re.S | re.M)
    assert match, f"README.md has no ```bash block under '## {heading}'"
    return match.group(1).strip()


def test_readme_has_exactly_the_two_commands():
    assert README.count("```bash") == 2
    assert command_under("Read the book") == "pip install -r requirements.txt && jupyter lab chapters/00_start_here.ipynb"
    assert command_under("Run the tests") == "pip install -r tests/requirements.txt && pytest"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "## Run the tests" in ci and 'eval "$command"' in ci
    assert "python3 -m venv" in ci


def test_readme_lists_every_chapter_in_order_and_nothing_else():
    linked = re.findall(r"\]\(chapters/(\d\d_\w+\.ipynb)\)", README)
    assert linked == [path.name for path in CHAPTERS]


def test_binder_badge_opens_jupyterlab_at_chapter_0():
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]+\)", README).group(0)
    assert "urlpath=lab/tree/chapters/00_start_here.ipynb" in badge


def requirement_lines(path):
    """The requirement lines of a pip requirements file, following -r includes (relative to the file)."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#")[0].strip()
        if line.startswith("-r "):
            lines += requirement_lines(path.parent / line[3:].strip())
        elif line:
            lines.append(line)
    return lines


def test_book_requirements_install_nblib_and_the_design_card_packages():
    names = [re.split(r"[<>=!~ ]", line)[0].lower() for line in requirement_lines(ROOT / "requirements.txt")]
    assert {"jupyterlab", "ipywidgets", "anywidget", "matplotlib", "numpy", "-e"} <= set(names)
    assert "-e ." in requirement_lines(ROOT / "requirements.txt")
    assert "nbgrader" not in names  # it adds menus to JupyterLab; instructors install it separately


def test_binder_uses_the_book_requirements_and_pins_python():
    assert requirement_lines(ROOT / "binder" / "requirements.txt") == requirement_lines(ROOT / "requirements.txt")
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    assert not (ROOT / "binder" / "environment.yml").exists()  # it would silently disable requirements.txt


@pytest.fixture(scope="module")
def binder_build(tmp_path_factory):
    """The Dockerfile repo2docker would build for this repository (no Docker needed)."""
    executable = shutil.which("jupyter-repo2docker") or str(Path(sys.executable).parent / "jupyter-repo2docker")
    if not Path(executable).exists():
        pytest.fail("jupyter-repo2docker is not installed: pip install -r tests/requirements.txt")
    copy = tmp_path_factory.mktemp("binder") / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", ".venv", "build"))
    result = subprocess.run(
        [executable, "--no-build", "--no-run", "--debug", "."],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_binder_build_uses_the_pinned_python(binder_build):
    version = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"conda environment for python={version}" in binder_build


def test_binder_build_installs_the_book_requirements_after_copying_the_repository(binder_build):
    install = binder_build.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy = binder_build.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    workdir = binder_build.index("WORKDIR ${REPO_DIR}")
    # -e . in the requirements needs the whole repository in place, with the repository as working folder.
    assert workdir < copy < install


def test_binder_build_ignores_files_at_the_repository_root(binder_build):
    assert '-r "requirements.txt"' not in binder_build
    assert "setup.py" not in binder_build
    assert "pip install -e ." not in binder_build
