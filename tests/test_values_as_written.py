"""Values YAML would read as numbers or dates print exactly as the author wrote them, and months
are read leniently but never wrongly."""
from __future__ import annotations

from conftest import page_texts, words


def test_numbers_and_dates_in_text_fields_print_as_written(project):
    project.write("x", """\
        title: 1e3
        subtitle: 2026-1-1
        version: "1.10"
        reviewed: 2026-11-01
        authors: [0x1F, 1_000]
        contact: Call us on 020 7946 0000.
        sections:
          - heading: .5
            body: 007
        references:
          - id: a1
            authors: [Tester A]
            title: 1.10
            year: 2020
            journal: J
            volume: 012
            pages: 1.50
            month: Sept
    """)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("x"))))
    for written in ("1e3 2026-1-1", ".5 007", "Written by: 0x1F, 1_000.", "1.10. J. 2020 Sep;012:1.50."):
        assert written in text


def test_a_month_is_any_start_of_its_name(project):
    for month, ok in (("Jun", True), ("june", True), ("Sept.", True), ("September", True), ("Junk", False),
                      ("Ma", False), ("Mayday", False)):
        project.write("x", f"""\
            title: T
            version: "1"
            reviewed: 2026-11-01
            sections: [{{heading: H, body: "B [@a1]"}}]
            references: [{{id: a1, authors: [Tester A], title: T, journal: J, year: 2020, month: {month}}}]
            authors: [Test team]
            contact: Call us on 020 7946 0000.
        """)
        assert (project.run("check").exit_code == 0) == ok, month
