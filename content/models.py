"""The shared taxonomies (building blocks, digital-team roles) and the record of loaded bundled content."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class BuildingBlock(index.Indexed, models.Model):
    """A GovStack building block, e.g. Identification & Authentication or Payments."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    wave = models.PositiveSmallIntegerField(
        _("wave"), null=True, blank=True, help_text=_("The GovStack specification wave, if any.")
    )
    specification_url = models.URLField(_("specification URL"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("wave"),
        FieldPanel("specification_url"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("summary"), index.FilterField("wave")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("building block")
        verbose_name_plural = _("building blocks")

    def __str__(self) -> str:
        return self.name


class Role(index.Indexed, models.Model):
    """A role in a government digital team, e.g. service designer or solution architect."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    group = models.CharField(_("group"), max_length=100, blank=True, help_text=_("e.g. Technology"))
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("group"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.SearchField("description"), index.FilterField("group")]

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class LoadedContent(models.Model):
    """What `load_content` last wrote for one bundled item, so that editors' later changes are kept.

    The record also points at the object the item became, so a later load finds it whatever an editor
    renamed it to. Records written before it did have no pointer; the next load fills it in.
    """

    key = models.CharField(max_length=255, unique=True, help_text="e.g. 'role:service-designer'")
    source_hash = models.CharField(max_length=64)
    written_hash = models.CharField(max_length=64, help_text="Fingerprint of the fields as loaded.")
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "loaded content record"

    def __str__(self) -> str:
        return self.key
