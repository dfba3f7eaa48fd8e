"""The Flask application factory: the JSON API, the search page and the Atom feed in one app.

``create_app(settings)`` opens the indexes once (a :class:`SearchEngine` on ``app.extensions``) and
shares them read-only between requests; there is no module-level app or global state. Errors leave
as ``application/problem+json`` for API clients and as a German error page for browsers; nothing
else (no traceback, no path) leaves the server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from corpora.errors import RatsucheError
from corpora.settings import Settings
from search_api.errors import ApiError, problem

log = logging.getLogger("ratsuche")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
MAX_BODY = 256 * 1024
GERMAN_DETAIL = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Anfrage ist hier nicht erlaubt.",
    413: "Die Anfrage ist zu groß.",
    500: "Der Server konnte die Anfrage nicht beantworten. Bitte versuchen Sie es später erneut.",
}


@dataclass
class AppState:
    settings: Settings
    engine: Any


def create_app(settings: Settings | None = None, *, engine: Any = None) -> Any:
    from flask import Flask, request
    from werkzeug.exceptions import HTTPException

    from search_api.api import api
    from search_api.feeds import feeds
    from search_api.openapi import openapi_document
    from search_api.pages import pages
    from search_api.search import SearchEngine

    settings = settings or Settings()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["ratsuche"] = AppState(settings=settings, engine=engine or SearchEngine(settings))
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(feeds)

    @app.get("/openapi.json")
    def openapi() -> Any:
        from flask import jsonify

        return jsonify(openapi_document())

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/openapi.json"

    def problem_response(status: int, title: str, detail: str, param: str | None = None,
                         reason: str | None = None) -> Any:
        from flask import jsonify, render_template

        if wants_json():
            resp = jsonify(problem(status, title, detail, param=param, reason=reason))
            resp.mimetype = "application/problem+json"
            resp.status_code = status
            return resp
        if reason is None and status in GERMAN_DETAIL:  # werkzeug's English texts
            detail = GERMAN_DETAIL[status]
        return render_template("error.html", status=status, title=title, detail=detail), status

    @app.errorhandler(ApiError)
    def on_api_error(exc: ApiError) -> Any:
        return problem_response(exc.status, exc.title, str(exc), exc.param, exc.reason)

    @app.errorhandler(RatsucheError)
    def on_domain_error(exc: RatsucheError) -> Any:
        status = 404 if exc.reason in ("not_found",) else 503 if exc.reason in ("no_index", "index_mismatch") else 400
        return problem_response(status, "Service unavailable" if status == 503 else "Bad request", str(exc),
                                reason=exc.reason)

    @app.errorhandler(HTTPException)
    def on_http_error(exc: HTTPException) -> Any:
        return problem_response(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def on_unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s", request.path)
        return problem_response(500, "Internal error", "The server could not answer this request.")

    @app.after_request
    def headers(resp: Any) -> Any:
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        if request.path.startswith("/api/") or request.path == "/openapi.json":
            if request.method in ("GET", "HEAD", "OPTIONS"):
                resp.headers["Access-Control-Allow-Origin"] = "*"
        else:
            resp.headers["Content-Security-Policy"] = CSP
            resp.headers["X-Frame-Options"] = "DENY"
        return resp

    return app


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def server_processes(settings: Settings) -> int:
    """How many server processes ``serve`` runs: the setting, or one per CPU core."""
    return settings.workers or _cores()


def serve(settings: Settings) -> None:
    """Serve the app on a production WSGI server, bound to ``settings.host`` (127.0.0.1 by default).

    One process: waitress with ``settings.threads`` threads. Several: gunicorn's pre-fork master
    with that many worker processes of ``settings.threads`` threads each (Python threads share one
    core for Python code, so processes are what uses a second core). Each worker builds its own
    app after the fork (indexes and models are loaded per process, never shared across a fork)
    and limits its BLAS/OpenMP threads to its share of the cores."""
    processes = server_processes(settings)
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        processes = 1
    if processes == 1:
        from waitress import serve as waitress_serve

        waitress_serve(create_app(settings), host=settings.host, port=settings.port, threads=settings.threads,
                       max_request_body_size=MAX_BODY, channel_timeout=60, ident="ratsuche")
        return

    def worker_app() -> Any:
        # each process its share of the cores: idle BLAS/OpenMP threads spin, and with a thread pool
        # per process the spinning alone doubled the CPU time of a hybrid request (measured); torch
        # runs queries on one thread anyway (SearchEngine)
        from threadpoolctl import threadpool_limits

        threadpool_limits(max(1, _cores() // processes))
        return create_app(settings)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": f"{settings.host}:{settings.port}", "workers": processes,
                               "worker_class": "gthread", "threads": settings.threads, "timeout": 120,
                               "graceful_timeout": 10, "preload_app": False, "accesslog": None,
                               "limit_request_line": 8190, "proc_name": "ratsuche",
                               "control_socket_disable": True}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return worker_app()

    Server().run()
