"""A browser's User-Agent as a person recognises it: "Chrome · Android". Pure."""

#: (token in the User-Agent, name), the first that matches wins: the browsers built on
#: Chrome name Chrome too, and Chrome names Safari
BROWSERS = (
    ("coc_coc_browser", "Cốc Cốc"), ("Zalo", "Zalo"), ("Edg", "Edge"), ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"), ("Firefox", "Firefox"), ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"), ("Chromium", "Chromium"), ("Chrome", "Chrome"), ("Safari", "Safari"),
)  # fmt: skip
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)  # fmt: skip


def describe(user_agent: str) -> str:
    """The browser and the system it runs on, as far as the User-Agent tells; the
    User-Agent itself, shortened, when it names neither."""
    browser = next((name for token, name in BROWSERS if token in user_agent), None)
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    named = [part for part in (browser, system) if part]
    return " · ".join(named) if named else user_agent[:60]
