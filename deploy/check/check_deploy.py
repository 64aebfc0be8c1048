"""tools/check-deploy BUILD_DIR: checks deploy/ against the built binaries without a cluster or a
container engine. Each check prints ok or FAIL with one line per problem; the exit code is 1 when
any check fails. What each check proves is in the docstring of its function (deploy/README.md lists
them).
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import yaml

import kustomize
from binaries import Binary, find_executable, parse_duration_seconds, read_binary, run
from dockerfiles import Dockerfile, image_key, read_dockerfile
from network_policy import Endpoint, labels_match, policy_allows

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(REPO, "deploy")
DOCKER = os.path.join(DEPLOY, "docker")
K8S = os.path.join(DEPLOY, "k8s")
COMPOSE = os.path.join(DEPLOY, "compose.yaml")
CHECK = os.path.join(DEPLOY, "check")
RUNTIME_EXTRAS = {"tzdata", "ca-certificates"}
HEALTH_PROBE = "fieldwork-health-probe"   # the grpc.health.v1 client the service images carry
# Test values for settings that production reads from Secrets this repository never holds.
# The Redis URL is the Sentinel form deploy/README.md shows, so the check proves the binaries take it.
EXTERNAL_TEST_VALUES = {
    "FIELDWORK_REDIS_URL": "redis-sentinel://:test-password@sentinel-0.invalid:26379,"
                           "sentinel-1.invalid:26379,sentinel-2.invalid:26379/fieldwork?wait=1"}
# Which file deploy/make-dev-secrets makes for a file setting that comes from an external Secret.
TEST_FILES = {
    "FIELDWORK_TOKENS_FILE": "tokens.yaml",
    "FIELDWORK_SERVICE_TOKEN_FILE": "{service}.token",
    "FIELDWORK_TLS_CERT": "tls/{service}.crt",
    "FIELDWORK_TLS_KEY": "tls/{service}.key",
    "FIELDWORK_TLS_CA": "tls/ca.crt",
}
ALLOWED_VOLUME_TYPES = {"configMap", "secret", "emptyDir", "projected", "downwardAPI",
                        "persistentVolumeClaim", "csi", "ephemeral"}
# Modes a Secret file may have: readable by its group (the pod's fsGroup; the kubelet adds group
# read to 0400 when fsGroup is set) and by no other user, since the services refuse token files
# others may read.
SECRET_FILE_MODES = {0o440, 0o400}
# grpc.health.v1 service name of liveness (ServerRunner::kLivenessService): SERVING while the
# process serves, whatever its dependencies do. The empty name (the whole server) is readiness.
LIVENESS_SERVICE = "liveness"
# What each probe asks. Under TLS the kubelet cannot probe gRPC (it speaks plaintext only), so the
# probes ask the plaintext metrics port the same questions.
GRPC_PROBE_SERVICE = {"readinessProbe": "", "livenessProbe": LIVENESS_SERVICE}
HTTP_PROBE_PATH = {"readinessProbe": "/readyz", "livenessProbe": "/healthz"}


class Problems(list):
    """The problems one check found; `add` reads like a sentence at the call site."""

    def add(self, where, message):
        self.append(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------
# The context every check shares.


class Context:
    """What the checks share: the Dockerfiles, the built binaries, throwaway credentials, and what
    earlier checks produced (renders, the compose file, the test Redis)."""

    def __init__(self, build_dir, work):
        self.build_dir = build_dir
        self.work = work
        self.dockerfiles = {}
        for name in sorted(os.listdir(DOCKER)):
            if name.endswith(".Dockerfile"):
                dockerfile = read_dockerfile(os.path.join(DOCKER, name))
                self.dockerfiles[dockerfile.image] = dockerfile
        self.executables = {}    # build target → its path in build_dir
        self.binaries = {}       # image key → Binary of the image's ENTRYPOINT, when built
        self.missing = {}        # image key → its build targets not found in build_dir
        for key, dockerfile in self.dockerfiles.items():
            for target in dockerfile.build_targets:
                path = find_executable(build_dir, target)
                if path:
                    self.executables[target] = path
                else:
                    self.missing.setdefault(key, []).append(target)
            entrypoint = (dockerfile.build_targets or [None])[0]
            if entrypoint in self.executables:
                self.binaries[key] = read_binary(self.executables[entrypoint])
        self.secrets = os.path.join(work, "test-secrets")
        run([os.path.join(DEPLOY, "make-dev-secrets"), self.secrets])
        self.renders = {}        # kustomization root (relative to deploy/k8s) → objects
        self.k8s_copy = None     # the copy of deploy/k8s that was rendered
        self.compose = None      # deploy/compose.yaml, once read
        self.redis_process = None
        self.redis_port = None

    def binary_for(self, image):
        return self.binaries.get(image_key(image))



# ---------------------------------------------------------------------------------------------
# (a) YAML.


def check_yaml_parses(ctx):
    """Every YAML file under deploy/ parses."""
    problems = Problems()
    count = 0
    for root, dirs, files in os.walk(DEPLOY):
        dirs[:] = [d for d in dirs if d != "node_modules"]
        for name in files:
            if name.endswith((".yaml", ".yml")):
                count += 1
                path = os.path.join(root, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        list(yaml.safe_load_all(f))
                except yaml.YAMLError as e:
                    problems.add(os.path.relpath(path, REPO), " ".join(str(e).split()))
    return problems, f"{count} files"


# ---------------------------------------------------------------------------------------------
# (e) Dockerfiles.


def check_dockerfiles(ctx):
    """Each image: a non-root numeric USER, STOPSIGNAL SIGTERM, an exec-form ENTRYPOINT; a service
    image EXPOSEs the gRPC and metrics ports its binary defaults to; an image of a fieldwork binary
    is built in a debian:12 stage by tools/install-deps and deploy/docker/build-binary, and its
    debian:12-slim runtime stage installs the list build-binary derived from ldd (plus tzdata and
    ca-certificates) and nothing else by name."""
    problems = Problems()
    for key, d in ctx.dockerfiles.items():
        where = os.path.relpath(d.path, REPO)
        user = d.last("USER")
        uid = (user or "").split(":")[0]
        if not uid.isdigit() or int(uid) == 0:
            problems.add(where, f"runtime USER must be a numeric non-root uid, not {user!r}")
        if d.last("STOPSIGNAL") != "SIGTERM":
            problems.add(where, "needs STOPSIGNAL SIGTERM (the services drain on SIGTERM)")
        if not d.entrypoint:
            problems.add(where, "needs an exec-form ENTRYPOINT [\"/path/to/binary\"]")
        if d.runtime.base != "debian:12-slim":
            problems.add(where, f"runtime stage must be FROM debian:12-slim, not {d.runtime.base}")
        targets = d.build_targets
        if not targets:
            continue
        check_build_stages(d, targets, where, problems)
        binary = ctx.binaries.get(key)
        if binary and binary.is_server:
            exposed = {p.split("/")[0] for a in
                       [a for k, a in d.runtime.instructions if k == "EXPOSE"] for p in a.split()}
            for flag in ("listen", "metrics-port"):
                port = binary.options[flag].default.rsplit(":", 1)[-1]
                if port not in exposed:
                    problems.add(where, f"EXPOSE lacks {port}, the default of --{flag}")
    return problems, f"{len(ctx.dockerfiles)} Dockerfiles"


def check_build_stages(d, targets, where, problems):
    build = d.stages[0]
    if len(d.stages) < 2 or build.base != "debian:12":
        problems.add(where, "the build stage must be FROM debian:12")
    runs = [a for k, a in build.instructions if k == "RUN"]
    if not any(a.strip() == "tools/install-deps" for a in runs):
        problems.add(where, "the build stage must RUN tools/install-deps")
    copied = [a for k, a in d.runtime.instructions if k == "COPY"]
    list_copy = next((a for a in copied if "/out/runtime-packages.txt" in a), None)
    if not list_copy or f"--from={build.name}" not in list_copy:
        problems.add(where, f"the runtime stage must COPY --from={build.name} "
                            "/out/runtime-packages.txt (the derived package list)")
        return
    list_path = list_copy.split()[-1]
    installs = [a for k, a in d.runtime.instructions if k == "RUN" and "apt-get install" in a]
    if len(installs) != 1 or f"--arg-file={list_path}" not in installs[0]:
        problems.add(where, f"the runtime stage must apt-get install exactly the list in {list_path}")
    else:
        command = installs[0].split("apt-get install", 1)[1].split("&&")[0].split()
        named = {w for w in command if not w.startswith("-")}
        if named != RUNTIME_EXTRAS:
            problems.add(where, f"runtime packages named by hand: {sorted(named - RUNTIME_EXTRAS)} "
                                f"(only {sorted(RUNTIME_EXTRAS)} besides the derived list)")
    binaries_copy = next((a for a in copied if f"--from={build.name} /out/bin/ " in a), None)
    destination = binaries_copy.split()[-1].rstrip("/") if binaries_copy else None
    if not binaries_copy or d.entrypoint != [f"{destination}/{targets[0]}"]:
        problems.add(where, f"must COPY --from={build.name} /out/bin/ into a directory and have "
                            f"ENTRYPOINT [\"<that directory>/{targets[0]}\"]")


# ---------------------------------------------------------------------------------------------
# (c) Runtime packages.


def usr_aliases(path):
    real = os.path.realpath(path)
    return {p for q in (path, real) for p in (q, "/usr" + q, q[4:] if q.startswith("/usr/") else q)}


def ldd_libraries(binary):
    """The library files ldd resolves for `binary` (none for a static one)."""
    result = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if "not a dynamic executable" in result.stdout + result.stderr:
        return []
    if result.returncode != 0:
        raise RuntimeError(f"ldd {binary} exited {result.returncode}: {result.stderr.strip()}")
    libraries = []
    for line in result.stdout.splitlines():
        line = line.strip()
        if "=> not found" in line:
            raise RuntimeError(f"{binary}: ldd cannot find {line.split()[0]}")
        if " => /" in line:
            libraries.append(line.split(" => ")[1].split(" (")[0])
        elif line.startswith("/"):
            libraries.append(line.split(" (")[0])
    return libraries


def check_runtime_packages(ctx):
    """Every binary an image ships (fieldctl's too) is built, and deploy/runtime-packages, run on
    them, names Debian packages whose files (dpkg -L) include every library ldd reports."""
    problems = Problems()
    summary = []
    for key, targets in sorted(ctx.missing.items()):
        problems.add(f"{key} image", f"{' '.join(targets)} not built in {ctx.build_dir}, so the "
                                     f"image's runtime packages are unproven (ninja {' '.join(targets)})")
    for key, dockerfile in sorted(ctx.dockerfiles.items()):
        paths = [ctx.executables[t] for t in dockerfile.build_targets if t in ctx.executables]
        if not paths:
            continue
        where = f"{key} image ({' '.join(os.path.basename(p) for p in paths)})"
        try:
            packages = run([os.path.join(DEPLOY, "runtime-packages"), *paths]).split()
            libraries = sorted({lib for path in paths for lib in ldd_libraries(path)})
        except RuntimeError as e:
            problems.add(where, str(e))
            continue
        files = set()
        for line in run(["dpkg-query", "-L", *packages]).splitlines():
            files |= usr_aliases(line.strip()) if line.startswith("/") else set()
        for library in libraries:
            if not usr_aliases(library) & files:
                problems.add(where, f"{library} is in no package runtime-packages listed "
                                    f"({' '.join(packages)})")
        summary.append(f"{key}: {len(libraries)} libraries in {len(packages)} packages")
    check_runtime_packages_refuses_missing_library(ctx, problems)
    return problems, "; ".join(summary)


def check_runtime_packages_refuses_missing_library(ctx, problems):
    """A copy of a binary whose DT_NEEDED entry names a library that does not exist (same length,
    one letter changed) must make deploy/runtime-packages fail and name that library."""
    binary = next(iter(ctx.binaries.values()), None)
    if binary is None:
        return
    # ldd lists the binary's own DT_NEEDED entries first.
    library = os.path.basename(ldd_libraries(binary.path)[0])
    missing = "liq" + library[3:]
    with open(binary.path, "rb") as f:
        content = f.read().replace(library.encode() + b"\0", missing.encode() + b"\0")
    copy = os.path.join(ctx.work, "binary-with-a-missing-library")
    with open(copy, "wb") as f:
        f.write(content)
    os.chmod(copy, 0o755)
    result = subprocess.run([os.path.join(DEPLOY, "runtime-packages"), copy], capture_output=True,
                            text=True)
    if result.returncode == 0 or missing not in result.stderr:
        problems.add("deploy/runtime-packages", f"does not fail naming {missing} for a binary that "
                                                f"needs it: exit {result.returncode}, {result.stderr.strip()}")


# ---------------------------------------------------------------------------------------------
# Rendering the kustomizations.


def kustomization_roots():
    """base and every overlay, relative to deploy/k8s."""
    overlays = os.path.join(K8S, "overlays")
    return ["base"] + [f"overlays/{d}" for d in sorted(os.listdir(overlays))
                       if os.path.isdir(os.path.join(overlays, d))]


def prepare_k8s_copy(ctx):
    """A copy of deploy/k8s with fresh throwaway credentials where an overlay generates Secrets
    from git-ignored files (overlays/dev/secrets)."""
    copy = os.path.join(ctx.work, "k8s")
    shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("secrets"))
    for root in kustomization_roots():
        ignore = os.path.join(K8S, root, ".gitignore")
        if os.path.isfile(ignore) and "secrets/" in open(ignore, encoding="utf-8").read().splitlines():
            shutil.copytree(ctx.secrets, os.path.join(copy, root, "secrets"))
    ctx.k8s_copy = copy


def check_kustomizations(ctx):
    """Every path a kustomization names (resources, components, patches, generator files) exists,
    every component is used by an overlay, and base and every overlay render."""
    problems = Problems()
    prepare_k8s_copy(ctx)
    used_components = set()
    for directory, _, files in os.walk(ctx.k8s_copy):
        if "kustomization.yaml" not in files:
            continue
        path = os.path.join(directory, "kustomization.yaml")
        where = os.path.relpath(path, ctx.k8s_copy)
        k = yaml.safe_load(open(path, encoding="utf-8")) or {}
        named = list(k.get("resources") or []) + list(k.get("components") or [])
        named += [p["path"] for p in k.get("patches") or [] if "path" in p]
        for generator in (k.get("configMapGenerator") or []) + (k.get("secretGenerator") or []):
            named += list(generator.get("envs") or [])
            named += [f.split("=", 1)[-1] for f in generator.get("files") or []]
        for entry in named:
            if not os.path.exists(os.path.join(directory, entry)):
                problems.add(f"deploy/k8s/{where}", f"names {entry}, which does not exist")
        used_components |= {os.path.normpath(os.path.join(directory, c))
                            for c in k.get("components") or []}
    components = os.path.join(ctx.k8s_copy, "components")
    for name in sorted(os.listdir(components)):
        if os.path.join(components, name) not in used_components:
            problems.add(f"deploy/k8s/components/{name}", "is used by no overlay, so nothing checks it")
    for root in kustomization_roots():
        try:
            ctx.renders[root] = kustomize.render(os.path.join(ctx.k8s_copy, root))
        except (kustomize.KustomizeError, OSError) as e:
            message = " ".join(str(e).replace(ctx.k8s_copy, "deploy/k8s").split())
            problems.add(f"deploy/k8s/{root}", f"does not render: {message}")
    compared = cross_check_with_kubectl(ctx, problems)
    counts = ", ".join(f"{r}: {len(o)} objects" for r, o in ctx.renders.items())
    return problems, f"{counts}; {compared}"


def normalized(value):
    """Lists of named things compared as sets: kustomize and this renderer may order them apart."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalized(v) for v in value]
        if items and all(isinstance(v, dict) and "name" in v for v in items):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return items
    return value


def cross_check_with_kubectl(ctx, problems):
    """Where kubectl exists, its kustomize must render the same objects (names without the hash).
    Returns what was compared, for the check's summary line."""
    kubectl = shutil.which("kubectl")
    if not kubectl:
        return "kubectl not installed: not compared with kubectl kustomize"
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True,
                             timeout=60).stdout
    found = re.search(r"Kustomize Version: (\S+)", version)
    kustomize_version = found.group(1) if found else "unknown version"
    generated = kustomize.generated_names(ctx.k8s_copy)
    for root, mine in ctx.renders.items():
        result = subprocess.run([kubectl, "kustomize", os.path.join(ctx.k8s_copy, root)],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            problems.add(f"deploy/k8s/{root}", f"kubectl kustomize fails: {result.stderr.strip()}")
            continue
        text = result.stdout
        for name in generated:
            text = re.sub(re.escape(name) + r"-[a-z0-9]{10}\b", name, text)
        theirs = [o for o in yaml.safe_load_all(text) if o]
        for obj in theirs:
            if obj.get("kind") == "Secret":
                obj["data"] = {k: v.replace("\n", "") for k, v in (obj.get("data") or {}).items()}
        key = lambda o: (o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"])
        a = {key(o): normalized(o) for o in mine}
        b = {key(o): normalized(o) for o in theirs}
        for k in sorted(set(a) ^ set(b)):
            side = "this renderer" if k in a else "kubectl kustomize"
            problems.add(f"deploy/k8s/{root}", f"only {side} makes {k[0]}/{k[2]}")
        for k in sorted(set(a) & set(b)):
            if a[k] != b[k]:
                problems.add(f"deploy/k8s/{root}", f"{k[0]}/{k[2]} differs between this renderer "
                                                   "and kubectl kustomize")
    return f"kubectl kustomize ({kustomize_version}) renders the same objects"


# ---------------------------------------------------------------------------------------------
# Kubernetes API schema.


def check_schema(ctx):
    """Every rendered object validates against the Kubernetes API schema (the npm package
    kubernetes-models at the version pinned in deploy/check/package.json and package-lock.json,
    installed by tools/install-deps: this check takes no network)."""
    problems = Problems()
    node = shutil.which("node")
    if not node:
        problems.add("node", "not installed; run tools/install-deps (Debian packages nodejs, npm)")
        return problems, ""
    with open(os.path.join(CHECK, "package.json"), encoding="utf-8") as f:
        pinned = json.load(f)["dependencies"]["kubernetes-models"]
    installed_manifest = os.path.join(CHECK, "node_modules", "kubernetes-models", "package.json")
    installed = None
    if os.path.isfile(installed_manifest):
        with open(installed_manifest, encoding="utf-8") as f:
            installed = json.load(f).get("version")
    if installed != pinned:
        found = f"version {installed} is installed" if installed else "it is not installed"
        problems.add("deploy/check/node_modules", f"kubernetes-models {pinned} is pinned but {found}; "
                                                  "run tools/install-deps (npm ci in deploy/check)")
        return problems, ""
    items = [{"source": f"deploy/k8s/{root}", "object": obj}
             for root, objects in ctx.renders.items() for obj in objects]
    result = subprocess.run([node, os.path.join(CHECK, "validate-k8s.mjs")], input=json.dumps(items),
                            capture_output=True, text=True, timeout=120)
    problems.extend(line for line in result.stdout.splitlines() if line.strip())
    if result.returncode != 0 and not problems:
        problems.add("validate-k8s.mjs", result.stderr.strip())
    return problems, f"{len(items)} objects"


# ---------------------------------------------------------------------------------------------
# What a container is configured with.


@dataclass
class Setting:
    value: str           # None when it comes from a Secret this repository does not hold
    source: str


@dataclass
class Container:
    where: str           # "deploy/k8s/overlays/prod: Deployment/scheduling"
    workload: dict
    spec: dict           # the container
    pod: dict            # the pod spec
    binary: Binary
    env: dict            # name → Setting, after envFrom and env (env wins)
    args: list

    def setting(self, flag):
        """The effective value of --flag: argument, else environment, else the binary's default."""
        for i, arg in enumerate(self.args):
            if arg == f"--{flag}" and i + 1 < len(self.args):
                return self.args[i + 1]
            if arg.startswith(f"--{flag}="):
                return arg.split("=", 1)[1]
        option = self.binary.options[flag]
        if option.env in self.env:
            return self.env[option.env].value
        return option.default

    @property
    def service(self):
        return os.path.basename(self.binary.path).replace("fieldwork-", "")

    @property
    def tls(self):
        return bool(self.setting("tls-cert"))


def find_object(objects, kind, name):
    return next((o for o in objects if o.get("kind") == kind and o["metadata"]["name"] == name), None)


def object_data(obj):
    """The text values of a ConfigMap or Secret."""
    if obj.get("kind") == "Secret":
        data = {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}
        return {**data, **(obj.get("stringData") or {})}
    return dict(obj.get("data") or {})


def container_env(objects, spec, where, problems):
    env = {}
    for source in spec.get("envFrom") or []:
        for kind, ref in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if ref in source:
                obj = find_object(objects, kind, source[ref]["name"])
                if obj is None:
                    problems.add(where, f"envFrom {kind} {source[ref]['name']} is not rendered")
                    continue
                for key, value in object_data(obj).items():
                    env[source.get("prefix", "") + key] = Setting(value, f"{kind}/{source[ref]['name']}")
    for entry in spec.get("env") or []:
        if "value" in entry:
            env[entry["name"]] = Setting(str(entry["value"]), "env")
            continue
        ref_from = entry.get("valueFrom", {})
        for kind, ref in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            if ref not in ref_from:
                continue
            name, key = ref_from[ref]["name"], ref_from[ref]["key"]
            obj = find_object(objects, kind, name)
            if obj is None and kind == "Secret":
                env[entry["name"]] = Setting(None, f"external Secret/{name}:{key}")
            elif obj is None or key not in object_data(obj):
                problems.add(where, f"{entry['name']} refers to {kind} {name} key {key}, not rendered")
            else:
                env[entry["name"]] = Setting(object_data(obj)[key], f"{kind}/{name}")
    return env


def k8s_containers(ctx, root, problems):
    """Every container of a rendered root that runs a built fieldwork server."""
    containers = []
    objects = ctx.renders.get(root, [])
    for obj in objects:
        pod = kustomize.pod_spec(obj)
        if pod is None:
            continue
        for spec in pod.get("containers", []):
            where = f"deploy/k8s/{root}: {obj['kind']}/{obj['metadata']['name']}"
            binary = ctx.binary_for(spec["image"])
            targets = ctx.dockerfiles.get(image_key(spec["image"]), Dockerfile("", "", [])).build_targets
            if targets and binary is None:
                problems.add(where, f"{targets[0]} is not built in {ctx.build_dir}, so its settings "
                                    "cannot be checked")
                continue
            if binary is None or not binary.is_server:
                continue
            command = spec.get("command")
            if command and os.path.basename(command[0]) != os.path.basename(binary.path):
                problems.add(where, f"command {command[0]} is not the image's binary")
            args = list(command[1:] if command else []) + [str(a) for a in spec.get("args") or []]
            env = container_env(objects, spec, where, problems)
            containers.append(Container(where, obj, spec, pod, binary, env, args))
    return containers


# ---------------------------------------------------------------------------------------------
# (b) Settings the binaries accept.


def mounted_file(container, objects, path, problems):
    """Where a file setting's path comes from: (volume source kind, object name, key), or None."""
    for mount in container.spec.get("volumeMounts") or []:
        prefix = mount["mountPath"].rstrip("/") + "/"
        if not path.startswith(prefix):
            continue
        relative = path[len(prefix):]
        volume = next((v for v in container.pod.get("volumes") or [] if v["name"] == mount["name"]), None)
        if volume is None:
            problems.add(container.where, f"volumeMount {mount['name']} has no volume")
            return None
        for kind, field_name, name_key in (("Secret", "secret", "secretName"),
                                           ("ConfigMap", "configMap", "name")):
            if field_name in volume:
                source = volume[field_name]
                items = {i["path"]: i["key"] for i in source.get("items") or []}
                return kind, source[name_key], items.get(relative, relative)
        problems.add(container.where, f"{path} is on volume {mount['name']}, which is neither a "
                                      "Secret nor a ConfigMap")
        return None
    problems.add(container.where, f"{path} is on no mounted volume")
    return None


def write_test_file(ctx, content):
    """A private file (mode 0600, as the services require of token files) holding `content`."""
    fd, path = tempfile.mkstemp(dir=ctx.work)
    with os.fdopen(fd, "w") as f:
        f.write(content)
    return path


def test_value(ctx, container, objects, name, setting, problems):
    """The value to run --check-config with: the setting itself, a test file standing in for a
    mounted file, or a test value standing in for an external Secret."""
    value = setting.value
    if value is None:
        if name not in EXTERNAL_TEST_VALUES:
            problems.add(container.where, f"{name} comes from {setting.source}; add a test value "
                                          "for it to EXTERNAL_TEST_VALUES")
            return None
        return EXTERNAL_TEST_VALUES[name]
    if not value.startswith("/"):
        return value
    source = mounted_file(container, objects, value, problems)
    if source is None:
        return None
    kind, object_name, key = source
    obj = find_object(objects, kind, object_name)
    if obj is not None:
        data = object_data(obj)
        if key not in data:
            problems.add(container.where, f"{name}={value}: {kind} {object_name} has no key {key}")
            return None
        return write_test_file(ctx, data[key])
    if kind != "Secret" or name not in TEST_FILES:
        problems.add(container.where, f"{name}={value}: {kind} {object_name} is not rendered")
        return None
    return os.path.join(ctx.secrets, TEST_FILES[name].format(service=container.service))


def check_config_accepted(ctx, where, binary, env, args, problems):
    unknown = [n for n in env if n.startswith("FIELDWORK_") and n not in binary.env_vars]
    for name in unknown:
        problems.add(where, f"{name} is not a variable {os.path.basename(binary.path)} reads")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDWORK_")}
    result = subprocess.run([binary.path, *args, "--check-config"], capture_output=True, text=True,
                            env={**base_env, **env}, timeout=20)
    if result.returncode != 0:
        problems.add(where, f"--check-config exited {result.returncode}: "
                            f"{(result.stderr or result.stdout).strip()}")


def check_k8s_settings(ctx):
    """Every fieldwork container of base and each overlay: each FIELDWORK_* variable (from env,
    envFrom ConfigMaps and Secrets) is one its binary reads, and the binary run with those
    variables and arguments and --check-config exits 0. Files come from the rendered Secrets and
    ConfigMaps, or for external Secrets from deploy/make-dev-secrets; each file path must lie on a
    mounted volume whose Secret/ConfigMap has that key."""
    problems = Problems()
    runs = 0
    for root in ctx.renders:
        objects = ctx.renders[root]
        for container in k8s_containers(ctx, root, problems):
            env = {}
            for name, setting in container.env.items():
                if name.startswith("FIELDWORK_"):
                    value = test_value(ctx, container, objects, name, setting, problems)
                    if value is not None:
                        env[name] = value
            check_config_accepted(ctx, container.where, container.binary, env, container.args,
                                  problems)
            runs += 1
    return problems, f"{runs} containers"


# ---------------------------------------------------------------------------------------------
# (d) Kubernetes structure.


def check_restricted_pod(where, pod, problems):
    """The restricted Pod Security Standard, plus a read-only root filesystem, no service account
    token, resources and probes."""
    security = pod.get("securityContext") or {}
    containers = pod.get("containers", []) + pod.get("initContainers", [])
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            problems.add(where, f"{flag} is not allowed")
    if pod.get("automountServiceAccountToken") is not False:
        problems.add(where, "automountServiceAccountToken must be false")
    for volume in pod.get("volumes") or []:
        kinds = set(volume) - {"name"}
        if not kinds <= ALLOWED_VOLUME_TYPES:
            problems.add(where, f"volume {volume['name']} of type {sorted(kinds)} is not allowed")
        check_secret_volume_modes(where, volume, security, problems)
    for container in containers:
        name = f"{where} container {container['name']}"
        sc = container.get("securityContext") or {}
        if not (sc.get("runAsNonRoot") or security.get("runAsNonRoot")):
            problems.add(name, "runAsNonRoot must be true")
        if 0 in (sc.get("runAsUser"), security.get("runAsUser")):
            problems.add(name, "runAsUser must not be 0")
        seccomp = (sc.get("seccompProfile") or security.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.add(name, "seccompProfile.type must be RuntimeDefault")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.add(name, "allowPrivilegeEscalation must be false")
        if sc.get("privileged"):
            problems.add(name, "privileged is not allowed")
        capabilities = sc.get("capabilities") or {}
        if "ALL" not in (capabilities.get("drop") or []):
            problems.add(name, "capabilities.drop must include ALL")
        if set(capabilities.get("add") or []) - {"NET_BIND_SERVICE"}:
            problems.add(name, f"capabilities.add {capabilities['add']} is not allowed")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.add(name, "readOnlyRootFilesystem must be true")
        if any(p.get("hostPort") for p in container.get("ports") or []):
            problems.add(name, "hostPort is not allowed")
        resources = container.get("resources") or {}
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(kind) or {}):
                    problems.add(name, f"resources.{kind}.{resource} is not set")
        if container in pod.get("containers", []):
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in container:
                    problems.add(name, f"has no {probe}")


def secret_file_modes(volume):
    """(what, mode) of every file mode a volume sets for Secret files; None where it sets none."""
    if "secret" in volume:
        secret = volume["secret"]
        return [("defaultMode", secret.get("defaultMode"))] + [
            (f"items[{i['key']}].mode", i["mode"]) for i in secret.get("items") or [] if "mode" in i]
    projected = volume.get("projected") or {}
    sources = [s["secret"] for s in projected.get("sources") or [] if "secret" in s]
    if not sources:
        return []
    return [("defaultMode", projected.get("defaultMode"))] + [
        (f"items[{i['key']}].mode", i["mode"]) for s in sources for i in s.get("items") or []
        if "mode" in i]


def check_secret_volume_modes(where, volume, security, problems):
    """Secret files mode 0440 (or 0400) and a pod fsGroup: the non-root user reads them through its
    group, no other user can (the services refuse token files others may read)."""
    modes = secret_file_modes(volume)
    for what, mode in modes:
        if mode not in SECRET_FILE_MODES:
            shown = "unset (0644)" if mode is None else f"{mode:04o}"
            problems.add(where, f"secret volume {volume['name']}: {what} is {shown}; it must be "
                                "0440 or 0400 (the services refuse tokens other users may read)")
    if modes and not security.get("fsGroup"):
        problems.add(where, f"secret volume {volume['name']} needs the pod's securityContext.fsGroup "
                            "so the non-root user can read its files")


def named_port(container, name):
    return next((p["containerPort"] for p in container.get("ports") or [] if p.get("name") == name),
                None)


def prestop_seconds(container):
    pre_stop = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in pre_stop:
        return float(pre_stop["sleep"]["seconds"])
    command = (pre_stop.get("exec") or {}).get("command") or []
    if len(command) == 2 and os.path.basename(command[0]) == "sleep":
        return float(command[1])
    return None


def check_server_container(c, objects, problems):
    """The rules that follow from the binary: ports, probes, drain timing, replicas, spreading,
    and the objects that serve the Deployment."""
    where, spec, pod, workload = c.where, c.spec, c.pod, c.workload
    listen_port = int(c.setting("listen").rsplit(":", 1)[1])
    metrics_port = int(c.setting("metrics-port"))
    if named_port(spec, "grpc") != listen_port:
        problems.add(where, f"needs a container port named grpc = {listen_port} (its --listen)")
    if named_port(spec, "metrics") != metrics_port:
        problems.add(where, f"needs a container port named metrics = {metrics_port}")
    for probe_name in ("readinessProbe", "livenessProbe"):
        probe = spec.get(probe_name) or {}
        if c.tls:
            http = probe.get("httpGet") or {}
            path = HTTP_PROBE_PATH[probe_name]
            if ("grpc" in probe or http.get("path") != path
                    or http.get("port") not in ("metrics", metrics_port)
                    or http.get("scheme", "HTTP") != "HTTP"):
                problems.add(where, f"{probe_name}: under TLS the kubelet cannot speak gRPC; use "
                                    f"httpGet {path} on the (plaintext) metrics port")
            continue
        grpc = probe.get("grpc") or {}
        service = GRPC_PROBE_SERVICE[probe_name]
        if grpc.get("port") != listen_port or grpc.get("service", "") != service:
            asks = f"service {service!r}" if service else "no service name (the whole server)"
            problems.add(where, f"{probe_name} must be a native grpc probe on port {listen_port} "
                                f"asking {asks}")
    grace = parse_duration_seconds(c.setting("shutdown-grace"))
    drain = parse_duration_seconds(c.setting("shutdown-drain"))
    sleep = prestop_seconds(spec)
    if sleep is None:
        problems.add(where, "needs a preStop sleep so endpoints drop the pod before it drains")
        sleep = 0
    termination = pod.get("terminationGracePeriodSeconds", 30)
    if termination <= sleep + drain + grace:
        problems.add(where, f"terminationGracePeriodSeconds {termination} must exceed preStop "
                            f"{sleep:g}s + --shutdown-drain {drain:g}s + --shutdown-grace {grace:g}s")
    tmp = next((m["name"] for m in spec.get("volumeMounts") or [] if m["mountPath"] == "/tmp"), None)
    if not any(v["name"] == tmp and "emptyDir" in v for v in pod.get("volumes") or []):
        problems.add(where, "needs an emptyDir at /tmp (the root filesystem is read-only)")
    if workload["kind"] != "Deployment":
        problems.add(where, "a fieldwork service runs as a Deployment")
        return
    if workload["spec"].get("replicas", 1) < 2:
        problems.add(where, "replicas must be at least 2")
    labels = workload["spec"]["template"]["metadata"].get("labels") or {}
    spread = pod.get("topologySpreadConstraints") or []
    if not spread or not all(labels_match(t.get("labelSelector"), labels) for t in spread):
        problems.add(where, "needs topologySpreadConstraints selecting its own pods")
    check_serving_objects(c, objects, labels, problems)


def check_serving_objects(c, objects, labels, problems):
    where, name = c.where, c.workload["metadata"]["name"]
    services = [o for o in objects if o["kind"] == "Service"
                and labels_match({"matchLabels": o["spec"].get("selector")}, labels)]
    headless = [s for s in services if s["spec"].get("clusterIP") == "None"]
    if not headless:
        problems.add(where, "no headless Service (clusterIP: None) selects its pods")
    for service in headless:
        ports = {p.get("name"): p for p in service["spec"].get("ports", [])}
        for port_name in ("grpc", "metrics"):
            target = (ports.get(port_name) or {}).get("targetPort")
            if target not in (port_name, named_port(c.spec, port_name)):
                problems.add(where, f"Service/{service['metadata']['name']} needs a port named "
                                    f"{port_name} targeting the container's {port_name} port")
    pdbs = [o for o in objects if o["kind"] == "PodDisruptionBudget"
            and labels_match(o["spec"].get("selector"), labels)]
    if not pdbs:
        problems.add(where, "no PodDisruptionBudget selects its pods")
    for pdb in pdbs:
        spec = pdb["spec"]
        if "maxUnavailable" not in spec and spec.get("minAvailable", 0) >= c.workload["spec"]["replicas"]:
            problems.add(where, f"PodDisruptionBudget/{pdb['metadata']['name']} blocks every drain")
    hpas = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"
            and o["spec"]["scaleTargetRef"].get("name") == name
            and o["spec"]["scaleTargetRef"].get("kind") == "Deployment"]
    if not hpas:
        problems.add(where, "no HorizontalPodAutoscaler scales it")
    for hpa in hpas:
        spec = hpa["spec"]
        if hpa["apiVersion"] != "autoscaling/v2" or spec.get("minReplicas", 1) < 2:
            problems.add(where, "its HorizontalPodAutoscaler must be autoscaling/v2 with minReplicas >= 2")
        if not any(m.get("resource", {}).get("name") == "cpu" for m in spec.get("metrics") or []):
            problems.add(where, "its HorizontalPodAutoscaler should scale on CPU")
    account = c.pod.get("serviceAccountName")
    sa = find_object(objects, "ServiceAccount", account) if account else None
    if sa is None or sa.get("automountServiceAccountToken") is not False:
        problems.add(where, "needs its own ServiceAccount with automountServiceAccountToken: false")
    for env_name, setting in c.env.items():
        if env_name.endswith("_TARGET") and setting.value:
            check_peer_target(c, objects, env_name, setting.value, problems)


def check_peer_target(c, objects, env_name, target, problems):
    """A peer target names a headless Service (so round_robin sees every pod) on its gRPC port."""
    match = re.fullmatch(r"dns:///([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)", target)
    if not match:
        problems.add(c.where, f"{env_name}={target} is not dns:///<service>:<port>")
        return
    service = find_object(objects, "Service", match.group(1))
    if service is None or service["spec"].get("clusterIP") != "None":
        problems.add(c.where, f"{env_name}={target}: no headless Service {match.group(1)}")
        return
    grpc = next((p for p in service["spec"]["ports"] if p.get("name") == "grpc"), {})
    if grpc.get("port") != int(match.group(2)):
        problems.add(c.where, f"{env_name}={target}: Service {match.group(1)} serves gRPC on "
                              f"{grpc.get('port')}")


def check_k8s_structure(ctx):
    """Per rendered root: every pod meets the restricted Pod Security Standard with a read-only
    root filesystem, resources and probes, and Secret files mode 0440/0400 with an fsGroup; every
    fieldwork server has native gRPC probes on its --listen port, readiness asking the whole server
    and liveness the service name "liveness" (under TLS: HTTP /readyz and /healthz on the metrics
    port), named ports matching its settings, a preStop sleep and
    terminationGracePeriodSeconds beyond it plus --shutdown-grace, >= 2 replicas, topology spread,
    a headless Service, a PodDisruptionBudget, an autoscaling/v2 HPA, its own ServiceAccount, and
    peer targets naming headless Services; overlays create a Namespace enforcing the restricted
    standard, put every object in it, and pin every image to a tag; images have Dockerfiles."""
    problems = Problems()
    for root, objects in ctx.renders.items():
        where_root = f"deploy/k8s/{root}"
        for obj in objects:
            pod = kustomize.pod_spec(obj)
            if pod is None:
                continue
            where = f"{where_root}: {obj['kind']}/{obj['metadata']['name']}"
            check_restricted_pod(where, pod, problems)
            for container in pod.get("containers", []):
                key = image_key(container["image"])
                if key not in ctx.dockerfiles:
                    problems.add(where, f"image {container['image']} has no deploy/docker/{key}.Dockerfile")
                _, tag = kustomize.split_image(container["image"])
                if root != "base" and (not tag or tag == ":latest"):
                    problems.add(where, f"image {container['image']} needs a pinned tag in the overlay")
        for c in k8s_containers(ctx, root, Problems()):
            check_server_container(c, objects, problems)
        if root != "base":
            check_namespace(where_root, objects, problems)
    return problems, ", ".join(ctx.renders)


def check_namespace(where, objects, problems):
    namespaces = [o for o in objects if o["kind"] == "Namespace"]
    if len(namespaces) != 1:
        problems.add(where, "must create exactly one Namespace")
        return
    namespace = namespaces[0]
    name = namespace["metadata"]["name"]
    if (namespace["metadata"].get("labels") or {}).get("pod-security.kubernetes.io/enforce") != "restricted":
        problems.add(where, f"Namespace {name} must enforce the restricted Pod Security Standard")
    for obj in objects:
        if obj["kind"] not in kustomize.CLUSTER_SCOPED_KINDS and obj["metadata"].get("namespace") != name:
            problems.add(where, f"{obj['kind']}/{obj['metadata']['name']} is not in namespace {name}")


# ---------------------------------------------------------------------------------------------
# NetworkPolicy reachability.


def check_network_policies(ctx):
    """Where an overlay has NetworkPolicies: each service is reachable on its gRPC port exactly from
    the services whose *_TARGET settings name it and from pods labelled fieldwork.io/client=true in
    any namespace; Redis exactly from the services; every pod reaches DNS; the monitoring namespace
    reaches every metrics port; an external Redis is reachable where the Redis URL is external."""
    problems = Problems()
    checked = []
    for root, objects in ctx.renders.items():
        policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
        if not policies:
            continue
        checked.append(root)
        namespace = next((o["metadata"]["name"] for o in objects if o["kind"] == "Namespace"), "default")
        namespace_labels = {"kubernetes.io/metadata.name": namespace}
        pods = {}
        for obj in objects:
            pod = kustomize.pod_spec(obj)
            if pod is not None:
                ports = {p["name"]: p["containerPort"] for c in pod["containers"]
                         for p in c.get("ports") or [] if "name" in p}
                pods[obj["metadata"]["name"]] = Endpoint(
                    obj["metadata"]["name"], namespace, namespace_labels,
                    obj["spec"]["template"]["metadata"].get("labels") or {}, ports)
        other = {"kubernetes.io/metadata.name": "elsewhere"}
        client = Endpoint("a client pod", "elsewhere", other, {"fieldwork.io/client": "true"}, {})
        stranger = Endpoint("an unlabelled pod", "elsewhere", other, {}, {})
        monitoring = Endpoint("Prometheus", "monitoring", {"kubernetes.io/metadata.name": "monitoring"}, {}, {})
        dns = Endpoint("kube-dns", "kube-system", {"kubernetes.io/metadata.name": "kube-system"},
                       {"k8s-app": "kube-dns"}, {"dns": 53})
        external_redis = Endpoint("the external Redis", "", {}, {}, {}, external=True)

        def expect(source, destination, port, allowed):
            result = (policy_allows(policies, source, destination, port, "egress")
                      and policy_allows(policies, source, destination, port, "ingress"))
            if result != allowed:
                verb = "must" if allowed else "must not"
                problems.add(f"deploy/k8s/{root}", f"{source.name} {verb} reach {destination.name} "
                                                   f"on {port[0]}/{port[1]}")

        containers = {c.workload["metadata"]["name"]: c for c in k8s_containers(ctx, root, Problems())}
        callers = {name: set() for name in containers}
        for name, c in containers.items():
            for env_name, setting in c.env.items():
                match = re.fullmatch(r"dns:///([a-z0-9-]+)[^:]*:\d+", setting.value or "")
                if env_name.endswith("_TARGET") and match:
                    service = find_object(objects, "Service", match.group(1))
                    for callee, endpoint in pods.items():
                        if service and labels_match({"matchLabels": service["spec"]["selector"]},
                                                    endpoint.labels):
                            callers.setdefault(callee, set()).add(name)
        redis_pods = [p for p in pods.values() if p.labels.get("app.kubernetes.io/name") == "redis"]
        for name, c in containers.items():
            destination = pods[name]
            grpc = (destination.ports["grpc"], "TCP")
            for source in pods.values():
                if source.name != name:
                    expect(source, destination, grpc, source.name in callers[name])
            expect(client, destination, grpc, True)
            expect(stranger, destination, grpc, False)
            expect(monitoring, destination, (destination.ports["metrics"], "TCP"), True)
            for redis in redis_pods:
                expect(pods[name], redis, (redis.ports["redis"], "TCP"), True)
            redis_url = c.env.get("FIELDWORK_REDIS_URL")
            if redis_url and redis_url.value is None:
                expect(pods[name], external_redis, (6379, "TCP"), True)
        for redis in redis_pods:
            expect(client, redis, (redis.ports["redis"], "TCP"), False)
        for source in pods.values():
            expect(source, dns, (53, "UDP"), True)
    return problems, ", ".join(checked)


# ---------------------------------------------------------------------------------------------
# Compose.


def compose_services(ctx):
    if ctx.compose is None:
        with open(COMPOSE, encoding="utf-8") as f:
            ctx.compose = yaml.safe_load(f)
    return ctx.compose.get("services") or {}


def compose_env(service):
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(e.split("=", 1) for e in environment)
    return {k: str(v) for k, v in environment.items()}


def compose_secret_file(ctx, service, path, where, problems):
    """The test file for a /run/secrets/ path: the one deploy/make-dev-secrets makes under the
    same name the compose secret reads from deploy/secrets/."""
    secrets = ctx.compose.get("secrets") or {}
    for entry in service.get("secrets") or []:
        entry = {"source": entry} if isinstance(entry, str) else entry
        target = entry.get("target", entry["source"])
        if not target.startswith("/"):
            target = "/run/secrets/" + target
        if target != path:
            continue
        source = (secrets.get(entry["source"]) or {}).get("file", "")
        relative = os.path.normpath(source)
        if not relative.startswith("secrets/"):
            problems.add(where, f"secret {entry['source']} reads {source}, not a file under "
                                "./secrets/ as deploy/make-dev-secrets makes them")
            return None
        test_file = os.path.join(ctx.secrets, relative[len("secrets/"):])
        if not os.path.isfile(test_file):
            problems.add(where, f"secret {entry['source']}: deploy/make-dev-secrets makes no {source}")
            return None
        return test_file
    problems.add(where, f"{path} is not one of the service's secrets")
    return None


def compose_binary(ctx, name, service, where, problems):
    dockerfile = (service.get("build") or {}).get("dockerfile", "")
    key = os.path.basename(dockerfile)[: -len(".Dockerfile")] if dockerfile.endswith(".Dockerfile") else None
    if key not in ctx.dockerfiles or dockerfile != f"deploy/docker/{key}.Dockerfile":
        problems.add(where, f"build.dockerfile {dockerfile!r} is not one of deploy/docker/*.Dockerfile")
        return None
    if (service.get("build") or {}).get("context") != "..":
        problems.add(where, "build.context must be .. (the repository root)")
    if image_key(service.get("image", "")) != key:
        problems.add(where, f"image {service.get('image')} does not match {dockerfile}")
    return key


def check_compose_settings(ctx):
    """Every compose service running a fieldwork binary: each FIELDWORK_* variable is one it reads,
    and it accepts them (and its command arguments) with --check-config, files from secrets
    pointed at what deploy/make-dev-secrets makes."""
    problems = Problems()
    runs = 0
    for name, service in compose_services(ctx).items():
        where = f"deploy/compose.yaml: {name}"
        key = compose_binary(ctx, name, service, where, problems)
        env = compose_env(service)
        args = [str(a) for a in service.get("command") or []]
        binary = ctx.binaries.get(key)
        if binary is None:
            if key in ctx.missing and (env or args):
                problems.add(where, f"{ctx.missing[key][0]} is not built, so its settings cannot "
                                    "be checked")
            continue
        if not binary.is_server and not env and not args:
            continue   # fieldctl: compose passes it nothing; it reads its own config file
        for variable, value in env.items():
            if value.startswith("/run/secrets/"):
                env[variable] = compose_secret_file(ctx, service, value, where, problems) or value
        check_config_accepted(ctx, where, binary, env, args, problems)
        runs += 1
    return problems, f"{runs} services"


def check_compose_structure(ctx):
    """Every compose service: a non-root numeric user, read_only, tmpfs /tmp, all capabilities
    dropped, no-new-privileges, SIGTERM and a stop_grace_period beyond --shutdown-grace, a health
    check on its own gRPC port (Redis: redis-cli ping); scheduling runs >= 2 replicas; Redis keeps
    its data on a named volume with deploy/k8s/components/redis-dev/redis.conf; peer targets name
    compose services on their gRPC ports; depends_on names services; health checks ask readiness
    (depends_on waits on them; Docker restarts no unhealthy container, so liveness has no use)."""
    problems = Problems()
    services = compose_services(ctx)
    for name, service in services.items():
        where = f"deploy/compose.yaml: {name}"
        user = str(service.get("user", ""))
        if not user.split(":")[0].isdigit() or int(user.split(":")[0]) == 0:
            problems.add(where, f"user must be a numeric non-root uid, not {user!r}")
        if service.get("read_only") is not True:
            problems.add(where, "read_only must be true")
        if "/tmp" not in (service.get("tmpfs") or []):
            problems.add(where, "needs tmpfs /tmp")
        if "ALL" not in (service.get("cap_drop") or []):
            problems.add(where, "cap_drop must include ALL")
        if "no-new-privileges:true" not in (service.get("security_opt") or []):
            problems.add(where, "security_opt must include no-new-privileges:true")
        if service.get("stop_signal", "SIGTERM") != "SIGTERM":
            problems.add(where, "stop_signal must be SIGTERM")
        for dependency in service.get("depends_on") or {}:
            if dependency not in services:
                problems.add(where, f"depends_on {dependency}, which is not a service")
        if service.get("profiles"):
            continue   # started on demand (fieldctl)
        test = (service.get("healthcheck") or {}).get("test")
        if not test:
            problems.add(where, "needs a healthcheck")
        key = image_key(service.get("image", ""))
        binary = ctx.binaries.get(key)
        if binary is None or not binary.is_server:
            continue
        env = compose_env(service)
        settings = Container(where, {}, {}, {}, binary, {k: Setting(v, "env") for k, v in env.items()},
                             [str(a) for a in service.get("command") or []])
        grace = parse_duration_seconds(settings.setting("shutdown-grace"))
        drain = parse_duration_seconds(settings.setting("shutdown-drain"))
        stop = parse_duration_seconds(service.get("stop_grace_period", "10s"))
        if stop <= drain + grace:
            problems.add(where, f"stop_grace_period {stop:g}s must exceed --shutdown-drain "
                                f"{drain:g}s + --shutdown-grace {grace:g}s")
        listen_port = settings.setting("listen").rsplit(":", 1)[1]
        targets = ctx.dockerfiles[key].build_targets
        if test and (test[0] != "CMD" or len(test) < 2 or test[1] not in targets[1:]
                     or test[-1] != f"127.0.0.1:{listen_port}"):
            problems.add(where, f"the healthcheck must run a health client the image has "
                                f"({' '.join(targets[1:])}) against 127.0.0.1:{listen_port}")
        if test and any(word.startswith("--service") for word in test):
            problems.add(where, "the healthcheck must ask readiness (no --service): depends_on "
                                "waits on it, and Docker restarts no unhealthy container")
        if key == "scheduling" and (service.get("deploy") or {}).get("replicas", 1) < 2:
            problems.add(where, "scheduling must run at least 2 replicas")
        for variable, value in env.items():
            match = re.fullmatch(r"dns:///([a-z0-9-]+):(\d+)", value)
            if variable.endswith("_TARGET"):
                peer = services.get(match.group(1)) if match else None
                peer_listen = compose_env(peer).get("FIELDWORK_LISTEN", "") if peer else ""
                if not match or not peer_listen.endswith(":" + match.group(2)):
                    problems.add(where, f"{variable}={value} names no compose service listening there")
    check_compose_redis(services.get("redis"), problems)
    return problems, f"{len(services)} services"


def check_compose_redis(redis, problems):
    where = "deploy/compose.yaml: redis"
    if redis is None:
        problems.add(where, "missing")
        return
    volumes = [str(v) for v in redis.get("volumes") or []]
    if not any(v.split(":")[1:2] == ["/data"] and not v.startswith((".", "/")) for v in volumes):
        problems.add(where, "needs a named volume at /data (the AOF)")
    if not any(v.startswith("./k8s/components/redis-dev/redis.conf:") for v in volumes):
        problems.add(where, "must mount ./k8s/components/redis-dev/redis.conf, the one Redis config")


# ---------------------------------------------------------------------------------------------
# Running things: Redis with the shipped config, and the compose health checks.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds, interval=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def read_reply(f):
    """One RESP reply: a string, an int, None or a list."""
    line = f.readline().decode().rstrip("\r\n")
    kind, rest = line[:1], line[1:]
    if kind in "+-":
        return rest
    if kind == ":":
        return int(rest)
    if kind == "$":
        return None if rest == "-1" else f.read(int(rest) + 2)[:-2].decode()
    if kind == "*":
        return [read_reply(f) for _ in range(int(rest))]
    raise OSError(f"not a Redis reply: {line!r}")


def redis_command(port, *words):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(("*%d\r\n" % len(words) + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)).encode())
        return read_reply(s.makefile("rb"))


def start_redis(ctx, problems):
    """redis-server with the shipped redis.conf (only dir, port and bind changed for the test)."""
    server = shutil.which("redis-server")
    if not server:
        problems.add("redis-server", "not installed (tools/install-deps installs it)")
        return None, None
    where = "deploy/k8s/components/redis-dev/redis.conf"
    with open(os.path.join(DEPLOY, "k8s", "components", "redis-dev", "redis.conf"), encoding="utf-8") as f:
        text = f.read()
    # Redis changes into `dir` while it reads the file, so the test copy names its own directory.
    if not re.search(r"^dir /data$", text, re.MULTILINE):
        problems.add(where, "must keep its data in /data, where compose and redis-dev mount the volume")
        return None, None
    data = os.path.join(ctx.work, "redis-data")
    os.mkdir(data)
    conf = os.path.join(ctx.work, "redis.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(re.sub(r"^dir /data$", f"dir {data}", text, flags=re.MULTILINE))
    port = free_port()
    process = subprocess.Popen([server, conf, "--port", str(port), "--bind", "127.0.0.1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def answers():
        try:
            return redis_command(port, "PING") == "PONG"
        except OSError:
            return False
    if not wait_for(lambda: answers() or process.poll() is not None, 10) or process.poll() is not None:
        process.kill()
        problems.add(where, f"redis-server does not start with it: {process.stdout.read().strip()[-500:]}")
        return None, None
    return process, port


def check_redis_config(ctx):
    """Redis started with deploy/k8s/components/redis-dev/redis.conf (used by compose and the
    redis-dev component) runs with appendonly yes, appendfsync always and noeviction."""
    problems = Problems()
    process, port = start_redis(ctx, problems)
    if process is None:
        return problems, ""
    ctx.redis_port = port
    ctx.redis_process = process
    for name, wanted in (("appendonly", "yes"), ("appendfsync", "always"),
                         ("maxmemory-policy", "noeviction")):
        reply = redis_command(port, "CONFIG", "GET", name)
        actual = reply[1] if isinstance(reply, list) and len(reply) == 2 else reply
        if actual != wanted:
            problems.add("deploy/k8s/components/redis-dev/redis.conf", f"{name} is {actual}, not {wanted}")
    return problems, f"redis-server on 127.0.0.1:{port}"


@dataclass
class Served:
    """A fieldwork binary running for a check, on free loopback ports."""
    process: subprocess.Popen
    log: object
    listen_port: int
    metrics_port: int
    grace: float


def serve_compose_service(ctx, name, service, binary, redis_port):
    """Runs `binary` with the compose service's settings: its ports moved to free loopback ports,
    Redis to 127.0.0.1:`redis_port`, secrets to what deploy/make-dev-secrets made."""
    where = f"deploy/compose.yaml: {name}"
    env = compose_env(service)
    for variable, value in env.items():
        if value.startswith("/run/secrets/"):
            env[variable] = compose_secret_file(ctx, service, value, where, Problems()) or value
    listen_port, metrics_port = free_port(), free_port()
    env.update({"FIELDWORK_LISTEN": f"127.0.0.1:{listen_port}",
                "FIELDWORK_METRICS_PORT": str(metrics_port),
                "FIELDWORK_REDIS_URL": f"redis://127.0.0.1:{redis_port}"})
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDWORK_")}
    log = tempfile.TemporaryFile("w+", dir=ctx.work, prefix=f"{name}-", suffix=".log")
    process = subprocess.Popen([binary.path], env={**base_env, **env}, stdout=log, stderr=log)
    grace = parse_duration_seconds(env.get("FIELDWORK_SHUTDOWN_GRACE", "20s"))
    return Served(process, log, listen_port, metrics_port, grace)


def served_log(served):
    served.log.seek(0)
    return served.log.read().strip()[-600:]


def stop_served(served, where, problems):
    """SIGTERM; the process must exit 0 within its --shutdown-grace."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
    try:
        code = served.process.wait(timeout=served.grace + 2)
        if code != 0:
            problems.add(where, f"exited {code} after SIGTERM: {served_log(served)}")
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()
        problems.add(where, f"still running {served.grace + 2:g}s after SIGTERM")
    served.log.close()


def wait_until_serving(served, answers):
    """Whether `answers()` comes true before the process exits (10 s at most)."""
    return wait_for(lambda: served.process.poll() is not None or answers(), 10,
                    interval=0.1) and served.process.poll() is None


def check_compose_health(ctx):
    """Each compose fieldwork service, run from its real binary with its compose settings (ports
    moved to free loopback ports, Redis to the test Redis): its compose healthcheck command passes
    once it serves, and SIGTERM stops it with exit code 0 within --shutdown-grace."""
    problems = Problems()
    checked = []
    for name, service in compose_services(ctx).items():
        binary = ctx.binaries.get(image_key(service.get("image", "")))
        test = (service.get("healthcheck") or {}).get("test") or []
        if binary is None or not binary.is_server or test[:1] != ["CMD"] or len(test) < 2:
            continue
        where = f"deploy/compose.yaml: {name}"
        if test[1] not in ctx.executables:
            problems.add(where, f"the healthcheck runs {test[1]}, which is not built")
            continue
        served = serve_compose_service(ctx, name, service, binary, ctx.redis_port or 1)
        command = [ctx.executables[test[1]], *test[2:-1], f"127.0.0.1:{served.listen_port}"]
        if not wait_until_serving(served, lambda: subprocess.run(
                command, capture_output=True, timeout=5).returncode == 0):
            problems.add(where, f"the healthcheck never passed: {served_log(served)}")
        stop_served(served, where, problems)
        checked.append(name)
    return problems, ", ".join(checked)


def grpc_health_answer(ctx, port, service=""):
    """(SERVING?, what fieldwork-health-probe said) for `service` on 127.0.0.1:`port`."""
    command = [ctx.executables[HEALTH_PROBE], "--timeout", "2", f"127.0.0.1:{port}"]
    if service:
        command += ["--service", service]
    result = subprocess.run(command, capture_output=True, text=True, timeout=10)
    return result.returncode == 0, result.stderr.strip() or "SERVING"


def grpc_health(ctx, port, service=""):
    return grpc_health_answer(ctx, port, service)[0]


def describe_probe(probe):
    if "grpc" in probe:
        return f"grpc probe on {probe['grpc'].get('port')} (service {probe['grpc'].get('service', '')!r})"
    if "httpGet" in probe:
        return f"httpGet {probe['httpGet'].get('path')} on {probe['httpGet'].get('port')}"
    return f"probe {json.dumps(probe)}"


def probe_passes(ctx, container, probe, served):
    """Asks `probe` (a Kubernetes grpc or httpGet probe of `container`) of the served binary, its
    ports mapped to where it runs; None for a probe this check cannot ask."""
    ports = {"grpc": served.listen_port, "metrics": served.metrics_port,
             int(container.setting("listen").rsplit(":", 1)[1]): served.listen_port,
             int(container.setting("metrics-port")): served.metrics_port}
    if "grpc" in probe:
        port = ports.get(probe["grpc"].get("port"))
        return None if port is None else grpc_health(ctx, port, probe["grpc"].get("service", ""))
    if "httpGet" in probe:
        http = probe["httpGet"]
        port = ports.get(http.get("port"))
        if port is None or http.get("scheme", "HTTP") != "HTTP":
            return None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{http.get('path', '/')}",
                                        timeout=2) as response:
                return 200 <= response.status < 400
        except urllib.error.HTTPError as e:
            return 200 <= e.code < 400
        except OSError:
            return False
    return None


def check_k8s_probes(ctx):
    """Every readiness and liveness probe of every fieldwork server in base and each overlay (TLS or
    not), asked of its real binary run with its compose settings. With Redis answering, every probe
    passes. With Redis unreachable, every liveness probe still passes (a Redis outage must not make
    the kubelet restart every pod) and every readiness probe answers as the server's grpc.health.v1
    does, which for at least one service is not serving (readiness follows Redis)."""
    problems = Problems()
    if HEALTH_PROBE not in ctx.executables:
        problems.add(HEALTH_PROBE, "not built, so the probes cannot be asked")
        return problems, ""
    probes = {}   # image key → [(where, probe name, probe, container)]
    for root in ctx.renders:
        for c in k8s_containers(ctx, root, Problems()):
            for probe_name in ("readinessProbe", "livenessProbe"):
                if probe_name in c.spec:
                    probes.setdefault(image_key(c.spec["image"]), []).append(
                        (c.where, probe_name, c.spec[probe_name], c))
    not_ready_without_redis = []
    checked = []
    for name, service in compose_services(ctx).items():
        key = image_key(service.get("image", ""))
        binary = ctx.binaries.get(key)
        if binary is None or not binary.is_server or key not in probes:
            continue
        checked.append(key)
        where = f"{key} (run with the settings of deploy/compose.yaml: {name})"
        served = serve_compose_service(ctx, name, service, binary, ctx.redis_port or 1)
        if not wait_until_serving(served, lambda: grpc_health(ctx, served.listen_port)):
            problems.add(where, f"never became ready with Redis answering: {served_log(served)}")
        else:
            for probe_where, probe_name, probe, c in probes[key]:
                if not probe_passes(ctx, c, probe, served):
                    problems.add(probe_where, f"{probe_name}: {describe_probe(probe)} fails while "
                                              "the service is ready")
        stop_served(served, where, problems)

        # Nothing listens on a port free_port just released: Redis is unreachable.
        served = serve_compose_service(ctx, name, service, binary, free_port())
        if not wait_until_serving(served, lambda: grpc_health(ctx, served.listen_port,
                                                              LIVENESS_SERVICE)):
            answer = (grpc_health_answer(ctx, served.listen_port, LIVENESS_SERVICE)[1]
                      if served.process.poll() is None else served_log(served))
            problems.add(where, f"grpc.health.v1 service {LIVENESS_SERVICE!r} never SERVING while "
                                f"Redis is unreachable: {answer}")
        else:
            ready = grpc_health(ctx, served.listen_port)
            if not ready:
                not_ready_without_redis.append(key)
            for probe_where, probe_name, probe, c in probes[key]:
                passes = probe_passes(ctx, c, probe, served)
                wanted = ready if probe_name == "readinessProbe" else True
                if passes != wanted:
                    problems.add(probe_where, f"{probe_name}: {describe_probe(probe)} "
                                              f"{'fails' if wanted else 'passes'} while Redis is "
                                              f"unreachable and the server is "
                                              f"{'ready' if ready else 'not ready'}")
        stop_served(served, where, problems)
    if checked and not not_ready_without_redis:
        problems.add("readiness", "no service turned not ready with Redis unreachable, so nothing "
                                  "showed liveness apart from readiness")
    return problems, (f"{', '.join(checked)}; not ready without Redis: "
                      f"{', '.join(not_ready_without_redis) or 'none'}")


# ---------------------------------------------------------------------------------------------
# All checks, in the order they run (later ones use what earlier ones rendered or started).


CHECKS = [
    ("YAML parses", check_yaml_parses),
    ("Dockerfiles", check_dockerfiles),
    ("runtime packages cover ldd", check_runtime_packages),
    ("kustomizations render", check_kustomizations),
    ("Kubernetes API schema", check_schema),
    ("Kubernetes structure", check_k8s_structure),
    ("NetworkPolicy reachability", check_network_policies),
    ("Kubernetes settings accepted by the binaries", check_k8s_settings),
    ("compose structure", check_compose_structure),
    ("compose settings accepted by the binaries", check_compose_settings),
    ("Redis config durable", check_redis_config),
    ("compose health checks and SIGTERM", check_compose_health),
    ("Kubernetes probes asked of the binaries", check_k8s_probes),
]



def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: tools/check-deploy BUILD_DIR", file=sys.stderr)
        return 2
    started = time.monotonic()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="check-deploy-") as work:
        try:
            ctx = Context(os.path.abspath(sys.argv[1]), work)
        except (RuntimeError, ValueError, OSError) as e:
            print(f"check-deploy: {e}", file=sys.stderr)
            return 1
        images_of = {}
        for key, targets in ctx.missing.items():
            for target in targets:
                images_of.setdefault(target, []).append(key)
        for target, keys in sorted(images_of.items()):
            print(f"  note: {target} is not built in {sys.argv[1]}: checks of it in the "
                  f"{', '.join(sorted(keys))} image{'s' if len(keys) > 1 else ''} are skipped")
        try:
            for title, check in CHECKS:
                check_started = time.monotonic()
                try:
                    problems, detail = check(ctx)
                except Exception as e:   # a crash in one check must not hide the others
                    problems, detail = Problems([f"{type(e).__name__}: {e}"]), ""
                seconds = time.monotonic() - check_started
                status = "ok  " if not problems else "FAIL"
                print(f"{status} {title} ({detail}; {seconds:.1f}s)" if detail
                      else f"{status} {title} ({seconds:.1f}s)")
                for problem in problems:
                    print(f"     {problem}")
                passed, failed = passed + (not problems), failed + bool(problems)
        finally:
            if ctx.redis_process is not None:
                ctx.redis_process.terminate()
                ctx.redis_process.wait(timeout=10)
    print(f"check-deploy: took {time.monotonic() - started:.1f}s")
    print(f"check-deploy: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
