"""schemathesis hooks for `npm run test:fuzz` (loaded through SCHEMATHESIS_HOOKS by test/fuzz/run.ts).

Explicit examples: the requests test/fuzz/examples.ts writes (FUZZ_EXAMPLES_FILE), added to each operation's examples
phase, so accepted writes and real records are exercised, not only what the fuzzer's own values reach.

One check of our own, the other half of a decision in schemathesis.toml: the list operations (GET /api/v1/plans,
/overdue, /escalations) take page cursors that are opaque. A document can say what a cursor is made of (base64url) but
not which ones the server gave out, so a schema-valid cursor the fuzzer made up is refused with a 400, rightly. The
toml therefore lets positive_data_acceptance accept a 400 on those operations, and this check takes back everything
else: a schema-valid request to them that is refused with a 400 must be refused for its cursor, and for nothing else.
"""

from __future__ import annotations

import json
import os
import re

import schemathesis

# The list operations and their cursor parameters.
CURSOR_FIELDS = {
    ("GET", "/api/v1/plans"): {"cursor", "before"},
    ("GET", "/overdue"): {"after", "before"},
    ("GET", "/escalations"): {"after", "before"},
}
# The dashboard's refusal page says "<field>: <reason>." (http/dashboard/plugins.ts).
PAGE_REFUSAL = re.compile(r'<p class="govuk-body">([A-Za-z.\[\]0-9]+): ')


def _refused_fields(response) -> set[str]:
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        body = json.loads(response.text)
        fields = {issue.get("path") for issue in body.get("issues", [])}
        if body.get("field"):
            fields.add(body["field"])
        return {f for f in fields if f}
    return set(PAGE_REFUSAL.findall(response.text))


@schemathesis.check
def valid_data_refused_only_for_its_cursor(ctx, response, case):
    """A schema-valid request to a list refused with a 400 names only a cursor it did not give out."""
    meta = case.meta
    allowed = CURSOR_FIELDS.get((case.method.upper(), case.operation.path))
    if allowed is None or meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    fields = _refused_fields(response)
    if not fields or not fields <= allowed:
        raise AssertionError(
            f"A schema-valid request was refused with 400 for {sorted(fields) or 'no named field'}; "
            f"only a made-up cursor ({', '.join(sorted(allowed))}) may be refused"
        )
    return None


def _load_examples() -> dict:
    path = os.environ.get("FUZZ_EXAMPLES_FILE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as fd:
        return json.load(fd)


EXAMPLES = _load_examples()


@schemathesis.hook
def before_add_examples(context, examples):
    operation = context.operation
    if operation is None:
        return
    # A hand-made case carries no credentials of its own: the suite's token or session, as the generated cases do.
    credentials = {}
    if operation.path.startswith("/api/"):
        credentials["headers"] = {"Authorization": f"Bearer {os.environ['FUZZ_API_TOKEN']}"}
    elif os.environ.get("FUZZ_SESSION", "-") != "-":
        credentials["cookies"] = {"cw_session": os.environ["FUZZ_SESSION"]}
    for request in EXAMPLES.get(f"{operation.method.upper()} {operation.path}", []):
        kwargs = {key: request[key] for key in ("path_parameters", "query") if key in request}
        kwargs.update(credentials)
        if "body" in request:
            kwargs["body"] = request["body"]
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        # These are the configured credentials, not generated ones: marked so (schemathesis marks its own cases the
        # same way when it applies the configured auth), the auth checks probe without them instead of failing them.
        case._has_explicit_auth = bool(credentials)
        examples.append(case)
