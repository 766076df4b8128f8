"""Watching a Chromium context for Content-Security-Policy violations.

``watch_csp(context)`` returns a list that fills with one line per violation, from two sources:
the ``securitypolicyviolation`` DOM event (reported through an exposed function, so it survives
navigations) and Chromium's console errors about the policy. A test asserts the list is empty.
"""

from __future__ import annotations

REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__sdCspViolation([e.violatedDirective, e.blockedURI, e.sourceFile + ':' + e.lineNumber,
                           (e.sample || '').slice(0, 80), location.pathname].join(' | '));
});
"""


def watch_csp(context) -> list[str]:
    violations: list[str] = []
    context.expose_function("__sdCspViolation", lambda line: violations.append(line))
    # Init scripts are injected by the browser's debugging protocol: the page's CSP does not apply.
    context.add_init_script(REPORTER)

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append("console: " + message.text[:300])

    context.on("console", on_console)
    return violations
