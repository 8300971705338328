"""The words of the demo's ideas, as a lab writes them (in Indonesian): problem statements,
root causes, the rancang bangun of 300 words and more, results, milestones and coaching.

A few texts per kind of innovation, put together and varied from a seeded generator, so
that two ideas never read the same and a load always writes the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tenants.demo.themes import GENERAL, GOVERNANCE, TEMATIK, THEMES


@dataclass
class Theme:
    acronym: str
    expansion: str
    urusan: str
    digital: bool
    problem: str
    target: str
    domain: str

    @property
    def title(self) -> str:
        return self.expansion


def themes_for(domain: str) -> list[Theme]:
    return [Theme(a, e, u, j == "d", p, t, domain) for a, e, u, j, p, t in THEMES[domain]]


def general_themes() -> list[Theme]:
    return [Theme(a, e, u, j == "d", p, t, "general") for a, e, u, j, p, t in GENERAL]


def bentuk(theme: Theme) -> str:
    return "tata_kelola" if theme.domain in GOVERNANCE else "pelayanan_publik"


def tematik(theme: Theme) -> str:
    if theme.digital and theme.domain not in TEMATIK:
        return "digitalisasi_layanan"
    return TEMATIK.get(theme.domain, "non_tematik")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Diagnose --------------------------------------------------------------------------

PROBLEM_OPENINGS = (
    "Selama ini {problem}.",
    "Permasalahan utama yang kami hadapi: {problem}.",
    "Dari pengaduan dan data layanan tiga tahun terakhir terlihat bahwa {problem}.",
    "Hasil pemetaan masalah bersama pemangku kepentingan menunjukkan bahwa {problem}.",
)
PROBLEM_EVIDENCE = (
    "Pada tahun {year}, {unit} mencatat {n} keluhan terkait hal ini, naik dari {m} pada "
    "tahun sebelumnya.",
    "Data {unit} tahun {year} menunjukkan baru {p}% sasaran yang terlayani sesuai standar.",
    "Survei kepuasan tahun {year} menempatkan layanan ini pada nilai {ikm}, terendah di "
    "antara layanan {unit}.",
    "Rata-rata waktu penyelesaian layanan masih {d} hari kerja, jauh di atas standar "
    "pelayanan yang ditetapkan.",
)
PROBLEM_IMPACT = (
    "Akibatnya {target} menanggung biaya dan waktu yang tidak perlu, dan kepercayaan "
    "kepada pemerintah daerah menurun.",
    "Dampaknya paling terasa pada {target}, terutama yang tinggal jauh dari pusat {place}.",
    "Bila dibiarkan, masalah ini menghambat pencapaian sasaran RPJMD dan merugikan "
    "{target}.",
)
ROOT_CAUSES_DIGITAL = (
    "Pencatatan masih manual di buku register dan lembar kerja yang terpisah-pisah.",
    "Tidak ada satu basis data bersama, sehingga data antarbidang berbeda.",
    "Informasi layanan tidak tersedia secara daring; warga harus datang untuk bertanya.",
    "Petugas menghabiskan waktu untuk merekap laporan, bukan melayani.",
    "Pimpinan tidak memiliki data terkini untuk mengambil keputusan.",
)
ROOT_CAUSES_PEOPLE = (
    "Jumlah petugas terbatas dibandingkan luas wilayah dan jumlah sasaran.",
    "Pengetahuan dan kesadaran sasaran tentang layanan masih rendah.",
    "Jarak dan biaya transportasi menghalangi warga datang ke tempat layanan.",
    "Koordinasi lintas sektor belum berjalan; setiap pihak bekerja sendiri.",
    "Belum ada prosedur baku dan pembagian peran yang jelas.",
    "Anggaran kegiatan kecil dan belum melibatkan desa maupun dunia usaha.",
)


def problem(theme: Theme, unit: str, place: str, year: int, rng: random.Random) -> str:
    parts = [rng.choice(PROBLEM_OPENINGS), rng.choice(PROBLEM_EVIDENCE),
             rng.choice(PROBLEM_IMPACT)]
    values = dict(problem=theme.problem, unit=unit, year=year, n=rng.randint(40, 380),
                  m=rng.randint(20, 200), p=rng.randint(38, 71), ikm=f"{rng.randint(68, 77)},"
                  f"{rng.randint(1, 9)}", d=rng.randint(5, 14), target=theme.target,
                  place=place)
    return _sentence(" ".join(p.format(**values) for p in parts))


def root_causes(theme: Theme, rng: random.Random) -> str:
    pool = list(ROOT_CAUSES_PEOPLE)
    if theme.digital:
        causes = rng.sample(ROOT_CAUSES_DIGITAL, 2) + rng.sample(pool, 1)
    else:
        causes = rng.sample(pool, 3)
    return "\n".join(f"{i}. {c}" for i, c in enumerate(causes, start=1))


def affected(theme: Theme, place: str, rng: random.Random) -> str:
    share = rng.choice(("sebagian besar", "lebih dari separuh", "sekitar sepertiga"))
    return (f"{_sentence(theme.target)} di {place}; {share} dari mereka tinggal di desa yang "
            f"jauh dari tempat layanan.")


# --- Design: rancang bangun (300 words and more) ---------------------------------------

BACKGROUND = (
    "{acronym} ({expansion}) lahir dari pengalaman sehari-hari petugas {unit} yang melihat "
    "bahwa {problem}. Inovasi ini dirancang setelah tim melakukan pemetaan masalah, "
    "wawancara dengan {target}, dan penelusuran praktik baik di daerah lain yang "
    "kemudian disesuaikan dengan kondisi {place}. Rancangan ini juga mengacu pada sasaran "
    "RPJMD dan standar pelayanan minimal yang berlaku.",
    "Latar belakang {acronym} adalah kenyataan bahwa {problem}. Dalam laboratorium inovasi, "
    "tim {unit} memetakan akar masalah bersama {target} dan perangkat daerah terkait, lalu "
    "memilih gagasan yang paling mungkin dijalankan dengan sumber daya yang ada. Inovasi "
    "ini tidak menambah organisasi baru, tetapi mengubah cara kerja yang sudah ada.",
)
PURPOSE = (
    "Tujuan {acronym} adalah mempercepat dan mempermudah layanan bagi {target}, "
    "meningkatkan ketepatan data, dan memberi pimpinan gambaran yang utuh untuk mengambil "
    "keputusan. Sasaran kuantitatifnya: waktu layanan turun sedikitnya separuh, cakupan "
    "sasaran naik menjadi {target_pct}%, dan keluhan berkurang nyata pada tahun pertama.",
    "Inovasi ini bertujuan agar {target} memperoleh layanan yang lebih dekat, lebih cepat "
    "dan lebih pasti. Secara terukur, {acronym} menargetkan cakupan {target_pct}% pada akhir "
    "tahun pertama penerapan, dengan waktu tunggu yang tidak melebihi standar pelayanan.",
)
MECHANISM_DIGITAL = (
    "Cara kerjanya sebagai berikut. Pertama, {target} atau petugas mendaftarkan kebutuhan "
    "melalui aplikasi berbasis web yang juga dapat dibuka dari telepon genggam. Kedua, "
    "permohonan diverifikasi petugas {unit} paling lambat satu hari kerja, dan statusnya "
    "dapat dipantau pemohon. Ketiga, data yang masuk tersimpan dalam satu basis data yang "
    "dapat dibagi pakai dengan perangkat daerah lain melalui portal satu data. Keempat, "
    "dasbor menampilkan capaian harian bagi pimpinan, lengkap dengan peringatan bila ada "
    "permohonan yang melewati batas waktu.",
    "Alur layanan {acronym} dibuat sesederhana mungkin: pemohon cukup mengisi formulir "
    "daring dan mengunggah dokumen pendukung; notifikasi dikirim melalui pesan singkat pada "
    "setiap tahap; petugas memproses permohonan dari satu layar kerja; dan hasil layanan "
    "dapat diunduh atau diambil tanpa antre. Rekapitulasi dibuat otomatis setiap bulan, "
    "sehingga petugas tidak lagi menghabiskan waktu untuk merekap laporan.",
)
MECHANISM_FIELD = (
    "Mekanismenya bertumpu pada layanan jemput bola. Petugas {unit} bersama kader dan "
    "perangkat desa menyusun jadwal kunjungan bulanan ke setiap desa, mendata sasaran dari "
    "rumah ke rumah, dan memberikan layanan langsung di balai desa atau rumah warga. Kasus "
    "yang membutuhkan tindak lanjut dicatat dalam buku kendali dan dirujuk ke layanan yang "
    "tepat dalam waktu paling lama tiga hari, lalu dipantau sampai tuntas.",
    "{acronym} dijalankan melalui tiga kegiatan pokok: pendataan sasaran oleh kader dan "
    "perangkat desa; pertemuan rutin bersama {target} untuk edukasi dan pendampingan; serta "
    "pemantauan bulanan oleh tim {unit} yang mencocokkan data lapangan dengan data layanan. "
    "Setiap desa memiliki satu penanggung jawab yang melaporkan perkembangan melalui grup "
    "koordinasi, sehingga hambatan cepat diketahui dan diatasi.",
)
ROLES = (
    "Peran para pihak dibagi dengan jelas. {unit} menjadi penanggung jawab dan penyedia "
    "layanan; kecamatan dan pemerintah desa membantu pendataan dan sosialisasi; Bappeda "
    "mengawal keterkaitan dengan RPJMD dan penganggaran; Dinas Komunikasi dan Informatika "
    "mendukung infrastruktur dan keamanan data; sedangkan tokoh masyarakat, organisasi "
    "kemasyarakatan dan dunia usaha dilibatkan sebagai mitra, antara lain melalui dana "
    "tanggung jawab sosial perusahaan.",
    "Inovasi ini melibatkan banyak pihak: kepala {unit} sebagai penanggung jawab, tim "
    "inovator sebagai pelaksana harian, kader dan relawan desa sebagai penggerak di "
    "lapangan, serta perangkat daerah terkait sebagai mitra. Kesepakatan peran dituangkan "
    "dalam surat keputusan kepala perangkat daerah dan perjanjian kerja sama dengan mitra.",
)
RESOURCES = (
    "Sumber daya yang dibutuhkan relatif kecil: sumber daya manusia yang sudah ada di {unit} "
    "dan di desa, perangkat komputer dan jaringan yang tersedia, serta anggaran operasional "
    "dari DPA perangkat daerah untuk sosialisasi, pelatihan petugas dan pemeliharaan. "
    "Kebutuhan tambahan diusulkan melalui perubahan anggaran dan dana desa.",
    "Pembiayaan berasal dari APBD melalui DPA {unit}, didukung dana desa untuk kegiatan di "
    "tingkat desa dan kontribusi mitra. Tidak diperlukan pegawai baru; yang diperlukan "
    "adalah pelatihan singkat bagi petugas dan kader, serta penyesuaian standar operasional "
    "prosedur.",
)
STAGES_TEXT = (
    "Tahapan penerapannya: sosialisasi dan pelatihan pada bulan pertama; uji coba di {pilot} "
    "selama dua bulan; evaluasi dan perbaikan; launching oleh kepala daerah; lalu penerapan "
    "di seluruh wilayah dengan monitoring dan evaluasi setiap triwulan. Hasil uji coba "
    "menjadi dasar penyempurnaan prosedur sebelum penerapan penuh.",
    "Penerapan dilakukan bertahap. Uji coba dimulai di {pilot}, dipilih karena masalahnya "
    "paling berat. Setelah dua bulan, tim menilai hasilnya bersama coach LAN dan Bappeda, "
    "memperbaiki prosedur, kemudian memperluas penerapan ke wilayah lain setelah launching.",
)
SUSTAINABILITY = (
    "Keberlanjutan {acronym} dijaga dengan menetapkan standar operasional prosedur, "
    "memasukkan kegiatannya ke dalam rencana kerja dan anggaran tahunan, dan mengusulkan "
    "penetapannya dalam peraturan kepala daerah. Monitoring dan evaluasi dilakukan setiap "
    "triwulan dengan indikator yang sama dengan indikator kinerja daerah, sehingga "
    "keberhasilannya tercatat dalam laporan kinerja dan dapat direplikasi daerah lain.",
    "Agar tidak berhenti ketika inovator berpindah tugas, pengetahuan tentang {acronym} "
    "didokumentasikan dalam panduan, petugas pengganti dilatih sejak awal, dan kegiatannya "
    "menjadi bagian dari standar pelayanan. Risiko utama, yaitu rendahnya partisipasi dan "
    "gangguan teknis, diantisipasi dengan sosialisasi berulang dan layanan bantuan.",
)


def design(theme: Theme, unit: str, place: str, pilot: str, rng: random.Random) -> str:
    mechanism = MECHANISM_DIGITAL if theme.digital else MECHANISM_FIELD
    parts = [rng.choice(BACKGROUND), rng.choice(PURPOSE), rng.choice(mechanism),
             rng.choice(ROLES), rng.choice(RESOURCES), rng.choice(STAGES_TEXT),
             rng.choice(SUSTAINABILITY)]
    values = dict(acronym=theme.acronym, expansion=theme.expansion, unit=unit,
                  problem=theme.problem, target=theme.target, place=place, pilot=pilot,
                  target_pct=rng.choice((75, 80, 85, 90, 95)))
    return "\n\n".join(_sentence(p.format(**values)) for p in parts)


def solution(theme: Theme, unit: str, rng: random.Random) -> str:
    how = ("layanan daring yang terhubung dengan basis data bersama" if theme.digital
           else "layanan jemput bola yang melibatkan kader dan perangkat desa")
    return (f"{theme.acronym}: {theme.expansion.lower()} oleh {unit}, berupa {how}, dengan "
            f"prosedur yang dibakukan dan dipantau setiap bulan.")


def beneficiaries(theme: Theme, rng: random.Random) -> str:
    n = rng.choice((350, 500, 800, 1200, 2400, 4000, 6500))
    count = f"{n:,}".replace(",", ".")  # 1.200, as Indonesian writes thousands
    return f"{_sentence(theme.target)}: sekitar {count} orang pada tahun pertama."


def expected_results(theme: Theme, rng: random.Random) -> str:
    return rng.choice((
        "Waktu layanan turun dari rata-rata {a} hari menjadi {b} hari; cakupan sasaran naik "
        "menjadi {p}%; indeks kepuasan masyarakat naik sedikitnya 5 poin.",
        "Cakupan sasaran naik dari {q}% menjadi {p}% dalam satu tahun; data sasaran mutakhir "
        "setiap bulan; keluhan terkait layanan turun separuh.",
        "Seluruh sasaran terdata dalam satu basis data; {p}% permohonan selesai sesuai "
        "standar waktu; laporan bulanan tersusun otomatis.",
    )).format(a=rng.randint(6, 14), b=rng.randint(1, 3), p=rng.choice((80, 85, 90, 95)),
              q=rng.randint(40, 65))


def results(theme: Theme, rng: random.Random) -> str:
    return (f"Setelah setahun diterapkan, {theme.acronym} menjangkau {rng.randint(72, 96)}% "
            f"sasaran, waktu layanan turun {rng.randint(45, 80)}%, dan indeks kepuasan naik "
            f"dari {rng.randint(70, 76)} menjadi {rng.randint(82, 90)}.")


# --- Action plans, notes and coaching ---------------------------------------------------

# An action plan: preparation and the pilot before the launching, implementation after.
PREPARATION = (
    ("Penetapan tim inovasi dan SK kepala perangkat daerah", 7),
    ("Penyusunan standar operasional prosedur {acronym}", 10),
    ("Sosialisasi {acronym} kepada {target}", 10),
    ("Pelatihan petugas dan kader pelaksana", 7),
    ("Uji coba {acronym} di wilayah percontohan", 21),
)
PREPARATION_DIGITAL = (
    ("Penyusunan kebutuhan dan rancangan aplikasi {acronym}", 10),
    ("Pengembangan aplikasi bersama Dinas Kominfo", 21),
)
LAUNCH_STEP = "Launching {acronym} oleh kepala daerah"
IMPLEMENTATION = (
    ("Pendampingan pelaksana pada bulan pertama penerapan", 21),
    ("Penerapan {acronym} di seluruh wilayah", 45),
    ("Monitoring dan evaluasi triwulan I", 14),
    ("Evaluasi capaian dan penyusunan bahan display", 30),
)
CONTRACT = (
    ("Penandatanganan kontrak kinerja inovasi dengan Bupati Tuban", 10),
    ("Laporan kemajuan triwulan I kontrak kinerja inovasi", 20),
)
MONEV_STEP = "Presentasi rencana aksi pada monev tim LAN"
NOTES_DONE = (
    "Selesai sesuai jadwal. Dokumentasi dan daftar hadir diunggah.",
    "Sudah terlaksana; peserta hadir {n} orang.",
    "Selesai. Beberapa masukan peserta kami catat untuk perbaikan SOP.",
    "Tuntas, berita acara sudah ditandatangani.",
)
NOTES_PROGRESS = (
    "Sedang berjalan, sekitar {p}% selesai.",
    "Masih berjalan; menunggu jadwal dari pihak desa.",
    "Berjalan, tetapi anggaran baru cair bulan ini sehingga agak mundur.",
    "Dalam proses; koordinasi dengan perangkat daerah terkait sudah dilakukan.",
)
COACH_COMMENTS = (
    "Rumusan masalahnya sudah tajam. Coba tambahkan data pembanding dari tahun sebelumnya "
    "agar dampak inovasinya nanti bisa diukur.",
    "Akar masalah nomor 2 menurut saya yang paling menentukan. Apakah rencana aksinya sudah "
    "menjawab itu secara langsung?",
    "Rencana aksinya sudah lengkap. Pastikan setiap milestone punya penanggung jawab yang "
    "benar-benar akan menjalankannya, bukan hanya kepala unit.",
    "Untuk monev, siapkan bukti dukung per milestone (foto, daftar hadir, SK). Penilai akan "
    "menanyakan itu di meja monev.",
    "Bagus. Pertimbangkan kerja sama dengan desa agar biaya operasional bisa dibagi melalui "
    "dana desa.",
    "Indikator keberhasilannya sebaiknya sama dengan indikator RPJMD yang dipilih, supaya "
    "capaiannya langsung terbaca di laporan kinerja daerah.",
    "Milestone uji coba terlihat terlambat. Apa kendalanya? Kalau perlu, jadwal berikutnya "
    "kita geser bersama Bappeda.",
    "Rancang bangunnya sudah memenuhi syarat IID. Tinggal lengkapi foto kegiatan dan "
    "dokumen SK sebagai bukti.",
)
REPLIES = (
    "Terima kasih, Pak. Data pembanding sudah kami tambahkan di rumusan masalah.",
    "Siap, akan kami lengkapi sebelum monev.",
    "Kendalanya di jadwal desa, Pak. Minggu depan sudah bisa jalan.",
    "Baik, penanggung jawab milestone sudah kami perbarui.",
)
