"""The HTML reports in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``)
driven by Selenium, pages opened from file://.

Checks on every report: no console error, every figure decoded (naturalWidth > 0), no horizontal
overflow at phone width, a screenshot that is not blank; on the reproduction report, a verdict in
every row of the claims table. A broken page is checked too, so the checks are known to fail when
they should. Skips (with the reason) when Selenium, Chromium or chromedriver is not installed;
``.ci/run`` installs them.
"""

import os
import shutil
from pathlib import Path

import pytest

from interlayer.cli import main
from interlayer.report import VERDICTS

CHROMIUM = os.environ.get("INTERLAYER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("INTERLAYER_CHROMEDRIVER", "/usr/bin/chromedriver")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'interlayer[browser]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} not found (apt-get install chromium chromium-driver; Debian package {package})"
    return None


if _missing() is not None and os.environ.get("INTERLAYER_REQUIRE_BROWSER"):  # CI: a skip would hide a gap
    raise RuntimeError(f"INTERLAYER_REQUIRE_BROWSER is set but {_missing()}")
pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def command_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    runs = {
        "design": ["design", "--material", "lni-5cnt", "--json"],
        "layers": ["layers", "--json"],
        "transport": ["transport", "--resolution", "coarse", "--json"],
        "transport-paper": ["transport-paper", "--evaluation", "paper-literal", "--json"],
        "phasefield": ["phasefield", "--grid", "64", "--steps", "20", "--json"],
    }
    paths = {}
    for name, argv in runs.items():
        path = folder / f"{name}.html"
        assert main([*argv, "--report", str(path)]) == 0
        paths[name] = path
    return paths


def _open(driver, path: Path) -> dict:
    """Load a page from file:// and return what the checks need (console log drained first)."""
    driver.get_log("browser")  # drop anything from a previous page
    driver.get(path.resolve().as_uri())
    state = driver.execute_script(
        "return {ready: document.readyState,"
        " images: Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]),"
        " verdicts: Array.from(document.querySelectorAll('table.claims tbody tr'))"
        "   .map(r => { const c = r.querySelector('td.verdict'); return c ? c.textContent.trim() : ''; })}")
    state["errors"] = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    return state


def _not_blank(png: Path) -> float:
    """Fraction of pixels that are not the page background (white)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    return float((pixels < 245).mean()) if pixels.std() > 0 else 0.0


def _check_page(driver, path: Path, shots: Path) -> dict:
    state = _open(driver, path)
    assert state["ready"] == "complete"
    assert state["errors"] == [], state["errors"]
    assert state["images"], f"{path.name}: no figure"
    assert all(complete and width > 0 and height > 0 for complete, width, height in state["images"]), state["images"]
    shot = shots / f"{path.stem}.png"
    driver.save_screenshot(str(shot))
    assert _not_blank(shot) > 0.02, f"{shot} looks blank"
    return state


def test_reproduction_report_in_chromium(browser, reproduced, tmp_path):
    out, summary = reproduced
    state = _check_page(browser, out / "report.html", tmp_path)
    assert len(state["images"]) == 8
    assert len(state["verdicts"]) == len(summary["claims"])
    assert all(v in VERDICTS for v in state["verdicts"]), state["verdicts"]


@pytest.mark.parametrize("name", ["design", "layers", "transport", "transport-paper", "phasefield"])
def test_command_reports_in_chromium(browser, command_reports, tmp_path, name):
    _check_page(browser, command_reports[name], tmp_path)


def test_reports_fit_a_phone_screen(browser, reproduced, command_reports):
    out, _ = reproduced
    browser.set_window_size(390, 844)
    try:
        for path in [out / "report.html", *command_reports.values()]:
            browser.get(path.resolve().as_uri())
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path.name} is {overflow} px wider than a phone screen"
            widths = browser.execute_script(
                "return Array.from(document.images).map(i => i.getBoundingClientRect().width)")
            assert all(0 < w <= 390 for w in widths)
    finally:
        browser.set_window_size(1280, 1600)


def test_the_checks_catch_a_broken_page(browser, tmp_path):
    # a figure that does not decode and a script error: both must be seen
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img src="data:image/png;base64,AAAA">'
                    "<script>undefinedFunction()</script></body></html>", encoding="utf-8")
    state = _open(browser, page)
    assert state["images"] and state["images"][0][1] == 0
    assert state["errors"], "a script error was not reported"
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    browser.get(blank.resolve().as_uri())
    browser.save_screenshot(str(tmp_path / "blank.png"))
    assert _not_blank(tmp_path / "blank.png") < 0.02
