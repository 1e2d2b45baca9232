"""Seeded random stream bit-exact with seedrandom 2.4 (ARC4), plus JavaScript's toFixed."""

from __future__ import annotations

import math
import secrets
from typing import Any

_WIDTH = 256
_MASK = 255
_START_DENOMINATOR = 2**48  # 256 ** 6: six ARC4 bytes start every double
_SIGNIFICANCE = 2**52
_OVERFLOW = 2**53


def _utf16_units(text: str) -> list[int]:
    """The string's UTF-16 code units: what JavaScript's charCodeAt walks over."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[k] | (data[k + 1] << 8) for k in range(0, len(data), 2)]


def _mix_key(seed: str) -> list[int]:
    """seedrandom's mixkey: the key bytes of a string seed.

    For seeds under 256 code units it is just each code unit & 255; longer seeds
    fold back onto the first 256 slots with seedrandom's `smear ^= key * 19` mixing.
    """
    key: list[int] = []
    smear = 0
    for position, unit in enumerate(_utf16_units(seed)):
        slot = position & _MASK
        if slot < len(key):
            smear ^= key[slot] * 19
            key[slot] = (smear + unit) & _MASK
        else:
            key.append((smear + unit) & _MASK)
    return key


def _arc4_schedule(key: list[int]) -> list[int]:
    """ARC4 key schedule over S = 0..255 (an empty key acts as [0])."""
    if not key:
        key = [0]
    key_length = len(key)
    s = list(range(_WIDTH))
    j = 0
    for i in range(_WIDTH):
        t = s[i]
        j = (j + key[i % key_length] + t) & _MASK
        s[i] = s[j]
        s[j] = t
    return s


class SeedRandom:
    """One seeded stream: `random()` equals seedrandom(seed)() of seedrandom 2.4, draw for draw.

    State is the ARC4 permutation `S` (256 bytes) and its two indices `i`, `j`.
    """

    def __init__(self, seed: str) -> None:
        if not isinstance(seed, str):
            raise TypeError(f"seed must be a str, got {type(seed).__name__}")
        self.seed = seed
        self._s = _arc4_schedule(_mix_key(seed))
        self._i = 0
        self._j = 0
        self._bytes(_WIDTH)  # RC4-drop[256]

    def _bytes(self, count: int) -> int:
        """g(count): the next `count` ARC4 output bytes as one big-endian integer."""
        s, i, j = self._s, self._i, self._j
        result = 0
        for _ in range(count):
            i = (i + 1) & _MASK
            t = s[i]
            j = (j + t) & _MASK
            u = s[j]
            s[i] = u
            s[j] = t
            result = result * _WIDTH + s[(u + t) & _MASK]
        self._i, self._j = i, j
        return result

    def random(self) -> float:
        """A double in [0, 1) with every mantissa bit random (seedrandom's construction).

        seedrandom: n = g(6), d = 2^48, x = 0; while n < 2^52: n = (n + x)·256, d ·= 256,
        x = g(1); while n >= 2^53: n, d, x halve (x >>> 1); return (n + x) / d. Python
        integers carry n exactly; in JavaScript every step is exact too, since n stays an
        integer below 2^60 that is a multiple of 256 before the halvings.

        The first seven bytes are drawn at once: with the first six at or above 2^44 (15
        draws in 16) the first round of the loop ends it, and the halvings are one shift.
        """
        n = self._bytes(7)
        extra = n & _MASK
        n -= extra  # the first six bytes · 256, after one round of the loop
        denominator = _START_DENOMINATOR * _WIDTH
        while n < _SIGNIFICANCE:
            n = (n + extra) * _WIDTH
            denominator *= _WIDTH
            extra = self._bytes(1)
        shift = n.bit_length() - 53
        if shift > 0:
            n >>= shift
            denominator >>= shift
            extra >>= shift
        return (n + extra) / denominator

    def uniform(self, low: float, high: float) -> float:
        """random() * (high - low) + low, in exactly that arithmetic."""
        return self.random() * (high - low) + low

    def normal(self, mean: float = 0.0, variance: float = 1.0) -> float:
        """Marsaglia's polar method as the reference writes it (v2 is drawn and discarded).

        v1, v2 ~ U(-1, 1) until s = v1² + v2² <= 1; returns
        mean + sqrt(variance) * (sqrt(-2 ln s / s) * v1).
        """
        while True:
            v1 = 2 * self.random() - 1
            v2 = 2 * self.random() - 1
            s = v1 * v1 + v2 * v2
            # s == 0 (chance ~2^-100) would give NaN in JavaScript; draw again instead.
            if 0 < s <= 1:
                break
        result = math.sqrt(-2 * math.log(s) / s) * v1
        return mean + math.sqrt(variance) * result

    def get_state(self) -> dict[str, Any]:
        """A JSON-serializable snapshot: {"seed", "i", "j", "S"}."""
        return {"seed": self.seed, "i": self._i, "j": self._j, "S": list(self._s)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SeedRandom:
        """Rebuild a stream from `get_state()` output; it continues draw for draw."""
        _validate_state(state)
        stream = cls.__new__(cls)
        stream.seed = state["seed"]
        stream._s = list(state["S"])
        stream._i = state["i"]
        stream._j = state["j"]
        return stream


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_state(state: Any) -> None:
    """Raise ValueError naming the first bad field of a saved stream state."""
    if not isinstance(state, dict):
        raise ValueError(f"rng state must be an object, got {type(state).__name__}")
    if not isinstance(state.get("seed"), str):
        raise ValueError("rng state field 'seed' must be a string")
    for name in ("i", "j"):
        value = state.get(name)
        if not _is_int(value) or not 0 <= value <= _MASK:
            raise ValueError(f"rng state field {name!r} must be an integer in 0..255")
    permutation = state.get("S")
    if not isinstance(permutation, list) or len(permutation) != _WIDTH:
        raise ValueError("rng state field 'S' must be a list of 256 integers")
    if not all(_is_int(v) for v in permutation) or sorted(permutation) != list(range(_WIDTH)):
        raise ValueError("rng state field 'S' must be a permutation of 0..255")


def _js_number_string(x: float) -> str:
    """JavaScript's String(x) for NaN, ±Infinity and |x| >= 1e21 (exponent form)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)  # shortest round trip, "1e+21" / "1.5e+22": the same text as JavaScript


def to_fixed(x: float, digits: int) -> str:
    """Number.prototype.toFixed: round the exact binary value, ties to the larger magnitude.

    (0.015625).toFixed(5) is "0.01563" and (-1.5).toFixed(0) is "-2", where Python's
    format rounds half to even.
    """
    if not _is_int(digits) or not 0 <= digits <= 100:
        raise ValueError(f"digits must be an integer in 0..100, got {digits!r}")
    x = float(x)
    if math.isnan(x) or abs(x) >= 1e21:
        return _js_number_string(x)
    sign = "-" if x < 0 else ""
    numerator, denominator = abs(x).as_integer_ratio()
    quotient, remainder = divmod(numerator * 10**digits, denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    text = str(quotient).rjust(digits + 1, "0")
    if digits:
        text = f"{text[:-digits]}.{text[-digits:]}"
    return sign + text


def random_seed() -> str:
    """A fresh seed like the reference's for a missing seed: a random double's toFixed(5)."""
    return to_fixed(secrets.randbits(53) / 2**53, 5)
