"""The production topology as ``make up-prod`` runs it: every service's api (gunicorn), relay and
consumer on PostgreSQL and RabbitMQ, the web client as its own process, nginx in front, Prometheus
watching. Everything goes through the gateway as a client would: log in, sign in with a browser's
form through the web client (each browser known to identity and to the login limit by its own
address), add people in identity, see each event handled by another service (the kit's probe, run
as a production consumer process), scrape every process's /metrics, restart a consumer and see
nothing lost, and stop it all cleanly.

The run has its own databases, exchange and queue prefix, and is stopped even when a test fails.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import create_engine, text

from canopy_kit.db.migrations import drop_database
from canopy_kit.production.supervisor import Child
from canopy_kit.production.tools import find_tool
from canopy_kit.production.launcher import WEB_SOURCE_ADDRESS
from canopy_kit.production.topology import PROCESS_KINDS, free_port
from canopy_kit.service import discover_services
from canopy_kit.web.browsable_docs import ASSETS, assets_folder

pytestmark = pytest.mark.integration

PASSWORD = "system-test-password-2026"
# Two browsers on this machine, each at an address of its own (Linux has all of 127.0.0.0/8).
BROWSER, OTHER_BROWSER = "127.0.0.3", "127.0.0.4"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PROBE = Path(__file__).with_name("probe_consumer.py")
ALERT_RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yml"


def start(name: str, argv: list[str], env: dict, folder: Path) -> Child:
    """A process of the test's own, its output in a file; it dies with the test run if need be."""
    child = Child(name, argv, env, folder / f"{name}.log")
    child.start()
    return child


def stop(child: Child) -> int | None:
    """SIGTERM, then its exit code (None if it had to be killed)."""
    child.request_stop()
    return child.wait_stopped(time.monotonic() + 40)


class Topology:
    def __init__(self, folder: Path, unique: str):
        self.folder = folder
        self.unique = unique
        self.exchange = f"canopy.test.{unique}"
        self.queue_prefix = f"test.{unique}."
        self.database_template = f"postgresql+psycopg://postgres@127.0.0.1:5432/canopy_{unique}_{{service}}"
        self.env = {
            **os.environ, "DATABASE_URL": self.database_template, "PROBE_DATABASE_URL": self.database("probe"),
            "BUS_URL": "amqp://guest:guest@127.0.0.1:5672//", "CANOPY_EXCHANGE": self.exchange,
            "CANOPY_QUEUE_PREFIX": self.queue_prefix, "CANOPY_ADMIN_PASSWORD": PASSWORD, "LOG_JSON": "1",
            "CANOPY_DATA_DIR": str(folder / "data"),  # identity's mail as files, the web client's key
            "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4", "RELAY_POLL_SECONDS": "0.5",
        }
        self.gateway = ""
        self.run: Child | None = None
        self.probe: Child | None = None
        self.probe_metrics = 0
        self.admin_email = ""
        self.admin_auth: dict = {}
        self.services = sorted(discover_services())  # read once: the installed set can change meanwhile

    def database(self, service: str) -> str:
        return self.database_template.replace("{service}", service)

    def state(self) -> dict:
        return json.loads((self.folder / "run" / "state.json").read_text())

    def start(self, wait, with_prometheus: bool) -> None:
        argv = [sys.executable, "-m", "canopy_kit.cli", "up-prod", "--run-dir", str(self.folder / "run"),
                "--port", str(free_port()), "--base-port", "0", "--no-demo", "--client-timeout", "3"]
        argv += ["--prometheus", "0"] if with_prometheus else []
        self.run = start("up-prod", argv, self.env, self.folder)

        def ready():
            assert self.run.running(), self.run.log_tail(60)
            return (self.folder / "run" / "state.json").exists() and self.state()["ready"]

        wait(ready, timeout=60, what="up-prod to be ready")
        self.gateway = self.state()["gateway"]

    def start_probe(self, wait, http_call) -> None:
        self.probe_metrics = free_port()
        env = {**self.env, "METRICS_PORT": str(self.probe_metrics), "METRICS_ADDR": "127.0.0.1"}
        self.probe = start("probe", [sys.executable, str(PROBE)], env, self.folder)
        wait(lambda: self.probe.running() and self.queue_depth() is not None
             and http_call("GET", f"http://127.0.0.1:{self.probe_metrics}/metrics").status == 200,
             timeout=20, what="the probe consumer")

    def queue_depth(self) -> int | None:
        """Messages waiting in the probe's queue; None until the queue exists."""
        from kombu import Connection

        with Connection(self.env["BUS_URL"]) as connection:
            try:
                queue = f"{self.queue_prefix}probe.events"
                return connection.channel().queue_declare(queue, passive=True).message_count
            except Exception:
                return None

    def create_trust(self) -> None:
        """The first admin of a trust comes from the command line, as an operator makes one."""
        self.admin_email = f"admin-{self.unique}@example.org"
        result = subprocess.run(
            [sys.executable, "-m", "canopy_kit.cli", "identity", "create-trust", "--name", f"Trust {self.unique}",
             "--slug", f"t-{self.unique}", "--admin-email", self.admin_email, "--admin-given-name", "Admin",
             "--admin-family-name", "Tester"], env=self.env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr

    def admin_headers(self, http_call) -> dict:
        """The trust admin's bearer token, signed in once (logins are rate-limited per client)."""
        if not self.admin_auth:
            reply = http_call("POST", f"{self.gateway}/api/identity/v1/auth/login",
                              {"email": self.admin_email, "password": PASSWORD})
            assert reply.status == 200, reply.body
            self.admin_auth = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        return self.admin_auth

    def register_people(self, http_call, count: int, given_name: str) -> None:
        """A change in identity that publishes ``identity.person.registered``: the trust admin adds
        people through the gateway."""
        headers = self.admin_headers(http_call)
        for index in range(count):
            reply = http_call("POST", f"{self.gateway}/api/identity/v1/people",
                              {"given_name": given_name, "family_name": "Tester",
                               "email": f"{given_name.lower()}{index}-{self.unique}@example.org"}, headers=headers)
            assert reply.status == 201, reply.body

    def sign_in_clients(self, action: str) -> list[str]:
        """The client address identity recorded for each of the admin's ``action`` (oldest first)."""
        engine = create_engine(self.database("identity"))
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(
                    "SELECT a.client FROM audit_log a JOIN people p ON p.id = a.subject_id "
                    "WHERE p.email = :email AND a.action = :action ORDER BY a.at"),
                    {"email": self.admin_email, "action": action}).scalars())
        finally:
            engine.dispose()

    def mail_to(self, email: str) -> str | None:
        """The text of the mail identity wrote to ``email`` (as a file: no SMTP server here)."""
        from email import message_from_bytes

        for path in (self.folder / "data" / "mail").glob("*.eml"):
            message = message_from_bytes(path.read_bytes())
            if message["To"] == email:
                return message.get_payload(decode=True).decode()
        return None

    def effects(self, given_name: str) -> tuple[int, int]:
        """(rows, distinct events) the probe recorded for people of this name."""
        engine = create_engine(self.database("probe"))
        try:
            with engine.connect() as conn:
                return tuple(conn.execute(text(
                    "SELECT count(*), count(DISTINCT event_id) FROM probe_effects WHERE given_name = :name"),
                    {"name": given_name}).one())
        finally:
            engine.dispose()

    def clean_up(self) -> None:
        """Everything the run made, each step on its own so one failure leaves no other leftover."""
        from kombu import Connection

        for child in (self.probe, self.run):
            if child is not None:
                stop(child)
        consumers = [*self.services, "probe"]
        for service in [*consumers, "web"]:
            try:
                drop_database(self.database(service))
            except Exception:
                pass
        queues = [f"{self.queue_prefix}{name}.events{suffix}"
                  for name in consumers for suffix in ("", ".retry", ".dead")]
        with Connection(self.env["BUS_URL"]) as connection:
            for action, name in [*(("queue", q) for q in queues), ("exchange", self.exchange),
                                 ("exchange", self.exchange + ".dlx")]:
                try:
                    getattr(connection.channel(), f"{action}_delete")(name)
                except Exception:
                    pass


@pytest.fixture(scope="module")
def topology(tmp_path_factory, _postgres_server, _rabbitmq_server, nginx_binary, wait, http_call):
    topology = Topology(tmp_path_factory.mktemp("production"), uuid.uuid4().hex[:10])
    try:
        topology.start(wait, with_prometheus=find_tool("prometheus") is not None)
        topology.start_probe(wait, http_call)
        topology.create_trust()
        yield topology
    finally:
        topology.clean_up()


def test_every_process_runs_behind_the_gateway(topology, http_call):
    services = topology.services
    state = topology.state()
    assert sorted((p["service"], p["kind"]) for p in state["processes"]) == sorted(
        [(service, kind) for service in services for kind in PROCESS_KINDS] + [("web", "web")])
    index = http_call("GET", f"{topology.gateway}/")  # the web client: to sign-in, followed here
    assert index.status == 200 and index.header("Content-Type").startswith("text/html")
    assert b'action="/sign-in' in index.body
    for service in services:
        reply = http_call("GET", f"{topology.gateway}/api/{service}/health/ready")
        assert reply.status == 200, reply.body


def test_the_api_documentation_is_served_through_the_gateway(topology, http_call):
    page = http_call("GET", f"{topology.gateway}/docs/")
    assert page.status == 200 and page.header("Content-Type").startswith("text/html")
    for service in topology.services:
        assert f'"url": "/api/{service}/openapi.json"'.encode() in page.body
        document = http_call("GET", f"{topology.gateway}/api/{service}/openapi.json")
        assert document.status == 200 and document.json()["openapi"].startswith("3.")
    for asset in ASSETS:  # Swagger UI's own files, from the kit's pinned package, through nginx
        reply = http_call("GET", f"{topology.gateway}/docs/{asset}")
        assert reply.status == 200 and reply.body == (Path(assets_folder()) / asset).read_bytes(), asset


def test_log_in_through_the_gateway(topology, http_call):
    login = http_call("POST", f"{topology.gateway}/api/identity/v1/auth/login",
                      {"email": topology.admin_email, "password": PASSWORD}, headers={"X-Request-ID": "sys-login-1"})
    assert login.status == 200, login.body
    assert login.header("X-Request-ID") == "sys-login-1"
    me = http_call("GET", f"{topology.gateway}/api/identity/v1/me",
                   headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.status == 200 and me.json()["person_id"]
    wrong = http_call("POST", f"{topology.gateway}/api/identity/v1/auth/login",
                      {"email": topology.admin_email, "password": "not the password"})
    assert wrong.status == 401 and wrong.json()["status"] == 401  # the service's own error body, untouched


def browser(address: str) -> requests.Session:
    """A browser at ``address``: its connections leave from there, its cookies kept."""
    from canopy_web.api import SourceAddressAdapter

    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def form_token(page: requests.Response) -> str:
    found = CSRF_FIELD.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def test_a_browser_signs_in_with_the_web_clients_form(topology):
    from canopy_web.security import CONTENT_SECURITY_POLICY

    before = topology.sign_in_clients("login.succeeded")
    session = browser(BROWSER)
    form = session.get(f"{topology.gateway}/", timeout=10)
    assert form.status_code == 200 and form.url.startswith(f"{topology.gateway}/sign-in")
    assert form.headers["Content-Type"].startswith("text/html")
    assert form.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY  # the client's own, through nginx
    assert form.headers["X-Content-Type-Options"] == "nosniff" and "," not in form.headers["X-Request-ID"]
    sent = session.post(f"{topology.gateway}/sign-in", timeout=10, allow_redirects=False, data={
        "email": topology.admin_email, "password": PASSWORD, "csrf_token": form_token(form)})
    assert sent.status_code == 303, sent.text[:500]
    cookie = sent.headers["Set-Cookie"]
    assert cookie.startswith("canopy_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = session.get(f"{topology.gateway}{sent.headers['Location']}", timeout=10)
    assert home.status_code == 200 and "Hello, Admin" in home.text
    # Identity saw the browser, not the web client that passed its sign-in on.
    assert topology.sign_in_clients("login.succeeded") == [*before, BROWSER]
    assert WEB_SOURCE_ADDRESS not in topology.sign_in_clients("login.succeeded")


def test_identity_mails_links_to_the_browsers_host(topology, wait):
    """The host the browser asked for survives the two hops (nginx to the client, the client
    through nginx to identity), so the reset link leads back to where the person was."""
    session, host = browser(BROWSER), {"Host": "school.example:8443"}
    form = session.get(f"{topology.gateway}/reset-password", headers=host, timeout=10)
    sent = session.post(f"{topology.gateway}/reset-password", headers=host, timeout=10,
                        data={"email": topology.admin_email, "csrf_token": form_token(form)})
    assert sent.status_code == 200, sent.text[:500]
    mail = wait(lambda: topology.mail_to(topology.admin_email), timeout=30, what="the reset mail")
    assert "http://school.example:8443/reset-password?token=" in mail
    assert topology.sign_in_clients("password.reset_requested") == [BROWSER]


def test_each_browser_has_its_own_sign_in_limit(topology):
    """One browser hammering the web client's form is stopped by nginx; another is not. The
    hammering goes without the form's token, which the client refuses at once (nginx counts every
    attempt all the same), so that no password is checked for it."""
    guesser = browser(OTHER_BROWSER)
    answers = []
    for attempt in range(12):
        answers.append(guesser.post(f"{topology.gateway}/sign-in", timeout=10, data={
            "email": f"guess{attempt}-{topology.unique}@example.org", "password": "wrong"}))
        if answers[-1].status_code == 429:
            break
    assert [answer.status_code for answer in answers[:-1]] == [400] * (len(answers) - 1)  # the client's refusal
    refused = answers[-1]
    assert refused.status_code == 429 and "Too many attempts to sign in from here" in refused.text  # nginx's page
    assert refused.headers["Retry-After"] and "Content-Security-Policy" not in refused.headers
    other = browser(BROWSER)
    mistyped = other.post(f"{topology.gateway}/sign-in", timeout=10, data={
        "email": topology.admin_email, "password": "mistyped", "csrf_token": form_token(
            other.get(f"{topology.gateway}/sign-in", timeout=10))})
    assert mistyped.status_code == 401 and "incorrect" in mistyped.text


def test_a_change_in_identity_is_handled_by_another_service(topology, wait, http_call):
    topology.register_people(http_call, 2, "Ada")
    wait(lambda: topology.effects("Ada") == (2, 2), timeout=20, what="the probe to handle both events")


def test_every_process_serves_metrics(topology, http_call):
    texts = {}
    for process in topology.state()["processes"]:
        reply = http_call("GET", process["metrics"])
        assert reply.status == 200 and b"# TYPE" in reply.body, process
        texts[process["name"]] = reply.body.decode()
    assert 'route="/v1/auth/login",service="identity",status="200"' in texts["identity-api"]
    assert 'canopy_events_published_total{event_type="identity.person.registered",service="identity"}' \
        in texts["identity-relay"]
    probe = http_call("GET", f"http://127.0.0.1:{topology.probe_metrics}/metrics").body.decode()
    assert 'canopy_events_consumed_total{event_type="identity.person.registered",outcome="handled",service="probe"}' \
        in probe


def test_a_restarted_consumer_loses_nothing(topology, wait, http_call):
    assert stop(topology.probe) == 0  # SIGTERM: it finishes the batch in hand and exits cleanly
    topology.register_people(http_call, 3, "Grace")
    wait(lambda: topology.queue_depth() == 3, timeout=20, what="three events waiting for the stopped consumer")
    assert topology.effects("Grace") == (0, 0)
    topology.start_probe(wait, http_call)
    wait(lambda: topology.effects("Grace") == (3, 3), timeout=20, what="the restarted probe to catch up")
    assert topology.effects("Ada") == (2, 2)  # and nothing handled twice


def test_a_process_that_dies_is_restarted(topology, wait, http_call):
    consumer = next(p for p in topology.state()["processes"] if p["name"] == "identity-consumer")
    os.kill(consumer["pid"], signal.SIGKILL)

    def replaced():
        now = next(p for p in topology.state()["processes"] if p["name"] == "identity-consumer")
        return now["pid"] != consumer["pid"] and http_call("GET", now["metrics"]).status == 200

    wait(replaced, timeout=20, what="the supervisor to restart identity-consumer")


def test_bad_input_gets_json_errors_from_the_gateway(topology, http_call):
    unknown = http_call("GET", f"{topology.gateway}/api/no-such-service/v1/x")
    assert unknown.status == 404 and unknown.json()["code"] == "not_found"
    nowhere = http_call("GET", f"{topology.gateway}/no/such/page")  # the web client's own 404 page
    assert nowhere.status == 404 and nowhere.header("Content-Type").startswith("text/html")
    assert http_call("GET", f"{topology.gateway}/api/").json()["code"] == "not_found"  # nginx's, as before
    assert http_call("GET", f"{topology.gateway}/metrics").status == 404  # the client's metrics are not public
    too_big = http_call("POST", f"{topology.gateway}/api/identity/v1/auth/login", b"{" + b" " * (1024 * 1024),
                        headers={"Content-Type": "application/json"})
    assert too_big.status == 413 and too_big.json()["code"] == "payload_too_large"
    hidden = http_call("GET", f"{topology.gateway}/api/identity/metrics")
    assert hidden.status == 404


def test_prometheus_scrapes_every_process_and_loads_the_alerts(topology, prometheus_binary, wait, http_call):
    prometheus = topology.state().get("prometheus")
    assert prometheus, "up-prod was started without --prometheus"
    expected = {f"127.0.0.1:{p['port']}" for p in topology.state()["processes"]}

    def all_up():
        targets = http_call("GET", f"{prometheus}/api/v1/targets").json()["data"]["activeTargets"]
        return {t["labels"]["instance"] for t in targets if t["health"] == "up"} >= expected

    wait(all_up, timeout=30, what="Prometheus to scrape every process", interval=0.5)
    loaded = http_call("GET", f"{prometheus}/api/v1/rules").json()["data"]["groups"]
    written = yaml.safe_load(ALERT_RULES.read_text())["groups"]
    assert {rule["name"] for group in loaded for rule in group["rules"]} == {
        rule["alert"] for group in written for rule in group["rules"]}


def test_stops_cleanly(topology):
    pids = [p["pid"] for p in topology.state()["processes"]] + [topology.state()["gateway_pid"]]
    started = time.monotonic()
    assert stop(topology.run) == 0, topology.run.log_tail(60)
    assert time.monotonic() - started < 30
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not (topology.folder / "run" / "state.json").exists()
