"""Time from a risk message to its escalation appearing in a navigator's live queue.

Starts the real stack (Rasa, action server, console) as `make run` does, signs a
navigator in, listens to the console's queue stream (server-sent events), then sends
risk messages over the REST webhook and times each one from the moment the message is
sent until the queue stream shows the new escalation.

    .venv/bin/python bench/escalation_latency.py [--messages 20]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.launcher import Stack, StackConfig, free_port  # noqa: E402
from bot.navigator.store import EscalationStore  # noqa: E402
from bot.training import ensure_model  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RISK = "I've got a knife in my bag and they're waiting for me outside school"




def listen(client: httpx.Client, seen: queue.Queue[tuple[float, str]]) -> None:
    try:
        with client.stream("GET", "/events/queue", timeout=None) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    seen.put((time.monotonic(), json.loads(line[5:])["html"]))
    except httpx.HTTPError:
        return  # the console stopped at the end of the run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = StackConfig(
            data_dir=Path(tmp) / "data", rasa_port=free_port(), actions_port=free_port(),
            navigator_port=free_port(), log_dir=Path(tmp) / "logs",
        )
        stack = Stack(config)
        stack.start_actions()
        stack.start_rasa(ensure_model(quiet=True))
        stack.start_navigator()
        try:
            stack.wait_ready()
            os.environ["WAYPOINT_DATA_DIR"] = str(config.data_dir)
            store = EscalationStore(f"sqlite:///{config.data_dir / 'waypoint.db'}")
            store.add_navigator(username="bench", display_name="Bench", password="bench-pass-1")
            console = httpx.Client(base_url=stack.navigator_url.rstrip("/"), timeout=30)
            csrf = CSRF.search(console.get("/login").text).group(1)
            console.post("/login", data={"csrf": csrf, "username": "bench",
                                         "password": "bench-pass-1"})
            seen: queue.Queue[tuple[float, str]] = queue.Queue()
            threading.Thread(target=listen, args=(console, seen), daemon=True).start()
            seen.get(timeout=10)  # the first render of the (empty) queue
            delays = []
            for number in range(args.messages):
                sender = f"bench-{number}"
                sent = time.monotonic()
                httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                           json={"sender": sender, "message": RISK}, timeout=60)
                newest = max(r.id for r in store.queue())
                while True:
                    at, html = seen.get(timeout=10)
                    if f"/escalations/{newest}" in html:
                        delays.append(at - sent)
                        break
            delays.sort()
            p95 = delays[max(0, round(0.95 * len(delays)) - 1)]
            print(f"escalations: {len(delays)}; message sent -> visible in console queue:")
            print(f"  median {statistics.median(delays) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
                  f" max {delays[-1] * 1000:.0f} ms")
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
