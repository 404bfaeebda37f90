"""Finding a catalog object named in a file: by code (exactly, then ignoring case), or by its
Norwegian or English name when only one object has it. A code wins over a name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.functional import Promise

from evne.core.imports.problems import lazy_message


class CodeIndex:
    """Objects with `code`, `name` and `name_en`; `unknown` and `ambiguous` (with `%(codes)s`)
    are the messages for a text that names none or several."""

    def __init__(self, objects: Iterable, *, unknown: Promise, ambiguous: Promise):
        self.unknown, self.ambiguous = unknown, ambiguous
        self.by_id = {obj.pk: obj for obj in objects}
        self.by_code = {obj.code: obj for obj in self.by_id.values()}
        self.by_folded_code: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for obj in self.by_id.values():
            self.by_folded_code[obj.code.casefold()].add(obj.pk)
            for name in (obj.name, obj.name_en):
                if name:
                    self.by_name[name.strip().casefold()].add(obj.pk)
        self.found: dict[str, object] = {}

    def find(self, text: str):
        """The object, or the message saying why there is none."""
        if text not in self.found:
            self.found[text] = self._find(text)
        return self.found[text]

    def _find(self, text: str):
        if text in self.by_code:
            return self.by_code[text]
        folded = text.casefold()
        for index in (self.by_folded_code, self.by_name):
            matches = index.get(folded, set())
            if len(matches) == 1:
                return self.by_id[next(iter(matches))]
            if matches:
                codes = ", ".join(sorted(self.by_id[pk].code for pk in matches))
                return lazy_message(self.ambiguous, codes=codes)
        return self.unknown
