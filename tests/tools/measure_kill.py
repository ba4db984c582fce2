#!/usr/bin/env python3
"""kill -9 against crampsense-host replaying a recording at --speed max (issue 13, items 3 and 4).

  window  N runs, each with a fresh outbox and no broker, killed after a random 4-20 s (start-up takes ~3 s): are the events the
          service announced (its "Event ..." log lines) in the outbox, and is the outbox a prefix of what an
          unkilled reference run committed (no event skipped)?
  broker  10 kills of one device with one outbox, the broker (mosquitto) stopped for runs 4-6; then one run
          to the end with the broker up. A persistent QoS 1 subscriber counts what arrived: lost (announced
          but never received), duplicated (the same message id twice), crashed (a run that ended by itself
          with an error before its kill).

usage: measure_kill.py window|broker RECORDING [RUNS] [SEED]
Build first: dotnet build firmware-host (uses firmware-host/bin/Debug/net10.0/crampsense-host.dll).
"""
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = os.path.join(ROOT, "firmware-host", "bin", "Debug", "net10.0", "crampsense-host.dll")
EVENT_LINE = re.compile(r"Event (\w+) on \w+: onset [^(]*\((\S+)\)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_host(recording, device, port, outbox, log):
    env = dict(os.environ, CRAMPSENSE_Mqtt__Host="127.0.0.1", CRAMPSENSE_Mqtt__Port=str(port),
               CRAMPSENSE_Mqtt__Outbox__Path=outbox, CRAMPSENSE_Mqtt__ReconnectMaxSeconds="1",
               CRAMPSENSE_Host__DrainSeconds="5")
    return subprocess.Popen(["dotnet", HOST, "--replay", recording, "--speed", "max", "--no-live", "--device", device],
                            stdout=log, stderr=subprocess.STDOUT, env=env)


def run_killed(recording, device, port, outbox, delay, workdir, n):
    """Starts the host, kills it with SIGKILL after `delay` s; returns (announced events, crashed, log text)."""
    path = os.path.join(workdir, f"run{n}.log")
    with open(path, "w") as log:
        process = start_host(recording, device, port, outbox, log)
        try:
            code = process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
    text = open(path).read()
    crashed = (code not in (-9, 0)) or "Unhandled exception" in text
    return [tuple(m) for m in EVENT_LINE.findall(text)], crashed, text


def outbox_events(path):
    """(type, event_id) of the cramp events and signal faults in an outbox, in commit order."""
    if not os.path.exists(path):
        return []
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT payload FROM outbox WHERE topic LIKE '%/event' OR topic LIKE '%/fault' ORDER BY seq").fetchall()
    events = []
    for (payload,) in rows:
        message = json.loads(payload)
        if "event_id" in message:
            events.append(event_key(message))
    return events


def event_key(message):
    """(type, event_id) of an event or signal-fault payload (a fault has no type field)."""
    return (message.get("type", "signal_fault"), message["event_id"])


def window(recording, runs, seed):
    rng = random.Random(seed)
    workdir = tempfile.mkdtemp(prefix="crampsense-kill-")
    reference_outbox = os.path.join(workdir, "reference.db")
    run_killed(recording, "kill-ref", free_port(), reference_outbox, 600, workdir, "ref")
    reference = outbox_events(reference_outbox)
    print(f"reference run: {len(reference)} events committed")
    totals = dict(announced=0, committed=0, lost=0, skipped=0, crashed=0)
    for n in range(runs):
        outbox = os.path.join(workdir, f"outbox{n}.db")
        delay = rng.uniform(4, 20)
        announced, crashed, _ = run_killed(recording, "kill-ref", free_port(), outbox, delay, workdir, n)
        committed = outbox_events(outbox)
        lost = [e for e in announced if e not in committed]
        skipped = [e for e in reference[:len(committed)] if e not in committed]  # not a prefix of the reference
        print(f"run {n}: killed at {delay:.2f} s: {len(announced)} announced, {len(committed)} in the outbox, "
              f"{len(lost)} announced but not durable, {len(skipped)} skipped, crashed={crashed}")
        totals["announced"] += len(announced)
        totals["committed"] += len(committed)
        totals["lost"] += len(lost)
        totals["skipped"] += len(skipped)
        totals["crashed"] += crashed
    print(f"TOTAL over {runs} kills: {totals}")


def broker(recording, runs, seed):
    rng = random.Random(seed)
    workdir = tempfile.mkdtemp(prefix="crampsense-kill-broker-")
    port = free_port()
    device = "kill-" + str(seed)
    outbox = os.path.join(workdir, "outbox.db")
    received_path = os.path.join(workdir, "received.jsonl")
    conf = os.path.join(workdir, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {workdir}/\n")
    state = {"broker": None, "sub": None}

    def broker_up():
        state["broker"] = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # a measurement script, not a test: give mosquitto its listener
        out = open(received_path, "a")
        state["sub"] = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-V", "mqttv5", "-q", "1", "-c",
                                         "-i", "kill-counter", "-x", "3600", "-t", f"crampsense/v1/{device}/event",
                                         "-t", f"crampsense/v1/{device}/fault", "-F", "%p"], stdout=out)
        time.sleep(0.5)

    def broker_down():
        for key in ("sub", "broker"):
            if state[key] is not None:
                state[key].terminate()
                state[key].wait()
                state[key] = None

    announced_killed, crashed = set(), 0
    for n in range(runs):
        down = n in (3, 4, 5)
        if down and state["broker"] is not None:
            broker_down()
        if not down and state["broker"] is None:
            broker_up()
        delay = rng.uniform(4, 20)
        announced, run_crashed, _ = run_killed(recording, device, port, outbox, delay, workdir, n)
        announced_killed.update(announced)
        crashed += run_crashed
        print(f"run {n}: broker {'down' if down else 'up'}, killed at {delay:.2f} s, {len(announced)} announced, crashed={run_crashed}")
    if state["broker"] is None:
        broker_up()
    final, final_crashed, _ = run_killed(recording, device, port, outbox, 600, workdir, "final")
    crashed += final_crashed
    time.sleep(2)  # the subscriber's last PUBACKs
    broker_down()
    messages = [json.loads(line) for line in open(received_path) if line.strip()]
    by_id = {}
    for m in messages:
        by_id[m["id"]] = by_id.get(m["id"], 0) + 1
    received = {event_key(m) for m in messages if "event_id" in m}
    lost = sorted(e for e in announced_killed if e not in received)
    pending = len(outbox_events(outbox))
    print(f"received {len(messages)} messages, {len(received)} distinct events; final run {len(final)} announced; outbox left {pending}")
    print(f"TOTAL: killed-run events announced {len(announced_killed)} distinct, lost {len(lost)}, "
          f"deliveries {len(messages)} of {len(by_id)} distinct message ids (repeats: a restarted replay re-detects the same "
          f"events under the same ids, and a kill before the PUBACK was recorded resends), crashed {crashed}")
    for e in lost[:10]:
        print("  lost", e)


if __name__ == "__main__":
    mode, recording = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    (window if mode == "window" else broker)(recording, runs, seed)
