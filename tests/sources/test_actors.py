import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from sources.actors import ActorResolver, SpeakerName, alias_key, is_named, load_seed_actors
from sources.merging import actor_merge
from sources.models import Actor, ActorAlias


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ISIS-K", "ISIS K"),
        ("IS-K", "IS K"),
        ("U.S.", "US"),
        ("us", "us"),
        ("the United States", "united states"),
        ("Russia’s Federal Security Service", "russia federal security service"),
        ("François Hollande", "francois hollande"),
    ],
)
def test_alias_keys_ignore_case_punctuation_accents_and_articles_but_keep_acronyms(text, key):
    assert alias_key(text) == key


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("the Forum for Free Russia", True),
        ("FSB", True),
        ("Kira Yarmysh", True),
        ("analysts", False),
        ("Russian investigators", False),
        ("a former resident of Mariupol", False),
        ("An aide to Putin", False),
        ("some experts", False),
        ("It", False),
        ("They", False),
    ],
)
def test_only_proper_names_count_as_named_speakers(text, named):
    assert is_named(text) is named


def test_a_speaker_phrase_splits_into_name_and_affiliation():
    assert SpeakerName.parse(
        "Alisher Ilkhamov, head of Central Asia Due Diligence, a think tank in London"
    ) == (SpeakerName("Alisher Ilkhamov", "head of Central Asia Due Diligence, a think tank in London"))


@pytest.mark.django_db
class TestResolver:
    @pytest.fixture(autouse=True)
    def seed_actors(self):
        load_seed_actors()

    @pytest.mark.parametrize(
        "speaker",
        ["ISIS-K", "ISKP", "IS-K", "Islamic State Khorasan Province", "Islamic State in Khorasan Province"],
    )
    def test_isis_k_variants_are_one_actor_a_branch_of_islamic_state(self, speaker):
        actor = ActorResolver().resolve(speaker)
        assert actor.name == "Islamic State Khorasan Province"
        assert actor.part_of.name == "Islamic State"

    @pytest.mark.parametrize(
        "speaker",
        ["Putin", "Vladimir Putin", "Russian President Vladimir Putin", "the Russian president", "Mr Putin"],
    )
    def test_putin_variants_are_one_actor(self, speaker):
        assert ActorResolver().resolve(speaker).short_name == "Putin"

    @pytest.mark.parametrize("speaker", ["the US", "U.S.", "the United States", "Washington"])
    def test_us_variants_are_the_us_government(self, speaker):
        assert ActorResolver().resolve(speaker).name == "United States government"

    def test_names_a_phrase_introduces_are_found(self):
        resolver = ActorResolver()
        afghan_arm = "The Afghan arm of ISIL/ISIS – known as the Islamic State in Khorasan Province or ISIS-K"
        assert resolver.resolve(afghan_arm, create=False).short_name == "ISIS-K"
        assert (
            resolver.resolve("Russia’s Federal Security Service, better known as the FSB").short_name == "FSB"
        )

    def test_a_place_in_a_modifier_is_not_the_speaker(self):
        assert ActorResolver().resolve_speaker(written="the country’s mission in Moscow") is None

    def test_a_description_with_a_name_at_its_head_creates_that_person(self):
        actor = ActorResolver().resolve_speaker(
            written="Politician Alexander Khinstein", name="Alexander Khinstein"
        )
        assert (actor.name, actor.affiliation) == ("Alexander Khinstein", "Politician")

    def test_a_capitalised_description_without_a_name_creates_nobody(self):
        count = Actor.objects.count()
        assert ActorResolver().resolve_speaker(written="Investigators") is None
        assert Actor.objects.count() == count

    def test_the_pronoun_us_is_not_the_united_states(self):
        assert ActorResolver().resolve("us") is None

    def test_fsb_and_its_long_name_are_one_actor(self):
        resolver = ActorResolver()
        assert resolver.resolve("FSB") == resolver.resolve("Russia’s Federal Security Service")

    def test_a_new_person_is_created_with_affiliation_and_found_again_by_surname(self):
        resolver = ActorResolver()
        actor = resolver.resolve("Alisher Ilkhamov, head of Central Asia Due Diligence")
        assert (actor.name, actor.kind, actor.affiliation) == (
            "Alisher Ilkhamov",
            Actor.Kind.PERSON,
            "head of Central Asia Due Diligence",
        )
        assert ActorResolver().resolve("Ilkhamov") == actor

    def test_spelling_variants_match_fuzzily(self):
        assert ActorResolver().resolve("Islamic State Khorasan Provence").short_name == "ISIS-K"

    def test_generic_descriptions_get_no_actor(self):
        count = Actor.objects.count()
        assert ActorResolver().resolve("Russian investigators") is None
        assert Actor.objects.count() == count

    def test_a_named_speaker_wins_over_the_antecedent_guess(self):
        actor = ActorResolver().resolve_speaker(written="the FSB", antecedent="Vladimir Putin")
        assert actor.short_name == "FSB"

    def test_pronouns_and_definite_descriptions_take_their_antecedent(self):
        resolver = ActorResolver()
        assert resolver.resolve_speaker(written="he", antecedent="Vladimir Putin").short_name == "Putin"
        assert resolver.resolve_speaker(written="the group", antecedent="ISKP").short_name == "ISIS-K"

    def test_indefinite_descriptions_introduce_someone_new_and_get_no_actor(self):
        assert ActorResolver().resolve_speaker(written="a Ukrainian think tank", antecedent="The UK") is None

    def test_an_alias_typed_by_an_editor_gets_its_key_and_cannot_name_two_actors(self):
        putin = Actor.objects.get(name="Vladimir Putin")
        alias = ActorAlias(actor=putin, alias="V. V. Putin")
        alias.full_clean()
        assert alias.key == "v v putin"
        taken = ActorAlias(actor=putin, alias="the F.S.B.")
        with pytest.raises(ValidationError, match="already names Federal Security Service"):
            taken.full_clean()

    def test_loading_the_seed_list_twice_changes_nothing(self):
        count = Actor.objects.count()
        assert load_seed_actors() == 0
        assert Actor.objects.count() == count

    def test_a_merged_actor_is_never_returned_for_new_claims(self):
        editor = User.objects.create_user("eddie")
        # A name only the merged actor has (no alias), and a resolver that cached the alias table before.
        nameless = Actor.objects.create(name="Wilayah Khorasan Media", kind=Actor.Kind.MEDIA)
        stale = ActorResolver()
        amaq = Actor.objects.get(name="Amaq News Agency")
        actor_merge(actor=nameless, into=amaq, by=editor)
        actor_merge(actor=Actor.objects.get(name="Islamic State Khorasan Province"), into=amaq, by=editor)

        assert ActorResolver().resolve("Wilayah Khorasan Media") == amaq
        assert stale.resolve("ISKP") == amaq
        assert ActorResolver().resolve("ISKP") == amaq
        assert Actor.objects.filter(name__iexact="Wilayah Khorasan Media").count() == 1
