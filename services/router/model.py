"""A learned text classifier next to the lexicon: TF-IDF n-grams and a linear model, explainable.

Trained at router start-up on the shipped, invented, labelled texts (``data/training/*.jsonl``, see
``services/router/training.py``): a few hundred texts, well under a second, so no fitted model is ever
stored. Features are character n-grams within words (robust to typos, WhatsApp spelling and Dutch
compounds) plus word uni- and bigrams; the model is a multinomial logistic regression, so each
category's score is a sum of (feature value × weight) and the n-grams that drove a choice can be shown.

``combine`` mixes the lexicon's evidence with the model's probabilities into one ``Classification``;
its explanation names the lexicon terms, the model's top categories and the n-grams behind them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from threadpoolctl import threadpool_limits

from services.router.classify import _PLACEHOLDER, Classification, normalise

RANDOM_STATE = 0


def prepare(text: str) -> str:
    """What the model reads: placeholders gone, accents folded, lowercase, letter repeats collapsed."""
    return " ".join(normalise(_PLACEHOLDER.sub(" ", text)))


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    lowercase=True,
                    strip_accents="unicode",
                    min_df=1,
                    dtype=np.float64,
                ),
            ),
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    lowercase=True,
                    strip_accents="unicode",
                    token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106 (a regex, not a password)
                    dtype=np.float64,
                ),
            ),
        ]
    )


@dataclass
class Prediction:
    """The model's probabilities per category (all categories it knows, summing to 1)."""

    probabilities: dict[str, float]
    # Per category: the n-grams that pushed the score up most, with their contribution.
    evidence: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def ranking(self) -> list[tuple[str, float]]:
        return sorted(self.probabilities.items(), key=lambda kv: (-kv[1], kv[0]))


class TextModel:
    """TF-IDF (char_wb 2–5 + word 1–2) and multinomial logistic regression; deterministic."""

    def __init__(self, *, c: float = 30.0) -> None:
        self.c = c
        self.features = _features()
        # newton-cg: exact and deterministic, a handful of iterations on this data.
        self.model = LogisticRegression(C=c, solver="newton-cg", max_iter=200, random_state=RANDOM_STATE)
        self.classes: list[str] = []
        self._names: np.ndarray = np.array([])

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TextModel:
        x = self.features.fit_transform([prepare(t) for t in texts])
        self.model.fit(x, list(labels))
        self.classes = [str(c) for c in self.model.classes_]
        self._names = self.features.get_feature_names_out()
        return self

    def predict(self, text: str, *, among: Iterable[str] | None = None, evidence: int = 0) -> Prediction:
        """Probabilities per category (renormalised over ``among`` if given) and, for the top
        categories, the ``evidence`` n-grams that contributed most to their score."""
        x = self.features.transform([prepare(text)])
        proba = self.model.predict_proba(x)[0]
        allowed = set(among) if among is not None else None
        probs = {c: float(p) for c, p in zip(self.classes, proba, strict=True)}
        if allowed is not None:
            probs = {c: p for c, p in probs.items() if c in allowed}
            total = sum(probs.values()) or 1.0
            probs = {c: p / total for c, p in probs.items()}
        result = Prediction(probs)
        if evidence and x.nnz:
            row = x.tocsr()
            words = prepare(text).split()
            for cat, _ in result.ranking()[:2]:
                result.evidence[cat] = self._evidence(row.indices, row.data, cat, words)[:evidence]
        return result

    def _evidence(
        self, cols: np.ndarray, values: np.ndarray, category: str, words: list[str]
    ) -> list[tuple[str, float]]:
        """What pushed ``category``'s score up: words (their character n-grams and the word itself,
        summed) and word pairs, by contribution (feature value × the category's weight)."""
        k = self.classes.index(category)
        contrib = values * self.model.coef_[k, cols]
        totals: dict[str, float] = {}
        unique = list(dict.fromkeys(words))
        for col, value in zip(cols, contrib, strict=True):
            kind, _, gram = str(self._names[col]).partition("__")
            if kind == "word":
                totals[gram] = totals.get(gram, 0.0) + float(value)
                continue
            # A char_wb n-gram lies within one word (spaces mark its edges): share it among the words
            # that contain it.
            owners = [w for w in unique if gram.strip() in w and _fits(gram, w)]
            for w in owners:
                totals[w] = totals.get(w, 0.0) + float(value) / len(owners)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(g, round(v, 3)) for g, v in ranked if v > 0]


def _fits(gram: str, word: str) -> bool:
    padded = f" {word} "
    return gram in padded


def train(rows: Sequence[tuple[str, str]], *, c: float = 30.0) -> TextModel:
    """Fit on (text, category) pairs. One BLAS thread: on a few hundred texts more threads only
    contend (a fit takes several times longer), and the router runs one fit per rule-set version."""
    with threadpool_limits(limits=1):
        return TextModel(c=c).fit([t for t, _ in rows], [c_ for _, c_ in rows])


# --- combining the lexicon and the model ----------------------------------------------------------


@dataclass
class Combined(Classification):
    """A lexicon result mixed with the model's probabilities.

    ``scores`` are the mixed scores per category (summing to at most 1); ``confidence`` is the top
    category's mixed score. When the lexicon found strong terms of two categories and could not tell
    them apart (``contested``), the confidence is the lead over the runner-up instead, so a report that
    names a cannabis farm and an assault still goes to triage (or to its family's catch-all).
    """

    lexicon: Classification | None = None
    prediction: Prediction | None = None
    lexicon_weight: float = 0.5
    contested: bool = False

    def confidence_of_group(self, categories: Iterable[str]) -> float:
        group = set(categories)
        # Members count only above chance level (the score the model gives a category it has no
        # opinion on), so a vague text's spread-out probabilities do not add up to a confident family.
        chance = (1 - self.lexicon_weight) / max(
            1, len(self.prediction.probabilities) if self.prediction else 1
        )
        top = self.category
        inside = sum(s if c == top else max(0.0, s - chance) for c, s in self.scores.items() if c in group)
        if not self.contested:
            return round(inside, 3)
        outside = max((s for c, s in self.scores.items() if c not in group), default=0.0)
        return round(max(0.0, inside - outside), 3)

    def explain(self, limit: int = 3) -> str:
        mixed = ", ".join(f"{c} {s:.2f}" for c, s in self.ranking()[:limit] if s >= 0.01)
        parts = [
            f"{mixed or 'no category'} (lexicon {self.lexicon_weight:g} + model {1 - self.lexicon_weight:g})"
            + ("; two categories with strong terms, no clear winner" if self.contested else "")
        ]
        lex = (
            self.lexicon.explain(limit) if self.lexicon is not None else "no category terms found in the text"
        )
        parts.append(f"lexicon: {lex}")
        if self.prediction is not None:
            model = []
            for cat, p in self.prediction.ranking()[:2]:
                grams = ", ".join(g for g, _ in self.prediction.evidence.get(cat, [])[:6])
                model.append(f"{cat} {p:.2f}" + (f" ({grams})" if grams else ""))
            parts.append("model: " + "; ".join(model))
        return "; ".join(parts)


# Lexicon confidence below which two categories that both have strong terms count as a contest.
CONTEST_BELOW = 0.25


def lexicon_distribution(result: Classification, saturation: float) -> dict[str, float]:
    """The lexicon's scores as shares of the evidence, shrunk when the evidence is thin.

    A report with a total score at or above ``saturation`` puts all its weight on the matched
    categories; a single weak term puts only a fraction there (the rest is 'no opinion').
    """
    total = sum(result.scores.values())
    if total <= 0:
        return {}
    scale = max(total, saturation)
    return {c: s / scale for c, s in result.scores.items()}


def combine(lexicon: Classification, prediction: Prediction, *, weight: float, saturation: float) -> Combined:
    """Mixed score per category = weight × lexicon share + (1 − weight) × model probability."""
    lex = lexicon_distribution(lexicon, saturation)
    cats = set(prediction.probabilities) | set(lex)
    scores = {
        c: round(weight * lex.get(c, 0.0) + (1 - weight) * prediction.probabilities.get(c, 0.0), 4)
        for c in cats
    }
    top_two = lexicon.ranking()[:2]
    contested = (
        len(top_two) == 2
        and all(lexicon.strong.get(c, 0) >= 1 for c, _ in top_two)
        and lexicon.confidence < CONTEST_BELOW
    )
    result = Combined(
        None,
        0.0,
        scores,
        dict(lexicon.matched),
        dict(lexicon.strong),
        lexicon=lexicon,
        prediction=prediction,
        lexicon_weight=weight,
        contested=contested,
    )
    ranking = result.ranking()
    if ranking and ranking[0][1] > 0:
        top = ranking[0][1]
        second = ranking[1][1] if len(ranking) > 1 else 0.0
        result.category = ranking[0][0]
        result.confidence = round(top - second if contested else top, 3)
    return result
