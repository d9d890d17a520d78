from rest_framework import serializers

from enturf_core.staff_rights import ROLE_LABELS, Right, StaffRole
from enturf_server.accounts.models import RoleGrant, SiteSettings, User
from enturf_server.accounts.rights import grant_of, grant_of_role, refund_limit_cents
from enturf_server.accounts.roles import ROLE_CHOICES
from enturf_server.api.inputs import MAX_INT


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "is_active"]
        read_only_fields = fields


class SessionUserSerializer(UserSerializer):
    """The logged-in user (login answer, `/auth/me/`) with what their role may do."""

    rights = serializers.SerializerMethodField(help_text="the role's rights, sorted")
    refund_limit_cents = serializers.SerializerMethodField(
        help_text="most the user refunds per booking without an approval; null: no cap"
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "rights", "refund_limit_cents"]
        read_only_fields = fields

    def get_rights(self, user) -> list[str]:
        grant = grant_of(user)
        return sorted(r.value for r in grant.rights) if grant else []

    def get_refund_limit_cents(self, user) -> int | None:
        return refund_limit_cents(user)


class LoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginDeviceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    duty = serializers.CharField(help_text="counter or door: which window the device opens")


class LoginOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    user = SessionUserSerializer()
    device = LoginDeviceOutput(required=False, help_text="a counter's login: its device")


class RegisterInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, default="")
    last_name = serializers.CharField(max_length=150, required=False, default="")


class StaffCreateInput(RegisterInput):
    email = serializers.EmailField(required=False, default="")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class StaffUpdateInput(serializers.Serializer):
    email = serializers.EmailField(required=False)
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    is_active = serializers.BooleanField(required=False)
    password = serializers.CharField(max_length=128, required=False, trim_whitespace=False)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)


class SiteSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteSettings
        exclude = ["id"]
        read_only_fields = ["updated_at"]


class PasswordResetInput(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RoleGrantOutput(serializers.ModelSerializer):
    """A staff role's grant as stored (the admin's: every right, locked)."""

    label = serializers.SerializerMethodField()
    rights = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()

    class Meta:
        model = RoleGrant
        fields = [
            "role",
            "label",
            "rights",
            "refund_limit_cents",
            "locked",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_label(self, row) -> str:
        return ROLE_LABELS[StaffRole(row.role)]

    def get_rights(self, row) -> list[str]:
        return sorted(r.value for r in grant_of_role(StaffRole(row.role)).rights)

    def get_locked(self, row) -> bool:
        return row.role == StaffRole.ADMIN.value


class RoleGrantInput(serializers.Serializer):
    rights = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=len(Right) * 2,
        help_text="Right values (docs/staff-and-rights.md)",
    )
    refund_limit_cents = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_INT
    )
