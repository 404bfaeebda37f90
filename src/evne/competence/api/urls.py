from evne.api.routers import Router, open_to_tokens
from evne.competence.api import views

router = Router()
router.register("competence-areas", views.AreaViewSet, basename="api-competence-area")
router.register("scales", views.ScaleViewSet, basename="api-scale")
router.register("competences", views.CompetenceViewSet, basename="api-competence")
router.register("records", views.RecordViewSet, basename="api-record")
router.register("requirements", views.RequirementViewSet, basename="api-requirement")
router.register("staffing-targets", views.StaffingTargetViewSet, basename="api-staffing-target")

urlpatterns = open_to_tokens(router.urls)
