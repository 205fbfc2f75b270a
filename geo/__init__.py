from geo.reference import Reference, VillageRef, load_reference
from geo.river import BANK_LEFT, BANK_RIGHT, Location, Locations, RiverModel

__all__ = ["BANK_LEFT", "BANK_RIGHT", "Location", "Locations", "Reference", "RiverModel", "VillageRef",
           "load_reference"]
