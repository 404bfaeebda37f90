"""Which organisations a file about people reaches, and whether the importing user may import
into them (HR may import only into their own municipality, DESIGN.md "Visibility")."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import Problem
from evne.organization.models import Employment, OrgUnit

OUT_OF_SCOPE = _("This employee has no current position in the organisations you may import into.")


class PeopleScope:
    """For importers whose rows name people by employee number (records, completions): each row
    has `number`, `employee_number` and `person_id`."""

    def check_scope(self, rows) -> set[str]:
        """The organisations (root codes) the file's people work in; with `allowed_roots`,
        everyone must have a current or future position in one of them."""
        root_codes = dict(OrgUnit.objects.filter(parent=None).values_list("id", "code"))
        person_ids = {row.person_id for row in rows}
        roots_of: dict[int, set[str]] = defaultdict(set)
        positions = Employment.objects.current_or_future(self.options.today).values_list(
            "person_id", "unit__path"
        )
        for person_id, path in positions:
            if person_id in person_ids:
                roots_of[person_id].add(root_codes[int(path.split("/")[1])])
        allowed = self.options.allowed_roots
        if allowed is not None:
            reported = set()
            for row in rows:
                if row.person_id not in reported and not roots_of[row.person_id] & allowed:
                    reported.add(row.person_id)
                    self.problems.append(
                        Problem(
                            row=row.number,
                            column=self.header("employee_number"),
                            value=row.employee_number,
                            message=OUT_OF_SCOPE,
                        )
                    )
        return set().union(*roots_of.values()) if roots_of else set()
