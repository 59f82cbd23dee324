"""The voting and results pages read like a finished tool: three distinct vote buttons with
enough contrast, titles that do not repeat the phase's own name, dates without a doubled stop."""

import datetime
import re
from pathlib import Path

from django.utils import timezone

import roadmap
from roadmap.opinions import services
from roadmap.opinions.models import OpinionMap
from tests.opinions.conftest import add_statements, make_phase, url

SITE_CSS = Path(roadmap.__file__).parent / "static" / "css" / "site.css"
CHOICES = ("agree", "disagree", "pass")


def vote_buttons(html: str) -> list[tuple[str, str, str]]:
    """(value, class, label) of each submit button inside the vote form's choice row."""
    form = re.search(r'<form method="post" action="[^"]*/vote/".*?</form>', html, re.S).group()
    row = re.search(r'<div class="vote-card__choices">(.*?)</div>', form, re.S).group(1)
    return re.findall(
        r'<button type="submit" name="choice" value="(\w+)" class="([^"]+)"[^>]*>([^<]+)</button>',
        row,
    )


def test_agree_disagree_and_pass_are_three_labelled_buttons_in_one_row(client, phase, participant):
    add_statements(phase, 3)
    client.force_login(participant)

    html = client.get(url("phase", phase)).content.decode()

    buttons = vote_buttons(html)
    assert [(value, label) for value, _class, label in buttons] == [
        ("agree", "Agree"),
        ("disagree", "Disagree"),
        ("pass", "Pass / unsure"),
    ]
    assert [classes for _value, classes, _label in buttons] == [
        f"ds-button vote-button--{choice}" for choice in CHOICES
    ]
    assert "You have voted on 0 of 3 statements." in html
    assert '<progress value="0" max="3" aria-labelledby="vote-progress"></progress>' in html
    assert 'aria-describedby="vote-pass-help"' in html
    assert "Choose Pass if you are unsure or have no opinion" in html


def wcag_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((wcag_luminance(first), wcag_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def vote_colours() -> dict[str, str]:
    """The --vote-* custom properties of .vote-card in site.css, #fff spelled out."""
    block = re.search(r"\.vote-card \{(.*?)\}", SITE_CSS.read_text(), re.S).group(1)
    colours = dict(re.findall(r"--vote-([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", block))
    return {
        name: "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value
        for name, value in colours.items()
    }


def test_each_vote_button_face_meets_wcag_aa_contrast_for_its_label():
    colours = vote_colours()

    for choice in CHOICES:
        for state in ("", "-hover", "-active"):
            ratio = contrast(colours[f"{choice}-text"], colours[f"{choice}{state}"])
            assert ratio >= 4.5, (choice, state, round(ratio, 2))
    # The light pass face needs its border to stand out from the white card (non-text, 3:1).
    assert contrast(colours["pass-border"], "#ffffff") >= 3
    assert len({colours[choice] for choice in CHOICES}) == 3


def test_the_ratios_stated_in_the_stylesheet_are_the_computed_ones():
    colours = vote_colours()
    css = SITE_CSS.read_text()

    for choice in CHOICES:
        for state in ("", "-hover", "-active"):
            face = colours[f"{choice}{state}"]
            stated = f"{face} {contrast(colours[f'{choice}-text'], face):.2f}:1"
            assert stated in css


def test_the_map_page_title_does_not_repeat_the_phase_name(client, municipality):
    phase = make_phase(municipality, title="Opinion map: the harbour")
    add_statements(phase, 2)
    services.recompute_map(phase_id=phase.pk, full=True)

    html = client.get(url("map", phase)).content.decode()

    title = (
        f"Results · Opinion map: the harbour · {phase.process.title} · Nordic Smart City Roadmap"
    )
    assert f"<title>{title}</title>" in html
    assert '<h1 class="ds-heading" data-size="lg">Results</h1>' in html
    assert "Opinion map: Opinion map" not in html


def test_the_voting_page_title_is_the_phase_and_process(client, municipality):
    phase = make_phase(municipality, title="Opinion map: the harbour")

    html = client.get(url("phase", phase)).content.decode()

    title = f"Opinion map: the harbour · {phase.process.title} · Nordic Smart City Roadmap"
    assert f"<title>{title}</title>" in html
    assert '<h1 class="ds-heading" data-size="lg">Opinion map: the harbour</h1>' in html


def test_a_morning_update_time_ends_in_one_full_stop(client, phase):
    add_statements(phase, 2)
    services.recompute_map(phase_id=phase.pk, full=True)
    morning = datetime.datetime(2026, 12, 2, 8, 16, tzinfo=timezone.get_current_timezone())
    OpinionMap.objects.filter(phase=phase).update(computed_at=morning)

    html = client.get(url("map", phase)).content.decode()

    assert "Last updated: 2 Dec 2026, 08:16</p>" in html
    assert "a.m." not in html


BLOCK = re.compile(
    r"\{% blocktranslate (?P<args>.*?)%\}(?P<body>.*?)\{% endblocktranslate %\}", re.S
)


def test_no_template_puts_a_full_stop_after_a_formatted_date_or_time():
    """English formats end in "a.m."/"p.m.", so "{{ when }}." shows "8:16 a.m.."."""
    templates = Path(roadmap.__file__).parent.rglob("templates/**/*.html")
    found = []
    for template in templates:
        for block in BLOCK.finditer(template.read_text()):
            dated = re.findall(r"(\w+)=\S+\|(?:date|time)\b", block["args"])
            found += [
                (template.name, name) for name in dated if f"{{{{ {name} }}}}." in block["body"]
            ]
        found += [
            (template.name, "filter")
            for _ in re.finditer(r"\|(?:date|time)[^}]*\}\}\.", template.read_text())
        ]
    assert found == []


def test_a_signed_out_visitor_is_offered_to_sign_in_and_come_back(client, phase, participant):
    add_statements(phase, 3)
    page = url("phase", phase)

    html = client.get(page).content.decode()

    assert "You cannot vote now" not in html
    sign_in = re.search(r'<a class="ds-link" href="([^"]+)">Sign in to vote</a>', html).group(1)
    assert sign_in == f"/accounts/login/?next={page}"
    response = client.post(
        sign_in, {"username": participant.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == page
