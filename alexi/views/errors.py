"""Error pages with plain words and the right status codes."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(
        request,
        "errors/csrf.html",
        {"title": "This form has expired"},
        status=403,
    )


def bad_request(request, exception=None):
    return render(
        request, "errors/400.html", {"title": "Something in the request was not right"}, status=400
    )


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from alexi.audit import record_access
        from alexi.models import AccessAction

        record_access(request, AccessAction.REFUSED)
    return render(
        request, "errors/403.html", {"title": "You do not have access to this page"}, status=403
    )


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"title": "Page not found"}, status=404)


def server_error(request):
    return render(request, "errors/500.html", {"title": "Sorry, something went wrong"}, status=500)
