"""Renders a kustomization the way `kubectl kustomize` does, for the subset fieldwork's manifests use,
so tools/check-deploy can check the overlays on a machine without kubectl.

Supported: resources (files and directories), components, configMapGenerator / secretGenerator
(literals, envs, files, type, behavior), patches (strategic merge, with or without a target, and
JSON 6902 with a target), replicas, images and namespace. Kustomize's load restrictor is kept: files
must lie inside the kustomization's own directory. Generated names carry no content hash (kubectl
adds one); everything else should match kubectl's output, and tools/check-deploy compares the two
where kubectl exists.
"""

import base64
import copy
import os
import re

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CLUSTER_SCOPED_KINDS = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
# The strategic-merge key of the lists fieldwork's patches touch; other lists are replaced.
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "env": "name", "envFrom": None,
    "volumes": "name", "volumeMounts": "mountPath", "imagePullSecrets": "name",
    "topologySpreadConstraints": "topologyKey",
}
SUPPORTED_FIELDS = {
    "apiVersion", "kind", "metadata", "resources", "components", "configMapGenerator",
    "secretGenerator", "generatorOptions", "patches", "replicas", "images", "namespace",
}


class KustomizeError(Exception):
    pass


def render(directory):
    """The objects `kubectl kustomize directory` would print, in the order they were loaded."""
    return _build(os.path.abspath(directory), [], expect_kind="Kustomization")


def generated_names(directory):
    """The names of every ConfigMap and Secret a generator in this tree makes."""
    names = set()
    for root, _, files in os.walk(os.path.abspath(directory)):
        for candidate in KUSTOMIZATION_FILES:
            if candidate in files:
                data = _read_yaml(os.path.join(root, candidate))
                for key in ("configMapGenerator", "secretGenerator"):
                    names.update(g["name"] for g in data.get(key) or [])
    return names


def _read_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        raise KustomizeError(f"{path}: {e}") from e


def _read_documents(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except (OSError, yaml.YAMLError) as e:
        raise KustomizeError(f"{path}: {e}") from e


def _kustomization_file(directory):
    for name in KUSTOMIZATION_FILES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    raise KustomizeError(f"{directory}: no kustomization.yaml")


def _inside(root, relative, what, kustomization):
    """`relative` resolved against `root`, which it must not leave (kustomize's load restrictor)."""
    path = os.path.normpath(os.path.join(root, relative))
    if os.path.commonpath([root, path]) != root:
        raise KustomizeError(f"{kustomization}: {what} {relative}: outside {root} "
                             "(kustomize loads files only from the kustomization's directory)")
    if not os.path.exists(path):
        raise KustomizeError(f"{kustomization}: {what} {relative}: no such file")
    return path


def _build(directory, objects, expect_kind):
    path = _kustomization_file(directory)
    k = _read_yaml(path)
    kind = k.get("kind", "Kustomization")
    if kind != expect_kind:
        raise KustomizeError(f"{path}: is a {kind}, used as a {expect_kind}")
    unknown = set(k) - SUPPORTED_FIELDS
    if unknown:
        raise KustomizeError(f"{path}: fields this renderer does not know: {sorted(unknown)}")

    for entry in k.get("resources") or []:
        target = os.path.normpath(os.path.join(directory, entry))
        if os.path.isdir(target):
            objects.extend(_build(target, [], expect_kind="Kustomization"))
        elif os.path.isfile(target):
            _inside(directory, entry, "resource", path)
            objects.extend(_read_documents(target))
        else:
            raise KustomizeError(f"{path}: resource {entry}: no such file or directory")
    for entry in k.get("components") or []:
        component = os.path.normpath(os.path.join(directory, entry))
        if not os.path.isdir(component):
            raise KustomizeError(f"{path}: component {entry}: no such directory")
        objects = _build(component, objects, expect_kind="Component")
    _run_generators(k, directory, path, objects)
    for patch in k.get("patches") or []:
        _apply_patch(patch, directory, path, objects)
    _set_replicas(k.get("replicas") or [], path, objects)
    _set_images(k.get("images") or [], objects)
    if k.get("namespace"):
        for obj in objects:
            if obj.get("kind") not in CLUSTER_SCOPED_KINDS:
                obj.setdefault("metadata", {})["namespace"] = k["namespace"]
    return objects


def _generated_data(generator, directory, path):
    """The key → text pairs of one configMapGenerator / secretGenerator entry."""
    data = {}
    for literal in generator.get("literals") or []:
        key, _, value = literal.partition("=")
        data[key] = value
    for env_file in generator.get("envs") or []:
        with open(_inside(directory, env_file, "env file", path), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                if "=" not in line:
                    raise KustomizeError(f"{env_file}:{number}: not KEY=VALUE")
                key, _, value = line.partition("=")
                data[key] = value
    for entry in generator.get("files") or []:
        key, _, source = entry.partition("=") if "=" in entry else (os.path.basename(entry), "", entry)
        with open(_inside(directory, source, "file", path), encoding="utf-8") as f:
            data[key] = f.read()
    return data


def _run_generators(k, directory, path, objects):
    for field, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
        for generator in k.get(field) or []:
            data = _generated_data(generator, directory, path)
            if kind == "Secret":
                data = {key: base64.b64encode(v.encode()).decode() for key, v in data.items()}
            behavior = generator.get("behavior", "create")
            existing = [o for o in objects if o.get("kind") == kind
                        and o["metadata"]["name"] == generator["name"]]
            if behavior == "create":
                if existing:
                    raise KustomizeError(f"{path}: {kind} {generator['name']} already exists")
                obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": generator["name"]},
                       "data": data}
                if kind == "Secret":
                    obj["type"] = generator.get("type", "Opaque")
                objects.append(obj)
            elif not existing:
                raise KustomizeError(f"{path}: {behavior} of missing {kind} {generator['name']}")
            elif behavior == "merge":
                existing[0].setdefault("data", {}).update(data)
            else:
                existing[0]["data"] = data


def _matches(obj, target):
    metadata = obj.get("metadata", {})
    if "kind" in target and obj.get("kind") != target["kind"]:
        return False
    if "name" in target and not re.fullmatch(target["name"], metadata.get("name", "")):
        return False
    if "namespace" in target and metadata.get("namespace") != target["namespace"]:
        return False
    for requirement in filter(None, (target.get("labelSelector") or "").split(",")):
        key, _, value = requirement.partition("=")
        if metadata.get("labels", {}).get(key.strip()) != value.strip():
            return False
    return True


def _apply_patch(patch, directory, path, objects):
    if "path" in patch:
        text = open(_inside(directory, patch["path"], "patch", path), encoding="utf-8").read()
    else:
        text = patch.get("patch", "")
    documents = [d for d in yaml.safe_load_all(text) if d is not None]
    where = f"{path}: patch {patch.get('path', '(inline)')}"
    target = patch.get("target")
    if len(documents) == 1 and isinstance(documents[0], list):
        if not target:
            raise KustomizeError(f"{where}: a JSON 6902 patch needs a target")
        matched = [o for o in objects if _matches(o, target)]
        if not matched:
            raise KustomizeError(f"{where}: target {target} matches no object")
        for obj in matched:
            _json6902(obj, documents[0], where)
        return
    for document in documents:
        selector = target or {"kind": document.get("kind"),
                              "name": re.escape(document.get("metadata", {}).get("name", ""))}
        matched = [o for o in objects if _matches(o, selector)]
        if not matched:
            raise KustomizeError(f"{where}: matches no object ({selector})")
        for obj in matched:
            merged = _strategic_merge(obj, document, ())
            obj.clear()
            obj.update(merged)


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _strategic_merge(original, patch, field_path):
    if isinstance(patch, dict) and isinstance(original, dict):
        merged = dict(original)
        for key, value in patch.items():
            if key.startswith("$"):
                raise KustomizeError(f"strategic-merge directive {key} is not supported")
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = _strategic_merge(merged[key], value, field_path + (key,))
            else:
                merged[key] = _without_nulls(value)
        return merged
    if isinstance(patch, list) and isinstance(original, list) and field_path:
        key = MERGE_KEYS.get(field_path[-1])
        if field_path[-1] == "ports":
            key = "containerPort" if all("containerPort" in p for p in patch) else "port"
        if key:
            merged = list(original)
            added = []
            for item in patch:
                index = next((i for i, o in enumerate(merged) if o.get(key) == item.get(key)), None)
                if index is None:
                    added.append(_without_nulls(item))
                else:
                    merged[index] = _strategic_merge(merged[index], item, field_path)
            return added + merged   # kustomize puts new list entries first
    return _without_nulls(copy.deepcopy(patch))


def _pointer(path, where):
    if not path.startswith("/"):
        raise KustomizeError(f"{where}: JSON pointer {path!r} must start with /")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(obj, parts, where, path):
    for part in parts:
        try:
            obj = obj[int(part)] if isinstance(obj, list) else obj[part]
        except (KeyError, IndexError, ValueError) as e:
            raise KustomizeError(f"{where}: {path}: no such location") from e
    return obj


def _json6902(obj, operations, where):
    for op in operations:
        parts = _pointer(op["path"], where)
        parent = _walk(obj, parts[:-1], where, op["path"])
        last = parts[-1]
        kind = op["op"]
        if kind == "add":
            value = copy.deepcopy(op["value"])
            if isinstance(parent, list):
                parent.insert(len(parent) if last == "-" else int(last), value)
            else:
                parent[last] = value
        elif kind in ("replace", "remove", "test"):
            current = _walk(parent, [last], where, op["path"])
            if kind == "test" and current != op["value"]:
                raise KustomizeError(f"{where}: test {op['path']} failed")
            if kind == "replace":
                parent[int(last) if isinstance(parent, list) else last] = copy.deepcopy(op["value"])
            if kind == "remove":
                del parent[int(last) if isinstance(parent, list) else last]
        else:
            raise KustomizeError(f"{where}: JSON 6902 op {kind} is not supported")


def pod_spec(obj):
    """The pod spec of a workload object, or None."""
    if obj.get("kind") not in WORKLOAD_KINDS:
        return None
    return obj.get("spec", {}).get("template", {}).get("spec")


def _set_replicas(entries, path, objects):
    for entry in entries:
        matched = [o for o in objects if o.get("kind") in WORKLOAD_KINDS
                   and o["metadata"]["name"] == entry["name"]]
        if not matched:
            raise KustomizeError(f"{path}: replicas: no workload named {entry['name']}")
        for obj in matched:
            obj["spec"]["replicas"] = entry["count"]


def split_image(image):
    """'registry/name:tag' → ('registry/name', ':tag'); digests stay in the suffix."""
    match = re.fullmatch(r"(.+?)((?::[\w][\w.-]*)?(?:@sha256:[0-9a-f]+)?)", image)
    return match.group(1), match.group(2)


def _set_images(entries, objects):
    for obj in objects:
        spec = pod_spec(obj)
        if spec is None:
            continue
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            name, suffix = split_image(container["image"])
            for entry in entries:
                if entry["name"] != name:
                    continue
                new_name = entry.get("newName", name)
                if "digest" in entry:
                    suffix = "@" + entry["digest"]
                elif "newTag" in entry:
                    suffix = ":" + str(entry["newTag"])
                container["image"] = new_name + suffix
