"""Observations: the records about me and those I made, one record's page (its responses on the
form it was made with, the observer's notes, action steps, my response and acknowledgement, whom
I let see it), and recording a drop-in on a phone.

A drop-in is recorded where the Wi-Fi is poor, so its form is built to be filled without a page
load and, when sending it fails for want of a connection, the service worker (static/sw.js, served
at /sw.js) keeps the request on the device and sends it again later with the same
Idempotency-Key: however often it is sent, one record is made."""
from __future__ import annotations

from flask import Blueprint

from canopy_web.pages.observations import drop_in, lists, offline, record


def blueprint() -> Blueprint:
    blp = Blueprint("observations", __name__)
    offline.add_routes(blp)
    lists.add_routes(blp)
    drop_in.add_routes(blp)
    record.add_routes(blp)
    return blp
