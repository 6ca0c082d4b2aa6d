"""What the repository promises about installing and deploying: the lock files cover every
dependency in pyproject.toml (else: `make lock`), the Docker image installs the lock and the
bot cannot rewrite its code, compose builds once and gives a stopping bot its grace."""

import re
import tomllib
from pathlib import Path

from bot.context import STOP_GRACE_SECONDS

ROOT = Path(__file__).resolve().parent.parent


def locked(lock: str) -> set[str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {name.lower() for name in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def names(requirements: list[str]) -> set[str]:
    """Distribution names as the lock files write them (lowercase, - for _ and .)."""
    return {
        re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", r).group(0)).lower()  # type: ignore[union-attr]
        for r in requirements
    }


def test_the_lock_files_cover_every_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = names(project["dependencies"])
    test = names(project["optional-dependencies"]["test"])
    missing = runtime - locked("runtime.txt")
    assert not missing, f"not in requirements/runtime.txt: {missing}; run `make lock`"
    missing = (runtime | test) - locked("test.txt")
    assert not missing, f"not in requirements/test.txt: {missing}; run `make lock`"
    # Every pin carries its hashes (pip then refuses any other file).
    for lock in ("runtime.txt", "test.txt"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        pins = re.findall(r"^(\S+==\S+)(.*(?:\n[ ]+.*)*)", text, re.MULTILINE)
        assert pins and all("--hash=sha256:" in rest for _, rest in pins), lock


def test_the_image_installs_the_lock_and_cannot_rewrite_its_code() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r /tmp/runtime.txt" in dockerfile
    assert "--chown" not in dockerfile
    assert re.findall(r"chown \S+ (\S+)", dockerfile) == ["/data"]
    assert "\nUSER kenesh\n" in dockerfile


def test_compose_builds_once_and_waits_for_a_stopping_bot() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert len(re.findall(r"^\s+build:", compose, re.MULTILINE)) == 1
    (grace,) = re.findall(r"stop_grace_period: (\d+)s", compose)
    assert int(grace) > STOP_GRACE_SECONDS + 5
    assert re.search(r"start_period: \d+s", compose)


def test_caddy_hands_the_site_and_telegram_to_every_bot_in_compose() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    bots = re.findall(r"^  (bot\d+):$", compose, re.MULTILINE)
    (upstreams,) = re.findall(r"reverse_proxy ([^{\n]+)\{", caddyfile)
    assert bots and sorted(upstreams.split()) == sorted(f"{bot}:8080" for bot in bots)
    assert "handle" not in caddyfile  # one proxy for every path: /telegram and the site
    assert "PUBLIC_URL: https://${KENESH_DOMAIN" in compose
