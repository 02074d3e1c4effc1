"""Test doubles for the LLM port: a scripted fake, and an OpenAI-compatible HTTP stub on 127.0.0.1.

The stub is what litellm's real HTTP path talks to in tests: the OpenAI client, httpx, JSON
over a socket. It serves `POST /v1/chat/completions` from a script of replies and records
every request it received.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from requests.structures import CaseInsensitiveDict

from prime_action.brain.llm import Completion, Message
from prime_action.domain.errors import LLMError
from prime_action.domain.models import Usage

STUB_API_KEY = "sk-stub-0123456789abcdefghij"  # what tests put in OPENAI_API_KEY
# What each FakeLLM answer costs.
FAKE_USAGE = Usage(prompt_tokens=1000, completion_tokens=100, cost_usd=0.002)


@dataclass
class FakeLLM:
    """The LLM port from a script: each call takes the next reply (text, or an LLMError)."""

    replies: list[str | LLMError]
    usage: Usage = FAKE_USAGE
    calls: list[tuple[Message, ...]] = field(default_factory=list)

    def complete(self, messages: tuple[Message, ...], schema: dict[str, Any]) -> Completion:
        del schema
        self.calls.append(messages)
        reply = self.replies.pop(0)
        if isinstance(reply, LLMError):
            raise reply
        return Completion(text=reply, usage=self.usage)


@dataclass
class Reply:
    """One scripted answer of the stub: content, an HTTP status, or a delay first."""

    content: str = ""
    status: int = 200
    delay: float = 0.0


@dataclass
class OpenAIStub:
    """A local OpenAI-compatible server; `base_url` goes into `brain.api_base`."""

    script: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    # Header names are case-insensitive, as in HTTP (clients differ in the case they send).
    headers: list[CaseInsensitiveDict[str]] = field(default_factory=list)
    base_url: str = ""

    def answer(self, *contents: str) -> None:
        """Queue plain answers."""
        self.script.extend(Reply(content=c) for c in contents)

    def _next(self) -> Reply:
        return self.script.pop(0) if self.script else Reply(status=500, content="script empty")


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 1_760_000_000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 150, "total_tokens": 1350},
    }


def _handler(stub: OpenAIStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            stub.requests.append(json.loads(self.rfile.read(length) or b"{}"))
            stub.headers.append(CaseInsensitiveDict(self.headers.items()))
            reply = stub._next()
            time.sleep(reply.delay)
            body = json.dumps(
                _completion(reply.content) if reply.status == 200 else {"error": reply.content}
            ).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client timed out and hung up: nothing left to tell it
                return

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    return Handler


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    """A started OpenAIStub on 127.0.0.1 (a free port), stopped after the test."""
    stub = OpenAIStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
