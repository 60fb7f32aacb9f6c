"""The platforms qemu-binfmt can emulate, and their binfmt_misc register strings.

The table is QEMU's own (its `scripts/qemu-binfmt-conf.sh`, which Debian's
qemu-user-static ships as `/usr/lib/binfmt.d/qemu-NAME.conf`): for each platform, the
bytes an ELF header of that architecture starts with (MAGIC) and which bits of them the
kernel compares (MASK).  i486 and aarch64be are left out, as in Guix.
"""

from __future__ import annotations

import re


class QemuPlatform:
    """One emulated platform: its QEMU name, family, and ELF header magic and mask."""

    __slots__ = ("name", "family", "magic", "mask")

    def __init__(self, name: str, family: str, magic: bytes, mask: bytes):
        if len(magic) != len(mask):
            raise ValueError(f"qemu platform {name}: magic and mask differ in length")
        self.name = name
        self.family = family
        self.magic = magic
        self.mask = mask

    def scheme_repr(self, write: bool) -> str:
        return f'#<qemu-platform "{self.name}">'

    def __repr__(self) -> str:
        return f"<qemu-platform {self.name}>"


# name, family, magic (hex), mask (hex): Guix's %qemu-platforms, in its order.
_TABLE = """
i386 i386 7f454c4601010100000000000000000002000300 fffffffffffefefffffffffffffffffffeffffff
x86_64 i386 7f454c4602010100000000000000000002003e00 fffffffffffefe00fffffffffffffffffeffffff
alpha alpha 7f454c4602010100000000000000000002002690 ffffffffffffff00fffffffffffffffffeffffff
arm arm 7f454c4601010100000000000000000002002800 ffffffffffffff00fffffffffffffffffeffffff
armeb armeb 7f454c4601020100000000000000000000020028 ffffffffffffff00fffffffffffffffffffeffff
sparc sparc 7f454c4601020100000000000000000000020002 fffffffffffffffcfffffffffffffffffffeffff
sparc32plus sparc 7f454c4601020100000000000000000000020012 fffffffffffffffcfffffffffffffffffffeffff
sparc64 sparc 7f454c460202010000000000000000000002002b fffffffffffffffcfffffffffffffffffffeffff
ppc ppc 7f454c4601020100000000000000000000020014 fffffffffffffffcfffffffffffffffffffeffff
ppc64 ppc 7f454c4602020100000000000000000000020015 fffffffffffffffcfffffffffffffffffffeffff
ppc64le ppcle 7f454c4602010100000000000000000002001500 fffffffffffffffcfffffffffffffffffeffff00
m68k m68k 7f454c4601020100000000000000000000020004 ffffffffffffff00fffffffffffffffffffeffff
mips mips 7f454c46010201000000000000000000000200080000000000000000000000000000000000000000 ffffffffffffff00fefffffffffffffffffeffff0000000000000000000000000000000000000020
mipsel mips 7f454c46010101000000000000000000020008000000000000000000000000000000000000 ffffffffffffff00fefffffffffffffffeffffff0000000000000000000000000000000020
mipsn32 mips 7f454c46010201000000000000000000000200080000000000000000000000000000000000000020 ffffffffffffff00fefffffffffffffffffeffff0000000000000000000000000000000000000020
mipsn32el mips 7f454c46010101000000000000000000020008000000000000000000000000000000000020 ffffffffffffff00fefffffffffffffffeffffff0000000000000000000000000000000020
mips64 mips 7f454c4602020100000000000000000000020008 ffffffffffffff00fefffffffffffffffffeffff
mips64el mips 7f454c4602010100000000000000000002000800 ffffffffffffff00fefffffffffffffffeffffff
sh4 sh4 7f454c4601010100000000000000000002002a00 fffffffffffffffcfffffffffffffffffeffffff
sh4eb sh4 7f454c460102010000000000000000000002002a fffffffffffffffcfffffffffffffffffffeffff
s390x s390x 7f454c4602020100000000000000000000020016 fffffffffffffffcfffffffffffffffffffeffff
aarch64 arm 7f454c460201010000000000000000000200b700 ffffffffffffff00fffffffffffffffffeffffff
hppa hppa 7f454c460102010000000000000000000002000f ffffffffffffff00fffffffffffffffffffeffff
riscv32 riscv 7f454c460101010000000000000000000200f300 ffffffffffffff00fffffffffffffffffeffffff
riscv64 riscv 7f454c460201010000000000000000000200f300 ffffffffffffff00fffffffffffffffffeffffff
xtensa xtensa 7f454c4601010100000000000000000002005e00 ffffffffffffff00fffffffffffffffffeffffff
xtensaeb xtensaeb 7f454c460102010000000000000000000002005e ffffffffffffff00fffffffffffffffffffeffff
microblaze microblaze 7f454c460102010000000000000000000002baab ffffffffffffff00fffffffffffffffffffeffff
microblazeel microblazeel 7f454c460101010000000000000000000200abba ffffffffffffff00fffffffffffffffffeffffff
or1k or1k 7f454c460102010000000000000000000002005c ffffffffffffff00fffffffffffffffffffeffff
hexagon hexagon 7f454c460101010000000000000000000200a400 ffffffffffffff00fffffffffffffffffeffffff
loongarch64 loongarch 7f454c4602010100000000000000000002000201 fffffffffffffffc00fffffffffffffffeffffff
"""

PLATFORMS: tuple[QemuPlatform, ...] = tuple(
    QemuPlatform(name, family, bytes.fromhex(magic), bytes.fromhex(mask))
    for name, family, magic, mask in (line.split() for line in _TABLE.strip().splitlines()))

BY_NAME: dict[str, QemuPlatform] = {p.name: p for p in PLATFORMS}

# binfmt flags: F opens the interpreter when the entry is registered (so it works inside
# containers and chroots that lack it), P keeps the program's own argv[0].
DEFAULT_FLAGS = "FP"


def escape_bytes(data: bytes) -> str:
    """Every byte as `\\xNN`: binfmt_misc's escape, safe for bytes like `:` and NUL."""
    return "".join(f"\\x{b:02x}" for b in data)


def debian_interpreter(name: str) -> str:
    """The static user-mode emulator Debian's qemu-user-static installs for NAME."""
    return f"/usr/bin/qemu-{name}-static"


def register_string(platform: QemuPlatform, interpreter: str | None = None,
                    flags: str = DEFAULT_FLAGS) -> str:
    """The line written to /proc/sys/fs/binfmt_misc/register to enable PLATFORM:
    `:qemu-NAME:M::MAGIC:MASK:INTERPRETER:FLAGS`."""
    interpreter = interpreter or debian_interpreter(platform.name)
    if ":" in interpreter or "\n" in interpreter:
        # binfmt_misc splits the line on ':' and has no escape for the interpreter field.
        raise ValueError(f"binfmt interpreter path cannot contain ':' or a newline: "
                         f"{interpreter!r}")
    return (f":qemu-{platform.name}:M::{escape_bytes(platform.magic)}:"
            f"{escape_bytes(platform.mask)}:{interpreter}:{flags}")


_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def unescape_field(text: str) -> bytes:
    """A magic or mask field as the kernel reads it: `\\xNN` escapes and plain bytes."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text.encode("latin-1"))


def parse_register_string(line: str) -> dict:
    """Split a register string into its parts (name, type, offset, magic, mask,
    interpreter, flags); magic and mask as bytes."""
    parts = line.rstrip("\n").split(":")
    if len(parts) != 8 or parts[0] != "":
        raise ValueError(f"not a binfmt_misc register string: {line!r}")
    _, name, kind, offset, magic, mask, interpreter, flags = parts
    return {"name": name, "type": kind, "offset": offset, "magic": unescape_field(magic),
            "mask": unescape_field(mask), "interpreter": interpreter, "flags": flags}


def matches(platform: QemuPlatform, header: bytes) -> bool:
    """Whether the kernel would run a file starting with HEADER through PLATFORM's entry:
    every masked byte of the file equals the masked byte of the magic."""
    if len(header) < len(platform.magic):
        return False
    return all((h & m) == (g & m) for h, g, m in zip(header, platform.magic, platform.mask))


def platforms_matching(header: bytes) -> list[QemuPlatform]:
    return [p for p in PLATFORMS if matches(p, header)]
