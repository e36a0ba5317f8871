"""A deterministic Universal Housing simulator: synthetic UH data on SQLite or PostgreSQL.

`build_simulator` creates the tables from `uh_gateway.gateways.uh_schema` and fills them;
`uh-gateway-seed` (`uh_gateway.seed`) is its command line.
"""

from uh_gateway.simulator.build import (
    DEFAULT_PROFILE,
    DEFAULT_SEED,
    BuildReport,
    SimulatorAlreadyBuilt,
    build_simulator,
)
from uh_gateway.simulator.generator import PROFILES, SimulatorSize, UHSimulation

__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_SEED",
    "PROFILES",
    "BuildReport",
    "SimulatorAlreadyBuilt",
    "SimulatorSize",
    "UHSimulation",
    "build_simulator",
]
