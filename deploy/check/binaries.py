"""What a built fieldwork binary accepts, read from its --help: each flag, its FIELDWORK_* variable
and its default. Also the small process and duration helpers the checks share."""

import os
import re
import subprocess
from dataclasses import dataclass


@dataclass
class Option:
    flag: str            # "listen"
    env: str             # "FIELDWORK_LISTEN"
    default: str = None  # as --help shows it


@dataclass
class Binary:
    path: str
    options: dict        # flag → Option

    @property
    def env_vars(self):
        return {o.env: o for o in self.options.values()}

    @property
    def is_server(self):
        return "listen" in self.options


def read_binary(path):
    """The flags and FIELDWORK_* variables `path` accepts, with their defaults, from --help."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDWORK_")}
    result = subprocess.run([path, "--help"], capture_output=True, text=True, env=env, timeout=20)
    if result.returncode != 0:
        raise RuntimeError(f"{path} --help exited {result.returncode}: {result.stderr.strip()}")
    options = {}
    for line in result.stdout.splitlines():
        match = re.match(r"\s*--([a-z0-9-]+)(.*?)\(Env:(FIELDWORK_[A-Z0-9_]+)\)", line)
        if not match:
            continue
        flag, middle, env_var = match.groups()
        middle = middle.strip()
        default = middle.rsplit("=", 1)[1].strip() if "=" in middle else None
        options[flag] = Option(flag, env_var, default)
    return Binary(path, options)


def find_executable(build_dir, name):
    """The executable file called `name` in the build tree, or None."""
    for root, dirs, files in os.walk(build_dir):
        dirs[:] = [d for d in dirs if d != "CMakeFiles"]
        if name in files:
            path = os.path.join(root, name)
            if os.access(path, os.X_OK):
                return path
    return None


def parse_duration_seconds(text):
    """absl / compose durations: "20s", "1.5s", "250ms", "1m30s", "2h"."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)", str(text))
    if not parts or "".join(n + u for n, u in parts) != str(text):
        raise ValueError(f"{text!r} is not a duration")
    return sum(float(n) * units[u] for n, u in parts)


def run(command, **kwargs):
    """stdout of `command`; RuntimeError with its stderr when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: "
                           f"{(result.stderr or result.stdout).strip()}")
    return result.stdout
