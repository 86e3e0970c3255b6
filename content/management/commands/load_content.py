"""`manage.py load_content`: load or update the bundled curriculum from content/library/."""

from django.core.management.base import BaseCommand

from content.loading import load_all, registered_loaders


class Command(BaseCommand):
    help = "Load the bundled curriculum. Idempotent; keeps editors' later changes unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Overwrite items editors have changed.")
        parser.add_argument(
            "--only",
            action="append",
            choices=[loader.name for loader in registered_loaders()],
            help="Load only this part (may be repeated).",
        )

    def handle(self, *args, force: bool = False, only: list[str] | None = None, **options):
        report = load_all(force=force, only=only)
        verbosity = options["verbosity"]
        for label, keys in (("created", report.created), ("updated", report.updated), ("kept", report.kept)):
            if verbosity >= 2 or (label == "kept" and keys):
                for key in keys:
                    self.stdout.write(f"  {label}: {key}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Bundled content: {report.summary()}."))
        if report.kept and not force:
            self.stdout.write(
                "Items changed or removed by editors were left alone; --force restores the bundled versions."
            )
