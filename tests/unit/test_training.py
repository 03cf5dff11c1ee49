"""The model is retrained only when what shapes it changes."""

from __future__ import annotations

from pathlib import Path

from bot import training


def test_hash_is_stable_and_covers_config_domain_and_data() -> None:
    assert training.content_hash() == training.content_hash()
    names = {path.relative_to(training.REPO).as_posix() for path in training.training_inputs()}
    assert "bot/config.yml" in names
    assert "requirements/lock.txt" in names
    assert any(name.startswith("bot/domain/") for name in names)
    assert any(name.startswith("data/nlu/") for name in names)
    assert any(name.startswith("data/rules/") for name in names)
    assert not any(name.startswith("data/risk/") for name in names)


def test_hash_changes_when_training_data_changes(tmp_path: Path, monkeypatch) -> None:
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "a.yml").write_text("one")
    monkeypatch.setattr(training, "REPO", tmp_path)
    monkeypatch.setattr(training, "TRAINING_DIRS", (nlu,))
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []")
    lock = tmp_path / "lock.txt"
    lock.write_text("x==1")
    domain = tmp_path / "domain"
    domain.mkdir()
    monkeypatch.setattr(training, "CONFIG", config)
    monkeypatch.setattr(training, "LOCK", lock)
    monkeypatch.setattr(training, "DOMAIN", domain)
    before = training.content_hash()
    (nlu / "a.yml").write_text("two")
    assert training.content_hash() != before
    (nlu / "a.yml").write_text("one")
    assert training.content_hash() == before
    config.write_text("pipeline: [x]")
    assert training.content_hash() != before
