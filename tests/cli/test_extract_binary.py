"""`newsdesk extract` of something that is not a web page fails with one line, not an article."""

from __future__ import annotations

from pathlib import Path

from tests.sites.hostile import JUNK, PDF, HostileServer


def test_binary_files_and_urls_are_refused(cli, tmp_path: Path) -> None:
    pdf, junk = tmp_path / "report.pdf", tmp_path / "junk.html"
    pdf.write_bytes(PDF)
    junk.write_bytes(JUNK)
    for path, says in ((pdf, "a PDF document"), (junk, "binary data")):
        result = cli("extract", str(path), ok=False)
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {path}: not a web page") and says in line, line
        assert result.stdout == ""
    with HostileServer() as server:
        for path in ("/binary/pdf-as-html", "/binary/octet"):
            result = cli("extract", server.url(path), ok=False)
            assert result.exit_code == 1, result.output
            (line,) = result.stderr.strip().splitlines()
            assert "not a web page" in line, line
        assert cli("extract", server.url("/page.html")).exit_code == 0
