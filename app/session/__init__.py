"""One conversation layer under the window, the command line and the local API.

:class:`app.session.service.Session` owns what a conversation does (send, stop,
answer now, regenerate, edit and resend, documents put into the prompt, the answer
saved as it grows) and tells its views through typed events
(:mod:`app.session.events`). It imports no Qt: the window, ``cove chat`` and the tests
drive the same code.
"""
