"""Workbench passwords: the policy (12 characters at least, nothing common or guessable) and argon2id.

Guessability is judged by zxcvbn (its lists of leaked passwords, words and names, and its patterns:
keyboard walks, dates, repeats, l33t). It knows English; the Indonesian words officers reach for first
are added as context, with the account's own name and role.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from jaga.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 takes any length; this bounds the work a login form can ask of the server
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"

# Common Indonesian password words (zxcvbn's lists are English). Short on purpose: the patterns do the
# rest ("sayang123456" is a word and a sequence).
INDONESIAN_WORDS = (
    "sayang",
    "sayangku",
    "cinta",
    "cintaku",
    "rahasia",
    "bismillah",
    "alhamdulillah",
    "indonesia",
    "merdeka",
    "garuda",
    "pancasila",
    "jakarta",
    "semarang",
    "surabaya",
    "bandung",
    "katasandi",
    "kata sandi",
    "sandi",
    "masuk",
    "admin",
    "petugas",
    "disdukcapil",
    "dukcapil",
    "dinsos",
    "polisi",
    "bidan",
    "kantor",
    "selamat",
    "jaga",
    "anak",
    "bayi",
    "akta",
    "kelahiran",
)

_hasher = PasswordHasher()  # argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory)
# Verified against when the account does not exist, so that a wrong username takes as long as a wrong
# password (the login never reveals whether a username exists).
_DUMMY = _hasher.hash("jaga: no such account, timing only")


def check_policy(password: str, *, username: str, role: str) -> None:
    """InvalidInput saying why `password` is refused; nothing when it is acceptable."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"the password must be at least {MIN_LENGTH} characters (a few words are easier to remember)",
            message_id=f"kata sandi minimal {MIN_LENGTH} karakter (beberapa kata lebih mudah diingat)",
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            f"the password must be at most {MAX_LENGTH} characters",
            message_id=f"kata sandi maksimal {MAX_LENGTH} karakter",
        )
    if password != password.strip() or any(ord(c) < 32 for c in password):
        raise InvalidInput(
            "the password may not begin or end with a space or hold control characters",
            message_id="kata sandi tidak boleh diawali atau diakhiri spasi atau memuat karakter kontrol",
        )
    context = [username, role, *username.replace(".", " ").replace("_", " ").split(), *INDONESIAN_WORDS]
    result = zxcvbn(password[:100], user_inputs=context)  # zxcvbn is quadratic; 100 characters suffice
    if result["score"] < MIN_SCORE:
        raise InvalidInput(
            "the password is too common or too easy to guess; use a longer phrase of unrelated words",
            message_id="kata sandi terlalu umum atau mudah ditebak; gunakan frasa yang lebih panjang dari "
            "kata-kata yang tidak berhubungan",
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash costs the same time as a wrong password."""
    try:
        return _hasher.verify(password_hash or _DUMMY, password[:MAX_LENGTH]) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
