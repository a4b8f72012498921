"""A small synchronous client of the Telegram Bot API (no ORM).

Every call is one HTTPS POST of a JSON body to ``{base}/bot{token}/{method}``,
with a timeout, through one ``requests.Session`` (kept-alive connections): the
same payloads python-telegram-bot's ``Bot`` sends, without an event loop per
batch (bench/telegram_send_path.py measures both). Errors are raised as
``TelegramError`` carrying what the sender needs to decide: the error code (None
for a network error or a timeout), the description and ``retry_after`` of a 429.
The bot token is part of the URL: it never appears in an error message.
"""

import requests

DEFAULT_BASE_URL = "https://api.telegram.org"
DEFAULT_TIMEOUT = 10


class TelegramError(Exception):
    def __init__(self, description, error_code=None, retry_after=None):
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.retry_after = retry_after

    @property
    def retryable(self):
        """A network error, a timeout, a 5xx or a 429: try again later."""
        return self.error_code is None or self.error_code == 429 or self.error_code >= 500

    def __str__(self):
        if self.error_code:
            return f"{self.error_code}: {self.description}"
        return self.description


class BotApi:
    def __init__(self, token, base_url=None, timeout=DEFAULT_TIMEOUT, session=None):
        self.token = token
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def _hide(self, text):
        return text.replace(self.token, "***") if self.token else text

    def call(self, method, payload=None, timeout=None):
        """POST ``payload`` to ``method``; return the ``result`` of the answer."""
        url = f"{self.base_url}/bot{self.token}/{method}"
        try:
            response = self.session.post(url, json=payload or {}, timeout=timeout or self.timeout)
        except requests.Timeout:
            raise TelegramError("Timed out waiting for the Bot API") from None
        except requests.RequestException as error:
            raise TelegramError(self._hide(f"Network error: {error}")) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise TelegramError(
                f"Unexpected answer (HTTP {response.status_code})",
                response.status_code if response.status_code >= 400 else 502,
            )
        if body.get("ok"):
            return body.get("result")
        parameters = body.get("parameters") or {}
        raise TelegramError(
            self._hide(str(body.get("description") or "Unknown error")),
            int(body.get("error_code") or response.status_code or 500),
            parameters.get("retry_after") if isinstance(parameters, dict) else None,
        )
