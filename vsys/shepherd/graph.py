"""Ordering services along their requirements."""

from __future__ import annotations

from typing import Callable, Iterable


class GraphError(Exception):
    pass


def _postorder(target: str, edges: Callable[[str], Iterable[str]], what: str) -> list[str]:
    """Every node reachable from TARGET through EDGES, each after the nodes it reaches.

    Iterative, so a chain of thousands of services does not exhaust Python's stack."""
    order: list[str] = []
    done: set[str] = set()
    on_path: list[str] = []
    stack: list[tuple[str, Iterable[str]]] = [(target, iter(edges(target)))]
    on_path.append(target)
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            stack.pop()
            on_path.pop()
            done.add(node)
            order.append(node)
            continue
        if nxt in done:
            continue
        if nxt in on_path:
            cycle = on_path[on_path.index(nxt):] + [nxt]
            raise GraphError(f"circular {what}: {' -> '.join(cycle)}")
        on_path.append(nxt)
        stack.append((nxt, iter(edges(nxt))))
    return order


def start_order(target: str, requires: Callable[[str], Iterable[str]]) -> list[str]:
    """TARGET's requirements (transitively) first, TARGET last."""
    return _postorder(target, requires, "requirement")


def stop_order(target: str, dependents: Callable[[str], Iterable[str]]) -> list[str]:
    """Services that need TARGET (transitively) first, TARGET last."""
    return _postorder(target, dependents, "requirement")
