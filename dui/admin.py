"""Django admin for platform superusers: tenancy and accounts; audit trails are read-only.

Dossiers (usagers, grants) are not registered: they are reached only through the scoped,
audited screens. The habilitation matrix is edited through its own audited screen.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dui.models import (
    AccessLog,
    DocumentClass,
    Essms,
    Habilitation,
    HabilitationChange,
    Membership,
    OrganismeGestionnaire,
    Unit,
    User,
)
from dui.services import habilitations_fill_defaults


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "metier", "essms", "action", "channel", "object_type", "object_id", "usager_id")
    list_filter = ("action", "channel", "essms")
    search_fields = ("username", "object_id", "detail")
    date_hierarchy = "at"
    list_select_related = ("essms",)
    show_full_result_count = False


@admin.register(HabilitationChange)
class HabilitationChangeAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "og", "metier", "document_class", "action", "granted", "changed_by")
    list_filter = ("og", "metier", "action")
    list_select_related = ("og", "document_class", "changed_by")


@admin.register(Habilitation)
class HabilitationAdmin(ReadOnlyAdmin):
    list_display = ("og", "metier", "document_class", "can_read", "can_write", "can_validate")
    list_filter = ("og", "metier", "document_class__tier")
    list_select_related = ("og", "document_class")


@admin.register(DocumentClass)
class DocumentClassAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "tier", "holds_personal_data", "position")
    list_filter = ("tier", "holds_personal_data")
    search_fields = ("code", "label")


class EssmsInline(admin.TabularInline):
    model = Essms
    extra = 0
    fields = ("name", "finess", "kind", "capacity")
    show_change_link = True


@admin.register(OrganismeGestionnaire)
class OrganismeGestionnaireAdmin(admin.ModelAdmin):
    list_display = ("name", "finess_juridique", "created_at")
    search_fields = ("name", "finess_juridique")
    inlines = [EssmsInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            habilitations_fill_defaults(og=obj)

    def has_delete_permission(self, request, obj=None):
        return False


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("name", "is_active")


@admin.register(Essms)
class EssmsAdmin(admin.ModelAdmin):
    list_display = ("name", "finess", "kind", "og", "capacity")
    list_filter = ("kind", "og")
    search_fields = ("name", "finess")
    list_select_related = ("og",)
    inlines = [UnitInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "essms", "is_active")
    list_filter = ("is_active", "essms")
    search_fields = ("name", "essms__name")
    list_select_related = ("essms",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "essms", "metier", "starts_at", "ends_at")
    list_filter = ("metier", "essms")
    search_fields = ("user__username", "user__last_name", "essms__name")
    autocomplete_fields = ("user", "essms")
    list_select_related = ("user", "essms")

    def has_delete_permission(self, request, obj=None):
        # End a membership (ends_at) instead: the access log keeps pointing at it.
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("essms", "metier", "starts_at", "ends_at")
    autocomplete_fields = ("essms",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Profil professionnel", {"fields": ("rpps", "is_partner_system")}),
    )
    list_display = ("username", "last_name", "first_name", "rpps", "is_active", "is_partner_system", "is_staff")
    list_filter = ("is_active", "is_partner_system", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "rpps")
    inlines = [MembershipInline]
