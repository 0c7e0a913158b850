"""The WSGI entry point (gunicorn, and ``runserver`` through ``WSGI_APPLICATION``).

At start-up the assistant's index is built in a background thread so the first citizen's
question does not wait for it (about 2–3 s for the whole catalog; ``benchmarks/assistant_eval.py``
measures it).  ``XASO_WARM_ASSISTANT=0`` turns that off."""

import logging
import os
import threading
import time

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
application = get_wsgi_application()


def _warm_assistant() -> None:
    log = logging.getLogger("xaso.assistant")
    started = time.perf_counter()
    try:
        from xaso.assistant.selectors import assistant_engine

        assistant_engine()
    except Exception:  # a cold index is built again on the first question
        log.exception("The assistant index could not be built at start-up")
        return
    log.info("Assistant index ready in %.1f s", time.perf_counter() - started)


if os.environ.get("XASO_WARM_ASSISTANT", "1") != "0":
    threading.Thread(target=_warm_assistant, name="warm-assistant", daemon=True).start()
