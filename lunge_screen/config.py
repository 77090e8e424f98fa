"""Settings as plain data: dicts and TOML files in, TOML and documentation out.

:func:`from_dict` builds any settings dataclass of :mod:`lunge_screen.settings` from a
(nested) dict, checking names and types; :func:`read_config` reads a ``--config`` TOML
file; :func:`updated` applies some values to a settings object; :func:`describe` lists
every setting with its unit, meaning and source (the docs and ``config --defaults``).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from types import UnionType
from typing import Any

from .settings import Config, ConfigError

__all__ = ["ConfigError", "defaults_toml", "describe", "from_dict", "read_config", "to_toml", "updated"]


def _convert(tp: Any, value: Any, where: str) -> Any:
    """``value`` as type ``tp`` (float, int, str, bool, Literal, optional, nested dataclass)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if value is None and type(None) in args:
        return None
    if origin in (typing.Union, UnionType):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, where)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of settings, got {value!r}")
        return from_dict(tp, value, where=where)
    if origin is typing.Literal:
        if value not in args:
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(str, args))}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if tp in (int, float):
        if isinstance(value, bool):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        try:
            return tp(value) if tp is float or float(value) == int(float(value)) else _bad(where, value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a number, got {value!r}") from None
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected text, got {value!r}")
        return value
    return value


def _bad(where: str, value: Any) -> Any:
    raise ConfigError(f"{where}: expected a whole number, got {value!r}")


def from_dict(cls: type, data: dict[str, Any], *, where: str = "", strict: bool = True) -> Any:
    """A ``cls`` settings object from a (nested) dict: defaults for missing keys.

    ``strict``: an unknown key raises :class:`ConfigError` naming it and the known ones
    (config files); otherwise it is ignored (a session.json from another version).
    """
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(data) - set(names))
    if unknown and strict:
        place = f" in [{where}]" if where else ""
        raise ConfigError(f"unknown setting(s){place}: {', '.join(unknown)}; known: {', '.join(names)}")
    kwargs = {}
    for name in names:
        if name in data:
            sub = f"{where}.{name}" if where else name
            value = data[name]
            if dataclasses.is_dataclass(hints[name]) and isinstance(value, dict):
                kwargs[name] = from_dict(hints[name], value, where=sub, strict=strict)
            else:
                kwargs[name] = _convert(hints[name], value, sub)
    return cls(**kwargs)


def read_config(path: str | Any) -> dict[str, Any]:
    """The settings a TOML config file gives (see the module docstring), checked: :class:`ConfigError` if not valid.

    Only the keys the file names; apply them with :func:`updated`.
    """
    import tomllib
    from pathlib import Path

    from .errors import InputNotFoundError

    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such config file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc})") from None
    try:
        from_dict(Config, data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return data


def load_config(path: str | Any) -> Config:
    """A TOML config file as a whole :class:`Config` (unnamed settings at their defaults)."""
    return from_dict(Config, read_config(path))


def _merged(base: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in data.items():
        out[k] = _merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def updated(obj: Any, data: dict[str, Any], where: str = "") -> Any:
    """A copy of the settings object ``obj`` with the (nested) values of ``data`` replaced; unknown keys raise."""
    return from_dict(type(obj), _merged(dataclasses.asdict(obj), data), where=where)


# ---- describing settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingDoc:
    """One documented setting: its dotted path, default, unit, meaning and source."""

    path: str
    default: Any
    unit: str
    meaning: str
    source: str


def describe(cls: type = Config, prefix: str = "") -> list[SettingDoc]:
    """Every leaf setting of ``cls`` with its documentation (nested sections flattened, dotted paths)."""
    out: list[SettingDoc] = []
    obj = cls()
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            out += describe(hints[f.name], path + ".")
            continue
        md = f.metadata
        if not md.get("meaning") or not md.get("unit"):
            raise ValueError(f"setting {path} has no unit or meaning: document it in lunge_screen/settings.py")
        out.append(SettingDoc(path, getattr(obj, f.name), md["unit"], md["meaning"], md.get("source", "")))
    return out


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, float):
        return repr(v)
    return str(v)


def to_toml(config: Config | None = None) -> str:
    """``config`` (default: every default) as a commented TOML file for ``--config``.

    A setting whose value is "none" (no limit) is written commented out: TOML has no null.
    """
    config = config or Config()
    lines = [
        "# lunge-screen settings. Use with --config FILE.toml; delete what you do not change.",
        "# Same shape as the 'settings' object of session.json. Each line: meaning (unit); source.",
    ]
    current = None
    for doc in describe(Config):
        table, _, key = doc.path.rpartition(".")
        if table != current:
            lines += ["", f"[{table}]"]
            current = table
        lines.append(f"# {doc.meaning} ({doc.unit})" + (f"; source: {doc.source}" if doc.source else ""))
        value = _value_at(config, doc.path)
        if value is None:
            lines.append(f"# {key} =   (none)")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _value_at(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


def defaults_toml() -> str:
    """A commented TOML file with every setting at its default (``lunge-screen config --defaults``)."""
    return to_toml(Config())
