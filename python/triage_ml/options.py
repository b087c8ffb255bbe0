"""Training options (the ``options_json`` of ``train``) with their defaults; unknown keys are ignored."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from .records import InvalidInput

DAY_MS = 86_400_000


@dataclass
class Options:
    min_samples: int = 50              # per target, below: insufficient_data
    min_per_class: int = 5             # a class (assignee, priority, label, component) is learned from this many
    min_classes: int = 2               # assignee/priority need two learnable classes
    auto_precision: float = 0.8        # auto-apply thresholds reach this precision on validation
    min_val_positives: int = 3         # a value needs this many correct validation suggestions to be suggested
    priority_placeholders: list[str] = field(default_factory=lambda: ["None"])  # priorities that mean "not set"
    model_half_life_days: float = 365.0   # sample weights of the text model halve per this age
    prior_half_life_days: float = 90.0    # recency priors (who is assigned, which priority) halve per this age
    retire_after_days: float = 180.0      # values not seen for this long are never suggested (people who left)
    retire_after_issues: int = 300        # ... unless they are among the values of the newest this many issues
    candidates: list[str] | None = None   # assignable accountIds; None = everyone in the data
    now: int | None = None                # epoch millis "now" for decay; default: newest issue of the dataset
    val_fraction: float = 0.2          # newest share of a training set used to calibrate (blend, thresholds)
    holdout_fraction: float = 0.2      # newest share of the dataset used for the reported evaluation
    active_trained_at: int | None = None  # epoch millis the active model was trained: it has seen older issues
    min_comparison: int = 30           # unseen hold-out issues needed to compare the active model with the new one
    recency_n: int = 200               # recency baseline: most frequent among the newest N training issues
    C: float = 1.0                     # multinomial logistic regression (multiclass_solver "lbfgs")
    max_iter: int = 40
    multiclass_solver: str = "sgd"     # "sgd": one-vs-rest SGD logistic; "lbfgs": multinomial (slower)
    ovr_alpha: float = 1e-4            # one-vs-rest SGD logistic regression (assignee, priority)
    ovr_epochs: int = 5
    ovr_max_negatives: int = 1_000_000  # each class's model trains on at most this many other issues
    class_balance: float = 0.5         # sample weight * (class count ** -class_balance)
    prior_strength: float = 2.0        # pseudo-count pulling a reporter's/type's prior to the project prior
    macro_offsets: bool = True         # priority: decision offsets (a power of the class shares) for macro-F1
    # Labels: per-value SGD logistic models. Labels come and go with releases and campaigns, so a label unused
    # for a quarter (or beyond the project's newest 30 labelled issues) is retired.
    label_alpha: float = 3e-5
    label_epochs: int = 10
    label_folds: int = 2               # cross-fitted calibration folds (interleaved)
    label_min_support: int = 8         # issues a label needs to be trained at all
    label_retire_after_days: float = 90.0
    label_retire_after_issues: int = 30
    # Components: per-value class-balanced linear SVMs on the text only (the reporter and type made them worse
    # on the dev projects); components last, so they retire like assignees.
    component_C: float = 0.5
    component_folds: int = 3
    component_min_support: int = 8
    max_negatives: int = 2500          # a label's or component's model trains on at most this many other issues
    calibration_half_life_days: float = 365.0  # weight of out-of-fold issues when choosing thresholds

    @staticmethod
    def parse(options_json: str | None) -> "Options":
        if not options_json:
            return Options()
        try:
            raw = json.loads(options_json)
        except ValueError as e:
            raise InvalidInput(f"options are not JSON: {e}") from None
        if raw is None:
            return Options()
        if not isinstance(raw, dict):
            raise InvalidInput("options are not a JSON object")
        return Options.from_dict(raw)

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> "Options":
        o = Options()
        for f in fields(Options):
            if f.name not in raw or raw[f.name] is None:
                continue
            v = raw[f.name]
            if f.name in ("candidates", "priority_placeholders"):
                if not isinstance(v, list):
                    raise InvalidInput(f"options.{f.name} must be a list of strings")
                setattr(o, f.name, [str(c) for c in v])
            elif f.name in ("now", "active_trained_at"):
                try:
                    setattr(o, f.name, int(v))
                except (TypeError, ValueError):
                    raise InvalidInput(f"options.{f.name} must be epoch milliseconds") from None
            else:
                kind = type(getattr(o, f.name))
                try:
                    setattr(o, f.name, kind(v))
                except (TypeError, ValueError):
                    raise InvalidInput(f"options.{f.name} has a bad value") from None
        if not 0 < o.auto_precision <= 1:
            raise InvalidInput("options.auto_precision must be in (0, 1]")
        return o
