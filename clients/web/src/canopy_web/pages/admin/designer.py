"""The form designer's model, as plain Python: a form's sections and items as the page edits
them, read from the page's fields, changed by its buttons, and written as the definition
observation's API takes (``{"sections": [{"title", "items": [...]}]}``).

The page names its fields as the API names the definition's (``sections.0.items.1.label``), so the
API's reasons land beside the field they are about. A rating's scale and a checklist's options
are edited as text, one per line (``value = label``); the reasons about one point or option
(``...scale.2.value``) are shown beside that text, naming the line (``fold_errors``). A trust
framework's items are edited the same way (``code = title``).
"""
from __future__ import annotations

import re
import secrets
from typing import Any, Mapping

from canopy_web.forms import number_or_text

KINDS = ("rating", "single_choice", "multiple_choice", "checklist", "text", "number", "date")
KIND_LABELS = {"rating": "Rating on a scale", "single_choice": "One choice", "multiple_choice": "Several choices",
               "checklist": "Checklist", "text": "Free text", "number": "Number", "date": "Date"}
CHOICE_KINDS = ("single_choice", "multiple_choice", "checklist")
ITEM_FIELDS = ("id", "kind", "label", "help", "required", "principle_id", "scale", "options", "min", "max")
_SECTION = re.compile(r"^sections\.(\d+)\.title$")
_ITEM = re.compile(r"^sections\.(\d+)\.items\.(\d+)\.(\w+)$")
_SEPARATOR = re.compile(r"\s*=\s*")


def new_item(kind: str = "rating") -> dict:
    """A blank item with an id of its own: ids are kept across versions so that answers on
    different versions still line up."""
    return {"id": f"item-{secrets.token_hex(4)}", "kind": kind, "label": "", "help": "", "required": False,
            "principle_id": "", "scale": "", "options": "", "min": "", "max": ""}


def new_section() -> dict:
    return {"title": "", "items": [new_item()]}


def _number_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def scale_text(scale: list[dict] | None) -> str:
    return "\n".join(f"{_number_text(point['value'])} = {point['label']}" for point in scale or [])


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:64] or "option"


def options_text(options: list[dict] | None) -> str:
    """One option a line: just its label where its value is the label's slug, else ``value = label``."""
    return "\n".join(option["label"] if option["value"] == slug(option["label"])
                     else f"{option['value']} = {option['label']}" for option in options or [])


def _pairs(text: str) -> list[tuple[str | None, str]]:
    """Non-blank lines as (value, label): ``value = label``, or (None, line) without an ``=``."""
    pairs = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "=" in line:
            value, label = _SEPARATOR.split(line, maxsplit=1)
            pairs.append((value, label))
        else:
            pairs.append((None, line))
    return pairs


def parse_scale(text: str) -> list[dict]:
    """``1 = Emerging`` lines as scale points. A value that is not a number is sent as typed, for
    the API to refuse beside the field; a line without ``=`` is a label with no value."""
    points = []
    for value, label in _pairs(text):
        if value is None:
            points.append({"value": None, "label": label})
            continue
        try:
            points.append({"value": float(value), "label": label})
        except ValueError:
            points.append({"value": value, "label": label})
    return points


def parse_options(text: str) -> list[dict]:
    return [{"value": value if value is not None else slug(label), "label": label} for value, label in _pairs(text)]


def from_definition(definition: Mapping[str, Any]) -> list[dict]:
    """A version's sections as the page edits them."""
    sections = []
    for section in definition.get("sections", []):
        items = []
        for item in section.get("items", []):
            items.append({"id": item["id"], "kind": item["kind"], "label": item.get("label", ""),
                          "help": item.get("help") or "", "required": bool(item.get("required")),
                          "principle_id": item.get("principle_id") or "", "scale": scale_text(item.get("scale")),
                          "options": options_text(item.get("options")), "min": _number_text(item.get("min")),
                          "max": _number_text(item.get("max"))})
        sections.append({"title": section.get("title", ""), "items": items})
    return sections


def from_form(form: Mapping[str, str]) -> list[dict]:
    """The sections as the page sent them, in the page's order (its field names say where)."""
    sections: dict[int, dict] = {}
    for name in form:
        found = _SECTION.match(name)
        if found:
            sections.setdefault(int(found[1]), {"items": {}})["title"] = form[name]
            continue
        found = _ITEM.match(name)
        if found and found[3] in ITEM_FIELDS:
            section = sections.setdefault(int(found[1]), {"items": {}})
            section["items"].setdefault(int(found[2]), {})[found[3]] = form[name]
    result = []
    for _, section in sorted(sections.items()):
        items = []
        for _, sent in sorted(section["items"].items()):
            item = {**new_item(), **{key: value for key, value in sent.items() if key != "required"}}
            item["required"] = sent.get("required") == "yes"
            item["id"] = sent.get("id") or item["id"]
            items.append(item)
        result.append({"title": section.get("title", ""), "items": items})
    return result


def apply(sections: list[dict], op: str) -> tuple[list[dict], str | None]:
    """The sections after one of the page's buttons (``add-section``, ``remove-section-S``,
    ``add-item-S``, ``remove-item-S-I``, ``up-item-S-I``, ``down-item-S-I``), and the id of the
    element to put the focus on next (the page's buttons to add a section or an item have ids
    ``add-section`` and ``add-item-S``)."""
    sections = [{**section, "items": list(section["items"])} for section in sections]
    parts = op.split("-")
    numbers = [int(part) for part in parts if part.isdigit()]
    if op == "add-section":
        sections.append(new_section())
        return sections, f"field-sections-{len(sections) - 1}-title"
    if op.startswith("remove-section-") and len(numbers) == 1 and numbers[0] < len(sections):
        del sections[numbers[0]]
        return sections, "add-section"
    if op.startswith("add-item-") and len(numbers) == 1 and numbers[0] < len(sections):
        items = sections[numbers[0]]["items"]
        items.append(new_item())
        return sections, f"field-sections-{numbers[0]}-items-{len(items) - 1}-label"
    if len(numbers) == 2 and numbers[0] < len(sections) and numbers[1] < len(sections[numbers[0]]["items"]):
        s, i = numbers
        items = sections[s]["items"]
        if op.startswith("remove-item-"):
            del items[i]
            return sections, f"add-item-{s}"
        target = i - 1 if op.startswith("up-item-") else i + 1 if op.startswith("down-item-") else None
        if target is not None and 0 <= target < len(items):
            items[i], items[target] = items[target], items[i]
            return sections, f"field-sections-{s}-items-{target}-label"
    return sections, None


def to_definition(sections: list[dict]) -> dict:
    """The sections as the API's definition: each item with only what its kind uses."""
    out = []
    for section in sections:
        items = []
        for item in section["items"]:
            kind = item["kind"]
            sent: dict[str, Any] = {"id": item["id"], "kind": kind, "label": item["label"].strip(),
                                    "help": item["help"].strip() or None, "required": bool(item["required"]),
                                    "principle_id": item["principle_id"] or None}
            if kind == "rating":
                sent["scale"] = parse_scale(item["scale"])
            if kind in CHOICE_KINDS:
                sent["options"] = parse_options(item["options"])
            if kind == "number":
                sent["min"], sent["max"] = number_or_text(item["min"]), number_or_text(item["max"])
            items.append(sent)
        out.append({"title": section["title"].strip(), "items": items})
    return {"sections": out}


# Lists edited as text, one entry a line: a rating's scale, a choice's options, a framework's items.
_INSIDE_TEXT = re.compile(r"^(sections\.\d+\.items\.\d+\.(?:scale|options)|items)\.(.+)$")


def fold_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The API's reasons with those about one scale point or option (``...scale.2.value``) moved
    to the text they were typed in, saying which line: ``line 3, value: Not a valid number.``"""
    folded: dict[str, list[str]] = {}
    for key, reasons in errors.items():
        inside = _INSIDE_TEXT.match(key)
        if inside:
            where = ", ".join(f"line {int(part) + 1}" if part.isdigit() else part for part in inside[2].split("."))
            folded.setdefault(inside[1], []).extend(f"{where}: {reason}" for reason in reasons)
        else:
            folded.setdefault(key, []).extend(reasons)
    return folded


def framework_items_text(items: list[dict]) -> str:
    return "\n".join(f"{item['code']} = {item['title']}" for item in items)


def parse_framework_items(text: str, previous: list[dict] = ()) -> list[dict]:
    """``P1 = High expectations`` lines as a framework's items; an item whose code stays keeps the
    description it had (the page edits codes and titles only)."""
    descriptions = {item["code"]: item.get("description") for item in previous}
    return [{"code": code, "title": title, "description": descriptions.get(code)} for code, title in _pairs(text)]


def where(name: str) -> str:
    """A field's place as the person sees it: ``sections.0.items.1.scale`` -> ``Section 1, item 2, scale``."""
    parts = name.split(".")
    said = []
    while parts:
        part = parts.pop(0)
        if part in ("sections", "items") and parts and parts[0].isdigit():
            said.append(f"{'Section' if part == 'sections' else 'item'} {int(parts.pop(0)) + 1}")
        else:
            said.append(part.replace("_", " "))
    text = ", ".join(said)
    return text[:1].upper() + text[1:]


def item_count(sections: list[dict]) -> int:
    return sum(len(section["items"]) for section in sections)
