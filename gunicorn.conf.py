"""gunicorn's settings, read from the working directory at start (the README's production command).

gunicorn names itself in every response's Server header and has no setting
for it; the header should name no software (it helps nobody but someone
looking for a known flaw), so the name it uses is replaced here, before any
worker serves. tests: brokerage/tests/test_server_header.py starts gunicorn
and checks the header.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "cpd-brokerage"
