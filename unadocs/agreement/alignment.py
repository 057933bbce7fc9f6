"""Which items of an old and a new sequence are the same item, changed or not.

A redline needs to know, for two lists of paragraphs (or clauses, or table
rows), which new item each old item became. Equal items are found first
(:class:`difflib.SequenceMatcher` on their keys); in each stretch between
them, an old and a new item are paired when they are similar enough to show
one as an edit of the other, and the rest were removed or added. Pairs never
cross, so both sequences keep their order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher

__all__ = ["MAX_TOKENS", "Pair", "align", "word_similarity"]

#: ``(old index, new index)``: both for the same item, ``(i, None)`` removed, ``(None, j)`` added.
Pair = tuple[int | None, int | None]

#: Beyond this many candidate pairs in one changed stretch, the items are shown as removed and added: pairing
#: costs time in the square of the stretch, and so long a stretch is rewritten rather than edited.
MAX_CANDIDATES = 40_000
#: Beyond this many tokens (words, spaces, signs) on either side, two texts are not compared word by word:
#: difflib's time grows with the square of a text's length and faster (a paragraph of 500 words takes some
#: 0.4 s, of 4,000 words two minutes), and a spec may hold texts of a hundred thousand words. So long a text
#: that changed is shown replaced whole, and its likeness to another is difflib's quick upper bound.
MAX_TOKENS = 1_000


def align(old: Sequence[Hashable], new: Sequence[Hashable], similarity: Callable[[int, int], float],
          threshold: float) -> list[Pair]:
    """The pairs of ``old`` and ``new`` (their keys) in document order.

    Items with equal keys pair first; in between, ``similarity(i, j)`` (0 to 1)
    at or above ``threshold`` pairs an old and a new item, choosing the pairs
    with the greatest total similarity. Within a stretch, what was removed
    comes before what was added, as a reader expects of a replacement.
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend(_stretch(range(i1, i2), range(j1, j2), similarity, threshold))
    return pairs


def _stretch(olds: range, news: range, similarity: Callable[[int, int], float], threshold: float) -> list[Pair]:
    """A changed stretch: the heaviest non-crossing pairing of similar items (dynamic programming), then the
    removed and added items around each pair."""
    n, m = len(olds), len(news)
    matched: list[tuple[int, int]] = []
    if n and m and n * m <= MAX_CANDIDATES:
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        weight: dict[tuple[int, int], float] = {}
        for a in range(n - 1, -1, -1):
            for b in range(m - 1, -1, -1):
                best = max(score[a + 1][b], score[a][b + 1])
                w = similarity(olds[a], news[b])
                if w >= threshold:
                    weight[a, b] = w
                    best = max(best, w + score[a + 1][b + 1])
                score[a][b] = best
        a = b = 0
        while a < n and b < m:
            pair = weight.get((a, b))
            if pair is not None and score[a][b] == pair + score[a + 1][b + 1]:
                matched.append((a, b))
                a, b = a + 1, b + 1
            elif score[a][b] == score[a + 1][b]:
                a += 1
            else:
                b += 1
    out: list[Pair] = []
    a = b = 0
    for ma, mb in [*matched, (n, m)]:
        out.extend((olds[k], None) for k in range(a, ma))
        out.extend((None, news[k]) for k in range(b, mb))
        if ma < n and mb < m:
            out.append((olds[ma], news[mb]))
        a, b = ma + 1, mb + 1
    return out


def word_similarity(old: Sequence[Hashable], new: Sequence[Hashable]) -> float:
    """How much of two word sequences is shared (0 to 1): :meth:`SequenceMatcher.ratio`, after its cheap upper
    bounds (the bound alone beyond :data:`MAX_TOKENS`)."""
    if not old and not new:
        return 1.0
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    if matcher.real_quick_ratio() < 0.2 or matcher.quick_ratio() < 0.2 or max(len(old), len(new)) > MAX_TOKENS:
        return matcher.quick_ratio()
    return matcher.ratio()
