"""A page for console sections that are not built yet: it says so plainly."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import console_view
from accounts.permissions import Perm


def placeholder(title: str, perm: Perm):
    @require_GET
    @console_view(perm)
    def view(request, *args, **kwargs):
        return render(request, "placeholder.html", {"title": title})

    view.__name__ = "placeholder_" + title.lower().replace(" ", "_")
    return view
