"""Marker frameworks: the model, loading and saving, the table form and the vocabularies."""

from .model import (
    Condition,
    Framework,
    Ground,
    Group,
    Node,
    Recognition,
    RecognitionLevel,
    Reference,
    Stage,
)

__all__ = [
    "Condition",
    "Framework",
    "Ground",
    "Group",
    "Node",
    "Recognition",
    "RecognitionLevel",
    "Reference",
    "Stage",
]
