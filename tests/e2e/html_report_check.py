#!/usr/bin/env python3
"""Opens a flowtest HTML report in headless Chromium and reports what a reader sees.

  html_report_check.py CHROMIUM REPORT.html

Drives Chromium over the DevTools protocol (python3-websocket) and prints one JSON object:
the title, the verdict, counts of suites, steps and failure items, whether the stylesheet
applied (the page's Content-Security-Policy must allow it by hash), how many steps stay visible
after clicking each status filter, whether every failure link lands on a step, the
Content-Security-Policy violations and console errors seen, and where a screenshot was saved.
Exit status 0 when it could look; the caller (tests/e2e/reports_e2e_test.cpp) judges the result.
"""
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import websocket  # python3-websocket


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="flowtest-chromium-")
        args = [chromium, "--headless=new", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + self.profile,
                "--window-size=1280,2000", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = pathlib.Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=30)
        self.next_id = 0
        self.events = []

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while time.time() < deadline:
            event = json.loads(self.ws.recv())
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise RuntimeError(f"no {method} within {timeout} s")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


PROBE = r"""
(() => {
  const visible = el => el.offsetParent !== null;
  const steps = () => [...document.querySelectorAll('li.step')];
  const out = {};
  out.title = document.title;
  const verdict = document.querySelector('header .verdict');
  out.verdict = verdict ? verdict.textContent : null;
  out.suites = document.querySelectorAll('details.suite').length;
  out.steps = steps().length;
  out.failure_items = document.querySelectorAll('section.failures li').length;
  out.waterfalls = document.querySelectorAll('figure.waterfall svg rect.bar').length;
  out.cards = [...document.querySelectorAll('.card h3')].map(h => h.textContent);
  out.style_applied = getComputedStyle(document.querySelector('header')).position === 'sticky';
  const links = [...document.querySelectorAll('section.failures a[href^="#"]')];
  out.failure_links = links.length;
  out.broken_links = links.filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length;
  out.scripts = document.scripts.length;
  out.visible = {};
  for (const f of ['failed', 'passed', 'skipped', 'all']) {
    document.querySelector('label[for=f-' + f + ']').click();
    const shown = steps().filter(visible);
    out.visible[f] = {
      steps: shown.length,
      wrong: shown.filter(li => {
        const own = f === 'failed' ? (li.classList.contains('s-failed') || li.classList.contains('s-error'))
                                   : li.classList.contains('s-' + f);
        return f !== 'all' && !own && !li.classList.contains('has-' + f);
      }).length,
      suites: [...document.querySelectorAll('details.suite')].filter(visible).length,
    };
  }
  out.csp_violations = window.__csp || [];
  return JSON.stringify(out);
})()
"""


def main():
    chromium, report = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    browser = Browser(chromium)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})
        session = browser.call("Target.attachToTarget",
                               {"targetId": target["targetId"], "flatten": True})["sessionId"]
        browser.call("Page.enable", session=session)
        browser.call("Runtime.enable", session=session)
        browser.call("Log.enable", session=session)
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")}, session=session)
        browser.call("Page.navigate", {"url": report.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        result = browser.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                              session=session)
        seen = json.loads(result["result"]["value"])
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
        shot_path = report.with_suffix(".png")
        shot_path.write_bytes(base64.b64decode(shot["data"]))
        seen["screenshot"] = str(shot_path)
        console = []
        for event in browser.events:
            method = event.get("method")
            params = event.get("params", {})
            if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                console.append(params["entry"].get("text", ""))
            elif method == "Runtime.exceptionThrown":
                console.append(json.dumps(params.get("exceptionDetails", {}))[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                console.append(json.dumps(params.get("args", []))[:300])
        seen["console_errors"] = console
        print(json.dumps(seen))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
