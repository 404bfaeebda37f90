from django.urls import path  # noqa: F401 - used as the sections fill

from evne.competence.views import catalog, records, requirements  # noqa: F401

# Each part of the competence pages keeps its routes together.
urlpatterns = [
    # Catalog
    # Records
    # Requirements and staffing targets
]
