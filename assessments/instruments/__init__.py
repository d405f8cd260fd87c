"""Assessment instruments as data: YAML or JSON files that a programme adds without code.

A file is checked twice: against `schema.json` (shape and types) and semantically (unique keys, scale
references, rules that name existing items and levels, level thresholds in order). Every problem is
reported with its place: the file, the key path (`domains[2].items[0].scale`) and the line.

Files are read from this directory and from each directory in the setting `TANDEM_INSTRUMENT_DIRS`.
The computed score and level are advisory: the practitioner's structured professional judgement counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml
from django.conf import settings
from django.utils.translation import get_language

from tandem.key_paths import key_path

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "schema.json").read_text())
SUFFIXES = {".yaml", ".yml", ".json"}
SPJ_RATINGS = ("low", "moderate", "high", "unknown")
CASE_LEVELS = ("low", "moderate", "high")


class InstrumentError(ValueError):
    """One or more problems in instrument files; each names the file, key path and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _lang() -> str:
    return "de" if (get_language() or "en").startswith("de") else "en"


def tr(text: dict | None) -> str:
    """The text in the active language (English when a German text is missing)."""
    if not text:
        return ""
    return text.get(_lang()) or text.get("en", "")


# --- Definition objects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: int
    label: dict

    @property
    def text(self) -> str:
        return tr(self.label)


@dataclass(frozen=True)
class Scale:
    key: str
    options: tuple[Option, ...]
    unknown: bool

    @property
    def maximum(self) -> int:
        return max(o.value for o in self.options)

    def values(self) -> set[int]:
        return {o.value for o in self.options}

    def label_for(self, value) -> str:
        for option in self.options:
            if option.value == value:
                return option.text
        from django.utils.translation import gettext

        return gettext("Unknown")


@dataclass(frozen=True)
class Item:
    key: str
    domain_key: str
    text_: dict
    scale: Scale
    roles: tuple[str, ...]
    area: str
    weight: int
    need_from: int
    help_: dict | None = None
    goal_: dict | None = None

    @property
    def text(self) -> str:
        return tr(self.text_)

    @property
    def help(self) -> str:
        return tr(self.help_)

    @property
    def goal(self) -> str:
        return tr(self.goal_)

    @property
    def is_risk(self) -> bool:
        return "risk" in self.roles

    @property
    def is_need(self) -> bool:
        return "need" in self.roles

    @property
    def is_protective(self) -> bool:
        return "protective" in self.roles


@dataclass(frozen=True)
class Domain:
    key: str
    name_: dict
    area: str
    items: tuple[Item, ...]

    @property
    def name(self) -> str:
        return tr(self.name_)

    @property
    def protective(self) -> bool:
        """A domain of protective factors: a higher score is better."""
        return all(item.is_protective for item in self.items)


@dataclass(frozen=True)
class Level:
    key: str
    min_score: int
    case_level: str
    label_: dict | None

    @property
    def label(self) -> str:
        if self.label_:
            return tr(self.label_)
        from cases.models import RiskLevel

        return str(RiskLevel(self.case_level).label)


@dataclass(frozen=True)
class Rule:
    level: str
    conditions: tuple[tuple[str, int], ...]
    mode: str  # "any" or "all"
    reason_: dict

    @property
    def reason(self) -> str:
        return tr(self.reason_)

    def applies(self, answers: dict) -> bool:
        hits = [answers.get(item) is not None and answers[item] >= at_least for item, at_least in self.conditions]
        return any(hits) if self.mode == "any" else all(hits)


@dataclass
class Result:
    """What the instrument computes from the answers. Advisory only."""

    score: int
    level: Level
    reasons: list[str]
    domain_scores: dict[str, tuple[int, int]]  # domain key -> (score, maximum of the answered items)
    protective_score: int
    needs: list[Item]
    unknown: int


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    name_: dict
    description_: dict | None
    domains: tuple[Domain, ...]
    scales: dict[str, Scale]
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]
    domain_ratings: bool
    guidance_: dict | None
    sample: bool
    licence: str
    source: str
    raw: dict = field(repr=False, compare=False, hash=False, default_factory=dict)

    @property
    def name(self) -> str:
        return tr(self.name_)

    @property
    def description(self) -> str:
        return tr(self.description_)

    @property
    def guidance(self) -> str:
        return tr(self.guidance_)

    @property
    def items(self) -> list[Item]:
        return [item for domain in self.domains for item in domain.items]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def domain(self, key: str) -> Domain | None:
        return next((d for d in self.domains if d.key == key), None)

    def level(self, key: str) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    def score(self, answers: dict[str, int | None]) -> Result:
        """Sum the weighted risk and need ratings; protective ratings are reported beside them.

        The level follows the score thresholds, raised (never lowered) by the instrument's rules.
        """
        total = protective = unknown = 0
        domain_scores: dict[str, tuple[int, int]] = {}
        needs: list[Item] = []
        for domain in self.domains:
            got = possible = 0
            for item in domain.items:
                value = answers.get(item.key)
                if value is None:
                    unknown += 1
                    continue
                if item.is_protective:
                    protective += value * item.weight
                    if domain.protective:
                        got += value * item.weight
                        possible += item.scale.maximum * item.weight
                    continue
                got += value * item.weight
                possible += item.scale.maximum * item.weight
                if item.is_risk:
                    total += value * item.weight
                if item.is_need and value >= item.need_from:
                    needs.append(item)
            domain_scores[domain.key] = (got, possible)
        ordered = sorted(self.levels, key=lambda lv: lv.min_score)
        level = ordered[0]
        for candidate in ordered:
            if total >= candidate.min_score:
                level = candidate
        reasons = []
        rank = {lv.key: i for i, lv in enumerate(ordered)}
        for rule in self.rules:
            if rule.applies(answers):
                reasons.append(rule.reason)
                if rank[rule.level] > rank[level.key]:
                    level = self.level(rule.level) or level
        return Result(total, level, reasons, domain_scores, protective, needs, unknown)


# --- Loading with places ----------------------------------------------------------------------------


class _Located:
    """Line numbers of every key path in a YAML (or JSON) document."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple, int] = {}
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            node = None
        if node is not None:
            self._walk(node, ())

    def _walk(self, node, path: tuple) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = path + (key_node.value,)
                self.lines[child] = key_node.start_mark.line + 1
                self._walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, value_node in enumerate(node.value):
                self._walk(value_node, path + (index,))

    def line(self, path) -> int | None:
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


class _Problems:
    def __init__(self, name: str, located: _Located | None) -> None:
        self.name, self.located = name, located
        self.items: list[str] = []

    def add(self, path, message: str) -> None:
        path = tuple(path)
        line = self.located.line(path) if self.located else None
        where = f"{self.name}, {key_path(path) or '(top level)'}" + (f" (line {line})" if line else "")
        self.items.append(f"{where}: {message}")


def parse(text: str, name: str = "<instrument>") -> Instrument:
    """Parse and validate one instrument definition; raise InstrumentError naming every problem found."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InstrumentError([f"{name}{where}: the file is not valid YAML or JSON: {problem}"]) from exc
    located = _Located(text)
    problems = _Problems(name, located)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for error in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        problems.add(error.absolute_path, _schema_message(error))
    if problems.items:
        raise InstrumentError(problems.items)
    _semantic_checks(data, problems)
    if problems.items:
        raise InstrumentError(problems.items)
    return _build(data, name)


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing (required)")
    if error.validator == "additionalProperties":
        return f"unknown key: {error.message}"
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return "a rule needs exactly one of 'any' or 'all'"
    return error.message


def _semantic_checks(data: dict, problems: _Problems) -> None:
    scales: dict[str, set[int]] = {}
    for i, scale in enumerate(data["scales"]):
        if scale["key"] in scales:
            problems.add(("scales", i, "key"), f"scale key '{scale['key']}' is used twice")
        values = [o["value"] for o in scale["options"]]
        if len(set(values)) != len(values):
            problems.add(("scales", i, "options"), f"scale '{scale['key']}' repeats an option value")
        scales[scale["key"]] = set(values)
    need_from = data["scoring"].get("need_from", 2)
    domain_keys: set[str] = set()
    items: dict[str, set[int]] = {}
    for d, domain in enumerate(data["domains"]):
        if domain["key"] in domain_keys:
            problems.add(("domains", d, "key"), f"domain key '{domain['key']}' is used twice")
        domain_keys.add(domain["key"])
        for i, item in enumerate(domain["items"]):
            place: tuple[str | int, ...] = ("domains", d, "items", i)
            if item["key"] in items:
                problems.add(place + ("key",), f"item key '{item['key']}' is used twice")
            if item["scale"] not in scales:
                problems.add(
                    place + ("scale",),
                    f"scale '{item['scale']}' is not defined; defined scales: " + ", ".join(sorted(scales)),
                )
            items[item["key"]] = scales.get(item["scale"], set())
            if "protective" in item["roles"] and ({"risk", "need"} & set(item["roles"])):
                problems.add(place + ("roles",), "an item is either protective or a risk/need, not both")
            if "need" in item["roles"] and not (item.get("area") or domain.get("area")):
                problems.add(place, "a need item needs an 'area' (on the item or its domain) to map it to the plan")
            threshold = item.get("need_from", need_from)
            if "need" in item["roles"] and values and threshold > max(values):
                problems.add(
                    place + ("need_from",),
                    f"need_from {threshold} is above the scale's highest value "
                    f"{max(values)}: the item could never be a need",
                )
    levels = data["scoring"]["levels"]
    level_keys = [lv["key"] for lv in levels]
    for i, key in enumerate(level_keys):
        if key in level_keys[:i]:
            problems.add(("scoring", "levels", i, "key"), f"level key '{key}' is used twice")
    scores = [lv["min_score"] for lv in levels]
    if scores != sorted(scores) or len(set(scores)) != len(scores):
        problems.add(("scoring", "levels"), "levels must be listed with strictly increasing min_score")
    if scores and scores[0] != 0:
        problems.add(("scoring", "levels", 0, "min_score"), "the first level must start at min_score 0")
    for r, rule in enumerate(data["scoring"].get("rules", [])):
        if rule["level"] not in level_keys:
            problems.add(
                ("scoring", "rules", r, "level"),
                f"level '{rule['level']}' is not defined; defined levels: " + ", ".join(level_keys),
            )
        mode = "any" if "any" in rule else "all"
        for c, condition in enumerate(rule.get(mode, [])):
            place = ("scoring", "rules", r, mode, c)
            if condition["item"] not in items:
                problems.add(place + ("item",), f"item '{condition['item']}' is not defined in any domain")
            elif items[condition["item"]] and condition["at_least"] > max(items[condition["item"]]):
                problems.add(
                    place + ("at_least",),
                    f"at_least {condition['at_least']} is above the highest value "
                    f"of item '{condition['item']}''s scale ({max(items[condition['item']])})",
                )


def _build(data: dict, source: str) -> Instrument:
    scales = {
        s["key"]: Scale(s["key"], tuple(Option(o["value"], o["label"]) for o in s["options"]), s.get("unknown", True))
        for s in data["scales"]
    }
    need_from = data["scoring"].get("need_from", 2)
    domains = []
    for d in data["domains"]:
        items = tuple(
            Item(
                i["key"],
                d["key"],
                i["text"],
                scales[i["scale"]],
                tuple(i["roles"]),
                i.get("area") or d.get("area", ""),
                i.get("weight", 1),
                i.get("need_from", need_from),
                i.get("help"),
                i.get("goal"),
            )
            for i in d["items"]
        )
        domains.append(Domain(d["key"], d["name"], d.get("area", ""), items))
    levels = tuple(
        Level(lv["key"], lv["min_score"], lv["case_level"], lv.get("label")) for lv in data["scoring"]["levels"]
    )
    rules = []
    for rule in data["scoring"].get("rules", []):
        mode = "any" if "any" in rule else "all"
        rules.append(Rule(rule["level"], tuple((c["item"], c["at_least"]) for c in rule[mode]), mode, rule["reason"]))
    spj = data.get("spj", {})
    return Instrument(
        key=data["key"],
        version=str(data["version"]),
        name_=data["name"],
        description_=data.get("description"),
        domains=tuple(domains),
        scales=scales,
        levels=levels,
        rules=tuple(rules),
        domain_ratings=spj.get("domain_ratings", True),
        guidance_=spj.get("guidance"),
        sample=data.get("sample", False),
        licence=data.get("licence", ""),
        source=source,
        raw=data,
    )


def load_file(path: Path) -> Instrument:
    return parse(Path(path).read_text(encoding="utf-8"), Path(path).name)


def instrument_dirs() -> list[Path]:
    return [HERE, *(Path(p) for p in getattr(settings, "TANDEM_INSTRUMENT_DIRS", []))]


@lru_cache(maxsize=1)
def _registry() -> dict[str, Instrument]:
    problems: list[str] = []
    found: dict[str, Instrument] = {}
    for directory in instrument_dirs():
        for path in sorted(directory.glob("*")):
            if path.suffix not in SUFFIXES or path.name == "schema.json":
                continue
            try:
                instrument = load_file(path)
            except InstrumentError as exc:
                problems += exc.problems
                continue
            if instrument.key in found:
                problems.append(
                    f"{path.name}, key: instrument key '{instrument.key}' is also used by "
                    f"{found[instrument.key].source}"
                )
                continue
            found[instrument.key] = instrument
    if problems:
        raise InstrumentError(problems)
    return found


def load_all(refresh: bool = False) -> dict[str, Instrument]:
    if refresh:
        _registry.cache_clear()
    return _registry()


def get(key: str) -> Instrument | None:
    return load_all().get(key)


def choices() -> list[tuple[str, str]]:
    return [(i.key, f"{i.name} ({i.version})") for i in load_all().values()]


DEFAULT_INSTRUMENT = "tandem-open"
