// Validates Kubernetes objects against the Kubernetes API schema offline, with the kubernetes-models
// package pinned in package.json / package-lock.json (install: npm ci --prefix deploy/check).
// Input on stdin: a JSON array of {"source": "where it came from", "object": {...}}.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from "node:fs";

const items = JSON.parse(readFileSync(0, "utf8"));
let problems = 0;
const report = (source, object, message) => {
  console.log(`${source}: ${object.kind}/${object.metadata?.name ?? "?"}: ${message}`);
  problems++;
};

for (const { source, object } of items) {
  const slash = object.apiVersion?.indexOf("/") ?? -1;
  const group = slash < 0 ? "" : object.apiVersion.slice(0, slash) + "/";
  const version = slash < 0 ? object.apiVersion : object.apiVersion.slice(slash + 1);
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group}${version}/${object.kind}`))[object.kind];
  } catch {
    report(source, object, `${object.apiVersion} ${object.kind} is not a Kubernetes API kind`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    report(source, object, error.message);
  }
}
process.exit(problems === 0 ? 0 : 1);
