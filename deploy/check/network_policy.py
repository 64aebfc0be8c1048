"""Which connections Kubernetes NetworkPolicies allow, evaluated from the objects themselves
(podSelector / namespaceSelector / ipBlock peers, numeric and named ports), so tools/check-deploy
can prove who reaches whom without a cluster."""

from dataclasses import dataclass


def labels_match(selector, labels):
    """Whether a label selector (matchLabels, matchExpressions) selects `labels`; None selects nothing."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        present = expression["key"] in labels
        value = labels.get(expression["key"])
        operator = expression["operator"]
        if operator == "In" and value not in expression["values"]:
            return False
        if operator == "NotIn" and value in expression.get("values", []):
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


@dataclass
class Endpoint:
    """A pod (or, external, an address outside the cluster) that traffic comes from or goes to."""

    name: str
    namespace: str
    namespace_labels: dict
    labels: dict
    ports: dict          # port name → number
    external: bool = False


def policy_types(spec):
    """policyTypes, or what Kubernetes assumes without it: Ingress, and Egress when rules exist."""
    return spec.get("policyTypes") or ["Ingress"] + (["Egress"] if "egress" in spec else [])


def policy_allows(policies, source, destination, port, direction):
    """Whether NetworkPolicies let traffic from source to destination:port in one direction."""
    subject = destination if direction == "ingress" else source
    peer = source if direction == "ingress" else destination
    kind = "Ingress" if direction == "ingress" else "Egress"
    if subject.external:
        return True
    selecting = [p for p in policies if p["metadata"].get("namespace") == subject.namespace
                 and labels_match(p["spec"]["podSelector"], subject.labels)
                 and kind in policy_types(p["spec"])]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(direction) or []:
            peers = rule.get("from" if direction == "ingress" else "to")
            if peers and not any(peer_matches(p, peer, policy) for p in peers):
                continue
            ports = rule.get("ports")
            if not ports or any(port_matches(p, destination, port) for p in ports):
                return True
    return False


def peer_matches(rule_peer, endpoint, policy):
    """Whether one from/to entry of `policy` names `endpoint`; ipBlocks name only external ones."""
    if "ipBlock" in rule_peer:
        return endpoint.external
    if endpoint.external:
        return False
    if "namespaceSelector" in rule_peer:
        if not labels_match(rule_peer["namespaceSelector"], endpoint.namespace_labels):
            return False
    elif endpoint.namespace != policy["metadata"].get("namespace"):
        return False
    return "podSelector" not in rule_peer or labels_match(rule_peer["podSelector"], endpoint.labels)


def port_matches(rule_port, destination, port):
    """Whether a rule's port (number or the destination's port name) and protocol cover `port`."""
    if rule_port.get("protocol", "TCP") != port[1]:
        return False
    wanted = rule_port.get("port")
    return wanted is None or wanted == port[0] or destination.ports.get(wanted) == port[0]
