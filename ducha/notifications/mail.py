"""Django's SMTP backend, verifying the server against an office's own CA when one is set.

Mail servers inside government networks often carry certificates from an internal authority;
DUCHA_SMTP_CA_FILE names it (PEM) instead of turning verification off.
"""

import ssl
from functools import cached_property

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class EmailBackend(DjangoSMTPBackend):
    @cached_property
    def ssl_context(self):
        cafile = getattr(settings, "DUCHA_SMTP_CA_FILE", "") or None
        context = ssl.create_default_context(cafile=cafile)
        if self.ssl_certfile or self.ssl_keyfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context
