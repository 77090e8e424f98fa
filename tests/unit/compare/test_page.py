"""The comparison page as a file: self-contained, escaped, every section present (the browser test renders it)."""

from sessions import make_session

from lunge_screen.compare import compare, write_comparison
from lunge_screen.io.session import write_session


def test_the_page_is_self_contained_and_escapes_what_users_type(tmp_path):
    pre = tmp_path / "pre"
    write_session(make_session({"right": [0.22, 0.24, 0.27], "left": [None, None]}), pre)
    (pre / "keyframes.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")  # inlined as it is
    post = make_session({"right": [0.04, 0.06, 0.09], "left": [0.0, 0.01]}, view="rear")
    c = compare([pre, post], ["<b>Jan</b> & co", "March"])
    written = write_comparison(c, tmp_path / "out")
    assert [p.name for p in written] == ["comparison.json", "comparison.png", "comparison.html"]
    html = (tmp_path / "out" / "comparison.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Jan&lt;/b&gt; &amp; co" in html and "<b>Jan</b>" not in html
    assert "default-src 'none'" in html and "<script" not in html
    for section in ("change", "setup", "plot", "changes", "legs", "asymmetry", "keyframes", "sessions", "method"):
        assert f'id="{section}"' in html, section
    assert html.count("data:image/jpeg;base64,") == 1  # the first session's key frames; the second has none
    assert "March: no key frames" in html
    assert "filmed from different views (frontal → rear)" in html
    assert "none of the 2 left-leg reps in &lt;b&gt;Jan&lt;/b&gt; &amp; co could be measured" in html
    assert "Munro" in html
    for src in html.split('src="')[1:]:
        assert src.startswith("data:")
