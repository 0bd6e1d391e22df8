# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build static/description/index.html, the addon's page in Odoo's Apps,
from the readme/ fragments, as OCA's oca-gen-addon-readme does (which is
not packaged for these machines). Without that page, Odoo 11 renders the
root README.md as reStructuredText and logs docutils warnings at every
install.

    .venv/bin/python tools/gen_description.py          # write the page
    .venv/bin/python tools/gen_description.py --check  # exit 1 if stale

tests/test_readme.py checks that the committed page is up to date.
"""
import os
import sys

from docutils.core import publish_parts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, 'static', 'description', 'index.html')
# the fragments, in OCA's order, with their section titles
SECTIONS = [
    ('DESCRIPTION.rst', None),
    ('INSTALL.rst', 'Installation'),
    ('CONFIGURE.rst', 'Configuration'),
    ('USAGE.rst', 'Usage'),
    ('ROADMAP.rst', 'Known issues / Roadmap'),
    ('CONTRIBUTORS.rst', 'Contributors'),
]


def source_text():
    """The reStructuredText of the page, from the fragments."""
    manifest = {}
    with open(os.path.join(ROOT, '__manifest__.py')) as handle:
        manifest = eval(handle.read())  # a literal dict, ours
    title = manifest['name']
    parts = ['=' * len(title), title, '=' * len(title), '',
             manifest.get('summary', ''), '']
    for filename, heading in SECTIONS:
        path = os.path.join(ROOT, 'readme', filename)
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as handle:
            body = handle.read().strip()
        if heading:
            parts += [heading, '=' * len(heading), '']
        parts += [body, '']
    return '\n'.join(parts)


def render():
    """The HTML page (a fragment that Odoo sanitises and shows)."""
    parts = publish_parts(
        source_text(), writer_name='html',
        settings_overrides={
            'report_level': 2, 'halt_level': 2,  # a warning is an error
            'embed_stylesheet': False, 'doctitle_xform': True,
            'output_encoding': 'unicode', 'xml_declaration': False})
    return ('<section class="oe_container">\n%s%s</section>\n' % (
        parts['html_title'], parts['body']))


def main(argv):
    html = render()
    current = None
    if os.path.exists(TARGET):
        with open(TARGET, encoding='utf-8') as handle:
            current = handle.read()
    if '--check' in argv:
        if current != html:
            sys.stderr.write('%s is stale: run tools/gen_description.py\n'
                             % TARGET)
            return 1
        return 0
    if current != html:
        with open(TARGET, 'w', encoding='utf-8') as handle:
            handle.write(html)
        print('%s written' % TARGET)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
