"""A local SweepRunner cluster of processes, run from deploy/compose.yaml: scripts/cluster.sh is its entry point.

Compose describes the deployment once; this file runs the same services as local processes. It reads each service's
command, entrypoint, environment, secrets, volumes and health check from compose.yaml and maps them to this machine
(docs/deploy.md, "A local cluster without Docker", lists the mapping):

- compose's ${VARIABLES} come from the cluster folder: a secret's variable from its generated file under secrets/,
  any other required one (the cluster's ids) generated once into variables.env, the rest from their defaults;
- host names of services (postgres, coordinator) and 0.0.0.0 become 127.0.0.1, each container port a local port
  (the same number when free, else a free one); a connection string's Host= gets the local Port=;
- container paths (secrets under /run/secrets, bind mounts, named volumes) become a per-service folder of symbolic
  links under mounts/; the image's /app/sweep becomes the checkout's ./sweep (or --sweep), other programs their
  Debian package's (prometheus, psql, sh);
- PostgreSQL runs from the apt binaries as the postgres image would: its POSTGRES_USER the superuser and owner, with
  the password of POSTGRES_PASSWORD_FILE, and the database POSTGRES_DB.

Every process started gets a pid file (pid and start time, so that a reused pid is never signalled) under pids/;
`down` stops exactly those. Python 3 with PyYAML (scripts/setup.sh installs python3-yaml).
"""

import argparse
import contextlib
import fcntl
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "compose.yaml"
LOCALHOST = "127.0.0.1"
SWEEP_IN_IMAGE = "/app/sweep"
# Compose services the local cluster runs, in start order; PostgreSQL comes first, from the apt binaries.
ONE_SHOTS = ["migrate", "db-roles"]
DAEMONS = ["coordinator", "worker", "prometheus"]
POSTGRES_SERVICE = "postgres"
POSTGRES_PORT = 5432
POSTGRES_DATA = "/var/lib/postgresql/data"
SCALED_SERVICE = "worker"
# Orleans' own ports on the coordinator: not in its command, told through its configuration when not the default.
ORLEANS_PORTS = {11111: "Orleans__SiloPort", 30000: "Orleans__GatewayPort"}
# No TLS locally (every process talks over loopback): compose's certificate and its password are left out.
TLS_SECRETS = {"cluster.pfx", "cluster-password"}
READY_TIMEOUT = 120
STOP_TIMEOUT = 30


class ClusterError(Exception):
    """A failure with a message for the user; the cluster command exits 1 with it."""


def main():
    parser = argparse.ArgumentParser(prog="scripts/cluster.sh", description="A local SweepRunner cluster from deploy/compose.yaml")
    parser.add_argument("action", choices=["up", "down", "status", "plan"])
    parser.add_argument("--dir", default=str(ROOT / ".sweeprunner" / "cluster"), help="the cluster's folder [default: .sweeprunner/cluster in the checkout]")
    parser.add_argument("--workers", type=positive, default=1, help="how many workers (compose's worker service, scaled) [default: 1]")
    parser.add_argument("--sweep", default=str(ROOT / "sweep"), help="the sweep program the image's /app/sweep stands for [default: the checkout's ./sweep]")
    parser.add_argument("--scrape-interval", default=None, help="Prometheus' scrape, evaluation and discovery interval, e.g. 1s [default: the shipped configuration's]")
    parser.add_argument("--json", action="store_true", help="plan: the plan as JSON")
    args = parser.parse_args()
    folder = Path(args.dir).resolve()
    try:
        if args.action == "plan":
            plan = Plan.make(folder, args.workers, args.sweep, args.scrape_interval)
            print(json.dumps(plan.to_json(), indent=2) if args.json else plan.describe())
            return 0
        if args.action == "status":
            return status(folder)
        with locked(folder):
            if args.action == "down":
                return down(folder)
            return up(folder, args)
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130  # up has stopped what it started.


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


@contextlib.contextmanager
def locked(folder):
    """One up or down at a time per cluster folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# --- The plan: compose's services mapped to local processes -------------------------------------------------------


class Ports:
    """Local ports for (instance, container port): the container's number when free, else a free one."""

    def __init__(self):
        self.assigned = {}

    def local(self, instance, port):
        key = f"{instance}:{port}"
        if key not in self.assigned:
            taken = set(self.assigned.values())
            self.assigned[key] = port if port not in taken and is_free(port) else free_port(taken)
        return self.assigned[key]


def is_free(port):
    with socket.socket() as probe:
        try:
            probe.bind((LOCALHOST, port))
            return True
        except OSError:
            return False


def free_port(taken):
    while True:
        with socket.socket() as probe:
            probe.bind((LOCALHOST, 0))
            port = probe.getsockname()[1]
        if port not in taken:
            return port


class Variables:
    """Values of compose's ${VARIABLES}: secrets' from their files, required ones generated once, the rest defaults."""

    def __init__(self, folder, compose):
        self.secrets_folder = folder / "secrets"
        self.file = folder / "variables.env"
        self.secret_of = {spec["environment"]: name for name, spec in (compose.get("secrets") or {}).items() if "environment" in spec}
        self.values = {}
        if self.file.exists():
            for line in self.file.read_text().splitlines():
                name, _, value = line.partition("=")
                self.values[name] = value

    def secret_file(self, name):
        """The file of compose's secret NAME, generated (random, readable by its owner only) when missing."""
        path = self.secrets_folder / name
        if not path.exists():
            self.secrets_folder.mkdir(parents=True, exist_ok=True)
            self.secrets_folder.chmod(0o700)
            write_private(path, secrets.token_hex(24))
        return path

    def get(self, name):
        """The value of ${NAME}, or None when it stays unset (then compose's default applies)."""
        if name in self.secret_of:
            secret = self.secret_of[name]
            return None if secret in TLS_SECRETS else self.secret_file(secret).read_text()
        return self.values.get(name)

    def require(self, name):
        if name not in self.values:
            self.values[name] = f"sweeprunner-local-{secrets.token_hex(4)}"
            write_private(self.file, "".join(f"{key}={value}\n" for key, value in self.values.items()))
        return self.values[name]

    def interpolate(self, text):
        """Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME:+alternative}, $$."""

        def replace(match):
            if match.group(0) == "$$":
                return "$"
            name, operator, word = match.group("name"), match.group("op") or "", match.group("word") or ""
            value = self.get(name)
            if operator in (":-", "-"):
                return value if value else word
            if operator == ":+":
                return word if value else ""
            if operator in (":?", "?") or not operator:
                return value if value is not None else self.require(name)
            raise ClusterError(f"compose.yaml: ${{{name}{operator}…}} is not supported")

        return re.sub(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?+])(?P<word>[^}]*))?\}", replace, text)


class Service:
    """One compose service as this machine runs it: its mapped environment, commands, health check and paths."""

    def __init__(self, plan, name, instance):
        self.plan = plan
        self.name = name
        self.instance = instance
        self.spec = plan.compose["services"].get(name) or {}
        if not self.spec:
            raise ClusterError(f"{COMPOSE}: no service {name}")
        self.mounts = self.link_mounts()
        self.own_ports = self.container_ports()

    # Paths: every container path a service sees (secrets, bind mounts, named volumes) under mounts/SERVICE.
    def link_mounts(self):
        folder = self.plan.folder / "mounts" / self.name
        targets = {}
        for secret in self.spec.get("secrets") or []:
            name = secret if isinstance(secret, str) else secret["source"]
            if name in TLS_SECRETS:
                continue
            targets[f"/run/secrets/{name}"] = self.plan.variables.secret_file(name)
        for volume in self.spec.get("volumes") or []:
            source, target = self.plan.variables.interpolate(volume).split(":")[:2]
            if source.startswith((".", "/")):
                local = (COMPOSE.parent / source).resolve()
                if not local.exists():
                    local = self.plan.folder / "volumes" / local.name  # A bind mount of a folder this checkout lacks (datasets).
            else:
                local = self.plan.folder / "volumes" / source
            if not local.suffix and not local.exists():
                local.mkdir(parents=True, exist_ok=True)
            targets[target] = local
        for target, local in targets.items():
            link = folder / target.lstrip("/")
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(local)
        self.mount_folder = folder
        return targets

    def container_ports(self):
        ports = {int(port) for port in self.spec.get("expose") or []}
        for published in self.spec.get("ports") or []:
            ports.add(int(str(published).rsplit(":", 1)[-1]))
        return ports

    def local_path(self, path):
        """A container path under one of the service's mounts, or a folder holding some: its place under mounts/."""
        if any(path == target or path.startswith(target + "/") or target.startswith(path.rstrip("/") + "/") for target in self.mounts):
            return str(self.mount_folder / path.lstrip("/"))
        return path

    # Values: host names, ports and paths.
    def map_value(self, text, host_alone=True):
        """A value as this machine needs it. host_alone: a value that is a host name alone (an option's or a variable's
        value, not a subcommand such as `worker`) is one."""
        text = self.plan.variables.interpolate(str(text))
        if host_alone and (text in self.plan.compose["services"] or text == "0.0.0.0"):
            return LOCALHOST
        text = re.sub(r"(?i)\bHost=(?P<host>[\w.-]+)", lambda m: self.connection_host(m.group("host")), text)
        text = re.sub(r"(?P<host>\b[\w.-]+):(?P<port>\d+)\b", self.address, text)
        text = re.sub(r"/127\.0\.0\.1/(?P<port>\d+)\b", lambda m: f"/{LOCALHOST}/{self.port(self.instance, int(m.group('port')))}", text)
        if text.isdigit() and int(text) in self.own_ports:
            return str(self.port(self.instance, int(text)))
        if text.startswith("/"):
            return self.local_path(text)
        return text

    def connection_host(self, host):
        if host not in self.plan.compose["services"]:
            return f"Host={host}"
        return f"Host={LOCALHOST};Port={self.port(host, POSTGRES_PORT)}"

    def address(self, match):
        host, port = match.group("host"), int(match.group("port"))
        if host in self.plan.compose["services"]:
            return f"{LOCALHOST}:{self.port(host, port)}"
        if host in ("0.0.0.0", LOCALHOST) and port in self.own_ports:
            return f"{LOCALHOST}:{self.port(self.instance, port)}"
        return match.group(0)

    def port(self, instance, container_port):
        if instance == SCALED_SERVICE:
            raise ClusterError(f"compose.yaml: an address of the scaled service {SCALED_SERVICE} cannot be mapped")
        return self.plan.ports.local(instance, container_port)

    def map_words(self, words):
        """Command-line words: --option=VALUE maps its value; the word after --option is that option's value."""
        mapped, previous = [], ""
        for word in words:
            option, equals, value = word.partition("=")
            if equals and option.startswith("--"):
                mapped.append(f"{option}={self.map_value(value)}")
            else:
                mapped.append(self.map_value(word, host_alone=previous.startswith("--") and "=" not in previous))
            previous = word
        return mapped

    def environment(self):
        given = self.spec.get("environment") or {}
        if isinstance(given, list):
            given = dict(item.split("=", 1) if "=" in item else (item, "") for item in given)
        env = {key: self.map_value(value) for key, value in given.items() if not key.startswith("Orleans__Tls__")}
        if env.get("PGHOST") == LOCALHOST:
            env["PGPORT"] = str(self.port(POSTGRES_SERVICE, POSTGRES_PORT))
        if self.name == "coordinator":
            for container_port, key in ORLEANS_PORTS.items():
                env[key] = str(self.port(self.instance, container_port))
        return env

    def steps(self):
        """The commands the service runs, in order: an `sh -c "A && exec B"` entrypoint becomes the steps A, B."""
        entrypoint = self.spec.get("entrypoint")
        command = self.spec.get("command") or []
        if isinstance(command, str):
            command = shlex.split(command)
        if entrypoint is None:
            words = ([SWEEP_IN_IMAGE] if "build" in self.spec else []) + list(command)
            return [self.program(words)]
        if list(entrypoint)[1:] == ["-c"] and len(command) == 1:
            words, steps = shlex.split(command[0]), [[]]
            for word in words:
                if word == "&&":
                    steps.append([])
                elif not (word == "exec" and not steps[-1]):
                    steps[-1].append(word)
            return [self.program(step) for step in steps]
        return [self.program(list(entrypoint) + list(command))]

    def program(self, words):
        program, arguments = words[0], words[1:]
        if program == SWEEP_IN_IMAGE:
            local = self.plan.sweep
        elif program.startswith("/"):
            local = shutil.which(Path(program).name) or program
        else:
            local = program
        return [local] + self.map_words(arguments)

    def health(self):
        test = (self.spec.get("healthcheck") or {}).get("test")
        if not test or test[0] != "CMD":
            return None
        return [test[1]] + self.map_words(test[2:])


class Plan:
    """What `up` runs, from compose.yaml and the options."""

    def __init__(self, folder, workers, sweep, scrape_interval):
        if not COMPOSE.exists():
            raise ClusterError(f"{COMPOSE} not found: the local cluster runs its services")
        self.folder = folder
        self.workers = workers
        self.sweep = str(Path(sweep).resolve()) if os.sep in sweep else sweep
        self.scrape_interval = scrape_interval
        self.compose = yaml.safe_load(COMPOSE.read_text())
        self.variables = Variables(folder, self.compose)
        self.ports = Ports()
        self.processes = []
        self.postgres = {}

    @staticmethod
    def make(folder, workers, sweep, scrape_interval):
        plan = Plan(folder, workers, sweep, scrape_interval)
        plan.build()
        return plan

    def build(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        postgres = Service(self, POSTGRES_SERVICE, POSTGRES_SERVICE)
        environment = {key: postgres.map_value(value) for key, value in (postgres.spec.get("environment") or {}).items()}
        self.postgres = {
            "user": environment.get("POSTGRES_USER", "postgres"),
            "database": environment.get("POSTGRES_DB") or environment.get("POSTGRES_USER", "postgres"),
            "password_file": environment["POSTGRES_PASSWORD_FILE"],
            # The postgres image's data folder, on the service's volume.
            "data": str(postgres.mounts.get(POSTGRES_DATA, self.folder / "volumes" / "postgres-data")),
            "port": self.ports.local(POSTGRES_SERVICE, POSTGRES_PORT),
        }
        for name in ONE_SHOTS + DAEMONS:
            count = self.workers if name == SCALED_SERVICE else 1
            for index in range(1, count + 1):
                instance = f"{name}-{index}" if name == SCALED_SERVICE else name
                service = Service(self, name, instance)
                self.processes.append({
                    "name": instance,
                    "service": name,
                    "once": name in ONE_SHOTS,
                    "environment": service.environment(),
                    "steps": service.steps(),
                    "health": service.health(),
                    "ports": {str(port): self.ports.local(instance, port) for port in sorted(service.own_ports)},
                })

    def process(self, name):
        return next(process for process in self.processes if process["name"] == name)

    def to_json(self):
        return {
            "dir": str(self.folder),
            "sweep": self.sweep,
            "scrape_interval": self.scrape_interval,
            "postgres": self.postgres,
            "processes": self.processes,
        }

    def describe(self):
        """The plan for people: every process's environment and commands, the secrets' values replaced by their names."""
        hidden = {path.read_text(): f"<secret {path.name}>" for path in (self.folder / "secrets").glob("*")}

        def show(text):
            for value, name in hidden.items():
                text = text.replace(value, name)
            return text

        pg = self.postgres
        lines = [f"postgres (apt's PostgreSQL): superuser {pg['user']}, database {pg['database']}, {LOCALHOST}:{pg['port']}, data in {pg['data']}"]
        for process in self.processes:
            lines.append(f"{process['name']} ({'runs once' if process['once'] else 'keeps running'}):")
            lines.extend(f"  env {key}={shlex.quote(show(value))}" for key, value in process["environment"].items())
            lines.extend(f"  run {shlex.join(step)}" for step in process["steps"])
            if process["health"]:
                # Compose's checks send HTTP: their \r\n shown as written.
                lines.append(f"  ready when {shlex.join(process['health'])}".replace("\r", "\\r").replace("\n", "\\n"))
        return "\n".join(lines)


# --- Processes: start, watch, stop ---------------------------------------------------------------------------------


def pid_folder(folder):
    return folder / "pids"


def start_time(pid):
    """The process' start time (clock ticks since boot): with the pid, it names one process, never a later one."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def start_rank(name):
    """Where a process comes in the start order (down stops in the reverse one)."""
    order = [POSTGRES_SERVICE, "coordinator", SCALED_SERVICE, "prometheus"]
    service = name.rsplit("-", 1)[0] if name.startswith(f"{SCALED_SERVICE}-") else name
    return (order.index(service) if service in order else len(order), name)


def record(folder, name, pid):
    pid_folder(folder).mkdir(parents=True, exist_ok=True)
    (pid_folder(folder) / f"{name}.pid").write_text(f"{pid} {start_time(pid)}\n")


def recorded(folder):
    """(name, pid, alive) for every pid file, in start order."""
    entries = []
    for path in pid_folder(folder).glob("*.pid") if pid_folder(folder).exists() else []:
        pid, started = path.read_text().split()
        entries.append((path.stem, int(pid), start_time(int(pid)) == started))
    return sorted(entries, key=lambda entry: start_rank(entry[0]))


def up(folder, args):
    entries = recorded(folder)
    running = [name for name, _, alive in entries if alive]
    if running and len(running) == len(entries):
        print(f"the cluster in {folder} is already up ({', '.join(running)}); scripts/cluster.sh status shows it")
        return 0
    if running:
        exited = ", ".join(name for name, _, alive in entries if not alive)
        raise ClusterError(f"the cluster in {folder} is partly up ({exited} exited): run scripts/cluster.sh down, then up")
    for path in pid_folder(folder).glob("*.pid") if pid_folder(folder).exists() else []:
        path.unlink()  # Left by processes that ended without down (a reboot).

    plan = Plan.make(folder, args.workers, args.sweep, args.scrape_interval)
    (folder / "logs").mkdir(exist_ok=True)
    try:
        start_postgres(plan)
        for index, process in enumerate(plan.processes):
            (run_once if process["once"] else start_daemon)(plan, process)
            following = plan.processes[index + 1]["service"] if index + 1 < len(plan.processes) else None
            # As compose's depends_on: a service is ready before the next one starts; a scaled one's instances start together.
            if following != process["service"]:
                for started in plan.processes[: index + 1]:
                    if not started["once"] and not started.get("ready"):
                        wait_until_ready(plan, started)
    except BaseException:
        down(folder, quiet=True)
        raise
    print_addresses(plan)
    return 0


def run_as_postgres():
    """PostgreSQL refuses to run as root: root runs its programs as the system user postgres."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def postgres_binaries():
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parent.parent.name))
    if not versions:
        raise ClusterError("PostgreSQL's server programs not found (/usr/lib/postgresql/*/bin): run scripts/setup.sh")
    return versions[-1].parent


def start_postgres(plan):
    pg, binaries = plan.postgres, postgres_binaries()
    data, log = Path(pg["data"]), plan.folder / "logs" / "postgres.log"
    as_postgres = run_as_postgres()
    data.mkdir(parents=True, exist_ok=True)
    log.touch()
    if as_postgres:
        shutil.chown(data, "postgres")
        shutil.chown(log, "postgres")
        if subprocess.run(as_postgres + ["test", "-w", str(data)], check=False).returncode != 0:
            raise ClusterError(f"PostgreSQL runs as the system user postgres, which cannot reach {data}: make its folders traversable (chmod o+x) or choose another --dir")
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        # initdb reads the superuser's password from a file of its own user's: a copy, deleted at once.
        password = data.parent / f".{data.name}-password"
        write_private(password, Path(pg["password_file"]).read_text())
        try:
            if as_postgres:
                shutil.chown(password, "postgres")
            checked(as_postgres + [str(binaries / "initdb"), "-D", str(data), "-U", pg["user"], f"--pwfile={password}", "--auth-host=scram-sha-256",
                                   "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"], "initdb")
        finally:
            password.unlink()
    settings = f"-c listen_addresses={LOCALHOST} -p {pg['port']} -c unix_socket_directories=''"
    checked(as_postgres + [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", settings, "-w", "-t", "60", "start"], "pg_ctl start", log=log)
    record(plan.folder, "postgres", int((data / "postmaster.pid").read_text().split()[0]))
    if fresh:
        environment = dict(os.environ, PGPASSWORD=Path(pg["password_file"]).read_text())
        checked([str(binaries / "createdb"), "-h", LOCALHOST, "-p", str(pg["port"]), "-U", pg["user"], pg["database"]], "createdb", env=environment)


def checked(command, what, env=None, log=None):
    result = subprocess.run(command, stdin=subprocess.DEVNULL, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip() + (f"\n{tail(log)}" if log else "")
        raise ClusterError(f"{what} failed ({result.returncode}): {detail}")


def process_environment(process):
    return dict(os.environ, **process["environment"])


def run_once(plan, process):
    with open(log_file(plan, process), "w") as out:
        run_to_end(plan, process, process["steps"], out)


def start_daemon(plan, process):
    """Runs the steps before the last to their end, then starts the last one in a session of its own (so that
    neither the terminal's Ctrl-C nor the end of up stops it), its output to its log."""
    *before, last = process["steps"]
    with open(log_file(plan, process), "w") as out:
        run_to_end(plan, process, before, out)
        if process["service"] == "prometheus" and plan.scrape_interval:
            set_scrape_interval(last, plan.scrape_interval)
        started = subprocess.Popen(last, env=process_environment(process), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    process["popen"] = started
    record(plan.folder, process["name"], started.pid)


def run_to_end(plan, process, steps, out):
    for step in steps:
        if subprocess.run(step, env=process_environment(process), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False).returncode != 0:
            raise ClusterError(f"{process['name']} failed: {shlex.join(step)}\n{tail(log_file(plan, process))}")


def log_file(plan, process):
    return plan.folder / "logs" / f"{process['name']}.log"


def set_scrape_interval(command, interval):
    """The configuration Prometheus is about to read (--config.file), with every interval set to INTERVAL."""
    path = Path(next(word.split("=", 1)[1] for word in command if word.startswith("--config.file=")))
    config = yaml.safe_load(path.read_text())
    config.setdefault("global", {}).update(scrape_interval=interval, evaluation_interval=interval)
    for job in config.get("scrape_configs") or []:
        for discovery in job.get("http_sd_configs") or []:
            discovery["refresh_interval"] = interval
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def wait_until_ready(plan, process):
    deadline = time.monotonic() + READY_TIMEOUT
    log = log_file(plan, process)
    while not is_ready(process):
        if process["popen"].poll() is not None:
            raise ClusterError(f"{process['name']} exited with {process['popen'].returncode} while starting:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise ClusterError(f"{process['name']} not ready after {READY_TIMEOUT} s:\n{tail(log)}")
        time.sleep(0.5)
    process["ready"] = True


def is_ready(process):
    if process["health"]:
        return subprocess.run(process["health"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode == 0
    try:
        with urllib.request.urlopen(f"{base_url(process)}/-/ready", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def base_url(process):
    """http://127.0.0.1:PORT of the process' first container port (API, metrics, Prometheus' web)."""
    return f"http://{LOCALHOST}:{next(iter(process['ports'].values()))}"


def tail(log, lines=20):
    text = Path(log).read_text(errors="replace").splitlines() if log and Path(log).exists() else []
    return "\n".join([f"(last lines of {log})"] + text[-lines:])


def print_addresses(plan):
    coordinator = plan.process("coordinator")
    api = f"http://{LOCALHOST}:{coordinator['ports']['5080']}"
    token = plan.variables.secret_file("api-token")
    pg = plan.postgres
    print(f"cluster up in {plan.folder}: PostgreSQL, coordinator, {plan.workers} worker(s), Prometheus")
    print(f"api: {api}")
    print(f"token file: {token}")
    print(f"coordinator metrics: {api}/metrics")
    for worker in (process for process in plan.processes if process["service"] == SCALED_SERVICE):
        print(f"{worker['name']} metrics: {base_url(worker)}/metrics")
    print(f"prometheus: {base_url(plan.process('prometheus'))}")
    print(f"postgres: Host={LOCALHOST};Port={pg['port']};Database={pg['database']} (passwords in {token.parent})")
    print(f"submit: ./sweep submit examples/quick.yaml --coordinator {api} --token-file {token}")
    print(f"stop: scripts/cluster.sh down --dir {plan.folder}")


def down(folder, quiet=False):
    entries = recorded(folder)
    if not entries:
        if not quiet:
            print(f"no cluster is up in {folder}")
        return 0
    for name, pid, alive in reversed(entries):
        if alive:
            stop(pid)
        (pid_folder(folder) / f"{name}.pid").unlink()
    if not quiet:
        print(f"cluster in {folder} stopped ({', '.join(name for name, _, _ in entries)}); its data stays")
    return 0


def stop(pid):
    """SIGTERM, then SIGKILL once STOP_TIMEOUT has passed."""
    started = start_time(pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while start_time(pid) == started and started is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # Our own child when up fails: reap it.
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.1)


def status(folder):
    entries = recorded(folder)
    if not entries:
        print(f"no cluster is up in {folder}")
        return 3
    for name, pid, alive in entries:
        print(f"{name:<12} {'running' if alive else 'exited '}  pid {pid}")
    return 0 if all(alive for _, _, alive in entries) else 1


def write_private(path, text):
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
