"""Legacy Vietnamese encodings: round trips through our own encoders, detection, mojibake."""
from __future__ import annotations

import unicodedata

import pytest

from vnproof.audit.encodings import (UndecodableError, decode_bytes, decode_tcvn3, decode_vni, decode_viqr,
                                     encode_cp1258, encode_tcvn3, encode_viqr, encode_vni, fix_text)

SENTENCES = [
    "Người Việt Nam đã xây dựng những trường học mới ở Hà Nội và thành phố Hồ Chí Minh.",
    "Công an huyện đã tham mưu, đề xuất Huyện uỷ kịp thời quán triệt các văn bản chỉ đạo của Đảng.",
    "Trong thời điểm dịch bệnh diễn biến phức tạp, quần chúng nhân dân tham gia góp phần quan trọng.",
    "Bạn có khoẻ không? Chắc chắn rằng đặc biệt quý và tỷ lệ ấy là bé nhỏ; kỹ thuật sử dụng ý kiến.",
    "Mỗi xã được hướng dẫn: tuyên truyền, thăm hỏi, giúp đỡ các hộ gia đình khó khăn (năm 2021).",
    "Các thế lực thù địch tiếp tục đẩy mạnh hoạt động chống phá; tội phạm ngày càng tinh vi, manh động.",
]
ALL_LETTERS = ("aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ "
               "uùủũúụ ưừửữứự yỳỷỹýỵ đ")
CAPS = "Ă Â Ê Ô Ơ Ư Đ Ấn Độ Ở Ủy Ý"  # capitals (toned ones not in TCVN3's small-letter font)

ENCODERS = {"tcvn3": encode_tcvn3, "vni": encode_vni, "viqr": encode_viqr, "cp1258": encode_cp1258}


@pytest.mark.parametrize("name", list(ENCODERS))
@pytest.mark.parametrize("text", SENTENCES)
def test_round_trip_detected(name, text):
    data = ENCODERS[name](text)
    assert data != text.encode("utf-8")
    out, notes = decode_bytes(data)
    assert out == text
    assert name in notes
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("name", list(ENCODERS))
def test_every_letter_round_trips(name):
    text = " ".join(SENTENCES[:2]) + " " + ALL_LETTERS
    if name == "viqr":
        # VIQR is ambiguous for a final dot-below before a capitalised word ("Độ Ở" vs a full
        # stop): the decoder reads ". X" as a full stop, as unescaped real texts mean it.
        text += " " + ", ".join(ALL_LETTERS.upper().split()) + ", " + CAPS.replace("Độ", "Độ,")
    elif name != "tcvn3":
        text += " " + ALL_LETTERS.upper() + " " + CAPS
    out, notes = decode_bytes(ENCODERS[name](text))
    assert out == text, name


def test_tcvn3_published_codes():
    # A few byte values straight from the TCVN3 chart.
    assert decode_tcvn3("Ng\xad\xeai Vi\xd6t") == "Người Việt"
    assert decode_tcvn3("\xa7\xb6ng") == "Đảng"
    assert decode_tcvn3("H\xb5 N\xe9i") == "Hà Nội"
    assert decode_tcvn3("B\xb5I VI\xd5T LI\xa3N QUAN") == "BÀI VIẾT LIÊN QUAN"  # capitals font restored
    assert decode_tcvn3("U\xfb ban") == "Uỷ ban"


def test_vni_published_codes():
    assert decode_vni("Ngöôøi Vieät Nam") == "Người Việt Nam"
    assert decode_vni("ñöôïc, Ñaûng, tænh, nghóa, vò trí") == "được, Đảng, tỉnh, nghĩa, vị trí"
    assert decode_vni("Chaâu AÙ") == "Châu Á"


def test_viqr_punctuation():
    assert decode_viqr("Vie^.t Nam, to^i ddi.") == "Việt Nam, tôi đi."
    assert decode_viqr("O+? Ha` No^.i") == "Ở Hà Nội"
    assert decode_viqr("la` gi`\\?") == "là gì?"


def test_windows_1258_decomposed_becomes_nfc():
    out, notes = decode_bytes(encode_cp1258(SENTENCES[0]))
    assert out == SENTENCES[0] and "cp1258" in notes


def test_legacy_inside_utf8_text():
    # TCVN3 or VNI pasted into a UTF-8 CMS: the Latin-1 characters are in the str already.
    tcvn = encode_tcvn3(SENTENCES[1]).decode("cp1252")
    assert fix_text(tcvn) == (SENTENCES[1], ["tcvn3"])
    vni = encode_vni(SENTENCES[2]).decode("cp1252")
    assert fix_text(vni) == (SENTENCES[2], ["vni"])


def test_mojibake_repaired():
    bad = SENTENCES[0].encode("utf-8").decode("latin-1")
    out, notes = fix_text(bad)
    assert out == SENTENCES[0] and notes == ["mojibake"]
    out, notes = decode_bytes(bad.encode("utf-8"))
    assert out == SENTENCES[0] and notes == ["mojibake"]


def test_plain_unicode_untouched():
    for s in SENTENCES + ["Hello world, plain ASCII text with no marks at all."]:
        assert decode_bytes(s.encode("utf-8")) == (s, [])


def test_binary_is_undecodable():
    with pytest.raises(UndecodableError):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
