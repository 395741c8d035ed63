from django.contrib import admin

from .models import CodeAlias, ImportRun


@admin.register(CodeAlias)
class CodeAliasAdmin(admin.ModelAdmin):
    """Codes as other files write them. Imports match these and the codes, ignoring case and spacing."""

    list_display = ["alias", "indicator"]
    list_select_related = ["indicator"]
    search_fields = ["alias", "indicator__code", "indicator__title"]
    autocomplete_fields = ["indicator"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "status", "rows_total", "created_at", "applied_at"]
    list_filter = ["kind", "status"]
    exclude = ["data"]
    readonly_fields = [
        "kind",
        "status",
        "user",
        "filename",
        "rows_total",
        "rows_checked",
        "result",
        "message",
        "created_at",
        "applied_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
