from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=2&page_size=200`; the page size has a ceiling so no request reads everything."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = settings.EVNE_API_MAX_PAGE_SIZE
