"""What one request may ask of the server: every limit with the message that names it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds on a request and its answer; the time limit is the store's (``--timeout``)."""

    #: bytes of a POST body (a query, or a form holding one)
    body_bytes: int = 256 * 1024
    #: characters of a query, however it came
    query_chars: int = 64 * 1024
    #: rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
    rows: int = 10_000
    #: bytes of an answer, once serialized
    response_bytes: int = 16 * 1024 * 1024
    #: seconds a request waits for a free query worker before it is told the server is busy
    queue_seconds: float = 30.0

    def body_message(self) -> str:
        return (
            f"the request body is larger than {self.body_bytes:,} bytes; "
            "send a shorter query (the limit is the server's)"
        )

    def query_message(self, length: int) -> str:
        return (
            f"the query is {length:,} characters long; this server takes at most "
            f"{self.query_chars:,}"
        )

    def rows_message(self, what: str = "rows") -> str:
        return (
            f"the answer has more than {self.rows:,} {what}; this server returns at most "
            f"{self.rows:,}: add LIMIT (and OFFSET to page through), or narrow the query"
        )

    def bytes_message(self) -> str:
        return (
            f"the answer is larger than {self.response_bytes:,} bytes; this server sends at "
            "most that much: add LIMIT or select fewer or shorter values"
        )
