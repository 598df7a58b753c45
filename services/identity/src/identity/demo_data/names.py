"""Plausible names and school-style email addresses for the demo trust's staff."""

from __future__ import annotations

import random
import unicodedata
from typing import NamedTuple

from identity.demo_data.records import EMAIL_DOMAIN

# --------------------------------------------------------------------------
# Names.  Each pool pairs given names with family names of a shared heritage
# so that most names read naturally; a minority of people take a family name
# from another pool, as mixed families do.  Weights roughly follow England's
# population rather than any particular town.
# --------------------------------------------------------------------------

class NamePool(NamedTuple):
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]


_BRITISH_AND_IRISH = NamePool(
    weight=72,
    female=("Sarah", "Emma", "Rachel", "Claire", "Laura", "Rebecca", "Hannah", "Charlotte",
            "Sophie", "Katie", "Jessica", "Amy", "Lucy", "Gemma", "Helen", "Jennifer",
            "Nicola", "Victoria", "Kirsty", "Joanne", "Louise", "Natalie", "Stephanie",
            "Elizabeth", "Catherine", "Fiona", "Eleanor", "Megan", "Chloe", "Holly",
            "Bethany", "Alice", "Ruth", "Siân", "Niamh", "Zoë", "Carys", "Aoife",
            "Philippa", "Harriet", "Abigail", "Lisa", "Kerry", "Alison", "Jane", "Susan",
            "Karen", "Amanda", "Rhiannon", "Morag"),
    male=("James", "David", "Michael", "Daniel", "Thomas", "Matthew", "Christopher",
          "Andrew", "Mark", "Paul", "Richard", "Robert", "Simon", "Stephen", "Benjamin",
          "Samuel", "Jonathan", "Adam", "Oliver", "William", "Joseph", "Luke", "Ryan",
          "Gareth", "Craig", "Stuart", "Ian", "Neil", "Alastair", "Callum", "Rhys", "Owen",
          "Ciarán", "Liam", "Sean", "Jack", "Harry", "George", "Peter", "Martin", "Graham",
          "Darren", "Dylan", "Hamish"),
    family=("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
            "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker",
            "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke",
            "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris",
            "Moore", "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Phillips",
            "Watson", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
            "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
            "Murphy", "Miller", "Cox", "Marshall", "Simpson", "Ellis", "Adams", "Wilkinson",
            "Foster", "Chapman", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell",
            "MacDonald", "Fraser", "Reid", "Stewart", "O'Brien", "O'Connor", "Gallagher",
            "Doherty", "Byrne", "Quinn", "Llewellyn", "Pritchard", "Jenkins", "Fletcher",
            "Holmes", "Lloyd", "Barnes", "Knight", "Pearson", "Atkinson", "Dawson",
            "Whitehead", "Hargreaves", "Booth", "Fisher", "Hartley", "Ashworth",
            "Sutcliffe", "Fox", "Lamb", "Sharpe", "Mann", "Payne"),
)

_PAKISTANI_AND_BANGLADESHI = NamePool(
    weight=5,
    female=("Aisha", "Fatima", "Sana", "Nadia", "Ayesha", "Shabana", "Rukhsana", "Farah",
            "Zainab", "Amina", "Shazia", "Sadia", "Tahmina", "Nasreen", "Mariam", "Hina",
            "Sumaiya", "Rabia"),
    male=("Mohammed", "Imran", "Amir", "Zain", "Hamza", "Bilal", "Usman", "Asif", "Tariq",
          "Faisal", "Kamran", "Rizwan", "Sajid", "Shahid", "Ibrahim", "Yusuf", "Adnan",
          "Shahed"),
    family=("Khan", "Ahmed", "Hussain", "Ali", "Iqbal", "Akhtar", "Chowdhury", "Rahman",
            "Islam", "Uddin", "Miah", "Malik", "Qureshi", "Mahmood", "Javed", "Rashid",
            "Siddiqui", "Bhatti", "Shah"),
)

_INDIAN = NamePool(
    weight=5,
    female=("Priya", "Anjali", "Simran", "Harpreet", "Nisha", "Pooja", "Sunita", "Rupinder",
            "Kiran", "Meera", "Divya", "Anita", "Jaspreet", "Neha"),
    male=("Arjun", "Rajesh", "Sanjay", "Vikram", "Harjit", "Gurpreet", "Manjit", "Sunil",
          "Ravi", "Nikhil", "Rohan", "Jaspal", "Amit", "Deepak"),
    family=("Patel", "Singh", "Sharma", "Gupta", "Mistry", "Parmar", "Chauhan", "Sandhu",
            "Gill", "Dhillon", "Bains", "Desai", "Joshi", "Kumar", "Mehta", "Shah"),
)

_WEST_AFRICAN = NamePool(
    weight=3,
    female=("Abena", "Adaeze", "Chioma", "Ngozi", "Funmilayo", "Yetunde", "Blessing",
            "Abimbola", "Folake", "Akosua", "Ama", "Grace", "Esther"),
    male=("Kwame", "Kofi", "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Femi", "Adebayo",
          "Segun", "Kwabena", "Yaw", "Samuel", "Joshua"),
    family=("Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Owusu", "Asante", "Okoye",
            "Nwosu", "Eze", "Obi", "Ogunleye", "Balogun", "Oyelaran"),
)

_CARIBBEAN = NamePool(
    weight=2,
    female=("Shanice", "Tanisha", "Keisha", "Marcia", "Jade", "Simone", "Nia", "Sharon",
            "Paulette", "Jasmine"),
    male=("Marcus", "Andre", "Tyrone", "Delroy", "Jermaine", "Leon", "Nathaniel", "Winston",
          "Errol", "Dwayne"),
    family=("Campbell", "Francis", "Henry", "Grant", "Gordon", "Daley", "Walters", "Williams",
            "Brown", "Clarke", "Reid", "Morgan", "Bailey"),
)

_SOMALI = NamePool(
    weight=1,
    female=("Hodan", "Amal", "Ayan", "Fadumo", "Hibo", "Nasra"),
    male=("Abdirahman", "Mohamed", "Ahmed", "Yusuf", "Liban", "Mustafa"),
    family=("Abdi", "Hassan", "Farah", "Ali", "Osman", "Warsame", "Jama", "Omar"),
)

_POLISH = NamePool(
    weight=3,
    female=("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Ewa", "Monika", "Aleksandra",
            "Marta"),
    male=("Piotr", "Tomasz", "Krzysztof", "Marek", "Jakub", "Mateusz", "Bartosz"),
    # Surnames that do not change form between men and women.
    family=("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Kaczmarek", "Zając",
            "Król", "Wieczorek", "Jankowiak"),
)

_ROMANIAN = NamePool(
    weight=1,
    female=("Ioana", "Elena", "Andreea", "Alina", "Mihaela"),
    male=("Andrei", "Mihai", "Alexandru", "Ionuț", "Cristian"),
    family=("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Constantin"),
)

_ITALIAN = NamePool(
    weight=1,
    female=("Giulia", "Francesca", "Chiara", "Sofia"),
    male=("Luca", "Marco", "Giovanni", "Alessandro"),
    family=("Rossi", "Russo", "Bianchi", "Esposito", "Romano", "Ricci"),
)

_PORTUGUESE = NamePool(
    weight=1,
    female=("Ana", "Inês", "Beatriz", "Mariana"),
    male=("Pedro", "Tiago", "João", "Rui"),
    family=("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira"),
)

_CHINESE = NamePool(
    weight=2,
    female=("Mei", "Jing", "Xiaoling", "Michelle", "Vivian", "Ling", "Joyce", "Hui"),
    male=("Wei", "Jun", "Hao", "Kevin", "Jason", "Eric", "Ming", "Tao", "Jian", "Vincent"),
    family=("Chen", "Wong", "Li", "Zhang", "Wang", "Liu", "Lam", "Chan", "Cheung", "Ng",
            "Ho", "Yeung", "Tang"),
)

_VIETNAMESE = NamePool(
    weight=1,
    female=("Linh", "Thuy", "Hoa", "Lan"),
    male=("Minh", "Duc", "Quang", "Tuan"),
    family=("Nguyen", "Tran", "Pham", "Le", "Hoang"),
)

NAME_POOLS = (_BRITISH_AND_IRISH, _PAKISTANI_AND_BANGLADESHI, _INDIAN, _WEST_AFRICAN,
              _CARIBBEAN, _SOMALI, _POLISH, _ROMANIAN, _ITALIAN, _PORTUGUESE, _CHINESE,
              _VIETNAMESE)

# Share of people whose family name comes from a different pool to their given name.
MIXED_FAMILY_NAME_SHARE = 0.08


class NamePicker:
    """Draws plausible names, avoiding repeated full names so demo users are
    easy to tell apart."""

    _ATTEMPTS = 50

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[tuple[str, str]] = set()

    def pick(self, female_share: float) -> tuple[str, str]:
        for _ in range(self._ATTEMPTS):
            name = self._draw(female_share)
            given, family = name
            if name not in self._used and given != family:
                break
        self._used.add(name)
        return name

    def _draw(self, female_share: float) -> tuple[str, str]:
        rng = self._rng
        pool = rng.choices(NAME_POOLS, weights=[p.weight for p in NAME_POOLS])[0]
        given = rng.choice(pool.female if rng.random() < female_share else pool.male)
        family_pool = rng.choice(NAME_POOLS) if rng.random() < MIXED_FAMILY_NAME_SHARE else pool
        return given, rng.choice(family_pool.family)


def email_safe(text: str) -> str:
    """'Siân' -> 'sian', "O'Brien" -> 'obrien': plain ASCII for an address."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-").strip("-")


def unique_email(given_name: str, family_name: str, taken: set[str]) -> str:
    """Initial-dot-surname as schools usually do, then fuller forms on a clash."""
    given, family = email_safe(given_name), email_safe(family_name)
    candidates = [f"{given[:1]}.{family}", f"{given}.{family}"]
    number = 2
    while True:
        for local_part in candidates:
            address = f"{local_part}@{EMAIL_DOMAIN}"
            if address not in taken:
                taken.add(address)
                return address
        candidates = [f"{given[:1]}.{family}{number}"]
        number += 1