"""The 38 provinces and 514 regencies/cities (Kemendagri codes, ODbL: see data/LICENSE.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants import zones
from tenants.db import PlatformModel

DATA_DIR = Path(__file__).resolve().parent / "data"

class Province(PlatformModel):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)

    regencies: Mapped[list[Regency]] = relationship(back_populates="province",
                                                    order_by="Regency.code")

    @property
    def timezone(self) -> str:
        return zones.for_province(self.code).name


class Regency(PlatformModel):
    """A kabupaten or kota; the unit LAN signs an MoU with."""

    __tablename__ = "regency"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)  # e.g. "35.13"
    province_code: Mapped[str] = mapped_column(sa.ForeignKey(Province.code), nullable=False,
                                               index=True)
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # KABUPATEN | KOTA
    official_name: Mapped[str] = mapped_column(sa.String(100), nullable=False)

    province: Mapped[Province] = relationship(back_populates="regencies")

    __table_args__ = (sa.CheckConstraint("kind IN ('KABUPATEN', 'KOTA')", name="kind"),)

    @property
    def place(self) -> str:
        """'PROBOLINGGO' out of 'KABUPATEN PROBOLINGGO'."""
        return self.official_name.split(" ", 1)[1]

    @property
    def display_name(self) -> str:
        prefix = "Kabupaten" if self.kind == "KABUPATEN" else "Kota"
        return f"{prefix} {title_case(self.place)}"

    @property
    def slug(self) -> str:
        prefix = "kab" if self.kind == "KABUPATEN" else "kota"
        words = "".join(c if c.isalnum() else " " for c in self.place.lower()).split()
        return "-".join([prefix, *words])

    @property
    def schema_name(self) -> str:
        return "t_" + self.code.replace(".", "")


def title_case(name: str) -> str:
    return " ".join(w if w in {"DKI"} else w.capitalize() for w in name.split())


def read_region_files(data_dir: Path = DATA_DIR) -> tuple[list[dict], list[dict]]:
    with open(data_dir / "provinces.csv", newline="", encoding="utf-8") as f:
        provinces = list(csv.DictReader(f))
    with open(data_dir / "regencies.csv", newline="", encoding="utf-8") as f:
        regencies = list(csv.DictReader(f))
    return provinces, regencies
