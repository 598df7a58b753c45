"""Reading the APIs' paged lists whole (lazily, bounded) and naming people by id, against a stub
of ``auth.get`` that answers as the APIs do and counts the calls."""
import pytest

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import LARGEST_PAGE, MAX_PAGES, every_item, items_before, one_page, page_number
from canopy_web.people import active_staff, names_of, person_name


class Api:
    """``lists``: (path, school_id) -> the list's items; ``people``: id -> a person's entry;
    ``refused``: a path or ``/v1/people/<id>`` -> the status it answers with."""

    def __init__(self, lists=None, people=None, refused=None):
        self.lists, self.people, self.refused = lists or {}, people or {}, refused or {}
        self.calls: list[tuple[str, dict]] = []

    def get(self, service, path, params=None, **_options):
        params = {key: value for key, value in (params or {}).items() if value is not None}
        self.calls.append((path, params))
        school_id = params.get("school_id")
        status = self.refused.get((path, school_id)) or self.refused.get(path)
        if status:
            raise ApiError(status, "refused" if status < 500 else "unavailable")
        if path.startswith("/v1/people/"):
            return self.people[path.rsplit("/", 1)[1]]
        items = self.lists.get((path, school_id), [])
        number, size = params["page"], params["page_size"]
        return {"items": items[(number - 1) * size:number * size], "page": number, "page_size": size,
                "total": len(items)}

    def pages_read(self, path):
        return [params["page"] for called, params in self.calls if called == path]


@pytest.fixture
def api(monkeypatch):
    def install(**data):
        stub = Api(**data)
        monkeypatch.setattr(auth, "get", stub.get)
        return stub
    return install


def person(person_id, given, family, preferred=None, status="active"):
    return {"id": person_id, "given_name": given, "family_name": family, "preferred_name": preferred,
            "status": status}


def test_a_whole_list_is_read_page_after_page_in_the_largest_pages_and_no_further(api):
    items = [{"id": n} for n in range(2 * LARGEST_PAGE + 5)]
    stub = api(lists={("/v1/things", None): items})
    assert [item["id"] for item in every_item("svc", "/v1/things")] == list(range(len(items)))
    assert stub.pages_read("/v1/things") == [1, 2, 3]
    assert {params["page_size"] for _path, params in stub.calls} == {LARGEST_PAGE}


def test_a_list_is_read_lazily_and_within_its_bound(api):
    stub = api(lists={("/v1/things", None): [{"id": n} for n in range(3 * LARGEST_PAGE)]})
    reading = every_item("svc", "/v1/things", {"status": "open"})
    assert stub.calls == []  # nothing is asked before the first item is wanted
    assert next(reading)["id"] == 0
    assert stub.calls == [("/v1/things", {"status": "open", "page": 1, "page_size": LARGEST_PAGE})]
    assert len(list(every_item("svc", "/v1/things", pages=2))) == 2 * LARGEST_PAGE
    assert MAX_PAGES * LARGEST_PAGE >= 5000


def test_an_empty_page_ends_the_list_whatever_its_total_says(api):
    stub = api()
    assert list(every_item("svc", "/v1/nothing")) == []
    assert stub.pages_read("/v1/nothing") == [1]


def test_a_list_newest_first_is_read_up_to_the_first_item_past_what_is_wanted(api):
    stub = api(lists={("/v1/activities", None): [{"year": 2026 - n // 100} for n in range(3 * LARGEST_PAGE)]})
    found = items_before("svc", "/v1/activities", lambda item: item["year"] < 2025)
    assert len(found) == 200 and {item["year"] for item in found} == {2026, 2025}
    assert stub.pages_read("/v1/activities") == [1, 2]  # the third page is never read


def test_a_list_gathered_whole_is_cut_into_pages_the_pager_reads():
    cut = one_page(list(range(45)), 3, 20)
    assert cut == {"items": list(range(40, 45)), "page": 3, "page_size": 20, "total": 45}
    assert one_page([], 0, 20)["page"] == 1
    assert page_number("x") == 1 and page_number("-4") == 1 and page_number("7") == 7 and page_number(None) == 1
    assert page_number("99999999") == 100_000


def test_a_name_is_the_preferred_one_where_given():
    assert person_name(person("n", "Natalie", "Hunt")) == "Natalie Hunt"
    assert person_name(person("a", "Alexander", "Reid", preferred="Sandy")) == "Sandy Reid"
    assert person_name({"given_name": "Cher"}) == "Cher"


def test_names_come_from_the_schools_staff_lists_then_one_by_one(api):
    stub = api(lists={("/v1/people", "ash"): [person("p1", "Pia", "Ng"), person("p2", "Vic", "Roe")]},
               people={"p3": person("p3", "Bo", "Lee", preferred="Bobby")})
    names = names_of({"p1", "p3", None, ""}, ["ash", "ash", None])
    assert names == {"p1": "Pia Ng", "p3": "Bobby Lee"}  # only those asked for
    assert [path for path, _params in stub.calls] == ["/v1/people", "/v1/people/p3"]  # each school once


def test_a_school_list_is_read_only_until_everyone_is_named(api):
    staff = [person(f"s{n}", "Sam", str(n)) for n in range(2 * LARGEST_PAGE)]
    stub = api(lists={("/v1/people", "ash"): staff, ("/v1/people", "oak"): staff})
    assert names_of({"s3"}, ["ash", "oak"]) == {"s3": "Sam 3"}
    assert stub.calls == [("/v1/people", {"school_id": "ash", "page": 1, "page_size": LARGEST_PAGE})]


def test_someone_the_caller_may_not_look_up_stays_unnamed_and_a_service_down_fails_the_page(api):
    api(lists={("/v1/people", "ash"): [person("p1", "Pia", "Ng")]}, people={"p2": person("p2", "Vic", "Roe")},
        refused={("/v1/people", "oak"): 403, "/v1/people/p9": 404})
    assert names_of({"p1", "p2", "p9"}, ["oak", "ash"]) == {"p1": "Pia Ng", "p2": "Vic Roe"}
    api(refused={"/v1/people/p9": 503})
    with pytest.raises(ApiError) as failed:
        names_of({"p9"})
    assert failed.value.status == 503
    api(refused={("/v1/people", "ash"): 503})
    with pytest.raises(ApiError):
        names_of({"p1"}, ["ash"])


def test_known_names_are_kept_and_not_looked_up(api):
    stub = api(people={"p2": person("p2", "Vic", "Roe")})
    assert names_of({"me", "p2"}, known={"me": "You", "p5": "Someone known"}) == {
        "p2": "Vic Roe", "me": "You", "p5": "Someone known"}
    assert [path for path, _params in stub.calls] == ["/v1/people/p2"]


def test_the_staff_offered_leave_out_disabled_accounts(api):
    api(lists={("/v1/people", "ash"): [person("p1", "Pia", "Ng"), person("p2", "Vic", "Roe", status="disabled")]})
    assert [p["id"] for p in active_staff("ash")] == ["p1"]
