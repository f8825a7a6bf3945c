"""The shipped law registry: the corrections of the 2026-12 data review and the Malmö list (seed 002, Bilaga 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from handbok.core.legal import ACT_KINDS, load_laws

D = dt.date
LAWS = load_laws()
ISSUERS = {"Socialstyrelsen", "IVO", "MFoF", "Arbetsmiljöverket"}


# --- the corrections ------------------------------------------------------------

def test_sosfs_2014_4_was_replaced_by_hslf_fs_2022_39():
    old = LAWS.by_number("SOSFS 2014:4")
    assert old.repealed == D(2022, 11, 1)
    assert old.is_repealed(D(2026, 1, 1)) and not old.is_repealed(D(2022, 10, 31))
    new = LAWS.successor(old)
    assert new.number == "HSLF-FS 2022:39" and new.id == "hslf-fs-2022-39"
    assert new.title == "Socialstyrelsens föreskrifter och allmänna råd om våld i nära relationer"
    assert new.in_force == D(2022, 11, 1) and new.repealed is None
    assert LAWS.repeal_message(old).startswith("SOSFS 2014:4 upphävdes 2022-11-01 och ersattes av HSLF-FS 2022:39")


def test_hslf_fs_2016_40_entered_into_force_2017_03_01():
    assert LAWS.by_number("HSLF-FS 2016:40").in_force == D(2017, 3, 1)


def test_hslf_fs_2017_79_title_and_no_false_in_force_date():
    act = LAWS.by_number("HSLF-FS 2017:79")
    assert act.title == ("Socialstyrelsens föreskrifter och allmänna råd om behörighet att utföra vissa "
                         "arbetsuppgifter i socialtjänstens barn- och ungdomsvård")
    # Decided 2017-12-19 and published 2018-01-10: 2018-01-01 cannot be right. No source gave the date.
    assert act.in_force != D(2018, 1, 1)
    assert not act.verified and "in_force" in act.note


def test_health_examination_act_2017_209_in_force_april_2017_unverified():
    act = LAWS.by_number("SFS 2017:209")
    assert act.in_force == D(2017, 4, 1)
    assert not act.verified and "UNVERIFIED" in act.note


def test_socialtjanstforordningen_is_still_in_force():
    act = LAWS.by_number("SFS 2001:937")
    assert act.repealed is None and act.replaced_by is None
    assert LAWS.resolve("SoF", D(2026, 6, 1)) is act
    assert "Still in force" in act.note and "UNCERTAIN" not in act.note


def test_sekretesslagen_is_in_the_registry_and_repealed():
    act = LAWS.resolve("SFS 1980:100", None)
    assert act is not None and act.id == "sekretesslagen"
    assert LAWS.resolve("sekretesslagen", D(2026, 1, 1)) is act
    assert LAWS.resolve("sekretesslagen (1980:100)", D(2026, 1, 1)) is act
    assert LAWS.resolve("SekrL", D(2005, 1, 1)) is act
    assert act.title == "Sekretesslag" and act.abbreviation == "SekrL"
    assert act.in_force == D(1981, 1, 1) and act.repealed == D(2009, 6, 30)
    assert act.is_repealed(D(2026, 1, 1))
    assert LAWS.successor(act).number == "SFS 2009:400"
    assert LAWS.repeal_message(act) == ("SFS 1980:100 upphävdes 2009-06-30 och ersattes av "
                                        "offentlighets- och sekretesslag (2009:400)")


def test_etableringslagen_2010_was_replaced_by_2017_584():
    old = LAWS.by_number("SFS 2010:197")
    assert old.repealed == D(2018, 1, 1)
    assert LAWS.successor(old).number == "SFS 2017:584"


def test_delgivningslagen_in_force_2011_04_01():
    assert LAWS.by_number("SFS 2010:1932").in_force == D(2011, 4, 1)


@pytest.mark.parametrize("text", ["EU 604/2013", "(EU) 604/2013", "förordning (EU) nr 604/2013", "(EU) nr 604/2013",
                                  "Dublinförordningen", "dublinförordningen"])
def test_dublin_regulation_resolves(text):
    act = LAWS.resolve(text, D(2025, 1, 1))
    assert act is not None and act.number == "EU 604/2013" and act.kind == "eu"


def test_tryckfrihetsforordningen_is_a_law():
    assert LAWS.by_number("SFS 1949:105").kind == "lag"
    assert LAWS.by_number("SFS 1974:152").kind == "lag"  # regeringsformen
    assert LAWS.by_number("SFS 1962:700").kind == "lag"  # a balk


# --- every act carries kind, issuer and source ------------------------------------

def test_every_act_has_a_kind_an_issuer_if_foreskrift_and_a_source():
    for act in LAWS.acts.values():
        assert act.kind in ACT_KINDS, act.id
        assert act.source, f"{act.id}: no source"
        if act.kind == "föreskrift":
            assert act.issuer in ISSUERS, act.id
        else:
            assert act.issuer is None, act.id
        if act.verified:
            assert act.url and act.in_force, f"{act.id}: verified needs a url and an in-force date"


def test_kind_matches_the_number_series():
    for act in LAWS.acts.values():
        prefix = act.number.split()[0]
        if prefix == "EU":
            assert act.kind == "eu", act.id
        elif prefix == "SFS":
            assert act.kind in ("lag", "förordning"), act.id
        else:
            assert act.kind == "föreskrift", act.id


def test_mfof_regulations_are_issued_by_mfof():
    for number in ("HSLF-FS 2017:49", "HSLF-FS 2017:50", "HSLF-FS 2017:66"):
        act = LAWS.by_number(number)
        assert act.issuer == "MFoF" and act.title.startswith("Myndigheten för familjerätt"), number


# --- every act in the Malmö list (seed 002, Bilaga 1) is in the registry -----------

MALMO_BILAGA_1 = [
    # Lagar
    "SFS 1974:152", "SFS 1949:105", "SFS 1991:1469", "SFS 1962:700", "SFS 1949:381", "SFS 1977:1160",
    "SFS 1990:782",  # the seed prints "SFS 1900:782"
    "SFS 1990:1144", "SFS 2007:612",
    "EU 2016/679",  # "Dataskyddsförordning (GDPR)", no number in the seed
    "SFS 2010:1932",
    "EU 604/2013",  # "Dublinförordningen/EU:s förordning (604/2013)"
    "SFS 2017:725", "SFS 1997:191", "SFS 1964:167", "SFS 1990:52", "SFS 1993:335", "SFS 2001:454",
    "SFS 1930:173", "SFS 2010:197", "SFS 1989:14", "SFS 2005:429", "SFS 2017:209", "SFS 1985:367",
    "SFS 2002:445", "SFS 1994:137", "SFS 2016:38",
    "SFS 2009:724",  # the seed prints "SFS 2009: 724"
    "SFS 2016:1145", "SFS 2017:612",
    "SFS 1991:2041",  # the seed prints "SFS 1991:2141"
    "SFS 2018:1937", "SFS 2008:962", "SFS 1998:603", "SFS 2009:47", "SFS 1988:870", "SFS 2009:400",
    "SFS 2001:453", "SFS 2009:600", "SFS 2005:716",
    # Förordningar
    "SFS 1994:1763", "SFS 2001:637", "SFS 1969:624", "SFS 2009:1299", "SFS 1981:1370", "SFS 2010:1122",
    "SFS 1998:641", "SFS 2009:641", "SFS 2001:937", "SFS 2006:97",
    # Socialstyrelsens och IVO:s föreskrifter och allmänna råd
    "SOSFS 2011:9", "SOSFS 2011:5",
    "SOSFS 2012:11",  # familjehem, jourhem, HVB: the seed prints "SOSFS 2011:9"
    "HSLF-FS 2017:79",  # the seed prints "HSLF-FS 2017 - 79"
    "HSLF-FS 2016:55", "SOSFS 2014:5", "SOSFS 2003:15", "SOSFS 2011:13", "SOSFS 2015:30",
    "HSLF-FS 2016:3",  # the seed prints "SOSFS 2016:3"; the series is HSLF-FS since 2015-07-01
    "SOSFS 2014:4", "HSLF-FS 2016:56",
    # Myndigheten för familjerätt och föräldraskapsstöds föreskrifter och allmänna råd
    "HSLF-FS 2017:49", "HSLF-FS 2017:50", "HSLF-FS 2017:66",
    # Övriga föreskrifter
    "AFS 2015:4",
]


@pytest.mark.parametrize("number", MALMO_BILAGA_1)
def test_every_act_in_the_malmo_list_resolves(number):
    act = LAWS.resolve(number, None)
    assert act is not None, number
    assert act.number == number



def test_the_seed_misprint_sosfs_2016_3_is_not_an_act():
    # A number that does not exist must not resolve to the act the seed meant.
    assert LAWS.resolve("SOSFS 2016:3", None) is None
