import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sources.actors import ActorResolver, Speaker, SpeakerName, alias_key, is_named, load_seed_actors
from sources.merging import actor_merge
from sources.models import Actor, ActorAlias, Outlet


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


@pytest.mark.django_db
class TestResolvingABatch:
    def test_a_new_person_is_found_by_surname_later_in_the_same_batch(self):
        first, again, by_surname = ActorResolver().resolve_speakers(
            [
                Speaker("Alisher Ilkhamov, head of Central Asia Due Diligence", "Alisher Ilkhamov"),
                Speaker("Alisher Ilkhamov", "Alisher Ilkhamov"),
                Speaker("Ilkhamov", "Ilkhamov"),
            ]
        )
        assert first == again == by_surname
        assert (first.name, first.affiliation) == ("Alisher Ilkhamov", "head of Central Asia Due Diligence")
        assert set(first.aliases.values_list("key", flat=True)) == {"alisher ilkhamov", "ilkhamov"}

    def test_names_differing_only_in_case_are_one_new_actor(self):
        upper, lower = ActorResolver().resolve_speakers([Speaker("ABCX", "ABCX"), Speaker("Abcx", "Abcx")])
        assert upper == lower
        assert Actor.objects.filter(name__iexact="abcx").count() == 1
        assert set(upper.aliases.values_list("key", flat=True)) == {"ABCX", "abcx"}

    def test_an_actor_created_meanwhile_by_another_resolver_is_used_not_doubled(self):
        stale = ActorResolver()  # loaded its alias table before Jane Roe existed
        other = ActorResolver().resolve("Jane Roe")
        assert stale.resolve_speakers([Speaker("Jane Roe", "Jane Roe"), Speaker("Roe", "Roe")]) == [
            other,
            other,
        ]
        assert Actor.objects.filter(name__iexact="Jane Roe").count() == 1
        assert ActorAlias.objects.filter(key__in=["jane roe", "roe"], actor=other).count() == 2

    def test_a_speaker_named_like_an_outlet_is_media_and_outlets_are_asked_once(self):
        Outlet.objects.create(name="Daily Example", aliases=["dex"])
        resolver = ActorResolver()
        with CaptureQueriesContext(connection) as queries:
            outlet, by_alias, person = resolver.resolve_speakers(
                [Speaker(name, name) for name in ("Daily Example", "DEX", "Jane Roe")]
            )
        assert [outlet.kind, by_alias.kind, person.kind] == ["media", "media", "person"]
        assert sum("sources_outlet" in query["sql"] for query in queries.captured_queries) == 1

    def test_new_actors_cost_the_same_queries_however_many(self, django_assert_max_num_queries):
        with CaptureQueriesContext(connection) as one:
            ActorResolver().resolve_speakers([Speaker("Jane Roe", "Jane Roe")])
        many = [
            Speaker(f"{first} {last}", f"{first} {last}") for first, last in zip(FIRSTS, LASTS, strict=True)
        ]
        resolver = ActorResolver()
        with django_assert_max_num_queries(len(one.captured_queries) - 1):  # the alias table is loaded once
            actors = resolver.resolve_speakers(many)
        assert len({actor.pk for actor in actors}) == len(many)


FIRSTS = "Alma Boris Carla Dmitri Edith Farid Greta Hamid".split()
LASTS = "Pollard Ketchum Mendes Orlov Quayle Rasmussen Szabo Tanaka".split()


@pytest.mark.django_db(transaction=True)
def test_two_workers_creating_the_same_new_actors_at_once_create_each_once():
    """The same new speakers in opposite orders, in two transactions held open together: the sorted inserts
    make the second wait for the first (no deadlock), then use its actors."""
    names = ["Jane Roe", "John Doe", "Mary Major", "Richard Miles"]
    barrier = threading.Barrier(2)
    found: dict[str, list[int]] = {}
    failures: list[BaseException] = []

    def worker(label: str, order: list[str]) -> None:
        try:
            resolver = ActorResolver()
            barrier.wait(timeout=10)
            with transaction.atomic():
                actors = resolver.resolve_speakers([Speaker(name, name) for name in order])
                time.sleep(0.3)  # hold the new rows so the other worker runs into them
            found[label] = [actor.pk for actor in actors]
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=("forward", names)),
        threading.Thread(target=worker, args=("backward", names[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    assert found["forward"] == found["backward"][::-1]
    assert Actor.objects.filter(name__in=names).count() == len(names)
    assert ActorAlias.objects.filter(actor__name__in=names).count() == 2 * len(names)
