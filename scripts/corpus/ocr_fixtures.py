"""Write the OCR test fixtures into Tests/SightlineExtractTests/Fixtures/ocr/.

Each is a small PDF written here byte by byte, so that each part of it is
known. Text pages are set in Helvetica, rendered with pdftoppm (poppler-utils)
and embedded as images, as a scanner would leave them:

  scanned.pdf          4 A5 pages, none with a text layer: 1 a grey 200 dpi
                       scan of a heading and two paragraphs, 2 a blank scan,
                       3 only a logo (shapes, no letters), 4 a 1-bit 200 dpi
                       scan of two more paragraphs. scanned.truth.txt holds
                       the text of pages 1 and 4.
  logo-only.pdf        pages 2 and 3 of scanned.pdf alone.
  huge-page.pdf        page 1 text (a text layer); page 2 a 200 x 200 inch
                       page holding one image: too large to render for OCR.
  corrupt-image.pdf    page 1 text (a text layer); page 2 one image whose
                       DCT (JPEG) stream is random bytes.

Deterministic: a second run writes the same bytes.
"""

import os
import random
import subprocess
import sys
import tempfile
import textwrap
import zlib

A5 = (419.53, 595.28)

PAGE1 = [
    ("heading", "Serious Case Review: Child R"),
    ("paragraph", "This review was commissioned by the safeguarding partnership after Child R was admitted to "
                  "hospital with injuries that could not be explained by the account the family gave to the "
                  "ambulance crew. The review covers the eighteen months before the admission."),
    ("paragraph", "Practitioners from health, education, police and children's social care contributed to the "
                  "review through interviews and a learning event held in the spring."),
]
PAGE4 = [
    ("paragraph", "The health visitor recorded concerns about the mother's low mood on three occasions, but no "
                  "referral was made to the perinatal mental health team."),
    ("paragraph", "Information about the partner's previous convictions for violence was held by the police "
                  "and was not shared with the school or the general practice before the strategy meeting."),
]


def escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_content(blocks, size=11):
    """A content stream setting `blocks` in Helvetica, wrapped to the A5 text width."""
    lines = ["BT"]
    y = A5[1] - 60
    for kind, text in blocks:
        font, points, width = ("/F2", 15, 40) if kind == "heading" else ("/F1", size, 68)
        for line in textwrap.wrap(text, width):
            lines.append(f"{font} {points} Tf 1 0 0 1 42 {y:.2f} Tm ({escape(line)}) Tj")
            y -= points * 1.35
        y -= size * 0.9
    lines.append("ET")
    return "\n".join(lines).encode("latin-1")


class PDF:
    """The smallest PDF writer that will do: objects, pages, a cross-reference table."""

    def __init__(self):
        self.objects = []

    def add(self, body):
        self.objects.append(body if isinstance(body, bytes) else body.encode("latin-1"))
        return len(self.objects)

    def stream(self, dictionary, data):
        return self.add(f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode("latin-1") + data + b"\nendstream")

    def write(self, page_ids, pages_id):
        self.objects[pages_id - 1] = (
            f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {len(page_ids)} >>"
        ).encode("latin-1")
        catalog = self.add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
        out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode("latin-1") + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode("latin-1")
        out += f"trailer\n<< /Size {len(self.objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("latin-1")
        return bytes(out)


def fonts(pdf):
    f1 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    return f"/Font << /F1 {f1} 0 R /F2 {f2} 0 R >>"


def text_page(pdf, pages_id, blocks, font_resources, size=A5):
    content = pdf.stream("", text_content(blocks))
    return pdf.add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                   f"/Resources << {font_resources} >> /Contents {content} 0 R >>")


def image_page(pdf, pages_id, image_dictionary, data, size=A5):
    image = pdf.stream(f"/Type /XObject /Subtype /Image {image_dictionary}", data)
    content = pdf.stream("", f"q {size[0]} 0 0 {size[1]} 0 0 cm /Im0 Do Q".encode("latin-1"))
    return pdf.add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                   f"/Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>")


def grey_image(width, height, pixels):
    return (f"/Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
            zlib.compress(bytes(pixels), 9))


def one_bit_image(width, height, pixels):
    rows = bytearray()
    for y in range(height):
        row = pixels[y * width:(y + 1) * width]
        for x in range(0, width, 8):
            byte = 0
            for bit, value in enumerate(row[x:x + 8]):
                if value >= 128:
                    byte |= 0x80 >> bit
            rows.append(byte)
    return (f"/Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode",
            zlib.compress(bytes(rows), 9))


def scan(blocks, dpi=200):
    """Sets `blocks` on an A5 page and renders it to grey pixels with pdftoppm, as a scanner would see it."""
    pdf = PDF()
    pages_id = pdf.add("")
    page = text_page(pdf, pages_id, blocks, fonts(pdf))
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "page.pdf")
        with open(source, "wb") as f:
            f.write(pdf.write([page], pages_id))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", source, os.path.join(folder, "scan")], check=True)
        name = next(n for n in os.listdir(folder) if n.endswith(".pgm"))
        data = open(os.path.join(folder, name), "rb").read()
    # Binary PGM: "P5\n<width> <height>\n255\n" then one byte a pixel.
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    return width, height, header[3]


def blank(dpi=200):
    width, height = int(A5[0] / 72 * dpi), int(A5[1] / 72 * dpi)
    return width, height, bytes([255]) * (width * height)


def logo(dpi=200):
    """A round emblem and a bar, in greys: a picture with no letters in it."""
    width, height = int(A5[0] / 72 * dpi), int(A5[1] / 72 * dpi)
    pixels = bytearray([255]) * (width * height)
    cx, cy, r = width // 2, height // 3, width // 5
    for y in range(cy - r, cy + r):
        for x in range(cx - r, cx + r):
            d = (x - cx) ** 2 + (y - cy) ** 2
            if d < r * r:
                pixels[y * width + x] = 40 if d > (r * 0.7) ** 2 else 150
    for y in range(height // 2, height // 2 + 40):
        for x in range(width // 6, width * 5 // 6):
            pixels[y * width + x] = 90
    return width, height, bytes(pixels)


def build(out):
    os.makedirs(out, exist_ok=True)
    files = {}

    pdf = PDF()
    pages_id = pdf.add("")
    page1, page4 = scan(PAGE1), scan(PAGE4)
    pages = [
        image_page(pdf, pages_id, *grey_image(*page1)),
        image_page(pdf, pages_id, *grey_image(*blank())),
        image_page(pdf, pages_id, *grey_image(*logo())),
        image_page(pdf, pages_id, *one_bit_image(*page4)),
    ]
    files["scanned.pdf"] = pdf.write(pages, pages_id)
    files["scanned.truth.txt"] = ("\n\n".join(text for _, text in PAGE1 + PAGE4) + "\n").encode("utf-8")

    pdf = PDF()
    pages_id = pdf.add("")
    pages = [image_page(pdf, pages_id, *grey_image(*blank())), image_page(pdf, pages_id, *grey_image(*logo()))]
    files["logo-only.pdf"] = pdf.write(pages, pages_id)

    pdf = PDF()
    pages_id = pdf.add("")
    resources = fonts(pdf)
    huge = (14400, 14400)
    pages = [
        text_page(pdf, pages_id, PAGE1, resources),
        image_page(pdf, pages_id, *grey_image(*logo(dpi=20)), size=huge),
    ]
    files["huge-page.pdf"] = pdf.write(pages, pages_id)

    pdf = PDF()
    pages_id = pdf.add("")
    resources = fonts(pdf)
    junk = random.Random(4242).randbytes(6000)
    pages = [
        text_page(pdf, pages_id, PAGE1, resources),
        image_page(pdf, pages_id, "/Width 1165 /Height 1653 /ColorSpace /DeviceGray /BitsPerComponent 8 "
                                  "/Filter /DCTDecode", b"\xff\xd8\xff\xe0" + junk),
    ]
    files["corrupt-image.pdf"] = pdf.write(pages, pages_id)

    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    build(sys.argv[1])
