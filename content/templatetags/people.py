"""Template filter for the one rule on showing a person's profile details (organisation and country).

`{% if person|details_visible_to:user %}` asks the user model (`details_visible_to`), so every page
and list applies the same rule, and a list pays no query per person: the rule reads the person's row.
"""

from django import template

register = template.Library()


@register.filter
def details_visible_to(person, viewer) -> bool:
    """Whether `viewer` may see `person`'s organisation and country; no person, nothing to show."""
    return person is not None and person.details_visible_to(viewer)
