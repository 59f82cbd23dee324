"""The synthesis's term-frequency chart: a ranked bar chart with its data table."""

from __future__ import annotations

from django.utils.translation import gettext as _

from roadmap.core.charts import Chart, horizontal_bar_spec

from .models import Synthesis


def term_chart(synthesis: Synthesis) -> Chart:
    values = [{"category": term, "value": count} for term, count in synthesis.terms]
    return Chart(
        caption=_("Most used words"),
        description=_(
            "Number of notes that use each word, most used first. Stop words (such as “and” "
            "or “og”) are left out; each note counts once per word."
        ),
        spec=horizontal_bar_spec(
            values=values, category_title=_("Word"), value_title=_("Notes using it")
        ),
        columns=[_("Word"), _("Notes using it")],
        rows=[[term, count] for term, count in synthesis.terms],
        chart_id=f"terms-{synthesis.prompt_id}",
    )
