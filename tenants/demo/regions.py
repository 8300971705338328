# ruff: noqa: E501, RUF001  (a data table: its rows read best whole)
"""The four demo regions as the programme's published record has them: their agreements with
LAN, their Bappeda, their units, their plan (RPJMD) and where their lab stands today.

Institutions, dates and counts follow the record (see ../shared/DESIGN.md §1); people are
fictional. Where the record is silent (a PKS date, an agreement's number) the value is a
plausible one and says so in a comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tenants.cohorts.models import Stage
from tenants.units.models import UnitKind as K

LAN_MOU_TITLE = "Kepala Lembaga Administrasi Negara"
LAN_PKS_TITLE = "Kepala Pusat Inovasi Pelayanan Publik, LAN"
# The LAN signatories over the years (fictional people, real offices).
LAN_HEADS = {2017: "Dr. Hendarto Wicaksono, M.Si.", 2021: "Prof. Dr. Rachmat Siswanto, M.A."}
LAN_CENTRE_HEADS = {2017: "Dr. Sri Hastuti Nugraheni, M.Si.",
                    2021: "Dr. Yudhistira Adiwinata, M.P.P."}


def by_year(signatories: dict[int, str], year: int) -> str:
    return signatories[max(y for y in signatories if y <= year)]


@dataclass(frozen=True)
class Agreement:
    number: str
    signed_on: date
    years: int  # validity
    regional_name: str
    regional_title: str


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    short: str | None = None
    domain: str | None = None  # what its ideas are about (tenants.demo.texts)


@dataclass(frozen=True)
class Rpjmd:
    title: str
    years: tuple[int, int]
    regulation: str
    # (misi, [(sasaran, [(indicator, measure, baseline, target, domains)])])
    misi: tuple


@dataclass(frozen=True)
class Region:
    code: str
    head_title: str            # who signs the MoU for the region
    head_names: dict           # {year: fictional name}
    bappeda: Unit              # the planning agency: the admin's unit
    bappeda_head_title: str    # who signs the PKS
    bappeda_head_names: dict
    mou: Agreement
    pks: Agreement
    renewal_numbers: tuple[str, str]  # MoU, PKS; "{year}" filled in
    admin: tuple[str, str]     # name, position (Bappeda administrator)
    innovator: tuple[str, str, str]  # name, unit name, position (an innovator account)
    stage: Stage               # where the lab stands today
    units: tuple
    ideas: dict                # unit kind -> (ideas, units they come from): the record
    rpjmd: Rpjmd
    places: str                # kecamatan named in the ideas' texts
    onboarding: dict = field(default_factory=dict)  # the days of the other steps
    coach: bool = True


def _kec(names: str) -> tuple[Unit, ...]:
    return tuple(Unit(f"Kecamatan {n}", K.KECAMATAN) for n in names.split(", "))


def _pkm(names: str) -> tuple[Unit, ...]:
    return tuple(Unit(f"Puskesmas {n}", K.PUSKESMAS) for n in names.split(", "))


def _opd(*rows: tuple[str, str, str]) -> tuple[Unit, ...]:
    return tuple(Unit(name, K.OPD, short, domain) for name, short, domain in rows)


# --- Kabupaten Probolinggo: MoU 16 March 2017; deliver, monev of 74 ideas ---------------

PROBOLINGGO_KECAMATAN = ("Sukapura, Sumber, Kuripan, Bantaran, Leces, Tegalsiwalan, "
                         "Banyuanyar, Tiris, Krucil, Gading, Pakuniran, Kotaanyar, Paiton, "
                         "Besuk, Kraksaan, Krejengan, Pajarakan, Maron, Gending, Dringu, "
                         "Wonomerto, Lumbang, Tongas, Sumberasih")

KAB_PROBOLINGGO = Region(
    code="35.13",
    head_title="Bupati Probolinggo",
    head_names={2017: "Hj. Nur Aisyah Kusumawardani, S.E., M.M.",
                2021: "Drs. H. Achmad Syaifullah, M.Si."},
    bappeda=Unit("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", K.OPD,
                 "Bapelitbangda", "bappeda"),
    bappeda_head_title="Kepala Bappeda Kabupaten Probolinggo",
    bappeda_head_names={2017: "Ir. Bambang Hermawan, M.T.",
                        2021: "Dr. Lukman Hadiwijaya, S.T., M.Si."},
    mou=Agreement("119/4124/426.101/2017", date(2017, 3, 16), 3,
                  "Hj. Nur Aisyah Kusumawardani, S.E., M.M.", "Bupati Probolinggo"),
    # The PKS date is not in the record: a month after the MoU.
    pks=Agreement("050/1187/426.201/2017", date(2017, 4, 18), 2,
                  "Ir. Bambang Hermawan, M.T.", "Kepala Bappeda Kabupaten Probolinggo"),
    renewal_numbers=("119/{n}/426.101/{year}", "050/{n}/426.201/{year}"),
    admin=("Dwi Hartono", "Kepala Bidang Penelitian dan Pengembangan, Bapelitbangda"),
    innovator=("Siti Nurhayati", "Puskesmas Kraksaan", "Bidan Koordinator"),
    stage=Stage.DELIVER,
    units=(
        *_opd(("Dinas Kesehatan", "Dinkes", "kesehatan"),
              ("Dinas Pendidikan", "Dispendik", "pendidikan"),
              ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", "dukcapil"),
              ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "pupr"),
              ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim", "perkim"),
              ("Dinas Sosial", "Dinsos", "sosial"),
              ("Dinas Pertanian", "Diperta", "pertanian"),
              ("Dinas Perikanan", "Diskan", "perikanan"),
              ("Dinas Koperasi dan Usaha Mikro", "Diskop UM", "koperasi"),
              ("Dinas Tenaga Kerja", "Disnaker", "tenagakerja"),
              ("Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga", "Disparbudpora",
               "pariwisata"),
              ("Dinas Lingkungan Hidup", "DLH", "lingkungan"),
              ("Dinas Perhubungan", "Dishub", "perhubungan"),
              ("Dinas Komunikasi dan Informatika", "Diskominfo", "kominfo"),
              ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP",
               "perizinan"),
              ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "desa"),
              ("Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan "
               "Perlindungan Anak", "DPPKBPPPA", "p3a"),
              ("Dinas Ketahanan Pangan", "DKP", "pangan"),
              ("Dinas Perpustakaan dan Kearsipan", "Dispersip", "perpustakaan"),
              ("Dinas Perindustrian dan Perdagangan", "Disperindag", "perdagangan"),
              ("Dinas Peternakan dan Kesehatan Hewan", "Disnakkeswan", "peternakan"),
              ("Satuan Polisi Pamong Praja", "Satpol PP", "satpol"),
              ("Badan Penanggulangan Bencana Daerah", "BPBD", "bencana"),
              ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM",
               "kepegawaian"),
              ("Badan Pendapatan Daerah", "Bapenda", "pendapatan"),
              ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "keuangan"),
              ("Inspektorat", None, "pengawasan"),
              ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", "kesbangpol")),
        Unit("RSUD Waluyo Jati Kraksaan", K.RSUD, "RSUD Waluyo Jati"),
        Unit("RSUD Tongas", K.RSUD),
        *_pkm(PROBOLINGGO_KECAMATAN),
        *_kec(PROBOLINGGO_KECAMATAN),
    ),
    ideas={K.OPD: (29, 24), K.PUSKESMAS: (20, 18), K.KECAMATAN: (25, 24)},
    places=PROBOLINGGO_KECAMATAN,
    rpjmd=Rpjmd(
        "RPJMD Kabupaten Probolinggo 2025–2029", (2025, 2029),
        "Peraturan Daerah Kabupaten Probolinggo Nomor 4 Tahun 2025",
        (("Mewujudkan sumber daya manusia yang sehat, cerdas dan berdaya saing",
          (("Meningkatnya derajat kesehatan masyarakat",
            (("Angka kematian ibu per 100.000 kelahiran hidup", "per 100.000 KH", "98",
              "75", ("kesehatan", "puskesmas")),
             ("Prevalensi stunting pada balita", "%", "21,7", "14", ("kesehatan", "puskesmas",
                                                                       "p3a", "pangan")))),
           ("Meningkatnya mutu dan akses pendidikan",
            (("Rata-rata lama sekolah", "tahun", "6,97", "7,60",
              ("pendidikan", "perpustakaan")),)))),
         ("Mewujudkan perekonomian daerah yang tangguh berbasis agribisnis dan pariwisata",
          (("Meningkatnya pertumbuhan ekonomi daerah",
            (("Laju pertumbuhan ekonomi", "%", "4,9", "5,6",
              ("pertanian", "perikanan", "koperasi", "pariwisata", "perdagangan",
               "peternakan", "tenagakerja", "perizinan")),)),
           ("Menurunnya kemiskinan",
            (("Persentase penduduk miskin", "%", "16,9", "12,5",
              ("sosial", "desa", "perkim", "kecamatan")),)))),
         ("Mewujudkan tata kelola pemerintahan yang bersih, inovatif dan melayani",
          (("Meningkatnya kualitas pelayanan publik",
            (("Indeks kepuasan masyarakat", "indeks", "80,1", "86",
              ("dukcapil", "kecamatan", "perizinan", "kominfo", "perhubungan", "satpol")),)),
           ("Meningkatnya akuntabilitas kinerja dan keuangan",
            (("Nilai SAKIP", "nilai", "B", "A",
              ("bappeda", "kepegawaian", "keuangan", "pendapatan", "pengawasan",
               "kesbangpol")),)))),
         ("Mewujudkan infrastruktur dan lingkungan hidup yang berkelanjutan",
          (("Meningkatnya kualitas infrastruktur dan lingkungan",
            (("Persentase jalan kabupaten dalam kondisi mantap", "%", "78", "88",
              ("pupr", "bencana", "lingkungan")),)),)),
         )),
    onboarding={"draft": date(2017, 3, 14), "accepted": date(2017, 4, 21)},
)

# --- Kota Probolinggo: lab and Apusida socialised 24 April 2018; five IGA innovations -----

KOTA_PROBOLINGGO = Region(
    code="35.74",
    head_title="Wali Kota Probolinggo",
    head_names={2017: "Hj. Ratna Sariwulan, S.E.", 2021: "dr. H. Arif Budiman, M.M."},
    bappeda=Unit("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", K.OPD,
                 "Bapperida", "bappeda"),
    bappeda_head_title="Kepala Bappeda Litbang Kota Probolinggo",
    bappeda_head_names={2017: "Ir. Heru Santosa, M.T.", 2021: "Dra. Endang Kusumaningrum, M.Si."},
    # The MoU and PKS dates are not in the record: a few weeks before the socialisation.
    mou=Agreement("415.4/0932/425.104/2018", date(2018, 3, 27), 3,
                  "Hj. Ratna Sariwulan, S.E.", "Wali Kota Probolinggo"),
    pks=Agreement("050/1043/425.104/2018", date(2018, 4, 16), 2,
                  "Ir. Heru Santosa, M.T.", "Kepala Bappeda Litbang Kota Probolinggo"),
    renewal_numbers=("415.4/{n}/425.104/{year}", "050/{n}/425.104/{year}"),
    admin=("Anita Rahmawati", "Kepala Bidang Riset dan Inovasi, Bapperida"),
    innovator=("Yusuf Hidayat", "Dinas Kesehatan", "Pengelola Program Kesehatan Lingkungan"),
    stage=Stage.DISPLAY,
    units=(
        *_opd(("Dinas Kesehatan", "Dinkes", "kesehatan"),
              ("Dinas Pendidikan", "Dispendik", "pendidikan"),
              ("Dinas Perikanan", "Diskan", "perikanan"),
              ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", "dukcapil"),
              ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP",
               "perizinan"),
              ("Dinas Sosial", "Dinsos", "sosial"),
              ("Dinas Lingkungan Hidup", "DLH", "lingkungan"),
              ("Dinas Komunikasi dan Informatika", "Diskominfo", "kominfo"),
              ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "pupr"),
              ("Dinas Perhubungan", "Dishub", "perhubungan"),
              ("Satuan Polisi Pamong Praja", "Satpol PP", "satpol"),
              ("Badan Keuangan Daerah", "BKD", "keuangan"),
              ("Inspektorat", None, "pengawasan")),
        Unit("RSUD dr. Mohamad Saleh", K.RSUD),
        Unit("Perumda Air Minum Bayuangga", K.BUMD, "PDAM Bayuangga", "pdam"),
        *_pkm("Jati, Kanigaran, Ketapang, Kedopok, Wonoasih, Sukabumi"),
        *_kec("Kademangan, Kanigaran, Kedopok, Mayangan, Wonoasih"),
        Unit("Kelurahan Mangunharjo", K.KELURAHAN), Unit("Kelurahan Sukabumi", K.KELURAHAN),
    ),
    ideas={},  # the five innovations of tenants.demo.awarded
    places="Kademangan, Kanigaran, Kedopok, Mayangan, Wonoasih",
    rpjmd=Rpjmd(
        "RPJMD Kota Probolinggo 2025–2029", (2025, 2029),
        "Peraturan Daerah Kota Probolinggo Nomor 3 Tahun 2025",
        (("Mewujudkan masyarakat yang sehat, cerdas dan sejahtera",
          (("Meningkatnya derajat kesehatan masyarakat",
            (("Persentase keluarga dengan akses sanitasi layak", "%", "91,4", "100",
              ("kesehatan",)),
             ("Persentase ODHA yang mendapat pengobatan ARV", "%", "62", "90",
              ("kesehatan",)))),
           ("Meningkatnya kualitas pendidikan",
            (("Persentase sekolah terakreditasi A", "%", "58", "75", ("pendidikan",)),)))),
         ("Mewujudkan ekonomi kota yang tumbuh dan merata",
          (("Meningkatnya konsumsi dan produksi perikanan",
            (("Angka konsumsi ikan", "kg/kapita/tahun", "35,70", "45", ("perikanan",)),)),)),
         ("Mewujudkan pelayanan publik yang prima",
          (("Meningkatnya cakupan dan mutu layanan air minum",
            (("Persentase rumah tangga terlayani air minum perpipaan", "%", "52", "70",
              ("pdam",)),)),)),
         )),
    onboarding={"draft": date(2018, 3, 26), "accepted": date(2018, 4, 24)},
)

# --- Kabupaten Tuban: MoU 3 April 2018; 118 ideas from 53 OPD, launched ------------------

KAB_TUBAN = Region(
    code="35.23",
    head_title="Bupati Tuban",
    head_names={2017: "H. Fathur Rozikin, S.H., M.H.", 2021: "H. Ahmad Mujib Rohmatullah, S.E."},
    bappeda=Unit("Badan Perencanaan Pembangunan Daerah", K.OPD, "Bappeda", "bappeda"),
    bappeda_head_title="Kepala Bappeda Kabupaten Tuban",
    bappeda_head_names={2017: "Ir. Sudarmaji Wiratama, M.M.", 2021: "Dr. Eko Julianto, S.T., M.T."},
    mou=Agreement("119/1387/414.103/2018", date(2018, 4, 3), 3,
                  "H. Fathur Rozikin, S.H., M.H.", "Bupati Tuban"),
    # The PKS date is not in the record: before the material of 18-20 April.
    pks=Agreement("050/1402/414.103/2018", date(2018, 4, 10), 2,
                  "Ir. Sudarmaji Wiratama, M.M.", "Kepala Bappeda Kabupaten Tuban"),
    renewal_numbers=("119/{n}/414.103/{year}", "050/{n}/414.103/{year}"),
    admin=("Hendra Kurniawan", "Kepala Bidang Penelitian dan Pengembangan, Bappeda"),
    innovator=("Wulan Sari", "RSUD Dr. R. Koesma", "Kepala Instalasi Rawat Jalan"),
    stage=Stage.DELIVER,
    units=_opd(
        # In Tuban's own report every one of these is an OPD (the RSUD is a perangkat
        # daerah of its own there), so the lab lists them as such.
        ("RSUD Dr. R. Koesma", "RSUD Koesma", "rsud"),
        ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", "pupr"),
        ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", "perkim"),
        ("Dinas Kesehatan", "Dinkes", "kesehatan"),
        ("Dinas Pendidikan", "Dindik", "pendidikan"),
        ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", "dukcapil"),
        ("Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak", "Dinsos P3A",
         "sosial"),
        ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", "p3a"),
        ("Dinas Ketahanan Pangan, Pertanian dan Peternakan", "DKP2P", "pertanian"),
        ("Dinas Perikanan", "Diskan", "perikanan"),
        ("Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskopumdag", "koperasi"),
        ("Dinas Tenaga Kerja dan Perindustrian", "Disnakerin", "tenagakerja"),
        ("Dinas Kebudayaan, Kepemudaan, Olahraga dan Pariwisata", "Disbudporapar",
         "pariwisata"),
        ("Dinas Lingkungan Hidup", "DLH", "lingkungan"),
        ("Dinas Perhubungan", "Dishub", "perhubungan"),
        ("Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfo SP",
         "kominfo"),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "perizinan"),
        ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "desa"),
        ("Dinas Perpustakaan dan Kearsipan", "Dinas Arpus", "perpustakaan"),
        ("Satuan Polisi Pamong Praja", "Satpol PP", "satpol"),
        ("Badan Penanggulangan Bencana Daerah", "BPBD", "bencana"),
        ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "kepegawaian"),
        ("Badan Pendapatan Daerah", "Bapenda", "pendapatan"),
        ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "keuangan"),
        ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", "kesbangpol"),
        ("Inspektorat", None, "pengawasan"),
        ("Sekretariat DPRD", "Setwan", "setwan"),
        ("Bagian Pemerintahan Sekretariat Daerah", "Bag. Pemerintahan", "pemerintahan"),
        ("Bagian Hukum Sekretariat Daerah", "Bag. Hukum", "hukum"),
        ("Bagian Organisasi Sekretariat Daerah", "Bag. Organisasi", "organisasi"),
        ("Bagian Perekonomian dan Sumber Daya Alam Sekretariat Daerah", "Bag. Perekonomian",
         "perekonomian"),
        ("Bagian Administrasi Pembangunan Sekretariat Daerah", "Bag. Adm. Pembangunan",
         "pembangunan"),
        ("Bagian Kesejahteraan Rakyat Sekretariat Daerah", "Bag. Kesra", "kesra"),
        ("Bagian Umum Sekretariat Daerah", "Bag. Umum", "umum"),
        ("Bagian Protokol dan Komunikasi Pimpinan Sekretariat Daerah", "Bag. Prokopim",
         "prokopim"),
        ("Bagian Pengadaan Barang dan Jasa Sekretariat Daerah", "Bag. PBJ", "pengadaan"),
        ("UPTD Laboratorium Kesehatan Daerah", "Labkesda", "kesehatan"),
        ("UPTD Instalasi Farmasi Kabupaten", "IFK", "kesehatan"),
        ("UPTD Pengujian Kendaraan Bermotor", "UPTD PKB", "perhubungan"),
        ("UPTD Terminal Kambang Putih", "Terminal", "perhubungan"),
        ("UPTD Pasar Baru Tuban", "Pasar Baru", "perdagangan"),
        ("UPTD Metrologi Legal", "Metrologi", "perdagangan"),
        ("UPTD Balai Latihan Kerja", "BLK", "tenagakerja"),
        ("UPTD Museum Kambang Putih", "Museum", "pariwisata"),
        ("UPTD Pengelolaan Sampah dan Limbah", "UPTD Sampah", "lingkungan"),
        ("UPTD Laboratorium Lingkungan", "Lab. Lingkungan", "lingkungan"),
        ("UPTD Perlindungan Perempuan dan Anak", "UPTD PPA", "p3a"),
        ("UPTD Balai Benih Ikan", "BBI", "perikanan"),
        ("UPTD Rumah Potong Hewan", "RPH", "peternakan"),
        ("UPTD Pengelolaan Air Limbah Domestik", "UPTD PALD", "perkim"),
        ("UPTD Pemadam Kebakaran", "Damkar", "satpol"),
        ("UPTD Pelayanan Pajak Daerah Wilayah Barat", "UPPD Barat", "pendapatan"),
    ),
    ideas={K.OPD: (118, 53)},
    places="Jenu, Semanding, Palang, Merakurak, Kerek, Montong, Rengel, Soko, Bancar, "
           "Jatirogo, Plumpang, Widang",
    rpjmd=Rpjmd(
        "RPJMD Kabupaten Tuban 2025–2029", (2025, 2029),
        "Peraturan Daerah Kabupaten Tuban Nomor 5 Tahun 2025",
        (("Meningkatkan kualitas sumber daya manusia yang sehat, cerdas dan berakhlak",
          (("Meningkatnya derajat kesehatan masyarakat",
            (("Indeks kepuasan pasien rumah sakit daerah", "indeks", "78", "88",
              ("rsud", "kesehatan")),
             ("Prevalensi stunting pada balita", "%", "18,2", "12", ("kesehatan", "p3a")))),
           ("Meningkatnya kualitas pendidikan dan kebudayaan",
            (("Harapan lama sekolah", "tahun", "12,6", "13,1",
              ("pendidikan", "perpustakaan", "pariwisata")),)))),
         ("Membangun infrastruktur dan permukiman yang layak dan berkelanjutan",
          (("Meningkatnya kualitas infrastruktur wilayah",
            (("Persentase jalan kabupaten kondisi mantap", "%", "81", "90",
              ("pupr", "perhubungan", "bencana")),)),
           ("Berkurangnya kawasan permukiman kumuh",
            (("Luas kawasan kumuh", "ha", "96,4", "40", ("perkim", "lingkungan")),)))),
         ("Memperkuat ekonomi kerakyatan berbasis pertanian, maritim dan industri",
          (("Meningkatnya pertumbuhan ekonomi dan kesempatan kerja",
            (("Tingkat pengangguran terbuka", "%", "4,1", "3,2",
              ("tenagakerja", "koperasi", "perizinan", "perdagangan", "perekonomian")),
             ("Nilai tukar petani dan nelayan", "indeks", "102", "108",
              ("pertanian", "perikanan", "peternakan")))),
           ("Menurunnya kemiskinan",
            (("Persentase penduduk miskin", "%", "14,9", "11", ("sosial", "desa", "kesra")),)))),
         ("Mewujudkan tata kelola pemerintahan yang bersih, digital dan melayani",
          (("Meningkatnya kualitas pelayanan publik",
            (("Indeks pelayanan publik", "indeks", "3,6", "4,2",
              ("dukcapil", "kominfo", "satpol", "pemerintahan", "prokopim", "umum")),)),
           ("Meningkatnya akuntabilitas kinerja dan keuangan daerah",
            (("Opini BPK atas laporan keuangan", "opini", "WTP", "WTP",
              ("keuangan", "pendapatan", "pengawasan", "pengadaan", "bappeda",
               "kepegawaian", "hukum", "organisasi", "pembangunan", "setwan",
               "kesbangpol")),)))),
         )),
    onboarding={"draft": date(2018, 4, 2), "accepted": date(2018, 4, 18)},
)

# --- Kabupaten Purbalingga: lab mentoring 12 October 2022; 174 ideas from 86 units -------

PURBALINGGA_KECAMATAN = ("Bobotsari, Bojongsari, Bukateja, Kaligondang, Kalimanah, "
                         "Karanganyar, Karangjambu, Karangmoncol, Karangreja, Kejobong, "
                         "Kemangkon, Kertanegara, Kutasari, Mrebet, Padamara, Pengadegan, "
                         "Purbalingga, Rembang")

KAB_PURBALINGGA = Region(
    code="33.03",
    head_title="Bupati Purbalingga",
    head_names={2017: "Dyah Ayu Kusumaningtyas, S.E., M.Si.", 2021: "Dyah Ayu Kusumaningtyas, S.E., M.Si.",
                2025: "H. Bayu Aji Prasetya, S.T., M.M."},
    bappeda=Unit("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", K.OPD,
                 "Bappelitbangda", "bappeda"),
    bappeda_head_title="Kepala Bappelitbangda Kabupaten Purbalingga",
    bappeda_head_names={2017: "Ir. Setyo Budi Rahardjo, M.T.", 2021: "Ir. Setyo Budi Rahardjo, M.T.",
                        2025: "Dr. Ratih Puspitasari, S.E., M.Si."},
    # The MoU and PKS dates are not in the record: the months before the lab mentoring.
    mou=Agreement("119/2211/2022", date(2022, 8, 24), 3,
                  "Dyah Ayu Kusumaningtyas, S.E., M.Si.", "Bupati Purbalingga"),
    pks=Agreement("050/4172/2022", date(2022, 9, 19), 2,
                  "Ir. Setyo Budi Rahardjo, M.T.", "Kepala Bappelitbangda Kabupaten Purbalingga"),
    renewal_numbers=("119/{n}/{year}", "050/{n}/{year}"),
    admin=("Eko Widodo", "Kepala Bidang Penelitian dan Pengembangan, Bappelitbangda"),
    innovator=("Nur Aini", "Puskesmas Bobotsari", "Promotor Kesehatan"),
    stage=Stage.DIAGNOSE,
    units=(
        *_opd(("Dinas Pendidikan dan Kebudayaan", "Dindikbud", "pendidikan"),
              ("Dinas Kesehatan", "Dinkes", "kesehatan"),
              ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "pupr"),
              ("Dinas Perumahan dan Kawasan Permukiman", "Dinrumkim", "perkim"),
              ("Satuan Polisi Pamong Praja", "Satpol PP", "satpol"),
              ("Dinas Sosial, Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan "
               "Perempuan dan Perlindungan Anak", "Dinsosdaldukkbp3a", "sosial"),
              ("Dinas Tenaga Kerja, Koperasi dan Usaha Kecil Menengah", "Dinnakerkop UKM",
               "koperasi"),
              ("Dinas Ketahanan Pangan dan Perikanan", "Dinkanak", "perikanan"),
              ("Dinas Lingkungan Hidup", "DLH", "lingkungan"),
              ("Dinas Kependudukan dan Pencatatan Sipil", "Dindukcapil", "dukcapil"),
              ("Dinas Pemberdayaan Masyarakat dan Desa", "Dinpermasdes", "desa"),
              ("Dinas Perhubungan", "Dinhub", "perhubungan"),
              ("Dinas Komunikasi dan Informatika", "Dinkominfo", "kominfo"),
              ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP",
               "perizinan"),
              ("Dinas Kepemudaan, Olahraga dan Pariwisata", "Dinporapar", "pariwisata"),
              ("Dinas Arsip dan Perpustakaan", "Dinarpus", "perpustakaan"),
              ("Dinas Pertanian", "Distan", "pertanian"),
              ("Dinas Perindustrian dan Perdagangan", "Dinperindag", "perdagangan"),
              ("Badan Keuangan Daerah", "BKD", "keuangan"),
              ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM",
               "kepegawaian"),
              ("Badan Penanggulangan Bencana Daerah", "BPBD", "bencana"),
              ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "kesbangpol"),
              ("Inspektorat Daerah", "Inspektorat", "pengawasan"),
              ("Sekretariat DPRD", "Setwan", "setwan"),
              ("Bagian Pemerintahan Sekretariat Daerah", "Bag. Pemerintahan", "pemerintahan"),
              ("Bagian Hukum Sekretariat Daerah", "Bag. Hukum", "hukum"),
              ("Bagian Organisasi Sekretariat Daerah", "Bag. Organisasi", "organisasi"),
              ("Bagian Perekonomian dan Sumber Daya Alam Sekretariat Daerah",
               "Bag. Perekonomian", "perekonomian"),
              ("Bagian Kesejahteraan Rakyat Sekretariat Daerah", "Bag. Kesra", "kesra"),
              ("Bagian Pengadaan Barang dan Jasa Sekretariat Daerah", "Bag. PBJ",
               "pengadaan"),
              ("Bagian Umum Sekretariat Daerah", "Bag. Umum", "umum"),
              ("Bagian Protokol dan Komunikasi Pimpinan Sekretariat Daerah", "Bag. Prokompim",
               "prokopim"),
              ("Bagian Administrasi Pembangunan Sekretariat Daerah", "Bag. Adm. Pembangunan",
               "pembangunan"),
              ("Bagian Perencanaan dan Keuangan Sekretariat Daerah", "Bag. Renkeu",
               "keuangan")),
        Unit("RSUD dr. R. Goeteng Taroenadibrata", K.RSUD, "RSUD Goeteng"),
        *_kec(PURBALINGGA_KECAMATAN),
        *_pkm("Kemangkon, Bukateja, Kutawis, Kejobong, Pengadegan, Kaligondang, Kalikajar, "
              "Kalimanah, Padamara, Kutasari, Bojongsari, Mrebet, Serayu Larangan, Bobotsari, "
              "Karangreja, Karangjambu, Karanganyar, Kertanegara, Karangmoncol, Rembang, "
              "Purbalingga, Bojong, Onje, Tlahab Lor, Kembaran Kulon"),
        Unit("Perumda Air Minum Tirta Perwira", K.BUMD, "PDAM Tirta Perwira", "pdam"),
        Unit("Perumda BPR Bank Purbalingga", K.BUMD, "Bank Purbalingga", "bank"),
        Unit("PT BPR Artha Perwira (Perseroda)", K.BUMD, "BPR Artha Perwira", "bank"),
        Unit("Perumda Puspahastama", K.BUMD, "Puspahastama", "usaha"),
        Unit("Perumda Owabong", K.BUMD, "Owabong", "wisata_bumd"),
        Unit("Perumda Pasar Purbalingga", K.BUMD, "Perumda Pasar", "usaha"),
        Unit("PT Purbalingga Ventura (Perseroda)", K.BUMD, "Purbalingga Ventura", "usaha"),
        Unit("Perumda Aneka Usaha Perwira", K.BUMD, "Aneka Usaha", "usaha"),
    ),
    ideas={K.OPD: (70, 35), K.KECAMATAN: (36, 18), K.PUSKESMAS: (50, 25), K.BUMD: (18, 8)},
    places=PURBALINGGA_KECAMATAN,
    rpjmd=Rpjmd(
        "RPJMD Kabupaten Purbalingga 2025–2029", (2025, 2029),
        "Peraturan Daerah Kabupaten Purbalingga Nomor 2 Tahun 2025",
        (("Mewujudkan sumber daya manusia Purbalingga yang sehat, cerdas dan berkarakter",
          (("Meningkatnya derajat kesehatan masyarakat",
            (("Prevalensi stunting pada balita", "%", "19,6", "12",
              ("kesehatan", "puskesmas", "sosial")),
             ("Angka kematian bayi per 1.000 kelahiran hidup", "per 1.000 KH", "8,9", "6",
              ("kesehatan", "puskesmas")))),
           ("Meningkatnya kualitas pendidikan",
            (("Rata-rata lama sekolah", "tahun", "7,5", "8,2",
              ("pendidikan", "perpustakaan")),)))),
         ("Mewujudkan ekonomi daerah yang berdaya saing berbasis potensi lokal",
          (("Meningkatnya pertumbuhan ekonomi daerah",
            (("Laju pertumbuhan ekonomi", "%", "4,8", "5,5",
              ("koperasi", "perikanan", "pertanian", "perdagangan", "pariwisata",
               "perizinan", "perekonomian", "bumd")),)),
           ("Menurunnya kemiskinan",
            (("Persentase penduduk miskin", "%", "14,3", "10,5",
              ("sosial", "desa", "kecamatan", "kesra")),)))),
         ("Mewujudkan tata kelola pemerintahan yang bersih, efektif dan melayani",
          (("Meningkatnya kualitas pelayanan publik",
            (("Indeks kepuasan masyarakat", "indeks", "82", "88",
              ("dukcapil", "kecamatan", "kominfo", "perhubungan", "satpol", "umum",
               "prokopim", "pemerintahan")),)),
           ("Meningkatnya akuntabilitas kinerja dan keuangan",
            (("Indeks reformasi birokrasi", "nilai", "68", "75",
              ("bappeda", "keuangan", "kepegawaian", "pengawasan", "kesbangpol", "setwan",
               "hukum", "organisasi", "pengadaan", "pembangunan")),)))),
         ("Mewujudkan infrastruktur dan lingkungan yang tangguh",
          (("Meningkatnya kualitas infrastruktur dan ketangguhan bencana",
            (("Persentase jalan kabupaten kondisi mantap", "%", "74", "85",
              ("pupr", "perkim", "bencana", "lingkungan")),)),)),
         )),
    onboarding={"draft": date(2022, 8, 22), "accepted": date(2022, 9, 28)},
)

REGIONS = (KAB_PROBOLINGGO, KOTA_PROBOLINGGO, KAB_TUBAN, KAB_PURBALINGGA)
