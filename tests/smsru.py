"""A local server speaking SMS.ru's HTTP API (POST /sms/send with api_id, to, msg, json=1):
it keeps what it was asked to send and answers as SMS.ru does, including its errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.httpstub import serving

API_ID = "A1B2C3D4-0000-1111-2222-333344445555"


class SmsRu:
    def __init__(self) -> None:
        self.url = ""  # set once it serves
        self.sent: list[dict[str, str]] = []
        self.number_status: dict[str, int] = {}  # e.g. {"79160000000": 207}: no route
        self.lock = threading.Lock()

    def answer(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("api_id") != API_ID:
            return {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"}
        if form.get("json") != "1" or not form.get("msg"):
            return {
                "status": "ERROR",
                "status_code": 202,
                "status_text": "Неправильно указан получатель",
            }
        number = form.get("to", "")
        code = self.number_status.get(number, 100)
        if code != 100:
            result = {"status": "ERROR", "status_code": code, "status_text": "Нельзя отправить"}
            return {"status": "OK", "status_code": 100, "sms": {number: result}, "balance": 100.0}
        with self.lock:
            self.sent.append(form)
            sms_id = f"000000-{len(self.sent):08d}"
        ok = {"status": "OK", "status_code": 100, "sms_id": sms_id}
        return {"status": "OK", "status_code": 100, "sms": {number: ok}, "balance": 99.5}


@contextmanager
def smsru_server() -> Iterator[SmsRu]:
    service = SmsRu()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            if self.path != "/sms/send":
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(service.answer(form), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    with serving(Handler) as url:
        service.url = url
        yield service
