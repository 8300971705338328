"""Reader-facing names of the innovation profile's codes (tenants.lab.profile) and of a
lab's other stored codes. Indonesian carries Kemendagri's own terms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INISIATOR = {
    "kepala_daerah": _l("Regional head"),
    "anggota_dprd": _l("Member of the regional parliament (DPRD)"),
    "perangkat_daerah": _l("Regional unit (perangkat daerah)"),
    "asn": _l("Civil servant (ASN)"),
    "masyarakat": _l("The public"),
}

JENIS = {"digital": _l("Digital"), "non_digital": _l("Non-digital")}

BENTUK = {
    "tata_kelola": _l("Regional governance"),
    "pelayanan_publik": _l("Public service"),
    "urusan_lainnya": _l("Other, within a government affair of the region"),
}

TAHAPAN = {"inisiatif": _l("Initiative"), "uji_coba": _l("Trial"),
           "penerapan": _l("Implementation")}

TEMATIK = {
    "digitalisasi_layanan": _l("Digitalisation of government services"),
    "penanggulangan_kemiskinan": _l("Poverty reduction"),
    "kemudahan_investasi": _l("Ease of investment"),
    "prioritas_presiden": _l("The President's current priorities"),
    "non_tematik": _l("No theme"),
}

URUSAN = {
    "pendidikan": _l("Education"),
    "kesehatan": _l("Health"),
    "pekerjaan_umum": _l("Public works and spatial planning"),
    "perumahan": _l("Housing and settlement areas"),
    "trantibum": _l("Public order and community protection"),
    "sosial": _l("Social affairs"),
    "tenaga_kerja": _l("Manpower"),
    "perempuan_anak": _l("Women's empowerment and child protection"),
    "pangan": _l("Food"),
    "pertanahan": _l("Land"),
    "lingkungan_hidup": _l("Environment"),
    "adminduk": _l("Population administration and civil registration"),
    "pemberdayaan_desa": _l("Community and village empowerment"),
    "pengendalian_penduduk": _l("Population control and family planning"),
    "perhubungan": _l("Transport"),
    "kominfo": _l("Communication and informatics"),
    "koperasi_ukm": _l("Cooperatives and small and medium enterprises"),
    "penanaman_modal": _l("Investment"),
    "kepemudaan_olahraga": _l("Youth and sports"),
    "statistik": _l("Statistics"),
    "persandian": _l("Encryption (persandian)"),
    "kebudayaan": _l("Culture"),
    "perpustakaan": _l("Libraries"),
    "kearsipan": _l("Archives"),
    "kelautan_perikanan": _l("Marine affairs and fisheries"),
    "pariwisata": _l("Tourism"),
    "pertanian": _l("Agriculture"),
    "kehutanan": _l("Forestry"),
    "esdm": _l("Energy and mineral resources"),
    "perdagangan": _l("Trade"),
    "perindustrian": _l("Industry"),
    "transmigrasi": _l("Transmigration"),
    "perencanaan": _l("Planning"),
    "keuangan": _l("Finance"),
    "kepegawaian": _l("Civil service management"),
    "penelitian_pengembangan": _l("Research and development"),
    "pengawasan": _l("Internal oversight"),
}

MILESTONE_STATUS = {"planned": _l("Planned"), "in_progress": _l("In progress"),
                    "done": _l("Done"), "late": _l("Late")}

ATTACHMENT_KIND = {"evidence": _l("Evidence"), "launch": _l("Launch evidence"),
                   "photo": _l("Photo")}

REGULATION_KIND = {"perbup": "Perbup", "perwali": "Perwali"}  # terms of art
