from evne.api.routers import Router, open_to_tokens
from evne.organization.api import views

router = Router()
router.register("units", views.UnitViewSet, basename="api-unit")
router.register("job-roles", views.JobRoleViewSet, basename="api-job-role")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("employments", views.EmploymentViewSet, basename="api-employment")

urlpatterns = open_to_tokens(router.urls)
