"""A retrieval test set: six multi-page documents and questions whose answers each sit
on one known page.

Every page holds one or two distinct facts, buried in prose that shares its document's
vocabulary (so "Riverside", "2023" or "espresso" are on every page of their document
and decide nothing), and the documents share everyday words with one another. Some
questions reuse the fact's words; others paraphrase it, as users do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.documents.retrieve import Retriever
from tests.documents.files import write_docx
from tests.documents.pdfs import Page, wrap, write_pdf


@dataclass(frozen=True)
class Question:
    text: str
    file: str
    page: int


# file → (title, filler sentences, pages of (heading, facts))
DOCUMENTS: dict[str, tuple[str, list[str], list[tuple[str, list[str]]]]] = {
    "riverside-report-2023.pdf": (
        "Riverside Municipal Annual Report 2023",
        [
            "The council continued to work closely with residents and local businesses "
            "on the priorities agreed for the year.",
            "Figures in this report are unaudited and may be revised in the final accounts.",
            "Riverside remains committed to transparent reporting of its services.",
            "Staff across every department contributed to the results described here.",
            "The year brought both challenges and new opportunities for the city.",
            "Further detail is available from the council offices on request.",
            "Community feedback shaped several of the decisions taken in 2023.",
            "The council thanks its partners for their support during the year.",
            "Service levels were maintained despite rising costs across the sector.",
            "Comparisons with previous years use the same methods unless stated.",
        ],
        [
            ("Overview", [
                "Riverside had 48,300 residents at the end of 2023, up 2.1 percent from "
                "the year before.",
                "Mayor Helena Okafor took office in January 2023 after the municipal "
                "election."]),
            ("Parks and green spaces", [
                "The new Willow Creek Park opened on 14 June 2023 and covers 12 hectares.",
                "Volunteers planted 3,400 trees across the city's parks during the autumn "
                "planting week."]),
            ("Water services", [
                "The water treatment plant on Mill Road was upgraded with ultraviolet "
                "disinfection at a cost of 6.8 million dollars.",
                "Average household water use fell to 142 litres per person per day."]),
            ("Transport", [
                "Bus route 7 was extended to the hospital in September, and ridership on "
                "the bus network rose to 2.9 million trips.",
                "A 4.5 kilometre protected cycle lane now runs along Harbour Street."]),
            ("Budget", [
                "Total municipal spending in 2023 was 212 million dollars, of which 31 "
                "percent went to roads and transport.",
                "The property tax rate was held at 0.92 percent."]),
            ("Library", [
                "The central library lent 410,000 items, and e-book loans grew by 37 "
                "percent.",
                "A makerspace with two 3D printers opened in the library in March."]),
            ("Emergency services", [
                "The fire service answered 5,120 calls with an average response time of "
                "6 minutes 40 seconds.",
                "A second ambulance station opened in the Eastfield district."]),
        ],
    ),
    "aurora-x2-manual.pdf": (
        "Aurora X2 Espresso Machine — User Manual",
        [
            "Read all instructions before using your Aurora X2 espresso machine.",
            "Keep this manual for future reference.",
            "Illustrations may differ slightly from your machine.",
            "The Aurora X2 is designed for household use only.",
            "Always switch the machine off and let it cool before moving it.",
            "Use only accessories recommended by the manufacturer.",
            "For the best coffee, use freshly roasted beans.",
            "Contact your retailer if any part appears damaged.",
            "The control panel lights show the machine's current state.",
            "Your espresso machine will reward a little care with years of good coffee.",
        ],
        [
            ("Safety and unpacking", [
                "Never immerse the base in water or any other liquid.",
                "The box contains the machine, a 58 mm portafilter, two filter baskets "
                "and a tamper."]),
            ("First setup", [
                "Fill the 2.1 litre water tank with cold filtered water before first use.",
                "The boiler needs about 4 minutes to reach brewing temperature."]),
            ("Grinder", [
                "The built-in conical burr grinder has 30 grind settings; start at "
                "setting 12 for espresso.",
                "If shots taste sour, choose a finer grind setting."]),
            ("Milk frothing", [
                "Purge the steam wand for 2 seconds before and after frothing.",
                "Milk for a latte should be heated to 60 to 65 degrees Celsius."]),
            ("Cleaning and descaling", [
                "Descale the machine every 3 months, or when the DESCALE light flashes, "
                "using a citric acid descaler.",
                "Backflush the group head with the blind basket once a week."]),
            ("Troubleshooting and warranty", [
                "Error E17 means the water tank is not seated correctly.",
                "The warranty covers manufacturing defects for 24 months from the date of "
                "purchase."]),
        ],
    ),
    "sleep-memory-study.pdf": (
        "Sleep and Memory: Study Summary",
        [
            "Results are reported as means unless otherwise stated.",
            "Statistical significance was set at p < 0.05 for all comparisons.",
            "The study protocol was approved by the ethics committees of both sites.",
            "Participants gave written informed consent before enrolment.",
            "Sleep and memory were measured with validated instruments.",
            "Data were analysed by researchers blinded to group assignment.",
            "All analyses were pre-registered before data collection began.",
            "Adverse events were rare and none were serious.",
            "The findings add to a growing literature on sleep and cognition.",
            "Tables with full results are available in the online supplement.",
        ],
        [
            ("Background", [
                "The study enrolled 184 adults aged 18 to 35 at two university sites.",
                "It was funded by the Nordic Sleep Research Council."]),
            ("Methods", [
                "Participants wore wrist actigraphy devices for 21 nights.",
                "Memory was tested with a 60-word list recall task each morning."]),
            ("Results: sleep duration", [
                "Those sleeping more than 7 hours recalled on average 9.4 more words than "
                "those sleeping under 6 hours."]),
            ("Results: naps", [
                "A 20-minute afternoon nap improved recall by 11 percent compared with "
                "quiet rest."]),
            ("Secondary findings", [
                "Caffeine after 4 pm shortened deep sleep by an average of 18 minutes.",
                "Screen use in bed was not significantly associated with recall."]),
            ("Limitations and conclusions", [
                "The main limitation was that actigraphy cannot distinguish sleep stages "
                "precisely.",
                "The authors recommend a follow-up trial in adults over 60."]),
        ],
    ),
    "northwind-handbook.docx": (
        "Northwind Traders Employee Handbook",
        [
            "This handbook applies to all employees of Northwind Traders.",
            "Ask your manager or the people team if anything here is unclear.",
            "Policies may be updated; the intranet always has the current version.",
            "Northwind Traders values honesty, teamwork and care for customers.",
            "Local law takes precedence where it gives employees more generous terms.",
            "Managers are responsible for applying these policies fairly.",
            "Every employee receives a copy of this handbook when they join.",
            "Questions about pay go to the payroll team.",
            "We review this handbook every year with employee representatives.",
            "Thank you for helping make Northwind Traders a good place to work.",
        ],
        [
            ("Welcome", [
                "Northwind Traders was founded in 1987 in Tacoma, Washington."]),
            ("Working hours", [
                "Core hours are 10 am to 3 pm; employees may start between 7 and 10 am.",
                "Remote work is allowed up to 3 days a week with manager approval."]),
            ("Leave", [
                "Full-time employees receive 25 days of paid vacation per year.",
                "Parental leave is 16 weeks at full pay."]),
            ("Expenses", [
                "Submit expense claims within 30 days through the Concur portal.",
                "The daily meal allowance when travelling is 55 dollars."]),
            ("IT and security", [
                "Passwords must be at least 14 characters long and are changed every 180 "
                "days.",
                "Report a lost laptop to the service desk at extension 4400."]),
            ("Conduct", [
                "Gifts from suppliers worth more than 50 dollars must be declared to the "
                "compliance team."]),
        ],
    ),
    "meridian-railway-history.pdf": (
        "A History of the Meridian Railway",
        [
            "The Meridian Railway played a large part in the life of the valley.",
            "Contemporary newspapers followed the railway's fortunes closely.",
            "Records from the period are incomplete, and some dates are uncertain.",
            "Many of the railway's buildings survive today in other uses.",
            "The company's minute books are kept in the county archive.",
            "Local families worked on the line for several generations.",
            "Photographs from the period show the stations in their prime.",
            "The railway carried goods as well as passengers throughout its life.",
            "Historians still debate the company's financial decisions.",
            "The line's story mirrors that of many rural railways.",
        ],
        [
            ("Origins", [
                "The Meridian Railway Company was chartered in 1846 by a group of wool "
                "merchants."]),
            ("Construction", [
                "The 38-kilometre line from Ashford to Kellbridge opened on 3 May 1852.",
                "Its chief engineer was Thomas Wainwright."]),
            ("The Dunmore Viaduct", [
                "The Dunmore Viaduct has 23 stone arches and stands 41 metres above the "
                "river."]),
            ("Expansion", [
                "A branch line to the slate quarries at Penrhos opened in 1871."]),
            ("Decline and closure", [
                "Passenger services ended on 30 September 1963 after the Beeching report."]),
            ("Heritage railway", [
                "Volunteers reopened 9 kilometres of the line as a heritage railway in 1994.",
                "The restored steam locomotive Lady Margaret was built in 1899."]),
        ],
    ),
    "greenhouse-tomatoes.pdf": (
        "Greenhouse Tomato Growing Guide",
        [
            "Tomatoes grown under glass need warmth, light and steady care.",
            "Keep a notebook of what you sow and when, to learn from each season.",
            "Good ventilation prevents many problems in the greenhouse.",
            "Always wash your hands after handling plants treated with any product.",
            "Tomato plants respond quickly to changes in their conditions.",
            "Check your plants every day during the growing season.",
            "The advice here suits most home greenhouses in temperate climates.",
            "Healthy plants are the best defence against problems.",
            "Use clean pots and fresh compost every year.",
            "Greenhouse growing extends the tomato season by several weeks.",
        ],
        [
            ("Choosing varieties", [
                "For small greenhouses the guide recommends the cordon variety Sungold."]),
            ("Sowing", [
                "Sow seeds 6 millimetres deep at 21 degrees Celsius; germination takes 7 "
                "to 10 days."]),
            ("Planting and spacing", [
                "Space plants 45 centimetres apart in rows 75 centimetres apart."]),
            ("Watering and feeding", [
                "Start feeding with a high-potassium fertiliser once the first truss has "
                "set fruit, and feed every 7 days."]),
            ("Pests and diseases", [
                "Whitefly can be controlled by releasing the parasitic wasp Encarsia "
                "formosa."]),
            ("Harvest", [
                "A healthy cordon plant yields about 4 kilograms of fruit per season.",
                "Pick tomatoes when they are fully coloured."]),
        ],
    ),
}

QUESTIONS = [
    Question("How many residents did Riverside have at the end of 2023?",
             "riverside-report-2023.pdf", 1),
    Question("Who became mayor in January 2023?", "riverside-report-2023.pdf", 1),
    Question("When did Willow Creek Park open and how big is it?",
             "riverside-report-2023.pdf", 2),
    Question("How many trees did volunteers plant?", "riverside-report-2023.pdf", 2),
    Question("How much did the ultraviolet upgrade of the water treatment plant cost?",
             "riverside-report-2023.pdf", 3),
    Question("How many litres of water does a person use per day?",
             "riverside-report-2023.pdf", 3),
    Question("Where was bus route 7 extended to?", "riverside-report-2023.pdf", 4),
    Question("How long is the protected cycle lane on Harbour Street?",
             "riverside-report-2023.pdf", 4),
    Question("What was the total municipal spending in 2023?",
             "riverside-report-2023.pdf", 5),
    Question("What is the property tax rate?", "riverside-report-2023.pdf", 5),
    Question("How many items did the central library lend?",
             "riverside-report-2023.pdf", 6),
    Question("What is the average response time of the fire service?",
             "riverside-report-2023.pdf", 7),
    Question("Where did the second ambulance station open?",
             "riverside-report-2023.pdf", 7),
    Question("What comes in the box with the Aurora X2?", "aurora-x2-manual.pdf", 1),
    Question("How big is the water tank?", "aurora-x2-manual.pdf", 2),
    Question("How long does the boiler take to heat up?", "aurora-x2-manual.pdf", 2),
    Question("Which grind setting should I start with for espresso?",
             "aurora-x2-manual.pdf", 3),
    Question("To what temperature should milk for a latte be heated?",
             "aurora-x2-manual.pdf", 4),
    Question("How often should the machine be descaled?", "aurora-x2-manual.pdf", 5),
    Question("What does error E17 mean?", "aurora-x2-manual.pdf", 6),
    Question("How long is the warranty?", "aurora-x2-manual.pdf", 6),
    Question("How many adults took part in the sleep study?", "sleep-memory-study.pdf", 1),
    Question("Who funded the study?", "sleep-memory-study.pdf", 1),
    Question("For how many nights did participants wear actigraphy devices?",
             "sleep-memory-study.pdf", 2),
    Question("How many more words did people who slept over 7 hours recall?",
             "sleep-memory-study.pdf", 3),
    Question("Does an afternoon nap improve recall?", "sleep-memory-study.pdf", 4),
    Question("What effect does caffeine after 4 pm have on deep sleep?",
             "sleep-memory-study.pdf", 5),
    Question("What was the main limitation of the study?", "sleep-memory-study.pdf", 6),
    Question("When and where was Northwind Traders founded?", "northwind-handbook.docx", 1),
    Question("What are the core working hours?", "northwind-handbook.docx", 2),
    Question("How many days of paid vacation do full-time employees get?",
             "northwind-handbook.docx", 3),
    Question("How long is parental leave?", "northwind-handbook.docx", 3),
    Question("What is the daily meal allowance when travelling?",
             "northwind-handbook.docx", 4),
    Question("How long must passwords be?", "northwind-handbook.docx", 5),
    Question("Which gifts from suppliers must be declared?", "northwind-handbook.docx", 6),
    Question("When was the Meridian Railway Company chartered?",
             "meridian-railway-history.pdf", 1),
    Question("Who was the chief engineer of the line?", "meridian-railway-history.pdf", 2),
    Question("How many arches does the Dunmore Viaduct have?",
             "meridian-railway-history.pdf", 3),
    Question("When did the branch to the slate quarries open?",
             "meridian-railway-history.pdf", 4),
    Question("When did passenger services end?", "meridian-railway-history.pdf", 5),
    Question("When was Lady Margaret built?", "meridian-railway-history.pdf", 6),
    Question("Which tomato variety is recommended for a small greenhouse?",
             "greenhouse-tomatoes.pdf", 1),
    Question("How deep should tomato seeds be sown?", "greenhouse-tomatoes.pdf", 2),
    Question("How far apart should the plants be spaced?", "greenhouse-tomatoes.pdf", 3),
    Question("When should I start feeding with fertiliser?", "greenhouse-tomatoes.pdf", 4),
    Question("How can whitefly be controlled?", "greenhouse-tomatoes.pdf", 5),
    Question("How much fruit does one plant yield?", "greenhouse-tomatoes.pdf", 6),
]

# Questions none of the documents can answer.
UNANSWERABLE = [
    "What is the capital of Mongolia?",
    "How do I replace the timing belt on a 2012 diesel van?",
    "Who won the chess world championship in 1972?",
    "What is the recommended dose of ibuprofen for children?",
]


def page_text(title: str, filler: list[str], heading: str, facts: list[str],
              seed: int) -> str:
    """A page: its heading, then the facts set among the document's own filler prose."""
    rng = random.Random(seed)
    sentences = rng.sample(filler, 8)
    for fact in facts:
        sentences.insert(rng.randrange(2, len(sentences) + 1), fact)
    middle = len(sentences) // 2
    return (f"{heading}\n\n" + " ".join(sentences[:middle]) + "\n\n"
            + " ".join(sentences[middle:]) + f"\n\n{title}")


def build(folder: Path) -> list[Path]:
    """Write the six documents into ``folder``; returns their paths."""
    return write_documents(folder, [(name, *doc) for name, doc in DOCUMENTS.items()])


def write_documents(folder: Path, documents: list[tuple[str, str, str, list[Any]]],
                    seed: int = 0) -> list[Path]:
    """Write (name, title, filler, pages) documents into ``folder`` as Word files or
    PDFs (by the name's suffix); returns their paths."""
    paths = []
    for number, (name, title, filler, pages) in enumerate(documents):
        texts = [(heading, page_text(title, filler, heading, facts, seed + number * 100 + i))
                 for i, (heading, facts) in enumerate(pages)]
        path = folder / name
        if name.endswith(".docx"):
            write_docx(path, [(h, t.split("\n\n")[1:]) for h, t in texts], title=title)
        else:
            write_pdf(path, [Page(wrap(t), bookmark=h) for h, t in texts], title=title)
        paths.append(path)
    return paths


def hit_at(retriever: Retriever, names: dict[int, str], k: int = 5,
           use_vectors: bool = True) -> tuple[float, list[Question]]:
    """Share of :data:`QUESTIONS` whose answering page is among the top ``k`` chunks
    (keyword-only when ``use_vectors`` is False), and the questions missed."""
    missed = []
    for question in QUESTIONS:
        ranking = retriever.search(list(names), question.text, k=k, use_vectors=use_vectors)
        if not any(names[h.document_id] == question.file and h.page == question.page
                   for h in ranking.hits):
            missed.append(question)
    return 1 - len(missed) / len(QUESTIONS), missed
