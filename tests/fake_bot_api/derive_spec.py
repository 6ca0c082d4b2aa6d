"""Derives the compact spec the fake server checks calls against from Telegram's Bot API as
JSON (../shared/telegram/api.json), so the test suite needs nothing outside the repo:

    python tests/fake_bot_api/derive_spec.py ../shared/telegram/api.json
"""

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("bot_api_spec.json")
# "1-4096 characters", "0-1024 characters", "1-64 bytes" in a field's description.
LIMIT = re.compile(r"(\d+)-(\d+) (characters|bytes)")


def compact_fields(fields: list[dict]) -> dict[str, dict]:
    result = {}
    for field in fields:
        entry: dict = {"types": field["types"], "required": field["required"]}
        limit = LIMIT.search(field.get("description", ""))
        if limit:
            entry["limit"] = [int(limit[1]), int(limit[2]), limit[3]]
        result[field["name"]] = entry
    return result


def derive(api: dict) -> dict:
    methods = {name: compact_fields(m.get("fields", [])) for name, m in api["methods"].items()}
    types = {}
    for name, kind in api["types"].items():
        if kind.get("subtypes"):
            types[name] = {"subtypes": kind["subtypes"]}
        else:
            types[name] = {"fields": compact_fields(kind.get("fields", []))}
    return {"version": api["version"], "methods": methods, "types": types}


if __name__ == "__main__":
    api = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(derive(api), sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
