"""A seeded generator of realistic contacts, as JSON lines of `contactData`.

Names from many cultures (with their accents), several emails and phones in mixed
national and international formats, companies, addresses and notes: about the size and
shape of real address-book entries. The same seed always gives the same contacts.

    python -m bench.generate --count 100000 --seed 7 > contacts.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

import orjson

GIVEN = {
    "es": [
        "José",
        "María",
        "Lucía",
        "Álvaro",
        "Inés",
        "Sofía",
        "Martín",
        "Ramón",
        "Begoña",
        "Íñigo",
    ],
    "fr": [
        "Amélie",
        "Hélène",
        "François",
        "Loïc",
        "Zoë",
        "Théo",
        "Élodie",
        "Jérôme",
        "Noël",
        "Gaëlle",
    ],
    "de": [
        "Jürgen",
        "Jörg",
        "Käthe",
        "Günter",
        "Lena",
        "Maximilian",
        "Sören",
        "Anneliese",
        "Uwe",
        "Björn",
    ],
    "pl": [
        "Łukasz",
        "Małgorzata",
        "Wojciech",
        "Zofia",
        "Paweł",
        "Agnieszka",
        "Bartłomiej",
        "Żaneta",
    ],
    "vi": ["Nguyễn Minh", "Thảo", "Phương", "Đức", "Huỳnh", "Quỳnh", "Tuấn", "Hương"],
    "cn": ["Wei", "Xiaoming", "Jing", "Li Na", "Hao", "Mei", "Zhang Wei", "Yan"],
    "jp": ["Haruto", "Yui", "Sōta", "Aoi", "Ren", "Hina", "Yūki", "Kenji"],
    "in": ["Aarav", "Priya", "Vihaan", "Ananya", "Rohan", "Saanvi", "Arjun", "Diya"],
    "ar": ["Omar", "Layla", "Youssef", "Fatima", "Karim", "Noor", "Hassan", "Amira"],
    "ng": ["Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Funmilayo", "Tunde", "Chiamaka"],
    "tr": ["Çağlar", "Gülşen", "Ömer", "Şebnem", "İlker", "Özge", "Barış", "Ayşe"],  # noqa: RUF001 (Turkish dotless i)
    "nord": ["Åsa", "Øystein", "Sigríður", "Ærle", "Björk", "Magnús", "Ingrid", "Eiríkur"],
    "en": [
        "John",
        "Emily",
        "Michael",
        "Sarah",
        "David",
        "Jessica",
        "Chris",
        "Olivia",
        "James",
        "Emma",
    ],
}
FAMILY = {
    "es": ["García", "Núñez", "Muñoz", "Pérez", "Domínguez", "Jiménez", "Ibáñez", "Rodríguez"],
    "fr": ["Lefèvre", "Dubois", "Béranger", "Gauthier", "Mercier", "Brûlé", "Lemaître", "Château"],
    "de": ["Müller", "Schröder", "Weiß", "Großmann", "Köhler", "Schäfer", "Böhm", "Fuchs"],
    "pl": ["Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska"],
    "vi": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"],
    "cn": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao"],
    "jp": ["Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Yamamoto", "Nakamura"],
    "in": ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Chatterjee", "Singh"],
    "ar": ["Haddad", "Al-Sayed", "Mansour", "Khalil", "Nasser", "Farouk", "Saleh", "Aziz"],
    "ng": ["Okafor", "Adeyemi", "Eze", "Balogun", "Nwosu", "Okonkwo", "Adebayo", "Obi"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan"],  # noqa: RUF001 (Turkish dotless i)
    "nord": [
        "Johansson",
        "Sørensen",
        "Björnsdóttir",
        "Lindqvist",
        "Håkansson",
        "Ólafsson",
        "Nyström",
    ],
    "en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor"],
}
COMPANIES = [
    "Contacts+",
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Ltd",
    "Müller & Söhne GmbH",
    "Société Générale",
    "Tata Consultancy",
    "Nippon Denki",
    "Banco Bilbao",
    "Wayne Enterprises",
    "Stark Industries",
    "Hooli",
    "Pied Piper",
    "Vandelay Industries",
    "Dunder Mifflin",
    "Øresund Shipping",
    "Şişecam",
    "Đông Á Bank",
    "Zürich Versicherung",
]
TITLES = [
    "Engineer",
    "Senior Developer",
    "Product Manager",
    "Sales Director",
    "CEO",
    "CTO",
    "Accountant",
    "Designer",
    "Consultant",
    "Nurse",
    "Teacher",
    "Architect",
    "Lawyer",
    "Marketing Lead",
    "Support Specialist",
    "Data Scientist",
    "Chef",
    "Pharmacist",
]
DEPARTMENTS = ["R&D", "Sales", "Finance", "Operations", "Legal", "Marketing", "IT", "HR"]
# (country code, city, region, postal code pattern, phone formats: national, international)
PLACES = [
    ("US", "San Francisco", "CA", "941##", ["(415) ###-####", "415.###.####", "+1 415 ### ####"]),
    ("US", "New York", "NY", "100##", ["(212) ###-####", "212-###-####", "+1-212-###-####"]),
    ("GB", "London", "", "SW1A #AA", ["020 7### ####", "+44 20 7### ####"]),
    ("DE", "München", "Bayern", "80###", ["089 #######", "+49 89 #######"]),
    ("FR", "Paris", "Île-de-France", "750##", ["01 ## ## ## ##", "+33 1 ## ## ## ##"]),
    ("ES", "Sevilla", "Andalucía", "410##", ["954 ## ## ##", "+34 954 ######"]),
    ("IN", "Bengaluru", "Karnataka", "5600##", ["080 ########", "+91 80 #### ####"]),
    ("BR", "São Paulo", "SP", "01###-###", ["(11) 9####-####", "+55 11 9#### ####"]),
    ("JP", "Tōkyō", "", "1##-####", ["03-####-####", "+81 3 #### ####"]),
    ("VN", "Hà Nội", "", "100000", ["024 #### ####", "+84 24 #### ####"]),
    ("NG", "Lagos", "", "1000##", ["0803 ### ####", "+234 803 ### ####"]),
    ("TR", "İstanbul", "", "34###", ["0212 ### ## ##", "+90 212 ### ## ##"]),
]
STREETS = [
    "Main St",
    "Calle Mayor",
    "Rue de la Paix",
    "Hauptstraße",
    "Nguyễn Huệ",
    "Baker Street",
    "Avenida Paulista",
    "Ginza Dōri",
    "MG Road",
    "İstiklal Caddesi",
    "Storgatan",
    "Market St",
]
NOTE_WORDS = [
    "met at the conference about distributed systems",
    "prefers email",
    "follow up in spring",
    "introduced by a mutual friend",
    "birthday dinner",
    "owes me a coffee",
    "speaks three languages",
    "interested in the enterprise plan",
    "call after lunch",
    "vegetarian",
    "loves hiking",
]
EMAIL_DOMAINS = ["example.com", "mail.example", "correo.example", "post.example", "firma.example"]


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def fill(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)


def contact(rng: random.Random, index: int) -> dict[str, Any]:
    culture = rng.choice(list(GIVEN))
    given, family = rng.choice(GIVEN[culture]), rng.choice(FAMILY[culture])
    country, city, region, postal, phone_formats = rng.choice(PLACES)
    handle = f"{ascii_fold(given).replace(' ', '.')}.{ascii_fold(family).replace(' ', '')}{index}"
    data: dict[str, Any] = {
        "name": {"givenName": given, "familyName": family},
        "displayName": f"{given} {family}",
        "emails": [{"type": "work", "value": f"{handle}@{rng.choice(EMAIL_DOMAINS)}"}],
        "phoneNumbers": [{"type": "mobile", "value": fill(rng.choice(phone_formats), rng)}],
    }
    if rng.random() < 0.6:
        data["emails"].append(
            {"type": "home", "value": f"{handle[:12]}{rng.randint(1, 99)}@home.example"}
        )
    if rng.random() < 0.5:
        data["phoneNumbers"].append(
            {"type": rng.choice(["work", "home"]), "value": fill(rng.choice(phone_formats), rng)}
        )
    if rng.random() < 0.75:
        data["organizations"] = [
            {
                "name": rng.choice(COMPANIES),
                "title": rng.choice(TITLES),
                "department": rng.choice(DEPARTMENTS),
            }
        ]
    if rng.random() < 0.6:
        address = {
            "type": "home",
            "street": f"{rng.randint(1, 400)} {rng.choice(STREETS)}",
            "city": city,
            "postalCode": fill(postal, rng),
            "country": country,
        }
        if region:
            address["region"] = region
        data["addresses"] = [address]
    if rng.random() < 0.4:
        data["notes"] = ". ".join(rng.sample(NOTE_WORDS, rng.randint(1, 4))).capitalize() + "."
    if rng.random() < 0.3:
        data["birthday"] = {
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "year": rng.randint(1950, 2005),
        }
    if rng.random() < 0.2:
        data["urls"] = [{"type": "profile", "value": f"https://social.example/{handle}"}]
    return data


def contacts(count: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for index in range(count):
        yield contact(rng, index)


def write_jsonl(path: str, count: int, seed: int) -> None:
    with open(path, "wb") as out:
        for data in contacts(count, seed):
            out.write(orjson.dumps(data) + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for data in contacts(args.count, args.seed):
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")


if __name__ == "__main__":
    main()
