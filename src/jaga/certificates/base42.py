"""Base42: base45 (RFC 9285) with the three QR alphanumeric characters a URL cannot carry as they are.

base45 uses all 45 characters of QR alphanumeric mode, among them the space (a camera app stops a link at
a space, and a browser turns it into `%20`), `%` (which then collides with that `%20`) and `+` (read as a
space by form decoders). Base42 drops those three and keeps the rest, so the text still fits QR
alphanumeric mode (5.5 bits per character) and is a valid URL fragment without any percent-encoding
(RFC 3986: `$ *` are sub-delims, `- .` unreserved, `/ :` allowed in a fragment).

The scheme is RFC 9285's with 42 in place of 45: every 2 bytes, n = a * 256 + b, become the 3 characters
c d e with n = c + d * 42 + e * 42^2 (42^3 = 74,088 >= 65,536); a last single byte becomes 2 characters.
So a payload has exactly the length it has in base45. Written here because the `base45` package fixes
RFC 9285's alphabet and no maintained package implements this one; static/verify.js mirrors it.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-./:"
BASE = len(ALPHABET)  # 42
_VALUES = {char: value for value, char in enumerate(ALPHABET)}


def b42encode(data: bytes) -> str:
    out: list[str] = []
    for at in range(0, len(data) - 1, 2):
        n = data[at] * 256 + data[at + 1]
        n, c = divmod(n, BASE)
        e, d = divmod(n, BASE)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        e, c = divmod(data[-1], BASE)
        out += (ALPHABET[c], ALPHABET[e])
    return "".join(out)


def b42decode(text: str) -> bytes:
    """The bytes `text` encodes; ValueError naming the first fault (never echoing the text)."""
    values = []
    for position, char in enumerate(text):
        value = _VALUES.get(char)
        if value is None:
            raise ValueError(f"character {position + 1} is not in the base42 alphabet")
        values.append(value)
    if len(values) % 3 == 1:
        raise ValueError("base42 text cannot have a length of 3k + 1")
    out = bytearray()
    for at in range(0, len(values), 3):
        group = values[at : at + 3]
        if len(group) == 3:
            n = group[0] + group[1] * BASE + group[2] * BASE * BASE
            if n > 0xFFFF:
                raise ValueError(f"base42 group {at // 3 + 1} is larger than two bytes")
            out += n.to_bytes(2, "big")
        else:
            n = group[0] + group[1] * BASE
            if n > 0xFF:
                raise ValueError("the last base42 pair is larger than a byte")
            out.append(n)
    return bytes(out)
