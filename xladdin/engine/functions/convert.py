"""CONVERT(number, from_unit, to_unit): the units of Microsoft's CONVERT page, by category,
each as its size in the category's base unit from the unit's definition (the international
foot and pound, the US survey mile, the thermochemical and IT calories ...). Unit names are
case-sensitive. Units marked metric take the decimal prefixes (km, mg, ms ...); bit and byte
also the binary ones (ki, Mi ...); an area or volume unit takes its prefix squared or cubed
(km2 is 10^6 m2). Units of different categories, or an unknown unit, give #N/A.
Temperatures convert through kelvin (an offset, not a factor).
"""

from __future__ import annotations

from ._args import NA
from ._declare import declared

_INCH = 0.0254
_FOOT = 0.3048
_MILE = 1609.344
_NAUTICAL_MILE = 1852.0
_LIGHT_YEAR = 9460730472580800.0          # Julian year × c
_PICA_POINT = _INCH / 72
_POUND = 0.45359237                       # kg
_GRAVITY = 9.80665
_POUND_FORCE = _POUND * _GRAVITY
_HORSEPOWER = 550 * _FOOT * _POUND_FORCE  # mechanical horsepower, W
_US_GALLON = 231 * _INCH ** 3
_SURVEY_FOOT = 1200 / 3937

# (name, category, size in the category's base unit, metric prefixes allowed)
_UNITS = [
    # mass, gram
    ("g", "mass", 1.0, True), ("sg", "mass", _POUND_FORCE / _FOOT * 1000, False),
    ("lbm", "mass", _POUND * 1000, False), ("u", "mass", 1.66053906660e-24, True),
    ("ozm", "mass", _POUND * 1000 / 16, False), ("grain", "mass", 0.06479891, False),
    ("cwt", "mass", 100 * _POUND * 1000, False), ("shweight", "mass", 100 * _POUND * 1000, False),
    ("uk_cwt", "mass", 112 * _POUND * 1000, False), ("lcwt", "mass", 112 * _POUND * 1000, False),
    ("hweight", "mass", 112 * _POUND * 1000, False), ("stone", "mass", 14 * _POUND * 1000, False),
    ("ton", "mass", 2000 * _POUND * 1000, False), ("uk_ton", "mass", 2240 * _POUND * 1000, False),
    ("LTON", "mass", 2240 * _POUND * 1000, False), ("brton", "mass", 2240 * _POUND * 1000, False),
    # distance, metre
    ("m", "distance", 1.0, True), ("mi", "distance", _MILE, False), ("Nmi", "distance", _NAUTICAL_MILE, False),
    ("in", "distance", _INCH, False), ("ft", "distance", _FOOT, False), ("yd", "distance", 3 * _FOOT, False),
    ("ang", "distance", 1e-10, True), ("ell", "distance", 45 * _INCH, False),
    ("ly", "distance", _LIGHT_YEAR, True), ("parsec", "distance", 3.0856775814913673e16, True),
    ("pc", "distance", 3.0856775814913673e16, True), ("Picapt", "distance", _PICA_POINT, False),
    ("Pica", "distance", _PICA_POINT, False), ("pica", "distance", _INCH / 6, False),
    ("survey_mi", "distance", 5280 * _SURVEY_FOOT, False),
    # time, second
    ("yr", "time", 365.25 * 86400, False), ("day", "time", 86400.0, False), ("d", "time", 86400.0, False),
    ("hr", "time", 3600.0, False), ("mn", "time", 60.0, False), ("min", "time", 60.0, False),
    ("sec", "time", 1.0, True), ("s", "time", 1.0, True),
    # pressure, pascal
    ("Pa", "pressure", 1.0, True), ("p", "pressure", 1.0, True), ("atm", "pressure", 101325.0, True),
    ("at", "pressure", 101325.0, True), ("mmHg", "pressure", 101325 / 760, True),
    ("psi", "pressure", _POUND_FORCE / _INCH ** 2, False), ("Torr", "pressure", 101325 / 760, False),
    # force, newton
    ("N", "force", 1.0, True), ("dyn", "force", 1e-5, True), ("dy", "force", 1e-5, True),
    ("lbf", "force", _POUND_FORCE, False), ("pond", "force", _GRAVITY / 1000, True),
    # energy, joule
    ("J", "energy", 1.0, True), ("e", "energy", 1e-7, True), ("c", "energy", 4.184, True),
    ("cal", "energy", 4.1868, True), ("eV", "energy", 1.602176634e-19, True), ("ev", "energy", 1.602176634e-19, True),
    ("HPh", "energy", _HORSEPOWER * 3600, False), ("hh", "energy", _HORSEPOWER * 3600, False),
    ("Wh", "energy", 3600.0, True), ("wh", "energy", 3600.0, True), ("flb", "energy", _FOOT * _POUND_FORCE, False),
    ("BTU", "energy", 1055.05585262, False), ("btu", "energy", 1055.05585262, False),
    # power, watt
    ("HP", "power", _HORSEPOWER, False), ("h", "power", _HORSEPOWER, False), ("PS", "power", 735.49875, False),
    ("W", "power", 1.0, True), ("w", "power", 1.0, True),
    # magnetism, tesla
    ("T", "magnetism", 1.0, True), ("ga", "magnetism", 1e-4, True),
    # volume, cubic metre
    ("tsp", "volume", _US_GALLON / 768, False), ("tspm", "volume", 5e-6, False),
    ("tbs", "volume", _US_GALLON / 256, False), ("oz", "volume", _US_GALLON / 128, False),
    ("cup", "volume", _US_GALLON / 16, False), ("pt", "volume", _US_GALLON / 8, False),
    ("us_pt", "volume", _US_GALLON / 8, False), ("uk_pt", "volume", 4.54609e-3 / 8, False),
    ("qt", "volume", _US_GALLON / 4, False), ("uk_qt", "volume", 4.54609e-3 / 4, False),
    ("gal", "volume", _US_GALLON, False), ("uk_gal", "volume", 4.54609e-3, False),
    ("l", "volume", 1e-3, True), ("L", "volume", 1e-3, True), ("lt", "volume", 1e-3, True),
    ("barrel", "volume", 42 * _US_GALLON, False), ("bushel", "volume", 2150.42 * _INCH ** 3, False),
    ("GRT", "volume", 100 * _FOOT ** 3, False), ("regton", "volume", 100 * _FOOT ** 3, False),
    ("MTON", "volume", 40 * _FOOT ** 3, False),
    # area, square metre
    ("uk_acre", "area", 4840 * (3 * _FOOT) ** 2, False), ("us_acre", "area", 43560 * _SURVEY_FOOT ** 2, False),
    ("ar", "area", 100.0, True), ("ha", "area", 10000.0, False), ("Morgen", "area", 2500.0, False),
    # information, bit
    ("bit", "information", 1.0, True), ("byte", "information", 8.0, True),
    # speed, metre per second
    ("admkn", "speed", 6080 * _FOOT / 3600, False), ("kn", "speed", _NAUTICAL_MILE / 3600, False),
    ("m/h", "speed", 1 / 3600, True), ("m/hr", "speed", 1 / 3600, True), ("m/s", "speed", 1.0, True),
    ("m/sec", "speed", 1.0, True), ("mph", "speed", _MILE / 3600, False),
]

# lengths that also make areas (x2, x^2) and volumes (x3, x^3)
_POWERED = [("m", 1.0, True), ("mi", _MILE, False), ("Nmi", _NAUTICAL_MILE, False), ("in", _INCH, False),
            ("ft", _FOOT, False), ("yd", 3 * _FOOT, False), ("ang", 1e-10, True), ("ly", _LIGHT_YEAR, False),
            ("Picapt", _PICA_POINT, False), ("Pica", _PICA_POINT, False)]
for _name, _size, _metric in _POWERED:
    for _power, _category in ((2, "area"), (3, "volume")):
        for _spelling in ("%s%d" % (_name, _power), "%s^%d" % (_name, _power)):
            _UNITS.append((_spelling, _category, _size ** _power, _metric))

UNITS = {name: (category, size, metric) for name, category, size, metric in _UNITS}
_TEMPERATURES = {"C": "C", "cel": "C", "F": "F", "fah": "F", "K": "K", "kel": "K", "Rank": "Rank", "Reau": "Reau"}

_PREFIXES = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3,
             "h": 1e2, "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9,
             "p": 1e-12, "f": 1e-15, "a": 1e-18, "z": 1e-21, "y": 1e-24}
_BINARY_PREFIXES = {"Yi": 2.0 ** 80, "Zi": 2.0 ** 70, "Ei": 2.0 ** 60, "Pi": 2.0 ** 50, "Ti": 2.0 ** 40,
                    "Gi": 2.0 ** 30, "Mi": 2.0 ** 20, "ki": 2.0 ** 10}


def _power_of(name):
    return 3 if name.endswith(("3", "^3")) else 2 if name.endswith(("2", "^2")) else 1


def _unit(text):
    """(category, size in the base unit) of a unit name with any prefix, or None."""
    if text in UNITS:
        category, size, _ = UNITS[text]
        return category, size
    for table in (_BINARY_PREFIXES, _PREFIXES):
        for prefix, factor in table.items():
            if not text.startswith(prefix) or len(text) == len(prefix):
                continue
            base = UNITS.get(text[len(prefix):])
            if base is None or not base[2]:
                continue
            if table is _BINARY_PREFIXES and base[0] != "information":
                continue
            return base[0], base[1] * factor ** _power_of(text[len(prefix):])
    return None


def _temperature(text):
    if text in _TEMPERATURES:
        return _TEMPERATURES[text], 1.0
    for prefix, factor in _PREFIXES.items():
        rest = text[len(prefix):]
        if text.startswith(prefix) and _TEMPERATURES.get(rest) == "K":
            return "K", factor
    return None


def _to_kelvin(x, scale):
    return {"C": x + 273.15, "F": (x + 459.67) * 5 / 9, "K": x, "Rank": x * 5 / 9, "Reau": x * 1.25 + 273.15}[scale]


def _from_kelvin(k, scale):
    return {"C": k - 273.15, "F": k * 9 / 5 - 459.67, "K": k, "Rank": k * 9 / 5, "Reau": (k - 273.15) * 0.8}[scale]


def _convert(number, from_unit, to_unit):
    a, b = _temperature(from_unit), _temperature(to_unit)
    if a is not None or b is not None:
        if a is None or b is None:
            return NA
        return _from_kelvin(_to_kelvin(number * a[1], a[0]), b[0]) / b[1]
    a, b = _unit(from_unit), _unit(to_unit)
    if a is None or b is None or a[0] != b[0]:
        return NA
    if a[1] == b[1]:
        return number
    return number * a[1] / b[1]


FUNCTIONS = {
    "CONVERT": declared("number, text, text", _convert),
}
