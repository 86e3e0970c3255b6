"""Demo data for `seed_demo`: playbook progress for the synthetic users, people working through in order."""

from content.seeding import SeedContext

from .models import Deliverable, DeliverableCompletion, PlaybookPage, PlaybookStepPage, StepCompletion


def seed_playbook_progress(context: SeedContext) -> str:
    """Each demo user has ticked off a random share of the deliverables, from the start of the path."""
    playbook = PlaybookPage.objects.live().first()
    if playbook is None or not context.users:
        return "no playbook loaded (run load_content) or no users: nothing added"
    deliverables = list(
        Deliverable.objects.in_playbook(playbook)
        .order_by("page__path", "sort_order")
        .values_list("pk", "page_id")
    )
    steps = list(
        PlaybookStepPage.objects.descendant_of(playbook).live().order_by("path").values_list("pk", flat=True)
    )
    done_rows, step_rows = [], []
    for user in context.users:
        share = context.rng.choice([0, 0, 0.1, 0.25, 0.5, 0.8, 1.0])
        reached = deliverables[: int(len(deliverables) * share)]
        done_rows += [DeliverableCompletion(user=user, deliverable_id=pk) for pk, _page in reached]
        finished_pages = {page for _pk, page in reached}
        step_rows += [StepCompletion(user=user, step_id=pk) for pk in steps if pk in finished_pages]
    DeliverableCompletion.objects.bulk_create(done_rows, batch_size=1000, ignore_conflicts=True)
    StepCompletion.objects.bulk_create(step_rows, batch_size=1000, ignore_conflicts=True)
    return (
        f"{len(done_rows)} deliverables and {len(step_rows)} steps marked done for {len(context.users)} users"
    )
