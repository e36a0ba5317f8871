"""Synthetic places and people: estates, streets, postcodes, households and their contacts.

Phone numbers come from Ofcom's ranges reserved for drama (mobile 07700 900000-900999,
London 020 7946 0000-0999) and email addresses from the RFC 2606 example domains, so a
simulator-driven SMS or email can never reach a real person.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from uh_gateway.domain.codes import LEASEHOLD_PATCHES, RENT_PATCHES
from uh_gateway.simulator.model import Household, Member, Place
from uh_gateway.simulator.names import (
    BLOCK_KINDS,
    BLOCK_STEMS,
    COMPANY_LESSEES,
    FEMALE_FORENAMES,
    INTERNATIONAL_CORRESPONDENCE,
    MALE_FORENAMES,
    STREETS,
    SURNAMES,
    UK_CORRESPONDENCE,
)

# Letters allowed in the inward part of a UK postcode (never C, I, K, M, O or V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EAST_DISTRICTS = frozenset({"E2", "E5", "E8", "E9"})
EAST_PATCHES = sorted(code for code in RENT_PATCHES if code.startswith("E"))
WEST_PATCHES = sorted(code for code in RENT_PATCHES if code.startswith("W"))
SERVICE_CHARGE_PATCHES = sorted(LEASEHOLD_PATCHES)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
# Blocks of 20-80 flats and postcodes of 20 houses, smaller in small builds so that even the
# test profile spreads over every patch.
MAX_FLATS_PER_BLOCK = 80
MAX_HOUSES_PER_POSTCODE = 20


@dataclass(frozen=True, slots=True)
class PostcodeLines:
    aline1: str
    aline2: str
    aline3: str
    aline4: str


@dataclass(slots=True)
class Places:
    """The addresses handed out to rent and leasehold properties, and every postcode used."""

    rent: list[Place]
    leasehold: list[Place]
    postcodes: dict[str, PostcodeLines] = field(default_factory=dict)


class PopulationBuilder:
    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self._rng = rng
        self._as_of = as_of
        self._used_postcodes: set[str] = set()
        self.postcodes: dict[str, PostcodeLines] = {}
        self._block_names = self._all_block_names()
        self._person_serial = 0
        self._correspondence_count = 0

    # Places -------------------------------------------------------------------------------

    def places(self, rent_count: int, leasehold_count: int) -> Places:
        """Addresses for the rent and leasehold properties. Most leaseholders bought flats on
        estates under right to buy, so estates mix rent and leasehold flats."""
        rng = self._rng
        rent_flats = round(rent_count * 0.65)
        leasehold_flats = round(leasehold_count * 0.85)
        flats = self._estate_flats(rent_flats + leasehold_flats)
        houses = self._street_houses(rent_count - rent_flats + leasehold_count - leasehold_flats)
        rng.shuffle(flats)
        rng.shuffle(houses)
        rent = flats[:rent_flats] + houses[: rent_count - rent_flats]
        leasehold = flats[rent_flats:] + houses[rent_count - rent_flats :]
        rng.shuffle(rent)
        rng.shuffle(leasehold)
        return Places(rent=rent, leasehold=leasehold, postcodes=self.postcodes)

    def _all_block_names(self) -> list[str]:
        stems = list(BLOCK_STEMS) + [name for name in SURNAMES if " " not in name]
        names = [f"{stem} {kind}" for stem in stems for kind in BLOCK_KINDS]
        self._rng.shuffle(names)
        return names

    def _block_name(self, number: int) -> str:
        names = self._block_names
        round_, index = divmod(number, len(names))
        suffixes = ("", " North", " South", " East", " West", " Upper", " Lower")
        return (
            names[index] + suffixes[round_ % len(suffixes)] + ("" if round_ < 7 else f" {round_}")
        )

    def _estate_flats(self, count: int) -> list[Place]:
        rng = self._rng
        flats: list[Place] = []
        block_number = 0
        largest = min(MAX_FLATS_PER_BLOCK, max(8, count // 40))
        while len(flats) < count:
            street, district = rng.choice(STREETS)
            name = self._block_name(block_number)
            block_number += 1
            postcode = self._new_postcode(district, street)
            rent_patch, leasehold_patch = self._patches(district)
            major_ref = f"{90_000_000 + block_number:08d}"
            for flat in range(1, rng.randint(largest // 4, largest) + 1):
                preamble = f"Flat {flat} {name}"
                short = f"{preamble}, {street}"
                flats.append(
                    Place(
                        short_address=short,
                        address1=f"{short}, Hackney",
                        post_code=postcode,
                        preamble=preamble,
                        desig="",
                        street=street,
                        estate=True,
                        major_ref=major_ref,
                        rent_patch=rent_patch,
                        leasehold_patch=leasehold_patch,
                    )
                )
        return flats[:count]

    def _street_houses(self, count: int) -> list[Place]:
        rng = self._rng
        houses: list[Place] = []
        next_number = dict.fromkeys((street for street, _ in STREETS), 1)
        per_postcode = min(MAX_HOUSES_PER_POSTCODE, max(4, count // 40))
        while len(houses) < count:
            street, district = rng.choice(STREETS)
            first = next_number[street]
            next_number[street] = first + per_postcode
            postcode = self._new_postcode(district, street)
            patches = self._patches(district)
            for number in range(first, first + per_postcode):
                door = str(number) + ("A" if rng.random() < 0.05 else "")
                short = f"{door} {street}"
                houses.append(
                    Place(
                        short_address=short,
                        address1=f"{short}, Hackney",
                        post_code=postcode,
                        preamble="",
                        desig=door,
                        street=street,
                        estate=False,
                        major_ref="",
                        rent_patch=patches[0],
                        leasehold_patch=patches[1],
                    )
                )
        return houses[:count]

    def _patches(self, district: str) -> tuple[str, str]:
        rent_patches = EAST_PATCHES if district in EAST_DISTRICTS else WEST_PATCHES
        return self._rng.choice(rent_patches), self._rng.choice(SERVICE_CHARGE_PATCHES)

    def _new_postcode(self, district: str, street: str) -> str:
        rng = self._rng
        while True:
            inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            postcode = f"{district} {inward}"
            if postcode not in self._used_postcodes:
                self._used_postcodes.add(postcode)
                self.postcodes[postcode] = PostcodeLines(street, "Hackney", "London", "")
                return postcode

    def correspondence_address(self, hackney: Place | None) -> tuple[str, str, str]:
        """(preamble, desig, postcode) of a leaseholder who lives elsewhere: mostly elsewhere in
        the UK, sometimes abroad (a postcode that is not a UK postcode), sometimes another
        Hackney address. The first two are always abroad, so even a small build exercises
        the "international" letter path."""
        rng = self._rng
        self._correspondence_count += 1
        draw = 0.2 if self._correspondence_count <= 2 else rng.random()
        if draw < 0.15 and hackney is not None:
            return hackney.preamble, hackney.desig, hackney.post_code
        if draw < 0.30:
            street, city, country, postcode = rng.choice(INTERNATIONAL_CORRESPONDENCE)
            self.postcodes[postcode] = PostcodeLines(street, city, country, "")
            return "", str(rng.randint(1, 200)), postcode
        street, town, postcode = rng.choice(UK_CORRESPONDENCE)
        self.postcodes[postcode] = PostcodeLines(street, town, "", "")
        preamble = f"Flat {rng.randint(1, 30)}" if rng.random() < 0.4 else ""
        return preamble, str(rng.randint(1, 300)), postcode

    # People -------------------------------------------------------------------------------

    def household(self, house_ref: str, *, leasehold: bool) -> Household:
        rng = self._rng
        joint = rng.random() < 0.15
        first = self._adult(rng.random() < 0.5, responsible=True, relationship="A")
        people = [first]
        if joint:
            second = self._adult(rng.random() < 0.5, responsible=True, relationship="B")
            if rng.random() < 0.6:
                second.surname = first.surname
            people.append(second)
        others: list[Member] = []
        if rng.random() < (0.15 if leasehold else 0.4):
            for _ in range(rng.randint(1, 3)):
                others.append(self._child())
        if rng.random() < 0.1:
            relative = self._adult(rng.random() < 0.5, responsible=False, relationship="E")
            others.append(relative)
        if not joint and rng.random() < 0.05:
            others.append(self._adult(rng.random() < 0.5, responsible=False, relationship="C"))
        # UH lists a household's members in person_no order and income letters took the
        # first row, not the responsible one (universal-housing.md §8): keep a few households
        # whose first member is not the tenant so that trap stays visible.
        members = (
            others[:1] + people + others[1:] if others and rng.random() < 0.03 else people + others
        )
        for number, member in enumerate(members, start=1):
            member.person_no = number
        if leasehold and rng.random() < 0.02:
            description = rng.choice(COMPANY_LESSEES)
        else:
            description = self._house_desc(people)
        mobile, mobile_e164 = self._mobile()
        return Household(
            house_ref=house_ref,
            members=members,
            house_desc=description,
            joint=joint,
            mobile=mobile,
            mobile_e164=mobile_e164,
            landline=self._landline() if rng.random() < 0.45 else "",
            work_phone=self._landline() if rng.random() < 0.1 else "",
            email=self._email(first),
            second_mobile=self._mobile()[0] if joint and rng.random() < 0.5 else "",
        )

    @staticmethod
    def _house_desc(people: list[Member]) -> str:
        description = " & ".join(person.full_name for person in people)
        if len(description) <= 73:
            return description
        return " & ".join(f"{p.title} {p.forename[0]} {p.surname}" for p in people)[:73]

    def _adult(self, female: bool, *, responsible: bool, relationship: str) -> Member:
        rng = self._rng
        age = min(95, max(18, int(rng.gauss(48, 16))))
        return self._member(female, age, responsible=responsible, relationship=relationship)

    def _child(self) -> Member:
        return self._member(
            self._rng.random() < 0.5, self._rng.randint(0, 17), responsible=False, relationship="D"
        )

    def _member(self, female: bool, age: int, *, responsible: bool, relationship: str) -> Member:
        rng = self._rng
        self._person_serial += 1
        gender = "F" if female else "M"
        if age < 18:
            title = "Miss" if female else "Master"
        elif female:
            title = rng.choices(("Ms", "Mrs", "Miss", "Dr"), (40, 35, 20, 5))[0]
        else:
            title = rng.choices(("Mr", "Dr"), (95, 5))[0]
        if age >= 18 and rng.random() < 0.02:
            title, gender = "Mx", "U"
        forename = rng.choice(FEMALE_FORENAMES if female else MALE_FORENAMES)
        dob = self._as_of - dt.timedelta(days=age * 365 + rng.randrange(365))
        # "QQ" is the prefix HMRC never issues, so these cannot be anyone's NI number.
        ni_no = f"QQ{self._person_serial % 1_000_000:06d}{'ABCD'[self._person_serial % 4]}"
        return Member(
            person_no=0,
            title=title,
            forename=forename,
            surname=rng.choice(SURNAMES),
            gender=gender,
            dob=dob,
            relationship=relationship,
            responsible=responsible,
            ni_no=ni_no if age >= 16 and rng.random() < 0.8 else "",
        )

    def _mobile(self) -> tuple[str, str]:
        """(stored text, E.164 or blank). Mostly valid numbers in the many formats people type;
        some invalid, some landlines typed into the mobile field, some blank."""
        rng = self._rng
        subscriber = f"{rng.randrange(1000):03d}"
        draw = rng.random()
        if draw < 0.80:
            formats = (
                f"07700 900{subscriber}",
                f"07700900{subscriber}",
                f"+44 7700 900{subscriber}",
                f"+447700900{subscriber}",
                f"0044 7700 900 {subscriber}",
                f"(07700) 900{subscriber}",
                f"07700-900-{subscriber}",
            )
            return rng.choices(formats, (40, 25, 10, 8, 5, 6, 6))[0], f"+447700900{subscriber}"
        if draw < 0.88:
            invalid = (f"07700 90{subscriber[:2]}", "0770 0900", "123456", "N/A", "unknown")
            return rng.choice(invalid), ""
        if draw < 0.92:
            return self._landline(), ""
        return "", ""

    def _landline(self) -> str:
        rng = self._rng
        line = f"{rng.randrange(1000):03d}"
        formats = (
            f"020 7946 0{line}",
            f"0207 946 0{line}",
            f"02079460{line}",
            f"(020) 7946 0{line}",
        )
        return rng.choice(formats)

    def _email(self, person: Member) -> str:
        rng = self._rng
        draw = rng.random()
        if draw < 0.15:
            return ""
        local = "".join(
            ch for ch in f"{person.forename}.{person.surname}".lower() if ch.isalnum() or ch == "."
        )
        if draw < 0.20:
            return rng.choice((f"{local}@", f"{local}@example", "no email", f"{local}.example.com"))
        return f"{local}{rng.randrange(100)}@{rng.choice(EMAIL_DOMAINS)}"[:50]
