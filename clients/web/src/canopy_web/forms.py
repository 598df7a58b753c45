"""Form fields as the APIs take them. The API judges every value and says why beside the field,
so a value is changed only where it is plainly what the API expects (a typed number as a JSON
number); anything else goes as typed, for the API's own reason to be what the person reads."""
from __future__ import annotations

import math
from typing import Any, Iterable, Mapping


def number_or_text(value: str | None) -> float | str | None:
    """A typed number as the JSON number the API expects; anything else as typed ("Not a valid
    number." is then the API's to say). Blank: not given."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def texts(form, names: Iterable[str], *, optional: Iterable[str] = ()) -> dict[str, str]:
    """The form's text fields, trimmed: each of ``names`` ("" when blank, for the API to say it is
    required), and each of ``optional`` only where something was typed."""
    body = {name: form.get(name, "").strip() for name in names}
    body.update({name: form.get(name, "").strip() for name in optional if form.get(name, "").strip()})
    return body


def given(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body without the values not given (None): a field left out is one the API judges
    missing (required) or takes its default for."""
    return {name: value for name, value in body.items() if value is not None}
