"""The container's network: its own namespace, joined to the host by a veth pair.

With no static-networking in the config, vsys gives the pair a /30 of its own in
10.199.0.0/16: the host end .1, the container's eth0 .2, the container's default route
through the host end.  The /30 is one that no interface and no route of the host uses;
pickers on the machine take turns under a lock, and a pair's host end holds
its address before the lock is let go, so two containers started at once (by this user or
another) never get the same one.  The lock is in /run/vsys, which only root may write.

With static-networking, its addresses go on the interfaces it names (made as the
container end of the pair), its routes are added; the host end gets no address but
answers ARP for the container's gateways (proxy ARP) and routes each container address
to the pair, so the host reaches the container's services at the config's addresses.

Every change is made with iproute2's `ip -batch`, one process per namespace.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess

from .. import state
from . import ContainerError

POOL = ipaddress.ip_network("10.199.0.0/16")
# In a directory only root may write to: in /run/lock (world-writable), any user could
# make the lock first and hold it.
LOCK_DIR = "/run/vsys"
LOCK = os.path.join(LOCK_DIR, "container-net.lock")


def host_end(root: str) -> str:
    """The host end's name: per root, at most 15 characters as the kernel allows."""
    return "vs" + state.root_key(root)[:10]


def _ip(args: list[str], text: str, netns_pid: int | None = None) -> str:
    command = ["ip", *args, "-batch", "-"]
    if netns_pid is not None:
        command = ["nsenter", f"--net=/proc/{netns_pid}/ns/net", *command]
    done = subprocess.run(command, input=text, capture_output=True, text=True)
    if done.returncode != 0:
        line = text.splitlines()[_failed_line(done.stderr) - 1] if _failed_line(
            done.stderr) else " ".join(args)
        raise ContainerError(f"setting up the container's network failed: `ip {line}`"
                             + (" (in the container)" if netns_pid else "") + ": "
                             + (done.stderr.strip().splitlines() or
                                [f"ip exited {done.returncode}"])[0])
    return done.stdout


def _failed_line(stderr: str) -> int:
    """The line of an `ip -batch` input that failed ("Command failed -:N")."""
    found = re.search(r"Command failed -:([0-9]+)", stderr)
    return int(found.group(1)) if found else 0


def used_networks() -> list:
    """The networks of the host's IPv4 addresses and routes (all tables)."""
    out = _ip(["-4", "-o"], "addr show\nroute show table all\n")
    nets = []
    for line in out.splitlines():
        words = line.split()
        if len(words) > 3 and words[2] == "inet":
            nets.append(ipaddress.ip_interface(words[3]).network)
            continue
        first = words[1] if words and words[0] in ("local", "broadcast", "unicast") \
            and len(words) > 1 else (words[0] if words else "")
        if first == "default" or not first[:1].isdigit():
            continue
        try:
            nets.append(ipaddress.ip_network(first, strict=False))
        except ValueError:
            pass
    return nets


def _taken(wanted: list) -> tuple[str, str] | None:
    """The first of the addresses WANTED this host has, or routes on its own (to another
    container): (address, what uses it)."""
    out = _ip(["-4", "-o"], "addr show\nroute show table main\n")
    for line in out.splitlines():
        words = line.split()
        if len(words) > 3 and words[2] == "inet":
            here, what = words[3].split("/")[0], f"an address of {words[1]}"
        elif words and "dev" in words:
            here = words[0].removesuffix("/32")
            what = f"routed to {words[words.index('dev') + 1]}"
        else:
            continue
        for ip in wanted:
            if here == str(ip):
                return str(ip), what
    return None


def pick(root: str) -> ipaddress.IPv4Network:
    """A free /30 of the pool; the caller holds LOCK until the host end has it."""
    used = [(int(n.network_address), int(n.broadcast_address))
            for n in used_networks() if n.version == 4 and n.prefixlen > 0]
    base, count = int(POOL.network_address), POOL.num_addresses // 4
    first = int(state.root_key(root), 16) % count        # the same root, the same pair
    for k in range(count):
        low = base + 4 * ((first + k) % count)
        if not any(low <= last and first_used <= low + 3 for first_used, last in used):
            return ipaddress.ip_network((low, 30))
    raise ContainerError(f"no free address pair is left in {POOL}")


def setup(root: str, pid: int, static: dict | None) -> dict:
    """Join the network namespace of PID to the host; return what was set up."""
    veth = host_end(root)
    _drop(veth)         # a pair whose namespace is still being taken down
    try:
        return _setup(root, veth, pid, static)
    except ContainerError:
        _drop(veth)     # at once: the kernel would take it away later, with the namespace
        raise


def _lock_dir() -> None:
    os.makedirs(LOCK_DIR, mode=0o755, exist_ok=True)
    st = os.lstat(LOCK_DIR)
    if not os.path.isdir(LOCK_DIR) or os.path.islink(LOCK_DIR) or st.st_uid != 0 \
            or st.st_mode & 0o022:
        raise ContainerError(f"{LOCK_DIR} must be a directory of root's that no one else may "
                             f"write to (it holds the lock of the containers' addresses)")


def release(network: dict | None) -> None:
    """The host end of a container that ended, taken away now: the kernel would do it with
    the namespace, but later, and meanwhile its routes hold the container's addresses (a
    system started just after, with the same static address, would find it taken)."""
    if network and network.get("host-interface"):
        _drop(network["host-interface"])


def _drop(veth: str) -> None:
    if os.path.exists(f"/sys/class/net/{veth}"):
        subprocess.run(["ip", "link", "del", veth], capture_output=True)


def _setup(root: str, veth: str, pid: int, static: dict | None) -> dict:
    # The loopback's declaration (every %base-services has one) is the namespace's own lo.
    if static and [a for a in static.get("addresses", []) if a["device"] != "lo"]:
        return _static(veth, pid, static)
    _lock_dir()
    with state.locked(LOCK):
        net = pick(root)
        host, inside = list(net.hosts())
        _ip([], f"link add {veth} type veth peer name eth0 netns {pid}\n"
                f"addr add {host}/30 dev {veth}\nlink set {veth} up\n")
    # (bubblewrap brings lo up itself.)
    _ip([], f"addr add {inside}/30 dev eth0\nlink set eth0 up\n"
            f"route add default via {host}\n", pid)
    return {"mode": "veth", "host-interface": veth, "interface": "eth0",
            "host-address": str(host), "address": str(inside)}


def _static(veth: str, pid: int, static: dict) -> dict:
    devices: list[str] = []
    static = {"addresses": [a for a in static["addresses"] if a["device"] != "lo"],
              "routes": [r for r in static.get("routes", []) if r.get("device") != "lo"]}
    for a in static["addresses"]:
        if a["device"] not in devices:
            devices.append(a["device"])
    main = devices[0]
    taken = _taken([ipaddress.ip_interface(a["value"]).ip for a in static["addresses"]
                    if ":" not in a["value"]])
    if taken:
        raise ContainerError(f"the config's static-networking address {taken[0]} is already "
                             f"in use on this host ({taken[1]}): two systems cannot share "
                             f"it; change the address, or run with --network=host")
    inside = []
    host = [f"link add {veth} type veth peer name {main} netns {pid}", f"link set {veth} up"]
    for extra in devices[1:]:           # further interfaces: dummies holding their addresses
        inside.append(f"link add {extra} type dummy")
    for a in static["addresses"]:
        inside.append(f"addr add {a['value']} dev {a['device']}")
        if ":" not in a["value"]:
            host.append(f"route add {ipaddress.ip_interface(a['value']).ip}/32 dev {veth}")
    inside += [f"link set {d} up" for d in devices]
    for r in static.get("routes", []):
        words = ["route", "add", r["destination"]]
        if r.get("gateway"):
            words += ["via", r["gateway"]]
        words += ["dev", r.get("device") or main]
        if r.get("source"):
            words += ["src", r["source"]]
        inside.append(" ".join(words))
    _ip([], "\n".join(host) + "\n")
    with open(f"/proc/sys/net/ipv4/conf/{veth}/proxy_arp", "w") as f:
        f.write("1")
    _ip([], "\n".join(inside) + "\n", pid)
    first = [a["value"] for a in static["addresses"] if ":" not in a["value"]]
    return {"mode": "static", "host-interface": veth, "interface": main,
            "address": str(ipaddress.ip_interface(first[0]).ip) if first else None}
