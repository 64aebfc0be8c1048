"""Proves tools/check-deploy catches what it claims to: for each mutation below, a copy of deploy/
with that one change must make the check fail with the expected message. Run it by hand after
changing the checker (about 15 s per mutation):
    python3 deploy/check/self_test.py build
"""

import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (file under deploy/, text, replacement, a line the failing check must print)
MUTATIONS = [
    ("k8s/base/settings.env", "FIELDWORK_LOG_LEVEL=info", "FIELDWORK_LOG_LEVEL=info\nFIELDWORK_BOGUS=1",
     "FIELDWORK_BOGUS is not a variable fieldwork-scheduling reads"),
    ("k8s/base/settings.env", "FIELDWORK_LOG_LEVEL=info", "FIELDWORK_LOG_LEVEL=loud",
     "--check-config exited 2"),
    ("k8s/base/scheduling.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
     "readOnlyRootFilesystem must be true"),
    ("k8s/base/attendance.yaml", "port: 50052\n            periodSeconds: 5",
     "port: 50051\n            periodSeconds: 5", "readinessProbe must be a native grpc probe on port 50052"),
    ("k8s/base/reporting.yaml", "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 25",
     "terminationGracePeriodSeconds 25 must exceed"),
    ("k8s/base/attendance.yaml", "replicas: 2", "replicas: 1", "replicas must be at least 2"),
    ("k8s/base/scheduling.yaml", "defaultMode: 0440", "defaultMode: 0444",
     "defaultMode is 0444; it must be 0440 or 0400"),
    ("k8s/base/attendance.yaml", "        fsGroup: 65532\n", "",
     "needs the pod's securityContext.fsGroup"),
    ("k8s/base/scheduling.yaml", "              service: liveness\n", "",
     "livenessProbe must be a native grpc probe on port 50051 asking service 'liveness'"),
    ("k8s/components/tls/reporting.yaml", "path: /readyz", "path: /healthz",
     "readinessProbe: under TLS the kubelet cannot speak gRPC; use httpGet /readyz"),
    ("k8s/base/reporting.yaml", "periodSeconds: 5", 'periodSeconds: "5"', "periodSeconds"),
    ("k8s/base/reporting.yaml", "dns:///attendance-headless:50052", "dns:///attendance-headless:50051",
     "Service attendance-headless serves gRPC on 50052"),
    ("k8s/base/kustomization.yaml", "  - reporting.yaml", "  - reportin.yaml",
     "names reportin.yaml, which does not exist"),
    ("k8s/components/network-policies/policies.yaml",
     "  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n"
     "              app.kubernetes.io/name: reporting\n", "  ingress:\n    - from:\n",
     "reporting must reach attendance on 50052/TCP"),
    ("k8s/overlays/prod/kustomization.yaml", '    newTag: "0.1.0"\n  - name: fieldwork/attendance',
     "  - name: fieldwork/attendance", "needs a pinned tag in the overlay"),
    ("k8s/components/redis-dev/redis.conf", "appendfsync always", "appendfsync everysec",
     "appendfsync is everysec, not always"),
    ("docker/attendance.Dockerfile", "STOPSIGNAL SIGTERM\n", "", "needs STOPSIGNAL SIGTERM"),
    ("docker/reporting.Dockerfile", "tzdata ca-certificates", "tzdata ca-certificates libssl3",
     "runtime packages named by hand: ['libssl3']"),
    ("docker/scheduling.Dockerfile", "EXPOSE 50051 9091", "EXPOSE 50051",
     "EXPOSE lacks 9091, the default of --metrics-port"),
    ("runtime-packages", 'printf \'%s\\n\' "${!packages[@]}" | sort',
     'printf \'%s\\n\' "${!packages[@]}" | grep -v libssl3 | sort', "is in no package runtime-packages listed"),
    ("compose.yaml", "stop_grace_period: 25s", "stop_grace_period: 15s",
     "stop_grace_period 15s must exceed --shutdown-drain 1s + --shutdown-grace 20s"),
    ("compose.yaml", '"127.0.0.1:50052"]', '"127.0.0.1:50053"]', "the healthcheck must run a health client"),
    ("compose.yaml", '"--timeout", "2", "127.0.0.1:50053"]',
     '"--service", "liveness", "--timeout", "2", "127.0.0.1:50053"]', "the healthcheck must ask readiness"),
    ("compose.yaml", "file: ./secrets/reporting.token", "file: ./secrets/reporting-token",
     "deploy/make-dev-secrets makes no ./secrets/reporting-token"),
    ("compose.yaml", "    image: fieldwork/attendance:dev\n",
     '    image: fieldwork/attendance:dev\n    command: ["--max-threads", "2"]\n', "--max-threads"),
]


def main():
    if len(sys.argv) != 2:
        print("usage: python3 deploy/check/self_test.py BUILD_DIR", file=sys.stderr)
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    failures = 0
    for number, (path, text, replacement, expected) in enumerate(MUTATIONS, 1):
        with tempfile.TemporaryDirectory(prefix="check-deploy-self-test-") as repo:
            shutil.copytree(os.path.join(REPO, "deploy"), os.path.join(repo, "deploy"),
                            ignore=shutil.ignore_patterns("node_modules", "secrets"))
            modules = os.path.join(REPO, "deploy", "check", "node_modules")
            if os.path.isdir(modules):
                os.symlink(modules, os.path.join(repo, "deploy", "check", "node_modules"))
            os.mkdir(os.path.join(repo, "tools"))
            shutil.copy(os.path.join(REPO, "tools", "check-deploy"), os.path.join(repo, "tools"))
            target = os.path.join(repo, "deploy", path)
            content = open(target, encoding="utf-8").read()
            if text not in content:
                print(f"FAIL {number}: {path} no longer contains {text!r}")
                failures += 1
                continue
            with open(target, "w", encoding="utf-8") as f:
                f.write(content.replace(text, replacement, 1))
            result = subprocess.run([os.path.join(repo, "tools", "check-deploy"), build_dir],
                                    capture_output=True, text=True)
            caught = result.returncode == 1 and expected in result.stdout
            print(f"{'ok  ' if caught else 'FAIL'} {number}: {path}: {expected}")
            if not caught:
                print(result.stdout + result.stderr)
                failures += 1
    print(f"self-test: {len(MUTATIONS) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
