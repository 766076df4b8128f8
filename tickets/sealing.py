"""Sealing a signed work order (SPEC §6: 不允许涂改、伪造用户的签字). Pure: no database.

A seal is computed over a canonical serialisation of the order's content and the signature image:

* ``digest`` = SHA-256 of canonical JSON (sorted keys, decimals as strings, times in UTC ISO
  format, lists in a fixed order) followed by the signature bytes' own SHA-256;
* ``chain`` = HMAC-SHA-256 (key kept outside the database, ``settings.SIGNATURE_SEAL_KEY``) of the
  previous seal's chain value and this digest — so whoever can edit rows still cannot forge a seal,
  and removing or reordering a seal breaks every later one.

``verify`` recomputes both and says what does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

GENESIS = "0" * 64


def _normalise(value):
    if isinstance(value, Decimal):
        # 1.5, 1.50 and 1.500 are one amount: the plain digits of the normalised value.
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("seal content needs aware datetimes")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def canonical(content: dict) -> bytes:
    """The one byte string a content dict serialises to, whatever the dict's order or number types."""
    return json.dumps(_normalise(content), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(content: dict, signature: bytes) -> str:
    h = hashlib.sha256()
    h.update(canonical(content))
    h.update(b"\x00signature\x00")
    h.update(hashlib.sha256(signature).digest())
    return h.hexdigest()


def chain_value(key: bytes, previous: str, this_digest: str) -> str:
    return hmac.new(key, f"{previous}:{this_digest}".encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Seal:
    digest: str
    previous: str
    chain: str


def seal(content: dict, signature: bytes, *, key: bytes, previous: str = GENESIS) -> Seal:
    d = digest(content, signature)
    return Seal(digest=d, previous=previous, chain=chain_value(key, previous, d))


@dataclass(frozen=True)
class Problem:
    position: int
    reason: str


def check_link(content: dict, signature: bytes, stored: Seal, *, key: bytes, previous: str) -> list[str]:
    """What is wrong with one seal of the chain, given the chain value before it (empty: intact)."""
    reasons = []
    if stored.previous != previous:
        reasons.append("chain_broken")
    if digest(content, signature) != stored.digest:
        reasons.append("content_altered")
    if not hmac.compare_digest(chain_value(key, stored.previous, stored.digest), stored.chain):
        reasons.append("seal_forged")
    return reasons


def verify(items: list[tuple[dict, bytes, Seal]], *, key: bytes, previous: str = GENESIS) -> list[Problem]:
    """Check seals in chain order: content and signature against the digest, the link to the
    previous seal, and the HMAC. Returns one problem per broken position (empty = all intact)."""
    problems = []
    for position, (content, signature, stored) in enumerate(items):
        problems.extend(Problem(position, r) for r in check_link(content, signature, stored, key=key, previous=previous))
        previous = stored.chain
    return problems
