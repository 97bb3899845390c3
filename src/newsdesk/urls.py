"""URLs for every room: canonical spellings and keys, links taken from untrusted documents,
site keys and safe display in messages. Pure string work; fetch/targets.py adds httpx's view.

Canonical URLs give one spelling per address, so one feed and one article are stored once.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that only say how a reader arrived, never which document they asked for.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid", "cmpid", "ocid", "ncid",
        "ito", "smid", "smtyp", "sr_share", "ref", "ref_src", "ref_url", "referrer", "source",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
        "at_ptr_name", "at_link_id", "at_link_type", "at_format", "at_bbc_team", "wt_mc",
        "wt.mc_id", "xtor", "__twitter_impression", "guccounter", "guce_referrer",
        "guce_referrer_sig", "share", "feature", "cid", "CMP", "partner", "rss", "fromrss",
        "utm", "mbid", "spm", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
        "ns_fee", "soc_src", "soc_trk", "intcmp", "int_cmp", "pk_campaign", "pk_kwd",
        "pk_source", "pk_medium", "piwik_campaign", "piwik_kwd",
    }
)
TRACKING_PREFIXES = ("utm_", "ga_", "hmb_", "pk_", "mtm_", "at_", "ns_", "itm_", "sc_")
SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_SHOWN = 300  # longer URLs are cut in messages so an error stays one readable line

_PASSWORD = re.compile(r"(//[^/@:?#]*):[^/?#]*@")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class InvalidURLError(ValueError):
    """The text is not an absolute http(s) URL."""


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """A clean absolute URL: lower-case scheme and host, no default port, no fragment, no trackers.

    Raises InvalidURLError for anything that is not an absolute http(s) URL.
    """
    text = url.strip()
    if "://" not in text and not text.startswith("//") and "." in text.split("/")[0]:
        text = "https://" + text  # "example.com/feed" is what people type
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURLError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURLError(f"URL has no host: {url!r}")
    try:
        host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError:
        raise InvalidURLError(f"URL has an invalid host: {url!r}") from None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=-._~") or "/"
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query = urlencode(query_pairs, doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """The identity of a URL: equal for trivially different spellings of one address.

    http and https, a leading "www.", a trailing slash, tracking parameters, parameter order
    and the fragment do not change the key.
    """
    parts = urlsplit(normalize_url(url))
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def web_url(base: str, href: object) -> str | None:
    """`href` resolved against `base`; None unless the result is an http or https URL.

    A feed or page is untrusted input: javascript:, data: or file: links must not reach a reader.
    """
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return url if is_web_url(url) else None


def is_web_url(url: str | None) -> bool:
    """Whether ``url`` is an absolute http or https URL, the only kind a reader is sent to."""
    if not url:
        return False
    try:
        return urlsplit(url.strip()).scheme.lower() in SCHEMES
    except ValueError:
        return False


def site_of(url: str) -> str:
    """The key a site is remembered under: its host name without 'www.'."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.")


def origin_of(url: str | None) -> str | None:
    """The scheme, host and port of an http(s) URL ("https://example.org", the default port
    left out), lower-cased: one site's home for its icon; None for any other URL."""
    if not is_web_url(url):
        return None
    try:
        parts = urlsplit(url.strip())  # type: ignore[union-attr]
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    shown = f":{port}" if port and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{host}{shown}"


def display_url(url: object) -> str:
    """The URL (a str or httpx.URL) as it may appear in a message or log: no password,
    no line breaks, bounded length."""
    text = _PASSWORD.sub(r"\1:***@", str(url))
    text = _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", text)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return text
