"""Runs are given back to a reloaded tab, and only once the tab that owned them has gone."""

from dashboard import run_registry
from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import TrainingJob
from dashboard.run_registry import Owner


def owner(name):
    """A session whose token and Streamlit id are both ``name``."""
    return Owner(name, name)


def make_job():
    config = RunConfig(epochs=1)
    data = load_data(config)
    return TrainingJob(config, data, build_trainer(config, data), inline=True)


def test_a_run_goes_to_a_new_session_only_once_its_owner_has_gone(monkeypatch):
    open_sessions = {"teacher"}
    monkeypatch.setattr(run_registry, "_session_is_open", lambda o: o.token in open_sessions)
    job = make_job()
    run_id = run_registry.register(job, owner("teacher"))
    assert run_registry.claim(run_id, owner("student"), wait=0) is None  # the owner's tab is open
    assert run_registry.claim(run_id, owner("teacher"), wait=0) is job
    open_sessions.clear()  # the teacher's tab reloaded
    assert run_registry.claim(run_id, owner("teacher-reloaded"), wait=0) is job
    open_sessions.add("teacher-reloaded")
    assert run_registry.claim(run_id, owner("student"), wait=0) is None  # the new tab owns it


def test_stopped_runs_are_forgotten(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    job = make_job()
    run_id = run_registry.register(job, owner("a"))
    job.stop()
    assert run_registry.claim(run_id, owner("b")) is None
    assert run_id not in run_registry._runs


def test_unknown_ids_give_nothing():
    assert run_registry.claim("no-such-run", owner("a")) is None


def test_an_owner_that_disconnects_during_the_grace_gives_the_run_up(monkeypatch):
    checks = iter([True, True, False])  # still connected twice, then gone
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: next(checks))
    job = make_job()
    run_id = run_registry.register(job, owner("old"))
    assert run_registry.claim(run_id, owner("new"), wait=5.0) is job


def test_a_run_stopped_while_its_claim_waits_is_not_handed_over(monkeypatch):
    job = make_job()

    def owner_leaves_as_the_run_is_reaped(session):
        job.stop()  # the reaper ends it while the new tab waits
        return False

    monkeypatch.setattr(run_registry, "_session_is_open", owner_leaves_as_the_run_is_reaped)
    run_id = run_registry.register(job, owner("old"))
    assert run_registry.claim(run_id, owner("new"), wait=1.0) is None


def test_the_registry_says_who_owns_a_run(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    run_id = run_registry.register(make_job(), owner("a"))
    assert run_registry.owns(run_id, owner("a")) and not run_registry.owns(run_id, owner("b"))
    run_registry.claim(run_id, owner("b"), wait=0)
    assert run_registry.owns(run_id, owner("b")) and not run_registry.owns(run_id, owner("a"))


def test_reaping_lets_go_of_stopped_runs(monkeypatch):
    job = make_job()
    run_id = run_registry.register(job, owner("a"))
    job.stop()
    run_registry.forget_stopped()
    assert run_id not in run_registry._runs


class FakeRuntime:
    """Streamlit's runtime as the registry asks it: which sessions are connected."""

    connected = frozenset({"here"})

    @classmethod
    def exists(cls):
        return True

    @classmethod
    def instance(cls):
        return cls()

    def is_active_session(self, session_id):
        return session_id in self.connected


def test_only_a_connected_session_counts_as_open(monkeypatch):
    monkeypatch.setattr(run_registry, "Runtime", FakeRuntime)
    assert run_registry._session_is_open(Owner("token", "here"))
    assert not run_registry._session_is_open(Owner("token", "gone"))
