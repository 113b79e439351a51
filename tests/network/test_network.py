"""The network page, the world map and the Kumu feed: who sees what, and the figures."""

import io
import json

import networkx as nx
import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from network import graph
from network.models import KumuToken
from network.tasks import refresh_graph
from tests.coaching.factories import CoachingSessionFactory
from tests.connections.helpers import connect
from tests.factories import ImportedMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
PERSONAS = ["visitor", "user_without_profile", "innovator", "core_group_member", "staff_officer"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    for audience in graph.AUDIENCES:
        cache.delete(graph.CACHE_KEY.format(audience))
    cache.delete(graph.DIRTY_KEY)


@pytest.fixture
def network(db):
    """Ada—Bea—Cem connected, Dan and Eve co-hosting a session; Hana (members-only) connected
    to Ada; Ian imported and unclaimed; Pat awaiting approval."""
    ada = MemberFactory(name="Ada Works", country="SG", categories=["research-data"])
    bea = MemberFactory(name="Bea Lab", country="KE")
    cem = MemberFactory(name="Cem Hub", country="KE")
    dan = MemberFactory(name="Dan Academy", country="BR")
    eve = MemberFactory(name="Eve Institute", country="BR")
    hana = MemberFactory(name="Hana Hidden", country="FR", is_public=False)
    ian = ImportedMemberFactory(name="Ian Imported", country="FR")
    pat = MemberFactory(name="Pat Pending", country="FR", status="pending")
    connect(bea.owner, ada)
    connect(cem.owner, bea)
    connect(hana.owner, ada)
    CoachingSessionFactory(hosts=[dan, eve])
    refresh_graph(force=True)
    return {m.name.split()[0].lower(): m for m in (ada, bea, cem, dan, eve, hana, ian, pat)}


# ---- Figures --------------------------------------------------------------------------------


def test_the_metrics_are_networkx_own_on_a_known_graph():
    known = nx.karate_club_graph()
    nodes, summary = graph.metrics(known)

    betweenness = nx.betweenness_centrality(known)
    closeness = nx.closeness_centrality(known)
    eigenvector = nx.eigenvector_centrality(known, max_iter=1000, tol=1e-6)
    for node in known:
        assert nodes[node]["degree"] == known.degree(node)
        assert nodes[node]["betweenness"] == pytest.approx(betweenness[node])
        assert nodes[node]["closeness"] == pytest.approx(closeness[node])
        assert nodes[node]["eigenvector"] == pytest.approx(eigenvector[node])
        two_steps = set(nx.single_source_shortest_path_length(known, node, cutoff=2)) - {node}
        assert nodes[node]["reach"] == len(two_steps)
    assert summary["members"] == 34
    assert summary["edges"] == 78
    assert summary["density"] == pytest.approx(nx.density(known))
    assert summary["average_degree"] == pytest.approx(2 * 78 / 34)
    assert summary["diameter"] == nx.diameter(known) == 5
    assert summary["average_path_length"] == pytest.approx(nx.average_shortest_path_length(known))
    assert summary["communities"] == len(nx.community.louvain_communities(known, seed=graph.SEED))
    assert summary["sampled"] is False


def test_above_the_threshold_the_costly_figures_are_sampled_and_close(monkeypatch):
    known = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=1)
    monkeypatch.setattr(graph, "SAMPLE_ABOVE", 100)
    monkeypatch.setattr(graph, "PIVOTS", 150)

    nodes, summary = graph.metrics(known)

    assert summary["sampled"] is True
    assert summary["pivots"] == 150
    exact = nx.closeness_centrality(known)
    errors = [abs(nodes[n]["closeness"] - exact[n]) / exact[n] for n in known]
    assert max(errors) < 0.1
    assert summary["average_path_length"] == pytest.approx(
        nx.average_shortest_path_length(known), rel=0.05
    )
    assert summary["diameter"] <= nx.diameter(known)


def test_each_audience_graph_leaves_out_the_profiles_it_may_not_see(network):
    visitors = graph.cached(graph.VISITORS)
    members = graph.cached(graph.MEMBERS)
    staff = graph.cached(graph.STAFF)
    ada, hana, ian, pat = (
        network["ada"].pk,
        network["hana"].pk,
        network["ian"].pk,
        network["pat"].pk,
    )

    assert hana not in visitors["nodes"]
    assert visitors["nodes"][ada]["degree"] == 1  # Hana's connection is not counted
    assert visitors["summary"]["members"] == 5
    assert visitors["summary"]["connections"] == 2
    assert visitors["summary"]["cohosts"] == 1
    assert members["nodes"][ada]["degree"] == 2
    assert ian in members["nodes"]  # the directory shows members the imported profiles
    assert pat not in members["nodes"]
    assert {ian, pat} <= set(staff["nodes"])
    for data in (visitors, members, staff):
        for node in data["nodes"].values():
            assert 0 <= node["x"] <= graph.WIDTH
            assert 0 <= node["y"] <= graph.HEIGHT


def test_a_change_marks_the_graph_stale_after_commit_and_the_beat_recomputes_once(
    network, django_capture_on_commit_callbacks
):
    assert refresh_graph() is False  # nothing changed since
    with django_capture_on_commit_callbacks(execute=True):
        connect(network["cem"].owner, network["dan"])

    assert cache.get(graph.DIRTY_KEY)
    assert refresh_graph() is True
    assert graph.cached(graph.VISITORS)["nodes"][network["dan"].pk]["degree"] == 2
    assert refresh_graph() is False


def test_a_computation_under_way_is_not_started_twice(network):
    from network import tasks

    cache.set(tasks.RUNNING_KEY, True)
    try:
        assert refresh_graph(force=True) is False
    finally:
        cache.delete(tasks.RUNNING_KEY)
    assert refresh_graph(force=True) is True


# ---- The page, per persona ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_the_graph_page_shows_each_persona_only_what_the_directory_shows_them(persona, network):
    name, _user, client = persona
    refresh_graph(force=True)  # the persona's own profile, if any, is a member too

    response = client.get("/network/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/members/{network["ada"].pk}/"' in html
    assert "<title>Ada Works</title>" in html
    assert ("Hana Hidden" in html) is (name != "visitor")
    assert ("Ian Imported" in html) is (name != "visitor")
    assert ("Pat Pending" in html) is (name in ("core_group_member", "staff_officer"))
    sees_metrics = name in ("core_group_member", "staff_officer")
    assert ("Betweenness</a>" in html) is sees_metrics
    assert ("Your place in the network" in html) is (name in ("innovator", "core_group_member"))


def test_the_graph_colours_by_region_or_by_main_category(client, network):
    by_region = client.get("/network/").content.decode()
    by_category = client.get("/network/?colour=category&country=SG").content.decode()

    assert '<g class="region-0">' in by_region  # Africa: Kenya
    assert "main skills category</a>" in by_region
    ada_group = by_category.split("<title>Ada Works</title>")[0].rsplit("<g class=", 1)[1]
    assert ada_group.startswith('"category-')  # research-data, her only category
    assert '<input type="hidden" name="colour" value="category">' in by_category


def test_the_filters_are_the_directory_ones(client, network):
    response = client.get("/network/?country=KE")

    html = response.content.decode()
    assert "Bea Lab" in html
    assert "Cem Hub" in html
    assert "Ada Works" not in html
    assert response.context["shown"] == 2


def test_staff_sort_the_table_by_a_metric_on_the_server(client_for, staff_officer, network):
    client = client_for(staff_officer)

    response = client.get("/network/?sort=-degree")

    names = [row["name"] for row in response.context["page"].object_list]
    assert names[:2] == ["Ada Works", "Bea Lab"]  # degree 2 each (with Hana), by name
    ascending = client.get("/network/?sort=degree").context["page"].object_list
    assert ascending[-1]["degree"] == 2


def test_a_member_cannot_sort_by_others_metrics(client_for, innovator, network):
    response = client_for(innovator).get("/network/?sort=-degree")

    assert [c["key"] for c in response.context["columns"]] == ["name", "country", "region"]
    names = [row["name"] for row in response.context["page"].object_list]
    assert names == sorted(names, key=str.lower)


def test_before_the_first_computation_the_page_says_so_and_asks_for_one(client, db):
    MemberFactory(name="Solo")

    response = client.get("/network/")

    assert response.status_code == 200
    assert "being computed" in response.content.decode()
    assert cache.get(graph.DIRTY_KEY)


def test_the_page_says_when_figures_are_estimates(client, network, monkeypatch):
    monkeypatch.setattr(graph, "SAMPLE_ABOVE", 2)
    monkeypatch.setattr(graph, "PIVOTS", 2)
    refresh_graph(force=True)

    assert "are estimates from 2 members" in client.get("/network/").content.decode()


def test_the_page_costs_the_same_queries_for_few_or_many_members(
    client_for, staff_officer, network, django_assert_num_queries
):
    client = client_for(staff_officer)
    client.get("/network/")
    with django_assert_num_queries(6) as few:
        client.get("/network/")
    MemberFactory.create_batch(15)
    refresh_graph(force=True)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/network/")


# ---- The world map --------------------------------------------------------------------------


def test_the_map_counts_only_visible_profiles_and_links_to_the_filtered_directory(
    client, client_for, innovator, network
):
    rows = {row["code"]: row for row in client.get("/network/map/").context["map"]["rows"]}

    assert rows["KE"]["count"] == 2
    assert rows["BR"]["count"] == 2
    assert "FR" not in rows  # only hidden, imported or pending profiles there
    assert rows["KE"]["url"] == "/members/?country=KE"
    members_rows = {
        r["code"]: r for r in client_for(innovator).get("/network/map/").context["map"]["rows"]
    }
    assert members_rows["FR"]["count"] == 2  # Hana, and Ian (imported: members-only)


def test_the_map_filters_by_category_and_keeps_it_in_the_links(client, network):
    response = client.get("/network/map/?category=research-data")

    rows = response.context["map"]["rows"]
    assert [(r["code"], r["count"]) for r in rows] == [("SG", 1)]
    assert rows[0]["url"] == "/members/?category=research-data&country=SG"
    # Singapore is too small for the map's scale: a marker stands for it.
    assert "<circle cx=" in response.content.decode().split('class="world-map"')[1]


def test_the_home_page_shows_the_map_of_what_each_persona_sees(
    client, client_for, innovator, network
):
    refresh_graph(force=True)

    html = client.get("/").content.decode()

    assert 'class="world-map"' in html
    assert "Where our members are" in html
    assert "Kenya: 2 members" in html
    assert "<title>France</title>" in html  # the outline, but no member counted there
    assert "France: " not in html
    assert "France: 2 members" in client_for(innovator).get("/").content.decode()


def test_before_the_first_computation_the_home_page_has_no_map(client, db):
    html = client.get("/").content.decode()

    assert 'class="world-map"' not in html
    assert cache.get(graph.DIRTY_KEY)


def test_the_map_svg_stays_under_70_kb_gzipped(client, network):
    import gzip

    svg = client.get("/network/map/").context["map"]["svg"]
    assert len(gzip.compress(svg.encode())) < 70_000


# ---- Kumu -----------------------------------------------------------------------------------


def _validate_blueprint(data):
    assert set(data) == {"elements", "connections"}
    ids = set()
    for element in data["elements"]:
        assert {"id", "label", "type", "description", "tags"} <= set(element)
        assert {"country", "region", "categories", "languages", "stage", "url"} <= set(element)
        assert isinstance(element["tags"], list)
        assert element["id"] not in ids
        ids.add(element["id"])
    for connection in data["connections"]:
        assert set(connection) == {"id", "from", "to", "type", "direction"}
        assert connection["from"] in ids
        assert connection["to"] in ids
        assert connection["direction"] in ("directed", "undirected", "mutual")


def test_the_public_kumu_feed_is_a_blueprint_of_what_a_visitor_sees(client, network):
    response = client.get("/network/kumu.json")

    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    _validate_blueprint(data)
    labels = {element["label"] for element in data["elements"]}
    assert labels == {"Ada Works", "Bea Lab", "Cem Hub", "Dan Academy", "Eve Institute"}
    assert {c["type"] for c in data["connections"]} == {"Connection", "Co-hosts"}
    assert len(data["connections"]) == 3
    assert "@" not in response.content.decode()  # no contact email
    ada = next(e for e in data["elements"] if e["label"] == "Ada Works")
    assert ada["country"] == "Singapore"
    assert ada["url"] == f"http://testserver/members/{network['ada'].pk}/"


def test_a_staff_token_adds_members_only_profiles_but_never_unclaimed_ones(
    client, staff_officer, network
):
    token = KumuToken.objects.create(user=staff_officer).token

    data = json.loads(client.get(f"/network/kumu.json?token={token}").content)

    _validate_blueprint(data)
    labels = {element["label"] for element in data["elements"]}
    assert "Hana Hidden" in labels
    assert not {"Ian Imported", "Pat Pending"} & labels
    assert len(data["connections"]) == 4
    assert client.get("/network/kumu.json?token=wrong").status_code == 404


def test_a_token_of_someone_no_longer_allowed_opens_nothing(client, network):
    token = KumuToken.objects.create(user=UserFactory()).token

    assert client.get(f"/network/kumu.json?token={token}").status_code == 404


def test_the_kumu_workbook_has_kumu_sheets_with_multiple_values_split_by_bars(client, network):
    network["ada"].categories.add(
        *network["ada"].categories.model.objects.filter(slug="entrepreneurship")
    )

    response = client.get("/network/kumu.xlsx")

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    assert elements[0][:5] == ("ID", "Label", "Type", "Description", "Tags")
    ada = next(row for row in elements if row[1] == "Ada Works")
    assert "|" in ada[4]
    assert next(iter(book["Connections"].values)) == ("ID", "From", "To", "Type")
    assert len(list(book["Connections"].values)) == 4


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_only_staff_have_a_kumu_token_page(persona):
    name, _user, client = persona

    response = client.get("/network/kumu/")

    if name == "staff_officer":
        assert response.status_code == 200
        assert "?token=" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_resetting_the_token_stops_the_old_address(client_for, staff_officer, network):
    client = client_for(staff_officer)
    client.get("/network/kumu/")
    old = KumuToken.objects.get(user=staff_officer).token

    client.post("/network/kumu/reset/")

    assert KumuToken.objects.get(user=staff_officer).token != old
    assert client.get(f"/network/kumu.json?token={old}").status_code == 404
