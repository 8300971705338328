"""The 38 provinces and 514 regencies/cities (Kemendagri codes, ODbL: see data/regions)."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"

# Indonesia's three time zones by province code (Permendagri / Keppres 41/1987).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def timezone_for_province(code: str) -> str:
    if code in WIT_PROVINCES:
        return "Asia/Jayapura"
    if code in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


class Province(PlatformModel):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)

    regencies: Mapped[list[Regency]] = relationship(back_populates="province",
                                                    order_by="Regency.code")

    @property
    def timezone(self) -> str:
        return timezone_for_province(self.code)


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


def load_regions(session, data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Insert or update every province and regency; returns the counts."""
    from sqlalchemy.dialects.postgresql import insert

    provinces, regencies = read_region_files(data_dir)
    stmt = insert(Province).values([{"code": p["code"], "name": p["name"]} for p in provinces])
    session.execute(stmt.on_conflict_do_update(index_elements=["code"],
                                               set_={"name": stmt.excluded.name}))
    rows = [
        {
            "code": r["code"],
            "province_code": r["province_code"],
            "kind": r["name"].split(" ", 1)[0],
            "official_name": r["name"],
        }
        for r in regencies
    ]
    stmt = insert(Regency).values(rows)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["code"],
        set_={"official_name": stmt.excluded.official_name, "kind": stmt.excluded.kind,
              "province_code": stmt.excluded.province_code}))
    return len(provinces), len(regencies)
