"""The chat client against the fake OpenRouter, without a database."""

import time

import pytest

from ..services.openrouter import ChatClient
from .fake_openrouter import FakeOpenRouter

MODELS = ["m/a:free", "m/b:free", "m/c:free", "m/d:free"]
MESSAGES = [{"role": "system", "content": "x"}, {"role": "user", "content": "hola"}]


@pytest.fixture
def fake():
    server = FakeOpenRouter(slow_seconds=1.5).start()
    yield server
    server.stop()


def client(fake, cooling=(), total=10.0, attempt=6.0):
    rested = []
    chat = ChatClient(
        fake.base_url,
        "sk-or-test-KEY",
        MODELS,
        is_cooling=lambda model: model in cooling,
        cool_down=lambda model, seconds, problem: rested.append((model, seconds, problem)),
        total_timeout=total,
        attempt_timeout=attempt,
    )
    return chat, rested


def test_first_model_answers(fake):
    chat, rested = client(fake)
    result = chat.complete(MESSAGES)
    assert result.answer.startswith("1. Verifique")
    assert result.model == "m/a:free"
    assert (result.prompt_tokens, result.completion_tokens) == (412, 58)
    request = fake.requests[0]
    assert request["path"] == "/api/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-or-test-KEY"
    # OpenRouter's own fallback list, in our order (at most 3)
    assert request["json"]["models"] == MODELS[:3]
    assert request["json"]["messages"] == MESSAGES
    assert not rested


def test_rotation_order_and_cooldowns(fake):
    fake.script("m/a:free", "429")
    fake.script("m/b:free", "502")
    fake.script("m/c:free", "error200")
    chat, rested = client(fake)
    result = chat.complete(MESSAGES)
    assert fake.models_asked() == MODELS
    assert result.model == "m/d:free"
    assert [model for model, _seconds, _problem in rested] == MODELS[:3]
    assert rested[0][1] == 60  # rate limited rests longer


def test_timeout_rotates_and_total_is_bounded(fake):
    fake.script("m/a:free", "slow")
    chat, rested = client(fake, total=3.0, attempt=0.5)
    start = time.monotonic()
    result = chat.complete(MESSAGES)
    assert time.monotonic() - start < 3.0
    assert result.model == "m/b:free"
    assert rested[0][:1] == ("m/a:free",) and rested[0][2] == "timeout"


def test_every_model_slow_stays_within_total(fake):
    fake.default = "slow"
    chat, _rested = client(fake, total=2.0, attempt=0.6)
    start = time.monotonic()
    result = chat.complete(MESSAGES)
    assert time.monotonic() - start < 2.5
    assert result.answer is None


def test_cooling_models_skipped(fake):
    chat, _rested = client(fake, cooling={"m/a:free", "m/b:free"})
    result = chat.complete(MESSAGES)
    assert fake.models_asked() == ["m/c:free"]
    assert fake.requests[0]["json"]["models"] == ["m/c:free", "m/d:free"]
    assert result.model == "m/c:free"


def test_bad_key_stops_rotation(fake):
    fake.default = "401"
    chat, rested = client(fake)
    result = chat.complete(MESSAGES)
    assert fake.models_asked() == ["m/a:free"]
    assert result.answer is None and result.fatal == "error 401"
    assert not rested  # the models are fine, the key is not


def test_garbage_and_unreachable(fake):
    fake.script("m/a:free", "garbage")
    chat, _rested = client(fake)
    assert chat.complete(MESSAGES).model == "m/b:free"
    # nothing listens there: refused at once, every model tried, no answer
    dead = ChatClient("http://127.0.0.1:9/api/v1", "k", MODELS, total_timeout=2.0)
    result = dead.complete(MESSAGES)
    assert result.answer is None
    assert [problem for _model, problem in result.attempts] == ["unreachable"] * 4
