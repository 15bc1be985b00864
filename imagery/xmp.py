"""DJI drone XMP: find the XMP packet in a file's bytes and read the drone-dji fields."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from imagery.errors import MetadataError

DJI_NS = "http://www.dji.com/drone-dji/1.0/"

XMP_START = b"<x:xmpmeta"
XMP_END = b"</x:xmpmeta>"

# Field of DroneXmp -> the drone-dji local names that may carry it, in order of preference.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "lat": ("GpsLatitude", "Latitude"),
    "lon": ("GpsLongitude", "GpsLongtitude", "Longitude"),
    "absolute_altitude": ("AbsoluteAltitude",),
    "relative_altitude": ("RelativeAltitude",),
    "gimbal_yaw": ("GimbalYawDegree",),
    "gimbal_pitch": ("GimbalPitchDegree",),
    "gimbal_roll": ("GimbalRollDegree",),
    "flight_yaw": ("FlightYawDegree",),
    "flight_pitch": ("FlightPitchDegree",),
    "flight_roll": ("FlightRollDegree",),
}


@dataclass(frozen=True)
class DroneXmp:
    """Position and attitude a DJI drone wrote into a photo's XMP; None where absent or bad."""

    lat: float | None
    lon: float | None
    absolute_altitude: float | None
    relative_altitude: float | None
    gimbal_yaw: float | None
    gimbal_pitch: float | None
    gimbal_roll: float | None
    flight_yaw: float | None
    flight_pitch: float | None
    flight_roll: float | None


def find_xmp_packet(data: bytes) -> bytes | None:
    """The first complete <x:xmpmeta>...</x:xmpmeta> element in data, or None."""
    start = data.find(XMP_START)
    while start != -1:
        after = data[start + len(XMP_START) : start + len(XMP_START) + 1]
        if after in (b" ", b">", b"\t", b"\r", b"\n"):
            end = data.find(XMP_END, start)
            if end == -1:
                return None
            return data[start : end + len(XMP_END)]
        start = data.find(XMP_START, start + 1)
    return None


def parse_dji_xmp(packet: bytes) -> DroneXmp | None:
    """The drone-dji fields of an XMP packet, or None when it has none of them."""
    root = _parse_xml(packet)
    raw = _dji_values(root)
    if not any(name in raw for names in FIELD_NAMES.values() for name in names):
        return None
    values = {field: _first_number(raw, names) for field, names in FIELD_NAMES.items()}
    values["lat"], values["lon"] = _checked_position(values["lat"], values["lon"])
    return DroneXmp(**values)


def _parse_xml(packet: bytes) -> Element:
    """Parse packet safely: no DTD, no entities, no external references."""
    try:
        return fromstring(packet, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        raise MetadataError(
            "XMP packet: XML entities are not allowed (found a DOCTYPE declaration"
            f" {exc.name!r}; XMP has no DTD)"
        ) from None
    except EntitiesForbidden as exc:
        raise MetadataError(
            f"XMP packet: XML entities are not allowed (it declares entity {exc.name!r})"
        ) from None
    except ExternalReferenceForbidden as exc:
        raise MetadataError(
            f"XMP packet: external references are not allowed ({exc.sysid!r})"
        ) from None
    except ParseError as exc:
        raise MetadataError(f"XMP packet is not well-formed XML: {exc}") from None
    except (RecursionError, ValueError) as exc:
        raise MetadataError(f"XMP packet cannot be parsed: {exc}") from None


def _dji_values(root: Element) -> dict[str, str]:
    """Local name -> text of every drone-dji attribute and element; the first one wins."""
    found: dict[str, str] = {}
    for name, text in _dji_items(root):
        found.setdefault(name, text)
    return found


def _dji_items(root: Element) -> Iterator[tuple[str, str]]:
    """(local name, text) of drone-dji attributes and child elements, in document order."""
    prefix = "{" + DJI_NS + "}"
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.startswith(prefix):
                yield key[len(prefix) :], value
        tag = element.tag
        if isinstance(tag, str) and tag.startswith(prefix):
            yield tag[len(prefix) :], element.text or ""


def _first_number(raw: dict[str, str], names: tuple[str, ...]) -> float | None:
    """The first of names whose value parses as a finite number, or None."""
    for name in names:
        number = _to_float(raw.get(name))
        if number is not None:
            return number
    return None


def _to_float(text: str | None) -> float | None:
    """A finite float from text such as '+28.70123' or ' 100.2 ', or None."""
    if text is None:
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _checked_position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """Drop out-of-range coordinates, and the 0,0 a drone writes before it has a fix."""
    if lat is not None and not -90.0 <= lat <= 90.0:
        lat = None
    if lon is not None and not -180.0 <= lon <= 180.0:
        lon = None
    if lat == 0.0 and lon == 0.0:
        return None, None
    return lat, lon
