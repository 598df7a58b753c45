"""The demo trust's twelve teaching and learning principles and its two forms, as data."""
from __future__ import annotations

PRINCIPLES_KEY = "teaching-and-learning-principles"
PRINCIPLES_NAME = "Teaching and learning principles"
PRINCIPLES = [
    ("P1", "High expectations for every pupil"),
    ("P2", "Clear learning intentions and success criteria"),
    ("P3", "Retrieval practice and spaced review"),
    ("P4", "Modelling and worked examples"),
    ("P5", "Questioning that checks understanding"),
    ("P6", "Adaptive teaching for SEND and disadvantaged pupils"),
    ("P7", "Feedback that moves learning on"),
    ("P8", "Reading and vocabulary across the curriculum"),
    ("P9", "Purposeful independent practice"),
    ("P10", "Calm, purposeful routines for learning"),
    ("P11", "Research-informed subject pedagogy"),
    ("P12", "Oracy and structured talk"),
]

SCALE = [{"value": 1, "label": "Emerging"}, {"value": 2, "label": "Developing"},
         {"value": 3, "label": "Secure"}, {"value": 4, "label": "Exemplary"}]

DROP_IN = "Developmental drop-in"
LEARNING_WALK = "Learning walk"


def drop_in_form(principle_ids: dict[str, str]) -> dict:
    """A short coaching drop-in: one optional rating per principle (the observer rates the few in
    focus), what went well, and the next step."""
    return {"sections": [
        {"title": "Principles seen", "items": [
            {"id": code.lower(), "kind": "rating", "label": title, "required": False, "scale": SCALE,
             "principle_id": principle_ids[code], "help": "Rate only the principles in focus today."}
            for code, title in PRINCIPLES]},
        {"title": "Coaching conversation", "items": [
            {"id": "went_well", "kind": "text", "label": "What went well", "required": True},
            {"id": "next_step", "kind": "text", "label": "Next step agreed", "required": False},
        ]},
    ]}


def learning_walk_form(principle_ids: dict[str, str]) -> dict:
    return {"sections": [
        {"title": "Across the classrooms", "items": [
            {"id": "focus", "kind": "single_choice", "label": "Focus of the walk", "required": True,
             "options": [{"value": code.lower(), "label": title} for code, title in PRINCIPLES]},
            {"id": "seen", "kind": "checklist", "label": "Seen in most rooms",
             "options": [{"value": "routines", "label": "Routines established"},
                         {"value": "vocabulary", "label": "Key vocabulary displayed and used"},
                         {"value": "retrieval", "label": "Retrieval starter"}]},
            {"id": "rooms", "kind": "number", "label": "Rooms visited", "min": 1, "max": 60},
            {"id": "routines", "kind": "rating", "label": "Routines for learning", "scale": SCALE,
             "principle_id": principle_ids["P10"]},
            {"id": "notes", "kind": "text", "label": "Notes"},
        ]},
    ]}
