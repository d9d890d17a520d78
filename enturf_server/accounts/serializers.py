from rest_framework import serializers

from enturf_server.accounts.models import SiteSettings, User
from enturf_server.accounts.roles import ROLE_CHOICES


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "is_active"]
        read_only_fields = fields


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
    user = UserSerializer()
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
