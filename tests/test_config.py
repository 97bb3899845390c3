from pathlib import Path

import pytest

from newsdesk.config import load_settings
from newsdesk.errors import ConfigError


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("NEWSDESK_DATA_DIR", "NEWSDESK_DATABASE_URL", "NEWSDESK_ALLOW_PRIVATE_NETWORKS",
                 "NEWSDESK_CONFIG", "NEWSDESK_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults(clean_env: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == Path("data")
    assert settings.allow_private_networks is False
    assert settings.resolved_database_url == f"sqlite:///{clean_env / 'data' / 'newsdesk.db'}"


def test_environment_sets_the_three_main_settings(clean_env, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", "/srv/news")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql+psycopg://news@db/news")
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_NETWORKS", "true")
    settings = load_settings()
    assert settings.data_dir == Path("/srv/news")
    assert settings.resolved_database_url == "postgresql+psycopg://news@db/news"
    assert settings.allow_private_networks is True


def test_toml_file_is_read_and_the_environment_wins(clean_env, monkeypatch) -> None:
    (clean_env / "newsdesk.toml").write_text('data_dir = "from-file"\nport = 9090\n')
    assert load_settings().data_dir == Path("from-file")
    assert load_settings().port == 9090
    monkeypatch.setenv("NEWSDESK_PORT", "7070")
    assert load_settings().port == 7070


def test_config_file_can_be_elsewhere(clean_env, monkeypatch) -> None:
    other = clean_env / "etc" / "news.toml"
    other.parent.mkdir()
    other.write_text("allow_private_networks = true\n")
    monkeypatch.setenv("NEWSDESK_CONFIG", str(other))
    assert load_settings().allow_private_networks is True


def test_bad_values_are_one_clear_line(clean_env, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_PORT", "eighty")
    with pytest.raises(ConfigError, match="NEWSDESK_PORT"):
        load_settings()
    monkeypatch.delenv("NEWSDESK_PORT")
    (clean_env / "newsdesk.toml").write_text("port = [unclosed\n")
    with pytest.raises(ConfigError, match="newsdesk.toml"):
        load_settings()
