"""Clinical sign-off (approve, approval status in list, check --strict and build --release) and
the archive of published versions (publish, history), with real builds read back."""
from __future__ import annotations

import csv
import hashlib

import pytest
from click.testing import CliRunner

import build_pdf
from conftest import MINIMAL, LeafletProject, check_json, page_texts, words

BY = "Dr Ana Silva, consultant paediatric oncologist"


def approve(project: LeafletProject, name: str = "x", *more: str, input: str | None = None):
    args = ["approve", f"handouts/{name}.yaml", "--by", BY, *more]
    if input is None:
        args.append("--yes")
    result = CliRunner().invoke(build_pdf.cli, args, input=input, catch_exceptions=False)
    return result


def approval_column(project: LeafletProject) -> dict[str, str]:
    result = project.run("list")
    lines = result.stdout.splitlines()
    start = lines[0].index("Approval")
    return {line.split()[0]: line[start:].strip() for line in lines[1:]}


def new_words(project: LeafletProject, name: str = "x", version: str | None = None) -> None:
    path = project.root / "handouts" / f"{name}.yaml"
    text = path.read_text().replace("Some words.", "Some new words, changed by the team.")
    if version:
        text = text.replace('version: "1.0"', f'version: "{version}"')
    path.write_text(text)


def test_approve_then_changed_words_are_not_approved_until_the_new_version_is(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-03-01")
    project.write("x", MINIMAL)
    first = approve(project)
    assert first.exit_code == 0, first.output
    assert "never approved before" in first.stdout
    assert approval_column(project) == {
        "handouts/x.yaml": f"approved (version 1.0, by {BY} on 2026-03-01)"}
    approvals = (project.root / "approvals" / "x.yaml").read_text()
    assert 'version: "1.0"' in approvals and f'by: "{BY}"' in approvals and "date: 2026-03-01" in approvals
    assert project.run("build").exit_code == 0  # the approved words, built: the diff compares with them

    new_words(project)  # the words change, the version does not
    assert approval_column(project) == {
        "handouts/x.yaml": "not approved (words changed since version 1.0 was approved)"}
    refused = approve(project)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        'handouts/x.yaml:2: version: the words changed since version 1.0 was approved on 2026-03-01, but version is '
        'still "1.0"; raise version before approving the new words']
    assert (project.root / "approvals" / "x.yaml").read_text() == approvals  # nothing recorded

    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-04-02")
    new_words(project, version="1.1")
    second = approve(project)
    assert second.exit_code == 0, second.output
    # the words changed since version 1.0, as `diff` shows them
    assert "Words changed since version 1.0 was approved (--- build/x.pdf, +++ handouts/x.yaml):" in second.stdout
    assert "\nFirst\n  Some [-words.-] {+new words, changed by the team.+}\n" in second.stdout
    assert approval_column(project) == {
        "handouts/x.yaml": f"approved (version 1.1, by {BY} on 2026-04-02)"}
    text = (project.root / "approvals" / "x.yaml").read_text()
    assert text.startswith(approvals) and text.count("- version:") == 2  # appended, the first kept as it was
    again = approve(project)
    assert again.exit_code == 0 and "approved already" in again.stdout
    assert (project.root / "approvals" / "x.yaml").read_text() == text


def test_approve_asks_first_and_records_nothing_when_told_no(project):
    project.write("x", MINIMAL)
    declined = approve(project, input="n\n")
    assert declined.exit_code == 1
    assert f"Record that {BY} approves version 1.0 of handouts/x.yaml" in declined.stdout
    assert not (project.root / "approvals").exists()
    accepted = approve(project, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert (project.root / "approvals" / "x.yaml").is_file()


@pytest.mark.parametrize("by, message", [
    ("Ana Silva", "'Ana Silva' must name the clinician and their role: --by \"Name, role\""),
    (", consultant", "', consultant' must name the clinician and their role: --by \"Name, role\""),
])
def test_approve_needs_a_name_and_a_role(project, by, message):
    project.write("x", MINIMAL)
    result = CliRunner().invoke(build_pdf.cli, ["approve", "handouts/x.yaml", "--by", by, "--yes"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"handouts/x.yaml: --by: {message}"]


def test_approve_refuses_a_leaflet_with_errors(project):
    project.write("x", MINIMAL.replace('    version: "1.0"\n', ""))
    result = approve(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["handouts/x.yaml:1: version: missing"]
    assert not (project.root / "approvals").exists()


@pytest.mark.parametrize("text, line", [
    ("approvals:\n  - version: \"1.0\"\n    words: abc\n    by: Someone, nurse\n    date: 2026-03-01\n",
     "approvals/x.yaml:3: approvals[1].words: must be the 64-character fingerprint `approve` wrote; do not edit it"),
    ("approvals:\n  - version: \"1.0\"\n    words: " + "a" * 64 + "\n    by: Someone, nurse\n",
     "approvals/x.yaml:2: approvals[1].date: missing"),
    ("approvals:\n  - version: \"1.0\"\n    words: " + "a" * 64 + "\n    by: Someone, nurse\n    date: soon\n",
     "approvals/x.yaml:5: approvals[1].date: 'soon' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01"),
    ("approvals: [\n", None),
])
def test_a_malformed_approvals_file_is_one_clear_line(project, text, line):
    project.write("x", MINIMAL)
    (project.root / "approvals").mkdir()
    (project.root / "approvals" / "x.yaml").write_text(text)
    result = project.run("build", "--release")
    assert result.exit_code == 1
    problem = result.stderr.splitlines()[0]
    assert problem.startswith("approvals/x.yaml:")
    if line:
        assert problem == line
    assert "Traceback" not in result.stderr
    assert not project.pdf("x").exists()
    listed = project.run("list")
    assert listed.exit_code == 1 and "(approvals file has problems)" in listed.stdout


def test_a_layout_change_keeps_the_approval(project):
    project.write("x", MINIMAL)
    assert approve(project).exit_code == 0
    path = project.root / "handouts" / "x.yaml"
    path.write_text(path.read_text().replace("sections:", "layout: clinic-letter\nsections:"))
    assert approval_column(project)["handouts/x.yaml"].startswith("approved (version 1.0")
    assert project.run("check", "--strict").exit_code == 0
    released = project.run("build", "--release")
    assert released.exit_code == 0, released.stderr


def test_release_and_strict_check_refuse_words_not_approved(project):
    project.write("x", MINIMAL)
    project.write("y", MINIMAL.replace("Some words.", "Other words."))
    assert approve(project, "y").exit_code == 0  # the project now keeps approvals
    assert project.run("check", "--strict").exit_code == 1
    code, report = check_json(project)
    assert code == 0  # a warning: only --strict fails on it
    assert [(f["file"], f["line"], f["level"], f["field"], f["message"]) for f in report["findings"]
            if f["check"] == "sign-off"] == [
        ("handouts/x.yaml", 2, "warning", "version", "not approved (never signed off); run approve")]
    released = project.run("build", "--release")
    assert released.exit_code == 1
    assert released.stderr.splitlines() == [
        "handouts/x.yaml:2: version: not approved (never signed off); run approve before releasing it",
        "1 of 2 leaflets not built"]
    assert not project.pdf("x").exists() and project.pdf("y").exists()
    path = project.root / "handouts" / "y.yaml"
    path.write_text(path.read_text().replace("Other words.", "Other words, changed."))
    released = project.run("build", "--release", "handouts/y.yaml")
    assert released.exit_code == 1
    assert released.stderr.splitlines()[0] == (
        "handouts/y.yaml:2: version: not approved (words changed since version 1.0 was approved); run approve "
        "before releasing it")


def test_a_draft_is_never_released_even_when_approved(project):
    project.write("x", MINIMAL + "    draft: true\n")
    assert approve(project).exit_code == 0
    released = project.run("build", "--release")
    assert released.exit_code == 1
    assert released.stderr.splitlines()[0] == (
        "handouts/x.yaml:15: draft: a draft is never released; remove 'draft: true' once it is approved")
    published = project.run("publish")
    assert published.exit_code == 1 and "handouts/x.yaml: skipped: a draft" in published.stdout
    assert not (project.root / "archive" / "index.csv").exists()


def test_a_release_build_is_not_up_to_date_for_a_working_build(project):
    project.write("x", MINIMAL)
    assert approve(project).exit_code == 0
    assert project.run("build", "--release").exit_code == 0
    released = project.pdf("x").read_bytes()
    rebuilt = project.run("build", "-v")
    assert "(last built as a release)" in rebuilt.stdout
    assert project.pdf("x").read_bytes() != released
    assert "(a release build is wanted)" in project.run("build", "--release", "-v").stdout
    assert project.pdf("x").read_bytes() == released  # the same inputs give the same bytes


# -- publish and history ------------------------------------------------------------------------

def index_rows(project: LeafletProject) -> list[dict[str, str]]:
    with open(project.root / "archive" / "index.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_publish_twice_is_idempotent_and_other_bytes_are_refused(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-03-03")
    project.write("x", MINIMAL)
    project.write("unapproved", MINIMAL)
    assert approve(project).exit_code == 0
    first = project.run("publish")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines() == [
        "handouts/unapproved.yaml: skipped: not approved (never signed off)",
        f"handouts/x.yaml -> archive/x/1.0/x-clinic-a4.pdf: version 1.0 published (approved by {BY} on 2026-03-03)"]
    archived = project.root / "archive" / "x" / "1.0" / "x-clinic-a4.pdf"
    data = archived.read_bytes()
    assert index_rows(project) == [{
        "stem": "x", "language": "en", "version": "1.0", "layout": "clinic-a4",
        "sha256": hashlib.sha256(data).hexdigest(), "approved_by": BY, "approved_on": "2026-03-03",
        "published_on": "2026-03-03"}]
    assert "A leaflet First Some words." in words(page_texts(archived)[0])
    index = (project.root / "archive" / "index.csv").read_bytes()

    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-03-04")
    second = project.run("publish", "handouts/x.yaml")
    assert second.exit_code == 0
    assert "version 1.0 already published" in second.stdout
    assert (project.root / "archive" / "index.csv").read_bytes() == index and archived.read_bytes() == data

    # a layout change keeps the approval, but the same version would now archive other bytes
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("#1f4e79", "#1f4e78"))
    changed = project.run("publish", "handouts/x.yaml")
    assert changed.exit_code == 1
    assert changed.stderr.splitlines()[0].startswith(
        "handouts/x.yaml: version: version 1.0 is archived already as archive/x/1.0/x-clinic-a4.pdf with other "
        "bytes (sha256 ")
    assert changed.stderr.splitlines()[0].endswith("the archive is never overwritten: raise version, approve and "
                                                   "publish again")
    assert (project.root / "archive" / "index.csv").read_bytes() == index and archived.read_bytes() == data


def test_history_on_a_day_names_the_version_current_then(project, monkeypatch):
    project.write("x", MINIMAL)
    for version, day in (("1.0", "2026-01-10"), ("1.1", "2026-03-01"), ("2.0", "2026-06-15")):
        monkeypatch.setenv("HANDOUT_BUILDER_TODAY", day)
        if version != "1.0":
            path = project.root / "handouts" / "x.yaml"
            path.write_text(path.read_text().replace("Some words", f"Some words for {version}")
                            .replace(f'version: "{previous}"', f'version: "{version}"'))
        assert approve(project).exit_code == 0
        assert project.run("publish").exit_code == 0
        previous = version
    listed = project.run("history", "handouts/x.yaml")
    assert listed.exit_code == 0
    assert [line.split()[:3] for line in listed.stdout.splitlines() if not line.startswith(" ")] == [
        ["1.0", "published", "2026-01-10"], ["1.1", "published", "2026-03-01"], ["2.0", "published", "2026-06-15"]]
    expected = {"2026-01-10": "1.0", "2026-03-03": "1.1", "2026-02-28": "1.0", "2026-06-14": "1.1",
                "2026-06-15": "2.0", "2030-01-01": "2.0"}
    for day, version in expected.items():
        on = project.run("history", "handouts/x.yaml", "--on", day)
        assert on.exit_code == 0
        lines = on.stdout.splitlines()
        assert lines[0].startswith(f"handouts/x.yaml on {day}: version {version} ")
        assert lines[1].split()[0] == f"archive/x/{version}/x-clinic-a4.pdf"
        assert (project.root / lines[1].split()[0]).is_file()
    before = project.run("history", "handouts/x.yaml", "--on", "2026-01-09")
    assert before.exit_code == 1 and "nothing was published on or before 2026-01-09" in before.stderr
    bad = project.run("history", "handouts/x.yaml", "--on", "3 March")
    assert bad.exit_code == 2 and "'3 March' is not a date" in bad.stderr


def test_a_second_publish_at_once_is_refused(project):
    from handout_builder.build.archive import Archive
    from handout_builder.inputs.project import Project

    project.write("x", MINIMAL)
    assert approve(project).exit_code == 0
    with Archive(Project(project.root)).lock():
        result = project.run("publish")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["archive/.publish.lock: another publish is running in this project; wait "
                                          "for it to finish"]
    assert not (project.root / "archive" / "index.csv").exists()
    assert project.run("publish").exit_code == 0  # the lock is let go with the first


def test_publish_refuses_a_version_that_cannot_name_a_folder(project):
    project.write("x", MINIMAL.replace('version: "1.0"', 'version: "1.0/final"'))
    assert approve(project).exit_code == 0
    result = project.run("publish")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "handouts/x.yaml:2: version: '1.0/final' cannot name a folder of the archive; use letters, digits, '.', '-' "
        "and '_', such as 2.1")


# -- a publish killed at any moment -------------------------------------------------------------

def archive_files(root) -> dict[str, bytes]:
    """Every file in archive/ (by path inside it) but the lock and hidden temporaries."""
    folder = root / "archive"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def assert_consistent(root, complete: dict[str, bytes]) -> None:
    """Each file is one the complete publish writes, whole; each index row names a file that is
    in place with the bytes the row says; the index is a beginning of the complete one."""
    now = archive_files(root)
    for name, data in now.items():
        if name != "index.csv":
            assert data == complete[name], f"{name} is not whole"
    index = now.get("index.csv", b"")
    assert complete["index.csv"].startswith(index), "index.csv is not a beginning of the complete index"
    for row in csv.DictReader(index.decode("utf-8").splitlines()):
        name = f"{row['stem']}/{row['version']}/{row['stem']}-{row['layout']}.pdf"
        assert name in now and hashlib.sha256(now[name]).hexdigest() == row["sha256"], name


def test_a_publish_killed_at_each_write_leaves_a_consistent_archive(tmp_path, monkeypatch):
    import shutil
    import signal

    from test_faults import POINTS, run

    root = tmp_path / "clinic"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-03-03")  # the children publish on the same day
    project = LeafletProject(root)
    for name in ("a", "b"):
        project.write(name, MINIMAL.replace("Some words.", f"Some words for {name}."))
        assert approve(project, name).exit_code == 0
    counted = run(project, "publish")
    assert counted.returncode == 0, counted.stderr
    complete = archive_files(root)
    assert len(complete) == 3  # two PDFs and the index
    writes = eval(counted.stderr.splitlines()[-1].removeprefix("REACHED "))["before-replace"]
    assert writes == 4  # each PDF, then its row
    shutil.rmtree(root / "archive")
    for point in POINTS:
        for target in range(1, writes + 1):
            killed = run(project, "publish", point=point, target=target)
            assert killed.returncode == -signal.SIGKILL, (point, target, killed.stderr)
            assert_consistent(root, complete)
            # The next publish completes the archive: a file in place without its row (after-replace)
            # gets its row; a half-written temporary (mid-write) is never taken for the file. Killed
            # before-fsync or before-replace, the archive is as mid-write leaves it.
            if point in ("mid-write", "after-replace"):
                finished = run(project, "publish")
                assert finished.returncode == 0, (point, target, finished.stderr)
                assert archive_files(root) == complete, (point, target)
                assert not list((root / "archive").rglob("*.tmp")), (point, target)  # what the kill left is gone
            shutil.rmtree(root / "archive")


def test_the_layout_may_print_who_approved_the_words(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-03-01")
    (project.root / "layouts" / "signed.yaml").write_text("extends: clinic-a4\nprint_approval: true\n")
    project.write("x", MINIMAL)
    for layout in ("signed", "clinic-a4"):
        assert project.run("build", "-l", layout).exit_code == 0

    def printed(layout: str) -> str:
        return words(" ".join(page_texts(project.root / "build" / f"x-{layout}.pdf")))

    assert "Approved" not in printed("signed")
    assert approve(project).exit_code == 0
    rebuilt = project.run("build", "-l", "signed", "-v")
    assert "(approvals/x.yaml changed)" in rebuilt.stdout  # an input of a leaflet whose layout prints it
    assert f"Version 1.0, reviewed 1 November 2026. Approved on 1 March 2026 by {BY}." in printed("signed")
    plain = project.run("build", "-l", "clinic-a4")  # the switch is off there: not an input, nothing printed
    assert "up to date" in plain.stdout and "Approved" not in printed("clinic-a4")
    new_words(project)  # words not approved: nothing is claimed
    assert project.run("build", "-l", "signed").exit_code == 0
    assert "Approved" not in printed("signed") and "Some new words" in printed("signed")


def test_the_last_approved_record_is_read_through_the_world(project):
    """The reading API other parts of the builder use (the version warning, issue 18)."""
    from handout_builder.inputs.approvals import last_approval
    from handout_builder.world import World

    project.write("x", MINIMAL)
    world = World(project.root)
    with world.recording() as read:
        assert last_approval(project.root, "x", "approvals/x.yaml", world) is None
    assert read.files == {"approvals/x.yaml": None}  # a missing file is an input too: adding it changes things
    assert approve(project).exit_code == 0
    new_words(project, version="1.1")
    assert approve(project).exit_code == 0
    world = World(project.root)
    with world.recording() as read:
        last = last_approval(project.root, "x", "approvals/x.yaml", world)
    assert (last.version, last.by, last.line) == ("1.1", BY, 8)
    assert set(read.files) == {"approvals/x.yaml"}
