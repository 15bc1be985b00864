"""Tests of finding XMP packets and reading DJI drone fields, hostile packets included."""

from __future__ import annotations

import io
import struct
import time

import pytest
from PIL import Image

from imagery.errors import MetadataError
from imagery.xmp import DroneXmp, find_xmp_packet, parse_dji_xmp

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DJI = "http://www.dji.com/drone-dji/1.0/"

ATTRIBUTE_FORM = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="{RDF}">
  <rdf:Description rdf:about="DJI Meta Data" xmlns:drone-dji="{DJI}"
    drone-dji:GpsLatitude="+28.70123"
    drone-dji:GpsLongitude="+115.81234"
    drone-dji:AbsoluteAltitude="+142.35"
    drone-dji:RelativeAltitude="+100.20"
    drone-dji:GimbalRollDegree="+0.00"
    drone-dji:GimbalYawDegree="-12.50"
    drone-dji:GimbalPitchDegree="-90.00"
    drone-dji:FlightRollDegree="+1.20"
    drone-dji:FlightYawDegree="-13.10"
    drone-dji:FlightPitchDegree="-2.30"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()

EXPECTED = DroneXmp(
    lat=28.70123,
    lon=115.81234,
    absolute_altitude=142.35,
    relative_altitude=100.2,
    gimbal_yaw=-12.5,
    gimbal_pitch=-90.0,
    gimbal_roll=0.0,
    flight_yaw=-13.1,
    flight_pitch=-2.3,
    flight_roll=1.2,
)


def xmp(description_blocks: str) -> bytes:
    """An XMP packet whose rdf:RDF holds the given rdf:Description blocks."""
    return (
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{RDF}"'
        f' xmlns:drone-dji="{DJI}">{description_blocks}</rdf:RDF></x:xmpmeta>'
    ).encode()


def jpeg_bytes() -> bytes:
    """A real 16 x 8 JPEG made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def with_app1_xmp(jpeg: bytes, packet: bytes) -> bytes:
    """jpeg with an APP1 XMP segment spliced in right after SOI."""
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


# --- parse_dji_xmp -------------------------------------------------------------------------


def test_attribute_form_with_xpacket_wrapper() -> None:
    assert parse_dji_xmp(ATTRIBUTE_FORM) == EXPECTED


def test_element_form() -> None:
    packet = xmp(
        '<rdf:Description rdf:about="">'
        "<drone-dji:GpsLatitude>28.70123</drone-dji:GpsLatitude>"
        "<drone-dji:GpsLongitude>115.81234</drone-dji:GpsLongitude>"
        "<drone-dji:RelativeAltitude>100.2</drone-dji:RelativeAltitude>"
        "<drone-dji:GimbalPitchDegree>-90</drone-dji:GimbalPitchDegree>"
        "</rdf:Description>"
    )
    result = parse_dji_xmp(packet)
    assert result == DroneXmp(
        lat=28.70123,
        lon=115.81234,
        absolute_altitude=None,
        relative_altitude=100.2,
        gimbal_yaw=None,
        gimbal_pitch=-90.0,
        gimbal_roll=None,
        flight_yaw=None,
        flight_pitch=None,
        flight_roll=None,
    )


def test_misspelt_longtitude_is_read() -> None:
    packet = xmp('<rdf:Description drone-dji:GpsLatitude="22.5" drone-dji:GpsLongtitude="114.06"/>')
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon) == (22.5, 114.06)


def test_plain_latitude_and_longitude_names_are_read() -> None:
    packet = xmp('<rdf:Description drone-dji:Latitude="-33.86" drone-dji:Longitude="151.21"/>')
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon) == (-33.86, 151.21)


def test_several_description_blocks_are_merged() -> None:
    packet = xmp(
        '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="DJI"/>'
        '<rdf:Description drone-dji:GpsLatitude="28.7" drone-dji:GpsLongitude="115.8"/>'
        "<rdf:Description><drone-dji:GimbalYawDegree>45.5</drone-dji:GimbalYawDegree>"
        "</rdf:Description>"
    )
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon, result.gimbal_yaw) == (28.7, 115.8, 45.5)


def test_signs_and_spaces_in_values() -> None:
    packet = xmp(
        '<rdf:Description drone-dji:RelativeAltitude=" 100.2 "'
        ' drone-dji:GimbalPitchDegree="-90.00" drone-dji:GimbalYawDegree="+179.9">'
        "<drone-dji:FlightYawDegree>\n  -0.5\n</drone-dji:FlightYawDegree>"
        "</rdf:Description>"
    )
    result = parse_dji_xmp(packet)
    assert result is not None
    assert result.relative_altitude == 100.2
    assert result.gimbal_pitch == -90.0
    assert result.gimbal_yaw == 179.9
    assert result.flight_yaw == -0.5


def test_unparseable_values_become_none() -> None:
    packet = xmp(
        '<rdf:Description drone-dji:GpsLatitude="north" drone-dji:GpsLongitude=""'
        ' drone-dji:RelativeAltitude="nan" drone-dji:AbsoluteAltitude="1e999"'
        ' drone-dji:GimbalPitchDegree="-45.0"/>'
    )
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon) == (None, None)
    assert (result.relative_altitude, result.absolute_altitude) == (None, None)
    assert result.gimbal_pitch == -45.0


def test_position_zero_zero_means_no_fix() -> None:
    packet = xmp('<rdf:Description drone-dji:GpsLatitude="+0.000" drone-dji:GpsLongitude="0"/>')
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon) == (None, None)


def test_position_out_of_range_is_dropped() -> None:
    packet = xmp('<rdf:Description drone-dji:GpsLatitude="128.7" drone-dji:GpsLongitude="200"/>')
    result = parse_dji_xmp(packet)
    assert result is not None
    assert (result.lat, result.lon) == (None, None)


def test_non_dji_packet_is_none() -> None:
    packet = xmp(
        '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
        ' xmlns:other="http://example.com/other/" tiff:Make="Canon" other:GpsLatitude="1.0"/>'
    )
    assert parse_dji_xmp(packet) is None


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<x:xmpmeta xmlns:x="adobe:ns:meta/">&lol9;</x:xmpmeta>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
 drone-dji:GpsLatitude="&xxe;"/></rdf:RDF></x:xmpmeta>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "http://example.com/evil.dtd">
<x:xmpmeta xmlns:x="adobe:ns:meta/"/>"""


@pytest.mark.parametrize(
    "packet", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"]
)
def test_entity_tricks_are_refused(packet: bytes) -> None:
    with pytest.raises(MetadataError, match="XMP packet: XML entities are not allowed"):
        parse_dji_xmp(packet)


def test_undeclared_entity_is_malformed() -> None:
    # what remains of a billion-laughs packet once find_xmp_packet has cut the DOCTYPE away
    packet = find_xmp_packet(BILLION_LAUGHS)
    assert packet == b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&lol9;</x:xmpmeta>'
    with pytest.raises(MetadataError, match="not well-formed XML: undefined entity"):
        parse_dji_xmp(packet)


@pytest.mark.parametrize(
    "packet",
    [
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF></x:xmpmeta>',
        b"<x:xmpmeta",
        b"",
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_xml_is_an_error(packet: bytes) -> None:
    with pytest.raises(MetadataError, match="XMP packet is not well-formed XML"):
        parse_dji_xmp(packet)


# --- find_xmp_packet -----------------------------------------------------------------------


def test_packet_inside_a_real_jpeg() -> None:
    jpeg = with_app1_xmp(jpeg_bytes(), ATTRIBUTE_FORM)
    Image.open(io.BytesIO(jpeg)).load()  # still a valid JPEG
    packet = find_xmp_packet(jpeg)
    assert packet is not None
    assert packet.startswith(b"<x:xmpmeta xmlns:x=") and packet.endswith(b"</x:xmpmeta>")
    assert b"xpacket" not in packet
    assert parse_dji_xmp(packet) == EXPECTED


def test_jpeg_without_xmp_has_no_packet() -> None:
    assert find_xmp_packet(jpeg_bytes()) is None


@pytest.mark.parametrize(
    "data",
    [b"", b"<x:xmpmeta", b'<x:xmpmeta xmlns:x="adobe:ns:meta/">never closed', b"<x:xmpmetadata>"],
)
def test_no_complete_packet_is_none(data: bytes) -> None:
    assert find_xmp_packet(data) is None


def test_lookalike_tag_is_skipped() -> None:
    data = b"<x:xmpmetadata/>" + ATTRIBUTE_FORM
    packet = find_xmp_packet(data)
    assert packet is not None and packet.startswith(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">')


def test_finding_a_packet_in_10_mb_is_fast() -> None:
    data = bytes(range(256)) * (10 * 1024 * 1024 // 256) + ATTRIBUTE_FORM + b"\x00" * 1000
    start = time.perf_counter()
    packet = find_xmp_packet(data)
    elapsed = time.perf_counter() - start
    assert packet is not None and parse_dji_xmp(packet) == EXPECTED
    assert elapsed < 0.1
    start = time.perf_counter()
    assert find_xmp_packet(data[: 10 * 1024 * 1024]) is None
    assert time.perf_counter() - start < 0.1
