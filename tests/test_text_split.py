from bot.text_split import split_text


def test_long_text_splits_on_paragraphs_and_keeps_every_character() -> None:
    paragraph = "Баткен облусунун өзгөчө статусу жөнүндө сунуш. " * 20
    text = "\n\n".join([paragraph.strip()] * 10)
    pieces = split_text(text, limit=4096)
    assert all(len(piece) <= 4096 for piece in pieces)
    assert len(pieces) > 1
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    assert all(piece.endswith("сунуш.") for piece in pieces)


def test_a_text_without_boundaries_is_cut_hard() -> None:
    assert split_text("ө" * 9000, limit=4096) == ["ө" * 4096, "ө" * 4096, "ө" * 808]
