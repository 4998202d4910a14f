#!/usr/bin/env python3
"""Uses review.html in headless Chromium the way a reviewer does, and checks what it downloads.

    scripts/drive-review-page.py PAGE RUN_FOLDER WORK_FOLDER

Chromium (Debian's `chromium`) is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in a NUL byte on file
descriptors 3 and 4), so nothing beyond Python's standard library is needed.
Clicks and typing are real input events at the elements' places on the screen;
only the choice in a drop-down menu is made from script (focus, then the value:
a native menu has no place on a headless screen).

The steps: type a reviewer name; open a theme; reject the code of one passage;
on another passage choose a theme to add, type a note and press "Add theme";
reload the page and check the work was kept; download decisions.csv. Then the
file is checked against the run's own records (passage ids, SHA-256 of the
passage text recomputed here from passages.jsonl), and what the page asked
for is checked to be its own file only. Prints the expected change in
themes.csv's coded_passages as JSON on the last line, for the caller to check
against `sightline aggregate --decisions`.
"""
import base64
import csv
import fcntl
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import time

REVIEWER = "Dana Reviewer"
NOTE = 'Discusses the theme plainly, "in other words"; the rules missed it'


class Browser:
    def __init__(self, profile):
        to_browser = os.pipe()
        from_browser = os.pipe()
        # Moved above 9, so that placing them at 3 and 4 in the child cannot clobber one another.
        self.write_fd = fcntl.fcntl(to_browser[1], fcntl.F_DUPFD, 10)
        self.read_fd = fcntl.fcntl(from_browser[0], fcntl.F_DUPFD, 10)
        child_in = fcntl.fcntl(to_browser[0], fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_browser[1], fcntl.F_DUPFD, 10)
        for fd in (*to_browser, *from_browser):
            os.close(fd)

        def place():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-pipe", "--user-data-dir=" + profile, "--window-size=1280,1000",
        ]
        self.process = subprocess.Popen(
            ["chromium", *flags, "about:blank"], preexec_fn=place, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"))
        os.close(child_in)
        os.close(child_out)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                raise RuntimeError("Chromium did not answer in time (see chromium.log in the work folder)")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe (see chromium.log in the work folder)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def result(self, id, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, reply in enumerate(self.events):
                if reply.get("id") == id:
                    del self.events[i]
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
            self.events.append(self._read_message(deadline))

    def call(self, method, params=None, session=None, timeout=30):
        return self.result(self.send(method, params, session), method, timeout)

    def wait_for(self, method, test=lambda params: True, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and test(event.get("params", {})):
                    return self.events.pop(i)["params"]
            self.events.append(self._read_message(deadline))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def call(self, method, params=None):
        return self.browser.call(method, params, self.session)

    def js(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def centre(self, selector):
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2, r.width]; })()")
        if not box or box[2] == 0:
            raise AssertionError(f"nothing visible to click at {selector}")
        return box[0], box[1]

    def click(self, selector):
        x, y = self.centre(selector)
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def type(self, selector, text):
        self.click(selector)
        self.call("Input.insertText", {"text": text})

    def open(self, url):
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", lambda p: True)


def fail(message):
    print("drive-review-page: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    page_path, run, work = (os.path.abspath(a) for a in sys.argv[1:4])
    downloads = os.path.join(work, "downloads")
    profile = os.path.join(work, "profile")
    # A fresh browser profile: no work kept from an earlier test.
    shutil.rmtree(profile, ignore_errors=True)
    os.makedirs(downloads, exist_ok=True)
    os.makedirs(profile)
    for name in os.listdir(downloads):
        os.remove(os.path.join(downloads, name))
    browser = Browser(profile)
    try:
        # The first answer may take a while on a fresh machine (Chromium builds its font cache).
        browser.call("Browser.setDownloadBehavior",
                     {"behavior": "allow", "downloadPath": downloads, "eventsEnabled": True}, timeout=180)
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(browser, session)
        for domain in ("Page", "Runtime", "Network"):
            page.call(domain + ".enable")
        page.open("file://" + page_path)
        expected = drive(page, browser, downloads, work)
        requested = [e["params"]["request"]["url"] for e in browser.events
                     if e.get("method") == "Network.requestWillBeSent"]
        outside = [u for u in requested if not u.startswith(("file:", "blob:", "data:", "about:"))]
        if outside:
            fail("the page asked for things outside itself: " + ", ".join(outside))
    finally:
        browser.close()
    check_download(os.path.join(downloads, "decisions.csv"), run, expected)
    print(json.dumps(expected["moves"]))


def drive(page, browser, downloads, work):
    errors = page.js("document.getElementById('message').textContent")
    if errors:
        fail("the page shows a message on opening: " + errors)
    page.type("#reviewer", REVIEWER)
    # A theme with at least two passages each coded only once for it, and counted.
    # A theme with at least two passages coded once for it, and counted: the page's own data says which.
    plan = page.js("""(() => {
      const codesOf = (p, key) => p.codings.filter((c) => topOf(c.key) === key);
      for (const b of document.querySelectorAll('nav button')) {
        const key = b.dataset.theme;
        const single = passages.filter((p) => { const c = codesOf(p, key); return c.length === 1 && c[0].flag === 0; });
        if (single.length < 2) continue;
        const coded = new Set(single[1].codings.map((c) => topOf(c.key)));
        const add = themes.find((t) => t.top && !coded.has(t.key));
        return {theme: key, first: single[0].id, firstKey: codesOf(single[0], key)[0].key,
                second: single[1].id, add: add.key};
      }
      return null; })()""")
    if not plan:
        fail("no theme with two singly coded passages to review")
    page.click(f'nav button[data-theme="{plan["theme"]}"]')
    shown = page.js("document.getElementById('shown').textContent")
    if not shown.startswith("showing "):
        fail(f"choosing a theme drew no passages ({shown!r})")
    first = f'article[data-passage="{plan["first"]}"]'
    second = f'article[data-passage="{plan["second"]}"]'
    page.click(f'{first} li[data-theme="{plan["firstKey"]}"] button[data-act="reject"]')
    if page.js(f"document.querySelector('{first} button[data-act=\"reject\"]').getAttribute('aria-pressed')") != "true":
        fail("the reject button did not show as pressed after a click; the page says: "
             + page.js("document.getElementById('message').textContent + ' / '"
                       " + document.getElementById('reviewer').value"))
    page.js(f"(() => {{ const s = document.querySelector('{second} select'); s.focus();"
            f" s.value = {json.dumps(plan['add'])};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()")
    page.type(f"{second} input.note", NOTE)
    page.click(f'{second} button[data-act="add-selected"]')
    status = page.js("document.getElementById('status').textContent")
    if not status.startswith("2 decisions"):
        fail(f"after a reject and an add the page says {status!r}; and: "
             + page.js(f"document.getElementById('message').textContent + ' / '"
                       f" + document.querySelector('{second} select').value"))
    # The work survives closing the page: reload, and it is still there.
    # Leaving with work not yet downloaded asks first; the reviewer leaves all the same.
    reload = browser.send("Page.reload", {}, page.session)
    browser.wait_for("Page.javascriptDialogOpening", lambda p: p.get("type") == "beforeunload")
    page.call("Page.handleJavaScriptDialog", {"accept": True})
    browser.result(reload, "Page.reload")
    browser.wait_for("Page.loadEventFired")
    status = page.js("document.getElementById('status').textContent")
    if not status.startswith("2 decisions") or "not yet downloaded" not in status:
        fail(f"after a reload the page says {status!r}: the work was not kept in the browser")
    page.click(f'nav button[data-theme="{plan["theme"]}"]')
    page.click("#save")
    done = browser.wait_for("Browser.downloadProgress", lambda p: p.get("state") in ("completed", "canceled"))
    if done["state"] != "completed":
        fail("the download was cancelled")
    status = page.js("document.getElementById('status').textContent")
    if "nothing unsaved" not in status:
        fail(f"after saving the page says {status!r}")
    shot = page.call("Page.captureScreenshot", {"format": "png"})
    with open(os.path.join(work, "review.png"), "wb") as out:
        out.write(base64.b64decode(shot["data"]))
    return {"plan": plan,
            "moves": {plan["firstKey"]: -1, plan["theme"]: -1, plan["add"]: 1}}


def check_download(path, run, expected):
    if not os.path.exists(path):
        fail("no decisions.csv was downloaded")
    texts = {}
    with open(os.path.join(run, "passages.jsonl"), encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts[record["passage_id"]] = record["text"]
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["passage_id", "theme", "decision", "reviewer", "note", "text_sha256"]:
        fail(f"decisions.csv has the header {rows[0]}")
    plan = expected["plan"]
    sha = {pid: hashlib.sha256(texts[pid].encode("utf-8")).hexdigest() for pid in (plan["first"], plan["second"])}
    want = sorted([
        [plan["first"], plan["firstKey"], "reject", REVIEWER, "", sha[plan["first"]]],
        [plan["second"], plan["add"], "add", REVIEWER, NOTE, sha[plan["second"]]],
    ])
    if sorted(rows[1:]) != want:
        fail(f"decisions.csv holds {rows[1:]}, expected {want}")


if __name__ == "__main__":
    main()
