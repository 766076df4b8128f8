"""Validators for data Chinese customers give us."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mobile: 11 digits starting 13–19. Landline: area code 0xx/0xxx, optional dash, 7–8 digits,
# optional extension. Spaces and dashes typed by the hotline are tolerated.
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
_SERVICE = re.compile(r"^(?:400|800)-?\d{3}-?\d{4}$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "")


def validate_phone(value: str) -> None:
    phone = normalise_phone(value)
    if not (_MOBILE.match(phone.replace("-", "")) or _LANDLINE.match(phone) or _SERVICE.match(phone)):
        raise ValidationError(
            _("Enter a mobile number (11 digits starting with 1) or a landline with area code, e.g. 010-12345678."),
            code="invalid_phone",
        )
