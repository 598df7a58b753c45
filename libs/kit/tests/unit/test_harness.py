"""The one test harness: a service stood up on a database, fed identity-shaped events."""
import jwt

from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
from canopy_kit.testing.probe import TRUST_ID as TRUST, count_effects, probe_spec


def test_a_directory_is_delivered_as_the_broker_would_deliver_it(sqlite_url):
    harness = ServiceHarness(probe_spec(), sqlite_url)
    try:
        staff = StaffDirectory(harness)
        school = staff.school("Ash Primary")
        teacher = staff.person("Tom", school)
        head = staff.person("Hana", school, role="headteacher")
        staff.manage(head, teacher, school)
        staff.publish()
        # The probe's queue is bound to people only: schools, employments and the rest are not
        # delivered, and each person is handled once.
        assert count_effects(harness.runtime) == 2
        staff.publish()
        assert count_effects(harness.runtime) == 2
        claims = jwt.decode(staff.headers(head)["Authorization"].split()[1], options={"verify_signature": False})
        assert claims["grants"] == [{"role": "headteacher", "scope": "school", "id": school}]
        assert claims["trust_id"] == staff.trust_id and claims["sub"] == head
    finally:
        harness.dispose()


def test_events_keep_the_order_they_were_given(sqlite_url):
    harness = ServiceHarness(probe_spec(), sqlite_url)
    try:
        first = harness.envelope(TRUST, "identity.person.registered", {"given_name": "A"})
        second = harness.envelope(TRUST, "identity.person.registered", {"given_name": "B"})
        assert first.occurred_at < second.occurred_at and first.producer == "identity"
        assert harness.deliver([first, second, first]) == ["handled", "handled", "duplicate"]
    finally:
        harness.dispose()
