"""Loading the region registry from the files in data/."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.dialects.postgresql import insert

from tenants.regions.models import DATA_DIR, Province, Regency, read_region_files


def load_regions(session, data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Insert or update every province and regency; returns the counts."""
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
