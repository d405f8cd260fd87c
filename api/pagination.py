"""Page numbers as the schema describes them: a whole number from 1; anything else is a 400, not a 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

LAST_PAGE = 2**31 - 1
PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1, "maximum": LAST_PAGE},
    description="Page number, from 1 (50 per page); a page past the last one is a 404.",
)


class Pages(PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LAST_PAGE):
            raise exceptions.ValidationError({self.page_query_param: [_("Enter a page number from 1.")]})
        return int(raw)
