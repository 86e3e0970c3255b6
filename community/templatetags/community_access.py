"""`{% can "edit" post as may_edit %}`: templates ask community.policy, never re-derive a rule.

The request's policy is used (the view's `policy` in the context, or the one made for the request), so a
page asks each question of the database at most once.
"""

from django import template

from ..policy import policy_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj) -> bool:
    """Whether the person viewing may do `action` (see community.policy.ACTIONS) to `obj`."""
    policy = context.get("policy") or policy_for(context["request"])
    return policy.allows(action, obj)
