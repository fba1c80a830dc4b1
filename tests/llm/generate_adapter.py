#!/usr/bin/env python3
"""A text-generation-inference `/generate` endpoint in front of llama-server, for `make eval-llm`.

aws-agent's raven backend speaks TGI's protocol (POST {"inputs", "parameters"} and read
{"generated_text"}); llama-server does not, so this adapter translates one request at a time to
llama-server's `/completion`. Standard library only, so it runs from a clean clone.

    generate_adapter.py --listen PORT --upstream http://127.0.0.1:SERVERPORT [--chat-template chatml|none]

What it does to a request, and why:
- `inputs` is wrapped as one ChatML user turn and the assistant's answer is pre-filled with
  `Call:`. Qwen2.5-Coder-Instruct is not NexusRaven; without its chat markers it rambles, and
  with the pre-fill it answers in NexusRaven's `Call: f(x=1)` shape. `--chat-template none`
  forwards `inputs` untouched (for a real NexusRaven model behind llama-server).
- `max_new_tokens`, `stop`, `temperature` and `do_sample` map to `n_predict`, `stop` and
  `temperature` (greedy when do_sample is false, as TGI does).
- The reply carries the pre-filled `Call:` and, when generation stopped on a stop word, that
  word, since TGI keeps the stop sequence in `generated_text`.
- llama-server's `timings` (prompt tokens processed and served from cache) are passed through
  at the top level, so aws-agent can log them as it does for the openai protocol.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

PREFILL = "Call:"


def to_completion(body, template):
    inputs = body.get("inputs")
    if not isinstance(inputs, str):
        raise ValueError("`inputs` must be a string")
    params = body.get("parameters") or {}
    prefill = ""
    prompt = inputs
    if template == "chatml":
        prefill = PREFILL
        prompt = f"<|im_start|>user\n{inputs}<|im_end|>\n<|im_start|>assistant\n{prefill}"
    greedy = not params.get("do_sample", False)
    request = {
        "prompt": prompt,
        "n_predict": int(params.get("max_new_tokens") or 512),
        "stop": list(params.get("stop") or []),
        "temperature": 0.0 if greedy else float(params.get("temperature") or 1.0),
        "cache_prompt": True,
    }
    return request, prefill


def from_completion(reply, prefill):
    text = prefill + reply.get("content", "")
    if reply.get("stop_type") == "word" and reply.get("stopping_word"):
        text += reply["stopping_word"]
    out = {"generated_text": text}
    if "timings" in reply:
        out["timings"] = reply["timings"]
    # TGI's own detail, cheap to give: why generation ended and how many tokens it made.
    out["details"] = {
        "finish_reason": {"word": "stop_sequence", "eos": "eos_token", "limit": "length"}.get(reply.get("stop_type"), reply.get("stop_type")),
        "generated_tokens": reply.get("tokens_predicted"),
    }
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        # Health is the upstream's health: the eval waits on this before it starts.
        if self.path == "/health":
            try:
                with urllib.request.urlopen(self.server.upstream + "/health", timeout=5) as r:
                    return self.reply(r.status, json.loads(r.read() or b"{}"))
            except urllib.error.HTTPError as e:
                return self.reply(e.code, {"error": f"upstream health {e.code}"})
            except OSError as e:
                return self.reply(502, {"error": f"upstream unreachable: {e}"})
        self.reply(404, {"error": "only POST /generate and GET /health"})

    def do_POST(self):
        if self.path.rstrip("/") not in ("/generate", ""):
            return self.reply(404, {"error": "only POST /generate"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
            request, prefill = to_completion(json.loads(self.rfile.read(length)), self.server.template)
        except (ValueError, TypeError) as e:
            return self.reply(422, {"error": f"bad request: {e}"})
        data = json.dumps(request).encode()
        upstream = urllib.request.Request(self.server.upstream + "/completion", data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(upstream, timeout=self.server.timeout_s) as r:
                reply = json.loads(r.read())
        except urllib.error.HTTPError as e:
            return self.reply(502, {"error": f"upstream /completion answered {e.code}: {e.read()[:300].decode(errors='replace')}"})
        except OSError as e:
            return self.reply(502, {"error": f"upstream /completion failed: {e}"})
        self.reply(200, from_completion(reply, prefill))

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("adapter: " + (fmt % args) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listen", type=int, required=True, help="loopback port to serve /generate on")
    ap.add_argument("--upstream", required=True, help="llama-server base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--chat-template", choices=["chatml", "none"], default="chatml")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for the upstream")
    args = ap.parse_args()
    # One request at a time, like the single slot upstream (-np 1): requests never interleave,
    # so one request's prompt cache is not evicted by another's.
    server = HTTPServer(("127.0.0.1", args.listen), Handler)
    server.upstream = args.upstream.rstrip("/")
    server.template = args.chat_template
    server.timeout_s = args.timeout
    print(f"adapter: /generate on 127.0.0.1:{args.listen} -> {server.upstream}/completion", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
