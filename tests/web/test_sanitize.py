"""The one sanitiser for article HTML leaving newsdesk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.web.sanitize import article_html, sanitize_html, text_to_html


def test_keeps_article_structure() -> None:
    source = (
        "<h2>Sub</h2><p>Text <em>em</em> <strong>strong</strong></p><ul><li>a</li></ul>"
        "<ol><li>b</li></ol><blockquote>q</blockquote><pre><code>x = 1</code></pre>"
        "<figure><img src='https://img.example/a.jpg' alt='A'><figcaption>Cap</figcaption></figure>"
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
    )
    out = sanitize_html(source)
    for tag in ("<h2>", "<em>", "<strong>", "<ul>", "<ol>", "<li>", "<blockquote>", "<pre>",
                "<code>", "<figure>", "<figcaption>", "<table>", "<thead>", "<tbody>", "<tr>",
                "<th>", "<td>"):  # fmt: skip
        assert tag in out, tag
    assert '<img src="https://img.example/a.jpg" alt="A">' in out


def test_removes_scripts_styles_frames_and_handlers() -> None:
    source = (
        '<p onclick="steal()" style="color:red" class="x" id="y">Hi</p>'
        "<script>alert(1)</script><style>p{}</style><iframe src='https://x'>frame</iframe>"
        "<img src='https://img.example/a.jpg' onerror='alert(2)'>"
        "<object data='x'>obj</object><form><input name=a></form><!-- comment -->"
    )
    out = sanitize_html(source)
    assert out == '<p>Hi</p><img src="https://img.example/a.jpg">'


def test_links_get_rel_and_only_safe_schemes() -> None:
    out = sanitize_html(
        '<a href="https://a.example/x" rel="me" target="_blank">ok</a>'
        '<a href="mailto:desk@example.org">mail</a>'
        '<a href="javascript:alert(1)">js</a><a href="data:text/html,x">data</a>'
    )
    assert '<a href="https://a.example/x" rel="noopener noreferrer nofollow">ok</a>' in out
    assert 'href="mailto:desk@example.org"' in out
    assert "javascript" not in out and "data:" not in out
    assert "target" not in out


def test_images_only_http_and_https() -> None:
    out = sanitize_html(
        '<img src="mailto:a@b"><img src="data:image/png;base64,AAAA">'
        '<img src="javascript:x"><img src="http://img.example/b.png">'
    )
    assert out.count("src=") == 1
    assert 'src="http://img.example/b.png"' in out


def test_relative_urls_resolved_against_the_article_or_dropped() -> None:
    source = '<a href="/story/2">next</a><img src="pic.jpg">'
    resolved = sanitize_html(source, base_url="https://news.example/world/story-1")
    assert 'href="https://news.example/story/2"' in resolved
    assert 'src="https://news.example/world/pic.jpg"' in resolved
    bare = sanitize_html(source)
    assert "href=" not in bare and "src=" not in bare
    assert "next" in bare


def test_h1_tag_is_dropped_but_text_kept() -> None:
    assert sanitize_html("<h1>Title</h1><div><span>body</span></div>") == "Titlebody"


def test_empty_input() -> None:
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""


def test_text_to_html_escapes_and_splits_paragraphs() -> None:
    out = text_to_html("First <b>line</b>\n\nSecond & last")
    assert out == "<p>First &lt;b&gt;line&lt;/b&gt;</p><p>Second &amp; last</p>"


def test_article_html_prefers_html_then_text() -> None:
    assert article_html("<p>H</p>", "T") == "<p>H</p>"
    assert article_html("<script>x</script>", "T") == "<p>T</p>"
    assert article_html(None, None) == ""


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_lets_active_content_through(fragment: str) -> None:
    hostile = f"<p onmouseover='x'>{fragment}</p><script>{fragment}</script>"
    out = sanitize_html(hostile).lower()
    assert "<script" not in out
    assert "onmouseover" not in out


def test_control_characters_removed() -> None:
    assert sanitize_html("<p>a\x0bb\x00c\x1fd</p>") == "<p>abcd</p>"
    assert text_to_html("a\x0cb") == "<p>ab</p>"
