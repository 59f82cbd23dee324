"""The default text of each information page, in Markdown, in the reader's language.

A municipality's administrator starts from these when writing the municipality's own page
(MunicipalPage); the platform's pages (no municipality) always show them. Authorities' names are
proper names and stay untranslated.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from roadmap.municipalities.models import Country, Municipality

from .models import PageKind

# The platform's last accessibility check: axe-core on every page in Chromium, keyboard-only
# use and a 390 px wide screen (tests/browser). A municipality states its own date.
ACCESSIBILITY_CHECKED = datetime.date(2026, 12, 3)

# Where a complaint about accessibility goes when the answer does not satisfy (the Web
# Accessibility Directive's enforcement bodies), and about personal data (GDPR authorities).
ACCESSIBILITY_AUTHORITIES = {
    Country.NORWAY: "Tilsynet for universell utforming av ikt (https://www.uutilsynet.no)",
    Country.SWEDEN: "Myndigheten för digital förvaltning, Digg (https://www.digg.se)",
    Country.DENMARK: "Digitaliseringsstyrelsen (https://digst.dk)",
    Country.FINLAND: "Etelä-Suomen aluehallintovirasto (https://www.saavutettavuusvaatimukset.fi)",
}
DATA_PROTECTION_AUTHORITIES = {
    Country.NORWAY: "Datatilsynet (https://www.datatilsynet.no)",
    Country.SWEDEN: "Integritetsskyddsmyndigheten, IMY (https://www.imy.se)",
    Country.DENMARK: "Datatilsynet (https://www.datatilsynet.dk)",
    Country.FINLAND: "Tietosuojavaltuutetun toimisto (https://tietosuoja.fi)",
    Country.ICELAND: "Persónuvernd (https://www.personuvernd.is)",
}


def _owner(municipality: Municipality | None) -> str:
    return municipality.name if municipality else _("the organisation running this platform")


def _authority(authorities: dict[Country, str], municipality: Municipality | None) -> str:
    country = Country(municipality.country) if municipality else Country.NORWAY
    return authorities.get(country) or _("the supervisory authority of your country")


def accessibility(municipality: Municipality | None) -> str:
    return _(
        "%(owner)s wants everyone to be able to use this website. This statement covers the "
        "pages of the Nordic Smart City Roadmap platform.\n\n"
        "## Compliance status\n\n"
        "The website partly meets WCAG 2.1 level AA, the standard the EU Web Accessibility "
        "Directive requires of public bodies (in Norway through the regulation on universal "
        "design of ICT). Every page is tested for keyboard use, for narrow phone screens and "
        "with the axe-core checker; pages work without JavaScript.\n\n"
        "## What is not yet accessible\n\n"
        "- Charts are images. Each has a caption, a table with the same figures and a CSV "
        "download; the tables are the accessible version.\n"
        "- Texts written by participants and staff may lack headings or clear link texts.\n"
        "- Uploaded files (such as indicator spreadsheets) are offered as they were uploaded.\n\n"
        "## How to report a problem\n\n"
        "If something on the website does not work for you, or you need content in another "
        "form, tell %(owner)s through the contact page. Say which page it is and what went "
        "wrong. We answer within two weeks.\n\n"
        "If you are not satisfied with the answer, you can complain to %(authority)s."
    ) % {
        "owner": _owner(municipality),
        "authority": _authority(ACCESSIBILITY_AUTHORITIES, municipality),
    }


def privacy(municipality: Municipality | None) -> str:
    return _(
        "%(owner)s is responsible for the personal data kept on this platform.\n\n"
        "## What we keep and why\n\n"
        "- **Your account:** username, e-mail address, display name, preferred language, "
        "your choice of e-mail notifications, and when you accepted the terms of use. We use "
        "them to sign you in, to show your name next to what you write and to send the "
        "e-mails you asked for.\n"
        "- **What you contribute:** proposals, comments, supports, votes on statements and "
        "workshop notes, with the time they were made. Proposals, comments and notes are "
        "public where the process is public; supports and votes are shown only as counts.\n"
        "- **Resident confirmation:** if the municipality confirms you as a resident, that it "
        "did and in which district.\n"
        "- **Technical logs:** the pages requested and the time, kept for a short time to keep "
        "the service secure and working.\n\n"
        "We keep this to run public participation, a task in the public interest (GDPR "
        "article 6(1)(e)). We do not sell it, and we use no tracking or advertising "
        "cookies: the only cookies keep you signed in, remember your language and protect "
        "forms.\n\n"
        "## Your rights\n\n"
        "On your account page you can download everything the platform keeps about you and "
        "delete your account; your contributions then stay, shown as written by a “deleted "
        "participant”. You can also ask %(owner)s to correct or restrict what is kept, "
        "through the contact page.\n\n"
        "If you think your data is handled wrongly, you can complain to %(authority)s."
    ) % {
        "owner": _owner(municipality),
        "authority": _authority(DATA_PROTECTION_AUTHORITIES, municipality),
    }


def contact(municipality: Municipality | None) -> str:
    if municipality is None:
        return _(
            "Questions about a municipality's initiatives, processes or data go to that "
            "municipality: each has its own contact page, linked at the bottom of its pages.\n\n"
            "Questions about the platform itself go to the organisation running it. The "
            "platform is open-source software; errors in it can be reported in its source "
            "repository."
        )
    return _(
        "%(name)s has not written its contact details here yet. Until it does, use the "
        "contact details on the municipality's own website, and say that your question is "
        "about the Nordic Smart City Roadmap platform."
    ) % {"name": municipality.name}


def about(municipality: Municipality | None) -> str:
    if municipality is None:
        return _(
            "This platform puts the Nordic Smart City Roadmap (Nordic Innovation, 2021) to work "
            "in municipalities. The roadmap asks municipalities to work with inhabitants, "
            "businesses, the voluntary sector and academia, guided by shared principles, so "
            "that communities become liveable, dynamic, inclusive, green and resilient.\n\n"
            "Here a municipality keeps its portfolio of smart-city initiatives and assesses "
            "them against the principles, runs participation processes where inhabitants "
            "propose, comment, support and vote, and follows its indicators over time.\n\n"
            "The platform is open-source software."
        )
    return _(
        "%(name)s uses this platform to work with the Nordic Smart City Roadmap: to keep its "
        "smart-city initiatives and assess them against the roadmap's principles, to invite "
        "inhabitants to propose, comment and vote, and to follow its indicators over time."
    ) % {"name": municipality.name}


DEFAULTS = {
    PageKind.ABOUT: about,
    PageKind.ACCESSIBILITY: accessibility,
    PageKind.PRIVACY: privacy,
    PageKind.CONTACT: contact,
}


def default_body(kind: str, municipality: Municipality | None) -> str:
    return DEFAULTS[PageKind(kind)](municipality)


def terms() -> str:
    return _(
        "These terms apply to everyone who creates an account on this platform. You accept "
        "them when you create your account; the version you accepted is kept with it.\n\n"
        "## Taking part\n\n"
        "- Confirm your e-mail address before you support, propose, comment or vote.\n"
        "- Write in your own name, one account per person. Be respectful: no harassment, "
        "discrimination, threats, advertising or other people's personal data.\n"
        "- What you write is shown publicly where the process is public, with your display "
        "name. You keep the rights to it and let the municipality publish and use it in its "
        "work.\n\n"
        "## Moderation\n\n"
        "Moderators may hide contributions that break these terms and block accounts from "
        "taking part in a municipality; a hidden contribution is kept, out of sight.\n\n"
        "## Your account\n\n"
        "You can download your data or delete your account at any time from your account "
        "page. The privacy notice says what is kept and why.\n\n"
        "## Changes\n\n"
        "When these terms change, the new version gets a new date, shown at the top of this "
        "page."
    )
