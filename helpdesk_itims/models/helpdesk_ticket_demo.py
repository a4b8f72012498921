"""Demo ticket history: a few months of realistic IT incidents of a Peruvian office.

Called once from ``demo/helpdesk_ticket_demo.xml`` when the demo data is loaded.
Deterministic (``random.Random(seed)``), relative to the install date, in the
office hours of Lima (UTC-5). Tickets are created quietly (no assignment engine,
chatter or mail); their timestamps are then written in one parameterized UPDATE.
"""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

LIMA = pytz.timezone("America/Lima")
DAY_START, LUNCH_START, LUNCH_END, DAY_END = time(8), time(13), time(14), time(17)
# fixed-date public holidays of Peru (month, day)
HOLIDAYS = {
    (1, 1), (5, 1), (6, 7), (6, 29), (7, 23), (7, 28), (7, 29), (8, 6),
    (8, 30), (10, 8), (11, 1), (12, 8), (12, 9), (12, 25),
}  # fmt: skip
FLOORS = {"Piso 1": "primer piso", "Piso 2": "segundo piso", "Piso 3": "tercer piso"}
STAGES = {
    "registered": "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "in_progress": "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "resolved": "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "cancelled": "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}
TICKET_TIME_COLUMNS = (
    "create_date",
    "write_date",
    "assigned_date",
    "first_response_date",
    "closed_date",
    "last_stage_update",
)
QUIET_CONTEXT = {
    "itims_skip_assignment": True,
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_notify_force_send": False,
}
OFFICE_PREFIXES = (
    "Oficina Regional de ",
    "Oficina de ",
    "Gerencia Regional de ",
    "Órgano de ",
)

# One entry per kind of incident: title, description, the assets it concerns and
# where to find them (the requester's own, their office's, their building's),
# working minutes to solve it, priority weights (low, medium, high, very high) and
# resolution notes; a note flagged True left a corrective repair on the asset.
COMPUTERS = ("desktop", "cpu", "laptop")
TEMPLATES = {
    "hardware": [
        {
            "name": "La computadora no enciende",
            "description": "Desde esta mañana mi computadora {tag} no enciende: el botón "
            "de encendido no responde y no se escucha el ventilador.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": True,
            "minutes": (45, 1200),
            "priority": (0, 3, 6, 1),
            "notes": [
                (
                    (
                        "Se verificó el cable de poder y el estabilizador. La fuente de poder "
                        "estaba dañada: se reemplazó por una nueva y el equipo enciende "
                        "correctamente."
                    ),
                    True,
                ),
                (
                    (
                        "La toma de corriente no tenía energía. Se conectó el equipo a otra toma "
                        "con estabilizador y se reportó la toma a Servicios Generales."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "La computadora está muy lenta",
            "description": "El equipo {tag} tarda varios minutos en iniciar y se congela "
            "al abrir el SIGA y el navegador al mismo tiempo.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (40, 480),
            "priority": (2, 6, 2, 0),
            "notes": [
                (
                    (
                        "Se liberó espacio en disco, se desinstalaron programas innecesarios y "
                        "se amplió la memoria RAM a 16 GB."
                    ),
                    True,
                ),
                (
                    (
                        "Se ejecutó un análisis antivirus completo, se actualizó Windows y se "
                        "deshabilitaron aplicaciones de inicio. El equipo responde con normalidad."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "La pantalla del monitor parpadea",
            "description": "El monitor {tag} parpadea y por momentos se pone en negro; "
            "no puedo trabajar con los documentos.",
            "assets": ("monitor",),
            "scope": "employee",
            "required": True,
            "minutes": (30, 900),
            "priority": (1, 5, 3, 0),
            "notes": [
                ("Se reemplazó el cable de video dañado y se ajustó la resolución.", False),
                (
                    (
                        "Se instaló un monitor de reemplazo del almacén de TI y el monitor "
                        "averiado se envió a revisión por garantía."
                    ),
                    True,
                ),
            ],
        },
        {
            "name": "El teclado y el mouse dejaron de responder",
            "description": "El teclado y el mouse de mi computadora {tag} no responden, "
            "ya los desconecté y volví a conectar.",
            "assets": ("desktop", "cpu"),
            "scope": "employee",
            "required": False,
            "minutes": (15, 180),
            "priority": (1, 6, 3, 0),
            "notes": [
                ("Se reemplazó el teclado y el mouse USB por unos nuevos del almacén.", True),
                (
                    (
                        "El puerto USB frontal estaba dañado; se conectaron los periféricos a "
                        "los puertos posteriores y funcionan correctamente."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "La laptop no carga la batería",
            "description": "La laptop {tag} indica 'conectado, no se está cargando' y se "
            "apaga al desconectar el cargador.",
            "assets": ("laptop",),
            "scope": "employee",
            "required": True,
            "minutes": (60, 1440),
            "priority": (1, 5, 3, 1),
            "notes": [
                ("Se reemplazó el cargador averiado por uno original.", True),
                ("Se reemplazó la batería, que había perdido su capacidad de carga.", True),
                ("Se actualizó el BIOS y se calibró la batería; carga con normalidad.", False),
            ],
        },
        {
            "name": "La computadora se reinicia sola",
            "description": "Mi computadora {tag} se reinicia sola varias veces al día y "
            "pierdo lo que estoy trabajando.",
            "assets": ("desktop", "cpu"),
            "scope": "employee",
            "required": True,
            "minutes": (60, 960),
            "priority": (0, 4, 5, 1),
            "notes": [
                (
                    (
                        "Se limpió el polvo interno y se cambió la pasta térmica del procesador; "
                        "el equipo se sobrecalentaba."
                    ),
                    True,
                ),
                ("Se reemplazó el ventilador del procesador, que estaba trabado.", True),
                (
                    (
                        "Se reprogramaron las actualizaciones automáticas de Windows fuera "
                        "del horario de oficina."
                    ),
                    False,
                ),
            ],
        },
    ],
    "software": [
        {
            "name": "Error al ingresar al SIAF",
            "description": "Al iniciar el SIAF aparece el mensaje 'Error de conexión con "
            "la base de datos'. Necesito registrar devengados hoy.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (20, 240),
            "priority": (0, 2, 6, 2),
            "notes": [
                (
                    (
                        "Se reconfiguró la conexión del cliente SIAF y se actualizó a la última "
                        "versión publicada por el MEF. El usuario ingresó sin problemas."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "El SIGA no genera reportes",
            "description": "El módulo de logística del SIGA se cierra al generar el "
            "reporte de órdenes de compra.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (30, 300),
            "priority": (0, 4, 5, 1),
            "notes": [
                (
                    (
                        "Se reinstaló el componente de reportes del SIGA y se restableció el "
                        "acceso a la carpeta compartida del sistema."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Office pide activar la licencia",
            "description": "Word y Excel muestran el aviso 'Producto sin licencia' y no "
            "me dejan editar documentos.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (15, 120),
            "priority": (1, 6, 3, 0),
            "notes": [
                (
                    (
                        "Se activó la licencia institucional de Microsoft 365 con la cuenta del "
                        "usuario."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "No funciona la firma digital",
            "description": "No puedo firmar digitalmente los documentos en el Sistema de "
            "Trámite Documentario; ReFirma no reconoce mi token.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (20, 240),
            "priority": (0, 3, 6, 1),
            "notes": [
                (
                    (
                        "Se reinstaló el controlador del token y el certificado digital; se "
                        "probó la firma con ReFirma correctamente."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "El antivirus muestra alertas de amenaza",
            "description": "Al conectar una memoria USB el antivirus muestra varias "
            "alertas de amenaza detectada.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (20, 180),
            "priority": (0, 3, 6, 1),
            "notes": [
                (
                    (
                        "Se realizó un análisis completo, se pusieron en cuarentena los archivos "
                        "infectados de la memoria USB y se actualizó la base de firmas."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Instalación de software de la oficina",
            "description": "Solicito la instalación de S10 Presupuestos y AutoCAD en mi "
            "computadora para la elaboración de expedientes técnicos.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (60, 600),
            "priority": (4, 5, 1, 0),
            "notes": [
                (
                    (
                        "Se instalaron los programas con las licencias de red de la oficina y "
                        "se verificó su funcionamiento."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "No se abren los archivos PDF",
            "description": "Los archivos PDF que llegan por correo no se abren, aparece "
            "un error de archivo dañado.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (10, 90),
            "priority": (3, 6, 1, 0),
            "notes": [
                (
                    "Se reinstaló el lector de PDF y se configuró como programa predeterminado.",
                    False,
                ),
            ],
        },
        {
            "name": "Pantalla azul al iniciar Windows",
            "description": "La computadora {tag} muestra una pantalla azul al iniciar y "
            "se reinicia.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": True,
            "minutes": (90, 1200),
            "priority": (0, 2, 6, 2),
            "notes": [
                (
                    (
                        "Se restauró el sistema a un punto anterior y se actualizaron los "
                        "controladores de video."
                    ),
                    False,
                ),
                (
                    (
                        "El disco duro presentaba sectores dañados: se reemplazó por un SSD, se "
                        "reinstaló el sistema y se recuperó la información del usuario."
                    ),
                    True,
                ),
            ],
        },
    ],
    "network": [
        {
            "name": "Sin conexión a internet en {office}",
            "description": "Ningún equipo de la oficina tiene internet desde hace una "
            "hora; los cables de red están conectados.",
            "assets": ("network",),
            "scope": "building",
            "required": False,
            "minutes": (20, 300),
            "priority": (0, 1, 5, 4),
            "notes": [
                (
                    (
                        "Se encontró el puerto del switch del gabinete deshabilitado; se "
                        "reactivó y se verificó la conectividad en todos los equipos."
                    ),
                    False,
                ),
                (
                    (
                        "El switch del gabinete se había colgado; se reinició y se programó "
                        "su reemplazo por uno administrable."
                    ),
                    True,
                ),
            ],
        },
        {
            "name": "El internet está muy lento",
            "description": "Las páginas tardan mucho en cargar y las videollamadas se "
            "cortan constantemente.",
            "assets": ("network",),
            "scope": "building",
            "required": False,
            "minutes": (30, 360),
            "priority": (1, 5, 4, 0),
            "notes": [
                (
                    (
                        "Se identificó un equipo descargando actualizaciones masivas; se aplicó "
                        "control de ancho de banda en el firewall."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "No puedo conectarme al Wi-Fi institucional",
            "description": "Mi laptop no se conecta a la red inalámbrica de la sede, "
            "indica 'no se puede conectar a esta red'.",
            "assets": (),
            "scope": "building",
            "required": False,
            "minutes": (10, 120),
            "priority": (2, 6, 2, 0),
            "notes": [
                (
                    (
                        "Se registró la dirección MAC del equipo en el controlador inalámbrico "
                        "y se configuró el perfil de la red institucional."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "No tengo acceso a la carpeta compartida",
            "description": "No puedo abrir la carpeta compartida de la oficina en el "
            "servidor de archivos, indica 'acceso denegado'.",
            "assets": ("server",),
            "scope": "any",
            "required": False,
            "minutes": (10, 180),
            "priority": (1, 6, 3, 0),
            "notes": [
                (
                    (
                        "Se otorgaron los permisos de lectura y escritura a la cuenta del "
                        "usuario en el servidor de archivos."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "El punto de red de mi escritorio no funciona",
            "description": "Cambié de escritorio y el punto de red no da conexión; el "
            "equipo indica 'cable de red desconectado'.",
            "assets": ("network",),
            "scope": "building",
            "required": False,
            "minutes": (30, 480),
            "priority": (1, 6, 3, 0),
            "notes": [
                ("Se reponchó el conector RJ45 y se certificó el punto de red.", False),
            ],
        },
        {
            "name": "No puedo acceder a la página del SEACE",
            "description": "La página del SEACE no carga desde la red de la institución, "
            "pero sí desde el celular.",
            "assets": ("network",),
            "scope": "any",
            "required": False,
            "minutes": (15, 240),
            "priority": (0, 3, 5, 2),
            "notes": [
                (
                    (
                        "El filtro web del firewall bloqueaba el dominio; se agregó a la lista "
                        "de sitios permitidos."
                    ),
                    False,
                ),
            ],
        },
    ],
    "printer": [
        {
            "name": "La impresora del {floor} no imprime",
            "description": "Enviamos documentos a la impresora {tag} pero se quedan en la "
            "cola de impresión y no sale nada.",
            "assets": ("printer",),
            "scope": "department",
            "required": True,
            "minutes": (15, 240),
            "priority": (0, 5, 5, 0),
            "notes": [
                (
                    (
                        "Se reinició la cola de impresión y se reinstaló el controlador en los "
                        "equipos de la oficina."
                    ),
                    False,
                ),
                (
                    (
                        "La impresora había perdido su dirección IP fija; se reconfiguró y se "
                        "imprimió una página de prueba desde cada equipo."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Atasco de papel en la impresora",
            "description": "La impresora {tag} indica atasco de papel aunque no se ve "
            "ninguna hoja atascada.",
            "assets": ("printer",),
            "scope": "department",
            "required": True,
            "minutes": (20, 300),
            "priority": (1, 6, 3, 0),
            "notes": [
                (
                    (
                        "Se retiraron restos de papel de la unidad de fusión y se limpiaron los "
                        "rodillos de arrastre."
                    ),
                    True,
                ),
                (
                    "Se retiró la hoja atascada en la bandeja 2 y se ajustaron las guías de papel.",
                    False,
                ),
            ],
        },
        {
            "name": "La impresora indica tóner agotado",
            "description": "La impresora {tag} muestra 'tóner agotado' y ya no imprime.",
            "assets": ("printer",),
            "scope": "department",
            "required": True,
            "minutes": (20, 1200),
            "priority": (1, 6, 3, 0),
            "notes": [
                (
                    (
                        "Se instaló un tóner nuevo entregado por Abastecimiento y se imprimió "
                        "una página de prueba."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Las impresiones salen con manchas",
            "description": "Todas las hojas que imprime la impresora {tag} salen con una "
            "franja gris en el margen.",
            "assets": ("printer",),
            "scope": "department",
            "required": True,
            "minutes": (60, 1440),
            "priority": (2, 6, 2, 0),
            "notes": [
                ("Se reemplazó la unidad de imagen (tambor) desgastada.", True),
            ],
        },
        {
            "name": "El escáner no digitaliza",
            "description": "El escáner {tag} no es reconocido por la computadora y no "
            "podemos digitalizar los expedientes.",
            "assets": ("scanner",),
            "scope": "department",
            "required": True,
            "minutes": (20, 240),
            "priority": (0, 4, 5, 1),
            "notes": [
                ("Se reinstaló el controlador del escáner y el software de captura.", False),
                ("Se limpiaron y reemplazaron los rodillos de alimentación.", True),
            ],
        },
        {
            "name": "Instalar la impresora de la oficina en mi computadora",
            "description": "Necesito que configuren la impresora de la oficina en mi "
            "computadora, no aparece en la lista.",
            "assets": ("printer",),
            "scope": "department",
            "required": False,
            "minutes": (10, 90),
            "priority": (4, 5, 1, 0),
            "notes": [
                (
                    (
                        "Se agregó la impresora de red de la oficina y se configuró como "
                        "predeterminada."
                    ),
                    False,
                ),
            ],
        },
    ],
    "email": [
        {
            "name": "No puedo acceder al correo institucional",
            "description": "Al ingresar al correo institucional me indica que la "
            "contraseña es incorrecta.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (5, 60),
            "priority": (0, 5, 4, 1),
            "notes": [
                (
                    (
                        "Se restableció la contraseña de la cuenta de correo y se verificó el "
                        "acceso desde el navegador y el celular."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Cuenta de usuario bloqueada",
            "description": "Mi usuario de Windows se bloqueó después de varios intentos y "
            "no puedo iniciar sesión.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (5, 45),
            "priority": (0, 3, 6, 1),
            "notes": [
                (
                    (
                        "Se desbloqueó la cuenta en el directorio activo y se asignó una "
                        "contraseña temporal que el usuario cambió al ingresar."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Mi buzón de correo está lleno",
            "description": "Me llega el aviso de que mi buzón está lleno y no puedo "
            "enviar correos.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (15, 120),
            "priority": (2, 6, 2, 0),
            "notes": [
                (
                    (
                        "Se archivaron los correos antiguos en un archivo local y se liberó "
                        "espacio en el buzón."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Crear cuenta de correo para personal nuevo",
            "description": "Ingresó personal nuevo a la oficina y necesita cuenta de "
            "correo institucional y usuario de red.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (20, 480),
            "priority": (3, 6, 1, 0),
            "notes": [
                (
                    (
                        "Se crearon la cuenta de correo y el usuario de red; se entregaron las "
                        "credenciales al jefe de la oficina."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "No recibo correos externos",
            "description": "Los proveedores dicen que me envían correos pero no llegan a "
            "mi bandeja de entrada.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (15, 240),
            "priority": (1, 5, 4, 0),
            "notes": [
                (
                    (
                        "Los mensajes estaban retenidos por el filtro antispam; se liberaron y "
                        "se agregó el dominio del proveedor a la lista de confianza."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Acceso al Sistema de Trámite Documentario",
            "description": "Necesito usuario en el Sistema de Trámite Documentario para "
            "derivar expedientes de la oficina.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (10, 240),
            "priority": (2, 6, 2, 0),
            "notes": [
                (
                    (
                        "Se creó el usuario en el Sistema de Trámite Documentario con el perfil "
                        "de la oficina."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Recibí un correo sospechoso",
            "description": "Me llegó un correo que pide actualizar mi contraseña desde un "
            "enlace; no sé si es real.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (5, 90),
            "priority": (0, 3, 5, 2),
            "notes": [
                (
                    (
                        "Era un intento de phishing: se bloqueó el remitente, se eliminó el "
                        "mensaje de todos los buzones y se orientó al usuario."
                    ),
                    False,
                ),
            ],
        },
    ],
    "other": [
        {
            "name": "Apoyo con proyector para reunión",
            "description": "Necesitamos instalar el proyector y la laptop en la sala de "
            "reuniones para una reunión con alcaldes.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (20, 120),
            "priority": (1, 5, 4, 0),
            "notes": [
                ("Se instaló el proyector y se probó el audio y el video.", False),
            ],
        },
        {
            "name": "Traslado de equipo a otro escritorio",
            "description": "Solicito el traslado de mi computadora {tag} al nuevo "
            "escritorio asignado en la oficina.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (20, 240),
            "priority": (5, 5, 0, 0),
            "notes": [
                ("Se trasladó el equipo y se reconectaron la red y la energía.", False),
            ],
        },
        {
            "name": "Apoyo para videoconferencia",
            "description": "Tenemos una videoconferencia con el ministerio y la cámara "
            "y el micrófono no funcionan.",
            "assets": (),
            "scope": "any",
            "required": False,
            "minutes": (10, 90),
            "priority": (0, 3, 5, 2),
            "notes": [
                (
                    "Se configuraron la cámara y el micrófono y se probó la videoconferencia.",
                    False,
                ),
            ],
        },
        {
            "name": "Copia de respaldo de información",
            "description": "Solicito copia de respaldo de mi información antes del "
            "cambio de equipo.",
            "assets": COMPUTERS,
            "scope": "employee",
            "required": False,
            "minutes": (30, 480),
            "priority": (3, 6, 1, 0),
            "notes": [
                (
                    (
                        "Se copió la información del usuario al servidor de archivos y se "
                        "verificó la copia."
                    ),
                    False,
                ),
            ],
        },
        {
            "name": "Informe técnico para baja de bien",
            "description": "Solicito el informe técnico del equipo {tag} para el trámite "
            "de baja ante Control Patrimonial.",
            "assets": COMPUTERS + ("monitor", "printer"),
            "scope": "employee",
            "required": False,
            "minutes": (60, 1440),
            "priority": (5, 5, 0, 0),
            "notes": [
                (
                    (
                        "Se evaluó el equipo y se emitió el informe técnico recomendando su "
                        "baja por obsolescencia."
                    ),
                    False,
                ),
            ],
        },
    ],
}
CATEGORY_WEIGHTS = {
    "hardware": 18,
    "software": 22,
    "network": 16,
    "printer": 17,
    "email": 17,
    "other": 10,
}
CANCEL_NOTES = [
    "Ticket duplicado: otro usuario de la oficina ya había registrado el mismo incidente.",
    "El usuario informó que el problema se solucionó antes de la atención; se cierra a su pedido.",
    "La solicitud no corresponde a soporte TI; se orientó al usuario a la oficina competente.",
    "No se pudo contactar al usuario luego de tres intentos; se cancela la solicitud.",
    "Solicitud registrada por error.",
]
FEEDBACK = {
    5: ["Excelente atención, muy rápida.", "Gracias, el técnico fue muy amable."],
    4: ["Buena atención.", "Se resolvió bien, gracias."],
    3: ["Se resolvió, pero demoró bastante."],
    2: ["Tuve que llamar varias veces para que me atiendan."],
    1: ["El problema volvió a presentarse al día siguiente."],
}


def _is_workday(day):
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def _next_work_moment(moment):
    """``moment`` when the office is open then, else the next opening time."""
    while True:
        if _is_workday(moment.date()):
            clock = moment.time()
            if clock < DAY_START:
                return datetime.combine(moment.date(), DAY_START)
            if LUNCH_START <= clock < LUNCH_END:
                return datetime.combine(moment.date(), LUNCH_END)
            if clock < DAY_END:
                return moment
        moment = datetime.combine(moment.date() + timedelta(days=1), DAY_START)


def _add_work_minutes(moment, minutes):
    """Local time ``minutes`` of office hours after ``moment``."""
    moment = _next_work_moment(moment)
    left = timedelta(minutes=minutes)
    while True:
        end = LUNCH_START if moment.time() < LUNCH_START else DAY_END
        block_end = datetime.combine(moment.date(), end)
        if left <= block_end - moment:
            return (moment + left).replace(microsecond=0)
        left -= block_end - moment
        moment = _next_work_moment(block_end)


def _work_minutes_between(start, end):
    """Minutes of office hours from ``start`` to ``end`` (local times)."""
    minutes, moment = 0.0, _next_work_moment(start)
    while moment < end:
        block_end = datetime.combine(
            moment.date(), LUNCH_START if moment.time() < LUNCH_START else DAY_END
        )
        minutes += (min(block_end, end) - moment).total_seconds() / 60
        moment = _next_work_moment(block_end)
    return minutes


def _to_utc(local):
    return LIMA.localize(local).astimezone(pytz.utc).replace(tzinfo=None) if local else None


def _short_office(name):
    for prefix in OFFICE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _asset_pools(assets):
    """Where a requester finds the assets an incident may concern."""
    by_employee, by_department = defaultdict(list), defaultdict(list)
    for asset in assets:
        if asset.employee_id:
            by_employee[asset.employee_id].append(asset)
        if asset.department_id:
            by_department[asset.department_id].append(asset)

    def pool(template, employee, day):
        scope = template["scope"]
        if scope == "employee":
            found = by_employee[employee]
        elif scope == "department":
            found = by_department[employee.department_id]
        elif scope == "building":
            building = employee.department_id.itims_building
            found = [a for a in assets if building and (a.location or "").startswith(building)]
        else:
            found = assets
        return [
            asset
            for asset in found
            if asset.itims_asset_type in template["assets"]
            and (
                asset.itims_lifecycle_status in ("in_use", "in_repair")
                # a retired asset had incidents before it was scrapped
                or asset.itims_lifecycle_status == "retired"
                and asset.scrap_date
                and day < asset.scrap_date
            )
        ]

    return pool


def _plan_incidents(rng, now_local, days, requesters, assets):
    """What was reported, when, by whom and on which asset (local times)."""
    pool = _asset_pools(assets)
    moments = []
    for offset in range(days, -1, -1):
        day = now_local.date() - timedelta(days=offset)
        if not _is_workday(day):
            continue
        # 4 to 8 a day, a few more on Mondays, mostly in the morning
        for _i in range(rng.randint(4, 7) + (day.weekday() == 0)):
            created = _add_work_minutes(
                datetime.combine(day, DAY_START), rng.triangular(0, 479, 90)
            ).replace(second=rng.randint(0, 59))
            if created < now_local - timedelta(minutes=10):
                moments.append(created)
    moments.sort()
    specs = []
    for created in moments:
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=CATEGORY_WEIGHTS.values())[0]
        template = rng.choice(TEMPLATES[category])
        employee = rng.choice(requesters)
        candidates = pool(template, employee, created.date())
        if template["required"] and not candidates:
            owners = [e for e in requesters if pool(template, e, created.date())]
            if owners:
                employee = rng.choice(owners)
                candidates = pool(template, employee, created.date())
            else:
                category, template = "email", rng.choice(TEMPLATES["email"])
        asset = None
        if candidates and (template["required"] or rng.random() < 0.7):
            asset = rng.choice(candidates)
        specs.append(
            {
                "created": created,
                "category": category,
                "template": template,
                "employee": employee,
                "asset": asset,
                "note": rng.choice(template["notes"]),
                "open": False,
            }
        )
    # every asset under repair today has its open incident of the last days
    for asset in assets:
        if asset.itims_lifecycle_status != "in_repair":
            continue
        owners = [asset.employee_id] if asset.employee_id else []
        owners = owners or [e for e in requesters if e.department_id == asset.department_id]
        templates = [
            (category, template)
            for category, group in TEMPLATES.items()
            for template in group
            if template["required"]
            and asset.itims_asset_type in template["assets"]
            and any(repair for _note, repair in template["notes"])
        ]
        if not owners or not templates:
            continue
        category, template = rng.choice(templates)
        day, back = now_local.date(), rng.randint(1, 3)
        while back:
            day -= timedelta(days=1)
            back -= _is_workday(day)
        created = _add_work_minutes(datetime.combine(day, DAY_START), rng.randint(0, 420))
        if created < now_local - timedelta(minutes=10):
            specs.append(
                {
                    "created": created,
                    "category": category,
                    "template": template,
                    "employee": rng.choice(owners),
                    "asset": asset,
                    "note": next(note for note in template["notes"] if note[1]),
                    "open": True,
                }
            )
    specs.sort(key=lambda spec: spec["created"])
    return specs


def _plan_outcome(rng, now_local, spec, responded, priority):
    """When the incident was closed (``datetime.max``: not yet), and whether cancelled."""
    if spec["open"]:
        return datetime.max, False
    if rng.random() < 0.05:
        return _add_work_minutes(responded, rng.randint(10, 240)), True
    low, high = spec["template"]["minutes"]
    minutes = rng.triangular(low, high, low + (high - low) / 4)
    minutes *= {"0": 1.4, "1": 1.0, "2": 0.7, "3": 0.5}[priority]
    closed = _add_work_minutes(responded, max(minutes, 5))
    # most incidents of the last two working days are still being worked on
    if _add_work_minutes(spec["created"], 960) > now_local and rng.random() < 0.6:
        closed = datetime.max
    return closed, False


def _plan_work(rng, now_local, days, technicians, specs):
    """Who took each incident, when, how it ended, and its state today."""
    busy, weekly, away = defaultdict(list), defaultdict(int), {}
    never = datetime.max
    # two technicians were away for a week each
    for tech in technicians[:2]:
        first = now_local.date() - timedelta(days=rng.randint(20, max(days - 10, 21)))
        away[tech] = (first, first + timedelta(days=7))

    def active(tech, moment):
        return sum(1 for start, end in busy[tech] if start <= moment < end)

    def available(tech, moment):
        first, last = away.get(tech, (None, None))
        if first and first <= moment.date() < last:
            return False
        return active(tech, moment) < (tech.itims_max_active_tickets or 8)

    for spec in specs:
        assigned = _add_work_minutes(spec["created"], 2 + min(rng.lognormvariate(2.8, 0.9), 180))
        candidates = [t for t in technicians if available(t, assigned)]
        while not candidates:  # everybody full or away: wait for a ticket to be closed
            ends = [end for t in technicians for _s, end in busy[t] if assigned < end < never]
            assigned = _next_work_moment(
                (min(ends) if ends else assigned + timedelta(days=1)) + timedelta(minutes=5)
            )
            candidates = [t for t in technicians if available(t, assigned)]
        week = assigned.isocalendar()[:2]
        took_it = rng.random() < 0.15  # a technician took it from the queue
        if took_it:
            tech = rng.choice(candidates)
        else:  # the balanced engine: least loaded, then fewest this week
            tech = min(
                candidates, key=lambda t: (active(t, assigned), weekly[t, week], rng.random())
            )
        responded = assigned
        if not took_it and rng.random() < 0.5:
            responded = _add_work_minutes(assigned, rng.randint(2, 45))
        priority = rng.choices("0123", weights=spec["template"]["priority"])[0]
        closed, cancelled = _plan_outcome(rng, now_local, spec, responded, priority)
        busy[tech].append((assigned, closed))
        weekly[tech, week] += 1
        rating = rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 12, 5, 3))[0]
        spec.update(
            tech=tech,
            assigned=assigned,
            responded=responded,
            closed=closed,
            cancelled=cancelled,
            cancel_note=rng.choice(CANCEL_NOTES),
            priority=priority,
            channel=rng.choices(("web", "phone", "email"), weights=(72, 18, 10))[0],
            rating=rating if rng.random() < 0.55 else 0,
            feedback=rng.choice(FEEDBACK[rating]) if rng.random() < 0.4 else False,
            rated=_add_work_minutes(closed, rng.randint(30, 2400)) if closed < never else never,
        )
    _plan_states(now_local, technicians, specs)
    return specs


def _plan_states(now_local, technicians, specs):
    """The state of each incident today; the three newest still wait in the queue."""
    newest = [id(spec) for spec in specs if not spec["open"]][-3:]
    for spec in specs:
        if spec["assigned"] >= now_local or id(spec) in newest:
            spec["state"] = "registered"
        elif spec["closed"] > now_local:
            spec["state"] = "in_progress"
        else:
            spec["state"] = "cancelled" if spec["cancelled"] else "resolved"
    for tech in technicians:
        mine = [s for s in specs if s["state"] == "in_progress" and s["tech"] == tech]
        for spec in mine[tech.itims_max_active_tickets or 8 :]:
            spec["state"] = "registered"


def _write_timestamps(cr, table, columns, rows):
    """Set timestamp ``columns`` of ``table`` from ``rows`` (id, *values) at once."""
    if not rows:
        return
    values = SQL(", ").join(
        SQL(
            "(%s)", SQL(", ").join([SQL("%s", row[0])] + [SQL("%s::timestamp", v) for v in row[1:]])
        )
        for row in rows
    )
    cr.execute(
        SQL(
            "UPDATE %s AS t SET %s FROM (VALUES %s) AS v(%s) WHERE t.id = v.id",
            SQL.identifier(table),
            SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in columns),
            values,
            SQL(", ").join(SQL.identifier(c) for c in ("id", *columns)),
        )
    )


def _ticket_vals(env, team, spec):
    employee, asset, state = spec["employee"], spec["asset"], spec["state"]
    office = employee.department_id
    words = {
        "office": _short_office(office.name),
        "floor": FLOORS.get(office.itims_floor, office.itims_floor or "piso"),
        "tag": asset.itims_asset_tag if asset else "",
    }
    description = spec["template"]["description"].format(**words).replace("  ", " ")
    sequence = env["ir.sequence"].with_company(team.company_id)
    return {
        # numbered in the year the incident was reported
        "number": sequence.with_context(ir_sequence_date=spec["created"].date()).next_by_code(
            "helpdesk.ticket.itims"
        ),
        "name": spec["template"]["name"].format(**words),
        "description": Markup("<p>%s</p>") % description,
        "team_id": team.id,
        "company_id": (team.company_id or env.company).id,
        "category_id": env.ref(f"helpdesk_itims.helpdesk_ticket_category_{spec['category']}").id,
        "channel_id": env.ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{spec['channel']}").id,
        "priority": spec["priority"],
        "stage_id": env.ref(STAGES[state]).id,
        "requester_id": employee.id,
        "partner_id": employee.work_contact_id.id,
        "partner_name": employee.name,
        "partner_email": employee.work_email,
        "requester_phone": employee.work_phone,
        "equipment_id": asset.id if asset else False,
        "user_id": spec["tech"].id if state != "registered" else False,
        "resolution_notes": {
            "resolved": spec["note"][0],
            "cancelled": spec["cancel_note"],
        }.get(state, False),
    }


def _ticket_times(spec):
    """create, write, assigned, first response, closed, last stage update (UTC)."""
    created = _to_utc(spec["created"])
    if spec["state"] == "registered":
        return created, created, None, None, None, created
    assigned, responded = _to_utc(spec["assigned"]), _to_utc(spec["responded"])
    if spec["state"] == "in_progress":
        return created, responded, assigned, responded, None, assigned
    closed = _to_utc(spec["closed"])
    return created, closed, assigned, responded, closed, closed


def _left_repair(spec):
    """A resolved (or still open) incident whose fix was a repair of the asset."""
    return bool(spec["asset"]) and spec["note"][1] and spec["state"] in ("resolved", "in_progress")


def _repair_vals(env, spec, maintenance_team):
    done = spec["state"] == "resolved"
    minutes = _work_minutes_between(spec["responded"], spec["closed"]) if done else 0.0
    return {
        "name": spec["ticket"].name,
        "description": Markup("<p>%s</p>") % spec["note"][0] if done else False,
        "company_id": spec["ticket"].company_id.id,
        "equipment_id": spec["asset"].id,
        "employee_id": spec["employee"].id,
        "user_id": spec["tech"].id,
        "maintenance_type": "corrective",
        "maintenance_team_id": (spec["asset"].maintenance_team_id or maintenance_team).id,
        "stage_id": env.ref("maintenance.stage_3" if done else "maintenance.stage_1").id,
        "request_date": spec["responded"].date(),
        "close_date": spec["closed"].date() if done else False,
        "duration": round(minutes / 60, 1),
        "helpdesk_ticket_ids": [(4, spec["ticket"].id)],
    }


def _rating_vals(env, spec):
    return {
        "res_model_id": env["ir.model"]._get_id("helpdesk.ticket"),
        "res_id": spec["ticket"].id,
        "partner_id": spec["ticket"].partner_id.id,
        "rated_partner_id": spec["tech"].partner_id.id,
        "rating": spec["rating"],
        "feedback": spec["feedback"],
        "consumed": True,
    }


# Kept apart from helpdesk_ticket.py on purpose: demo-only code, one entry point.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itims_generate_demo_history(self, team_id, days=120, seed=2025):
        """Create ``days`` days of incident history for the team ``team_id``.

        Requesters are the employees of the team's company with a national ID who are
        not on the team; assets are the company's tagged equipment. Resolved tickets
        on an asset leave a repair in its history; some resolved tickets are rated.
        """
        team = self.env["helpdesk.ticket.team"].browse(team_id)
        company = team.company_id or self.env.company
        technicians = team.user_ids.sorted("id")
        requesters = self.env["hr.employee"].search(
            [
                ("company_id", "=", company.id),
                ("identification_id", "!=", False),
                ("department_id", "!=", False),
                "|",
                ("user_id", "=", False),
                ("user_id", "not in", (technicians | team.user_id).ids),
            ],
            order="id",
        )
        if not technicians or not requesters:
            return self.browse()
        assets = self.env["maintenance.equipment"].search(
            [("company_id", "in", (company.id, False)), ("itims_asset_tag", "!=", False)],
            order="id",
        )
        rng = random.Random(seed)
        now = pytz.utc.localize(fields.Datetime.now()).astimezone(LIMA).replace(tzinfo=None)
        specs = _plan_incidents(rng, now, days, list(requesters), list(assets))
        specs = _plan_work(rng, now, days, list(technicians), specs)

        # past events: no assignment engine, chatter, followers nor mail
        tickets = self.with_context(**QUIET_CONTEXT).create(
            [_ticket_vals(self.env, team, spec) for spec in specs]
        )
        for ticket, spec in zip(tickets, specs, strict=True):
            spec["ticket"] = ticket
        maintenance_team = self.env["maintenance.team"].search(
            [("company_id", "in", (company.id, False))], limit=1
        )
        repaired = [spec for spec in specs if maintenance_team and _left_repair(spec)]
        requests = (
            self.env["maintenance.request"]
            .with_context(**QUIET_CONTEXT)
            .create([_repair_vals(self.env, spec, maintenance_team) for spec in repaired])
        )
        rated = [
            spec
            for spec in specs
            if spec["state"] == "resolved" and spec["rating"] and spec["rated"] < now
        ]
        ratings = self.env["rating.rating"].create([_rating_vals(self.env, s) for s in rated])

        # it all happened in the past: create_date is a magic column, set afterwards
        self.env.flush_all()
        _write_timestamps(
            self.env.cr,
            "helpdesk_ticket",
            TICKET_TIME_COLUMNS,
            [(spec["ticket"].id, *_ticket_times(spec)) for spec in specs],
        )
        _write_timestamps(
            self.env.cr,
            "maintenance_request",
            ("create_date", "write_date"),
            [
                (request.id, _to_utc(spec["responded"]), _ticket_times(spec)[1])
                for request, spec in zip(requests, repaired, strict=True)
            ],
        )
        _write_timestamps(
            self.env.cr,
            "rating_rating",
            ("create_date", "write_date"),
            [
                (rating.id, _to_utc(spec["rated"]), _to_utc(spec["rated"]))
                for rating, spec in zip(ratings, rated, strict=True)
            ],
        )
        # the engine's rotation goes on from this history: each technician's last
        # assignment, and the serial that orders them (oldest first)
        if not tickets:
            return tickets
        self.env.cr.execute(
            SQL(
                """
                WITH last AS (
                    SELECT user_id, MAX(assigned_date) AS assigned
                      FROM helpdesk_ticket
                     WHERE id IN %s AND user_id IS NOT NULL
                     GROUP BY user_id
                ), ranked AS (
                    SELECT user_id, assigned,
                           (SELECT COALESCE(MAX(itims_assignment_serial), 0) FROM res_users)
                           + ROW_NUMBER() OVER (ORDER BY assigned, user_id) AS serial
                      FROM last
                )
                UPDATE res_users u
                   SET itims_last_assignment_date = ranked.assigned,
                       itims_assignment_serial = ranked.serial
                  FROM ranked
                 WHERE u.id = ranked.user_id
                """,
                tuple(tickets.ids),
            )
        )
        self.env.invalidate_all()
        return tickets
