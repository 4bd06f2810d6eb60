"""SPARQL 1.1 Update over the protocol (https://www.w3.org/TR/sparql11-protocol/#update-operation).

``POST /sparql`` with

* an ``application/x-www-form-urlencoded`` body ``update=...`` (plus optional
  ``using-graph-uri`` / ``using-named-graph-uri`` fields or query-string parameters), or
* an ``application/sparql-update`` UTF-8 body (dataset parameters in the query string),

answered ``204 No Content`` (no body, no ``Content-Type``) when every operation succeeded. The whole request is one
Oxigraph transaction (``kg.graphstore.apply_update``): if any operation fails, nothing
is written. Relative IRIs resolve against the endpoint URL; the prefixes of
``kg.store.PREFIXES`` are predeclared. Writes must be enabled and authorised
(:mod:`service.auth`: 403 off, 401 no/wrong token).

Errors (the JSON shape of :mod:`service.errors`): a malformed update is 400 "Malformed SPARQL
update" with Oxigraph's parser message; a using-graph-uri / using-named-graph-uri value that is
not an IRI is 400 "Invalid using-graph-uri"; a well-formed update that cannot be applied (e.g.
CREATE GRAPH of an existing graph) is 400 "Update failed". Nothing is written in any of these.

Refused: an update by GET (400: the protocol allows POST only), ``default-graph-uri``/
``named-graph-uri`` (400: those belong to queries), USING/WITH together with the dataset
parameters (400, Protocol §2.2.3); ``LOAD`` and (unless allowed) ``SERVICE`` are refused
with 403 by the app's store before anything runs (:mod:`service.limits`, :mod:`service.safety`).
"""

from __future__ import annotations

import logging

from flask import Request, Response

from kg.errors import QueryError
from kg.graphstore import apply_update
from kg.store import UpdateError
from service.auth import require_write, write_lock
from service.db import get_store
from service.errors import APIError
from service.protocol import FORM, SPARQL_UPDATE, graph_iris, no_body, one_value, utf8_body

log = logging.getLogger(__name__)


def is_update_request(req: Request) -> bool:
    """Whether ``req`` asks for an update (an ``update`` parameter or an ``application/sparql-update`` body)."""
    if "update" in req.args or req.mimetype == SPARQL_UPDATE:
        return True
    return req.method == "POST" and req.mimetype == FORM and "update" in req.form


def handle_update(req: Request) -> Response:
    """Authorise, read and run one SPARQL Update request; 204 on success.

    Raises:
        APIError: 400/403/415 as in the module docstring, 400 "Malformed SPARQL update".
        UpdateError: 400 a well-formed update that cannot be applied (the store is unchanged).
    """
    require_write(req, "SPARQL Update")
    update, using, using_named = read_update(req)
    with write_lock():  # the app's store refuses LOAD and SERVICE before running (service.limits, .safety)
        try:
            apply_update(get_store(), update, using_graphs=using, using_named_graphs=using_named,
                         base_iri=req.base_url)
        except UpdateError:
            raise  # "Update failed" (service.auth)
        except QueryError as exc:  # the parser's message, or USING together with using-graph-uri
            raise APIError(400, "Malformed SPARQL update", f"{exc}; nothing was written") from None
    log.info("update applied (%d characters) from %s", len(update), req.remote_addr)
    return no_body(204)


def read_update(req: Request) -> tuple[str, list[str] | None, list[str] | None]:
    """Extract the update and the protocol's USING dataset from a request.

    Returns:
        (update text, using-graph-uri list or None, using-named-graph-uri list or None).

    Raises:
        APIError: 400 GET, missing or repeated update, query and update together, query
            dataset parameters, a using-graph-uri / using-named-graph-uri that is not an IRI;
            415 non-UTF-8 body.
    """
    if req.method != "POST":
        raise APIError(400, "Update needs POST", "send a SPARQL Update by POST (form field 'update' "
                                                 f"or an {SPARQL_UPDATE} body), never by {req.method}")
    if req.mimetype == FORM:
        params = req.values
        updates = params.getlist("update")
    else:
        params = req.args
        updates = params.getlist("update") + [utf8_body(req, "update")]
    if "query" in params:
        raise APIError(400, "Query and update together", "a request holds either a 'query' or an 'update'")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            raise APIError(400, "Query parameter in an update",
                           f"{name} applies to queries; give an update's dataset with using-graph-uri / "
                           "using-named-graph-uri")
    update = one_value(updates, "update", "update")
    using = graph_iris(params.getlist("using-graph-uri"), "using-graph-uri")
    using_named = graph_iris(params.getlist("using-named-graph-uri"), "using-named-graph-uri")
    return update, using or None, using_named or None
