"""What an import found and did: its problems and, per file, the rows read, new,
changed and unchanged (the command prints it, the job page shows it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from imports.reader import FILES, Problem


@dataclass
class Counts:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unit: str = "rows"
    note: str = ""

    @property
    def unchanged(self) -> int:
        return max(self.rows - self.new - self.changed, 0)


@dataclass
class Report:
    dry_run: bool
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stopped_early: bool = False
    invited: int = 0
    # Workers' attachments to spokes asked for, waiting for the hub to confirm them.
    requested: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines (the command prints these)."""
        out = [str(problem) for problem in self.problems]
        if self.stopped_early:
            out.append(
                f"(stopped after {len(self.problems):,} problems; fix these and check again)"
            )
        for name in FILES:
            if name in self.counts:
                c = self.counts[name]
                if not self.ok:
                    out.append(f"{name}: {c.rows:,} {c.unit} read")
                    continue
                out.append(
                    f"{name}: {c.rows:,} {c.unit}: {c.new:,} new, {c.changed:,} changed, "
                    f"{c.unchanged:,} unchanged" + (f" ({c.note})" if c.note else "")
                )
        return out

    def as_dict(self, problem_limit: int = 5_000) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "counts": {
                name: {
                    "rows": c.rows,
                    "unit": c.unit,
                    "new": c.new,
                    "changed": c.changed,
                    "unchanged": c.unchanged,
                    "note": c.note,
                }
                for name, c in self.counts.items()
            },
            "problem_count": len(self.problems),
            "problems": [
                [p.file, p.line, p.column, p.message] for p in self.problems[:problem_limit]
            ],
            "stopped_early": self.stopped_early,
            "invited": self.invited,
            "requested": self.requested,
        }
