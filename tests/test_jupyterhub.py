"""A course on a real JupyterHub with nbgrader's exchange, on this machine's loopback address only.

JupyterHub (from pip) with configurable-http-proxy (from npm), a dummy authenticator and a
local process spawner; every user's server is JupyterLab with nbgrader's extensions. The
instructor makes the course with instructors/course.py and releases chapter 7's exercises
through the formgrader; three students fetch them (assignment list), answer (right, nothing,
partly wrong) through the Jupyter contents API and submit; the instructor collects through
the formgrader, autogrades and exports with instructors/course.py: 3, 0 and 2 of 3.

Needs npm to install configurable-http-proxy: skipped, saying so, where npm is missing, except
under .ci/run (BOOK_JUPYTERHUB_TESTS=required), which installs npm and where it must run. It took
2 to 3.5 minutes on two busy cores, most of it installing JupyterHub, starting four servers and
grading.
"""

import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from course_helpers import (
    ROOT, course, environment_variables, exercises_notebook, instructor_environment, right_answers, save,
    write_answers,
)

sys.path.insert(0, str(ROOT / "instructors"))
import course as course_tool  # noqa: E402

NOTEBOOK = "07_training_a_network.ipynb"
COURSE_ID = "deep-learning-for-audio"
STUDENTS = ("s_right", "s_empty", "s_wrong")
REQUIRED = os.environ.get("BOOK_JUPYTERHUB_TESTS") == "required"  # set by .ci/run: there, skipping is failing
pytestmark = pytest.mark.skipif(shutil.which("npm") is None and not REQUIRED,
                                reason="npm is missing: it installs configurable-http-proxy, JupyterHub's proxy")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hub:
    """A running JupyterHub and the requests a test makes to it, with an admin service's token."""

    def __init__(self, url, token):
        self.url, self.token = url, token

    def request(self, method, path, body=None, timeout=120):
        data = json.dumps(body).encode() if body is not None else (b"" if method in ("POST", "PUT") else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def start_server(self, user):
        self.request("POST", f"/hub/api/users/{user}")
        try:
            self.request("POST", f"/hub/api/users/{user}/server")
        except urllib.error.HTTPError as error:
            assert error.code == 400, error  # already running
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            server = self.request("GET", f"/hub/api/users/{user}")["servers"].get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start in 90 s")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    bin_dir = instructor_environment(tmp_path_factory.getbasetemp(), extra=("jupyterhub",))
    base = tmp_path_factory.mktemp("hub")
    proxy_dir = base / "proxy"
    install = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", proxy_dir,
                              "configurable-http-proxy"], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-2000:]
    exchange = base / "exchange"
    exchange.mkdir(mode=0o777)
    homes = base / "home"
    shared = f"c.CourseDirectory.course_id = {COURSE_ID!r}\nc.Exchange.root = {str(exchange)!r}\n"
    # Every server here runs as one operating-system user, so each student's nbgrader is told who
    # they are (on Zero to JupyterHub every server runs as "jovyan" and nbgrader reads JUPYTERHUB_USER itself).
    for user in STUDENTS:
        (homes / user / ".jupyter").mkdir(parents=True)
        (homes / user / ".jupyter" / "nbgrader_config.py").write_text(
            "import os\nc = get_config()\n" + shared + 'c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]\n')
    (homes / "instructor" / ".jupyter").mkdir(parents=True)
    # The instructor's course folder, in the instructor's home (the formgrader wants it under the server's root).
    folder = homes / "instructor" / "course"
    book_copy = base / "book" / NOTEBOOK
    save(exercises_notebook(), book_copy)
    course_tool.new_course(folder, chapter_files=[book_copy], seed=11, timeout=30)
    with open(folder / "nbgrader_config.py", "a") as stream:
        stream.write(shared)
    (homes / "instructor" / ".jupyter" / "nbgrader_config.py").write_text(
        (folder / "nbgrader_config.py").read_text())
    course(bin_dir, "release", folder, "ch07")

    # nbconvert's templates (the formgrader needs them) live with the book's environment.
    jupyter_path = os.pathsep.join(str(path) for path in {Path(sys.prefix) / "share" / "jupyter",
                                                           Path(sys.base_prefix) / "share" / "jupyter"} if path.is_dir())
    token = secrets.token_hex(16)
    port, hub_port, api_port = free_port(), free_port(), free_port()
    (base / "jupyterhub_config.py").write_text(f"""
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(proxy_dir / "node_modules" / ".bin" / "configurable-http-proxy")!r}]
c.JupyterHub.db_url = "sqlite:///{base / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(base / 'cookie_secret')!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + "/{{username}}"
c.Spawner.cmd = [{str(bin_dir / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root", "--ServerApp.ip=127.0.0.1"]
c.Spawner.environment = {{"PYTHONPATH": {str(ROOT)!r}, "JUPYTER_PATH": {jupyter_path!r}}}
c.Spawner.start_timeout = 90
c.JupyterHub.services = [{{"name": "course-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "course-test", "services": ["course-test"],
                             "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"]}}]
""")
    log = open(base / "jupyterhub.log", "w")
    process = subprocess.Popen([bin_dir / "jupyterhub", "-f", base / "jupyterhub_config.py"], cwd=base,
                               env=environment_variables(bin_dir), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    running = Hub(f"http://127.0.0.1:{port}", token)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                running.request("GET", "/hub/api/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None and time.monotonic() < deadline, \
                    (base / "jupyterhub.log").read_text()[-3000:]
                time.sleep(0.5)
        yield running, bin_dir, folder, base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_release_fetch_submit_collect_autograde_export(hub):
    running, bin_dir, folder, base = hub
    for user in ("instructor", *STUDENTS):
        running.start_server(user)

    result = running.request("POST", "/user/instructor/formgrader/api/assignment/ch07/release")
    assert result["success"], result
    assert (base / "exchange" / COURSE_ID / "outbound" / "ch07" / NOTEBOOK).exists()

    numbers = json.loads((folder / "course.json").read_text())["assignments"]["ch07"]["numbers"]["ch07_n_steps_question"]
    answer = numbers["epochs"] * math.ceil(numbers["n_samples"] / numbers["batch_size"])
    answers = {"s_right": right_answers(answer), "s_empty": {},
               "s_wrong": {**right_answers(answer), "ch07_n_steps": f"n_steps = {10 * math.ceil(1000 / 32)}"}}
    query = f"?course_id={COURSE_ID}&assignment_id=ch07"
    for student in STUDENTS:
        listed = running.request("POST", f"/user/{student}/assignments/fetch{query}")
        assert any(item["assignment_id"] == "ch07" and item["status"] == "fetched" for item in listed["value"]), listed
        path = f"/user/{student}/api/contents/ch07/{NOTEBOOK}"
        notebook = running.request("GET", path + "?content=1")["content"]
        running.request("PUT", path, {"type": "notebook", "format": "json",
                                      "content": write_answers(notebook, answers[student])})
        submitted = running.request("POST", f"/user/{student}/assignments/submit{query}")
        assert "value" in submitted, submitted

    result = running.request("POST", "/user/instructor/formgrader/api/assignment/ch07/collect")
    assert result["success"], result
    assert sorted(path.parent.name for path in (folder / "submitted").glob("*/ch07")) == sorted(STUDENTS)

    course(bin_dir, "autograde", folder, "ch07", "--workers", "2")
    course(bin_dir, "grades", folder)
    rows = (folder / "grades" / "grades.csv").read_text().splitlines()
    scores = {row.split(",")[2]: row.split(",")[-1] for row in rows[1:]}
    assert scores == {"s_right": "3", "s_empty": "0", "s_wrong": "2"}
