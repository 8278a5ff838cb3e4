"""Choice sets shared by several apps, so that the API and documents speak one vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Civility(models.TextChoices):
    MR = "M", _("Mr")
    MRS = "MME", _("Mrs")
