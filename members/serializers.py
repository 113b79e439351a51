"""What the public API tells about a member.

Public fields only, the same for every caller: the profile, its project and expertise. Never the
contact person's email or phone, never the owner: the API is open data, and contacts follow the
owner's per-field choices on the profile page instead (``members.privacy``).
"""

from rest_framework import serializers

from .models import PROJECT_FIELDS, CoreGroupRole, Member
from .regions import Region


class _BlankAsNull:
    """An empty value is served as null: "" is neither a URI nor one of the choices."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class OptionalURLField(_BlankAsNull, serializers.URLField):
    pass


class OptionalChoiceField(_BlankAsNull, serializers.ChoiceField):
    pass


class CoreGroupRoleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The badge text, translated.")
    category = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The category a SIG lead leads; null for other roles.",
    )
    region = OptionalChoiceField(
        choices=Region.choices,
        read_only=True,
        allow_null=True,
        help_text="The region a regional representative represents; null for other roles.",
    )

    class Meta:
        model = CoreGroupRole
        fields = ["role", "label", "category", "region", "start_date"]


class MemberSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="members:detail")
    type = serializers.ChoiceField(source="member_type", choices=Member.Type.choices)
    country = serializers.CharField(source="country.code", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    languages = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    roles = CoreGroupRoleSerializer(many=True, read_only=True, help_text="Current roles only.")
    project_stage = OptionalChoiceField(
        choices=Member.Stage.choices, read_only=True, allow_null=True, help_text="Null if unsaid."
    )
    website = OptionalURLField(
        read_only=True, allow_null=True, help_text="Null when there is none."
    )

    class Meta:
        model = Member
        # Public by design; keep contact_email, contact_phone and owner out of this list.
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "type",
            "country",
            "country_name",
            "region",
            "languages",
            "categories",
            *PROJECT_FIELDS,
            "is_top_innovator",
            "roles",
        ]
        read_only_fields = fields
