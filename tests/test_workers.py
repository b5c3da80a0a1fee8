"""Workers: a batch too small to gain from a second process is built in this one; otherwise the
layouts of one command share one set of workers, forked warm from a fork server, and build the
same bytes as this process does."""
from __future__ import annotations

import concurrent.futures

import pytest

from conftest import MINIMAL, page_texts
from handout_builder.build import batch
from handout_builder.build.batch import SMALL_BATCH, jobs_for


def test_jobs_for_a_batch():
    assert jobs_for(SMALL_BATCH - 1) == 1
    assert jobs_for(SMALL_BATCH) == batch.default_jobs()
    assert jobs_for(1, jobs=3) == 3  # the user's -j stands, however small the batch


@pytest.fixture
def pools(monkeypatch) -> list:
    """Every process pool the command starts."""
    made = []
    original = concurrent.futures.ProcessPoolExecutor

    class Counted(original):
        def __init__(self, *args, **kwargs):
            made.append(kwargs.get("mp_context"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    return made


def test_a_small_batch_is_built_in_this_process(project, pools):
    for name in ("a", "b", "c"):
        project.write(name, MINIMAL)
    assert project.run("build").exit_code == 0
    assert pools == [] and all(project.pdf(name).exists() for name in ("a", "b", "c"))


def test_every_layout_shares_one_set_of_warm_workers(project, pools):
    for name in ("a", "b"):
        project.write(name, MINIMAL)
    assert project.run("build", "--all-layouts", "-j", "1", "-o", "one").exit_code == 0
    assert pools == []
    result = project.run("build", "--all-layouts", "-j", "2", "-o", "two")
    assert result.exit_code == 0, result.stderr
    assert len(pools) == 1 and pools[0].get_start_method() == "forkserver"
    one = sorted((project.root / "one").glob("*.pdf"))
    assert len(one) >= 2 * len(list((project.root / "layouts").glob("*.yaml")))  # booklets also make a screen copy
    for path in one:
        assert path.read_bytes() == (project.root / "two" / path.name).read_bytes(), path.name


def test_enough_leaflets_use_every_core(project, pools, monkeypatch):
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    for index in range(SMALL_BATCH):
        project.write(f"x{index}", MINIMAL)
    assert project.run("build", "-q").exit_code == 0
    assert len(pools) == 1


def test_a_few_stale_leaflets_among_many_are_built_in_this_process(project, pools, monkeypatch):
    """The fork server is started for enough leaflets to build, not for enough leaflets asked
    for: a rebuild after two handouts were edited builds those two here."""
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    for index in range(SMALL_BATCH + 2):
        project.write(f"x{index}", MINIMAL)
    assert project.run("build", "-q").exit_code == 0
    assert len(pools) == 1
    for index in (3, 7):
        project.write(f"x{index}", MINIMAL.replace("Some words.", "Some other words."))
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    assert len(pools) == 1  # none started for the two
    assert result.stdout.count("up to date") == SMALL_BATCH and "x3.yaml -> build/x3.pdf: 2 pages" in result.stdout
    assert "Some other words." in page_texts(project.pdf("x7"))[0]
    project.write("x1", MINIMAL.replace("Some words.", "Yet other words."))
    assert project.run("build", "-j", "2").exit_code == 0 and len(pools) == 1  # one stale: nothing to share
    for index in (2, 4):
        project.write(f"x{index}", MINIMAL.replace("Some words.", "Words again."))
    assert project.run("build", "-j", "2").exit_code == 0 and len(pools) == 2  # the user's -j stands for two


def test_every_layout_counts_towards_starting_the_workers(project, pools, monkeypatch):
    """With --all-layouts the batches share the workers: a few stale leaflets in each of many
    layouts are enough together."""
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    layouts = len(list((project.root / "layouts").glob("*.yaml")))
    assert 2 * layouts >= SMALL_BATCH > 2
    for name in ("a", "b"):
        project.write(name, MINIMAL)
    assert project.run("build", "-q").exit_code == 0 and pools == []
    assert project.run("build", "-q", "--all-layouts", "-o", "every").exit_code == 0
    assert len(pools) == 1
