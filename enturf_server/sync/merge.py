"""The field merge rule for managers' offline edits (pure; values already parsed).

An edit carries, per field, the new value and the value it was based on, and the
entity's version it was based on:

* same version on the server: nobody else edited it -> apply every field;
* otherwise, per field:
  - server value == base value: the other side did not touch this field -> apply it;
  - server value == new value: both sides made the same edit -> nothing to do;
  - else: both sides changed it differently -> conflict, the server value stays.
  A field sent without its base value counts as touched by both sides unless the
  server already has the new value.

Fields without conflict apply even when another field of the same edit conflicts:
nothing is lost silently, because the conflict goes back to the manager with both
values, and the fields that did apply are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_MISSING = object()


@dataclass
class MergePlan:
    apply: dict[str, Any] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def plan_merge(
    *,
    current: Mapping[str, Any],
    new: Mapping[str, Any],
    base: Mapping[str, Any],
    same_version: bool,
) -> MergePlan:
    plan = MergePlan()
    for name, value in new.items():
        server = current[name]
        based_on = base.get(name, _MISSING)
        if server == value:
            plan.unchanged.append(name)
        elif same_version or (based_on is not _MISSING and server == based_on):
            plan.apply[name] = value
        else:
            plan.conflicts.append(name)
    return plan
