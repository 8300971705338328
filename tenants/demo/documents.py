"""The demo's signed documents as real PDFs, rendered from HTML with WeasyPrint: MoU and PKS,
each unit's Deklarasi Tri Sakti Inagara, the Perbup / Perwali listing the innovations, and
the minutes of a launching.

One template per kind of document. Documents of one kind that belong together (the
declarations of the units that signed after the drum-up event, the minutes of each launched
innovation) are laid out in one pass and written page by page.
"""

from __future__ import annotations

import base64
import random
from datetime import date
from html import escape

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
NUMBERS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
           "sembilan", "sepuluh", "sebelas")

STYLE = """
@page { size: A4; margin: 18mm 20mm 16mm 20mm;
        @bottom-center { content: "Labinov — salinan dokumen untuk data demo";
                         font-size: 7pt; color: #888; } }
body { font-family: "DejaVu Serif", serif; font-size: 9.6pt; line-height: 1.38; color: #111; }
.page { page-break-after: always; }
.page:last-child { page-break-after: auto; }
h1 { font-size: 12.5pt; text-align: center; margin: 0 0 2pt; letter-spacing: .5pt; }
h2 { font-size: 10pt; text-align: center; margin: 0 0 2pt; font-weight: normal; }
.center { text-align: center; }
.numbers { text-align: center; margin: 6pt 0 10pt; font-size: 9pt; }
.logo { text-align: center; margin-bottom: 6pt; }
h3 { font-size: 9.8pt; text-align: center; margin: 8pt 0 2pt; }
p { margin: 0 0 5pt; text-align: justify; }
ol { margin: 0 0 5pt 0; padding-left: 16pt; }
li { margin-bottom: 2pt; text-align: justify; }
table.sign { width: 100%; margin-top: 12pt; border-collapse: collapse; }
table.sign td { width: 50%; text-align: center; vertical-align: top; padding: 0 4pt; }
.party { font-weight: bold; }
.name { font-weight: bold; text-decoration: underline; }
table.list { width: 100%; border-collapse: collapse; font-size: 8.6pt; margin: 6pt 0;
             table-layout: fixed; }
table.list col.no { width: 22pt; }
table.list th, table.list td { border: 0.6pt solid #444; padding: 2pt 4pt; text-align: left;
                               vertical-align: top; }
.small { font-size: 8.4pt; color: #333; }
"""


def long_date(day: date) -> str:
    """"16 Maret 2017"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def spelled(day: date) -> str:
    """"Kamis tanggal enam belas bulan Maret tahun dua ribu tujuh belas": a deed's words."""
    return (f"{DAYS[day.weekday()]} tanggal {words(day.day)} bulan {MONTHS[day.month - 1]} "
            f"tahun {words(day.year)}")


def words(n: int) -> str:
    if n < 12:
        return NUMBERS[n]
    if n < 20:
        return f"{NUMBERS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{NUMBERS[tens]} puluh" + (f" {NUMBERS[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {words(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{NUMBERS[hundreds]} ratus" + (f" {words(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {words(n - 1000)}" if n > 1000 else "")
    thousands, rest = divmod(n, 1000)
    return f"{words(thousands)} ribu" + (f" {words(rest)}" if rest else "")


def signature(seed: int) -> str:
    """A hand-drawn looking signature: an SVG stroke of its own for each signatory."""
    rng = random.Random(seed)
    x, y = 4, rng.randint(14, 26)
    path = [f"M{x} {y}"]
    for _ in range(rng.randint(3, 5)):
        x += rng.randint(14, 22)
        path.append(f"Q {x - rng.randint(6, 14)} {rng.randint(0, 34)}, {x} {rng.randint(8, 28)}")
    if rng.random() < 0.6:  # a flourish back under the name
        path.append(f"M{rng.randint(10, 30)} {rng.randint(26, 31)} L {x - rng.randint(0, 20)} "
                    f"{rng.randint(22, 30)}")
    return (f'<svg width="120" height="34" viewBox="0 0 120 34"><path d="{" ".join(path)}" '
            f'fill="none" stroke="#1a2f7a" stroke-width="1.5" stroke-linecap="round"/></svg>')


_SIGNATURE_IMAGES: dict[int, str] = {}


def signature_image(seed: int) -> str:
    """A signature as an image, one of a dozen strokes: a long list lays out much faster
    when its images repeat (WeasyPrint reads each image once)."""
    variant = seed % 12
    if variant not in _SIGNATURE_IMAGES:
        svg = signature(variant * 7919).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ')
        _SIGNATURE_IMAGES[variant] = "data:image/svg+xml;base64," + base64.b64encode(
            svg.encode()).decode()
    return f'<img src="{_SIGNATURE_IMAGES[variant]}" width="110" height="30" alt="">'


def stamp(text: str) -> str:
    """The round office stamp beside a signature."""
    return (f'<svg width="62" height="62" viewBox="0 0 62 62" style="position:absolute;'
            f'margin-left:-50pt;opacity:.55"><circle cx="31" cy="31" r="28" fill="none" '
            f'stroke="#6b2fa0" stroke-width="1.4"/><circle cx="31" cy="31" r="20" fill="none" '
            f'stroke="#6b2fa0" stroke-width=".8"/><text x="31" y="34" font-size="5.5" '
            f'text-anchor="middle" fill="#6b2fa0">{escape(text[:22])}</text></svg>')


def _sign_cell(party: str, title: str, name: str, seed: int, office: str) -> str:
    return (f'<td><div class="party">{escape(party)}</div><div>{escape(title)},</div>'
            f'<div style="height:44pt;padding-top:4pt">{stamp(office)}{signature(seed)}</div>'
            f'<div class="name">{escape(name)}</div></td>')


_PARSED: dict = {}


def _layout(html_pages: list[str]):
    """Lay the pages out with the one stylesheet, parsed once per process."""
    from weasyprint import CSS, HTML  # imported on first use: it takes a second to load
    from weasyprint.text.fonts import FontConfiguration

    if not _PARSED:
        _PARSED["fonts"] = FontConfiguration()
        _PARSED["css"] = CSS(string=STYLE, font_config=_PARSED["fonts"])
    body = "".join(f'<div class="page">{page}</div>' for page in html_pages)
    html = HTML(string=f"<html lang='id'><head><meta charset='utf-8'></head><body>{body}"
                       f"</body></html>")
    return html.render(stylesheets=[_PARSED["css"]], font_config=_PARSED["fonts"])


def render(html_pages: list[str]) -> bytes:
    """One PDF of the given pages (each an HTML fragment)."""
    return _layout(html_pages).write_pdf()


def render_each(html_pages: list[str]) -> list[bytes]:
    """One PDF for each page given (each fits on one page): laid out together, written one
    by one."""
    if not html_pages:
        return []
    document = _layout(html_pages)
    if len(document.pages) != len(html_pages):
        raise ValueError("a page did not fit on one sheet")
    return [document.copy([page]).write_pdf() for page in document.pages]


# --- MoU and PKS ---------------------------------------------------------------------------

def agreement_page(*, kind: str, number: str, lan_number: str, signed_on: date,
                   valid_from: date, valid_until: date, region: str, region_upper: str,
                   lan_name: str, lan_title: str, regional_name: str, regional_title: str,
                   bappeda: str, renews: tuple[str, date] | None, years: int) -> str:
    mou = kind == "mou"
    heading = "NOTA KESEPAHAMAN" if mou else "PERJANJIAN KERJA SAMA"
    if mou:
        parties = (f"LEMBAGA ADMINISTRASI NEGARA<br>DAN<br>PEMERINTAH {escape(region_upper)}")
        second = f"Pemerintah {escape(region)}"
        first = "Lembaga Administrasi Negara"
    else:
        parties = ("PUSAT INOVASI PELAYANAN PUBLIK<br>LEMBAGA ADMINISTRASI NEGARA<br>DAN<br>"
                   f"{escape(bappeda.upper())}")
        second = escape(bappeda)
        first = "Pusat Inovasi Pelayanan Publik, Lembaga Administrasi Negara"
    renewal = ""
    if renews:
        renewal = (f"<p>{heading.capitalize()} ini memperbarui {heading.lower()} Nomor "
                   f"{escape(renews[0])} tanggal {long_date(renews[1])} yang telah berakhir, "
                   f"untuk penyelenggaraan Laboratorium Inovasi angkatan berikutnya.</p>")
    scope = ("<li>fasilitasi tahapan drum-up, diagnose, design, deliver dan display "
             "Laboratorium Inovasi;</li><li>pendampingan (coaching) oleh tim LAN kepada "
             "perangkat daerah dan inovator;</li><li>monitoring dan evaluasi rencana aksi "
             "inovasi;</li><li>publikasi dan replikasi inovasi daerah.</li>")
    if mou:
        duty = ("<p>Nota Kesepahaman ini menjadi dasar bagi Perjanjian Kerja Sama yang "
                "disusun oleh unit kerja masing-masing PIHAK untuk melaksanakannya.</p>")
    else:
        duty = ("<p>PIHAK PERTAMA menyediakan narasumber, coach dan evaluator; PIHAK KEDUA "
                "mengoordinasikan perangkat daerah peserta, menyediakan tempat dan "
                "pembiayaan kegiatan di daerah, serta melaporkan kemajuan rencana aksi "
                "inovasi.</p>")
    seed = sum(map(ord, number))
    return f"""
<h1>{heading}</h1>
<h2>ANTARA</h2>
<h2 style="font-weight:bold">{parties}</h2>
<h3>TENTANG<br>PENYELENGGARAAN LABORATORIUM INOVASI</h3>
<div class="numbers">Nomor: {escape(lan_number)}<br>Nomor: {escape(number)}</div>
<p>Pada hari ini, {spelled(signed_on)}, yang bertanda tangan di bawah ini:</p>
<ol>
<li><b>{escape(lan_name)}</b>, {escape(lan_title)}, dalam hal ini bertindak untuk dan atas nama
{first}, selanjutnya disebut <b>PIHAK PERTAMA</b>;</li>
<li><b>{escape(regional_name)}</b>, {escape(regional_title)}, dalam hal ini bertindak untuk dan
atas nama {second}, selanjutnya disebut <b>PIHAK KEDUA</b>.</li>
</ol>
{renewal}
<p>PARA PIHAK sepakat mengadakan {heading.lower()} dengan ketentuan sebagai berikut.</p>
<h3>Pasal 1 — Maksud dan Tujuan</h3>
<p>Maksud {heading.lower()} ini adalah menyelenggarakan Laboratorium Inovasi di
{escape(region)}, dengan tujuan membangun budaya inovasi perangkat daerah, melahirkan inovasi
pelayanan publik dan tata kelola, serta mendukung pencapaian sasaran RPJMD.</p>
<h3>Pasal 2 — Ruang Lingkup</h3>
<ol>{scope}</ol>
{duty}
<h3>Pasal 3 — Jangka Waktu</h3>
<p>{heading.capitalize()} ini berlaku selama {words(years)} ({years}) tahun, terhitung sejak
{long_date(valid_from)} sampai dengan {long_date(valid_until)}, dan dapat diperpanjang atas
kesepakatan PARA PIHAK.</p>
<p>{heading.capitalize()} ini dibuat dalam rangkap dua, masing-masing bermeterai cukup dan
mempunyai kekuatan hukum yang sama.</p>
<table class="sign"><tr>
{_sign_cell("PIHAK PERTAMA", lan_title, lan_name, seed, "LEMBAGA ADMINISTRASI NEGARA")}
{_sign_cell("PIHAK KEDUA", regional_title, regional_name, seed + 7, region.upper())}
</tr></table>
"""


# --- Drum-up: Deklarasi Tri Sakti Inagara ---------------------------------------------------

DECLARATION = """
<ol style="font-size:10.5pt;line-height:1.7">
<li><b>SIAP BERINOVASI</b> dalam memberikan pelayanan kepada masyarakat;</li>
<li><b>SIAP MENDUKUNG INOVASI</b> yang dilahirkan oleh aparatur dan masyarakat;</li>
<li><b>SIAP MEMBANGUN BUDAYA INOVASI</b> di lingkungan kerja kami.</li>
</ol>"""


def joint_commitment(*, region: str, place: str, signed_on: date,
                     signers: list[tuple[str, str, str]]) -> str:
    """The declaration signed together at the drum-up event: (unit, name, title) each."""
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(unit)}</td><td>{escape(name)}<br>"
        f"<span class='small'>{escape(title)}</span></td><td>{signature_image(sum(map(ord, name)))}"
        f"</td></tr>" for i, (unit, name, title) in enumerate(signers, start=1))
    return f"""
<h1>DEKLARASI TRI SAKTI INAGARA</h1>
<h2>Laboratorium Inovasi {escape(region)}</h2>
<p class="center">{escape(place)}, {long_date(signed_on)}</p>
<p>Kami, pimpinan perangkat daerah dan unit kerja yang bertanda tangan di bawah ini, dengan
ini menyatakan:</p>{DECLARATION}
<table class="list"><colgroup><col class="no"><col><col><col style="width:130pt"></colgroup>
<tr><th>No.</th><th>Perangkat daerah / unit</th><th>Pimpinan</th><th>Tanda tangan</th></tr>{rows}
</table>
"""


def commitment_page(*, unit: str, region: str, place: str, signed_on: date, name: str,
                    title: str) -> str:
    seed = sum(map(ord, name))
    return f"""
<div style="margin-top:30pt"></div>
<h1>DEKLARASI TRI SAKTI INAGARA</h1>
<h2>Laboratorium Inovasi {escape(region)}</h2>
<div style="margin-top:24pt"></div>
<p>Kami, segenap jajaran <b>{escape(unit)}</b>, dengan ini menyatakan:</p>{DECLARATION}
<p>Deklarasi ini kami tandatangani dengan penuh kesadaran sebagai komitmen untuk mengikuti
seluruh tahapan Laboratorium Inovasi.</p>
<table class="sign"><tr><td></td>
<td>{escape(place)}, {long_date(signed_on)}<br>
<div>{escape(title)},</div><div style="height:44pt;padding-top:4pt">{stamp(unit)}
{signature(seed)}</div><div class="name">{escape(name)}</div></td></tr></table>
"""


# --- Perbup / Perwali ------------------------------------------------------------------------

def regulation_page(*, kind: str, number: str, year: int, signed_on: date, region: str,
                    head_title: str, head_name: str, place: str, innovations: list[tuple],
                    revises: str | None) -> str:
    upper = "PERATURAN BUPATI" if kind == "perbup" else "PERATURAN WALI KOTA"
    about = ("PERUBAHAN ATAS " if revises else "") + "PENETAPAN INOVASI DAERAH"
    rows = "".join(f"<tr><td>{i}</td><td>{escape(title)}</td><td>{escape(unit)}</td></tr>"
                   for i, (title, unit) in enumerate(innovations, start=1))
    recital = (f"<p>bahwa untuk menampung inovasi daerah yang telah diluncurkan sejak "
               f"ditetapkannya Peraturan Nomor {escape(revises)}, perlu mengubah "
               f"lampirannya;</p>" if revises else
               "<p>bahwa dalam rangka meningkatkan kinerja penyelenggaraan pemerintahan "
               "daerah melalui Laboratorium Inovasi, perlu menetapkan inovasi daerah;</p>")
    return f"""
<h1>{upper} {escape(region.split(' ', 1)[1].upper())}</h1>
<h2>NOMOR {escape(number)} TAHUN {year}</h2>
<h3>TENTANG<br>{about}</h3>
<p class="center">DENGAN RAHMAT TUHAN YANG MAHA ESA</p>
<p class="center"><b>{escape(head_title.upper())},</b></p>
<p><b>Menimbang:</b></p>{recital}
<p><b>Mengingat:</b> Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;
Peraturan Pemerintah Nomor 38 Tahun 2017 tentang Inovasi Daerah.</p>
<p class="center"><b>MEMUTUSKAN:</b></p>
<p><b>Menetapkan:</b> {upper.title()} tentang {about.title()}.</p>
<p><b>Pasal 1.</b> Inovasi daerah yang ditetapkan adalah sebagaimana tercantum dalam
Lampiran, sebanyak {len(innovations)} inovasi.</p>
<p><b>Pasal 2.</b> Perangkat daerah pengampu melaksanakan inovasi dan melaporkan
kemajuannya kepada Bappeda setiap tiga bulan.</p>
<p><b>Pasal 3.</b> Peraturan ini mulai berlaku pada tanggal diundangkan.</p>
<table class="sign"><tr><td></td><td>Ditetapkan di {escape(place)}<br>pada tanggal
{long_date(signed_on)}<br><div>{escape(head_title.upper())},</div>
<div style="height:44pt;padding-top:4pt">{stamp(region.upper())}
{signature(sum(map(ord, number)))}</div><div class="name">{escape(head_name)}</div></td>
</tr></table>
<h3 style="page-break-before:always">LAMPIRAN</h3>
<table class="list"><colgroup><col class="no"><col style="width:58%"><col></colgroup>
<tr><th>No.</th><th>Inovasi</th><th>Perangkat daerah</th></tr>{rows}</table>
"""


# --- Launching ---------------------------------------------------------------------------------

def launch_page(*, title: str, acronym: str, unit: str, region: str, place: str,
                held_on: date, head_title: str, head_name: str) -> str:
    return f"""
<h1>BERITA ACARA LAUNCHING INOVASI DAERAH</h1>
<h2>{escape(region)}</h2>
<div style="margin-top:14pt"></div>
<p>Pada hari ini, {spelled(held_on)}, bertempat di {escape(place)}, telah diluncurkan secara
resmi inovasi daerah:</p>
<table class="list"><colgroup><col style="width:30%"><col></colgroup>
<tr><th>Nama inovasi</th>
<td><b>{escape(acronym)}</b> — {escape(title)}</td></tr>
<tr><th>Perangkat daerah</th><td>{escape(unit)}</td></tr>
<tr><th>Diluncurkan oleh</th><td>{escape(head_title)}</td></tr></table>
<p>Launching disaksikan oleh pimpinan perangkat daerah, tim Laboratorium Inovasi dan coach
Lembaga Administrasi Negara. Sejak tanggal tersebut inovasi diterapkan dan dipantau
kemajuannya setiap triwulan.</p>
<p class="small">Dokumentasi: foto penandatanganan prasasti, penekanan tombol sirene dan
penyerahan SK tim inovasi terlampir dalam arsip perangkat daerah.</p>
<table class="sign"><tr><td></td><td>{escape(head_title)},<br>
<div style="height:44pt;padding-top:4pt">{stamp(region.upper())}
{signature(sum(map(ord, title)))}</div><div class="name">{escape(head_name)}</div></td></tr>
</table>
"""
