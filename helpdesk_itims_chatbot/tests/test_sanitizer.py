"""The PII sanitizer, without a database (plain pytest functions: the module
under test imports nothing from Odoo)."""

import json
import pathlib
import time

import pytest

from ..services.sanitizer import NameMatcher, Sanitizer, normalize

# a copy of ../shared/fixtures/pii_es.jsonl (the labelled examples of the issue)
FIXTURES = pathlib.Path(__file__).parent / "data" / "pii_es.jsonl"


@pytest.fixture(scope="module")
def sanitizer():
    return Sanitizer(["Juana Pérez Quispe", "José Ñahui Ccori", "Rosa Luz"])


@pytest.mark.parametrize(
    "text, secret",
    [
        ("mi dni 41234567 no valida", "41234567"),
        ("documento de identidad: 001234567", "001234567"),
        ("RUC 10412345671 de persona natural", "10412345671"),
        ("escribir a luis.quispe@gob.pe por favor", "luis.quispe@gob.pe"),
        ("mi cel 999-888-777", "999-888-777"),
        ("llamar al +51 1 4567890", "4567890"),
        ("fono (01) 456-7890", "456-7890"),
        ("tarjeta 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("contraseña: P@ssw0rd#9 del correo", "P@ssw0rd#9"),
        ("mi password es hunter2.", "hunter2"),
        ("el pin de la tarjeta era 0000", "0000"),
        ("les habla Rocío Mamani Apaza, de Tesorería", "Rocío Mamani Apaza"),
        ("me llamo pedro huamani y no puedo imprimir", "pedro huamani"),
        ("lo atendió la licenciada Gladys Ticona", "Gladys Ticona"),
        ("pregunten al Dr. Ramírez", "Ramírez"),
        ("Sra. Flor Cáceres pidió acceso", "Flor Cáceres"),
        # employees: whole words, any case or accent
        ("hablé con JUANA PEREZ ayer", "JUANA PEREZ"),
        ("la PC de jose nahui ccori no prende", "jose nahui ccori"),
    ],
)
def test_masks_personal_data(sanitizer, text, secret):
    out = sanitizer.sanitize(text)
    assert secret not in out, out
    assert "[" in out


@pytest.mark.parametrize(
    "text",
    [
        "La IP 192.168.1.250 de la impresora no responde",
        "Error 0x800CCC0E en Outlook",
        "Código de error 0x80070005 en Windows Update",
        "Ir a Configuración > Red e Internet > Wi-Fi",
        "La laptop HP ProBook 450 G8 serie 5CG12345AB no carga",
        "El SIAF muestra el error 1045 al conectar",
        "anexo 2051, sala 204, piso 3",
        "la impresora Epson L3250 en el piso 2",
        "Soy nuevo en la oficina y no tengo usuario",
        "la contraseña expiró y no puedo entrar",
        "Rosa y Luz son colores del logo",  # one word of a name is not a name
        "puerto 8080 y 3389 cerrados",
    ],
)
def test_keeps_technical_content(sanitizer, text):
    assert sanitizer.sanitize(text) == text


def test_extra_patterns():
    # e.g. a foreign resident's card number "CE-001234"; a broken regex is ignored
    sanitizer = Sanitizer(extra_patterns=[r"CE-\d{6}", "("])
    assert sanitizer.sanitize("carné CE-001234 vencido") == "carné [DATO] vencido"


def test_normalize():
    assert normalize("ÑAHUI Pérez") == "nahui perez"


def test_matcher_stays_fast_with_thousands_of_names():
    names = [f"Nombre{i} Apellido{i} Materno{i}" for i in range(20000)]
    matcher = NameMatcher(names)
    text = "el usuario nombre19999 apellido19999 no puede entrar al SIGA " * 5
    start = time.perf_counter()
    for _ in range(100):
        spans = matcher.spans(text)
    elapsed = time.perf_counter() - start
    assert len(spans) == 5
    # one set look-up per word and length: far below a millisecond per message
    assert elapsed < 1.0, elapsed


def test_fixture_set():
    sanitizer = Sanitizer()
    for line in FIXTURES.read_text().splitlines():
        row = json.loads(line)
        out = sanitizer.sanitize(row["text"])
        for value in row["pii"]:
            assert value not in out, (row["text"], out)
        for value in row["keep"]:
            assert value in out, (row["text"], out)
