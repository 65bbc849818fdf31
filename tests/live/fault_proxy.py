"""An HTTP proxy in front of the emulator that injects the faults AWS shows and moto does
not: throttling, server errors, dropped connections, slow answers, denied calls, STS off in a
region. botocore's real retry and timeout code runs against it.

A fault applies to requests of one service (and optionally one region and operation) a given
number of times; everything else is forwarded unchanged.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Fault:
    service: str
    kind: str  # "throttle" | "error500" | "reset" | "slow" | "denied" | "region-disabled" | "html"
    operation: str | None = None  # query Action / JSON target / REST path fragment
    region: str | None = None
    times: int = 1_000_000
    delay: float = 0.0


@dataclass(frozen=True)
class Seen:
    service: str
    region: str
    operation: str


class FaultProxy:
    def __init__(self, target: str):
        self.target = urllib.parse.urlsplit(target)
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service, region = _scope(self.headers.get("Authorization", ""))
                operation = _operation(self.headers, self.command, self.path, body)
                fault = proxy._take(service, region, operation, self.path)
                if fault is None:
                    return self._forward(body)
                if fault.kind == "reset":
                    # RST instead of FIN: the client sees "connection reset by peer".
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if fault.kind == "html":
                    # A 200 that is not an AWS answer: a captive portal or a proxy's page.
                    data = b"<html><body>proxy page</p></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if fault.kind == "slow":
                    # Answers nothing for `delay` seconds, then hangs up: longer than the client waits.
                    time.sleep(fault.delay)
                    self.close_connection = True
                    return
                self._error(service, fault.kind)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def _forward(self, body: bytes):
                connection = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            def _error(self, service: str, kind: str):
                status, code, message = {
                    "throttle": (429 if service in ("apigateway", "apigatewayv2") else 400, "ThrottlingException", "Rate exceeded"),
                    "error500": (500, "InternalFailure", "We encountered an internal error"),
                    "denied": (403, "AccessDenied" if service in ("iam", "sts") else "AccessDeniedException", "User is not authorized"),
                    "region-disabled": (403, "RegionDisabledException", "STS is not activated in this region for account"),
                }[kind]
                if service in ("apigateway", "apigatewayv2"):
                    code = {"ThrottlingException": "TooManyRequestsException"}.get(code, code)
                    data = ('{"message": "%s"}' % message).encode()
                    content_type = "application/json"
                elif service == "logs":
                    data = ('{"__type": "%s", "message": "%s"}' % (code, message)).encode()
                    content_type = "application/x-amz-json-1.1"
                else:
                    data = (
                        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                        "</Error><RequestId>fault</RequestId></ErrorResponse>"
                    ).encode()
                    content_type = "text/xml"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("x-amzn-ErrorType", code)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _take(self, service: str, region: str, operation: str, path: str) -> Fault | None:
        with self._lock:
            self.seen.append(Seen(service, region, operation))
            for fault in self.faults:
                if fault.times <= 0 or fault.service != service or fault.region not in (None, region):
                    continue
                if fault.operation is not None and fault.operation not in (operation, path) and fault.operation not in path:
                    continue
                fault.times -= 1
                return fault
        return None

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def _scope(authorization: str) -> tuple[str, str]:
    """Service and region from SigV4's credential scope (`.../<date>/<region>/<service>/aws4_request`)."""
    credential = authorization.partition("Credential=")[2].split(",")[0]
    parts = credential.split("/")
    return (parts[3], parts[2]) if len(parts) >= 5 else ("", "")


def _operation(headers, method: str, path: str, body: bytes) -> str:
    """The query `Action`, the JSON target's operation, or `METHOD /path` for REST APIs."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    if "Action" in form:
        return form["Action"][0]
    return f"{method} {path}"
