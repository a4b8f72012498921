"""Which send path drains the Telegram outbox with less overhead (issue 14, point 7).

python-telegram-bot 22 is asyncio-only. The sender cron sends one row at a time
(claim, send, commit), so the two candidates are compared doing exactly that, against
the project's fake Bot API on 127.0.0.1 (helpdesk_itims_telegram/tests/fake_bot_api.py,
real answer shapes):

- ``requests``: ``services/bot_api.BotApi`` (one ``requests.Session``, kept-alive
  connection), the same JSON payloads python-telegram-bot sends;
- ``ptb``: python-telegram-bot's ``Bot`` in a short-lived event loop per batch
  (``asyncio.run`` + ``async with Bot(...)``, which also calls getMe once per batch).

Prints messages/s and CPU milliseconds per message for each, side by side.

    .venv/bin/python bench/telegram_send_path.py [--messages 400] [--batch 20] [--repeat 3]
"""

import argparse
import asyncio
import importlib.util
import pathlib
import statistics
import time

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

ADDON = pathlib.Path(__file__).resolve().parent.parent / "helpdesk_itims_telegram"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bot_api = load("itims_bot_api", ADDON / "services" / "bot_api.py")
fake_module = load("itims_fake_bot_api", ADDON / "tests" / "fake_bot_api.py")

TEXT = (
    "<b>Nuevo ticket INC-2026-000123</b>\nSoporte: Impresoras\nRegistrado por: J*** P***\n"
    "Oficina: Oficina de Abastecimiento\nFecha: 05/01/2026 08:40"
)


def keyboard(index):
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "Ver ticket", url=f"https://soporte.example.gob.pe/itims/t/{index}"
                ),
                InlineKeyboardButton("Asignarme", callback_data=f"assign:{index}"),
            ]
        ]
    )


def run_requests(fake, messages, batch):
    api = bot_api.BotApi(fake.token, fake.url, timeout=10)
    for start in range(0, messages, batch):
        for index in range(start, min(start + batch, messages)):
            api.call(
                "sendMessage",
                {
                    "chat_id": str(700000000 + index % 50),
                    "text": TEXT,
                    "parse_mode": "HTML",
                    "reply_markup": keyboard(index).to_dict(),
                },
            )


def run_ptb(fake, messages, batch):
    async def send_batch(indexes):
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            for index in indexes:
                await bot.send_message(
                    chat_id=str(700000000 + index % 50),
                    text=TEXT,
                    parse_mode="HTML",
                    reply_markup=keyboard(index),
                )

    for start in range(0, messages, batch):
        asyncio.run(send_batch(range(start, min(start + batch, messages))))


def measure(func, fake, messages, batch, repeat):
    rates, cpu = [], []
    for _ in range(repeat):
        fake.reset()
        wall, proc = time.perf_counter(), time.process_time()
        func(fake, messages, batch)
        wall, proc = time.perf_counter() - wall, time.process_time() - proc
        sent = len(fake.calls("sendMessage", "ok"))
        assert sent == messages, (sent, messages)
        rates.append(messages / wall)
        cpu.append(proc * 1000 / messages)
    return statistics.median(rates), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fake = fake_module.FakeBotApi().start()
    try:
        print(
            f"{args.messages} sendMessage calls, batches of {args.batch}, median of {args.repeat}"
        )
        print(f"{'path':<10} {'messages/s':>11} {'CPU ms/message':>15}")
        for name, func in (("requests", run_requests), ("ptb", run_ptb)):
            rate, cpu = measure(func, fake, args.messages, args.batch, args.repeat)
            print(f"{name:<10} {rate:>11.1f} {cpu:>15.2f}")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
