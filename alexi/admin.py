"""The Django admin, kept for superusers only (a programme administrator whose account was
made a superuser on the server): everyone else edits the programme's structure on Alexi's own
pages (alexi/views/structure.py), which are tested for accessibility like the rest.

Case records are never registered here, and nobody attaches workers or managers here.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from alexi.access import role_of
from alexi.models import (
    Funder,
    Hub,
    HubManagement,
    LocalAuthority,
    Role,
    Spoke,
    WorkerProfile,
)


class AlexiAdminSite(admin.AdminSite):
    site_header = "Alexi reference data"
    site_title = "Alexi reference data"
    index_title = "Reference data"
    site_url = "/"

    def has_permission(self, request) -> bool:
        return is_superuser(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        gate.__dict__.update(inner.__dict__)
        return gate


def is_superuser(request) -> bool:
    """A fully signed-in programme administrator whose account is a superuser."""
    user = request.user
    return role_of(user) == Role.PROGRAMME_ADMIN and bool(user.is_superuser)


site = AlexiAdminSite(name="admin")


class NoUserLinks:
    """Pick people by name without the admin's add/change/view links to the user model, which
    has no admin pages (people are managed on the People pages)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

        from alexi.models import User

        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            formfield is not None
            and isinstance(formfield.widget, RelatedFieldWidgetWrapper)
            and db_field.related_model is User
        ):
            formfield.widget = formfield.widget.widget
        return formfield


class ProgrammeAdmin(NoUserLinks, SimpleHistoryAdmin):
    """Programme administrators may manage everything registered here; nobody else may."""

    def _allowed(self, request) -> bool:
        return is_superuser(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(LocalAuthority, site=site)
class LocalAuthorityAdmin(ProgrammeAdmin):
    list_display = ["name", "gss_code", "kind", "region", "end_date"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "gss_code"]


@admin.register(Funder, site=site)
class FunderAdmin(ProgrammeAdmin):
    list_display = ["name", "ref"]
    search_fields = ["name", "ref"]


class HubManagementInline(NoUserLinks, admin.TabularInline):
    """Shown, never edited here: managing a hub reaches its children's records, so it is
    granted only when the hub's managers confirm it (alexi.grants, Requests for access)."""

    model = HubManagement
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hub, site=site)
class HubAdmin(ProgrammeAdmin):
    list_display = ["name", "ref"]
    search_fields = ["name", "ref"]
    filter_horizontal = ["home_las", "funders"]
    inlines = [HubManagementInline]

    def has_delete_permission(self, request, obj=None):
        return False  # hubs end; they are not deleted (history and figures depend on them)


@admin.register(Spoke, site=site)
class SpokeAdmin(ProgrammeAdmin):
    list_display = ["ref", "hub", "local_authority", "model", "start_date", "end_date"]
    list_filter = ["hub", "model"]
    search_fields = ["ref", "local_authority__name", "host_agency"]
    autocomplete_fields = ["local_authority"]
    list_select_related = ["hub", "local_authority"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a spoke would hand its cases to another hub with nobody there confirming.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "hub"] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkerProfile, site=site)
class WorkerProfileAdmin(ProgrammeAdmin):
    list_display = ["user", "spoke", "fte", "years_experience"]
    list_select_related = ["user", "spoke__hub", "spoke__local_authority"]
    search_fields = ["user__full_name", "user__email"]

    # Attaching a worker to a spoke reaches records: only through a confirmed request.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _UserSearch(admin.ModelAdmin):
    """Registered only so hub management can pick managers by name; edits go through People."""

    search_fields = ["full_name", "email"]

    def get_urls(self):
        return []  # no list or change pages (they would show password hashes); search only

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _register_user_search():
    from alexi.models import User

    site.register(User, _UserSearch)


_register_user_search()
