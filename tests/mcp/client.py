"""Drives `aws-agent mcp` with the official MCP Python SDK (`mcp` on PyPI), a client no one here wrote.

Usage: client.py SCENARIO --binary PATH --home DIR [--plugins DIR] [--moto URL] [--runs N]

Each scenario starts the server itself, asserts what a client sees, prints one line per check
and exits non-zero on the first failure. host/tests/mcp.rs runs them; `bench` prints medians.
"""

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import mcp_types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

ARGS = None
# The running HTTP server's process id, for /proc.
SERVER = {}


def check(condition, what, detail=""):
    if not condition:
        sys.exit(f"FAILED: {what}\n{detail}")
    print(f"ok: {what}")


def env(**extra):
    home = Path(ARGS.home)
    return dict(
        os.environ,
        **extra,
        AWS_AGENT_STATE_DIR=str(home / "state"),
        AWS_AGENT_CONFIG=str(home / "config.toml"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
    )


@asynccontextmanager
async def stdio(*flags, elicitation=None, environment=None):
    params = StdioServerParameters(command=ARGS.binary, args=["mcp", *flags], env=env(**(environment or {})))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, elicitation_callback=elicitation) as session:
            await session.initialize()
            yield session


@asynccontextmanager
async def http_server(*flags):
    """Starts `aws-agent mcp --http 127.0.0.1:0` and yields its URL, read from its stderr."""
    process = await asyncio.create_subprocess_exec(
        ARGS.binary, "mcp", "--http", "127.0.0.1:0", *flags, env=env(), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    SERVER["pid"] = process.pid
    try:
        url = None
        while url is None:
            line = await asyncio.wait_for(process.stderr.readline(), 120)
            if not line:
                sys.exit(f"FAILED: the HTTP server exited before listening: {await process.stdout.read()!r}")
            text = line.decode()
            if "MCP server: " in text:
                url = text.split("MCP server: ", 1)[1].strip()
        # Keep draining stderr so the server never blocks on a full pipe.
        drain = asyncio.ensure_future(process.stderr.read())
        yield url
        drain.cancel()
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def http_session(url):
    async with streamable_http_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


def text_of(result):
    return "\n".join(block.text for block in result.content if getattr(block, "text", None) is not None)


async def configuration(session):
    result = await session.call_tool("show-config", {})
    check(not result.is_error, "show-config runs", text_of(result))
    return result.structured_content["configuration"]


def builtins():
    return sorted(p.stem for p in Path(ARGS.plugins).glob("*.wasm"))


async def tools_and_calls():
    async with stdio() as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}
        check(sorted(set(tools) - {"converse"}) == builtins(), "every built-in is a tool", sorted(tools))
        check("converse" in tools, "converse is a tool")
        for name, tool in tools.items():
            check(tool.input_schema.get("type") == "object" and tool.input_schema.get("additionalProperties") is False, f"{name} has a closed object schema", tool.input_schema)
            check(tool.description, f"{name} has a description")
            check(tool.annotations is not None, f"{name} has annotations")
        cheapest = tools["find-cheapest"].input_schema["properties"]
        check(cheapest["cpu"]["type"] == "integer" and cheapest["ram"]["type"] == "number", "find-cheapest's schema types its parameters", cheapest)
        counts = tools["modify-ec2"].input_schema["properties"]["MinCount"], tools["modify-asg"].input_schema["properties"]["MinSize"]
        check([(c["minimum"], c["maximum"]) for c in counts] == [(1, 2147483647), (0, 2147483647)], "counts carry the range the host enforces", counts)
        check(tools["show-config"].annotations.read_only_hint is True, "show-config is read-only")
        check(tools["find-cheapest"].annotations.read_only_hint is False, "find-cheapest changes the configuration")
        for name in ("deploy", "teardown"):
            check(tools[name].annotations.destructive_hint is True, f"{name} is destructive")
        check(tools["modify-asg"].annotations.destructive_hint is False, "modify-asg is not destructive")
        for name in ("export", "status"):
            check(tools[name].annotations.read_only_hint is True and tools[name].annotations.destructive_hint is False, f"{name} is read-only", tools[name].annotations)
        check(tools["status"].annotations.open_world_hint is True and tools["export"].annotations.open_world_hint is False, "status reads AWS, export does not")

        result = await session.call_tool("find-cheapest", {"cpu": 2, "ram": 4})
        check(not result.is_error and "t4g.medium" in text_of(result), "find-cheapest {cpu: 2, ram: 4} answers t4g.medium", text_of(result))
        structured = result.structured_content
        check(structured["configuration"]["ec2"]["InstanceType"] == "t4g.medium", "the structured result carries the configuration", structured)
        check(structured["tables"][0]["rows"][0][0] == "t4g.medium", "the structured result carries the offers", structured["tables"])

        result = await session.call_tool("enable-autoscaling", {})
        check(not result.is_error, "enable-autoscaling runs", text_of(result))
        before = await configuration(session)
        result = await session.call_tool("modify-asg", {"DesiredCapacity": 50, "MaxSize": 3})
        check(result.is_error, "DesiredCapacity 50 with MaxSize 3 is a tool error", text_of(result))
        check("unchanged" in text_of(result), "the error says the configuration is unchanged", text_of(result))
        check(await configuration(session) == before, "the configuration is unchanged")

        try:
            await session.call_tool("no-such-tool", {})
            check(False, "an unknown tool is a JSON-RPC error")
        except MCPError as e:
            check(e.error.code == types.INVALID_PARAMS, "an unknown tool is a JSON-RPC invalid-params error", e)
        result = await session.call_tool("modify-ec2", {"MinCount": {"nested": 1}})
        check(result.is_error and "MinCount" in text_of(result), "a nested argument is a tool error naming it", text_of(result))
        result = await session.call_tool("modify-ec2", {"NoSuchParameter": 1})
        check(result.is_error and "NoSuchParameter" in text_of(result), "an unknown argument is a tool error naming it", text_of(result))
        check(await configuration(session) == before, "the server keeps serving, the configuration unchanged")

        result = await session.call_tool("converse", {"text": "keep at least 2 running"})
        check(not result.is_error and result.structured_content["configuration"]["asg"]["MinSize"] == 2, "converse routes and runs the user's words", text_of(result))
        result = await session.call_tool("converse", {"text": "what is the capital of France?"})
        check(result.structured_content["call"]["intent"] == "out-of-scope", "converse answers what is out of scope with out-of-scope", text_of(result))
        result = await session.call_tool("deploy", {})
        check(result.is_error and "--allow-deploy" in text_of(result), "deploy without --allow-deploy is refused", text_of(result))
        result = await session.call_tool("converse", {"text": "deploy it"})
        check(result.is_error and "--allow-deploy" in text_of(result), "converse cannot deploy without --allow-deploy either", text_of(result))

    saved = json.loads((Path(ARGS.home) / "state" / "mcp-session.json").read_text())
    check(len(saved["turns"]) >= 8, "the session's turns are saved like the REPL's", len(saved["turns"]))
    async with stdio("--resume") as session:
        config = await configuration(session)
        check(config["ec2"]["InstanceType"] == "t4g.medium" and config["asg"]["MinSize"] == 2, "--resume restores the session", config)


async def deploy():
    async with stdio("--aws-endpoint", ARGS.moto) as session:
        result = await session.call_tool("deploy", {})
        check(result.is_error and "--allow-deploy" in text_of(result), "deploy is refused without --allow-deploy", text_of(result))
    check(instances() == [], "nothing reached AWS")
    asked = []

    async def accept(context, params):
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": True})

    async with stdio("--aws-endpoint", ARGS.moto, "--allow-deploy", elicitation=accept) as session:
        result = await session.call_tool("converse", {"text": "cheapest box with 2 vCPUs and 8 GB"})
        check(not result.is_error, "converse finds a type", text_of(result))
        chosen = result.structured_content["configuration"]["ec2"]["InstanceType"]
        result = await session.call_tool("deploy", {})
        check(not result.is_error, "deploy runs with --allow-deploy", text_of(result))
        running = instances()
        check(len(running) == 1 and running[0]["type"] == chosen, f"boto3 sees one {chosen} instance", running)
        check("aws-agent:session" in running[0]["tags"], "the instance carries the session tag", running)
        check(asked == [], "the simulator's deploy asks nothing", asked)
        for ack in ["ok", "looks good, thanks", "deploy"]:
            result = await session.call_tool("converse", {"text": ack})
            check(not result.is_error and len(instances()) == 1, f"converse {ack!r} after the deploy launches no second copy", f"{text_of(result)}\n{instances()}")
        result = await session.call_tool("teardown", {})
        check(len(asked) == 1 and running[0]["id"] in asked[0], "teardown asks the client, naming what it deletes", asked)
        check(not result.is_error, "teardown runs once confirmed", text_of(result))
    check(all(i["state"] in ("shutting-down", "terminated") for i in instances()), "boto3 sees it terminated")


def instances():
    import boto3

    ec2 = boto3.client("ec2", endpoint_url=ARGS.moto, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    found = []
    for reservation in ec2.describe_instances()["Reservations"]:
        for i in reservation["Instances"]:
            found.append({"id": i["InstanceId"], "type": i["InstanceType"], "state": i["State"]["Name"], "tags": {t["Key"]: t["Value"] for t in i.get("Tags", [])}})
    return found


async def http():
    async with http_server() as url:
        async with http_session(url) as first, http_session(url) as second:
            tools = {t.name for t in (await first.list_tools()).tools}
            check(sorted(tools - {"converse"}) == builtins(), "every built-in is a tool over HTTP", sorted(tools))
            result = await first.call_tool("find-cheapest", {"cpu": 2, "ram": 4})
            check(not result.is_error and result.structured_content["configuration"]["ec2"]["InstanceType"] == "t4g.medium", "find-cheapest over HTTP", text_of(result))
            other = await configuration(second)
            check(other["ec2"]["InstanceType"] != "t4g.medium", "each HTTP session has its own configuration", other)
            result = await second.call_tool("deploy", {})
            check(result.is_error and "--allow-deploy" in text_of(result), "deploy is refused over HTTP", text_of(result))


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def mcp_error(exc):
    """The MCPError in `exc`, which task groups may have wrapped in exception groups."""
    if isinstance(exc, MCPError):
        return exc
    for inner in getattr(exc, "exceptions", ()):
        found = mcp_error(inner)
        if found is not None:
            return found
    return None


async def until(condition, what, within=60):
    """Polls `condition` (an async function) until it is true; fails after `within` seconds."""
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            sys.exit(f"FAILED: {what}")
        await asyncio.sleep(0.5)


async def http_sessions():
    termination = []

    class Collect(logging.Handler):
        def emit(self, record):
            if "termination" in record.getMessage():
                termination.append(record.getMessage())

    logging.getLogger("mcp.client.streamable_http").addHandler(Collect(level=logging.WARNING))
    async with http_server("--max-sessions", "2", "--session-idle", "4") as url:
        pid = SERVER["pid"]
        alone = threads(pid)
        async with http_session(url) as first:
            async with http_session(url) as second:
                await configuration(first)
                await second.list_tools()
                check(threads(pid) >= alone + 2, "each session has its own thread", (alone, threads(pid)))
                refused = None
                try:
                    async with http_session(url):
                        pass
                except BaseException as e:  # noqa: BLE001 - task groups wrap what initialize raised
                    refused = mcp_error(e)
                check(refused is not None and "--max-sessions 2" in refused.error.message, "a third session is refused with the reason", refused)
            check(termination == [], "the SDK takes the DELETE that ends a session as done", termination)
            async with http_session(url) as third:
                check(len((await third.list_tools()).tools) > 1, "a session ended by DELETE frees its place")

            # Nothing is asked meanwhile (a request would keep the session alive): the ended
            # session's thread is what shows it ended.
            async def released():
                return threads(pid) <= alone

            await until(released, f"an idle session is ended and its thread stops (server has {threads(pid)} threads, {alone} with no session)")
            check(True, "a session with no request for --session-idle seconds is ended, and its thread stops")
            try:
                await first.list_tools()
                check(False, "the ended session no longer answers")
            except MCPError as e:
                check("terminated" in e.error.message.lower(), "the ended session is said to be terminated", e)
            saved = Path(ARGS.home) / "state" / "mcp-session-1.json"
            check(saved.is_file(), "the ended session's file stays, for --resume")


async def real_aws():
    async with stdio("--real-aws", "--allow-deploy") as session:
        result = await session.call_tool("deploy", {})
        check(result.is_error and "elicitation" in text_of(result), "real AWS: a client that cannot confirm is refused", text_of(result))
    asked = []

    async def decline(context, params):
        asked.append(params.message)
        return types.ElicitResult(action="decline")

    # "Real AWS" as the SDK resolves it, with each service's standard endpoint variable pointed
    # at moto: the real-AWS path (pre-flight, dry run, then the question) without an account.
    services = {f"AWS_ENDPOINT_URL_{name}": ARGS.moto for name in ("EC2", "AUTO_SCALING", "SSM")}
    async with stdio("--real-aws", "--allow-deploy", elicitation=decline, environment=services) as session:
        result = await session.call_tool("deploy", {})
        check(len(asked) == 1 and "real AWS" in asked[0], "real AWS: the client is asked to confirm", f"{asked}\n{text_of(result)}")
        check(result.is_error and "you did not confirm" in text_of(result), "real AWS: a declined deploy is refused", text_of(result))
    check(instances() == [], "real AWS: nothing was created")


async def bench():
    starts, calls = [], []
    for _ in range(ARGS.runs):
        began = time.perf_counter()
        async with stdio() as session:
            await session.list_tools()
            starts.append(time.perf_counter() - began)
            began = time.perf_counter()
            await session.call_tool("find-cheapest", {"cpu": 2, "ram": 4})
            calls.append(time.perf_counter() - began)
    print(f"runs: {ARGS.runs}; median initialize + list tools: {statistics.median(starts) * 1000:.0f} ms; median find-cheapest call: {statistics.median(calls) * 1000:.1f} ms")


SCENARIOS = {"tools-and-calls": tools_and_calls, "deploy": deploy, "http": http, "http-sessions": http_sessions, "real-aws": real_aws, "bench": bench}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--plugins", default="target/plugins")
    parser.add_argument("--moto")
    parser.add_argument("--runs", type=int, default=10)
    ARGS = parser.parse_args()
    asyncio.run(SCENARIOS[ARGS.scenario]())
