"""Confinement: a leaflet's build reads only its own project and never touches the network.

- project.confined: the one way a layout's logo or a handout's picture is found. Only files
  inside the project (or beside the handout) are allowed: absolute paths, '../' escapes, links out
  of the project and web addresses are refused, each with a message for the author.
- A real build, with every network call blocked and recorded by an audit hook (and, where the
  machine allows it, inside a network namespace with no network at all), opens no connection,
  even with web addresses, links and an image tag in its text.
- YAML is parsed safely: a Python object tag never runs.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, table_rows
from handout_builder.inputs.project import OutsideProject, Project, confined


@pytest.fixture
def tree(tmp_path):
    """A project with images/logo.png, a handout folder outside it, and a secret beside both."""
    root = tmp_path / "clinic"
    (root / "images").mkdir(parents=True)
    (root / "images" / "logo.png").write_bytes(b"png")
    elsewhere = tmp_path / "drafts"
    elsewhere.mkdir()
    (elsewhere / "diagram.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("not for leaflets")
    return Project(root), elsewhere, tmp_path


@pytest.mark.parametrize("written", ["images/logo.png", "./images/logo.png", "images/../images/logo.png",
                                     "images\\logo.png", " images/logo.png "])
def test_a_file_inside_the_project_is_found(tree, written):
    project, _, _ = tree
    assert project.confined(written) == (project.root / "images" / "logo.png").resolve()


def test_a_file_beside_the_handout_is_found_even_outside_the_project(tree):
    project, drafts, _ = tree
    assert project.confined("diagram.png", beside=drafts) == (drafts / "diagram.png").resolve()
    assert project.confined("../clinic/images/logo.png", beside=drafts) == (project.root / "images/logo.png").resolve()


@pytest.mark.parametrize("written, why", [
    ("../secret.txt", "'../secret.txt' leads outside the project (through '..'); keep the file inside it"),
    ("images/../../secret.txt", "'images/../../secret.txt' leads outside the project (through '..'); keep the "
                                "file inside it"),
    ("..\\secret.txt", "'..\\secret.txt' leads outside the project (through '..'); keep the file inside it"),
    ("/etc/passwd", "'/etc/passwd' is an absolute path; give a path inside the project, such as images/logo.png"),
    ("C:\\logo.png", "'C:\\logo.png' is an absolute path; give a path inside the project, such as images/logo.png"),
    ("\\\\server\\share\\logo.png", "'\\\\server\\share\\logo.png' is an absolute path; give a path inside the "
                                    "project, such as images/logo.png"),
    ("~/logo.png", "'~/logo.png' is an absolute path; give a path inside the project, such as images/logo.png"),
    ("https://example.org/logo.png", "'https://example.org/logo.png' is a web address or URL; give a file in the "
                                     "project instead (the builder never fetches anything)"),
    ("HTTP://127.0.0.1:9/logo.png", "'HTTP://127.0.0.1:9/logo.png' is a web address or URL; give a file in the "
                                    "project instead (the builder never fetches anything)"),
    ("file:///etc/passwd", "'file:///etc/passwd' is a web address or URL; give a file in the project instead (the "
                           "builder never fetches anything)"),
    ("data:image/png;base64,iVBORw0KGgo=", "'data:image/png;base64,iVBORw0KGgo=' is a web address or URL; give a "
                                           "file in the project instead (the builder never fetches anything)"),
    ("images/missing.png", "'images/missing.png' does not exist"),
    ("images", "'images' does not exist (it is a folder)"),
    ("", "is empty"),
    ("logo\x00.png", "holds a NUL character; give the file's name"),
])
def test_files_outside_the_project_are_refused_with_a_reason(tree, written, why):
    project, _, _ = tree
    with pytest.raises(OutsideProject) as refused:
        project.confined(written)
    assert str(refused.value) == why


def test_a_link_out_of_the_project_is_refused_and_a_link_within_it_is_followed(tree):
    project, _, outside = tree
    (project.root / "images" / "secret.png").symlink_to(outside / "secret.txt")
    (project.root / "images" / "current.png").symlink_to(project.root / "images" / "logo.png")
    (project.root / "everything").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutsideProject, match="is a link to a file outside the project"):
        project.confined("images/secret.png")
    with pytest.raises(OutsideProject, match="is a link to a file outside the project"):
        project.confined("everything/secret.txt")
    assert project.confined("images/current.png") == (project.root / "images" / "logo.png").resolve()


def test_confined_takes_any_folders_as_roots(tree):
    _, drafts, outside = tree
    assert confined("secret.txt", outside, [outside]) == (outside / "secret.txt").resolve()
    with pytest.raises(OutsideProject):
        confined("../secret.txt", drafts, [drafts])


# -- the network ------------------------------------------------------------------------------------

# The child: every network (and process-starting) call is recorded and refused by an audit hook,
# which sees calls made from C as well; then the real command builds; then the child checks that
# its hook does catch a connection and ReportLab's fetching of an image by URL.
NO_NETWORK = r"""
import json, os, sys
recorded = []
WATCHED = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.", "subprocess.", "os.system",
           "os.exec", "os.posix_spawn")

def hook(event, args):
    if event.startswith(WATCHED):
        recorded.append(event)
        raise PermissionError(f"blocked by the test: {event}")

sys.addaudithook(hook)
sys.argv = ["build_pdf.py", "build"]
sys.path.insert(0, os.environ["HANDOUT_BUILDER_REPO"])
import build_pdf
try:
    build_pdf.cli()
except SystemExit as exit:
    status = exit.code
during_build = list(recorded)
import socket
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except Exception:
    pass
from reportlab.lib.utils import ImageReader
try:
    ImageReader("http://127.0.0.1:9/logo.png")
except Exception:
    pass
sys.stderr.write("RESULT " + json.dumps({"status": status, "build": during_build,
                                        "after": recorded[len(during_build):]}) + "\n")
"""

LINKED = MINIMAL.replace("Some words.", (
    '"See [our page](https://example.org/ward), <https://example.org/x>, www.example.org, '
    '[mail](mailto:ward@example.org), <img src=\\"http://127.0.0.1:9/x.png\\"/> and [@web] [@doi]."')).replace(
    "    references:\n", """\
    references:
      - id: web
        authors: [Ward 7 nurses]
        title: A web page
        year: 2026
        url: https://127.0.0.1:9/page
        accessed: 2026-11-01
      - id: doi
        authors: [Tester A]
        title: A paper
        journal: J Test
        year: 2026
        doi: 10.1000/xyz123
        pmid: "12345"
""")


def run_without_network(root: Path, namespace: bool) -> dict:
    command = [sys.executable, "-c", NO_NETWORK]
    if namespace:
        command = ["unshare", "--net", "--", *command]
    run = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HANDOUT_BUILDER_REPO": str(REPO)})
    result = [line for line in run.stderr.splitlines() if line.startswith("RESULT ")]
    assert result, run.stderr
    return json.loads(result[0][7:]) | {"stdout": run.stdout, "stderr": run.stderr}


def can_unshare_network() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "--net", "--", "true"],
                                                             capture_output=True).returncode == 0


@pytest.mark.parametrize("namespace", [False, pytest.param(True, marks=pytest.mark.skipif(
    not can_unshare_network(), reason="no network namespaces here; the audit hook alone still blocks"))],
    ids=["audit hook", "audit hook in a namespace with no network"])
def test_a_build_opens_no_network_connection(project, namespace):
    project.write("linked", LINKED)
    result = run_without_network(project.root, namespace)
    assert result["status"] in (0, None), result["stderr"]
    assert "linked.pdf" in result["stdout"]
    assert result["build"] == []  # not one socket, request or process during the build
    assert result["after"][0] == "socket.getaddrinfo"  # the hook does catch a connection
    # ReportLab refuses to fetch an image by URL on its own (rl_config.trustedHosts is None), before
    # any socket; the logo code must still find files through project.confined.
    assert [event for event in result["after"] if event.startswith("urllib")] == []
    assert (project.root / "build" / "linked.pdf").exists()


# -- YAML -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/module:os"])
def test_python_tags_in_yaml_never_run(project, tag):
    marker = project.root / "pwned"
    project.write("x", f'title: {tag} ["touch {marker}"]\nversion: "1"\nreviewed: 2026-11-01\n'
                       "sections:\n  - heading: H\n    body: B\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "unsupported YAML tag !!python/" in table_rows(result)[0][3]
    assert not marker.exists()
