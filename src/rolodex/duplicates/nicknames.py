"""Given names and their usual short forms, as data: Bob is Robert, Liz is Elizabeth.

Each line is a formal name and the short forms people file it under. A short form may
belong to several names (Alex: Alexander, Alexandra), so two given names are "the same
name" when they share a formal name (`same_given`). Folded (names.fold) before use.
"""

from __future__ import annotations

from functools import cache

_TABLE = """
abigail: abby gail
albert: al bert bertie
alexander: alex alec sasha sandy xander
alexandra: alex sandra sasha lexi
alfred: al alfie fred
andrew: andy drew
angela: angie
anthony: tony
antonio: toni tono
barbara: barb babs
benjamin: ben benny benji
catherine: cathy kate katie cat kathy
katherine: kathy kate katie kat
christopher: chris kit topher
christine: chris chrissy tina
daniel: dan danny
david: dave davy
deborah: debbie deb
dolores: lola
donald: don donny
dorothy: dot dottie
edward: ed eddie ted ned
elizabeth: liz lizzie beth betty eliza libby lisa bess
emily: em emmy
eugene: gene
francis: frank fran
francisco: paco pancho frank
frederick: fred freddie
gabriel: gabe
gerald: gerry jerry
gregory: greg
guillermo: memo
harold: harry hal
henry: harry hank
isabel: isa bel bella
jacob: jake
james: jim jimmy jamie
jennifer: jen jenny
jessica: jess jessie
john: jack johnny jon
jonathan: jon jonny
joseph: joe joey
jose: pepe
josef: sepp
johannes: hans
joshua: josh
katarzyna: kasia
kenneth: ken kenny
lawrence: larry
leonard: leo len lenny
malgorzata: gosia
margaret: maggie meg peggy marge
matthew: matt
maximilian: max
maxwell: max
michael: mike mikey mick
nathaniel: nate nat
olivia: liv livvy
nicholas: nick nicky
patricia: pat patty trish
patrick: pat paddy
peter: pete
philip: phil
rebecca: becky becca
richard: rick rich dick richie
robert: bob bobby rob robbie bert
ronald: ron ronnie
samuel: sam sammy
sarah: sally sadie
samantha: sam sammie
stephen: steve
steven: steve
susan: sue susie
theodore: ted teddy theo
thomas: tom tommy
timothy: tim timmy
victoria: vicky tori
william: bill billy will willy liam
wojciech: wojtek
zachary: zach zack
"""


def _parse() -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = {}
    for line in _TABLE.strip().splitlines():
        formal, _, shorts = line.partition(":")
        for name in (formal.strip(), *shorts.split()):
            forms.setdefault(name, set()).add(formal.strip())
    return {name: frozenset(formals) for name, formals in forms.items()}


FORMAL_NAMES = _parse()


@cache
def formal_names(given: str) -> frozenset[str]:
    """The formal names a folded given name may stand for (itself when it is in none)."""
    return FORMAL_NAMES.get(given, frozenset((given,)))


def same_given(a: str, b: str) -> bool:
    """Whether two folded given names are one name, or one a short form of the other."""
    return a == b or bool(formal_names(a) & formal_names(b))


def first_formal(given: str) -> str:
    """One formal name for a folded given name: the blocking keys' spelling of it."""
    return min(formal_names(given))
