"""Text layout shared by the CLI and the chat: Markdown answers reflowed into paragraphs."""

from __future__ import annotations

from qabot.layout import is_markdown, reflow_markdown


def test_a_hand_wrapped_paragraph_becomes_one_line_and_paragraphs_stay_apart() -> None:
    text = "A musty smell comes from\nresidue in the gasket.\n\nLeave the door\najar."
    assert reflow_markdown(text) == (
        "A musty smell comes from residue in the gasket.\n\nLeave the door ajar."
    )


def test_a_list_item_s_wrapped_lines_join_that_item_and_items_stay_apart() -> None:
    text = (
        "1. Wipe the gasket with\n   vinegar.\n2. Rinse it.\n- Dry the\n  drum.\n+ Leave it\nopen."
    )
    assert reflow_markdown(text) == (
        "1. Wipe the gasket with vinegar.\n2. Rinse it.\n- Dry the drum.\n+ Leave it open."
    )


def test_headings_tables_and_code_keep_their_lines() -> None:
    text = (
        "## Heading\nSet it\nlike this:\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        "```\nx = 1\ny = 2\n```\nAfter the\ncode.\n\n    indented\n    code"
    )
    assert reflow_markdown(text) == (
        "## Heading\nSet it like this:\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        "```\nx = 1\ny = 2\n```\nAfter the code.\n\n    indented\n    code"
    )


def test_bullet_looking_lines_quotes_and_rules_keep_their_lines() -> None:
    text = "Reasons:\na) one\nb) two\n• three\n\n> a quote\n> goes on\n\nTitle\n-----\nText"
    assert reflow_markdown(text) == text


def test_items_in_parentheses_and_roman_numbered_items_keep_their_lines() -> None:
    text = "Reasons:\n(a) one\n(1) two\n(iv) three\ni. four\nii) five\nIV. six\n(X) seven"
    assert reflow_markdown(text) == text


def test_such_an_item_s_wrapped_lines_join_that_item() -> None:
    text = "(a) Wipe the\ngasket.\n(iv) Rinse\nit.\nii) Dry the\ndrum."
    assert reflow_markdown(text) == "(a) Wipe the gasket.\n(iv) Rinse it.\nii) Dry the drum."


def test_prose_that_only_starts_like_an_item_joins_the_item_it_continues() -> None:
    text = (
        "(a) The smell\nI think comes\nfrom the gasket.\n"
        "(b) It is\n(see above) worse\n(which is\nrare) in the\nvi model."
    )
    assert reflow_markdown(text) == (
        "(a) The smell I think comes from the gasket.\n"
        "(b) It is (see above) worse (which is rare) in the vi model."
    )


def test_a_table_without_leading_pipes_keeps_its_rows() -> None:
    text = "Sizes\nName | Size\n--- | :---:\na | 1\nb | 2\n\nAfter the\ntable."
    assert reflow_markdown(text) == (
        "Sizes\nName | Size\n--- | :---:\na | 1\nb | 2\n\nAfter the table."
    )


def test_rows_without_leading_pipes_under_a_piped_header_keep_their_lines() -> None:
    text = "| Name | Size |\n|---|---|\na | 1\nb | 2"
    assert reflow_markdown(text) == text


def test_prose_with_a_pipe_still_joins_beside_a_table() -> None:
    text = "Pick a | b or\nc | d.\nName | Size\n---|---\na | 1\n\nOr a | b\nc | d | e\n---|---"
    assert reflow_markdown(text) == (  # (a delimiter row needs a header of as many cells)
        "Pick a | b or c | d.\nName | Size\n---|---\na | 1\n\nOr a | b c | d | e ---|---"
    )


def test_an_intro_and_a_hard_break_keep_the_break_after_them() -> None:
    text = "Before you start:\nunplug it.\n\nFirst line  \nsecond line\\\nthird line"
    assert reflow_markdown(text) == text


def test_only_markdown_documents_are_reflowed() -> None:
    assert is_markdown("notes/faq.md") and is_markdown("FAQ.Markdown")
    assert not is_markdown("faq.txt") and not is_markdown("faq.csv")
