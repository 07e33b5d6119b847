"""The project's own hand-written abbreviation data (project licence)."""
from __future__ import annotations

# Abbreviations every Vietnamese reader knows.  Our own hand-written data
# (project licence); everything else from the abbreviation sources gets 0.
COMMON_ABBREVIATIONS: frozenset[str] = frozenset("""
UBND HĐND THPT THCS TP TPHCM TP.HCM CSGT BHXH BHYT BHTN GDP CNTT CNXH XHCN
CHXHCN ĐH ĐHQG CĐ GD GDĐT GD&ĐT ĐT HN HCM VN USD VND TW QĐ NĐ TT CP KT-XH KTXH
ATGT CA CAND QĐND QĐNDVN QH MTTQ ĐCS ĐCSVN BCH BCT BTC BCA BQP BYT BGD BGDĐT
THPTQG HS SV GV GS PGS TS ThS BS KS CN NXB LHQ WHO WTO ASEAN APEC EU UAE
HLV CLB SEA SN TNHH CTCP DN DNNN NSNN VAT GTGT TNCN KCN KCX HTX PCCC ATTP
ATVSTP UBMTTQ BCĐ ANTT TTXVN VTV VOV ĐBQH ĐBSCL ĐBSH TNXP TNCS THCN
CMND CCCD GPLX GPS ATM IT AI PC TV SMS ĐTDĐ
""".split())

# Common abbreviations that neither source lists, with our own expansions
# (hand-written, project licence).  Added to abbreviations.tsv with common=1.
EXTRA_ABBREVIATIONS: dict[str, str] = {
    "GDP": "tổng sản phẩm quốc nội",
    "ASEAN": "Hiệp hội các quốc gia Đông Nam Á",
    "APEC": "Diễn đàn Hợp tác Kinh tế châu Á - Thái Bình Dương",
    "EU": "Liên minh châu Âu",
    "UAE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "VAT": "thuế giá trị gia tăng",
    "BCA": "Bộ Công an",
    "BCT": "Bộ Chính trị | Bộ Công Thương",
    "KT-XH": "kinh tế - xã hội",
    "THPTQG": "trung học phổ thông quốc gia",
    "VOV": "Đài Tiếng nói Việt Nam",
    "SEA": "Đông Nam Á",
    "GPS": "hệ thống định vị toàn cầu",
    "SMS": "tin nhắn",
    "AI": "trí tuệ nhân tạo",
    "IT": "công nghệ thông tin",
}


def extra_pairs() -> list[tuple[str, str]]:
    """(ABBR, expansion) pairs of :data:`EXTRA_ABBREVIATIONS`."""
    return [(abbr, exp.strip()) for abbr, exps in EXTRA_ABBREVIATIONS.items()
            for exp in exps.split("|")]
