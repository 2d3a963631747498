"""``python -m rightsmarker.web.manage score_cycles``: score published cycles without a run."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from rightsmarker.errors import RightsMarkerError


class Command(BaseCommand):
    help = ("Score every published cycle that has no finished score run (or the cycles given "
            "with --cycle, even when they have one), with the default method.")

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, action="append",
                            help="Cycle id to score (repeat for several).")
        parser.add_argument("--method", help="Method YAML file (default: the default method).")
        parser.add_argument("--uncertainty-runs", type=int, default=0,
                            help="Monte Carlo runs of the uncertainty analysis (default 0).")
        parser.add_argument("--factors", help="Uncertain factors YAML file, as for "
                            "'rightsmarker uncertainty --factors' (default: the default "
                            "factors).")

    def handle(self, *args, cycle=None, method=None, uncertainty_runs=0, factors=None,
               **options):
        from pathlib import Path

        from ....reporting.models import Cycle
        from ...models import ScoreRun
        from ...services import parse_factors, score_cycle

        text = Path(method).read_text(encoding="utf-8") if method else None
        if cycle:
            cycles = list(Cycle.objects.filter(pk__in=cycle).order_by("year"))
            missing = set(cycle) - {c.pk for c in cycles}
            if missing:
                raise CommandError(f"no cycle with id {', '.join(map(str, sorted(missing)))}")
        else:
            done = ScoreRun.objects.filter(status=ScoreRun.Status.DONE).values("cycle")
            cycles = list(Cycle.objects.filter(status=Cycle.Status.PUBLISHED)
                          .exclude(pk__in=done).order_by("year"))
        for c in cycles:
            try:
                chosen = (parse_factors(Path(factors).read_text(encoding="utf-8"),
                                        c.framework_version.as_framework())
                          if factors and uncertainty_runs else None)
                run = score_cycle(c, text, uncertainty_runs=uncertainty_runs, factors=chosen,
                                  progress=self.progress(c.name))
            except RightsMarkerError as exc:
                raise CommandError(f"{c.name}: {exc}") from None
            warmed = run.warmed
            self.stdout.write(f"scored {c.name}: run {run.pk} (pages of {warmed['cities']} "
                              f"cities in {', '.join(warmed['languages'])} built in "
                              f"{warmed['seconds']:.1f} s)")
            if warmed.get("skipped"):
                self.stdout.write(f"{c.name}: no scores for {', '.join(warmed['skipped'])} "
                                  "(no approved or published values in this cycle)")
        if not cycles:
            self.stdout.write("every published cycle has a score run")

    def progress(self, name: str):
        """Prints the pages built for the cycle at every tenth of the way."""
        shown = set()

        def report(done: int, total: int) -> None:
            step = done * 10 // total
            if step not in shown:
                shown.add(step)
                self.stdout.write(f"{name}: pages {done}/{total}")

        return report
