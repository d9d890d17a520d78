"""Django admin pieces every app's admin may use."""


class ReadOnlyAdminMixin:
    """An admin (or inline) that shows rows but never adds, changes or deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
