"""Draw the course's figures: each `figures/NN-module/NAME.LANG.svg` becomes
`courses/NN-module/media/NAME-LANG.png`, which the lessons show.

The SVG is where a figure is edited (its labels are text in one language); the PNG is
what the course carries, since media refuses SVG. Chromium draws the SVG at twice its
size, with the fonts of the machine (Noto Sans covers Vietnamese), and the picture is
reduced to a small palette, which flat diagrams lose nothing by.

    make figures                       every figure
    make figures ONLY=02-step-1-start  one module's
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "figures"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE = """<!doctype html><meta charset="utf-8">
<style>html,body{margin:0;background:#fff}svg{display:block}</style>{svg}"""


def target(source: Path) -> Path:
    name, lang = source.name.removesuffix(".svg").rsplit(".", 1)
    return ROOT / "courses" / source.parent.name / "media" / f"{name}-{lang}.png"


def small_png(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(only: str = "") -> None:
    sources = sorted(FIGURES.glob(f"{only or '*'}/*.svg"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(device_scale_factor=2)
        for source in sources:
            page.set_content(PAGE.replace("{svg}", source.read_text(encoding="utf-8")))
            png = page.locator("svg").first.screenshot()
            out = target(source)
            out.parent.mkdir(exist_ok=True)
            out.write_bytes(small_png(png))
            print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
