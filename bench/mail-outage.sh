#!/usr/bin/env bash
# The SMTP server (Debian's aiosmtpd on loopback) stops while mails are being queued and
# returns after OUTAGE_SECS (300); MAILS (1,000) mails, a third sent before the outage and
# the rest queued during it. Prints how many were queued, how long the queue took to drain
# after the server returned, and the duplicates the receiver saw by Message-ID. The run
# fails if a mail is lost or given up.
#
#   bench/mail-outage.sh
#   MAILS=200 OUTAGE_SECS=30 bench/mail-outage.sh
#
# The driver is server/tests/mail.rs; the README's test command runs it with 60 mails and
# a 2-second outage.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_build_tools
setup_test_tools
cd "$ROOT"
say "${MAILS:-1000} mails, the SMTP server down for ${OUTAGE_SECS:-300} s"
COUNTERPOINT_MAIL_OUTAGE_MAILS="${MAILS:-1000}" COUNTERPOINT_MAIL_OUTAGE_SECS="${OUTAGE_SECS:-300}" \
  cargo test -q -p server --features app/test-support --test mail -- --nocapture --exact \
  the_smtp_server_going_down_mid_stream_and_coming_back_loses_no_mail
