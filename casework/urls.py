from django.urls import path, re_path

from casework import views
from casework.views import reminders

app_name = "casework"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("hub/cases/", views.hub_cases, name="hub_cases"),
    path("hub/cases/new/", views.case_new, name="case_new"),
    path("hub/emergency-access/", views.break_glass, name="break_glass"),
    path("hub/transfers/<int:transfer_id>/", views.transfer_decide, name="transfer_decide"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/sessions/new/", views.session_form, name="session_new"),
    path("cases/<int:case_id>/sessions/<int:session_id>/", views.session_form, name="session_edit"),
    path("cases/<int:case_id>/assessments/new/", views.assessment_form, name="assessment_new"),
    path(
        "cases/<int:case_id>/assessments/<int:assessment_id>/",
        views.assessment_form,
        name="assessment_edit",
    ),
    path(
        "cases/<int:case_id>/assessments/preview/",
        views.assessment_preview,
        name="assessment_preview",
    ),
    path(
        "cases/<int:case_id>/information-shared/new/",
        views.information_share_new,
        name="information_share_new",
    ),
    path(
        "cases/<int:case_id>/agency-contacts/new/",
        views.agency_contact_new,
        name="agency_contact_new",
    ),
    path("cases/<int:case_id>/close/", views.closure_request, name="closure_request"),
    re_path(
        r"^cases/(?P<case_id>[0-9]+)/closure/(?P<decision>approve|return)/$",
        views.closure_decide,
        name="closure_decide",
    ),
    path("cases/<int:case_id>/allocate/", views.allocate, name="allocate"),
    re_path(
        r"^cases/(?P<case_id>[0-9]+)/(?P<action>pause|resume)/$",
        views.case_status,
        name="case_status",
    ),
    path("cases/<int:case_id>/share/", views.share_new, name="share_new"),
    path("cases/<int:case_id>/shares/<int:share_id>/end/", views.share_revoke, name="share_revoke"),
    path("cases/<int:case_id>/transfer/", views.transfer_new, name="transfer_new"),
    path("cases/<int:case_id>/access-log/", views.case_access_log, name="case_access_log"),
    path("cases/<int:case_id>/young-person/", views.young_person_edit, name="young_person_edit"),
    path("cases/<int:case_id>/print/", views.case_print, name="case_print"),
    path("cases/<int:case_id>/reminders/new/", reminders.reminder_form, name="reminder_new"),
    path(
        "cases/<int:case_id>/reminders/<int:reminder_id>/",
        reminders.reminder_form,
        name="reminder_edit",
    ),
    re_path(
        r"^cases/(?P<case_id>[0-9]+)/reminders/(?P<reminder_id>[0-9]+)/(?P<action>done|undo)/$",
        reminders.reminder_done,
        name="reminder_done",
    ),
    path(
        "cases/<int:case_id>/reminders/<int:reminder_id>/delete/",
        reminders.reminder_delete,
        name="reminder_delete",
    ),
    path("cases/<int:case_id>/chronology/", views.chronology_fragment, name="chronology"),
    path("cases/<int:case_id>/notes/new/", views.note_form, name="note_new"),
    path("cases/<int:case_id>/notes/<int:note_id>/", views.note_form, name="note_edit"),
]
