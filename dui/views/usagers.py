"""Dossier list and identity page: reads go through the selectors and are audited."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from dui import audit, selectors
from dui.models import AccessAction


@login_required
def usager_list(request):
    usagers = selectors.usagers_for_user(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        usagers = usagers.filter(
            Q(birth_name__icontains=query) | Q(used_name__icontains=query) | Q(first_names__icontains=query)
        )
    page = Paginator(usagers, 50).get_page(request.GET.get("page"))
    audit.log_reads(request.user, page.object_list, detail="liste des dossiers", ip=audit.client_ip(request))
    return render(request, "dui/usagers/list.html", {"page": page, "query": query})


@login_required
def usager_detail(request, pk: int):
    usager = selectors.access_usager(user=request.user, pk=pk)
    audit.log_access(request.user, AccessAction.READ, usager, ip=audit.client_ip(request))
    return render(request, "dui/usagers/detail.html", {"usager": usager})
