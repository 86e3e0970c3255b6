"""Forms of the playbook's POST routes: ticking a deliverable or a step done (or not)."""

from django import forms


class ProgressForm(forms.Form):
    """One tick box: present and ticked means done; an unticked box sends nothing, which means not done."""

    done = forms.BooleanField(required=False)
