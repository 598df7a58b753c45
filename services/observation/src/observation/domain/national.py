"""The national standards (England) every trust starts with, as data: (key, name, [(code, title)])."""
from __future__ import annotations

TEACHERS_STANDARDS = (
    "teachers-standards-2012", "Teachers' Standards (2012)", [
        ("1", "Set high expectations which inspire, motivate and challenge pupils"),
        ("2", "Promote good progress and outcomes by pupils"),
        ("3", "Demonstrate good subject and curriculum knowledge"),
        ("4", "Plan and teach well structured lessons"),
        ("5", "Adapt teaching to respond to the strengths and needs of all pupils"),
        ("6", "Make accurate and productive use of assessment"),
        ("7", "Manage behaviour effectively to ensure a good and safe learning environment"),
        ("8", "Fulfil wider professional responsibilities"),
        ("8a", "Make a positive contribution to the wider life and ethos of the school"),
        ("8b", "Develop effective professional relationships with colleagues, knowing how and when to draw on "
               "advice and specialist support"),
        ("8c", "Deploy support staff effectively"),
        ("8d", "Take responsibility for improving teaching through appropriate professional development, "
               "responding to advice and feedback from colleagues"),
        ("8e", "Communicate effectively with parents with regard to pupils' achievements and well-being"),
        ("P2a", "Part Two: uphold public trust in the profession and maintain high standards of ethics and behaviour"),
        ("P2b", "Part Two: have proper and professional regard for the ethos, policies and practices of the school"),
        ("P2c", "Part Two: understand and act within the statutory frameworks which set out their professional "
                "duties and responsibilities"),
    ])

HEADTEACHERS_STANDARDS = (
    "headteachers-standards-2020", "Headteachers' Standards (2020)", [
        ("E", "Ethics and professional conduct (the seven principles of public life)"),
        ("1", "School culture"),
        ("2", "Teaching"),
        ("3", "Curriculum and assessment"),
        ("4", "Behaviour"),
        ("5", "Additional and special educational needs and disabilities"),
        ("6", "Professional development"),
        ("7", "Organisational management"),
        ("8", "School improvement"),
        ("9", "Working in partnership"),
        ("10", "Governance and accountability"),
    ])

NATIONAL_FRAMEWORKS = (TEACHERS_STANDARDS, HEADTEACHERS_STANDARDS)
