"""The demo's people: fictional Indonesian names with the titles and degrees civil servants
write with them, and the positions they hold in each kind of unit.

Every name is made up from common given and family names; any likeness to a real official
is chance. Names are drawn from a seeded generator, so a load always makes the same people.
"""

from __future__ import annotations

import random

from tenants.units.models import UnitKind

MEN = ("Agus", "Ahmad", "Andik", "Ari", "Bagus", "Bambang", "Budi", "Dedi", "Didik", "Dimas",
       "Eko", "Fajar", "Fauzan", "Hadi", "Hari", "Hendra", "Heru", "Imam", "Iwan", "Joko",
       "Kukuh", "Luthfi", "Mochamad", "Muhammad", "Nanang", "Nur", "Prasetyo", "Rahmat",
       "Rizal", "Rudi", "Sigit", "Slamet", "Sugeng", "Suhartono", "Teguh", "Tri", "Wahyu",
       "Wawan", "Yoga", "Yusuf", "Zainal", "Arief", "Gatot", "Ilham", "Taufiq", "Yudi")
WOMEN = ("Anik", "Anita", "Dewi", "Diah", "Dwi", "Endah", "Erna", "Fitri", "Hana", "Ida",
         "Indah", "Intan", "Kartika", "Lilik", "Lina", "Mega", "Nining", "Nurul", "Puji",
         "Rahayu", "Ratna", "Retno", "Rina", "Rini", "Siti", "Sri", "Susanti", "Tutik",
         "Umi", "Wahyuni", "Wulan", "Yuli", "Yuni", "Ayu", "Dian", "Evi", "Lestari", "Novi")
FAMILY = ("Setiawan", "Santoso", "Hidayat", "Wibowo", "Prasetyo", "Kurniawan", "Susilo",
          "Wijaya", "Rahmawati", "Handayani", "Purnomo", "Saputra", "Utomo", "Hartono",
          "Suryani", "Lestari", "Firmansyah", "Nugroho", "Wahyudi", "Mulyani", "Sulistyo",
          "Pratama", "Ariyanto", "Kusuma", "Maulana", "Anggraini", "Safitri", "Suprapto",
          "Hakim", "Rosyidi", "Fadillah", "Wardhani", "Permana", "Syahputra", "Fauzi",
          "Rachman", "Ramadhani", "Cahyono", "Haryanto", "Yulianto", "Mawarni", "Sutrisno")
# Degrees by kind of work; a few people write none.
DEGREES = {
    "health": ("S.Kep., Ns.", "Amd.Keb.", "S.KM.", "S.Tr.Keb.", "Amd.Kep.", "S.Gz.",
               "S.KM., M.Kes."),
    "doctor": ("dr.", "drg."),
    "general": ("S.Sos.", "S.E.", "S.T.", "S.H.", "S.Kom.", "S.AP.", "M.M.", "S.Pd.",
                "M.Si.", "S.IP.", "S.P.", "M.AP."),
}

# Who leads each kind of unit, and the positions of the people who carry innovations.
HEAD = {
    UnitKind.OPD: "Kepala",
    UnitKind.PUSKESMAS: "Kepala Puskesmas",
    UnitKind.KECAMATAN: "Camat",
    UnitKind.KELURAHAN: "Lurah",
    UnitKind.DESA: "Kepala Desa",
    UnitKind.RSUD: "Direktur",
    UnitKind.BUMD: "Direktur Utama",
    UnitKind.SEKOLAH: "Kepala Sekolah",
    UnitKind.OTHER: "Kepala",
}
STAFF = {
    UnitKind.OPD: ("Sekretaris", "Kepala Bidang Pelayanan", "Kepala Subbagian Perencanaan",
                   "Kepala Seksi Pengembangan Layanan", "Analis Kebijakan Ahli Muda",
                   "Pranata Komputer Ahli Pertama", "Perencana Ahli Muda",
                   "Kepala Subbagian Umum dan Kepegawaian", "Penyuluh Ahli Muda"),
    UnitKind.PUSKESMAS: ("Bidan Koordinator", "Perawat Ahli Muda", "Sanitarian",
                         "Promotor Kesehatan", "Nutrisionis", "Kepala Subbagian Tata Usaha",
                         "Dokter Ahli Pertama", "Pengelola Program P2M"),
    UnitKind.KECAMATAN: ("Sekretaris Camat", "Kepala Seksi Pelayanan Umum",
                         "Kepala Seksi Pemberdayaan Masyarakat dan Desa",
                         "Kepala Seksi Pemerintahan", "Kepala Seksi Ketenteraman dan Ketertiban"),
    UnitKind.KELURAHAN: ("Sekretaris Kelurahan", "Kepala Seksi Pemberdayaan Masyarakat"),
    UnitKind.DESA: ("Sekretaris Desa", "Kepala Urusan Perencanaan"),
    UnitKind.RSUD: ("Kepala Bidang Pelayanan Medik", "Kepala Instalasi Rawat Jalan",
                    "Kepala Bagian Perencanaan", "Kepala Instalasi Gawat Darurat"),
    UnitKind.BUMD: ("Kepala Bagian Pelayanan Pelanggan", "Kepala Bagian Teknik",
                    "Kepala Bagian Keuangan", "Kepala Seksi Teknologi Informasi"),
    UnitKind.SEKOLAH: ("Wakil Kepala Sekolah", "Guru"),
    UnitKind.OTHER: ("Staf",),
}


class Names:
    """Fictional names, none given twice in one lab."""

    def __init__(self, seed: str, taken: set[str] | None = None):
        self.rng = random.Random(seed)
        self.taken = set(taken or ())

    def plain(self, woman: bool | None = None) -> str:
        """"Siti Rahmawati": a given and a family name."""
        for _ in range(200):
            if woman is None:
                woman = self.rng.random() < 0.5
            given = self.rng.choice(WOMEN if woman else MEN)
            family = self.rng.choice(FAMILY)
            if given == family:
                continue
            name = f"{given} {family}"
            if name not in self.taken:
                self.taken.add(name)
                return name
            woman = None
        raise RuntimeError("ran out of demo names")

    def titled(self, kind: str = "general", woman: bool | None = None) -> str:
        """A name as it is signed: "dr. Ratna Wulandari" or "Agus Setiawan, S.Sos., M.M."."""
        name = self.plain(woman)
        if kind == "doctor":
            return f"{self.rng.choice(DEGREES['doctor'])} {name}"
        degree = self.rng.choice(DEGREES[kind])
        if kind == "general" and self.rng.random() < 0.35 and not degree.startswith("M."):
            degree += ", " + self.rng.choice(("M.M.", "M.Si.", "M.AP."))
        return f"{name}, {degree}"


def head_kind(unit_kind: str) -> str:
    return "doctor" if unit_kind in (UnitKind.PUSKESMAS, UnitKind.RSUD) else "general"


def staff_kind(unit_kind: str) -> str:
    return "health" if unit_kind in (UnitKind.PUSKESMAS, UnitKind.RSUD) else "general"


def bare(name: str) -> str:
    """The name without titles and degrees, as an account or a greeting uses it."""
    name = name.split(",")[0]
    parts = [p for p in name.split() if not p.endswith(".")]
    return " ".join(parts)
