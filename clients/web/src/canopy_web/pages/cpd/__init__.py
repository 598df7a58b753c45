"""CPD requests waiting for a decision at the schools one decides for (one at a time or many at
once), and the trust's programme: courses and their sessions to book, attendance to record, and
one activity assigned to many people at once ("flood fill").

Portfolio decides who may do what; the pages only leave out what it would refuse: deciding is for
a school's CPD lead or headteacher, running the programme for the trust's CPD team (trust admin,
trust leader or a CPD lead at trust scope), assigning also for a school's CPD lead or head for
their own school's staff.
"""
from __future__ import annotations

from flask import Blueprint

from canopy_web.pages.cpd import assignments, decisions, programme


def blueprint() -> Blueprint:
    blp = Blueprint("cpd", __name__, url_prefix="/cpd")
    decisions.add_routes(blp)
    programme.add_routes(blp)
    assignments.add_routes(blp)
    return blp
