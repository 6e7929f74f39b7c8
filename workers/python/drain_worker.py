#!/usr/bin/env python3
"""An IOTile queue worker that follows the drain protocol (docs/drain-protocol.md), written from the docs alone.

It long-polls the stage's work queue one message at a time, runs the built-in handlers (ops.worker.Sleep,
ops.worker.Fail), records every delivery in the worker-log table, deletes a message only after its work
succeeded, answers a rollout's kill messages (rules 1-5), holds ECS task scale-in protection while it works
when OPS_DRAIN=task-protection, and on SIGTERM finishes the message it holds and exits 0.

Needs Python 3.11 and boto3, nothing else. Environment: see README.md beside this file.
"""

import datetime
import json
import math
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

PROG = "drain-worker"
KILL_MODULE = "apps.sqsworker.worker"
KILL_CLASS = "WorkerShutDownAction"
KILL_TASK = KILL_MODULE + "." + KILL_CLASS
MAX_SLEEP_MS = 43_200_000
MESSAGE_CALL_BUDGET = 60.0  # seconds a call about a received message is retried
RETRYABLE_CODES = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
    "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceededException", "SlowDown",
    "ServiceUnavailable", "InternalError", "InternalFailure", "InternalServerError", "RequestTimeout",
}


def bad_settings(text):
    """One line on stderr and exit 2: what is wrong and how to fix it."""
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)
    sys.exit(2)


try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError:  # pragma: no cover - depends on the machine
    bad_settings("boto3 is not installed for this python3; install it (pip install boto3, or Debian's python3-boto3).")


class Interrupted(BaseException):
    """Raised by the signal handler to cancel an idle long poll (a BaseException, so no retry loop swallows it)."""


class WorkFailed(Exception):
    """A handler's expected failure: its text becomes the worker-log status `error: <text>`."""


class BadKillMessage(Exception):
    """A kill message whose fields cannot be read (a timestamp that does not parse, a field of the wrong type)."""


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def line_time(moment):
    """The time at the start of a stdout line: 2025-11-23T18:40:01.123Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso(moment):
    """UTC ISO 8601 with an offset and microseconds: 2026-11-23T10:00:00.123456+00:00."""
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def parse_time(value, field):
    """An ISO 8601 timestamp with an offset (+00:00 or Z), with or without fractional seconds; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadKillMessage(f"{field} is not a string")
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    # Python 3.11 takes at most 6 fractional digits; .NET's round-trip format has 7.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        text = head + "." + (digits[:6] if digits else "0") + rest
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise BadKillMessage(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise BadKillMessage(f"{field} {value!r} has no UTC offset")
    return moment


def is_retryable(error):
    if isinstance(error, (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)):
        return True
    if isinstance(error, botocore.exceptions.ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0
        return status >= 500 or status == 429 or error_code(error) in RETRYABLE_CODES
    return False


def error_code(error):
    if isinstance(error, botocore.exceptions.ClientError):
        code = error.response.get("Error", {}).get("Code", "") or ""
        return code.split("#")[-1].split(".")[-1]  # AWS.SimpleQueueService.NonExistentQueue, com.amazonaws...#X
    return type(error).__name__


def describe(error):
    if isinstance(error, botocore.exceptions.ClientError):
        text = error.response.get("Error", {}).get("Message", "") or ""
        return f"{error_code(error)}: {text}".rstrip(": ")
    return f"{type(error).__name__}: {error}"


class Settings:
    """The worker's settings, read from the environment; any problem is one line on stderr and exit 2."""

    def __init__(self, env):
        self.stage = self._required(env, "OPS_STAGE", "the stage it serves, like dev")
        self.queue = self._required(env, "OPS_WORK_QUEUE", "the work queue's name, like iotile-worker-dev")
        self.log_table = self._required(env, "OPS_WORKER_LOG_TABLE", "the worker-log table, like iotile-worker-logs-dev")
        self.wait_seconds = self._integer(env, "OPS_WAIT_SECONDS", 0, 20, 20)
        concurrency = self._integer(env, "OPS_WORKER_CONCURRENCY", 1, 64, 1)
        if concurrency != 1:
            print(f"{PROG}: OPS_WORKER_CONCURRENCY={concurrency} ignored: this worker works on one message at a time",
                  file=sys.stderr, flush=True)
        drain = (env.get("OPS_DRAIN") or "").strip()
        if drain not in ("", "kill-ack", "task-protection"):
            bad_settings(f"OPS_DRAIN is {drain!r}; set it to kill-ack or task-protection (the stack's worker.drain).")
        self.drain = drain or "kill-ack"
        self.endpoint_url = (env.get("AWS_ENDPOINT_URL") or "").strip() or None
        self.metadata_uri = (env.get("ECS_CONTAINER_METADATA_URI_V4") or "").strip().rstrip("/") or None
        self.agent_uri = (env.get("ECS_AGENT_URI") or "").strip().rstrip("/") or None
        self.region = (env.get("AWS_REGION") or "").strip() or (env.get("AWS_DEFAULT_REGION") or "").strip() or None
        self.report_queue = (env.get("OPS_REPORT_QUEUE") or "").strip() or None

    @staticmethod
    def _required(env, name, meaning):
        value = (env.get(name) or "").strip()
        if not value:
            bad_settings(f"{name} is not set; set it to {meaning} (create-ecs puts it in the task definition).")
        return value

    @staticmethod
    def _integer(env, name, low, high, default):
        text = (env.get(name) or "").strip()
        if not text:
            return default
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            bad_settings(f"{name} is {text!r}; set it to a whole number from {low} to {high}, or leave it unset ({default}).")
        return value


class Identity:
    """Who this worker is: task id, task ARN and Family:Revision from the task metadata endpoint, or the host name."""

    def __init__(self, task_id, task_arn, revision):
        self.task_id = task_id
        self.task_arn = task_arn
        self.revision = revision

    @staticmethod
    def read(metadata_uri):
        if not metadata_uri:
            return Identity(socket.gethostname(), "", "")
        url = metadata_uri + "/task"
        deadline = time.monotonic() + 30
        delay = 0.2
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    task = json.loads(answer.read().decode("utf-8"))
                break
            except (OSError, ValueError) as error:
                if time.monotonic() > deadline:
                    print(f"{PROG}: cannot read the task metadata at {url}: {error}; "
                          "unset ECS_CONTAINER_METADATA_URI_V4 when not running on ECS.", file=sys.stderr, flush=True)
                    sys.exit(1)
                print(f"{PROG}: task metadata not readable yet ({error}); retrying", file=sys.stderr, flush=True)
                time.sleep(delay)
                delay = min(delay * 2, 5)
        arn = task.get("TaskARN") or ""
        if not isinstance(arn, str) or not arn:
            print(f"{PROG}: the task metadata at {url} has no TaskARN.", file=sys.stderr, flush=True)
            sys.exit(1)
        family, revision = task.get("Family") or "", task.get("Revision") or ""
        return Identity(arn.rsplit("/", 1)[-1], arn, f"{family}:{revision}" if family and revision else "")

    def region_from_arn(self):
        parts = self.task_arn.split(":")
        return parts[3] if len(parts) > 5 and parts[0] == "arn" and parts[3] else None


class Heartbeat:
    """While a message is worked on: extends its visibility every half timeout and renews task protection."""

    def __init__(self, worker, receipt):
        self._worker = worker
        self._receipt = receipt
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()

    def _run(self):
        worker = self._worker
        now = time.monotonic()
        extend_every = worker.visibility_timeout / 2 if worker.visibility_timeout > 0 else None
        renew_every = worker.protection_renew_seconds() if worker.protecting else None
        next_extend = now + extend_every if extend_every else None
        next_renew = now + renew_every if renew_every else None
        while True:
            due = [t for t in (next_extend, next_renew) if t is not None]
            if not due:
                self._done.wait()
                return
            if self._done.wait(max(0.0, min(due) - time.monotonic())):
                return
            now = time.monotonic()
            if next_extend is not None and now >= next_extend:
                worker.extend_visibility(self._receipt)
                next_extend = now + extend_every
            if next_renew is not None and now >= next_renew:
                worker.set_protection(True, renewing=True)
                next_renew = now + renew_every


class Worker:
    """The receive loop, the handlers, the worker log, the kill-message rules and task protection."""

    def __init__(self, settings):
        self.settings = settings
        self.worker_uuid = str(uuid.uuid4())
        self.started_at = utc_now()
        self.stopping = False
        self.drained = False
        self.protecting = False
        self._interruptible = False
        self._last_timestamp = None
        self._put_back_counts = {}  # kill message id -> times this worker put it back (its line is printed once)
        self.done = 0
        self.failed = 0
        self.identity = Identity.read(settings.metadata_uri)
        region = settings.region or self.identity.region_from_arn()
        if not region:
            bad_settings("AWS_REGION is not set; set it (or AWS_DEFAULT_REGION) to the region of the queue and table, like us-east-1.")
        session = boto3.session.Session(region_name=region)
        if session.get_credentials() is None:
            bad_settings("no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a task role.")
        config = botocore.config.Config(
            retries={"mode": "standard", "max_attempts": 1},  # this worker retries itself, and logs each retry
            connect_timeout=5, read_timeout=settings.wait_seconds + 15)
        self.sqs = session.client("sqs", endpoint_url=settings.endpoint_url, config=config)
        self.dynamodb = session.client("dynamodb", endpoint_url=settings.endpoint_url, config=config)
        self.queue_url = None
        self.visibility_timeout = 30

    # ---- output ----------------------------------------------------------------------------------

    def say(self, text):
        print(f"{line_time(utc_now())} {text}", flush=True)

    def warn(self, text):
        print(f"{line_time(utc_now())} {text}", file=sys.stderr, flush=True)

    # ---- signals ---------------------------------------------------------------------------------

    def on_signal(self, signum, frame):
        if self.stopping:  # a second signal ends the process at once
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.stopping = True
        if self._interruptible:
            raise Interrupted()

    # ---- calls -----------------------------------------------------------------------------------

    def call(self, what, function, budget=MESSAGE_CALL_BUDGET, retry_all=False, until_stopped=False):
        """Runs an AWS call, retrying faults with exponential backoff and jitter (200 ms doubling to 10 s).

        budget: seconds of retrying (None: forever). retry_all: retry any error, not only faults.
        until_stopped: give up (return None) once the process is told to stop.
        """
        deadline = None if budget is None else time.monotonic() + budget
        delay = 0.2
        attempt = 0
        while True:
            attempt += 1
            try:
                return function()
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
                if not (retry_all or is_retryable(error)):
                    raise
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise
                if until_stopped and self.stopping:
                    self.warn(f"{what} failed ({describe(error)}); stopping, so not retried")
                    return None
                pause = delay * (0.5 + random.random() / 2)
                self.warn(f"{what} failed ({describe(error)}); retry {attempt} in {pause:.1f} s")
                self.pause(pause, until_stopped)
                if until_stopped and self.stopping:
                    return None
                delay = min(delay * 2, 10.0)

    def pause(self, seconds, until_stopped=False):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0 or (until_stopped and self.stopping):
                return
            time.sleep(min(left, 0.1))

    # ---- start -----------------------------------------------------------------------------------

    def start(self):
        s = self.settings
        try:
            self.queue_url = self.call("GetQueueUrl", lambda: self.sqs.get_queue_url(QueueName=s.queue))["QueueUrl"]
            attributes = self.call("GetQueueAttributes", lambda: self.sqs.get_queue_attributes(
                QueueUrl=self.queue_url, AttributeNames=["VisibilityTimeout"]))["Attributes"]
            self.visibility_timeout = int(attributes.get("VisibilityTimeout", "30"))
            self.call("DescribeTable", lambda: self.dynamodb.describe_table(TableName=s.log_table))
        except botocore.exceptions.NoCredentialsError:
            bad_settings("no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a task role.")
        except botocore.exceptions.ClientError as error:
            code = error_code(error)
            if code in ("NonExistentQueue", "QueueDoesNotExist"):
                bad_settings(f"the work queue {s.queue} does not exist; create it (./build.sh create-queues --stage {s.stage}) or fix OPS_WORK_QUEUE.")
            if code == "ResourceNotFoundException":
                bad_settings(f"the worker-log table {s.log_table} does not exist; create it (./build.sh create-worker-log-table --stage {s.stage}) or fix OPS_WORKER_LOG_TABLE.")
            if code in ("InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException"):
                bad_settings(f"the AWS credentials were refused ({describe(error)}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
            print(f"{PROG}: cannot start: {describe(error)}", file=sys.stderr, flush=True)
            sys.exit(1)
        except botocore.exceptions.BotoCoreError as error:
            print(f"{PROG}: cannot start: {describe(error)}", file=sys.stderr, flush=True)
            sys.exit(1)
        ident = self.identity
        self.say(f"worker {self.worker_uuid} started: stage {s.stage}, queue {s.queue}, log table {s.log_table}, "
                 f"task {ident.task_id}, revision {ident.revision or '(unknown)'}, drain {s.drain}"
                 + ("" if s.drain == "kill-ack" or s.agent_uri else " (no ECS_AGENT_URI: protection calls skipped)"))

    # ---- loop ------------------------------------------------------------------------------------

    def run(self):
        self.start()
        while not self.stopping and not self.drained:
            message = self.receive()
            if message is not None:
                self.handle(message)
        if self.drained and not self.stopping:
            self.say("drained: idle, never receiving again, until SIGTERM")
            while not self.stopping:
                time.sleep(0.2)
        self.say(f"worker {self.worker_uuid} stopped: {self.done} done, {self.failed} failed")
        return 0

    def receive(self):
        """One long poll for one message; None when none came or a signal cancelled the poll."""
        try:
            self._interruptible = True
            if self.stopping:
                return None
            answer = self.call("ReceiveMessage", lambda: self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=self.settings.wait_seconds,
                MessageSystemAttributeNames=["All"]), budget=None)
        except Interrupted:
            return None
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            self._interruptible = False
            print(f"{PROG}: receiving from {self.settings.queue} failed: {describe(error)}; no retry can fix this.",
                  file=sys.stderr, flush=True)
            sys.exit(1)
        finally:
            self._interruptible = False
        messages = answer.get("Messages") or []
        return messages[0] if messages else None

    def handle(self, message):
        received = time.monotonic()
        body = message.get("Body", "")
        try:
            parsed = json.loads(body)
        except ValueError as error:
            return self.fail_unparsed(message, received, f"the body is not JSON ({error.msg})")
        if not isinstance(parsed, dict):
            return self.fail_unparsed(message, received, "the body is not a JSON object")
        module, cls, arguments = parsed.get("module"), parsed.get("class"), parsed.get("arguments", {})
        if not isinstance(module, str) or not module or not isinstance(cls, str) or not cls:
            return self.fail_unparsed(message, received, "module and class must be non-empty strings")
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict):
            return self.fail_unparsed(message, received, "arguments must be a JSON object")
        if module == KILL_MODULE and cls == KILL_CLASS:
            return self.handle_kill(message, arguments, received)
        self.work(message, f"{module}.{cls}", arguments, received)

    # ---- work ------------------------------------------------------------------------------------

    def work(self, message, task, arguments, received):
        message_id = message["MessageId"]
        receives = message.get("Attributes", {}).get("ApproximateReceiveCount", "?")
        timestamp = self.next_timestamp()
        arguments_text = json.dumps(arguments, separators=(",", ":"))
        self.set_protection(True)
        self.write_log(timestamp, task, "executing", arguments_text, None, message_id)
        with Heartbeat(self, message["ReceiptHandle"]):
            error = self.run_handler(task, arguments)
        elapsed = time.monotonic() - received
        if error is None:
            deleted = self.delete(message, task)
            self.write_log(timestamp, task, "done", arguments_text, elapsed, message_id)
            self.done += 1
            self.say(f"{task} {message_id} done in {elapsed * 1000:.0f} ms" + ("" if deleted else "; delete failed, it will be delivered again"))
        else:
            self.write_log(timestamp, task, f"error: {error}", arguments_text, elapsed, message_id)
            self.failed += 1
            self.say(f"{task} {message_id} error: {error} after {elapsed * 1000:.0f} ms (receive {receives}); left on the queue")
        self.set_protection(False)

    def fail_unparsed(self, message, received, reason):
        timestamp = self.next_timestamp()
        receives = message.get("Attributes", {}).get("ApproximateReceiveCount", "?")
        elapsed = time.monotonic() - received
        self.write_log(timestamp, "unknown", f"error: {reason}", message.get("Body", "")[:1000], elapsed, message["MessageId"])
        self.failed += 1
        self.say(f"unknown {message['MessageId']} error: {reason} after {elapsed * 1000:.0f} ms (receive {receives}); left on the queue")

    def run_handler(self, task, arguments):
        """Runs the handler; None on success, else the error text."""
        try:
            if task == "ops.worker.Sleep":
                ms = arguments.get("ms")
                if isinstance(ms, bool) or not isinstance(ms, (int, float)) or ms != int(ms) or not 0 <= ms <= MAX_SLEEP_MS:
                    raise WorkFailed(f"Sleep needs arguments.ms, whole milliseconds from 0 to {MAX_SLEEP_MS}")
                time.sleep(int(ms) / 1000)  # a signal does not cut it short: the message is finished
                return None
            if task == "ops.worker.Fail":
                text = arguments.get("message")
                raise WorkFailed(text if isinstance(text, str) and text else "failed as asked (ops.worker.Fail)")
            raise WorkFailed(f"no handler for {task}")
        except WorkFailed as error:
            return str(error)
        except Exception as error:  # any other exception is a failure too
            return f"{type(error).__name__}: {error}"

    def delete(self, message, what):
        try:
            self.call(f"DeleteMessage ({what} {message['MessageId']})",
                      lambda: self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]))
            return True
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            self.warn(f"DeleteMessage {message['MessageId']} failed: {describe(error)}")
            return False

    def extend_visibility(self, receipt):
        try:
            self.call("ChangeMessageVisibility (extend)", lambda: self.sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=receipt, VisibilityTimeout=self.visibility_timeout))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            self.warn(f"extending the message's visibility failed: {describe(error)}")

    def next_timestamp(self):
        """Now, strictly increasing per worker: the worker log's range key."""
        now = utc_now()
        if self._last_timestamp is not None and now <= self._last_timestamp:
            now = self._last_timestamp + datetime.timedelta(microseconds=1)
        self._last_timestamp = now
        return now

    @staticmethod
    def log_timestamp(moment):
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+0000"

    def log_item(self, timestamp, task, status, arguments_text, elapsed, message_id):
        item = {
            "worker_uuid": {"S": self.worker_uuid},
            "timestamp": {"S": self.log_timestamp(timestamp)},
            "task": {"S": task},
            "status": {"S": status},
            "arguments": {"S": arguments_text},
            "message_id": {"S": message_id},
            "server": {"S": self.identity.task_id},
        }
        if elapsed is not None:
            item["execution_time"] = {"N": f"{elapsed:.6f}"}
        return item

    def write_log(self, timestamp, task, status, arguments_text, elapsed, message_id):
        item = self.log_item(timestamp, task, status, arguments_text, elapsed, message_id)
        try:
            self.call("PutItem (worker log)", lambda: self.dynamodb.put_item(TableName=self.settings.log_table, Item=item))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            self.warn(f"writing the worker-log item for {message_id} ({status}) failed: {describe(error)}")

    # ---- task protection -------------------------------------------------------------------------

    def protection_minutes(self):
        """The queue's visibility timeout in minutes, rounded up, between 1 and 2880."""
        return max(1, min(2880, math.ceil(self.visibility_timeout / 60)))

    def protection_renew_seconds(self):
        """Renew after M minutes minus one (at least half of M, so M = 1 renews every 30 s)."""
        minutes = self.protection_minutes()
        return max(minutes - 1, minutes / 2) * 60

    def set_protection(self, enabled, renewing=False):
        """PUT $ECS_AGENT_URI/task-protection/v1/state; a failed call is logged and retried once, the work goes on."""
        s = self.settings
        if s.drain != "task-protection" or not s.agent_uri:
            return
        if not enabled and not self.protecting:
            return
        body = {"ProtectionEnabled": True, "ExpiresInMinutes": self.protection_minutes()} if enabled else {"ProtectionEnabled": False}
        url = s.agent_uri + "/task-protection/v1/state"
        for attempt in (1, 2):
            request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="PUT",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    state = (json.loads(answer.read().decode("utf-8") or "{}").get("protection") or {})
                self.protecting = enabled
                if enabled:
                    self.say(f"task protection {'renewed' if renewing else 'on'} until {state.get('ExpirationDate', '?')}")
                else:
                    self.say("task protection off")
                return
            except urllib.error.HTTPError as error:
                try:
                    detail = json.loads(error.read().decode("utf-8") or "{}").get("error") or {}
                    reason = f"{error.code} {detail.get('Code', '')}: {detail.get('Message', '')}".rstrip(": ")
                except ValueError:
                    reason = f"{error.code} {error.reason}"
            except (OSError, ValueError) as error:
                reason = f"{type(error).__name__}: {error}"
            self.warn(f"task protection {'on' if enabled else 'off'} failed ({reason})"
                      + ("; retrying once" if attempt == 1 else "; working on without it" if enabled else "; left as it is"))
        if not enabled:
            self.protecting = False  # it expires on its own after M minutes

    # ---- kill messages ---------------------------------------------------------------------------

    def handle_kill(self, message, arguments, received):
        message_id = message["MessageId"]
        try:
            rollout_id = self.text_field(arguments, "rollout_id")
            target_task = self.text_field(arguments, "target_task")
            target_revision = self.text_field(arguments, "target_revision")
            sent_at = parse_time(arguments.get("timestamp"), "timestamp")
            expires_at = parse_time(arguments.get("expires_at"), "expires_at")
            if rollout_id:
                self.text_field(arguments, "ack_table", required=True)
        except BadKillMessage as error:
            # Neither ours nor someone else's for sure: left as it is, it comes back after the visibility timeout
            # (and reaches the dead-letter queue after maxReceiveCount receives).
            self.warn(f"kill message {message_id} ignored and left on the queue: {error}")
            return
        ident = self.identity
        about = f"kill message {message_id} (rollout {rollout_id or '(old shape)'}, target {target_task or '(none)'} {target_revision or ''})".replace(" )", ")")
        # Rule 1: expired.
        if expires_at is not None and expires_at < utc_now():
            self.delete(message, "expired kill message")
            self.say(f"{about}: expired at {iso(expires_at)}; deleted, working on")
            return
        before_start = sent_at is not None and sent_at < self.started_at
        # Rule 2: the old invoke task's shape.
        if not rollout_id:
            if before_start:
                self.delete(message, "stale kill message")
                self.say(f"{about}: sent {iso(sent_at)}, before this worker started; deleted, working on")
                return
            return self.drain(message, arguments, received, None)
        # Rule 3: stale.
        if before_start:
            if not target_task or target_task == ident.task_id:
                self.delete(message, "stale kill message")
                self.say(f"{about}: sent {iso(sent_at)}, before this worker started; deleted, working on")
            elif self.put_back(message):
                self.say(f"{about}: sent before this worker started, for another task; put back, working on")
            return
        # Rule 4: not mine. A message that names no target (or no revision) does not rule this worker out.
        if (target_task and target_task != ident.task_id) or (target_revision and ident.revision and target_revision != ident.revision):
            if self.put_back(message):
                self.say(f"{about}: not for this task ({ident.task_id} {ident.revision or '(revision unknown)'}); put back, working on")
            return
        # Rule 5: mine.
        self.drain(message, arguments, received, rollout_id)

    @staticmethod
    def text_field(arguments, name, required=False):
        value = arguments.get(name)
        if value is None or value == "":
            if required:
                raise BadKillMessage(f"{name} is missing")
            return None
        if not isinstance(value, str):
            raise BadKillMessage(f"{name} is not a string")
        return value

    def put_back(self, message):
        """Rule 4: visible again for its target; True the first time this worker puts this message back.

        The first put-back is VisibilityTimeout=0 as the protocol says. When the same message comes back to this
        worker again, it is hidden a little longer each time (1 s doubling to 8 s): a queue that hands out its oldest
        visible message first would otherwise give this worker that message forever, and the work behind it never.
        Each hide gets 0 or 1 s more at random, so two workers that hold each other's message do not stay in step.
        """
        if len(self._put_back_counts) > 10_000:
            self._put_back_counts.clear()
        count = self._put_back_counts[message["MessageId"]] = self._put_back_counts.get(message["MessageId"], 0) + 1
        hide = 0 if count == 1 else min(2 ** (count - 2), 8) + random.randint(0, 1)
        try:
            self.call("ChangeMessageVisibility (put back)", lambda: self.sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=hide))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            self.warn(f"putting back kill message {message['MessageId']} failed ({describe(error)}); it comes back after the visibility timeout")
        return count == 1

    def drain(self, message, arguments, received, rollout_id):
        """Rule 5: stop receiving (this loop holds no other message), ShutDown-0 item, acknowledgement, delete, idle."""
        message_id = message["MessageId"]
        ident = self.identity
        self.drained = True  # never receive again, whatever happens below
        finished = 0  # one message at a time: nothing else was held when the kill message came
        self.say(f"kill message {message_id} for this task (rollout {rollout_id or '(old shape)'}): draining, "
                 f"{finished} other messages held")
        timestamp = self.next_timestamp()
        elapsed = time.monotonic() - received
        item = self.log_item(timestamp, KILL_TASK, "ShutDown-0", json.dumps(arguments, separators=(",", ":")), elapsed, message_id)
        written = self.call("PutItem (worker log ShutDown-0)",
                            lambda: self.dynamodb.put_item(TableName=self.settings.log_table, Item=item),
                            budget=None, retry_all=True, until_stopped=True)
        if written is not None:
            self.say(f"worker-log item ShutDown-0 written ({self.log_timestamp(timestamp)})")
        if rollout_id:
            acked_at = utc_now()
            record = {
                "pk": {"S": "ack#" + rollout_id},
                "sk": {"S": ident.task_id},
                "rollout_id": {"S": rollout_id},
                "task_id": {"S": ident.task_id},
                "task_arn": {"S": ident.task_arn},
                "revision": {"S": ident.revision},
                "worker_uuid": {"S": self.worker_uuid},
                "acked_at": {"S": iso(acked_at)},
                "kill_message_id": {"S": message_id},
                "finished": {"N": str(finished)},
            }
            table = arguments["ack_table"]
            acked = self.call(f"PutItem (acknowledgement in {table})",
                              lambda: self.dynamodb.put_item(TableName=table, Item=record),
                              budget=None, retry_all=True, until_stopped=True)
            if acked is not None:
                self.say(f"acknowledged rollout {rollout_id}: {table} ack#{rollout_id} / {ident.task_id}")
        self.delete(message, "kill message")


def main():
    sys.stdout.reconfigure(line_buffering=True)
    worker = Worker(Settings(os.environ))
    signal.signal(signal.SIGTERM, worker.on_signal)
    signal.signal(signal.SIGINT, worker.on_signal)
    return worker.run()


if __name__ == "__main__":
    sys.exit(main())
