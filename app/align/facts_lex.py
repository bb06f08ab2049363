"""Word lists for the changed-facts detector (``app.align.facts``).

All entries are lower case. Lists hold comparison forms where noted (``normalise``'d:
light-stemmed, as produced by ``app.align.facts._norm``); otherwise surface words.
"""

from __future__ import annotations

# Function words: never a name on their own, never the content of a name or source.
STOP = frozenset("""
a an the of and or but nor for in on at to by with from as into onto upon about over under after
before since until till while during through across against among between within without off out
up down via per than then so such too very also just only even still yet again ever not no yes
it its it's this that these those there here where when why how what which who whom whose
he she they we i you me him her them us my your his their our its mine yours hers ours theirs
himself herself itself themselves ourselves myself yourself one's
is are was were be been being am has have had having do does did doing done will would shall
should can could may might must ought
if else all any some each every both either neither more most many much few fewer less least
other another same own such several lot lots plenty
mr mrs ms miss dr st
however meanwhile moreover furthermore therefore thus hence instead indeed also perhaps
now today yesterday tomorrow tonight
""".split())

PRONOUNS = frozenset("""
he she they we i you it him her them us me his hers their theirs our ours its my mine your yours
who whom whose which that this these those someone somebody anyone anybody everyone everybody
one
""".split())

# Possessive determiners by number, for sources such as "according to their ministries".
POSSESSIVE_SINGULAR = frozenset("its his her my".split())
POSSESSIVE_PLURAL = frozenset("their our".split())

DETERMINERS = frozenset("the a an".split())

# Words that may sit inside a multi-word name between capitalised words.
CONNECTORS = frozenset("of and for the de del della di da la le du van von der den y & on".split())

# Titles, offices and ranks (surface, lower case, dots removed): they belong to the name
# they precede, and a changed title is a changed fact.
TITLES = frozenset("""
president vice prime minister secretary senator sen representative rep congressman congresswoman
congressperson governor gov mayor councillor councilor councilman councilwoman councilmember
alderman chair chairman chairwoman chairperson spokesperson spokesman spokeswoman director
chief executive ceo cfo coo cto chancellor premier king queen prince princess duke duchess lord
lady pope cardinal bishop archbishop rabbi imam reverend rev judge justice magistrate prosecutor
attorney solicitor barrister commissioner ambassador envoy consul deputy acting assistant associate
general attorney-general sheriff constable inspector superintendent detective officer commander
colonel col lieutenant lt major maj captain capt sergeant sgt corporal cpl private admiral marshal
general gen brigadier professor prof dr doctor mp mep msp mla speaker leader head founder
manager managing treasurer comptroller auditor registrar trustee president-elect dean provost
principal headteacher headmaster headmistress coach mr mrs ms head boss official
""".split())

# Generic words a paraphrase may put for a specific title without changing who is meant.
GENERIC_TITLES = frozenset("head leader boss official".split())

# Words that make a capitalised sequence an institution or body (normalised forms are
# checked by prefix: 'department' covers 'departments').
INSTITUTIONS = frozenset("""
department ministry ministries office congress parliament senate house assembly council committee
commission court tribunal agency bureau authority board trust foundation institute institution
university college school hospital clinic union party government cabinet administration
police army navy force forces service services corps command regiment embassy consulate
secretariat federation association society league group company corporation corp inc ltd plc
bank fund organisation organization coalition alliance network newspaper journal gazette herald
tribune radio television
""".split())

# Speech and attribution verbs (normalised forms).
SPEECH_VERBS = frozenset("""
said say says told tell tells added add adds stated state states declared declare declares
claimed claim claims explained explain explains insisted insist insists wrote write writes
noted note notes announced announce announces continued continue continues argued argue argues
warned warn warns asked ask asks confirmed confirm confirms commented comment comments
remarked remark remarks replied reply replies acknowledged acknowledge acknowledges admitted
admit admits reported report reports tweeted tweet tweets posted
""".split())

# Explicit negation cues (surface, lower case, apostrophes unified to ').
NEGATIONS = frozenset("""
not no never without none nor neither nobody nothing nowhere cannot
""".split())

# Words that carry a negative sense a paraphrase may use instead of an explicit cue; they
# cancel a missing cue on the other side but never trigger a change themselves.
NEGATIVE_WORDS = frozenset("""
fail fails failed failing refuse refuses refused refusing deny denies denied denying reject
rejects rejected rejecting decline declines declined declining lack lacks lacked lacking unable
absent absence neither hardly barely scarcely little few rarely seldom ignore ignored ignores
avoid avoided avoids omit omitted stop stopped halt halted cease ceased prevent prevented ban
banned forbid forbade forbidden instead rather against dismiss dismissed dismisses
""".split())

LOCATIVE = frozenset("in to at from near across towards toward outside inside into via around "
                     "throughout within between".split())

DIRECTIONS = {
    "north": "north", "northern": "north", "south": "south", "southern": "south",
    "east": "east", "eastern": "east", "west": "west", "western": "west",
    "northeast": "northeast", "north-east": "northeast", "northeastern": "northeast",
    "northwest": "northwest", "north-west": "northwest", "northwestern": "northwest",
    "southeast": "southeast", "south-east": "southeast", "southeastern": "southeast",
    "southwest": "southwest", "south-west": "southwest", "southwestern": "southwest",
    "upstream": "upstream", "downstream": "downstream",
}

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}

WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6,
    "sat": 6, "sunday": 7, "sun": 7,
}

SEASONS = {
    "spring": "spring", "springtime": "spring", "summer": "summer", "summertime": "summer",
    "autumn": "autumn", "winter": "winter", "wintertime": "winter",
}

RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}

# Abbreviated scales after a figure: only with a currency sign ("£14.2m"; "100m" is metres).
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
                "b": 1_000_000_000, "tn": 1_000_000_000_000, "tr": 1_000_000_000_000}

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}

# Sentence-final abbreviations that do not end a sentence (surface, lower case, no dot).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof rep sen gov lt col gen maj capt sgt st jr sr mt ft no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec rev hon cpl adm det insp supt".split()
)

# Variants of one title compared as equal (gendered forms and abbreviations), after
# dots are dropped and before stemming.
TITLE_CANON = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson",
    "chairman": "chair", "chairwoman": "chair", "chairperson": "chair",
    "councilman": "councillor", "councilwoman": "councillor", "councilor": "councillor",
    "councilmember": "councillor", "congresswoman": "congressman", "congressperson": "congressman",
    "headmaster": "headteacher", "headmistress": "headteacher",
    "rep": "representative", "sen": "senator", "gov": "governor", "lt": "lieutenant",
    "col": "colonel", "gen": "general", "capt": "captain", "sgt": "sergeant", "prof": "professor",
    "dr": "doctor", "maj": "major", "cpl": "corporal", "rev": "reverend", "det": "detective",
    "insp": "inspector", "supt": "superintendent", "adm": "admiral", "pres": "president",
}

DEMONYM_SUFFIXES = ("n", "an", "ian", "ean", "ese", "ish", "i", "al", "ional")

# Nouns that make the name before them (or containing them) a place.
PLACE_WORDS = frozenset("""
street st road rd avenue ave lane square park bridge river valley estate county city town village
island islands district province region harbour harbor port bay lake loch mountain mountains
airport quay wharf beach coast forest moor heath crescent drive terrace boulevard canal estuary
peninsula highlands borough parish suburb suburbs
""".split())

# Verbs after a sentence's subject that make it a speaker ("Pritchard congratulated her and
# said ..."): the speech verbs plus these.
SUBJECT_VERBS = frozenset("""
congratulated welcomed praised criticised criticized condemned blamed accused urged called
thanked described insisted
""".split())
