"""The one policy for secrets: what counts as one, and how it is refused, replaced and masked.

A secret is a string value that is not a placeholder and either sits under a credential-named
key (`api_key`, `master_key`, `azure_ad_token`, `Authorization`, ...), or carries credentials
itself (`postgresql://user:password@host`, `Bearer ...`). Every value under `extra_headers` is
masked in output too, since a header is where a key travels.

- overrides.yaml: a literal secret is refused (`refuse_literals`), the fix is `os.environ/VAR`;
- `--import`: a literal secret is replaced by an `os.environ/VAR` reference (`replace_literals`);
- every output (reports, logs, errors): secrets are masked (`mask_at`, `mask_text`), keeping a
  recognisable prefix at most (`sk-or-v1-[masked]`), so a reader can tell which key it was.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import LocatedError

log = logging.getLogger("modelsync")

MASK = "[masked]"
ENV_REFERENCE = "os.environ/"
# Keys (lower case, `-` read as `_`) whose value is a credential.
SECRET_KEY = re.compile(
    r"(^|_)(api_key|key|secret|password|passwd|access_key_id|secret_access_key|credentials|master_key"
    r"|token|authorization|cookie)$"
)
NOT_SECRET_KEY = re.compile(r"_per_token$")  # input_cost_per_token is a price, not a token
HEADER_SECTIONS = frozenset({"extra_headers", "headers"})
# Values LiteLLM configs use to say "no key here"; they are not secrets.
PLACEHOLDERS = frozenset(
    {"", "none", "null", "empty", "dummy", "fake", "placeholder", "unused", "x", "not-needed", "no-key"}
    | {"sk-no-key-required", "lm-studio", "ollama"}  # what llama.cpp, LM Studio and Ollama document
)
SECRET_QUERY = re.compile(r"key|token|secret|password|auth|sig", re.IGNORECASE)
AUTH_SCHEME = re.compile(r"^(Bearer|Basic|Token|Bot)\s+\S", re.IGNORECASE)
# In free text: userinfo inside a URL, and the value after an auth scheme.
URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^\s/@:]*(?::[^\s/@]*)?)@")
SCHEME_VALUE = re.compile(r"\b(?P<scheme>Bearer|Basic|Token)\s+(?P<value>[A-Za-z0-9._~+/=-]{6,})", re.IGNORECASE)
# A vendor prefix worth keeping: `sk-`, `sk-or-v1-`, `sk-ant-`, `rq-`: at most three short parts.
RECOGNISABLE = re.compile(r"(?:[A-Za-z]{1,6}[-_])(?:[A-Za-z0-9]{1,4}[-_]){0,2}")

_known_values: set[str] = set()  # keys read from the environment this run: never printed anywhere


# --- what counts ------------------------------------------------------------------------------


def is_placeholder(value: Any) -> bool:
    """Not a secret: no value, `none`/`EMPTY`/`''`, or a reference to the environment."""
    if not isinstance(value, str):
        return True
    return value.strip().lower() in PLACEHOLDERS or value.startswith(ENV_REFERENCE)


def is_secret_key(key: Any) -> bool:
    """Whether a key's value is a credential (`api_key`, `x-api-key`, `Authorization`, `aws_session_token`)."""
    name = str(key).strip().lower().replace("-", "_")
    return bool(SECRET_KEY.search(name)) and not NOT_SECRET_KEY.search(name)


def url_has_credentials(value: str) -> bool:
    """Whether a URL carries a password or a credential-named query parameter."""
    if "://" not in value:
        return False
    try:
        parts = urlsplit(value)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return False
    return parts.password is not None or any(SECRET_QUERY.search(k) and v for k, v in query)


def is_secret(key: Any, value: Any) -> bool:
    """Whether `key: value` writes a credential out in full."""
    if is_placeholder(value):
        return False
    return is_secret_key(key) or url_has_credentials(value) or bool(AUTH_SCHEME.match(value))


# --- refused in overrides.yaml, replaced on import --------------------------------------------


def refuse_literals(values: dict[str, Any], where: str = "") -> dict[str, Any]:
    """Refuse a credential written out in full in overrides.yaml: it belongs in the environment."""
    for path, key, value in _leaves(values, where):
        if is_secret(key, value):
            raise LocatedError(
                f"{path} holds a literal secret, which must not be written into config.yaml — "
                f"write `{key}: os.environ/YOUR_VAR` and set YOUR_VAR in the environment or .env",
                at=_parts(path[len(where) :]),
            )
    return values


def replace_literals(values: Any, where: str, owner: str) -> Any:
    """`values` with each literal secret replaced by an `os.environ/` reference, naming the variable to set."""
    if isinstance(values, list):
        return [replace_literals(item, f"{where}[{i}]", owner) for i, item in enumerate(values)]
    if not isinstance(values, dict):
        return values
    clean = {}
    for key, value in values.items():
        if isinstance(value, (dict, list)):
            value = replace_literals(value, f"{where}.{key}", owner)
        elif is_secret(key, value):
            var = env_var_for(owner, key)
            log.warning(
                "%s: a literal %s was replaced by %s%s — set %s in the environment or .env",
                where,
                key,
                ENV_REFERENCE,
                var,
                var,
            )
            value = f"{ENV_REFERENCE}{var}"
        clean[key] = value
    return clean


def env_var_for(owner: str, key: Any) -> str:
    """The environment variable an imported secret moves to: `GPT_4O_API_KEY`, `GENERAL_SETTINGS_MASTER_KEY`."""
    return re.sub(r"[^A-Z0-9]+", "_", f"{owner}_{key}".upper()).strip("_")


def _parts(path: str) -> tuple[str | int, ...]:
    """`extra_headers.Authorization` or `[2].api_key` as a location: ('extra_headers', 'Authorization')."""
    return tuple(int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path))


def _leaves(values: Any, where: str) -> list[tuple[str, Any, Any]]:
    """Every (dotted path, key, value) below `values`, through dicts and lists."""
    found: list[tuple[str, Any, Any]] = []
    items = values.items() if isinstance(values, dict) else enumerate(values) if isinstance(values, list) else ()
    for key, value in items:
        path = f"{where}[{key}]" if isinstance(key, int) else f"{where}{'.' if where else ''}{key}"
        if isinstance(value, (dict, list)):
            found += _leaves(value, path)
        elif not isinstance(key, int):
            found.append((path, key, value))
    return found


# --- masked in every output -------------------------------------------------------------------


def mask(value: str) -> str:
    """A secret as it may be shown: its recognisable prefix at most (`sk-or-v1-[masked]`)."""
    scheme = AUTH_SCHEME.match(value)
    head = value[: scheme.end() - 1] if scheme else ""
    rest = value[len(head) :]
    if "://" in rest:
        return head + redact_url(rest)
    prefix = RECOGNISABLE.match(rest)
    keep = prefix.group(0) if prefix and len(prefix.group(0)) * 3 <= len(rest) else ""
    return f"{head}{keep}{MASK}"


def mask_at(path: str, value: Any) -> Any:
    """`value` found at dotted `path` (`extra_headers.Authorization`) with every secret in it masked."""
    parts = [p for p in re.split(r"\.|\[\d+\]", path) if p]
    return _mask_tree(parts[-1] if parts else "", value, bool(HEADER_SECTIONS & set(parts[:-1])))


def _mask_tree(key: Any, value: Any, in_headers: bool) -> Any:
    if isinstance(value, dict):
        inner = in_headers or str(key) in HEADER_SECTIONS
        return {k: _mask_tree(k, v, inner) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_tree(key, item, in_headers) for item in value]
    if is_placeholder(value):
        return value
    if is_secret(key, value) or in_headers:
        return mask(value)
    return mask_text(value)


def mask_text(text: str) -> str:
    """Free text (a log line, an error) with URL credentials, auth values and known keys masked."""
    for known in _known_values:
        if known in text:
            text = text.replace(known, mask(known))
    text = URL_USERINFO.sub(lambda m: f"{m['scheme']}{_mask_userinfo(m['userinfo'])}@", text)
    return SCHEME_VALUE.sub(lambda m: f"{m['scheme']} {mask(m['value'])}", text)


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
    query = [(k, MASK if SECRET_QUERY.search(k) and v else v) for k, v in query]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="/:[]")))


def remember(value: str) -> None:
    """Note a key read from the environment, so that no output line ever shows it."""
    if len(value) >= 6:  # shorter values would mask ordinary words; they are not real keys either
        _known_values.add(value)
