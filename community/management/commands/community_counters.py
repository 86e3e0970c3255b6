"""`manage.py community_counters [--fix]`: compare the stored counters with the rows, and set them right."""

from django.core.management.base import BaseCommand, CommandError

from community.counters import drift, recount


class Command(BaseCommand):
    help = (
        "List every community counter or pointer (member, thread, reply and helpful counts, accepted "
        "answer, last post) that disagrees with the rows; with --fix, set them all from the rows."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="recount everything from the rows")

    def handle(self, *args, fix: bool = False, **options) -> None:
        found = drift()
        for item in found:
            self.stdout.write(str(item))
        if fix:
            recount()
            left = drift()
            if left:
                raise CommandError(f"{len(left)} counters still disagree after the recount")
            self.stdout.write(f"{len(found)} counters set right")
        elif found:
            raise CommandError(f"{len(found)} counters disagree with the rows; run with --fix to set them")
        else:
            self.stdout.write("All counters agree with the rows")
