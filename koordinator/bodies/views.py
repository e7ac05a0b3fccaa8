"""Pages for bodies and their composition. Each view: fetch and authorize through the access
helper, validate, call one service, respond (a redirect, or a partial for htmx)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koordinator.bodies import permissions, selectors, services
from koordinator.bodies.forms import (
    BodySettingsForm,
    CompositionImportForm,
    MembershipAddForm,
    MembershipEditForm,
    MembershipEndForm,
    OrganizationForm,
)
from koordinator.bodies.imports import COLUMNS, import_composition, sample_workbook
from koordinator.core import audit
from koordinator.core.access import require
from koordinator.core.forms import add_service_error
from koordinator.core.http import authenticated_user, is_htmx
from koordinator.core.links import link_by_id
from koordinator.core.models import AuditRecord
from koordinator.core.rows import render_rows
from koordinator.documents.composition import composition_filename, render_composition_docx
from koordinator.documents.responses import DOCX, XLSX, file_response, safe_filename


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(raw) if raw else selectors.today()
    except ValueError:
        messages.error(request, f"Дата «{raw}» не распознана; показан состав на сегодня.")
        return selectors.today()


@login_required
@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    return render(request, "bodies/body_list.html", {"bodies": selectors.bodies_for_list(user)})


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk)
    day = _day(request)
    can_manage = permissions.can_manage_body(user, body)
    child_link = link_by_id("bodies:detail")
    members = selectors.composition_rows(body, day, can_manage=can_manage)
    context = {
        "body": body,
        "day": day,
        "members": members,
        "members_html": render_rows(
            "bodies/composition_rows.html", members, can_manage=can_manage, day=f"{day:%d.%m.%Y}"
        ),
        "can_manage": can_manage,
        "can_see_history": permissions.can_see_history(user, body),
        "children": [
            {**child, "url": child_link(child["pk"])} for child in selectors.active_children(body)
        ],
    }
    if is_htmx(request):
        return render(request, "bodies/body_detail.html#composition", context)
    return render(request, "bodies/body_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def body_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk, for_change=True)
    form = BodySettingsForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ground = data.pop("ground", "")
        try:
            services.body_update(actor=user, body=body, ground=ground, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Настройки органа сохранены.")
            return redirect("bodies:detail", pk=body.pk)
    return render(request, "bodies/body_settings.html", {"body": body, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk, for_change=True)
    form = MembershipAddForm(request.POST or None, initial={"starts_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add_person(
                actor=user,
                body=body,
                person_fields={
                    k: data[k] for k in ("last_name", "first_name", "patronymic", "gender", "email")
                },
                organization=data["organization"],
                post_title=data["post_title"],
                roles=data["roles"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by_agreement=data["by_agreement"],
                ground=data["ground"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{membership.person.full_name} включён(а) в состав.")
            return redirect("bodies:detail", pk=body.pk)
    return render(
        request,
        "bodies/membership_form.html",
        {"body": body, "form": form, "title": "Включить в состав"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    membership = permissions.get_membership(user, pk, for_change=True)
    body = membership.post.body
    form = MembershipEditForm(
        request.POST or None,
        initial={
            "roles": membership.roles,
            "by_agreement": membership.by_agreement,
            "starts_on": membership.starts_on,
            "ends_on": membership.ends_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ground = data.pop("ground")
        try:
            services.membership_update(actor=user, membership=membership, ground=ground, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Изменения в составе сохранены.")
            return redirect("bodies:detail", pk=body.pk)
    return render(
        request,
        "bodies/membership_form.html",
        {
            "body": body,
            "form": form,
            "membership": membership,
            "title": f"Изменить: {membership.person.full_name}",
            # The last day in the composition: yesterday, so the member is gone from today's list.
            "end_form": MembershipEndForm(
                initial={"ends_on": selectors.today() - dt.timedelta(days=1)}
            ),
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    membership = permissions.get_membership(user, pk, for_change=True)
    body = membership.post.body
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=user,
                membership=membership,
                ends_on=form.cleaned_data["ends_on"],
                ground=form.cleaned_data["ground"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{membership.person.full_name} выведен(а) из состава.")
            return redirect("bodies:detail", pk=body.pk)
    return render(
        request,
        "bodies/membership_form.html",
        {
            "body": body,
            "membership": membership,
            "form": None,
            "end_form": form,
            "title": f"Вывести из состава: {membership.person.full_name}",
        },
        status=400,
    )


@login_required
@require_GET
def body_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body_for_history(user, pk)
    records = audit.with_names(selectors.body_history(body)[:500])
    return render(request, "bodies/body_history.html", {"body": body, "records": records})


def _named_in_chunks(records: QuerySet[AuditRecord], size: int = 500) -> Iterator[AuditRecord]:
    chunk: list[AuditRecord] = []
    for record in records.iterator(chunk_size=size):
        chunk.append(record)
        if len(chunk) == size:
            yield from audit.with_names(chunk)
            chunk = []
    yield from audit.with_names(chunk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def body_history_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body_for_history(user, pk)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff"  # BOM: Excel opens the file as UTF-8
        yield writer.writerow(
            ["Дата и время", "Пользователь", "Действие", "Объект", "Было", "Стало", "Основание"]
        )
        for r in _named_in_chunks(selectors.body_history(body)):
            yield writer.writerow(
                [
                    timezone.localtime(r.created_at).strftime("%d.%m.%Y %H:%M:%S"),
                    str(r.actor) if r.actor else "система",
                    r.action_label,
                    r.target_repr,
                    "" if r.before is None else json.dumps(r.before, ensure_ascii=False),
                    "" if r.after is None else json.dumps(r.after, ensure_ascii=False),
                    r.ground,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="history-body-{body.pk}.csv"'
    return response


# --- organisations ---------------------------------------------------------------------------


@login_required
@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    tree = selectors.organizations_tree(permissions.organizations_visible_to(user))
    return render(
        request,
        "bodies/organization_list.html",
        {"tree": tree, "can_edit": permissions.can_edit_organizations(user)},
    )


@login_required
@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    organization = permissions.get_organization(user, pk)
    return render(
        request,
        "bodies/organization_detail.html",
        {
            "organization": organization,
            "children": organization.children.order_by("name"),
            "bodies": organization.bodies.filter(
                pk__in=selectors.bodies_for_list(user).values("pk")
            ),
            "can_edit": permissions.can_edit_organizations(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = authenticated_user(request)
    organization = None
    if pk is None:
        require(permissions.can_edit_organizations(user), "Справочник организаций ведёт секретарь.")
    else:
        organization = permissions.get_organization(user, pk, for_change=True)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            if organization is None:
                organization = services.organization_create(actor=user, **form.cleaned_data)
            else:
                organization = services.organization_update(
                    actor=user, organization=organization, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Организация сохранена.")
            return redirect("bodies:organization", pk=organization.pk)
    return render(
        request, "bodies/organization_form.html", {"form": form, "organization": organization}
    )


# --- composition documents (DOCX out, XLSX in) -----------------------------------------------


@login_required
@require_GET
def composition_docx(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk)
    raw = request.GET.get("on", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else selectors.today()
    except ValueError:
        # Unlike the page, a document must not quietly show another date than the one asked.
        return HttpResponseBadRequest(
            f"Дата «{raw}» не распознана: укажите её в виде ГГГГ-ММ-ДД.",
            content_type="text/plain; charset=utf-8",
        )
    filename, fallback = composition_filename(body, day)
    return file_response(
        render_composition_docx(body, day),
        content_type=DOCX,
        filename=filename,
        ascii_fallback=fallback,
    )


@login_required
@require_http_methods(["GET", "POST"])
def composition_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk, for_change=True)
    form = CompositionImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"starts_on": selectors.today()},
    )
    form.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX
    if request.method == "POST" and form.is_valid():
        try:
            result = import_composition(
                actor=user,
                body=body,
                file=form.cleaned_data["file"],
                default_starts_on=form.cleaned_data["starts_on"],
                ground=form.cleaned_data["ground"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Загружено членов состава: {result.count}")
            if result.ignored_columns:
                ignored = ", ".join(f"«{c}»" for c in result.ignored_columns)
                messages.warning(request, f"Столбцы не распознаны и пропущены: {ignored}.")
            url = reverse("bodies:detail", kwargs={"pk": body.pk})
            # Members who join later than today are not in today's composition: show the
            # composition on the day the last of them joins, so the secretary sees them all.
            latest = max(m.starts_on for m in result.memberships)
            if latest > selectors.today():
                url += f"?on={latest.isoformat()}"
            return redirect(url)
    return render(
        request,
        "bodies/composition_import.html",
        {"body": body, "form": form, "columns": COLUMNS},
    )


@login_required
@require_GET
def composition_import_sample(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated_user(request)
    body = permissions.get_body(user, pk, for_change=True)
    return file_response(
        sample_workbook(body, selectors.today()),
        content_type=XLSX,
        filename=f"Образец состава {safe_filename(body.short_name or body.name)}.xlsx",
        ascii_fallback=f"composition-sample-{body.pk}.xlsx",
    )
