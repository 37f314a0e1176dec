"""`manage.py fill_synthetic --claims 1000000 --documents 100000`: a synthetic corpus for the benchmarks."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.synthetic import fill_synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic documents and claims copied and varied from the claims already "
        "extracted (COPY, then ANALYZE). Meant for a benchmark database: it adds a lot of rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1_000_000)
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same corpus.")

    def handle(self, *args, claims: int, documents: int, seed: int, **options) -> None:
        try:
            report = fill_synthetic(claims=claims, documents=documents, seed=seed, log=self.stdout.write)
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        for step, seconds in report.seconds.items():
            self.stdout.write(f"  {step}: {seconds:.1f} s")
        self.stdout.write(
            f"{report.documents:,} documents, {report.claims:,} claims, {report.spans:,} spans in "
            f"{report.total_seconds:.1f} s: {report.rows / report.total_seconds:,.0f} rows/s"
        )
