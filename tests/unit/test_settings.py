from pathlib import Path

from qingxi.core import settings


def test_defaults_work_offline_without_a_secrets_file(tmp_path):
    cfg = settings.load(env={}, secrets_path=tmp_path / "absent.toml")
    assert cfg.database_url.startswith("sqlite:///") and cfg.database_url.endswith("data/qingxi.db")
    assert cfg.tile_url is None
    assert cfg.default_language == "zh"
    assert cfg.service_distance_m == 1000
    assert cfg.photo_dir == settings.ROOT / "data" / "photos"


def test_environment_wins_over_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql://from-secrets/db"\nQINGXI_TILE_URL = "http://t/{z}/{x}/{y}.png"\n')
    cfg = settings.load(env={"DATABASE_URL": "sqlite:///env.db", "QINGXI_LANGUAGE": "en"}, secrets_path=secrets)
    assert cfg.database_url == "sqlite:///env.db"
    assert cfg.tile_url == "http://t/{z}/{x}/{y}.png"
    assert cfg.default_language == "en"


def test_a_broken_secrets_file_does_not_crash(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("this is = = not toml")
    assert settings.load(env={}, secrets_path=secrets).default_language == "zh"


def test_unknown_language_falls_back_to_chinese(tmp_path):
    assert settings.load(env={"QINGXI_LANGUAGE": "fr"}, secrets_path=tmp_path / "x").default_language == "zh"


def test_streamlit_config_keeps_protections():
    import tomllib

    config = tomllib.loads(Path(settings.ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"]["maxUploadSize"] == 20
    assert config["client"]["showErrorDetails"] == "none"
