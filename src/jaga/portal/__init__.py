"""The public portal: pages for citizens, rendered on the server (Jinja2, Babel for Bahasa Indonesia and
English), usable without JavaScript except certificate verification in the browser.

An edge package: it parses requests, calls the cores' services and renders. `jaga.portal.routes` lists its
routers; `jaga.portal.pages` is the kit every page uses (language, templates, headers); `jaga.portal.i18n`
the catalogs, which the officers' workbench shares.
"""
