"""Settings as data: config files, overrides, documentation (config.py, settings.py, the CLI's helper)."""

import tomllib

import pytest

from lunge_screen.cli import build_parser, main, settings_from_args
from lunge_screen.config import defaults_toml, describe, from_dict, read_config, updated
from lunge_screen.settings import AnalysisSettings, Config, ConfigError, Thresholds


def test_the_defaults_file_reads_back_as_the_defaults():
    assert from_dict(Config, tomllib.loads(defaults_toml())) == Config()


def test_every_setting_has_a_unit_and_a_meaning():
    docs = describe(Config)
    assert len(docs) > 50
    assert all(d.unit and d.meaning for d in docs)
    assert "analysis.view.side_min_yaw" in {d.path for d in docs}


def test_an_unknown_key_is_an_error_naming_it(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[analysis.thresholds]\nover_foot_maxx = 0.2\n")
    with pytest.raises(ConfigError, match="over_foot_maxx"):
        read_config(cfg)
    cfg.write_text("[analysis.nonsense]\nx = 1\n")
    with pytest.raises(ConfigError, match="nonsense"):
        read_config(cfg)


def test_a_value_of_the_wrong_type_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="min_reps_per_leg"):
        from_dict(Thresholds, {"min_reps_per_leg": 2.5})
    with pytest.raises(ConfigError, match="subject"):
        from_dict(AnalysisSettings, {"subject": "tallest"})


def test_updated_changes_only_what_it_names():
    s = updated(AnalysisSettings(), {"view": {"side_min_yaw": 50.0}})
    assert s.view.side_min_yaw == 50.0 and s.view.frontal_max_yaw == AnalysisSettings().view.frontal_max_yaw
    assert s.thresholds == Thresholds()


def test_flags_override_the_config_file_which_overrides_the_defaults(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[analysis]\nsubject = "center"\n[analysis.thresholds]\nover_foot_max = 0.12\n'
                   "clearly_medial_min = 0.3\n[extraction]\nmax_fps = 30.0\n")  # fmt: skip
    args = build_parser().parse_args(
        ["analyse", "x.mp4", "-o", "out", "--config", str(cfg), "--threshold", "clearly_medial_min=0.25"]
    )
    c = settings_from_args(args)
    assert c.analysis.subject == "center"
    assert c.analysis.thresholds.over_foot_max == 0.12 and c.analysis.thresholds.clearly_medial_min == 0.25
    assert c.extraction.max_fps == 30.0
    args = build_parser().parse_args(["analyse", "x.mp4", "-o", "out", "--config", str(cfg), "--max-fps", "0"])
    assert settings_from_args(args).extraction.max_fps is None  # 0 = no cap


def test_cli_bad_config_is_a_usage_error(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[analysis]\nloaded_fractio = 0.4\n")
    assert main(["analyse", str(tmp_path / "missing.npz"), "-o", str(tmp_path / "o"), "--config", str(cfg)]) == 2
    assert "loaded_fractio" in capsys.readouterr().err


def test_cli_config_defaults_prints_every_setting(capsys):
    assert main(["config", "--defaults"]) == 0
    out = capsys.readouterr().out
    assert from_dict(Config, tomllib.loads(out)) == Config()
    assert "# yaw from this on is a side view" in out
