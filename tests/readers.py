#!/usr/bin/env python3
"""Checks guanxi's export files with the readers people load them with.

Usage: python3 tests/readers.py DIR NODES EDGES

DIR holds graph.graphml, graph.gexf, graph.ttl, nodes.csv and relationships.csv
(and graph.nt, checked when present), all written from one view of NODES nodes
and EDGES edges. Checks:

- GraphML: networkx.read_graphml (as a MultiDiGraph, so that two relations
  between the same pair stay two edges) has NODES nodes and EDGES edges, and
  every node has `name` and `type`, every edge `relation` and an int `weight`.
- GEXF: networkx.read_gexf has NODES nodes and EDGES edges (it returns a
  MultiDiGraph when there are parallel edges and a DiGraph otherwise, so the
  edge count is exact either way), every node a label, type and colour.
- RDF: rdflib parses the Turtle (and the N-Triples when present, which must be
  the same graph); the subjects typed with a guanxi: class number NODES, the
  triples whose predicate is a relation property number EDGES.
- CSV, by neo4j-admin's rules: nodes.csv has exactly one `:ID` column (the
  first) and one `:LABEL` column; relationships.csv has exactly one
  `:START_ID`, `:END_ID` and `:TYPE`; typed columns use neo4j-admin's types;
  every row has as many fields as its header; ids are unique; every
  `:START_ID`/`:END_ID` is a node id; the row counts are NODES and EDGES.
- Agreement: the node names and the (source name, relation, target name)
  triples are the same multisets in GraphML, GEXF, CSV and Turtle (names
  compared after mapping the characters XML 1.0 cannot hold to U+FFFD, as the
  XML writers do).

Needs networkx and rdflib (pip install networkx rdflib). Prints one line per
check and `N passed, M failed` at the end; exits 1 when a check failed and 2
on bad usage.
"""

import csv
import os
import sys
import traceback

GUANXI = "https://guanxi.dev/ns#"
CLASSES = ["Company", "Person", "Book", "Model", "Event", "Organization", "Product", "Media", "Place", "Show"]
RELATIONS = [
    "competes_with", "partners_with", "invests_in", "acquires", "develops", "founded", "leads",
    "works_at", "involved_in", "describes", "authored", "successor_of", "part_of",
]
# neo4j-admin's property types (an array type is one of these followed by []).
NEO4J_TYPES = {
    "int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
    "date", "localtime", "time", "localdatetime", "datetime", "duration",
}


def camel(relation):
    head, *rest = relation.split("_")
    return head + "".join(p.capitalize() for p in rest)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            self.failed += 1
            detail = str(e) or type(e).__name__
            print(f"FAIL {name}: {detail}")
            if not isinstance(e, (AssertionError, OSError)):
                traceback.print_exc(limit=3)
        else:
            self.passed += 1
            print(f"ok   {name}")


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def check_graphml(path, nodes, edges):
    import networkx as nx

    g = nx.read_graphml(path, force_multigraph=True)
    expect(g.is_directed(), "graph is not directed")
    expect(g.number_of_nodes() == nodes, f"{g.number_of_nodes()} nodes, expected {nodes}")
    expect(g.number_of_edges() == edges, f"{g.number_of_edges()} edges, expected {edges}")
    for n, data in g.nodes(data=True):
        expect("name" in data and "type" in data, f"node {n} lacks name or type: {data}")
        expect(isinstance(data.get("mentions"), int), f"node {n}: mentions is not an int")
    for u, v, data in g.edges(data=True):
        expect(data.get("relation") in RELATIONS, f"edge {u}->{v}: relation {data.get('relation')!r}")
        expect(isinstance(data.get("weight"), int), f"edge {u}->{v}: weight is not an int")


def check_gexf(path, nodes, edges):
    import networkx as nx

    g = nx.read_gexf(path)
    expect(g.is_directed(), "graph is not directed")
    expect(g.number_of_nodes() == nodes, f"{g.number_of_nodes()} nodes, expected {nodes}")
    expect(g.number_of_edges() == edges, f"{g.number_of_edges()} edges ({type(g).__name__}), expected {edges}")
    for n, data in g.nodes(data=True):
        expect(data.get("label") is not None, f"node {n} has no label")
        expect("type" in data, f"node {n} has no type")
        expect("color" in data.get("viz", {}), f"node {n} has no viz:color")
    for u, v, data in g.edges(data=True):
        expect(data.get("label") in RELATIONS, f"edge {u}->{v}: label {data.get('label')!r}")
        expect(data.get("relation") == data.get("label"), f"edge {u}->{v}: relation differs from label")


def rdf_counts(graph):
    from rdflib import RDF, URIRef

    classes = {URIRef(GUANXI + c) for c in CLASSES}
    typed = {s for s, o in graph.subject_objects(RDF.type) if o in classes}
    props = {URIRef(GUANXI + camel(r)) for r in RELATIONS}
    relations = [t for t in graph if t[1] in props]
    return len(typed), len(relations)


def check_turtle(path, nodes, edges):
    from rdflib import Graph

    g = Graph()
    g.parse(path, format="turtle")
    typed, relations = rdf_counts(g)
    expect(typed == nodes, f"{typed} subjects typed with a guanxi class, expected {nodes}")
    expect(relations == edges, f"{relations} relation triples, expected {edges}")


def check_ntriples(nt_path, ttl_path, nodes, edges):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    nt = Graph()
    nt.parse(nt_path, format="nt")
    typed, relations = rdf_counts(nt)
    expect(typed == nodes, f"{typed} subjects typed with a guanxi class, expected {nodes}")
    expect(relations == edges, f"{relations} relation triples, expected {edges}")
    ttl = Graph()
    ttl.parse(ttl_path, format="turtle")
    expect(len(nt) == len(ttl), f"N-Triples has {len(nt)} triples, Turtle {len(ttl)}")
    expect(isomorphic(nt, ttl), "N-Triples and Turtle are not the same graph")


def read_csv(path):
    # neo4j-admin reads UTF-8; newline="" keeps line breaks inside quoted fields.
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    expect(rows, f"{path} is empty")
    return rows[0], rows[1:]


def header_fields(header, path):
    """(name, type) per column; the type is what follows the first `:` (ID, LABEL, int, …)."""
    out = []
    for h in header:
        name, sep, kind = h.partition(":")
        if not sep:
            out.append((name, "string"))
            continue
        special = kind.split("(")[0]  # ID(space), START_ID(space), END_ID(space)
        if special in {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}:
            out.append((name, special))
        else:
            base = kind[:-2] if kind.endswith("[]") else kind
            expect(base.lower() in NEO4J_TYPES, f"{path}: unknown type {kind!r} in column {h!r}")
            out.append((name, kind))
    return out


def check_nodes_csv(path, nodes):
    header, rows = read_csv(path)
    fields = header_fields(header, path)
    kinds = [k for _, k in fields]
    expect(kinds.count("ID") == 1, f"{path}: {kinds.count('ID')} :ID columns, expected 1")
    expect(kinds[0] == "ID", f"{path}: the first column {header[0]!r} is not the :ID")
    expect(kinds.count("LABEL") == 1, f"{path}: {kinds.count('LABEL')} :LABEL columns, expected 1")
    expect(len(rows) == nodes, f"{path}: {len(rows)} rows, expected {nodes}")
    ids = set()
    for i, row in enumerate(rows, start=2):
        expect(len(row) == len(header), f"{path}:{i}: {len(row)} fields, header has {len(header)}")
        expect(row[0] and row[0] not in ids, f"{path}:{i}: empty or repeated id {row[0]!r}")
        ids.add(row[0])
        for value, (name, kind) in zip(row, fields):
            if kind == "LABEL":
                expect(value and all(v in CLASSES for v in value.split(";")), f"{path}:{i}: label {value!r}")
            elif kind in ("int", "long"):
                expect(value.lstrip("-").isdigit(), f"{path}:{i}: {name} {value!r} is not an integer")
    return ids


def check_relationships_csv(path, edges, ids):
    header, rows = read_csv(path)
    fields = header_fields(header, path)
    kinds = [k for _, k in fields]
    for k in ("START_ID", "END_ID", "TYPE"):
        expect(kinds.count(k) == 1, f"{path}: {kinds.count(k)} :{k} columns, expected 1")
    expect(len(rows) == edges, f"{path}: {len(rows)} rows, expected {edges}")
    start, end, rtype = kinds.index("START_ID"), kinds.index("END_ID"), kinds.index("TYPE")
    allowed = {r.upper() for r in RELATIONS}
    for i, row in enumerate(rows, start=2):
        expect(len(row) == len(header), f"{path}:{i}: {len(row)} fields, header has {len(header)}")
        expect(row[start] in ids, f"{path}:{i}: :START_ID {row[start]!r} is not a node id")
        expect(row[end] in ids, f"{path}:{i}: :END_ID {row[end]!r} is not a node id")
        expect(row[rtype] in allowed, f"{path}:{i}: :TYPE {row[rtype]!r}")
        for value, (name, kind) in zip(row, fields):
            if kind in ("int", "long"):
                expect(value.lstrip("-").isdigit(), f"{path}:{i}: {name} {value!r} is not an integer")


def xml_safe(s):
    def ok(c):
        o = ord(c)
        return c in "\t\n\r" or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000

    return "".join(c if ok(c) else "\ufffd" for c in s)


def check_agreement(directory):
    import networkx as nx
    from rdflib import RDF, RDFS, Graph, URIRef

    def p(name):
        return os.path.join(directory, name)

    views = {}
    g = nx.read_graphml(p("graph.graphml"), force_multigraph=True)
    names = {n: d["name"] for n, d in g.nodes(data=True)}
    views["graphml"] = (
        sorted(names.values()),
        sorted((names[u], d["relation"], names[v]) for u, v, d in g.edges(data=True)),
    )
    g = nx.read_gexf(p("graph.gexf"))
    names = {n: d["label"] for n, d in g.nodes(data=True)}
    views["gexf"] = (
        sorted(names.values()),
        sorted((names[u], d["relation"], names[v]) for u, v, d in g.edges(data=True)),
    )
    _, node_rows = read_csv(p("nodes.csv"))
    _, rel_rows = read_csv(p("relationships.csv"))
    names = {r[0]: xml_safe(r[1]) for r in node_rows}
    views["csv"] = (
        sorted(names.values()),
        sorted((names[r[0]], r[2].lower(), names[r[1]]) for r in rel_rows),
    )
    rdf = Graph()
    rdf.parse(p("graph.ttl"), format="turtle")
    classes = {URIRef(GUANXI + c) for c in CLASSES}
    entities = {s for s, o in rdf.subject_objects(RDF.type) if o in classes}
    names = {s: xml_safe(str(rdf.value(s, RDFS.label))) for s in entities}
    props = {URIRef(GUANXI + camel(r)): r for r in RELATIONS}
    views["turtle"] = (
        sorted(names.values()),
        sorted((names[s], props[pr], names[o]) for s, pr, o in rdf if pr in props),
    )
    first = views["graphml"]
    for fmt, view in views.items():
        expect(view[0] == first[0], f"node names in {fmt} differ from GraphML's")
        expect(view[1] == first[1], f"edges in {fmt} differ from GraphML's")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    directory = argv[1]
    try:
        nodes, edges = int(argv[2]), int(argv[3])
    except ValueError:
        print("NODES and EDGES must be integers", file=sys.stderr)
        return 2
    if not os.path.isdir(directory):
        print(f"FAIL: {directory} is not a directory", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    for module in ("networkx", "rdflib"):
        try:
            __import__(module)
        except ImportError:
            print(f"FAIL: Python module {module} is missing (pip install networkx rdflib)", file=sys.stderr)
            print("0 passed, 1 failed")
            return 1

    def p(name):
        return os.path.join(directory, name)

    checks = Checks()
    checks.run("graph.graphml: networkx.read_graphml", lambda: check_graphml(p("graph.graphml"), nodes, edges))
    checks.run("graph.gexf: networkx.read_gexf", lambda: check_gexf(p("graph.gexf"), nodes, edges))
    checks.run("graph.ttl: rdflib turtle", lambda: check_turtle(p("graph.ttl"), nodes, edges))
    if os.path.exists(p("graph.nt")):
        checks.run(
            "graph.nt: rdflib n-triples, same graph as graph.ttl",
            lambda: check_ntriples(p("graph.nt"), p("graph.ttl"), nodes, edges),
        )
    ids = set()

    def nodes_csv():
        ids.update(check_nodes_csv(p("nodes.csv"), nodes))

    checks.run("nodes.csv: neo4j-admin header and rows", nodes_csv)
    checks.run(
        "relationships.csv: neo4j-admin header, rows and ends",
        lambda: check_relationships_csv(p("relationships.csv"), edges, ids),
    )
    checks.run("names and edges agree across GraphML, GEXF, CSV and Turtle", lambda: check_agreement(directory))
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
