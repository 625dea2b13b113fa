"""Label schemes: the dataclasses, and loading them from TOML files."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCHEMES_DIR = PACKAGE_DIR / "schemes"
DEFAULT_SCHEME = "newsattr-1"

FIELD_TYPES = frozenset(
    {"single", "multi", "ordinal", "span", "spans", "text", "ref", "id", "list", "object"}
)
TIERS = frozenset({"core", "extended"})
CHOICE_TYPES = frozenset({"single", "multi"})
LIST_TYPES = frozenset({"multi", "spans", "list"})
# Where an item of a list with ids (an attribution, a claim) came from: made by hand, or a
# suggestion accepted unchanged or edited. Recorded by the annotate page and the save, never
# labelled, so it is no scheme field; validate accepts it on such items.
ORIGIN_KEY = "origin"
ORIGINS = ("manual", "suggested", "suggested_edited")
FIELD_KEYS = frozenset(
    {
        "path",
        "type",
        "tier",
        "label",
        "help",
        "required",
        "required_if",
        "allowed_if",
        "one_of",
        "refers_to",
        "values",
        "min",
        "max",
        "min_items",
        "nullable",
        "item",
        "prefix",
        "unique_by",
        "scale",
    }
)
_INDEX = re.compile(r"\[\d*\]")


class SchemeError(ValueError):
    """A scheme file, a scheme name or an extended-field setting that cannot be used."""


class Choice(NamedTuple):
    """One allowed value of a field, with its keyboard key, label and one-line help."""

    value: Any
    key: str
    label: str
    help: str


@dataclass(frozen=True)
class Condition:
    """``field`` (a sibling) is non-empty, or equals ``equals`` when that is given."""

    field: str
    equals: Any = None

    def holds(self, container: dict) -> bool:
        value = container.get(self.field)
        if self.equals is None:
            return value not in (None, "", [], {})
        return value == self.equals

    def to_dict(self) -> dict:
        return {"field": self.field, "equals": self.equals}


@dataclass(frozen=True)
class Field:
    """One field of the labels document, addressed by a path such as ``attributions[].cue``."""

    path: str
    type: str
    tier: str
    label: str
    help: str
    required: bool = False
    required_if: Condition | None = None
    allowed_if: Condition | None = None
    one_of: str | None = None
    refers_to: str | None = None
    values: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    min_items: int = 0
    nullable: bool = False
    item: str = "object"
    prefix: str | None = None
    unique_by: str | None = None
    scale: str | None = None

    # Cached: normalising and validating one labels document asks for hundreds of names.
    @functools.cached_property
    def name(self) -> str:
        """Return the key of this field inside its parent object."""
        return self.path.rsplit(".", 1)[-1]

    @functools.cached_property
    def parent(self) -> str | None:
        """Return the path of the list or object holding this field, or ``None`` at the top."""
        if "." not in self.path:
            return None
        head = self.path.rsplit(".", 1)[0]
        return head[:-2] if head.endswith("[]") else head

    def to_dict(self) -> dict:
        d = {
            "path": self.path,
            "name": self.name,
            "parent": self.parent,
            "type": self.type,
            "tier": self.tier,
            "label": self.label,
            "help": self.help,
            "required": self.required,
            "values": [c._asdict() for c in self.values],
        }
        for k in ("required_if", "allowed_if"):
            cond = getattr(self, k)
            if cond is not None:
                d[k] = cond.to_dict()
        for k in ("one_of", "refers_to", "min", "max", "prefix", "unique_by", "scale"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.min_items:
            d["min_items"] = self.min_items
        if self.type == "object":
            d["nullable"] = self.nullable
        if self.type == "list":
            d["item"] = self.item
        return d


@dataclass(frozen=True)
class SpanRole:
    """A role a selected span can take, with its key and how it is drawn (colour + a non-colour marker)."""

    name: str
    label: str
    key: str
    field: str
    colour: str
    underline: str
    badge: str
    help: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ScaleLevel:
    """One level of the sourcing-strength scale (S0 to S4)."""

    value: int
    code: str
    key: str
    name: str
    definition: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True, eq=False)  # eq by identity keeps it hashable (load_scheme caches instances)
class Scheme:
    """A label scheme with the set of extended fields that are on for one project."""

    name: str
    version: str
    title: str
    description: str
    fields: tuple[Field, ...]
    span_roles: tuple[SpanRole, ...]
    sourcing_scale: tuple[ScaleLevel, ...]
    sourcing_rules: dict
    boundary_rules: tuple[dict, ...]
    guidelines: dict
    extended: frozenset[str]
    source: str = ""
    _by_path: dict = field(default=None, init=False, repr=False, compare=False, hash=False)
    _children: dict = field(default=None, init=False, repr=False, compare=False, hash=False)
    _enabled: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_path = {f.path: f for f in self.fields}
        children: dict[str | None, list[Field]] = {}
        enabled: dict[str, bool] = {}
        for f in self.fields:  # parents come first (build_scheme checks), so their flag is known
            children.setdefault(f.parent, []).append(f)
            own = not _is_extended_root(f, by_path) or f.path in self.extended
            enabled[f.path] = own and (f.parent is None or enabled[f.parent])
        object.__setattr__(self, "_by_path", by_path)
        object.__setattr__(self, "_children", children)
        object.__setattr__(self, "_enabled", enabled)

    def field(self, path: str) -> Field:
        """Return the field at ``path``; indices are ignored (``claims[1].span`` = ``claims[].span``).

        Raises KeyError for an unknown path.
        """
        key = _INDEX.sub("[]", path)
        if key.endswith("[]"):
            key = key[:-2]
        try:
            return self._by_path[key]
        except KeyError:
            raise KeyError(f"no field {path!r} in scheme {self.name}") from None

    def children(self, parent: str | None) -> list[Field]:
        """Return the fields directly inside ``parent`` (``None``: the top level), in order."""
        return list(self._children.get(parent, ()))

    @property
    def extended_fields(self) -> tuple[str, ...]:
        """Return the paths of the extended fields a project can turn on (their children follow them)."""
        return tuple(f.path for f in self.fields if _is_extended_root(f, self._by_path))

    def enabled(self, path: str) -> bool:
        """Return whether the field at ``path`` is on: core, or extended and turned on (with its parents)."""
        return self._enabled[self.field(path).path]

    def choices(self, path: str) -> list[Choice]:
        """Return the allowed values of a field as (value, key, label, help) tuples."""
        return list(self.field(path).values)

    def worked_example(self) -> list[dict]:
        """Return the worked example's records ``{"text", "labels"}``, or [] when its file is missing."""
        rel = self.guidelines.get("worked_example")
        if not rel:
            return []
        for base in (Path(self.source).parent, PACKAGE_DIR):
            p = base / rel
            if p.is_file():
                with p.open(encoding="utf-8") as fp:
                    return [json.loads(line) for line in fp if line.strip()]
        return []

    def to_dict(self) -> dict:
        """Return everything the browser needs (fields, values, keys, colours, help), JSON-serialisable."""
        return {
            "name": self.name,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "extended": sorted(self.extended),
            "extended_fields": list(self.extended_fields),
            "fields": [dict(f.to_dict(), enabled=self.enabled(f.path)) for f in self.fields],
            "span_roles": [dict(r.to_dict(), enabled=self.enabled(r.field)) for r in self.span_roles],
            "sourcing_scale": [s.to_dict() for s in self.sourcing_scale],
            "sourcing_rules": dict(self.sourcing_rules),
            "boundary_rules": [dict(r) for r in self.boundary_rules],
            "guidelines": dict(self.guidelines),
        }


def _is_extended_root(f: Field, by_path: dict) -> bool:
    if f.tier != "extended":
        return False
    parent = by_path.get(f.parent) if f.parent else None
    return parent is None or parent.tier != "extended"


def list_schemes() -> list[str]:
    """Return the names of the schemes shipped in the package."""
    return sorted(p.stem for p in SCHEMES_DIR.glob("*.toml"))


def load_scheme(
    name_or_path: str | Path = DEFAULT_SCHEME, *, extended: list[str] | str | None = None
) -> Scheme:
    """Return the scheme shipped under that name, or read from that TOML file.

    ``extended`` overrides the file's ``[settings] extended``: ``"all"``, or a list of extended
    fields by path (``attributions[].source_role``) or by name (``source_role``, ``stance``).
    Raises SchemeError for an unknown name, an invalid file or an unknown extended field.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(".toml"):
        if not Path(text).is_file():
            raise SchemeError(f"scheme file not found: {text}")
        path = str(Path(text).resolve())
    else:
        path = _shipped_path(text)
    if isinstance(extended, str):
        ext_key: Any = extended
    elif extended is None:
        ext_key = None
    else:
        ext_key = tuple(extended)
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        raise SchemeError(f"scheme file not found: {path}") from None
    return _load(path, mtime, ext_key)


@functools.lru_cache(maxsize=64)
def _shipped_path(name: str) -> str:
    # Cached: every request loads its project's scheme by name, and resolving a path costs a stat
    # per component; the file's mtime is still read on each call, so an edited scheme is reread.
    path = SCHEMES_DIR / f"{name}.toml"
    if not path.is_file():
        raise SchemeError(f"unknown scheme {name!r}; shipped: {', '.join(list_schemes())}")
    return str(path.resolve())


@functools.lru_cache(maxsize=64)
def _load(path: str, mtime_ns: int, extended: Any) -> Scheme:
    try:
        with open(path, "rb") as fp:
            data = tomllib.load(fp)
    except tomllib.TOMLDecodeError as e:
        raise SchemeError(f"{path}: {e}") from None
    return build_scheme(data, source=path, extended=extended)


def build_scheme(data: dict, *, source: str = "", extended: Any = None) -> Scheme:
    """Return a Scheme from a parsed TOML document; see ``load_scheme`` for ``extended``.

    Raises SchemeError naming the table and key at fault.
    """
    where = source or "scheme"
    meta = _table(data, "scheme", where)
    scale_tab = _table(data, "sourcing", where)
    scale = tuple(
        ScaleLevel(
            **_keys(s, {"value", "code", "key", "name", "definition"}, f"{where}: sourcing.scale[{i}]")
        )
        for i, s in enumerate(scale_tab.get("scale", []))
    )
    fields: list[Field] = []
    by_path: dict[str, Field] = {}
    for i, raw in enumerate(data.get("fields", [])):
        f = _field(raw, f"{where}: fields[{i}]", scale)
        if f.one_of is not None and not f.values:  # e.g. primary_frame: the values of frames
            other = by_path.get(f.path[: -len(f.name)] + f.one_of)
            if other is None or other.type != "multi":
                raise SchemeError(f"{where}: fields[{i}]: one_of must name an earlier sibling multi field")
            f = dataclasses.replace(f, values=other.values)
        if f.path in by_path:
            raise SchemeError(f"{where}: fields[{i}]: duplicate path {f.path!r}")
        if f.parent is not None:
            parent = by_path.get(f.parent)
            if parent is None or parent.type not in ("list", "object"):
                raise SchemeError(
                    f"{where}: fields[{i}]: {f.path!r} needs a list or object {f.parent!r} before it"
                )
        by_path[f.path] = f
        fields.append(f)
    if not fields:
        raise SchemeError(f"{where}: no [[fields]]")
    _check_references(fields, by_path, where)
    roles = []
    for i, r in enumerate(data.get("span_roles", [])):
        role = SpanRole(**_keys(r, set(SpanRole.__dataclass_fields__), f"{where}: span_roles[{i}]"))
        if role.field not in by_path or by_path[role.field].type not in ("span", "spans", "list"):
            raise SchemeError(f"{where}: span_roles[{i}]: {role.field!r} is not a span field")
        roles.append(role)
    _unique([r.key for r in roles], f"{where}: span_roles keys")
    _unique([r.name for r in roles], f"{where}: span_roles names")
    settings = data.get("settings", {})
    roots = [f.path for f in fields if _is_extended_root(f, by_path)]
    chosen = settings.get("extended", []) if extended is None else extended
    guidelines = dict(data.get("guidelines", {}))
    return Scheme(
        name=str(meta.get("name") or Path(source).stem),
        version=str(meta.get("version", "")),
        title=str(meta.get("title", "")),
        description=str(meta.get("description", "")),
        fields=tuple(fields),
        span_roles=tuple(roles),
        sourcing_scale=scale,
        sourcing_rules={k: v for k, v in scale_tab.items() if k != "scale"},
        boundary_rules=tuple(data.get("boundaries", {}).get("rules", [])),
        guidelines=guidelines,
        extended=resolve_extended(chosen, roots),
        source=source,
    )


def resolve_extended(chosen: Any, roots: list[str]) -> frozenset[str]:
    """Return the extended field paths named by ``chosen`` ("all", or paths or names).

    Raises SchemeError for a name that is no extended field.
    """
    if isinstance(chosen, str):
        chosen = [chosen]
    out: set[str] = set()
    for name in chosen:
        if name == "all":
            out.update(roots)
            continue
        key = _INDEX.sub("[]", str(name))
        hits = [r for r in roots if key in (r, r.replace("[]", ""), r.rsplit(".", 1)[-1])]
        if len(hits) != 1:
            raise SchemeError(f"unknown extended field {name!r}; choose from: all, {', '.join(roots)}")
        out.add(hits[0])
    return frozenset(out)


def _table(data: dict, name: str, where: str) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise SchemeError(f"{where}: missing [{name}] table")
    return value


def _keys(raw: Any, allowed: set[str], where: str) -> dict:
    if not isinstance(raw, dict):
        raise SchemeError(f"{where}: must be a table")
    if set(raw) != allowed:
        missing, extra = sorted(allowed - set(raw)), sorted(set(raw) - allowed)
        raise SchemeError(f"{where}: missing keys {missing}, unknown keys {extra}")
    return raw


def _unique(items: list, where: str) -> None:
    seen = set()
    for x in items:
        if x in seen:
            raise SchemeError(f"{where}: duplicate {x!r}")
        seen.add(x)


def _condition(raw: Any, where: str) -> Condition | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Condition(raw)
    if isinstance(raw, dict) and set(raw) == {"field", "equals"}:
        return Condition(raw["field"], raw["equals"])
    raise SchemeError(f"{where}: expected a sibling name or {{ field, equals }}")


def _field(raw: Any, where: str, scale: tuple[ScaleLevel, ...]) -> Field:
    if not isinstance(raw, dict):
        raise SchemeError(f"{where}: must be a table")
    unknown = set(raw) - FIELD_KEYS
    if unknown:
        raise SchemeError(f"{where}: unknown keys {sorted(unknown)}")
    for k in ("path", "type", "tier", "label", "help"):
        if not isinstance(raw.get(k), str) or not raw[k]:
            raise SchemeError(f"{where}: {k!r} must be a non-empty string")
    where = f"{where} ({raw['path']})"
    if raw["type"] not in FIELD_TYPES:
        raise SchemeError(f"{where}: unknown type {raw['type']!r}; expected one of {sorted(FIELD_TYPES)}")
    if raw["tier"] not in TIERS:
        raise SchemeError(f"{where}: tier must be core or extended")
    values = []
    for j, v in enumerate(raw.get("values", [])):
        v = _keys(v, {"value", "key", "label", "help"}, f"{where}: values[{j}]")
        values.append(Choice(v["value"], str(v["key"]), v["label"], v["help"]))
    if raw.get("scale") is not None:
        if raw["scale"] != "sourcing" or not scale:
            raise SchemeError(f'{where}: scale must be "sourcing" with a [sourcing] scale')
        values = [Choice(s.value, s.key, f"{s.code} {s.name}", s.definition) for s in scale]
    if raw["type"] in CHOICE_TYPES and not values and not raw.get("one_of"):
        raise SchemeError(f"{where}: a {raw['type']} field needs values")
    _unique([c.value for c in values], f"{where}: values")
    _unique([c.key for c in values], f"{where}: value keys")
    if raw["type"] == "ordinal":
        if not isinstance(raw.get("min"), int) or not isinstance(raw.get("max"), int):
            raise SchemeError(f"{where}: an ordinal field needs integer min and max")
        if any(not isinstance(c.value, int) or not raw["min"] <= c.value <= raw["max"] for c in values):
            raise SchemeError(f"{where}: ordinal values must be integers within min..max")
    if raw["type"] == "id" and not raw.get("prefix"):
        raise SchemeError(f"{where}: an id field needs a prefix")
    if raw.get("item", "object") not in ("object", "span"):
        raise SchemeError(f"{where}: item must be object or span")
    return Field(
        path=raw["path"],
        type=raw["type"],
        tier=raw["tier"],
        label=raw["label"],
        help=raw["help"],
        required=bool(raw.get("required", False)),
        required_if=_condition(raw.get("required_if"), f"{where}: required_if"),
        allowed_if=_condition(raw.get("allowed_if"), f"{where}: allowed_if"),
        one_of=raw.get("one_of"),
        refers_to=raw.get("refers_to"),
        values=tuple(values),
        min=raw.get("min"),
        max=raw.get("max"),
        min_items=int(raw.get("min_items", 0)),
        nullable=bool(raw.get("nullable", False)),
        item=raw.get("item", "object"),
        prefix=raw.get("prefix"),
        unique_by=raw.get("unique_by"),
        scale=raw.get("scale"),
    )


def _check_references(fields: list[Field], by_path: dict[str, Field], where: str) -> None:
    def sibling(f: Field, name: str) -> Field | None:
        return by_path.get(f.path[: -len(f.name)] + name)

    for f in fields:
        for cond in (f.required_if, f.allowed_if):
            if cond is not None and sibling(f, cond.field) is None:
                raise SchemeError(f"{where}: {f.path}: condition names unknown sibling {cond.field!r}")
        if f.one_of is not None:
            other = sibling(f, f.one_of)
            if other is None or other.type != "multi":
                raise SchemeError(f"{where}: {f.path}: one_of must name a sibling multi field")
        if f.type == "ref":
            target = by_path.get(f.refers_to or "")
            if (
                target is None
                or target.type != "list"
                or not any(g.parent == target.path and g.type == "id" for g in fields)
            ):
                raise SchemeError(f"{where}: {f.path}: refers_to must name a list with an id field")
        if f.unique_by is not None and f.path + "[]." + f.unique_by not in by_path:
            raise SchemeError(f"{where}: {f.path}: unique_by names no child field")
