"""Hetzner's Python client (Debian python3-hcloud) against the clf simulator.

Run by clf.hetzner.official.HcloudPythonTest with HCLOUD_ENDPOINT, HCLOUD_TOKEN and
DEV_SNAPSHOT_ID in the environment. Each check prints "ok <name>"; the first failure raises
(exit status 1 with a traceback). Only the client's public API is used, so what passes here
works for any program built on it.
"""
import os

from hcloud import APIException, Client
from hcloud.images.domain import Image
from hcloud.locations.domain import Location
from hcloud.server_types.domain import ServerType

client = Client(token=os.environ["HCLOUD_TOKEN"], api_endpoint=os.environ["HCLOUD_ENDPOINT"], poll_interval=0.2)
dev_snapshot_id = int(os.environ["DEV_SNAPSHOT_ID"])


def ok(name):
    print("ok " + name, flush=True)


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def paging(meta):
    p = meta.pagination
    return "page %s per_page %s previous %s next %s last %s total %s" % (
        p.page, p.per_page, p.previous_page, p.next_page, p.last_page, p.total_entries)


def refused(code, message, **create):
    try:
        client.servers.create(name="never", **create)
    except APIException as e:
        expect(e.code == code, "code %r, wanted %r (%s)" % (e.code, code, e.message))
        expect(e.message == message, "message %r, wanted %r" % (e.message, message))
        return
    raise AssertionError("created although %s" % create)


# Server types: 1.18.2 models only the type-wide "deprecated" flag; the deprecation dates are in
# the API's object, read here through the client's own request().
cx22 = client.server_types.get_by_name("cx22")
expect(cx22.deprecated is True, "cx22 deprecated: %r" % cx22.deprecated)
cx23 = client.server_types.get_by_name("cx23")
expect(cx23.deprecated is False and (cx23.cores, cx23.memory, cx23.disk) == (2, 4, 40),
       "cx23: %s/%s/%s" % (cx23.cores, cx23.memory, cx23.disk))
raw = client.request(method="GET", url="/server_types", params={"name": "cx22"})["server_types"][0]
expect(raw["deprecation"] == {"announced": "2025-10-16T00:00:00Z", "unavailable_after": "2025-12-31T00:00:00Z"}, raw)
expect(all(l["deprecation"]["unavailable_after"] == "2025-12-31T00:00:00Z" for l in raw["locations"]), raw)
types, meta = client.server_types.get_list(page=2, per_page=1)
expect(len(types) == 1 and meta.pagination.page == 2 and meta.pagination.previous_page == 1, paging(meta))
expect(len(client.server_types.get_all()) == meta.pagination.total_entries, "server types get_all")
ok("server_types")

names = [l.name for l in client.locations.get_all()]
expect(names == ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"], names)
expect(client.locations.get_by_name("nbg1").id == 2, "nbg1 id")
ok("locations")

fsn = client.datacenters.get_by_name("fsn1-dc14")
expect(fsn.location.name == "fsn1", "fsn1-dc14 location")
available = [t.id for t in fsn.server_types.available]
supported = [t.id for t in fsn.server_types.supported]
expect(cx23.id in available and cx22.id in supported and cx22.id not in available, (available, supported))
expect(len(client.datacenters.get_all()) == 6, "datacenters")
ok("datacenters")

snapshots = client.images.get_all(type="snapshot", label_selector="role=clf-cattle")
expect([i.id for i in snapshots] == [dev_snapshot_id], [i.id for i in snapshots])
snapshot = client.images.get_by_id(dev_snapshot_id)
expect(snapshot.name is None and snapshot.description == "clf-cattle-dev" and snapshot.labels == {"role": "clf-cattle"}
       and snapshot.status == "available", snapshot.description)
expect(client.images.get_by_name("ubuntu-24.04").type == "system", "ubuntu-24.04")
ok("images")

expect(client.ssh_keys.get_all() == [], "ssh keys")
expect(client.firewalls.get_all() == [], "firewalls")
ok("ssh_keys_and_firewalls")

by_name = client.servers.create(name="py-1", server_type=ServerType(name="cx23"), image=Image(name="ubuntu-24.04"),
                                location=Location(name="nbg1"), labels={"role": "py"})
by_name.action.wait_until_finished()
for action in by_name.next_actions:
    action.wait_until_finished()
expect(by_name.action.status == "success", by_name.action.status)
by_id = client.servers.create(name="py-2", server_type=ServerType(id=cx23.id), image=Image(id=dev_snapshot_id),
                              location=Location(id=2), labels={"role": "py"})
by_id.action.wait_until_finished()
server = client.servers.get_by_id(by_id.server.id)
expect(server.status == "running" and server.server_type.name == "cx23" and server.image.id == dev_snapshot_id
       and server.datacenter.location.name == "nbg1", server.status)
ok("create")

page1, meta1 = client.servers.get_list(page=1, per_page=1)
page2, meta2 = client.servers.get_list(page=2, per_page=1)
expect(meta1.pagination.next_page == 2 and meta1.pagination.last_page == 2 and meta1.pagination.total_entries == 2,
       paging(meta1))
expect(meta2.pagination.next_page is None and meta2.pagination.previous_page == 1, paging(meta2))
expect({page1[0].name, page2[0].name} == {"py-1", "py-2"}, "pages")
expect(len(client.servers.get_all(label_selector="role=py")) == 2, "label selector")
expect(client.servers.get_all(label_selector="role=other") == [], "other label")
ok("pagination")

server = client.servers.get_by_name("py-1")
server.update(labels={"role": "py", "team": "blue"})
expect(client.servers.get_by_name("py-1").labels == {"role": "py", "team": "blue"}, "labels after update")
server.update(name="py-1b")
expect(client.servers.get_by_name("py-1b") is not None, "renamed")
ok("update")

server = client.servers.get_by_name("py-1b")
server.power_off().wait_until_finished()
expect(client.servers.get_by_id(server.id).status == "off", "off after power_off")
server.power_on().wait_until_finished()
expect(client.servers.get_by_id(server.id).status == "running", "running after power_on")
server.shutdown().wait_until_finished()
expect(client.servers.get_by_id(server.id).status == "off", "off after shutdown")
actions = server.get_actions()
expect([a.command for a in actions][-3:] == ["stop_server", "start_server", "shutdown_server"], [a.command for a in actions])
ok("power")

refused("invalid_input", "server type 'cx99' not found", server_type=ServerType(name="cx99"), image=Image(name="ubuntu-24.04"))
refused("invalid_input", "image 'clf-cattle-2026-11' not found", server_type=ServerType(name="cx23"),
        image=Image(name="clf-cattle-2026-11"))
refused("invalid_input", "location 'mars1' not found", server_type=ServerType(name="cx23"), image=Image(name="ubuntu-24.04"),
        location=Location(name="mars1"))
refused("invalid_input", "unsupported location for server type", server_type=ServerType(name="cx22"),
        image=Image(name="ubuntu-24.04"))
ok("refusals")

for server in client.servers.get_all(label_selector="role=py"):
    server.delete().wait_until_finished()
expect(client.servers.get_all() == [], "servers left: %s" % [s.name for s in client.servers.get_all()])
ok("delete")
