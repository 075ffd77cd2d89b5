"""The one policy for secrets: what counts as one, and how it is refused, replaced and masked.

A secret is any value under a credential-named key (`api_key`, `master_key`, `slack_webhook_url`,
`Authorization`, ...), of any type: text, a number, or every leaf of a mapping or list there,
unless it is a placeholder (`none`, `os.environ/VAR`, true/false). Any text that carries
credentials itself is one too, whatever its key: a URL with a password or a token
(`postgresql://user:password@host`, `?sig=...`, a Slack or Discord webhook), or `Bearer ...`.
Every value under `extra_headers` is masked in output too, since a header is where a key travels.

- overrides.yaml: a literal secret is refused (`refuse_literals`), the fix is `os.environ/VAR`;
- `import`: a literal secret moves to `.env` behind an `os.environ/VAR` reference (credentials.py);
- every output (reports, logs, errors): secrets are masked (`mask_at`, `mask_text`), keeping a
  recognisable prefix at most (`sk-or-v1-[masked]`), so a reader can tell which key it was.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import LocatedError

T = TypeVar("T")
MASK = "[masked]"
ENV_REFERENCE = "os.environ/"
# Keys (lower case, `-` read as `_`) whose value is a credential, whatever its type.
SECRET_KEY = re.compile(
    r"(^|_)(api_key|key|secret|password|passwd|access_key_id|secret_access_key|credentials?|master_key"
    r"|token|authorization|cookie|dsn|webhook|webhook_url|webhook_urls|auth_value|passphrase)$"
)
# Prices and timings named after tokens: `input_cost_per_audio_token`, `time_to_first_token`.
NOT_SECRET_KEY = re.compile(r"(^|_)(cost|per|first)(_|$)")
HEADER_TEXT_KEY = re.compile(r"(^|_)headers$")  # OTEL_HEADERS: `Authorization=Bearer ...` as one string
HEADER_SECTIONS = frozenset({"extra_headers", "headers"})
# Values LiteLLM configs use to say "no key here"; they are not secrets.
PLACEHOLDERS = frozenset(
    {"", "none", "null", "empty", "dummy", "fake", "placeholder", "unused", "x", "not-needed", "no-key"}
    | {"sk-no-key-required", "lm-studio", "ollama"}  # what llama.cpp, LM Studio and Ollama document
)
SECRET_QUERY = re.compile(r"key|token|secret|password|auth|sig|credential|^code$", re.IGNORECASE)
AUTH_SCHEME = re.compile(r"^(Bearer|Basic|Token|Bot)\s+\S", re.IGNORECASE)
# In free text: userinfo inside a URL, the value after an auth scheme, and whole URLs.
URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^\s/@:]*(?::[^\s/@]*)?)@")
SCHEME_VALUE = re.compile(r"\b(?P<scheme>Bearer|Basic|Token)\s+(?P<value>[A-Za-z0-9._~+/=-]{6,})", re.IGNORECASE)
URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>(){}`]*[^\s'\"<>(){}`.,;:!?]")
# Webhooks carry their token in the path: after a marker segment, or anywhere on a webhook host.
WEBHOOK_MARKERS = frozenset({"hooks", "webhook", "webhooks", "webhookb2"})
WEBHOOK_HOST = re.compile(r"(^|\.)(hooks\.slack\.com|webhook\.office\.com|hooks\.zapier\.com)$", re.IGNORECASE)
TELEGRAM_BOT = re.compile(r"^bot\d+:", re.IGNORECASE)  # api.telegram.org/bot<id>:<token>/sendMessage
# A vendor prefix worth keeping: `sk-`, `sk-or-v1-`, `sk-ant-`, `rq-`: at most three short parts.
RECOGNISABLE = re.compile(r"(?:[A-Za-z]{1,6}[-_])(?:[A-Za-z0-9]{1,4}[-_]){0,2}")

_known_values: set[str] = set()  # keys read from the environment this run: never printed anywhere


# --- what counts ------------------------------------------------------------------------------


def is_placeholder(value: Any) -> bool:
    """Not a secret: no value, true/false, `none`/`EMPTY`/`''`, or a reference to the environment."""
    if value is None or isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False  # a number under a credential key is one (`master_key: 1234567890`)
    text = re.sub(r"^(Bearer|Basic|Token)\s+", "", value.strip(), flags=re.IGNORECASE)  # `Bearer os.environ/X`
    return text.lower() in PLACEHOLDERS or text.startswith(ENV_REFERENCE)


def is_secret_key(key: Any) -> bool:
    """Whether a key's value is a credential (`api_key`, `x-api-key`, `Authorization`, `slack_webhook_url`)."""
    name = str(key).strip().lower().replace("-", "_")
    return bool(SECRET_KEY.search(name)) and not NOT_SECRET_KEY.search(name)


def url_has_credentials(value: str) -> bool:
    """Whether a URL carries a password, a credential-named query parameter, or a webhook's token."""
    if "://" not in value:
        return False
    try:
        parts = urlsplit(value)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return False
    return (
        parts.password is not None
        or any(SECRET_QUERY.search(k) and v for k, v in query)
        or _token_start(parts.hostname or "", parts.path) is not None
    )


def _token_start(host: str, path: str) -> int | None:
    """Where a webhook URL's token starts in its path, or None when the path carries none."""
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if segment.lower() in WEBHOOK_MARKERS and any(segments[index + 1 :]):
            return len("/".join(segments[: index + 1])) + 1
        if TELEGRAM_BOT.match(segment):
            return len("/".join(segments[:index])) + 4
        if segment == "s" and index and segments[index - 1].lower() == "mcp" and any(segments[index + 1 :]):
            return len("/".join(segments[: index + 1])) + 1  # a hosted MCP server's URL: /api/mcp/s/<secret>/mcp
    first = path.find("/", 1)  # hooks.slack.com/services/T../B../xxx: all after the first segment
    return first + 1 if WEBHOOK_HOST.search(host) and first > 0 and path[first + 1 :] else None


def is_secret(key: Any, value: Any) -> bool:
    """Whether `key: value` writes a credential out in full: any value under a credential key, any tokened text."""
    if is_secret_key(key) or (HEADER_TEXT_KEY.search(str(key).lower()) and isinstance(value, str)):
        return _gives_away(value)
    if not isinstance(value, str) or is_placeholder(value):
        return False
    return url_has_credentials(value) or bool(AUTH_SCHEME.match(value))


def _gives_away(value: Any) -> bool:
    """Whether a value under a credential key holds anything but placeholders, at any depth."""
    if isinstance(value, dict):
        return any(_gives_away(item) for item in value.values())
    if isinstance(value, list):
        return any(_gives_away(item) for item in value)
    return not is_placeholder(value)


# --- refused in overrides.yaml ----------------------------------------------------------------


def refuse_literals(values: T, where: str = "") -> T:
    """Refuse a credential written out in full in overrides.yaml: it belongs in the environment."""
    for path, key in literal_secrets(values, where):
        raise LocatedError(
            f"{path} holds a literal secret, which must not be written into config.yaml — "
            f"write `{key}: os.environ/YOUR_VAR` and set YOUR_VAR in the environment or .env",
            at=_parts(path[len(where) :]),
        )
    return values


def literal_secrets(values: Any, where: str = "", key: Any = "", under: Any = None) -> list[tuple[str, Any]]:
    """Every (dotted path, credential key) below `values` whose value is a literal secret.

    `under` is the credential key a mapping or list sits under: each of its leaves is one.
    """
    under = under or (key if is_secret_key(key) else None)
    if isinstance(values, dict):
        return [found for k, v in values.items() for found in literal_secrets(v, _join(where, k), k, under)]
    if isinstance(values, list):
        return [found for i, v in enumerate(values) for found in literal_secrets(v, f"{where}[{i}]", key, under)]
    if (under and not is_placeholder(values)) or is_secret(key, values):
        return [(where, under or key)]
    return []


def _join(where: str, key: Any) -> str:
    return f"{where}{'.' if where else ''}{key}"


def _parts(path: str) -> tuple[str | int, ...]:
    """`extra_headers.Authorization` or `[2].api_key` as a location: ('extra_headers', 'Authorization')."""
    return tuple(int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path))


# --- masked in every output -------------------------------------------------------------------


def mask(value: str) -> str:
    """A secret as it may be shown: its recognisable prefix at most (`sk-or-v1-[masked]`)."""
    scheme = AUTH_SCHEME.match(value)
    head = value[: scheme.end() - 1] if scheme else ""
    rest = value[len(head) :]
    if "://" in rest:
        redacted = redact_url(rest)
        return head + (redacted if redacted != rest else _hide_path(rest))
    prefix = RECOGNISABLE.match(rest)
    keep = prefix.group(0) if prefix and len(prefix.group(0)) * 3 <= len(rest) else ""
    return f"{head}{keep}{MASK}"


def mask_at(path: str, value: Any) -> Any:
    """`value` found at dotted `path` (`extra_headers.Authorization`) with every secret in it masked."""
    parts = [p for p in re.split(r"\.|\[\d+\]", path) if p]
    hidden = any(p in HEADER_SECTIONS or is_secret_key(p) for p in parts[:-1])  # inside headers or a credential
    return _mask_tree(parts[-1] if parts else "", value, hidden)


def _mask_tree(key: Any, value: Any, hidden: bool) -> Any:
    """`value` with its secrets masked; `hidden`: every leaf is one (it sits in headers or under a credential key)."""
    if isinstance(value, dict):
        inner = hidden or str(key) in HEADER_SECTIONS or is_secret_key(key)
        return {k: _mask_tree(k, v, inner) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_tree(key, item, hidden or is_secret_key(key)) for item in value]
    if is_placeholder(value):
        return value
    if hidden or is_secret(key, value):
        return mask(value) if isinstance(value, str) else MASK
    return mask_text(value) if isinstance(value, str) else value


def mask_text(text: str) -> str:
    """Free text (a log line, an error) with URL credentials and tokens, auth values and known keys masked."""
    for known in _known_values:
        if known in text:
            text = text.replace(known, mask(known))
    if "://" in text:  # most lines hold no URL: skip both searches
        text = URL_USERINFO.sub(lambda m: f"{m['scheme']}{_mask_userinfo(m['userinfo'])}@", text)
        text = URL_IN_TEXT.sub(lambda m: redact_url(m[0]) if url_has_credentials(m[0]) else m[0], text)
    return SCHEME_VALUE.sub(lambda m: f"{m['scheme']} {mask(m['value'])}", text)


def _hide_path(url: str) -> str:
    """A secret URL whose token we cannot place (`webhook_url: https://alerts.example/T0k3n`): its host alone."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].rpartition('@')[2]}/{MASK}"


def _mask_userinfo(userinfo: str) -> str:
    user, colon, _ = userinfo.partition(":")
    return f"{user}:{MASK}" if colon else MASK  # a lone user part is often a token itself


def redact_url(url: str) -> str:
    """A URL without its password and without the values of credential-like query parameters."""
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return mask_text(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    netloc = f"{_mask_userinfo(userinfo)}@{host}" if at else host
    token = _token_start(parts.hostname or "", parts.path)
    path = parts.path if token is None else parts.path[:token] + MASK
    query = [(k, MASK if SECRET_QUERY.search(k) and v else v) for k, v in query]
    return urlunsplit(parts._replace(netloc=netloc, path=path, query=urlencode(query, safe="/:[]")))


def remember(value: str) -> None:
    """Note a key read from the environment, so that no output line ever shows it."""
    if len(value) >= 6:  # shorter values would mask ordinary words; they are not real keys either
        _known_values.add(value)
