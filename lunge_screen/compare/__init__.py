"""Before and after: compare one person's screening sessions against the smallest detectable change.

>>> from lunge_screen.compare import compare, write_comparison
>>> c = compare(["results/pre", "results/post/session.json"], labels=["pre", "post"])
>>> print("\\n".join(c.summary))
>>> write_comparison(c, "results/pre-vs-post")   # comparison.json + comparison.html

Modules: ``sessions`` (what can be compared, labels), ``stats`` (the maths), ``setup``
(differences of set-up), ``sentences`` (the wording), ``build`` (:func:`compare`),
``model`` (the typed result and its JSON), ``plot`` / ``page`` / ``write`` (the outputs).

``lunge_screen.compare`` is both this package and, as the package's public name, the
function: the module itself is callable (``lunge_screen.compare(sessions)``), whichever
way it was imported first.
"""

from __future__ import annotations

import sys
import types

from .build import CompareError, compare
from .model import Comparison
from .sessions import SessionLike
from .write import write_comparison

__all__ = ["CompareError", "Comparison", "SessionLike", "compare", "write_comparison"]


class _CallableModule(types.ModuleType):
    def __call__(self, sessions, labels=None, settings=None) -> Comparison:
        return compare(sessions, labels, settings)


sys.modules[__name__].__class__ = _CallableModule
