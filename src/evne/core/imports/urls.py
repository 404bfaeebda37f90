from django.urls import path

from evne.core.imports import views

urlpatterns = [
    path("", views.import_list, name="imports"),
    path("upload/", views.upload, name="import_upload"),
    path("confirm/", views.confirm, name="import_confirm"),
    path("<int:pk>/", views.batch_detail, name="import_batch"),
    path("<int:pk>/file/", views.batch_file, name="import_batch_file"),
    path("export/<slug:kind>.<slug:file_format>", views.export, name="export"),
]
