"""Both catalogs are complete: every msgid of the code translated in Kyrgyz and Russian,
nothing fuzzy, Kyrgyz written with its own letters rather than copied from Russian."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "__": None, "ngettext": (1, 2)}
MSGID = re.compile(r'^msgid ((?:".*"\n)+)msgstr', flags=re.MULTILINE)

# Words that are the same in both languages by the glossary (Профиль, Форум, ...).
SAME_IN_BOTH = {
    "👤 Profile",
    "Topic",
    "📊 Statistics",
    "🛡 Moderation",
}


def load(locale: str) -> Catalog:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def msgids_in_code() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "handlers", "db"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    # The public site's templates (babel.cfg extracts them too).
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "bot" / "web" / "templates", method_map=[("**.html", "jinja2")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_every_message_in_the_code_is_translated(locale: str) -> None:
    catalog = load(locale)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id
        and all(m.string if isinstance(m.string, tuple) else (m.string,))
        and "fuzzy" not in m.flags
    }
    missing = sorted(msgids_in_code() - translated)
    assert not missing, f"{locale}: {len(missing)} untranslated, first: {missing[:5]}"


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_no_fuzzy_or_empty_entries(locale: str) -> None:
    catalog = load(locale)
    bad = [
        m.id
        for m in catalog
        if m.id
        and (
            not all(m.string if isinstance(m.string, tuple) else (m.string,)) or "fuzzy" in m.flags
        )
    ]
    assert not bad, f"{locale}: fuzzy or empty: {bad[:5]}"


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_placeholders_survive_translation(locale: str) -> None:
    for message in load(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w+\}", "".join(ids)))
        for string in strings:
            assert set(re.findall(r"\{\w+\}", string)) <= wanted, message.id
            assert wanted <= set(re.findall(r"\{\w+\}", string)) or "{" not in "".join(ids), (
                message.id
            )


def test_kyrgyz_is_not_the_russian_text() -> None:
    russian = {m.id: m.string for m in load("ru") if m.id}
    copies = [
        m.id
        for m in load("ky")
        if m.id and m.id not in SAME_IN_BOTH and m.string and m.string == russian.get(m.id)
    ]
    assert not copies, f"Kyrgyz entries identical to Russian: {copies[:5]}"


def test_kyrgyz_uses_its_own_letters() -> None:
    text = " ".join(str(m.string) for m in load("ky") if m.id)
    assert {"ң", "ө", "ү"} <= set(text.lower())
    # Latin look-alikes in a Cyrillic word (e.g. a Latin "o" in "бoт") are typos.
    assert not re.search(r"[а-яөүң][a-z]|[a-z][а-яөүң]", text.lower())


def test_no_msgid_appears_twice() -> None:
    # Parallel branches append to the catalogs; a union merge may leave an entry twice.
    for locale in ("ky", "ru"):
        text = (LOCALES / locale / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        ids = ["".join(re.findall(r'"(.*)"', block)) for block in MSGID.findall(text)]
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, f"{locale}: {sorted(duplicates)[:5]}"


def test_catalogs_compile_without_a_manual_step(tmp_path: Path) -> None:
    # A fresh copy with no .mo files: creating the i18n compiles them.
    copy = tmp_path / "locales"
    subprocess.run(["cp", "-r", str(LOCALES), str(copy)], check=True)
    for mo in copy.glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()
    code = (
        "from pathlib import Path; from bot.i18n import create_i18n; "
        f"i = create_i18n(Path({str(copy)!r})); "
        "print(i.gettext('Skip', locale='ky'), '|', i.gettext('Skip', locale='ru'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "Өткөрүп жиберүү | Пропустить"


def msgids_of(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_no_msgid_the_code_no_longer_uses(locale: str) -> None:
    obsolete = sorted(msgids_of(load(locale)) - msgids_in_code())
    assert not obsolete, f"{locale}: {len(obsolete)} obsolete (run `make messages`): {obsolete[:5]}"


def test_make_messages_would_change_nothing(tmp_path: Path) -> None:
    # The same steps as `make messages`, on a copy: the catalogs must already be in that form
    # (sorted, unwrapped, nothing obsolete), so a run after a merge leaves only new entries.
    copy = tmp_path / "locales"
    subprocess.run(["cp", "-r", str(LOCALES), str(copy)], check=True)
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "messages.sh"), str(copy)],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": path},
    )
    for name in ("messages.pot", "ky/LC_MESSAGES/messages.po", "ru/LC_MESSAGES/messages.po"):
        before = (LOCALES / name).read_text(encoding="utf-8")
        after = (copy / name).read_text(encoding="utf-8")
        assert before == after, f"{name} is not as `make messages` writes it: run it"


# A case ending glued to a placeholder cannot agree with every value ("{max}ге" is wrong for
# 10: "10го"); nor can a postposition that needs a case ("{day} чейин" needs "{day}га").
KYRGYZ_ENDING_AFTER_PLACEHOLDER = re.compile(
    r"\{\w+\}(?:-?[а-яөүң]|\s+(?:чейин|дейре|кийин|баштап|тартып|карата|жакын))",
    flags=re.IGNORECASE,
)


def test_no_kyrgyz_case_ending_after_a_placeholder() -> None:
    bad = []
    for message in load("ky"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        bad += [s for s in strings if message.id and KYRGYZ_ENDING_AFTER_PLACEHOLDER.search(s)]
    assert not bad, f"{len(bad)} Kyrgyz entries glue an ending to a placeholder: {bad[:3]}"


def test_the_rule_on_kyrgyz_endings_catches_the_known_mistakes() -> None:
    for wrong in ("1ден {max}ге чейин", "{day} чейин", "{n} чейинки", "{when}дан кийин"):
        assert KYRGYZ_ENDING_AFTER_PLACEHOLDER.search(wrong), wrong
    for right in ("эң көбү {max}", "мөөнөтү: {day}", "Кимге: {agency}", "{name} менен"):
        assert not KYRGYZ_ENDING_AFTER_PLACEHOLDER.search(right), right


# Placeholders that hold a number. In Russian a noun after a number changes with it (1 день,
# 2 дня, 5 дней), so such a phrase must be an ngettext entry, or say "Дней: {days}".
NUMBERS = (
    "count|n|days|length|minimum|maximum|max|min|limit|position|women|men|waiting|page|pages|"
    "sent|failed|blocked|stopped|registered|attended|answered|overdue|open|left|total|told"
)
RUSSIAN_NOUN_AFTER_NUMBER = re.compile(
    rf"\{{(?:{NUMBERS})\}}\s+(?!(?:из|и|в|на|по|до|от|за|или|—|–)\b)[а-яё]", flags=re.IGNORECASE
)


def test_no_russian_noun_after_a_number_outside_ngettext() -> None:
    bad = [
        m.string
        for m in load("ru")
        if m.id and isinstance(m.string, str) and RUSSIAN_NOUN_AFTER_NUMBER.search(m.string)
    ]
    assert not bad, f"{len(bad)} Russian entries count outside ngettext: {bad[:3]}"


def test_the_rule_on_russian_counts_catches_the_known_mistakes() -> None:
    for wrong in ("{length} символов", "Отправлено {sent} адресатам", "{days} календарных дн."):
        assert RUSSIAN_NOUN_AFTER_NUMBER.search(wrong), wrong
    for right in ("Символов: {length}", "{count} из {total}", "страница {page} из {pages}"):
        assert not RUSSIAN_NOUN_AFTER_NUMBER.search(right), right
