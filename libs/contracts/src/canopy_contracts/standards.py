"""The national standards (England) as data with stable codes, shared by every service that links
records to them. A trust's own frameworks (its teaching and learning principles) are versioned data
of the services that own them; these codes never change.
"""
from __future__ import annotations

TEACHERS_STANDARDS_2012 = {
    "TS1": "Set high expectations which inspire, motivate and challenge pupils",
    "TS2": "Promote good progress and outcomes by pupils",
    "TS3": "Demonstrate good subject and curriculum knowledge",
    "TS4": "Plan and teach well structured lessons",
    "TS5": "Adapt teaching to respond to the strengths and needs of all pupils",
    "TS6": "Make accurate and productive use of assessment",
    "TS7": "Manage behaviour effectively to ensure a good and safe learning environment",
    "TS8": "Fulfil wider professional responsibilities",
    "TS8a": "Make a positive contribution to the wider life and ethos of the school",
    "TS8b": "Develop effective professional relationships with colleagues, knowing how and when to draw on "
            "advice and specialist support",
    "TS8c": "Deploy support staff effectively",
    "TS8d": "Take responsibility for improving teaching through appropriate professional development, "
            "responding to advice and feedback from colleagues",
    "TS8e": "Communicate effectively with parents with regard to pupils' achievements and well-being",
    "TSP2a": "Uphold public trust in the profession and maintain high standards of ethics and behaviour",
    "TSP2b": "Have proper and professional regard for the ethos, policies and practices of the school",
    "TSP2c": "Have an understanding of, and always act within, the statutory frameworks which set out their "
             "professional duties and responsibilities",
}

HEADTEACHERS_STANDARDS_2020 = {
    "HTS0": "Ethics and professional conduct (the seven principles of public life)",
    "HTS1": "School culture",
    "HTS2": "Teaching",
    "HTS3": "Curriculum and assessment",
    "HTS4": "Behaviour",
    "HTS5": "Additional and special educational needs and disabilities",
    "HTS6": "Professional development",
    "HTS7": "Organisational management",
    "HTS8": "School improvement",
    "HTS9": "Working in partnership",
    "HTS10": "Governance and accountability",
}

NATIONAL_STANDARDS = {**TEACHERS_STANDARDS_2012, **HEADTEACHERS_STANDARDS_2020}


def unknown_standards(codes) -> list[str]:
    """The codes in ``codes`` that are not national standards, in the order given."""
    return [code for code in codes if code not in NATIONAL_STANDARDS]
