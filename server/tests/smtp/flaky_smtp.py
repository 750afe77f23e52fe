"""An aiosmtpd handler for the mail tests: it refuses the first messages with the SMTP
codes it is given (say "451,554"), then keeps every message in a Maildir, as the stock
Mailbox handler does."""

import inspect

from aiosmtpd.handlers import Mailbox


class Flaky(Mailbox):
    def __init__(self, mail_dir, codes=""):
        super().__init__(mail_dir)
        self.codes = [c for c in codes.split(",") if c]

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_DATA(self, server, session, envelope):
        if self.codes:
            code = self.codes.pop(0)
            return f"{code} refused for the test"
        result = super().handle_DATA(server, session, envelope)
        if inspect.isawaitable(result):
            result = await result
        return result
