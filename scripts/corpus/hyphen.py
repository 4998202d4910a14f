"""A small English hyphenator for the PDF renderer.

`points(word)` returns the indices at which a word may be split at a line end
("assess|ment", "safe|guard|ing"). It uses a short dictionary of words common in
safeguarding reviews, then suffix/prefix rules, then a vowel/consonant syllable
rule. It only has to be plausible: the point is that the PDF contains words
broken across lines with a hyphen, as Word's automatic hyphenation produces.
"""

MIN_LEFT = 3
MIN_RIGHT = 3

# Explicit hyphenations (British usage) for frequent long words.
_DICT_WORDS = """
ac-com-mo-da-tion ac-count-abil-ity ad-o-les-cent ad-o-les-cence adult-i-fi-ca-tion
ap-point-ment as-sess-ment at-ten-dance be-hav-iour be-hav-iour-al chro-nol-ogy
chron-o-log-i-cal com-mis-sioned com-mu-ni-ca-tion com-mu-nity con-sid-er-a-tion
con-sid-ered con-tex-tual con-tin-u-ing co-or-di-na-tion crim-i-nal de-vel-op-ment
dif-fer-ent dif-fi-cul-ties dis-cus-sion do-mes-tic ed-u-ca-tion en-gage-ment
en-vi-ron-ment ev-i-dence ex-pe-ri-ence ex-pe-ri-enced ex-ploi-ta-tion ex-tra-fa-mil-ial
fam-i-lies gen-eral-ly gov-ern-ance health-care home-less-ness hos-pi-tal
im-me-di-ate im-por-tant im-prove-ment in-de-pen-dent in-di-vid-ual in-for-ma-tion
in-ter-ven-tion in-ves-ti-ga-tion in-volve-ment knowl-edge lead-er-ship learn-ing
man-age-ment men-tal neigh-bour-hood of-fi-cer op-er-a-tional op-por-tu-nity
or-gan-isa-tion par-tic-u-lar part-ner-ship per-spec-tive prac-ti-tion-er prac-ti-tion-ers
pro-fes-sion-al pro-fes-sion-als pro-tec-tion psy-cho-log-i-cal ques-tion-naire
rec-om-men-da-tion re-la-tion-ship re-spon-si-bil-ity re-spon-si-bil-i-ties
safe-guard-ing sig-nif-i-cant so-cial spe-cial-ist strat-e-gic su-per-vi-sion
thresh-old un-der-stand-ing un-der-stand vul-ner-a-bil-ity vul-ner-a-ble
ad-dress-ing an-tic-i-pated ap-pro-pri-ate al-ter-na-tive nat-u-ral-ly
par-ent-ing pae-di-a-tri-cian pae-di-at-ric ma-ter-nal ma-ter-nity ad-vo-cacy
ex-clu-sion school-ing sup-port-ing com-plet-ed dis-closed dis-clo-sure
as-sess-ments emo-tion-al phys-i-cal con-ver-sa-tion pos-si-bil-ity
re-fer-ral re-fer-rals re-view-ers com-pli-ance re-luc-tant ex-am-ple
med-i-ca-tion treat-ment hous-ing au-thor-ity ap-proach ap-proaches
per-ma-nent tem-po-rary de-ci-sion de-ci-sions mul-ti-agency in-ter-agency
de-vel-op-men-tal ap-prox-i-mate-ly par-tic-u-lar-ly cir-cum-stances
in-creas-ing-ly re-spec-tive-ly de-pres-sion de-pri-va-tion rec-og-nised
cu-mu-la-tive fre-quent-ly pre-vi-ous-ly sub-se-quent-ly ef-fec-tive-ly
"""
DICT = {}
for _w in _DICT_WORDS.split():
    _plain = _w.replace("-", "")
    _pts, _n = [], 0
    for _part in _w.split("-")[:-1]:
        _n += len(_part)
        _pts.append(_n)
    DICT[_plain] = _pts

# suffixes: the split is made at '|'
_SUFFIXES = [
    "|ments", "|ment", "|tions", "|tion", "|sions", "|sion", "|nesses", "|ness",
    "|ings", "|ing", "|ities", "|ity",
    "|able", "|ible", "|fully", "|ful", "|lessly", "|less", "|ships", "|ship",
    "|hood", "ion|al", "ion|ally", "|ingly", "|isation", "|ically",
    "|ology", "|ologist", "|ward", "|wards", "|ously", "|ous", "|ative", "|ively",
    "|ism", "|ists", "|ist",
]
_PREFIXES = ["multi", "inter", "under", "over", "counter", "trans", "extra",
             "intra", "super", "semi", "anti", "self", "post", "safe", "with",
             "some", "every", "there", "where", "out", "mis", "dis", "non", "pre"]

VOWELS = set("aeiouy")
_ONSETS2 = {"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr",
            "sc", "sk", "sl", "sm", "sn", "sp", "st", "sw", "tr", "tw", "wr",
            "ch", "sh", "th", "ph", "wh", "qu", "gu"}
_ONSETS3 = {"str", "spr", "scr", "spl", "thr", "chr", "shr", "squ"}
_ONSETS_RL = {"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "tr"}
_DIGRAPHS = {"ch", "sh", "th", "ph", "wh", "gh", "ck", "qu"}


def _rule_points(w):
    """Vowel/consonant syllable rule on a lower-case word."""
    n = len(w)
    is_v = []
    for i, ch in enumerate(w):
        v = ch in VOWELS
        if ch == "u" and i > 0 and w[i - 1] == "q":
            v = False
        if ch == "y" and i == 0:
            v = False
        is_v.append(v)
    # a final silent 'e' (and 'es', 'ed') does not make a syllable
    if n >= 2 and w[-1] == "e" and not is_v[-2]:
        is_v[-1] = False
    if n >= 3 and w[-2:] in ("es", "ed") and not is_v[-3] and w[-3] not in "td":
        is_v[-2] = False
    pts = []
    i = 0
    # skip leading consonants
    while i < n and not is_v[i]:
        i += 1
    while i < n:
        while i < n and is_v[i]:
            i += 1
        j = i
        while j < n and not is_v[j]:
            j += 1
        if j >= n:
            break          # trailing consonants: no syllable after them
        cluster = w[i:j]
        k = len(cluster)
        if k == 1:
            p = i
        elif k == 2:
            if cluster == "ck":
                p = j
            elif cluster in _DIGRAPHS or cluster in _ONSETS_RL:
                p = i
            else:
                p = i + 1
        else:
            if cluster[-3:] in _ONSETS3:
                p = j - 3
            elif cluster[-2:] in _ONSETS2:
                p = j - 2
            elif cluster[:2] in ("ck", "ch", "sh", "th", "ng", "gh", "ph"):
                p = i + 2
            else:
                p = i + 1
        if p > 0:
            pts.append(p)
        i = j
    return pts


def points(word: str):
    """Split indices for an alphabetic word (any case); [] if none."""
    if not word.isalpha() or len(word) < MIN_LEFT + MIN_RIGHT:
        return []
    if word.isupper():
        return []                      # acronyms are never hyphenated
    w = word.lower()
    if w in DICT:
        pts = DICT[w]
    elif w.endswith("s") and w[:-1] in DICT:
        pts = DICT[w[:-1]]
    else:
        fixed = set()
        for suf in _SUFFIXES:
            bare = suf.replace("|", "")
            if w.endswith(bare) and len(w) - len(bare) >= 4:
                fixed.add(len(w) - len(bare) + suf.index("|"))
        for pre in _PREFIXES:
            if w.startswith(pre) and len(w) - len(pre) >= 4:
                fixed.add(len(pre))
        pts = set(fixed)
        for p in _rule_points(w):
            if all(abs(p - f) > 2 for f in fixed):
                pts.add(p)
        pts = sorted(pts)
    return [p for p in pts if MIN_LEFT <= p <= len(w) - MIN_RIGHT]


def hyphenate(word: str) -> str:
    """For debugging: 'safe-guard-ing'."""
    pts = points(word)
    out, last = [], 0
    for p in pts:
        out.append(word[last:p])
        last = p
    out.append(word[last:])
    return "-".join(out)


if __name__ == "__main__":
    import sys
    for a in sys.argv[1:]:
        print(hyphenate(a))
