"""The generation's `network.json`: the static-networking declarations, which the
container the system runs in applies to its own interfaces (addresses, then routes).
Written only when the config declares some."""

from __future__ import annotations

from vsys.dsl.datatypes import pystr, to_list


def network_plan(static_networking: list) -> dict | None:
    addresses, routes = [], []
    for value in static_networking:
        for sn in to_list(value) if not hasattr(value, "rtype") else [value]:
            for a in to_list(sn["addresses"]):
                addresses.append({"device": pystr(a["device"]), "value": pystr(a["value"])})
            for r in to_list(sn["routes"]):
                routes.append({key: pystr(r[key]) if r[key] is not False else None
                               for key in ("destination", "gateway", "device", "source")})
    if not addresses and not routes:
        return None
    return {"addresses": addresses, "routes": routes}
