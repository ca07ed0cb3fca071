#!/usr/bin/env python3
"""Validates JSON instances against a JSON Schema (draft-07) with python3-jsonschema.

Input (argv[1]): {"schema": {...}, "instances": [{"name": "...", "value": ...}, ...]}.
Output (stdout): one JSON object per line: {"name": "...", "valid": true|false, "error": "..."}.
Exit status 3 when the jsonschema module is missing (the caller skips or fails), 0 otherwise.
An independent implementation of the standard, like the editors that read the schema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (scripts/install-deps.sh installs it)", file=sys.stderr)
    sys.exit(3)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    schema = data["schema"]
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for instance in data["instances"]:
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance["value"]))
        where = "/" + "/".join(str(p) for p in error.absolute_path) if error else ""
        print(json.dumps({"name": instance["name"], "valid": error is None,
                          "error": "" if error is None else f"{where}: {error.message}"[:300]}))


if __name__ == "__main__":
    main()
