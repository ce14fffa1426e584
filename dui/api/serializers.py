from rest_framework import serializers

from dui.ins import IdentityProof, IdentityStatus, validate_name_trait
from dui.models import IdentityAttribute, Sex, Unit, Usager

NAME_HELP = "Lettres (accents admis), espace, trait d'union et apostrophe (jeu de caractères RNIV)."


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "is_active"]


class UsagerSerializer(serializers.ModelSerializer):
    """A dossier's identity as partners read it: the matricule INS and its OID only when qualified (RNIV)."""

    ins_matricule = serializers.SerializerMethodField(
        help_text="Matricule INS (15 caractères), seulement pour une identité qualifiée ; null sinon."
    )
    ins_oid = serializers.SerializerMethodField(
        help_text="OID du matricule INS, seulement pour une identité qualifiée."
    )
    identity_proof = serializers.ChoiceField(
        choices=IdentityProof.choices, allow_blank=True, read_only=True, help_text="Vide : aucun justificatif contrôlé."
    )

    class Meta:
        model = Usager
        fields = [
            "id",
            "birth_name",
            "first_names",
            "used_name",
            "used_first_name",
            "birth_date",
            "sex",
            "birth_place_code",
            "ins_matricule",
            "ins_oid",
            "identity_status",
            "identity_attribute",
            "identity_proof",
            "insi_retrieved_at",
            "identity_validated_at",
            "archived_at",
            "merged_into",
        ]
        read_only_fields = fields

    def get_ins_matricule(self, usager: Usager) -> str | None:
        return usager.shareable_matricule or None

    def get_ins_oid(self, usager: Usager) -> str | None:
        return usager.ins_oid if usager.shareable_matricule else None


class UsagerWriteSerializer(serializers.Serializer):
    """Input of POST (create) and PATCH (partial update); the service does every identity check."""

    birth_name = serializers.CharField(max_length=100, validators=[validate_name_trait], help_text=NAME_HELP)
    first_names = serializers.CharField(
        max_length=200,
        validators=[validate_name_trait],
        help_text="Prénoms de naissance, séparés par un espace. " + NAME_HELP,
    )
    used_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=[validate_name_trait], help_text=NAME_HELP
    )
    used_first_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=[validate_name_trait], help_text=NAME_HELP
    )
    birth_date = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="AAAA-MM-JJ.")
    sex = serializers.ChoiceField(choices=Sex.choices, help_text="F, M ou I.")
    birth_place_code = serializers.CharField(
        max_length=5,
        required=False,
        allow_blank=True,
        help_text="Code INSEE du lieu de naissance (99xxx à l'étranger).",
    )
    ins_matricule = serializers.CharField(
        max_length=21, required=False, allow_blank=True, help_text="Matricule INS (NIR ou NIA), 15 caractères."
    )
    identity_status = serializers.ChoiceField(
        choices=IdentityStatus.choices,
        required=False,
        help_text="PROV, RECUP, VALI ou QUAL (règles du RNIV : RECUP et QUAL exigent une récupération INSi).",
    )
    identity_attribute = serializers.ChoiceField(choices=IdentityAttribute.choices, required=False, allow_blank=True)
    identity_proof = serializers.ChoiceField(
        choices=IdentityProof.choices,
        required=False,
        allow_blank=True,
        help_text="Justificatif d'identité contrôlé (droit de validation des identités requis).",
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="true pour enregistrer malgré un doublon possible signalé par une réponse 400.",
    )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    essms_finess = serializers.CharField()
    essms_name = serializers.CharField()
    metier = serializers.CharField()
    rpps = serializers.CharField(help_text="Numéro RPPS du professionnel (11 chiffres) ; vide s'il n'en a pas.")
