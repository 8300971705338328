# ruff: noqa: RUF001  (a data table: its rows read best whole)
"""Kota Probolinggo's five innovations of the Innovative Government Award 2017, as the lab
shows them at display: what each answered, how it works, what it achieved."""

from __future__ import annotations

from tenants.demo.texts import Theme

AWARDED = (
    {
        "unit": "Dinas Kesehatan",
        "theme": Theme("Inol Aja", "Sistem Inovasi Arisan Jamban Sehat", "kesehatan", False,
                       "ribuan keluarga masih buang air besar sembarangan karena tidak mampu "
                       "membangun jamban sehat sekaligus", "keluarga tanpa jamban sehat",
                       "kesehatan"),
        "tematik": "penanggulangan_kemiskinan",
        "problem": "Pada akhir 2016 masih ada 2.146 keluarga di Kota Probolinggo yang buang "
                   "air besar sembarangan, sebagian besar di kelurahan pesisir Mayangan dan "
                   "Kademangan. Bantuan jamban dari pemerintah hanya menjangkau puluhan "
                   "keluarga per tahun, sehingga target kota bebas BABS tidak akan tercapai "
                   "dengan cara lama.",
        "root_causes": "1. Keluarga miskin tidak mampu membayar pembangunan jamban sekaligus "
                       "(Rp 1,5–2 juta).\n2. Masyarakat terbiasa BAB di sungai dan pantai.\n"
                       "3. Bantuan jamban menunggu anggaran pemerintah dan datang terlambat.",
        "solution": "Arisan jamban: warga satu RT mengumpulkan iuran mingguan, dan setiap "
                    "putaran satu keluarga mendapat jamban sehat yang dicetak langsung di "
                    "tempat oleh tukang terlatih, dengan harga bahan yang disepakati bersama "
                    "penyedia.",
        "results": "Dalam dua tahun 1.862 jamban sehat terbangun melalui 143 kelompok arisan; "
                   "delapan kelurahan dinyatakan ODF (bebas buang air besar sembarangan) dan "
                   "sebanyak 46 tukang lokal mendapat pekerjaan baru.",
    },
    {
        "unit": "Dinas Kesehatan",
        "theme": Theme("Si Kepho", "Sistem Informasi Kelompok Peduli HIV/ODHA", "kesehatan",
                       True, "orang dengan HIV/AIDS putus pengobatan ARV karena stigma dan "
                       "tidak ada pendampingan", "orang dengan HIV/AIDS dan pendampingnya",
                       "kesehatan"),
        "tematik": "prioritas_presiden",
        "problem": "Dari 412 ODHA yang tercatat, hanya 62% yang rutin menjalani pengobatan "
                   "ARV. Banyak yang berhenti setelah beberapa bulan karena malu datang ke "
                   "layanan, berpindah tempat tinggal, atau tidak ada yang mengingatkan "
                   "jadwal pengambilan obat.",
        "root_causes": "1. Stigma dan diskriminasi membuat ODHA enggan datang ke "
                       "puskesmas.\n2. Data ODHA tersebar di layanan yang berbeda dan tidak "
                       "saling terhubung.\n3. Kelompok dukungan sebaya tidak punya sarana "
                       "memantau anggotanya.",
        "solution": "Sistem informasi tertutup untuk kelompok peduli ODHA: pendamping sebaya "
                    "mencatat jadwal pengobatan, menerima pengingat otomatis, dan melaporkan "
                    "anggota yang terlambat mengambil obat kepada petugas layanan.",
        "results": "Kepatuhan pengobatan ARV naik dari 62% menjadi 87%; 38 ODHA yang sempat "
                   "putus obat kembali berobat; tidak ada data pribadi yang bocor sejak "
                   "sistem berjalan.",
    },
    {
        "unit": "Dinas Pendidikan",
        "theme": Theme("MBS Puser Oriented", "Manajemen Berbasis Sekolah Berorientasi Pusat "
                       "Sumber Belajar", "pendidikan", False,
                       "sekolah dasar belum memanfaatkan lingkungan dan masyarakat sebagai "
                       "sumber belajar", "siswa, guru dan komite sekolah", "pendidikan"),
        "tematik": "non_tematik",
        "problem": "Manajemen berbasis sekolah baru dijalankan sebagai kewajiban "
                   "administrasi. Partisipasi komite dan orang tua rendah, dan pembelajaran "
                   "terpaku di kelas, sehingga nilai literasi dan numerasi sekolah dasar di "
                   "pinggiran kota tertinggal.",
        "root_causes": "1. Kepala sekolah belum dilatih memimpin perubahan.\n2. Komite "
                       "sekolah hanya dilibatkan untuk urusan dana.\n3. Potensi lingkungan "
                       "sekitar sekolah belum dipetakan sebagai sumber belajar.",
        "solution": "Setiap sekolah memetakan sumber belajar di sekitarnya (pasar, pelabuhan, "
                    "sawah, perajin) dan menjadikannya pusat pembelajaran bersama komite dan "
                    "orang tua, dengan rencana kerja sekolah yang disusun terbuka.",
        "results": "Dua puluh delapan sekolah dasar menerapkan MBS Puser Oriented; kehadiran "
                   "orang tua dalam kegiatan sekolah naik tiga kali lipat dan nilai literasi "
                   "sekolah percontohan naik 11 poin.",
    },
    {
        "unit": "Dinas Perikanan",
        "theme": Theme("Kencan Untukmu", "Kenali dan Cintai Ikan untuk Masyarakat",
                       "kelautan_perikanan", False,
                       "konsumsi ikan warga kota masih di bawah target nasional walaupun "
                       "hasil tangkapan melimpah", "keluarga, anak sekolah dan ibu hamil",
                       "perikanan"),
        "tematik": "prioritas_presiden",
        "problem": "Produksi ikan Kota Probolinggo sekitar 19 ribu ton setahun, tetapi angka "
                   "konsumsi ikan baru 35,70 kg per kapita per tahun, di bawah target "
                   "nasional. Sebagian besar hasil tangkapan dijual ke luar daerah dalam "
                   "bentuk ikan segar.",
        "root_causes": "1. Anak-anak tidak terbiasa makan ikan dan memilih makanan olahan "
                       "lain.\n2. Olahan ikan yang praktis dan murah jarang tersedia.\n3. "
                       "Kampanye makan ikan belum menyasar sekolah dan keluarga.",
        "solution": "Kampanye makan ikan di sekolah, posyandu dan kampung: lomba olahan ikan, "
                    "kelas memasak bersama ibu-ibu PKK, dan pendampingan pengolah ikan agar "
                    "produknya masuk kantin sekolah, sejalan dengan kebijakan Kota Ramah Ikan.",
        "results": "Angka konsumsi ikan naik menjadi 41,2 kg per kapita per tahun; 64 "
                   "kelompok pengolah ikan didampingi dan 31 kantin sekolah menyediakan menu "
                   "ikan setiap minggu.",
    },
    {
        "unit": "Perumda Air Minum Bayuangga",
        "theme": Theme("Siber PAM", "Sosialisasi Informasi Berbasis Edukasi Rakyat "
                       "Perusahaan Air Minum", "pekerjaan_umum", True,
                       "pelanggan tidak mendapat informasi gangguan dan kesulitan "
                       "menyampaikan keluhan", "pelanggan air minum", "pdam"),
        "tematik": "digitalisasi_layanan",
        "problem": "Keluhan pelanggan tentang air mati, tagihan dan kebocoran disampaikan "
                   "melalui telepon kantor yang sering sibuk. Informasi gangguan baru "
                   "diketahui pelanggan ketika air sudah tidak mengalir.",
        "root_causes": "1. Saluran pengaduan hanya satu nomor telepon kantor.\n2. Jadwal "
                       "perbaikan dan gangguan tidak diumumkan.\n3. Pelanggan tidak memahami "
                       "cara membaca tagihan dan menghemat air.",
        "solution": "Layanan informasi dan pengaduan berbasis pesan singkat dan media sosial, "
                    "pengumuman gangguan per wilayah, serta edukasi pelanggan tentang tagihan "
                    "dan penghematan air melalui kader di kelurahan.",
        "results": "Waktu tanggap pengaduan turun dari 3 hari menjadi 6 jam; 94% gangguan "
                   "diumumkan sebelum terjadi; pengaduan tentang tagihan turun 58%.",
    },
)
