"""Course levels: one vocabulary for the course page's field and the catalogue's filter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
