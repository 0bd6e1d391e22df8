# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest plugin: Odoo's HTTP server for the test session, so that
``HttpCase.url_open``/``authenticate`` and the browser tests reach the test
database. ``tools/test.sh`` loads it with ``-p pytest_odoo_http``.

Why it is needed: ``odoo.tests.common.PORT`` is read from the configuration
when ``odoo.tests`` is imported, before pytest-odoo parses the configuration
file, so it is always 8069, where a ``make run`` server may be listening on
another database. pytest-odoo 1.0.1 starts no usable server either (its
``--odoo-http`` starts one per test module and stops it at once).

So, once pytest-odoo has read the configuration (pytest_sessionstart), this
serves Odoo's WSGI application from a daemon thread on 127.0.0.1, on a port
chosen by the kernel (never 8069 by chance: no race with a dev server),
points ``PORT`` and ``http_port`` at it, and exposes the test database only
(``dbfilter``), whatever other databases the cluster holds.

HttpCase switches the registry to its test cursor (``enter_test_mode``) in
``setUp`` and back in its cleanup: during the test every cursor the server
opens is that one cursor (requests are serialised by its lock), rolled back
at the end, so nothing the browser does is committed. The SavepointCase
classes open their cursor in ``setUpClass``, which pytest runs after the
previous class's teardown: they never run inside the test mode, and no
transaction of theirs is open (holding locks) while a browser works. Between
HttpCase tests the server is idle.

Not a ``tests/conftest.py``: pytest imports a conftest of the addon as
``training_session.tests.conftest``, which imports the whole addon a second
time outside ``odoo.addons``: its models would be registered twice.
"""
import re
import threading

import pytest

import odoo
import odoo.tests.common
from odoo.service import wsgi_server
from odoo.service.server import ThreadedWSGIServerReloadable

_state = {}


@pytest.hookimpl(tryfirst=True)  # before the header that shows the port
def pytest_sessionstart(session):
    config = odoo.tools.config
    db_name = config['db_name']
    if not db_name:
        return  # not an Odoo run of pytest-odoo
    httpd = ThreadedWSGIServerReloadable(
        odoo.tests.common.HOST, 0, wsgi_server.application)
    port = httpd.server_port
    config['http_interface'] = odoo.tests.common.HOST
    config['http_port'] = port
    config['dbfilter'] = '^%s$' % re.escape(db_name)
    odoo.tests.common.PORT = port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True,
                              name='odoo.service.httpd')
    thread.start()
    _state.update(httpd=httpd, thread=thread)


def pytest_report_header(config):
    httpd = _state.get('httpd')
    if httpd:
        return 'odoo http: http://%s:%s (database %s)' % (
            odoo.tests.common.HOST, httpd.server_port,
            odoo.tools.config['db_name'])
    return None


def pytest_sessionfinish(session):
    httpd = _state.pop('httpd', None)
    if httpd:
        httpd.shutdown()  # serve_forever returns and closes the socket
        _state.pop('thread').join(10)
