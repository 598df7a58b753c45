"""The drop-in form, pure (tested without a server): a template version's sections drawn as
fields, and the form sent back turned into the body ``POST /v1/records`` takes."""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Mapping

from canopy_web.api import ApiError

STEP_ROWS = 3  # action steps a drop-in offers (more are rare; the API takes up to 20)
MULTIPLE_KINDS = ("multiple_choice", "checklist")


def latest_published(template: Mapping[str, Any]) -> dict | None:
    """The version of a form new records use: its newest published one (a draft is not yet usable)."""
    published = [v for v in template.get("versions") or [] if v.get("status") == "published"]
    return max(published, key=lambda v: v["version"]) if published else None


def response_name(item_id: str) -> str:
    """The form field of an item: the API names its reasons ``responses.<item id>``."""
    return f"responses.{item_id}"


def dom_id(name: str) -> str:
    """The element id of a field, as the error summary's links make it (macros.html)."""
    return "field-" + name.replace(".", "-")


def choice_text(value: Any) -> str:
    """A scale point's or option's value as the form sends it: ``2.0`` as ``2``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(form: Any, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return [str(v) for v in form.getlist(name)]
    value = form.get(name) if form else None
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _value(form: Any, name: str) -> str:
    found = _values(form, name)
    return found[0] if found else ""


def _reason(error: ApiError | None, name: str) -> str | None:
    return error.reason_for(name) if error is not None else None


def form_view(sections: Iterable[Mapping[str, Any]], form: Any = None, error: ApiError | None = None) -> list[dict]:
    """The sections as the page draws them: each item with its field name, element id, what was
    chosen or typed (``form``, from the last attempt), and the API's reason if it named the item.
    An optional rating starts on "Not rated", so a mis-tap can be taken back."""
    filled = bool(form)
    view = []
    for section in sections:
        items = []
        for item in section["items"]:
            name = response_name(item["id"])
            kind = item["kind"]
            chosen = _values(form, name) if filled else []
            entry = {"id": item["id"], "name": name, "dom_id": dom_id(name), "kind": kind, "label": item["label"],
                     "help": item.get("help"), "required": bool(item.get("required")),
                     "reason": _reason(error, name), "multiple": kind in MULTIPLE_KINDS,
                     "value": chosen[0] if chosen else "", "min": item.get("min"), "max": item.get("max"),
                     "choices": []}
            points = item.get("scale") if kind == "rating" else item.get("options")
            if points:
                choices = [{"value": choice_text(p["value"]), "label": p["label"]} for p in points]
                if kind in ("rating", "single_choice") and not entry["required"]:
                    choices.insert(0, {"value": "", "label": "Not rated" if kind == "rating" else "None"})
                for index, choice in enumerate(choices):
                    choice["dom_id"] = f"{entry['dom_id']}-{index}"
                    choice["checked"] = (choice["value"] in chosen) if filled else (choice["value"] == "")
                entry["choices"] = choices
            items.append(entry)
        view.append({"title": section["title"], "fields": items})
    return view


def _number(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text  # sent as typed: the API says why it is not a number, beside the item
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def responses_from_form(sections: Iterable[Mapping[str, Any]], form: Any) -> dict[str, Any]:
    """Item id -> value for the API, in the types the form version expects: a rating's value is its
    scale point's (a number), checklists are lists; unanswered items are left out, so the API
    says which required one is missing."""
    responses: dict[str, Any] = {}
    for section in sections:
        for item in section["items"]:
            name, kind = response_name(item["id"]), item["kind"]
            if kind in MULTIPLE_KINDS:
                chosen = [v for v in dict.fromkeys(_values(form, name)) if v]
                if chosen:
                    responses[item["id"]] = chosen
                continue
            raw = _value(form, name).strip()
            if not raw:
                continue
            if kind == "rating":
                points = {choice_text(p["value"]): p["value"] for p in item.get("scale") or []}
                responses[item["id"]] = points.get(raw, raw)
            elif kind == "number":
                responses[item["id"]] = _number(raw)
            else:
                responses[item["id"]] = raw
    return responses


def steps_from_form(form: Any, rows: int = STEP_ROWS) -> tuple[list[dict], list[int]]:
    """The action steps typed, and for each the form row it came from (blank rows are skipped, so
    the API's ``action_steps.<n>`` is renumbered to the row it names: ``renumber_steps``)."""
    steps, row_of = [], []
    for row in range(rows):
        text = _value(form, f"action_steps.{row}.text").strip()
        due_on = _value(form, f"action_steps.{row}.due_on").strip()
        if text or due_on:
            steps.append({"text": text, "due_on": due_on or None})
            row_of.append(row)
    return steps, row_of


def renumber_steps(error: ApiError, row_of: list[int]) -> ApiError:
    """The API's reasons for ``action_steps.<n>.*`` moved to the form row that step was typed in."""
    renamed: dict[str, list[str]] = {}
    for name, reasons in error.errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "action_steps" and parts[1].isdigit() and int(parts[1]) < len(row_of):
            name = ".".join(["action_steps", str(row_of[int(parts[1])]), *parts[2:]])
        renamed.setdefault(name, []).extend(reasons)
    return dataclasses.replace(error, errors=renamed)


def teacher_value(school_id: str | None, person_id: str) -> str:
    """One choice of the teacher list: the person and the school the drop-in is at."""
    return f"{school_id or ''}/{person_id}"


def parse_teacher(value: str) -> tuple[str | None, str | None]:
    school_id, _, person_id = (value or "").partition("/")
    return (school_id or None), (person_id or None)


def drop_in_body(form: Any, sections: Iterable[Mapping[str, Any]], version_id: str | None) -> tuple[dict, list[int]]:
    """The API's body for ``POST /v1/records`` from the drop-in form. The same form gives the same
    body, byte for byte once serialised, so a replay with its Idempotency-Key is the same request."""
    school_id, person_id = parse_teacher(_value(form, "teacher"))
    steps, row_of = steps_from_form(form)
    body: dict[str, Any] = {"kind": "drop_in", "school_id": school_id,
                            "responses": responses_from_form(sections, form), "action_steps": steps,
                            "share": _value(form, "share") == "yes"}
    for name, value in (("observee_id", person_id), ("template_version_id", version_id),
                        ("observed_on", _value(form, "observed_on").strip()),
                        ("privacy", _value(form, "privacy"))):
        if value:
            body[name] = value  # a missing one is left out: the API says it is required, beside it
    for name in ("strengths", "class_name", "subject", "year_group"):
        text = _value(form, name).strip()
        if text:
            body[name] = text
    return body, row_of


def error_labels(error: ApiError | None, sections: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(element id, what it is called on the page, reasons) for each field a refusal names."""
    if error is None:
        return []
    labels = {response_name(item["id"]): item["label"] for section in sections for item in section["items"]}
    labels.update({"observee_id": "Teacher", "school_id": "Teacher", "template_version_id": "Form",
                   "observed_on": "Date", "privacy": "Who may read it", "strengths": "Notes for the teacher",
                   "class_name": "Class", "subject": "Subject", "year_group": "Year group"})
    found = []
    for name, reasons in error.errors.items():
        if name == "school_id" and "observee_id" in error.errors:
            continue  # shown once, as the teacher's
        label = labels.get(name)
        if label is None and name.startswith("action_steps."):
            parts = name.split(".")
            label = f"Action step {int(parts[1]) + 1}" if len(parts) > 1 and parts[1].isdigit() else "Action steps"
        target = "observee_id" if name == "school_id" else name
        found.append((dom_id(target), label or name.replace("_", " "), "; ".join(reasons)))
    return found


def default_form(forms: list[dict]) -> dict | None:
    """The form a drop-in starts on: the trust's drop-in form where there is one."""
    for form in forms:
        if "drop-in" in form["name"].lower() or "drop in" in form["name"].lower():
            return form
    return forms[0] if forms else None
