"""libvirt, virtlog, qemu-binfmt, the QEMU guest agent and the Xen guest utilities:
every default of docs/services/, the configuration files' exact text, platform lookup."""

from __future__ import annotations

import pytest

from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import NIL, Symbol, from_list, to_list
from vsys.dsl.errors import SchemeError
from vsys.stdlib import libvirt_syntax, system
from vsys.stdlib import virtualization as v
from vsys.stdlib.configuration import configurations
from vsys.stdlib.guix_modules import config_module

LIBVIRT_DEFAULTS = [
    ("listen-tls?", True), ("listen-tcp?", False), ("tls-port", "16514"),
    ("tcp-port", "16509"), ("listen-addr", "0.0.0.0"), ("mdns-adv?", False),
    ("mdns-name", "Virtualization Host <hostname>"), ("unix-sock-group", "libvirt"),
    ("unix-sock-ro-perms", "0777"), ("unix-sock-rw-perms", "0770"),
    ("unix-sock-admin-perms", "0777"), ("unix-sock-dir", "/var/run/libvirt"),
    ("auth-unix-ro", "polkit"), ("auth-unix-rw", "polkit"), ("auth-tcp", "sasl"),
    ("auth-tls", "none"), ("access-drivers", NIL), ("key-file", ""), ("cert-file", ""),
    ("ca-file", ""), ("crl-file", ""), ("tls-no-sanity-cert", False),
    ("tls-no-verify-cert", False), ("tls-allowed-dn-list", NIL),
    ("sasl-allowed-usernames", NIL), ("tls-priority", "NORMAL"), ("max-clients", 5000),
    ("max-queued-clients", 1000), ("max-anonymous-clients", 20), ("min-workers", 5),
    ("max-workers", 20), ("prio-workers", 5), ("max-requests", 20),
    ("max-client-requests", 5), ("admin-min-workers", 1), ("admin-max-workers", 5),
    ("admin-max-clients", 5), ("admin-max-queued-clients", 5),
    ("admin-max-client-requests", 5), ("log-level", 3), ("log-filters", "3:remote 4:event"),
    ("log-outputs", "3:stderr"), ("audit-level", 1), ("audit-logging", False),
    ("host-uuid", ""), ("host-uuid-source", "smbios"), ("keepalive-interval", 5),
    ("keepalive-count", 5), ("admin-keepalive-interval", 5), ("admin-keepalive-count", 5),
    ("ovs-timeout", 5),
]

OTHER_DEFAULTS = [
    (v.VIRTLOG_CONFIGURATION, [("log-level", 3), ("log-filters", "3:remote 4:event"),
                               ("log-outputs", "3:stderr"), ("max-clients", 1024),
                               ("max-size", 2097152), ("max-backups", 3)]),
    (v.QEMU_BINFMT_CONFIGURATION, [("platforms", NIL)]),
    (v.QEMU_GUEST_AGENT_CONFIGURATION, [("device", "")]),
    (v.XE_GUEST_UTILITIES_CONFIGURATION, [("pid-file", "/var/run/xe-daemon.pid"),
                                          ("log-file", "/var/log/xe-guest-utilities.log")]),
]

PACKAGE_DEFAULTS = [(v.LIBVIRT_CONFIGURATION, "libvirt", "libvirt"),
                    (v.LIBVIRT_CONFIGURATION, "qemu", "qemu"),
                    (v.VIRTLOG_CONFIGURATION, "libvirt", "libvirt"),
                    (v.QEMU_BINFMT_CONFIGURATION, "qemu", "qemu"),
                    (v.QEMU_GUEST_AGENT_CONFIGURATION, "qemu", "qemu-minimal"),
                    (v.XE_GUEST_UTILITIES_CONFIGURATION, "package", "xe-guest-utilities")]


def test_libvirt_fields_in_reference_order():
    names = [f.name for f in v.LIBVIRT_CONFIGURATION.fields]
    assert names == ["libvirt", "qemu"] + [n for n, _ in LIBVIRT_DEFAULTS]


def test_libvirt_qemu_field_joins_the_profile_not_the_file():
    # Guix's record has had `qemu` since 2021: a config setting it must work.
    config = scheme("(libvirt-configuration (qemu qemu-minimal) (tls-port \"16555\"))")
    assert config["qemu"].name == "qemu-minimal"
    assert v.libvirtd_conf_text(config, "node1") == LIBVIRTD_CONF_16555
    profile = v.libvirt_service_type.extensions[4]
    assert [p.name for p in to_list(profile.compute(config))] == ["libvirt", "qemu-minimal"]


@pytest.mark.parametrize("field,default", LIBVIRT_DEFAULTS)
def test_libvirt_default(field, default):
    assert v.LIBVIRT_CONFIGURATION.make()[field] == default


@pytest.mark.parametrize("rtype,defaults", OTHER_DEFAULTS, ids=lambda x: getattr(x, "name", ""))
def test_other_defaults(rtype, defaults):
    rec = rtype.make()
    assert [f.name for f in rtype.fields][1:] == [n for n, _ in defaults]
    for field, default in defaults:
        assert rec[field] == default, field


@pytest.mark.parametrize("rtype,field,package", PACKAGE_DEFAULTS)
def test_package_defaults(rtype, field, package):
    assert rtype.make()[field].name == package


def test_every_field_is_documented():
    for rtype in configurations(v.MODULE_NAME):
        for f in rtype.fields:
            assert f.doc, f"{rtype.name} {f.name}"


LIBVIRTD_CONF_16555 = """\
listen_tls = 1
listen_tcp = 0
tls_port = "16555"
tcp_port = "16509"
listen_addr = "0.0.0.0"
mdns_adv = 0
mdns_name = "Virtualization Host node1"
unix_sock_group = "libvirt"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
unix_sock_admin_perms = "0777"
unix_sock_dir = "/var/run/libvirt"
auth_unix_ro = "polkit"
auth_unix_rw = "polkit"
auth_tcp = "sasl"
auth_tls = "none"
# access_drivers = []
key_file = ""
cert_file = ""
ca_file = ""
crl_file = ""
tls_no_sanity_cert = 0
tls_no_verify_cert = 0
# tls_allowed_dn_list = []
# sasl_allowed_usernames = []
tls_priority = "NORMAL"
max_clients = 5000
max_queued_clients = 1000
max_anonymous_clients = 20
min_workers = 5
max_workers = 20
prio_workers = 5
max_requests = 20
max_client_requests = 5
admin_min_workers = 1
admin_max_workers = 5
admin_max_clients = 5
admin_max_queued_clients = 5
admin_max_client_requests = 5
log_level = 3
log_filters = "3:remote 4:event"
log_outputs = "3:stderr"
audit_level = 1
audit_logging = 0
# host_uuid = ""
host_uuid_source = "smbios"
keepalive_interval = 5
keepalive_count = 5
admin_keepalive_interval = 5
admin_keepalive_count = 5
ovs_timeout = 5
"""


def test_libvirtd_conf_of_the_seed_example():
    config = v.LIBVIRT_CONFIGURATION.make({"tls-port": "16555"})
    assert v.libvirtd_conf_text(config, "node1") == LIBVIRTD_CONF_16555


def test_libvirtd_conf_host_name_from_the_operating_system():
    config = v.LIBVIRT_CONFIGURATION.make()
    with system.operating_system_scope({"host-name": "node7"}):
        assert 'mdns_name = "Virtualization Host node7"\n' in v.libvirtd_conf_text(config)
    assert 'mdns_name = "Virtualization Host guix"\n' in v.libvirtd_conf_text(config)
    given = v.LIBVIRT_CONFIGURATION.make({"mdns-name": "hv"})
    assert 'mdns_name = "hv"\n' in v.libvirtd_conf_text(given, "node1")


def test_libvirtd_conf_lists():
    config = v.LIBVIRT_CONFIGURATION.make({
        "access-drivers": from_list(["polkit"]),
        "tls-allowed-dn-list": from_list(["C=GB,O=Acme", "C=FR"]),
        "host-uuid": "00000000-0000-0000-0000-000000000001"})
    text = v.libvirtd_conf_text(config, "h")
    assert 'access_drivers = ["polkit"]\n' in text
    assert 'tls_allowed_dn_list = ["C=GB,O=Acme","C=FR"]\n' in text
    assert 'host_uuid = "00000000-0000-0000-0000-000000000001"\n' in text


def test_virtlogd_conf_six_lines():
    assert v.virtlogd_conf_text(v.VIRTLOG_CONFIGURATION.make()) == (
        'log_level = 3\nlog_filters = "3:remote 4:event"\nlog_outputs = "3:stderr"\n'
        'max_clients = 1024\nmax_size = 2097152\nmax_backups = 3\n')
    seed = v.VIRTLOG_CONFIGURATION.make({"max-clients": 1000})
    assert "max_clients = 1000\n" in v.virtlogd_conf_text(seed)


# --- strings libvirt's parser must read back unchanged ---------------------------------------

@pytest.mark.parametrize("text,written", [
    ("plain", '"plain"'),
    ("back\\slash", '"back\\slash"'),          # no escapes in libvirt: kept as is
    ('say "hi"', "'say \"hi\"'"),
    ('both " and \'', '"""both " and \'"""'),
    ("two\nlines", '"""two\nlines"""'),
])
def test_quoting(text, written):
    assert libvirt_syntax.quote(text) == written


@pytest.mark.parametrize("text", ['ends with quote "\nand newline"', 'has """ and \n',
                                  "nul\0byte"])
def test_unquotable_strings_are_refused_at_the_field(text):
    assert libvirt_syntax.quote(text) is None
    with pytest.raises(SchemeError) as e:
        v.LIBVIRT_CONFIGURATION.make({"log-outputs": text})
    assert "log-outputs" in str(e.value) and "libvirt" in str(e.value)


def _parse_libvirt_string(s: str) -> str:
    """libvirt's reading of a quoted value (virconf.c): no escapes; ' or \" up to the
    same quote on the line, or \"\"\" up to the next \"\"\"."""
    if s.startswith('"""'):
        end = s.index('"""', 3)
        assert end == len(s) - 3
        return s[3:end]
    q = s[0]
    assert q in "'\"" and s[-1] == q and q not in s[1:-1] and "\n" not in s
    return s[1:-1]


@pytest.mark.parametrize("text", ["a", 'x"y', "x'y", 'x"\'y', "multi\nline 'q' \"d\" end",
                                  "tab\tback\\", ""])
def test_quoted_strings_read_back(text):
    assert _parse_libvirt_string(libvirt_syntax.quote(text)) == text


# --- QEMU platforms --------------------------------------------------------------------------

def test_lookup_qemu_platforms():
    found = to_list(v.lookup_qemu_platforms("arm", "aarch64"))
    assert [p.name for p in found] == ["arm", "aarch64"]


def test_lookup_qemu_platforms_in_table_order_each_once():
    # As Guix: the platforms come in the table's order, whatever the arguments' order,
    # and a name given twice yields its platform once.
    found = to_list(v.lookup_qemu_platforms("riscv64", "aarch64", "arm", "aarch64", "i386"))
    assert [p.name for p in found] == ["i386", "arm", "aarch64", "riscv64"]
    assert to_list(v.lookup_qemu_platforms()) == []


def test_unknown_platform_lists_the_known_ones():
    with pytest.raises(SchemeError) as e:
        v.lookup_qemu_platforms("arm", "aarch46")
    message = str(e.value)
    assert "aarch46" in message and "did you mean aarch64" in message
    assert "riscv64" in message and "mips64el" in message


def test_binfmt_configuration_accepts_only_platforms():
    with pytest.raises(SchemeError) as e:
        v.QEMU_BINFMT_CONFIGURATION.make({"platforms": from_list(["arm"])})
    assert "lookup-qemu-platforms" in str(e.value)


# --- from Scheme ------------------------------------------------------------------------------

def scheme(text: str):
    m = config_module()
    eval_string("(use-modules (gnu services virtualization) (gnu packages virtualization) "
                "(srfi srfi-19))", m)
    return eval_string(text, m, "<test>")


def test_platform_procedures_from_scheme():
    assert to_list(scheme('(map qemu-platform-name (lookup-qemu-platforms "arm" "sparc"))')) \
        == ["arm", "sparc"]
    assert scheme('(qemu-platform? (car (lookup-qemu-platforms "mips64el")))') is True
    assert scheme("(qemu-platform? 'arm)") is False


def test_build_vm_date_from_scheme():
    assert scheme("(virtual-build-machine-cpu (virtual-build-machine "
                  "(date (make-date 0 0 0 0 1 6 2010 0))))") == "Westmere"


def test_unknown_field_names_the_record_and_the_closest_field():
    with pytest.raises(SchemeError) as e:
        scheme('(libvirt-configuration (tls-prot "1"))')
    message = str(e.value)
    assert "libvirt-configuration has no field named tls-prot" in message
    assert "did you mean tls-port" in message


def test_wrong_type_names_field_and_type():
    with pytest.raises(SchemeError) as e:
        scheme("(virtlog-configuration (max-clients \"many\"))")
    message = str(e.value)
    assert "field max-clients of virtlog-configuration must be" in message
    assert "integer" in message and '"many"' in message


def test_hurd_vm_operating_system_sshd():
    os_ = scheme("%hurd-vm-operating-system")
    (ssh,) = [s for s in to_list(os_["services"]) if s.type.name == "ssh"]
    # Guix's %hurd-vm-operating-system sets no port: sshd listens on 22, where the
    # childhurd's SSH forward leads.
    assert ssh.value["port-number"] == 22
    assert ssh.value["permit-root-login"] == Symbol("prohibit-password")
    assert ssh.value["allow-empty-passwords?"] is True
