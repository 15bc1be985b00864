"""A deterministic synthetic demo district (towns, grid cells, sites) and its files."""

from geo.synthetic.district import SyntheticDistrict, generate_district
from geo.synthetic.files import write_district_files

__all__ = ["SyntheticDistrict", "generate_district", "write_district_files"]
