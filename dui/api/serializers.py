from rest_framework import serializers

from dui.models import Unit, Usager


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "is_active"]


class UsagerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Usager
        fields = ["id", "birth_name", "first_names", "used_name", "used_first_name", "birth_date", "sex"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    essms_finess = serializers.CharField()
    essms_name = serializers.CharField()
    metier = serializers.CharField()
