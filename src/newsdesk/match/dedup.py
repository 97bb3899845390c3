"""Exact and near-duplicate articles: one story copied by many outlets is stored once.

Exact copies share a canonical URL key or a normalised body. Near copies (another headline, a
rewritten first paragraph, a cut ending, added boilerplate, another byline) are found with
MinHash over 5-word shingles and LSH banding: 128 permutations, 42 bands of 3 rows, so a copy
with Jaccard similarity 0.45 is a candidate with probability 0.98, one at 0.3 with 0.69, and
unrelated articles (similarity near 0.01) about once in 25,000 comparisons. Candidates are
then checked on the whole signature, so the answer does not depend on luck in one band.

The first copy added is the original, and stays so: links never move, and "longer" is a poor
proxy for "more complete" when copies add boilerplate. Re-grouping a store in publication order
therefore makes the earliest copy the original.

Each article keeps a 280-byte `Signature` (`to_bytes`/`from_bytes`), so the index can be
rebuilt at start-up without the texts. The index costs about 600 bytes an article: a million
articles fit in well under 1 GB, and a lookup is a few binary searches whatever its size.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from newsdesk.match.keytable import KeyTable
from newsdesk.match.text import normalise_title, words
from newsdesk.urls import InvalidURLError, url_key

if TYPE_CHECKING:
    from newsdesk.config import Settings

# What a stored signature is made of: changing any of these makes stored signatures
# incomparable with new ones, so they are constants, not parameters.
NUM_PERM = 128
ROWS_PER_BAND = 3
BANDS = NUM_PERM // ROWS_PER_BAND  # 42; the last 2 values are used only to verify
SHINGLE_WORDS = 5
# Bodies shorter than this (teasers, paywall stubs, headline-only imports) get no MinHash and
# are compared only when their headlines agree too: a short shared text is as often boilerplate
# as a copy.
MIN_WORDS = 50


@dataclass(frozen=True, slots=True)
class DuplicateParams:
    """When a body is a near copy of another. `near_jaccard` is fed from Settings."""

    # A near copy: estimated Jaccard similarity of the shingle sets at least near_jaccard, or
    # the shorter text lying (contained share) inside the longer one with Jaccard at least
    # cut_jaccard.
    near_jaccard: float = 0.4
    cut_jaccard: float = 0.25
    contained: float = 0.8
    max_candidates: int = 64  # LSH candidates checked on the whole signature, most bands first

    @classmethod
    def from_settings(cls, settings: Settings) -> DuplicateParams:
        return cls(near_jaccard=settings.duplicate_near_jaccard)


DEFAULT_PARAMS = DuplicateParams()

# The affine permutations of datasketch's MinHash (scheme affine32, seed 1), drawn the way it
# draws them, so stored signatures stay comparable with datasketch's values. Drawn here rather
# than taken from a datasketch MinHash: importing datasketch loads scipy (about 0.4 s and 60 MB),
# and every extraction worker computes signatures. tests/match/test_dedup.py checks they agree.
def minhash_permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations (a odd, b any), as uint32 arrays."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERM_A_COLUMN, _PERM_B_COLUMN = (
    row.reshape(-1, 1) for row in minhash_permutations(NUM_PERM, seed=1)
)
# MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies before permuting
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
           np.uint32(16))
_SHINGLE_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD][:SHINGLE_WORDS],
    dtype=np.uint64,
)
_HEADER = struct.Struct("<QQQII")
_BLOCK_BITS = 16
_BLOCK = 1 << _BLOCK_BITS
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)


def _hash64(text: str) -> int:
    if not text:
        return 0
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") or 1


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """What the index keeps of one article. Store `to_bytes()`; rebuild with `from_bytes`."""

    url_hash: int  # of the canonical URL key; 0 when unknown
    body_hash: int  # of the normalised words of the body; 0 when the body is empty
    title_hash: int  # of the normalised headline; 0 when there is none
    words: int
    shingles: int  # distinct shingles of the body
    minhash: np.ndarray | None  # uint16[NUM_PERM]; None for bodies under MIN_WORDS words

    def to_bytes(self) -> bytes:
        head = _HEADER.pack(
            self.url_hash, self.body_hash, self.title_hash, self.words, self.shingles
        )
        return head + (self.minhash.tobytes() if self.minhash is not None else b"")

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) not in (_HEADER.size, _HEADER.size + 2 * NUM_PERM):
            raise ValueError(f"not a duplicate signature ({len(data)} bytes)")
        url_hash, body_hash, title_hash, n_words, n_shingles = _HEADER.unpack_from(data)
        rest = data[_HEADER.size :]
        minhash = np.frombuffer(rest, dtype=np.uint16).copy() if rest else None
        return cls(url_hash, body_hash, title_hash, n_words, n_shingles, minhash)


def signature(text: str, title: str | None = None, url: str | None = None) -> Signature:
    """The signature of an article body (plain text), its headline and URL."""
    tokens = words(text or "")
    url_hash = 0
    if url:
        try:
            url_hash = _hash64(url_key(url))
        except InvalidURLError:
            url_hash = 0
    grams = _shingle_hashes(tokens)
    minhash = _minhash(grams) if len(tokens) >= MIN_WORDS else None
    return Signature(
        url_hash=url_hash,
        body_hash=_hash64(" ".join(tokens)),
        title_hash=_hash64(normalise_title(title)),
        words=len(tokens),
        shingles=len(grams),
        minhash=minhash,
    )


def _minhash(grams: np.ndarray) -> np.ndarray:
    """The MinHash of non-empty 32-bit shingle hashes, as uint16[NUM_PERM].

    The low 16 bits of each minimum identify the shingle well enough (a false match has
    probability 1/65536) at half the memory.
    """
    s1, m1, s2, m2, s3 = _FMIX32
    hv = grams.astype(np.uint32)  # a copy: the finalizer below works in place
    hv ^= hv >> s1
    hv *= m1  # uint32 products wrap: arithmetic modulo 2^32, as in datasketch
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    # one row per permutation, so that each minimum is taken along contiguous memory
    permuted = _PERM_A_COLUMN * hv
    permuted += _PERM_B_COLUMN
    return (permuted.min(axis=1) & np.uint32(0xFFFF)).astype(np.uint16)


@lru_cache(maxsize=1 << 18)
def _word_hash(token: str) -> int:
    return zlib.crc32(token.encode())


def _shingle_hashes(tokens: list[str]) -> np.ndarray:
    """Distinct 32-bit hashes of the 5-word shingles (one for a text under 5 words)."""
    if not tokens:
        return np.zeros(0, np.uint32)
    hashed = np.fromiter(map(_word_hash, tokens), np.uint64, len(tokens))
    size = min(SHINGLE_WORDS, len(hashed))
    count = len(hashed) - size + 1
    mixed = np.zeros(count, np.uint64)
    for offset in range(size):  # position-dependent weights: "a b" and "b a" differ
        mixed += hashed[offset : offset + count] * _SHINGLE_MULTIPLIERS[offset]
    mixed ^= mixed >> np.uint64(29)
    grams = np.sort((mixed >> np.uint64(32)).astype(np.uint32))
    # np.unique's result (sorted, distinct) without its overhead, large for a few hundred values
    if len(grams) > 1:
        grams = grams[np.concatenate(([True], grams[1:] != grams[:-1]))]
    return grams


def band_keys(minhash: np.ndarray) -> np.ndarray:
    """One 32-bit key per band: the band's 16-bit values mixed with the band number."""
    packed = minhash[: BANDS * ROWS_PER_BAND].astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
    shifts = (np.arange(ROWS_PER_BAND, dtype=np.uint64) * np.uint64(16))[None, :]
    value = np.bitwise_or.reduce(packed << shifts, axis=1) ^ _BAND_SALT
    value = value * np.uint64(0xBF58476D1CE4E5B9)
    return (value >> np.uint64(32)).astype(np.uint32)


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """(estimated Jaccard similarity, share of the shorter text inside the longer) of two bodies."""
    if a.minhash is None or b.minhash is None:
        same = a.body_hash != 0 and a.body_hash == b.body_hash
        return (1.0, 1.0) if same else (0.0, 0.0)
    jaccard = float(np.count_nonzero(a.minhash == b.minhash)) / NUM_PERM
    return jaccard, _containment(jaccard, a.shingles, b.shingles)


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    # |A∩B| = J(|A|+|B|)/(1+J); divided by the smaller set.
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1.0 + jaccard) * smaller))


def is_near_copy(
    jaccard: float, containment: float, params: DuplicateParams = DEFAULT_PARAMS
) -> bool:
    return jaccard >= params.near_jaccard or (
        jaccard >= params.cut_jaccard and containment >= params.contained
    )


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """The article copies `original_id` (itself always an original, never a copy)."""

    original_id: int
    similarity: float  # estimated Jaccard similarity of the two bodies (1.0 for exact kinds)
    kind: Literal["url", "body", "near"]


class _Columns:
    """Per-article arrays in fixed blocks, so growth never copies everything."""

    def __init__(self) -> None:
        self.size = 0
        self._blocks: list[dict[str, np.ndarray]] = []

    def append(self, article_id: int, original: int, sig: Signature) -> int:
        row = self.size
        block, offset = row >> _BLOCK_BITS, row & (_BLOCK - 1)
        if block == len(self._blocks):
            self._blocks.append(
                {
                    "article": np.zeros(_BLOCK, np.int64),
                    "original": np.zeros(_BLOCK, np.int64),
                    "shingles": np.zeros(_BLOCK, np.uint32),
                    "words": np.zeros(_BLOCK, np.uint32),
                    "body": np.zeros(_BLOCK, np.uint64),
                    "title": np.zeros(_BLOCK, np.uint64),
                    "url": np.zeros(_BLOCK, np.uint64),
                    "minhash": np.zeros((_BLOCK, NUM_PERM), np.uint16),
                    "has_minhash": np.zeros(_BLOCK, np.bool_),
                }
            )
        cols = self._blocks[block]
        cols["article"][offset] = article_id
        cols["original"][offset] = original
        cols["shingles"][offset] = sig.shingles
        cols["words"][offset] = sig.words
        cols["body"][offset] = sig.body_hash
        cols["title"][offset] = sig.title_hash
        cols["url"][offset] = sig.url_hash
        if sig.minhash is not None:
            cols["minhash"][offset] = sig.minhash
            cols["has_minhash"][offset] = True
        self.size += 1
        return row

    def get(self, name: str, row: int):
        return self._blocks[row >> _BLOCK_BITS][name][row & (_BLOCK - 1)]

    def signature(self, row: int) -> Signature:
        return Signature(
            url_hash=int(self.get("url", row)),
            body_hash=int(self.get("body", row)),
            title_hash=int(self.get("title", row)),
            words=int(self.get("words", row)),
            shingles=int(self.get("shingles", row)),
            minhash=self.get("minhash", row) if self.get("has_minhash", row) else None,
        )

    def original_of(self, row: int) -> int:
        original = int(self.get("original", row))
        return original if original >= 0 else int(self.get("article", row))

    @property
    def nbytes(self) -> int:
        return sum(array.nbytes for cols in self._blocks for array in cols.values())


class DuplicateIndex:
    """Incremental duplicate finder. `add` each article once, in arrival order."""

    def __init__(self, params: DuplicateParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self._cols = _Columns()
        self._bands = KeyTable()
        # one key an article: runs of 1M entries keep buckets of 8 (2**17 of them, 512 KB)
        self._bodies = KeyTable(buffer_size=1 << 12, max_run=1 << 20, bucket_bits=17)
        self._urls = KeyTable(buffer_size=1 << 12, max_run=1 << 20, bucket_bits=17)

    def __len__(self) -> int:
        return self._cols.size

    @property
    def nbytes(self) -> int:
        """Approximate memory held by the index."""
        return self._cols.nbytes + self._bands.nbytes + self._bodies.nbytes + self._urls.nbytes

    def add(
        self, article_id: int, text: str, title: str | None = None, url: str | None = None
    ) -> DuplicateMatch | None:
        """Index the article; return what it copies, or None when it is an original."""
        return self.add_signature(article_id, signature(text, title, url))

    def add_signature(
        self,
        article_id: int,
        sig: Signature,
        original_id: int | None = None,
        *,
        decided: bool = False,
    ) -> DuplicateMatch | None:
        """Index an article by its stored signature.

        When `original_id` is given, or `decided` is true (rebuilding from a store that already
        decided: None then means an original), the article is recorded as it is, without
        matching; otherwise the match is found and returned.
        """
        match = None
        if original_id is None and not decided:
            match = self.find(sig)
            original_id = match.original_id if match else None
        row = self._cols.append(article_id, -1 if original_id is None else original_id, sig)
        key32 = np.array
        if sig.url_hash:
            self._urls.add(key32([sig.url_hash & 0xFFFFFFFF], np.uint32), row)
        if sig.body_hash:
            self._bodies.add(key32([sig.body_hash & 0xFFFFFFFF], np.uint32), row)
        if sig.minhash is not None:
            self._bands.add(band_keys(sig.minhash), row)
        return match

    def find(self, sig: Signature) -> DuplicateMatch | None:
        """The original this signature copies, without adding it."""
        if sig.url_hash:
            for row in self._urls.lookup(np.array([sig.url_hash & 0xFFFFFFFF], np.uint32)):
                if int(self._cols.get("url", row)) == sig.url_hash:
                    return DuplicateMatch(self._cols.original_of(row), 1.0, "url")
        if sig.body_hash:
            for row in self._bodies.lookup(np.array([sig.body_hash & 0xFFFFFFFF], np.uint32)):
                if int(self._cols.get("body", row)) != sig.body_hash:
                    continue
                same_title = sig.title_hash and int(self._cols.get("title", row)) == sig.title_hash
                if sig.words >= MIN_WORDS or same_title:
                    return DuplicateMatch(self._cols.original_of(row), 1.0, "body")
        if sig.minhash is None:
            return None
        return self._find_near(sig)

    def _find_near(self, sig: Signature) -> DuplicateMatch | None:
        rows = self._bands.lookup(band_keys(sig.minhash))
        if not rows:
            return None
        unique, hits = np.unique(np.array(rows, dtype=np.int64), return_counts=True)
        most = self.params.max_candidates
        if len(unique) > most:
            unique = unique[np.argsort(-hits, kind="stable")[:most]]
        best: tuple[float, int] | None = None
        for row in unique.tolist():
            other = self._cols.signature(row)
            jaccard, containment = similarity(sig, other)
            if not is_near_copy(jaccard, containment, self.params):
                continue
            if best is None or jaccard > best[0]:
                best = (jaccard, row)
        if best is None:
            return None
        return DuplicateMatch(self._cols.original_of(best[1]), round(best[0], 3), "near")
