import threading

import requests

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import server as odoo_server
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user
from odoo.tools import config

from odoo.addons.base.tests.common import BaseCommon

# fixtures are built without chatter, tracking or invitation mails
QUIET_CONTEXT = {
    "mail_create_nolog": True,
    "mail_notrack": True,
    "no_reset_password": True,
    "tracking_disable": True,
}


# what the real-connection tests commit: no chatter, no invitation mails
REAL_CONTEXT = {"mail_create_nolog": True, "no_reset_password": True, "tracking_disable": True}


class RealConnectionCase(BaseCase):
    """Tests outside test mode, against the real HTTP server that ``--odoo-http``
    starts in this process: fixtures are committed through real connections
    (``registry.cursor()``) and deleted again by the test; each request is served
    in its own thread, connection and transaction, as in production. HttpCase and
    TransactionCase run everything in one test cursor behind a lock and prove
    nothing about concurrency or lost connections."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        if cls.registry.in_test_mode():
            raise RuntimeError("these tests need real connections, not the test cursor")
        if not getattr(odoo_server, "server", None):
            raise RuntimeError("these tests need the HTTP server (pytest --odoo-http)")
        cls.base_url = f"http://127.0.0.1:{config['http_port']}"
        # a first request alone: the server's lazy start-up (the addons' manifests,
        # parsed on the first request) must not race in two threads (a CPython 3.11
        # ast bug: "AST constructor recursion depth mismatch")
        requests.get(f"{cls.base_url}/web/login", timeout=60)

    def _in_transaction(self, func):
        """``func(env)`` as superuser in a new connection, committed."""
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, dict(REAL_CONTEXT)))

    def _intake_fixtures(self, env, name, national_id, submit_limit):
        """What a public submission needs, committed: an office, a requester with
        ``national_id``, a category and its team without members (tickets stay in
        the queue), in the website's company; the submit rate limit set to
        ``submit_limit``. Returns their ids and the limit it replaced."""
        ICP = env["ir.config_parameter"]
        previous = ICP.get_param("helpdesk_itims.rate_limit_submit")
        ICP.set_param("helpdesk_itims.rate_limit_submit", submit_limit)
        company = env.ref("website.default_website").company_id
        office = env["hr.department"].create({"name": name, "company_id": company.id})
        employee = env["hr.employee"].create(
            {
                "name": f"{name} Tester",
                "identification_id": national_id,
                "department_id": office.id,
                "company_id": company.id,
            }
        )
        category = env["helpdesk.ticket.category"].create({"name": name, "company_id": company.id})
        team = env["helpdesk.ticket.team"].create(
            {"name": name, "company_id": company.id, "category_ids": [(6, 0, category.ids)]}
        )
        return {
            "previous": previous,
            "office": office.id,
            "employee": employee.id,
            "category": category.id,
            "team": team.id,
        }

    def _delete_intake_fixtures(self, env, ids):
        """Delete what ``_intake_fixtures`` made and the tickets of its team."""
        env = env(context=dict(env.context, itims_skip_assignment=True, active_test=False))
        tickets = env["helpdesk.ticket"].search([("team_id", "=", ids["team"])])
        env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids or [0])]
        ).unlink()
        tickets.unlink()
        env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
        env["helpdesk.ticket.category"].browse(ids["category"]).unlink()
        env["hr.employee"].browse(ids["employee"]).unlink()
        env["hr.department"].browse(ids["office"]).unlink()
        env["ir.config_parameter"].set_param(
            "helpdesk_itims.rate_limit_submit", ids["previous"] or False
        )


def activate_spanish(env, modules=("helpdesk_mgmt", "helpdesk_itims"), overwrite=False):
    """The product speaks Spanish: the language and these modules' terms, as after
    `make run`, even on a database created without them. Returns the language."""
    spanish = env["res.lang"]._activate_lang("es_ES")
    env["ir.module.module"]._load_module_terms(list(modules), ["es_ES"], overwrite=overwrite)
    return spanish


class ItimsStagesMixin:
    """The four ITIMS stages (helpdesk_mgmt's default stages, renamed)."""

    @classmethod
    def _itims_set_stages(cls):
        cls.stage_registered = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_resolved = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")


class ItimsCommon(ItimsStagesMixin, BaseCommon):
    """Two teams of one company, a second company, users of every ITIMS group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, **QUIET_CONTEXT, itims_skip_assignment=True)
        )
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Municipalidad B"})
        cls._itims_set_stages()

        def user(login, groups, company=None):
            company = company or cls.company
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.technician = user("itims_tech", "helpdesk_itims.group_itims_technician")
        cls.technician_2 = user("itims_tech2", "helpdesk_itims.group_itims_technician")
        cls.manager = user("itims_manager", "helpdesk_itims.group_itims_manager")
        cls.admin = user("itims_admin", "helpdesk_itims.group_itims_admin")
        cls.monitor = user("itims_monitor", "helpdesk_itims.group_itims_monitor")
        cls.employee_user = user("itims_employee", "base.group_user")
        cls.manager_b = user("itims_manager_b", "helpdesk_itims.group_itims_manager", cls.company_b)

        Team = cls.env["helpdesk.ticket.team"]
        cls.team = Team.create({"name": "Soporte TI", "user_ids": [(6, 0, cls.technician.ids)]})
        cls.team_2 = Team.create({"name": "Redes", "user_ids": [(6, 0, cls.technician_2.ids)]})
        cls.team_b = Team.create({"name": "Soporte B", "company_id": cls.company_b.id})
        cls.office = cls.env["hr.department"].create(
            {"name": "Oficina de Tesorería", "itims_office_code": "TES-T"}
        )
        cls.requester = cls.env["hr.employee"].create(
            {
                "name": "Juana Pérez Quispe",
                "identification_id": "40123456",
                "department_id": cls.office.id,
                "work_email": "juana.perez@example.com",
            }
        )

    @classmethod
    def _ticket(cls, team=None, **vals):
        values = {
            "name": "La impresora no imprime",
            "description": "<p>La impresora del segundo piso no imprime.</p>",
            "team_id": (cls.team if team is None else team).id,
        }
        values.update(vals)
        return cls.env["helpdesk.ticket"].create(values)


class AssignmentCase(ItimsStagesMixin, TransactionCase):
    """A team of three technicians built for the test (no demo data used)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT))
        cls._itims_set_stages()
        cls.tech_a, cls.tech_b, cls.tech_c = (
            cls._new_technician(f"itims_tech_{name}") for name in "abc"
        )
        cls.manager = new_test_user(
            cls.env,
            login="itims_assign_manager",
            groups="helpdesk_itims.group_itims_manager",
            name="Assign Manager",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "ITIMS assignment test team",
                "itims_assignment_method": "manual",
                "user_ids": [(6, 0, (cls.tech_a | cls.tech_b | cls.tech_c).ids)],
            }
        )

    @classmethod
    def _new_technician(cls, login, **kwargs):
        return new_test_user(
            cls.env,
            login=login,
            groups="helpdesk_itims.group_itims_technician",
            name=login.replace("_", " ").title(),
            **kwargs,
        )

    def _ticket(self, team=None, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": vals.pop("name", "Printer jammed"),
                "description": "<p>It does not print.</p>",
                "team_id": (team or self.team).id,
                **vals,
            }
        )

    def _tickets(self, count, team=None):
        tickets = self.env["helpdesk.ticket"]
        for index in range(count):
            tickets |= self._ticket(team=team, name=f"Incident {index}")
        return tickets

    def _set_method(self, method):
        self.team.itims_assignment_method = method

    def _loads(self):
        techs = self.tech_a | self.tech_b | self.tech_c
        counts = techs._itims_active_ticket_counts()
        return [counts.get(t.id, 0) for t in techs]


def run_together(jobs, timeout=120, hung="a client hung"):
    """Run the callables in threads started at the same moment (a barrier); return
    their results, or the exceptions they raised, in order. Fails with ``hung`` when
    a thread has not finished after ``timeout`` seconds."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait(timeout=30)
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            results[index] = error

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
        if thread.is_alive():
            raise AssertionError(hung)
    return results
