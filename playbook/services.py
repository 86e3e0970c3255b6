"""Playbook rules: marking progress. Facts have unique constraints, so a double submit counts once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Deliverable, DeliverableCompletion, StepCompletion

if TYPE_CHECKING:
    from .models import PlaybookStepPage


def set_deliverable_done(user, deliverable: Deliverable, done: bool) -> bool:
    """Record (or withdraw) that `user` finished `deliverable`; repeating a request changes nothing."""
    if done:
        # get_or_create already settles a race: a concurrent identical request's row is read back.
        DeliverableCompletion.objects.get_or_create(user=user, deliverable=deliverable)
    else:
        DeliverableCompletion.objects.filter(user=user, deliverable=deliverable).delete()
    return done


def set_step_done(user, step: PlaybookStepPage, done: bool) -> bool:
    """Record (or withdraw) that `user` completed `step`; repeating a request changes nothing."""
    if done:
        StepCompletion.objects.get_or_create(user=user, step=step)
    else:
        StepCompletion.objects.filter(user=user, step=step).delete()
    return done
