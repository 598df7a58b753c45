"""The two WSGI apps the HTTP benchmarks serve under the same gunicorn settings.

``portfolio_app``: the real portfolio service, trusting the signing key the benchmark mints its
tokens with (passed in ``BENCH_TOKEN_KEY`` as hex, since the workers are other processes).
``baseline_app``: bare Flask + SQLAlchemy, one select by primary key or one insert per commit,
with no authentication, validation, events or metrics: the floor under any service's cost.
"""
from __future__ import annotations

import os
import uuid

TOKEN_KEY_VARIABLE = "BENCH_TOKEN_KEY"
BASELINE_URL_VARIABLE = "BENCH_BASELINE_DATABASE_URL"


def minter_from_hex(hex_key: str):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from canopy_kit.testing.directory import TokenMinter

    minter = TokenMinter()
    minter.key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(hex_key))
    return minter


def portfolio_app():
    from canopy_kit.service import Runtime
    from canopy_kit.settings import Settings
    from canopy_kit.web.app import create_service_app
    from portfolio.service import SERVICE

    minter = minter_from_hex(os.environ[TOKEN_KEY_VARIABLE])
    return create_service_app(Runtime(minter.spec_with_keys(SERVICE), Settings.from_env("portfolio")))


def baseline_tables():
    from sqlalchemy import Column, Integer, MetaData, String, Table

    metadata = MetaData()
    items = Table("bench_items", metadata, Column("id", String(36), primary_key=True),
                  Column("title", String(200), nullable=False), Column("hours", Integer, nullable=False))
    return metadata, items


def baseline_app():
    from flask import Flask, abort, jsonify, request
    from sqlalchemy import create_engine, insert, select

    _, items = baseline_tables()
    engine = create_engine(os.environ[BASELINE_URL_VARIABLE], pool_pre_ping=False)
    app = Flask("baseline")

    @app.get("/items/<item_id>")
    def read(item_id):
        with engine.connect() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).first()
        if row is None:
            abort(404)
        return jsonify(dict(row._mapping))

    @app.post("/items")
    def write():
        body = request.get_json()
        item_id = str(uuid.uuid4())
        with engine.begin() as conn:
            conn.execute(insert(items).values(id=item_id, title=body["title"], hours=body["hours"]))
        return jsonify({"id": item_id}), 201

    @app.get("/health/ready")
    def ready():
        return "ok"

    return app
