#!/usr/bin/env python3
"""Validates a JSON document (or, with --lines, each line of a JSONL file) against a JSON Schema.

  validate_json.py SCHEMA FILE [--lines]

Prints "valid N" (N documents) and exits 0, or prints each error with its path and exits 1.
Uses Debian's python3-jsonschema (Draft 7).
"""
import json
import sys

import jsonschema


def main():
    schema_path, path = sys.argv[1], sys.argv[2]
    lines = "--lines" in sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    with open(path, encoding="utf-8") as f:
        documents = [json.loads(line) for line in f if line.strip()] if lines else [json.load(f)]
    errors = 0
    for number, document in enumerate(documents, 1):
        for error in validator.iter_errors(document):
            errors += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"document {number}: /{where}: {error.message[:300]}")
    if errors:
        sys.exit(1)
    print(f"valid {len(documents)}")


if __name__ == "__main__":
    main()
