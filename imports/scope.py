"""Hub scope: what a hub manager's import may reach, in one place.

The hubs come from the gate's rules (`alexi.access.import_hub_refs`: the hubs the person
manages today, every hub for a programme administrator). Only administrators import the
structure files; anything at another hub is answered exactly as if it did not exist, so an
import can neither reach nor reveal another hub's records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alexi import access
from imports.cells import Cells

if TYPE_CHECKING:
    from alexi.models import User
    from imports.holdings import StaffInfo


ADMIN_ONLY_FILES = ("funders.csv", "hubs.csv", "spokes.csv", "staff.csv")


def hub_refs_for(user: User) -> set[str] | None:
    """The hubs `user`'s import may reach: None (every hub) for a programme administrator,
    the hubs a hub manager manages today, none for anyone else. The gate's rule
    (alexi.access.import_hub_refs), not a copy of it."""
    return access.import_hub_refs(user)


class HubScope:
    """The import's hub scope (`hub_scope`: hub refs, or None for every hub)."""

    hub_scope: set[str] | None
    spokes: dict[str, str]
    staff: dict[str, StaffInfo]

    def _admits(self, name: str) -> bool:
        """Whether this import may bring the file `name` (the structure files and staff are
        for programme administrators only)."""
        return self.hub_scope is None or name not in ADMIN_ONLY_FILES

    def _scoped(self, queryset, hub_field: str):
        """`queryset` limited to the hubs in scope (`hub_field`: the lookup of the hub's ref)."""
        if self.hub_scope is None:
            return queryset
        return queryset.filter(**{f"{hub_field}__in": sorted(self.hub_scope)})

    def _in_scope(self, hub_ref: str | None) -> bool:
        return self.hub_scope is None or hub_ref in self.hub_scope

    def _where(self, files: str) -> str:
        return f"in {files} or Alexi" if self.hub_scope is None else "at the hubs you manage"

    def _missing(self, cells: Cells, column: str, kind: str, ref: str, files: str) -> None:
        cells.problem(column, f"there is no {kind} {ref} ({self._where(files)}).")

    def _spoke_hub(self, cells: Cells, column: str, spoke: str) -> str | None:
        """The hub of a spoke that exists and is in scope; otherwise a problem and None."""
        hub = self.spokes.get(spoke)
        if hub is None or not self._in_scope(hub):
            self._missing(cells, column, "spoke", spoke, "spokes.csv")
            return None
        return hub

    def _staff_for(self, email: str) -> StaffInfo | None:
        from alexi.models import Role

        info = self.staff.get(email)
        if info is None or self.hub_scope is None:
            return info
        if info.role == Role.SPOKE_WORKER and self.spokes.get(info.spoke_ref) in self.hub_scope:
            return info
        if info.role == Role.HUB_MANAGER and set(info.hub_refs) & self.hub_scope:
            return info
        return None

    def _no_staff(self, cells: Cells, column: str, email: str) -> None:
        if self.hub_scope is None:
            cells.problem(
                column, f"there is no one with the email {email} (in staff.csv or Alexi)."
            )
        else:
            cells.problem(column, f"{email} is not a worker or manager at the hubs you manage.")
