#!/usr/bin/env python3
"""Writes a Pact V4 contract with N HTTP interactions for benches/stub_vs_pact.sh.

Usage: gen_contract.py N OUT.json [PATHS.txt]

PATHS.txt, when given, receives the path of every GET interaction, one a line, for wrk.

Interaction i answers GET /items/<i> (with an Accept header expected) with a JSON item;
every tenth interaction also has a POST /items/<i>/notes with a JSON body, and the first
interaction has a second variant under another provider state, so the stub sees ties.
"""
import json
import sys


def http(description, state, request, response):
    interaction = {
        "type": "Synchronous/HTTP",
        "description": description,
        "request": request,
        "response": response,
    }
    if state:
        interaction["providerStates"] = [{"name": state}]
    return interaction


def item(i):
    return {
        "id": i,
        "name": f"item {i}",
        "price": {"amount": i * 3 + 0.5, "currency": "EUR"},
        "tags": ["a", "b"],
        "available": i % 2 == 0,
    }


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    interactions = []
    for i in range(1, count + 1):
        if len(interactions) >= count:
            break
        interactions.append(http(
            f"get item {i}", f"item {i} exists",
            {"method": "GET", "path": f"/items/{i}",
             "headers": {"Accept": ["application/json"]}},
            {"status": 200,
             "headers": {"Content-Type": ["application/json"]},
             "body": {"content": item(i), "contentType": "application/json", "encoded": False},
             "matchingRules": {"body": {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}}},
        ))
        if i % 10 == 0 and len(interactions) < count:
            interactions.append(http(
                f"add a note to item {i}", f"item {i} exists",
                {"method": "POST", "path": f"/items/{i}/notes",
                 "headers": {"Content-Type": ["application/json"]},
                 "body": {"content": {"text": "hello"}, "contentType": "application/json", "encoded": False}},
                {"status": 201, "headers": {"Content-Type": ["application/json"]},
                 "body": {"content": {"id": 1, "text": "hello"}, "contentType": "application/json", "encoded": False}},
            ))
    if count > 1:
        interactions[-1] = http(
            "get item 1 when it is gone", "item 1 is gone",
            {"method": "GET", "path": "/items/1", "headers": {"Accept": ["application/json"]}},
            {"status": 404, "headers": {"Content-Type": ["application/json"]},
             "body": {"content": {"error": "gone"}, "contentType": "application/json", "encoded": False}},
        )
    contract = {
        "consumer": {"name": "bench-consumer"},
        "provider": {"name": "bench-provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    with open(out, "w") as f:
        json.dump(contract, f, indent=2)
    if len(sys.argv) > 3:
        paths = sorted({i["request"]["path"] for i in interactions if i["request"]["method"] == "GET"},
                       key=lambda p: int(p.rsplit("/", 1)[1]))
        with open(sys.argv[3], "w") as f:
            f.write("\n".join(paths) + "\n")


if __name__ == "__main__":
    main()
