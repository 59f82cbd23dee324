"""Deterministic demo workshop in Fjordvik: an open digital workshop with the roadmap's own two
prompts, notes in several languages from the demo participants, +1s, a few themes made by the
demo editor, and a computed synthesis.

Runs after the participation demo (it uses that demo's participants). Who wrote and +1'd what
is drawn from one seeded generator, so two builds give the same data.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.municipalities.models import Municipality
from roadmap.participation.demo import demo_data as participation_data
from roadmap.participation.models import Audience, Phase, Process

from . import services
from .models import Note, NoteVote

SEED = 20261201
PROCESS_SLUG = "fjordvik-2030-workshop"
TAKE_ALONG = "What should we take along?"
LEAVE_BEHIND = "What should we leave behind?"
# (prompt, language, text, theme or "")
NOTES = (
    (TAKE_ALONG, "en", "Open data that anyone can use, not only the municipality.", "Open data"),
    (TAKE_ALONG, "en", "Open data about buses and bike parking in real time.", "Open data"),
    (TAKE_ALONG, "nb", "Åpne data om luftkvalitet i sentrum.", "Open data"),
    (TAKE_ALONG, "en", "Workshops with residents before we buy new technology.", "Co-creation"),
    (TAKE_ALONG, "nb", "Verksteder med innbyggerne før vi bestemmer noe.", "Co-creation"),
    (TAKE_ALONG, "en", "Young people in the design of new meeting places.", "Co-creation"),
    (TAKE_ALONG, "sv", "Samarbete med universitetet om piloter.", ""),
    (TAKE_ALONG, "en", "Small pilots that we can stop if they do not work.", ""),
    (TAKE_ALONG, "nb", "Små piloter med tydelige mål.", ""),
    (TAKE_ALONG, "en", "Safe bike lanes to every school.", ""),
    (TAKE_ALONG, "en", "Safe bike lanes along the harbour.", ""),
    (TAKE_ALONG, "da", "Cykelstier til alle skoler.", ""),
    (TAKE_ALONG, "fi", "Avoin data kaikille asukkaille.", ""),
    (TAKE_ALONG, "en", "Sharing what we learn with other Nordic cities.", ""),
    (TAKE_ALONG, "is", "Samstarf við aðrar norrænar borgir.", ""),
    (TAKE_ALONG, "en", "Green roofs on the school buildings.", ""),
    (TAKE_ALONG, "nb", "Grønne tak på skolene og på rådhuset.", ""),
    (TAKE_ALONG, "en", "Trust: tell residents what happened with their ideas.", ""),
    (LEAVE_BEHIND, "en", "Buying technology first and looking for a problem later.", "Tech first"),
    (LEAVE_BEHIND, "nb", "Å kjøpe teknologi før vi vet hva problemet er.", "Tech first"),
    (LEAVE_BEHIND, "en", "Pilots that never end and never scale.", ""),
    (LEAVE_BEHIND, "en", "Pilots without a plan for what comes after.", ""),
    (LEAVE_BEHIND, "sv", "Beslut utan dialog med invånarna.", ""),
    (LEAVE_BEHIND, "en", "Decisions made without talking to residents.", ""),
    (LEAVE_BEHIND, "en", "Car parks in the city centre.", ""),
    (LEAVE_BEHIND, "nb", "Parkeringsplasser i sentrum.", ""),
    (LEAVE_BEHIND, "en", "Paper forms for every service.", ""),
    (LEAVE_BEHIND, "en", "Data locked in the systems of one supplier.", ""),
    (LEAVE_BEHIND, "da", "Data låst hos én leverandør.", ""),
    (LEAVE_BEHIND, "en", "Working in silos between departments.", ""),
    (LEAVE_BEHIND, "fi", "Siilot eri osastojen välillä.", ""),
    (LEAVE_BEHIND, "en", "Meetings at times when working people cannot come.", ""),
)


@transaction.atomic
def build_workshop_demo(*, municipality: Municipality, today: datetime.date) -> Process:
    """Build Fjordvik's open workshop process (call after the participation demo)."""
    rng = random.Random(SEED)
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    editor = User.objects.get(username="demo-editor")
    participants = list(
        User.objects.filter(
            username__in=[user.username for user in participation_data().participants]
        ).order_by("username")
    )
    process = Process.objects.create(
        municipality=municipality,
        title="Fjordvik 2030: open workshop",
        slug=PROCESS_SLUG,
        summary="What should Fjordvik take along into its smart-city work, and what should it "
        "leave behind? Post short notes and +1 the ones you agree with.",
        description="The Nordic Smart City Roadmap was written in open digital workshops like "
        "this one. The smart-city team groups the notes into themes and reports back.",
        data_statement="We store your account name with your notes and +1s to run the workshop. "
        "Notes are shown without names. You can download or delete your data from your "
        "account page.",
        is_published=True,
        created_by=editor,
    )
    phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.WORKSHOP,
        title="Open digital workshop",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=11),
        post_notes=Audience.ANYONE,
        anonymous_notes=True,
    )
    prompts = {
        text: services.add_prompt(actor=editor, phase=phase, text=text)
        for text in (TAKE_ALONG, LEAVE_BEHIND)
    }
    notes = Note.objects.bulk_create(
        Note(prompt=prompts[prompt], author=rng.choice(participants), language=lang, text=text)
        for prompt, lang, text, _theme in NOTES
    )
    for minutes, note in enumerate(notes):
        Note.objects.filter(pk=note.pk).update(
            created_at=now - datetime.timedelta(days=2, minutes=-37 * minutes)
        )
    votes = [
        NoteVote(note=note, user=user)
        for note in notes
        for user in rng.sample(participants, rng.randint(0, 5))
        if user.pk != note.author_id
    ]
    NoteVote.objects.bulk_create(votes)
    for note in notes:
        Note.objects.filter(pk=note.pk).update(
            vote_count=sum(1 for vote in votes if vote.note is note)
        )
    for (prompt, _lang, _text, theme), note in zip(NOTES, notes, strict=True):
        if theme:
            services.assign_theme(
                actor=editor, prompt=prompts[prompt], note_ids=[note.pk], new_name=theme
            )
    for prompt in prompts.values():
        services.recompute_synthesis(actor=editor, prompt=prompt)
    return process
