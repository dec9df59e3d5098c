"""Runs are given back to a reloaded tab, and only once the tab that owned them has gone."""

from dashboard import run_registry
from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import TrainingJob


def make_job():
    config = RunConfig(epochs=1)
    data = load_data(config)
    return TrainingJob(config, data, build_trainer(config, data), inline=True)


def test_a_run_goes_to_a_new_session_only_once_its_owner_has_gone(monkeypatch):
    open_sessions = {"teacher"}
    monkeypatch.setattr(run_registry, "_session_is_open", open_sessions.__contains__)
    job = make_job()
    run_id = run_registry.register(job, "teacher")
    assert run_registry.claim(run_id, "student", wait=0) is None  # the owner's tab is open
    assert run_registry.claim(run_id, "teacher", wait=0) is job
    open_sessions.clear()  # the teacher's tab reloaded
    assert run_registry.claim(run_id, "teacher-reloaded", wait=0) is job
    open_sessions.add("teacher-reloaded")
    assert run_registry.claim(run_id, "student", wait=0) is None  # the new tab owns it


def test_stopped_runs_are_forgotten(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    job = make_job()
    run_id = run_registry.register(job, "a")
    job.stop()
    assert run_registry.claim(run_id, "b") is None
    assert run_id not in run_registry._runs


def test_unknown_ids_give_nothing():
    assert run_registry.claim("no-such-run", "a") is None


def test_an_owner_that_disconnects_during_the_grace_gives_the_run_up(monkeypatch):
    checks = iter([True, True, False])  # still connected twice, then gone
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: next(checks))
    job = make_job()
    run_id = run_registry.register(job, "old")
    assert run_registry.claim(run_id, "new", wait=5.0) is job
