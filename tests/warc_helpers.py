"""WARC archives for the tests, built from the shared sample pages with warcio."""

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# ../shared beside the checkout, as on developers' machines and in CI.
SHARED_HTML = Path(__file__).resolve().parents[2] / "shared" / "samples" / "dev" / "html"


def sample_pages(n: int) -> list[tuple[str, bytes]]:
    pages = sorted(SHARED_HTML.glob("*.html"))[:n]
    assert len(pages) == n, f"expected {n} sample pages in {SHARED_HTML}"
    return [(f"https://news.example/{p.stem}", p.read_bytes()) for p in pages]


def _write(writer, record) -> None:
    writer.write_record(record)
    record.raw_stream.close()  # warcio spools a payload it digests into a temporary file


def _response(writer, url, body, *, content_type="text/html; charset=utf-8", status="200 OK", date=None):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date} if date else None
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict=warc_headers
    )
    _write(writer, record)


def build_warc(path: Path, pages: list[tuple[str, bytes]], *, gzip: bool = True) -> dict:
    """Write ``pages`` as HTML responses among records that are no article; return what was put in."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        _write(writer, writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for number, (url, body) in enumerate(pages):
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET /{number} HTTP/1.1", [("Host", "news.example")], is_http_request=True
                ),
            )
            _write(writer, request)
            _response(writer, url, body, date="2024-03-05T08:00:00Z")
            if number == 0:
                _response(
                    writer, url + "/logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"
                )
                _response(writer, url + "/old", b"<html>moved</html>", status="301 Moved Permanently")
                _response(
                    writer,
                    "https://news.example/",
                    b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
                )
    return {
        "articles": len(pages),
        "not a response": 1 + len(pages),
        "not HTML": 1,
        "not status 200": 1,
        "no article in the page": 1,
    }
