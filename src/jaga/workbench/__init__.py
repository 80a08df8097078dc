"""The officers' workbench: the registry's daily work in a browser, under `/kerja`, login at `/masuk`.

An edge package like the portal, sharing its page kit (`jaga.portal.pages`: language, templates, the
security headers) and its Babel catalogs. `auth` holds the session cookie, the CSRF token of every form
and the Origin check; each screen is a router in its own module, listed in `routes`.
"""
