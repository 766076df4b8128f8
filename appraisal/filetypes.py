"""Which archive a file really is, read from its first bytes (magic numbers) — no database.

The name's extension must agree with the content: a ``.zip`` must start like a ZIP archive, and a
renamed ``.exe``, ``.html`` or ``.svg`` is refused whatever it is called. Office documents are ZIP
containers too, but their extensions (``.docx``…) are not archive extensions, so they are refused.
"""

from __future__ import annotations

# kind → (magic prefixes at offset 0, accepted name endings); tar is recognised at offset 257.
ARCHIVE_TYPES: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "zip": ((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"), (".zip",)),
    "7z": ((b"7z\xbc\xaf\x27\x1c",), (".7z",)),
    "rar": ((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00"), (".rar",)),
    "gz": ((b"\x1f\x8b\x08",), (".gz", ".tgz")),
    "bz2": ((b"BZh",), (".bz2", ".tbz2", ".tbz")),
    "xz": ((b"\xfd7zXZ\x00",), (".xz", ".txz")),
    "zst": ((b"\x28\xb5\x2f\xfd",), (".zst", ".tzst")),
    "tar": ((), (".tar",)),
}
KNOWN_TYPES = frozenset(ARCHIVE_TYPES)

# How many leading bytes detection needs (tar's "ustar" magic ends at offset 262).
HEAD_BYTES = 512
_TAR_MAGIC_OFFSET = 257


def detect(head: bytes) -> str | None:
    """The archive kind whose signature ``head`` starts with, or None."""
    for kind, (magics, _endings) in ARCHIVE_TYPES.items():
        if any(head.startswith(magic) for magic in magics):
            return kind
    if head[_TAR_MAGIC_OFFSET:_TAR_MAGIC_OFFSET + 5] == b"ustar":
        return "tar"
    return None


def kind_for_name(name: str) -> str | None:
    """The archive kind a file name claims by its ending (``.tar.gz`` claims gz), or None."""
    lower = (name or "").lower()
    best, best_len = None, 0
    for kind, (_magics, endings) in ARCHIVE_TYPES.items():
        for ending in endings:
            if lower.endswith(ending) and len(ending) > best_len:
                best, best_len = kind, len(ending)
    return best


def extension_for(kind: str) -> str:
    return ARCHIVE_TYPES[kind][1][0]


def accepted_endings(kinds) -> list[str]:
    return [ending for kind in kinds if kind in ARCHIVE_TYPES for ending in ARCHIVE_TYPES[kind][1]]
