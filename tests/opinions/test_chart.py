"""The opinion map's scatter draws: every participant mark has a shape and its group's colour,
the legend's swatches show the colours, and the picture has coloured dots in the plot area."""

from roadmap.core.charts import PALETTE
from roadmap.opinions.selectors import map_chart
from tests.chart_checks import assert_marks_have_shapes, coloured, legend_swatches, png_pixels

RESULT = {
    "groups": [
        {"label": 0, "size": 30, "centroid": [1.0, 1.0], "distinguishing": []},
        {"label": 1, "size": 20, "centroid": [-1.0, -1.0], "distinguishing": []},
        {"label": 2, "size": 10, "centroid": [1.0, -1.0], "distinguishing": []},
    ],
    "positions": [
        [cx + 0.05 * (i % 5), cy + 0.05 * (i // 5), g]
        for g, (cx, cy) in enumerate([(1, 1), (-1, -1), (1, -1)])
        for i in range(20)
    ],
}


def test_every_participant_mark_has_a_shape_and_its_group_colour():
    chart = map_chart(RESULT)

    found = assert_marks_have_shapes(chart.svg)

    points = [mark for mark in found if mark.get("aria-roledescription") == "point"]
    assert len(points) == 60 + 3  # participants and the three centres
    for mark in points:
        group = "ABC".index(mark["aria-label"].rsplit("Group ", 1)[1][0])
        assert mark["fill"] == PALETTE[group]


def test_the_legend_swatches_show_the_groups_colours():
    swatches = legend_swatches(map_chart(RESULT).svg)

    assert [swatch["fill"] for swatch in swatches] == PALETTE[:3]
    assert all(swatch.get("d", "").strip() for swatch in swatches)
    assert all(float(swatch.get("opacity", 1)) == 1 for swatch in swatches)


def test_the_rasterised_chart_has_each_groups_colour_in_the_plot_area():
    pixels = png_pixels(map_chart(RESULT).spec)

    # The legend's swatch of a colour is under 200 pixels; the dots and centre add far more.
    for colour in PALETTE[:3]:
        assert coloured(pixels, colour).sum() > 400, colour


def test_the_data_table_stays():
    chart = map_chart(RESULT)

    assert chart.rows[0][:2] == ["Group A", 30] and len(chart.rows) == 3
