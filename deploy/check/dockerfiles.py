"""A Dockerfile read into stages and instructions, enough for tools/check-deploy's rules."""

import json
import os
from dataclasses import dataclass, field

import kustomize


@dataclass
class Stage:
    base: str
    name: str
    instructions: list = field(default_factory=list)   # (KEYWORD, arguments)


@dataclass
class Dockerfile:
    path: str
    image: str           # "scheduling": built as fieldwork/scheduling
    stages: list

    @property
    def runtime(self):
        """The last stage: what the image is."""
        return self.stages[-1]

    def last(self, keyword):
        found = [a for k, a in self.runtime.instructions if k == keyword]
        return found[-1] if found else None

    @property
    def build_targets(self):
        """The CMake targets the build stage builds; the first is the ENTRYPOINT's."""
        for stage in self.stages[:-1]:
            for keyword, arguments in stage.instructions:
                words = arguments.split()
                if keyword == "RUN" and words[:1] == ["deploy/docker/build-binary"]:
                    return words[2:]
        return []

    @property
    def entrypoint(self):
        text = self.last("ENTRYPOINT")
        try:
            value = json.loads(text) if text else None
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, list) and value else None


def read_dockerfile(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    logical, pending = [], ""
    for line in lines:
        if line.lstrip().startswith("#"):
            continue   # comments, parser directives, and comments inside continued instructions
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages = []
    for line in filter(str.strip, logical):
        keyword, _, arguments = line.strip().partition(" ")
        keyword, arguments = keyword.upper(), arguments.strip()
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif not stages:
            raise ValueError(f"{path}: {keyword} before the first FROM")
        else:
            stages[-1].instructions.append((keyword, arguments))
    image = os.path.basename(path)[: -len(".Dockerfile")]
    return Dockerfile(path, image, stages)


def image_key(image):
    """'registry.example.com/fieldwork/scheduling:0.1.0' → 'scheduling'."""
    name, _ = kustomize.split_image(image)
    return name.rsplit("/", 1)[-1]
