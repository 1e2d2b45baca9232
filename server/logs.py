"""Log hygiene: what a client can make the server log is one short line, never a traceback."""

from __future__ import annotations

import logging

# uvicorn logs these client mistakes with a full traceback (logger.exception); one line
# says it all, and a client that repeats the mistake must not be able to flood the log.
CLIENT_MISTAKES = ("Invalid UTF-8 sequence received from client.",)


class OneLineClientMistakes(logging.Filter):
    """Drops the traceback of a client mistake uvicorn logs (the record itself stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage() in CLIENT_MISTAKES:
            record.exc_info, record.exc_text = None, None
        return True


def quiet_client_mistakes() -> None:
    """Install the filter on uvicorn's error log (once per process)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, OneLineClientMistakes) for f in logger.filters):
        logger.addFilter(OneLineClientMistakes())
