"""OpenAI-compatible chat client for OpenRouter (or an on-premise server).

Pure Python on ``requests``: no ORM. The caller passes the cool-down store (a
shared table in Odoo) as two callables, so several workers skip the same
exhausted model.

One question never holds the caller longer than ``total_timeout`` seconds:
every attempt gets the connect timeout and what is left of the total as its
read timeout, and no attempt starts with less than ``MIN_ATTEMPT`` seconds left.
"""

import logging
import time

import requests

_logger = logging.getLogger(__name__)

TOTAL_TIMEOUT = 10.0
# one slow model may not eat the whole budget: the next ones get a chance
ATTEMPT_TIMEOUT = 6.0
MIN_ATTEMPT = 1.0
# OpenRouter accepts up to 3 models in its ``models`` fallback list
OPENROUTER_MODELS_MAX = 3
# seconds a model rests after each kind of failure
COOLDOWN_RATE_LIMITED = 60
COOLDOWN_FAILED = 30


class ChatResult:
    """What one question produced: the answer (or None) and its metrics."""

    def __init__(self):
        self.answer = None
        self.model = None
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.attempts = []  # [(model, problem or "ok")]
        self.fatal = None  # a problem no other model can solve (key, credits)

    def __repr__(self):
        return f"<ChatResult model={self.model} attempts={self.attempts}>"


class ChatClient:
    """Asks the models in order until one answers.

    :param base_url: e.g. ``https://openrouter.ai/api/v1``
    :param api_key: the bearer key (never logged)
    :param models: model names in priority order
    :param is_cooling: callable(model) -> True while the model rests
    :param cool_down: callable(model, seconds, problem) called on a failure
    """

    def __init__(
        self,
        base_url,
        api_key,
        models,
        is_cooling=None,
        cool_down=None,
        total_timeout=TOTAL_TIMEOUT,
        attempt_timeout=ATTEMPT_TIMEOUT,
        session=None,
        title=None,
        referer=None,
    ):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.api_key = api_key
        self.models = [m for m in models if m]
        self.is_cooling = is_cooling or (lambda model: False)
        self.cool_down = cool_down or (lambda model, seconds, problem: None)
        self.total_timeout = total_timeout
        self.attempt_timeout = attempt_timeout
        self.session = session or requests
        self.title = title
        self.referer = referer

    def _headers(self):
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Content-Type": "application/json",
        }
        if self.title:
            headers["X-Title"] = self.title
        if self.referer:
            headers["HTTP-Referer"] = self.referer
        return headers

    def complete(self, messages, max_tokens=600, temperature=0.2):
        """Ask the first available model; rotate on 429, 5xx, timeouts and
        errors inside a 200 body. Returns a :class:`ChatResult`."""
        result = ChatResult()
        deadline = time.monotonic() + self.total_timeout
        available = [m for m in self.models if not self.is_cooling(m)]
        for index, model in enumerate(available):
            left = deadline - time.monotonic()
            if left < MIN_ATTEMPT:
                result.attempts.append((model, "no time left"))
                break
            payload = {
                "model": model,
                "messages": messages,
                "max_tokens": max_tokens,
                "temperature": temperature,
            }
            fallbacks = available[index : index + OPENROUTER_MODELS_MAX]
            if len(fallbacks) > 1:
                payload["models"] = fallbacks
            problem, cooldown = self._attempt(payload, min(left, self.attempt_timeout), result)
            result.attempts.append((model, problem or "ok"))
            if not problem:
                return result
            if cooldown:
                self.cool_down(model, cooldown, problem)
            if result.fatal:
                break
        return result

    def _attempt(self, payload, left, result):
        """One HTTP call; returns (problem or None, cool-down seconds)."""
        model = payload["model"]
        try:
            response = self.session.post(
                self.url,
                json=payload,
                headers=self._headers(),
                # one number bounds the connection and each read (Odoo's test
                # harness only accepts a number here)
                timeout=left,
            )
        except requests.Timeout:
            _logger.warning("Chat model %s timed out", model)
            return "timeout", COOLDOWN_FAILED
        except requests.RequestException as err:
            _logger.warning("Chat model %s unreachable: %s", model, type(err).__name__)
            return "unreachable", COOLDOWN_FAILED
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            _logger.warning(
                "Chat model %s answered HTTP %s without JSON", model, response.status_code
            )
            return f"http {response.status_code}", COOLDOWN_FAILED
        error = body.get("error")
        if response.status_code != 200 or error:
            code = (error or {}).get("code") if isinstance(error, dict) else None
            code = code or response.status_code
            message = (error or {}).get("message", "") if isinstance(error, dict) else ""
            _logger.warning("Chat model %s refused (%s): %s", model, code, str(message)[:200])
            if code in (401, 402, 403):
                # the key or the account: no other model will do better
                result.fatal = f"error {code}"
                return result.fatal, 0
            if code == 429:
                return "rate limited", COOLDOWN_RATE_LIMITED
            return f"error {code}", COOLDOWN_FAILED
        choices = body.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices else None
        if not isinstance(choice, dict):
            return "empty answer", COOLDOWN_FAILED
        if choice.get("error") or choice.get("finish_reason") == "error":
            error = choice.get("error") if isinstance(choice.get("error"), dict) else {}
            _logger.warning(
                "Chat model %s failed inside a 200 answer (%s)", model, error.get("code")
            )
            return f"error {error.get('code', 'in body')}", COOLDOWN_FAILED
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        content = message.get("content")
        if not isinstance(content, str) or not content.strip():
            return "empty answer", COOLDOWN_FAILED
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        result.answer = content.strip()
        result.model = str(body.get("model") or model)[:128]
        result.prompt_tokens = _int(usage.get("prompt_tokens"))
        result.completion_tokens = _int(usage.get("completion_tokens"))
        return None, 0


def _int(value):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
