from roadmap.core.text import contains_link, render_markdown


def test_markdown_is_rendered_and_raw_html_escaped():
    html = render_markdown("**Benches** by the fjord <script>alert(1)</script>")
    assert "<strong>Benches</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_only_web_and_mail_links_survive():
    html = render_markdown("[bad](javascript:alert(1)) [good](https://example.org)")
    assert "javascript:" not in html.split("[bad]")[0]
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">good</a>' in html


def test_raw_html_with_event_handlers_is_shown_as_text():
    html = render_markdown('<a href="https://x.org" onclick="steal()">x</a>')
    # Raw HTML is never rendered: the tag arrives as text, so the handler can't run.
    assert "<a " not in html
    assert "&lt;a href=" in html


def test_links_are_detected():
    assert contains_link("see https://example.org")
    assert contains_link("see [this](x)")
    assert not contains_link("no link here")
