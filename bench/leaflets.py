"""A realistic, seeded set of synthetic leaflets for the benchmark (not the clinic's content).

Each leaflet reads like a clinic leaflet: a title, key points, sections of short plain sentences
with citations, bullet and numbered lists, a callout, sometimes a table, a contact box and
references. Its length is drawn so that it prints on 2 to 12 pages in its layout; a third of
the leaflets use the large-print layout, the rest clinic-a4. The same seed gives the same files.
"""
from __future__ import annotations

import random
from pathlib import Path

LAYOUTS = ("clinic-a4", "large-print")
# Words that fit on a page, roughly, in each layout (text, lists and headings together).
WORDS_PER_PAGE = {"clinic-a4": 260, "large-print": 140}

TOPICS = [
    "chemotherapy", "radiotherapy", "surgery", "a central line", "blood tests", "a scan", "eating well",
    "going back to school", "tiredness", "feeling sick", "mouth care", "hair loss", "a biopsy",
    "physiotherapy", "clinical trials", "follow-up visits", "fertility", "pain relief", "sleep",
]
SENTENCES = [
    "Your child's team will explain each step before it happens.",
    "Ask us if anything in this leaflet is not clear.",
    "Most children feel tired for a few days after each course.",
    "Keep a note of any questions and bring it to the next visit.",
    "The nurse will check your child's temperature, pulse and blood pressure.",
    "This is normal and it does not mean that treatment is not working.",
    "Your child may feel sick, and we can give medicine to help.",
    "Drink plenty of water, milk or squash during the day.",
    "Small meals and snacks are often easier than three big meals.",
    "Tell us if your child has pain that does not get better.",
    "We will give you a card with the ward's phone number.",
    "Brothers and sisters can visit, unless they are unwell.",
    "Your child can go to school when they feel well enough.",
    "We will talk with the school about what your child needs.",
    "Some medicines can make the skin more sensitive to the sun.",
    "Use a soft toothbrush and brush gently twice a day.",
    "Wash your hands before you touch the central line.",
    "The results usually take about a week to come back.",
    "A play specialist can help your child get ready for the test.",
    "You can stay with your child for most of the time.",
    "Most side effects go away after treatment ends.",
    "If you are worried, call us at any time, day or night.",
    "The dose depends on your child's height and weight.",
    "We check the blood count before each course starts.",
    "A dietitian can help if your child is losing weight.",
    "Your child may need a blood transfusion if the count is low.",
    "Hair usually starts to grow back a few months after chemo ends.",
    "Gentle exercise, such as a short walk, can help with tiredness.",
]
ITEMS = [
    "a temperature of 38 °C or higher", "bleeding that does not stop", "a new rash or bruises",
    "pain, redness or swelling around the line", "being sick more than three times in a day",
    "not passing urine for 12 hours", "a cough or trouble breathing", "sores in the mouth",
    "diarrhoea that does not settle", "being very sleepy or hard to wake", "a bad headache",
    "contact with chickenpox or measles",
]
STEPS = [
    "Wash your hands with soap and water.", "Put on clean gloves.", "Check the dressing for redness.",
    "Clean the skin with the wipe we gave you.", "Let the skin dry in the air.",
    "Put on a new dressing.", "Write down the date and time.", "Call us if anything looks different.",
]


def handout(rng: random.Random, number: int) -> tuple[str, str, int]:
    """One synthetic handout's YAML, its layout and the pages it is meant to fill."""
    layout = LAYOUTS[1] if number % 3 == 2 else LAYOUTS[0]
    pages = rng.randint(2, 12)
    # The references page and the furniture take about a page; the rest is text.
    words_wanted = (pages - 1.5) * WORDS_PER_PAGE[layout]
    topic = rng.choice(TOPICS)
    refs = rng.randint(2, 6)
    sections, words = [], 0
    while words < words_wanted or not sections:
        heading = rng.choice(["What is", "Before", "During", "After", "Looking after your child during",
                              "Side effects of", "Questions about", "Help with"]) + f" {rng.choice(TOPICS)}"
        parts = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.random()
            if kind < 0.55:
                chosen = rng.sample(SENTENCES, rng.randint(2, 5))
                cite = f" [@ref{rng.randrange(refs)}]" if rng.random() < 0.4 else ""
                text = " ".join(chosen)
                parts.append(text[:-1] + cite + "." if cite else text)
                words += len(text.split())
            elif kind < 0.75:
                chosen = rng.sample(ITEMS, rng.randint(3, 7))
                parts.append("Call us straight away if your child has:\n\n" + "\n".join(f"- {i};" for i in chosen))
                words += 6 + sum(len(i.split()) + 2 for i in chosen)
            elif kind < 0.87:
                chosen = rng.sample(STEPS, rng.randint(3, 6))
                parts.append("\n".join(f"{n}. {s}" for n, s in enumerate(chosen, start=1)))
                words += sum(len(s.split()) + 2 for s in chosen)
            elif kind < 0.95:
                parts.append("> **Call the ward if you are worried.**\n>\n> "
                             + " ".join(rng.sample(SENTENCES, 2)))
                words += 40
            else:
                rows = rng.sample(TOPICS, 3)
                parts.append("| What | When | Who to ask |\n|---|---|---|\n"
                             + "\n".join(f"| {r.capitalize()} | Week {rng.randint(1, 12)} | The nurse |" for r in rows))
                words += 50
        sections.append(f"  - heading: {heading.capitalize()}\n    body: |\n"
                        + "\n\n".join("      " + p.replace("\n", "\n      ") for p in parts))
    references = "\n".join(f"""\
  - id: ref{r}
    authors: [Author {chr(65 + r)}, Writer {chr(66 + r)}]
    title: A study of {rng.choice(TOPICS)} in children and young people with sarcoma, number {r + 1}
    journal: Pediatr Blood Cancer
    year: {2010 + r}
    volume: "{50 + r}"
    pages: {100 + r}-{110 + r}""" for r in range(refs))
    summary = "\n".join(f"  - {s}" for s in rng.sample(SENTENCES, 3))
    text = f"""\
title: {topic.capitalize()}, leaflet {number}
subtitle: Information for children, young people and their families
version: "1.{number % 9}"
reviewed: 2026-{1 + number % 12:02d}-{1 + number % 28:02d}
layout: {layout}
authors: [Sarcoma nurse specialist team]
contact: "Questions? Call the sarcoma nurse specialists on 020 7946 0000, Monday to Friday, 9am to 5pm."
summary:
{summary}
sections:
{chr(10).join(sections)}
references:
{references}
"""
    return text, layout, pages


def write_set(folder: Path, count: int, seed: int = 9) -> list[Path]:
    """Write `count` synthetic handouts into folder (synthetic-NNN.yaml) and return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"synthetic-{number:03d}.yaml"
        path.write_text(handout(rng, number)[0], encoding="utf-8")
        paths.append(path)
    return paths
