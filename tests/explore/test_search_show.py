from vsys.explore import describe


def test_show_accepts_the_name_search_prints():
    text = describe("qemu-binfmt")
    assert text.splitlines()[:2] == [
        "qemu-binfmt-service-type",
        "  service type qemu-binfmt in (gnu services virtualization)"]
    assert describe("network-ports").startswith("network-ports-service-type\n")
