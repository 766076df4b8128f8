from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down: every send raises, as smtplib would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP down")
