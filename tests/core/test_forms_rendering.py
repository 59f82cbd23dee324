from django import forms


class ChoiceForm(forms.Form):
    colour = forms.ChoiceField(
        choices=[("", "Any colour"), ("Warm", [("red", "Red"), ("<b>", "Bold <b>")])],
        required=False,
    )


def test_select_renders_groups_selection_and_escapes_labels():
    html = str(ChoiceForm({"colour": "red"})["colour"])
    assert 'class="ds-input"' in html
    assert '<optgroup label="Warm">' in html
    assert '<option value="red" selected>Red</option>' in html
    assert '<option value="&lt;b&gt;">Bold &lt;b&gt;</option>' in html
    assert html.count("ds-input") == 1  # on the select, not on every option
