"""The innovation profile that Kemendagri's regional innovation index (IID) asks for, so that
an idea entered here never has to be typed twice: the codes stored on an idea. Their
reader-facing names are in `tenants.lab.labels`.
"""

from __future__ import annotations

# Who started the innovation (inisiator inovasi daerah).
INISIATOR = ("kepala_daerah", "anggota_dprd", "perangkat_daerah", "asn", "masyarakat")

# Digital or not (jenis inovasi).
JENIS = ("digital", "non_digital")

# Bentuk inovasi daerah.
BENTUK = ("tata_kelola", "pelayanan_publik", "urusan_lainnya")

# Tahapan inovasi: an initiative, on trial, or applied.
TAHAPAN = ("inisiatif", "uji_coba", "penerapan")

# Tematik (IGA): the national themes an innovation may serve.
TEMATIK = ("digitalisasi_layanan", "penanggulangan_kemiskinan", "kemudahan_investasi",
           "prioritas_presiden", "non_tematik")

# Urusan pemerintahan (UU 23/2014): wajib pelayanan dasar, wajib non-pelayanan dasar,
# pilihan, and the supporting functions (penunjang).
URUSAN = (
    "pendidikan", "kesehatan", "pekerjaan_umum", "perumahan", "trantibum", "sosial",
    "tenaga_kerja", "perempuan_anak", "pangan", "pertanahan", "lingkungan_hidup",
    "adminduk", "pemberdayaan_desa", "pengendalian_penduduk", "perhubungan",
    "kominfo", "koperasi_ukm", "penanaman_modal", "kepemudaan_olahraga", "statistik",
    "persandian", "kebudayaan", "perpustakaan", "kearsipan",
    "kelautan_perikanan", "pariwisata", "pertanian", "kehutanan", "esdm", "perdagangan",
    "perindustrian", "transmigrasi",
    "perencanaan", "keuangan", "kepegawaian", "penelitian_pengembangan", "pengawasan",
)

# Kemendagri asks for a rancang bangun (design) of at least this many words.
DESIGN_MIN_WORDS = 300


def word_count(text: str | None) -> int:
    return len((text or "").split())
