/// The JavaScript of `review.html` (see `ReviewPageAssets`).
enum ReviewPageScript {
    static let source = #"""
        "use strict";
        const DATA = JSON.parse(document.getElementById("review-data").textContent);
        const FLAGS = ["", "negated", "hypothetical", "boilerplate"];
        const PAGE = 50;
        const STORE = "sightline-review/" + DATA.k;
        const $ = (id) => document.getElementById(id);
        const themes = DATA.t.map(([key, name, frame]) => ({ key, name, frame, top: key.split("/").length === 2 }));
        const themeIndex = new Map(themes.map((t, i) => [t.key, i]));
        const topOf = (key) => key.split("/").slice(0, 2).join("/");
        const passages = DATA.p.map(([id, doc, page, heading, sha, text, codings], index) => ({
          id, doc, page, headings: DATA.h[heading], sha, text, index,
          codings: codings.map((c) => ({
            key: themes[c[0]].key, flag: c[1], rules: c.slice(3, 3 + c[2]).map((r) => DATA.r[r]),
            spans: c.slice(3 + c[2]),
          })),
        }));
        const passageById = new Map(passages.map((p) => [p.id, p]));
        // Passages coded for each theme (a sub-theme's coding lists its passage under its theme).
        const coded = new Map();
        for (const p of passages) {
          for (const key of new Set(p.codings.map((c) => topOf(c.key)))) {
            if (!coded.has(key)) coded.set(key, []);
            coded.get(key).push(p);
          }
        }
        const given = new Map(DATA.x.map((x, order) => [x[0] + "\t" + x[1],
          { p: x[0], t: x[1], d: x[2], reviewer: x[3], note: x[4], sha: x[5], status: x[6], order }]));

        // The reviewer's work: decisions by "passage<TAB>theme", notes by passage; kept in localStorage.
        let work = { reviewer: "", decisions: {}, notes: {}, unsaved: false };
        function load() {
          for (const [k, d] of given) work.decisions[k] = Object.assign({}, d);
          let kept = null;
          try { kept = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { kept = null; }
          if (kept && kept.decisions) {
            work = kept;
            for (const [k, d] of Object.entries(work.decisions)) {
              const g = given.get(k);
              d.status = g && g.d === d.d && g.sha === d.sha ? g.status : undefined;
            }
          }
        }
        function keep() {
          try { localStorage.setItem(STORE, JSON.stringify(work)); } catch (e) {
            say("This browser would not keep your work (" + e.message + "): download the decisions now.");
          }
          drawStatus();
        }
        function say(text) { $("message").textContent = text; }

        function decisionsOf(p) {
          return Object.values(work.decisions).filter((d) => d.p === p.id);
        }
        function decide(p, key, kind) {
          const reviewer = $("reviewer").value.trim();
          if (!reviewer) {
            say("Type your name in Reviewer first: each decision records who made it.");
            $("reviewer").focus();
            return;
          }
          say("");
          const k = p.id + "\t" + key;
          const before = work.decisions[k];
          if (before && before.d === kind) delete work.decisions[k];
          else work.decisions[k] = { p: p.id, t: key, d: kind, reviewer, note: "", sha: p.sha };
          work.unsaved = true;
          keep();
        }

        function csvField(v) { return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
        function decisionsCSV() {
          const rows = Object.values(work.decisions).map((d) => {
            const p = passageById.get(d.p);
            const note = p && work.notes[p.id] !== undefined ? work.notes[p.id] : d.note;
            return { at: p ? p.index : Infinity, order: d.order === undefined ? Infinity : d.order,
              fields: [d.p, d.t, d.d, d.reviewer, note, d.sha] };
          });
          rows.sort((a, b) => a.at - b.at || a.order - b.order || (a.fields[1] < b.fields[1] ? -1 : 1));
          const lines = [["passage_id", "theme", "decision", "reviewer", "note", "text_sha256"]]
            .concat(rows.map((r) => r.fields));
          return lines.map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
        }
        function save() {
          const blob = new Blob(["\ufeff" + decisionsCSV()], { type: "text/csv;charset=utf-8" });
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = "decisions.csv";
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 10000);
          work.unsaved = false;
          keep();
          say("");
        }

        function drawStatus() {
          const all = Object.values(work.decisions);
          const stale = all.filter((d) => d.status && d.status.startsWith("stale")).length;
          let text = all.length + (all.length === 1 ? " decision" : " decisions");
          if (given.size) {
            text += " (" + given.size + " given with the run" + (stale ? ", " + stale + " stale" : "") + ")";
          }
          text += work.unsaved ? "; changes not yet downloaded" : "; nothing unsaved";
          $("status").textContent = text;
          $("status").className = work.unsaved ? "unsaved" : "";
        }

        function drawThemes() {
          const nav = $("themes");
          let frame = null;
          for (const t of themes) {
            if (!t.top) continue;
            if (t.frame !== frame) {
              frame = t.frame;
              const h = document.createElement("h2");
              h.textContent = frame;
              nav.appendChild(h);
            }
            const b = document.createElement("button");
            b.type = "button";
            b.dataset.theme = t.key;
            b.innerHTML = "<span></span><span></span>";
            b.firstChild.textContent = t.name;
            b.lastChild.textContent = (coded.get(t.key) || []).length;
            b.addEventListener("click", () => choose(t.key));
            nav.appendChild(b);
          }
        }

        let current = null;
        let matching = [];
        let drawn = 0;
        function choose(key) {
          current = key;
          for (const b of document.querySelectorAll("nav button")) {
            b.setAttribute("aria-current", b.dataset.theme === key ? "true" : "false");
          }
          $("theme-title").textContent = themes[themeIndex.get(key)].name;
          $("hint").hidden = true;
          $("controls").hidden = false;
          refilter();
        }
        function inTheme(p) {
          return p.codings.filter((c) => topOf(c.key) === current);
        }
        function refilter() {
          const words = $("filter").value.trim().toLowerCase();
          const show = $("show").value;
          const decidedHere = new Set(Object.values(work.decisions)
            .filter((d) => topOf(d.t) === current).map((d) => d.p));
          const list = (coded.get(current) || []).slice();
          for (const id of decidedHere) {
            const p = passageById.get(id);
            if (p && !list.includes(p)) list.push(p);
          }
          list.sort((a, b) => a.index - b.index);
          matching = list.filter((p) => {
            const codes = inTheme(p);
            if (show === "counted" && !codes.some((c) => c.flag === 0)) return false;
            if (show === "flagged" && !(codes.length && codes.every((c) => c.flag !== 0))) return false;
            if (show === "decided" && !decidedHere.has(p.id)) return false;
            if (show === "undecided" && decidedHere.has(p.id)) return false;
            if (!words) return true;
            if (p.hay === undefined) {
              const doc = DATA.d[p.doc] || ["", ""];
              const rules = p.codings.map((c) => c.rules.join(" ")).join(" ");
              p.hay = [p.text, doc[0], doc[1], p.headings, rules].join("\n").toLowerCase();
            }
            return p.hay.includes(words);
          });
          $("list").textContent = "";
          drawn = 0;
          drawMore();
        }
        function drawMore() {
          const list = $("list");
          const end = Math.min(matching.length, drawn + PAGE);
          for (; drawn < end; drawn++) list.appendChild(card(matching[drawn]));
          $("shown").textContent = "showing " + drawn + " of " + matching.length + " passages";
          $("more").hidden = drawn >= matching.length;
        }

        function marked(text, codes) {
          const spans = [];
          for (const c of codes) {
            for (let i = 0; i + 1 < c.spans.length; i += 2) spans.push([c.spans[i], c.spans[i + 1]]);
          }
          spans.sort((a, b) => a[0] - b[0]);
          const out = document.createElement("p");
          out.className = "text";
          let at = 0;
          for (const [s, e] of spans) {
            if (e <= at) continue;
            const start = Math.max(s, at);
            out.appendChild(document.createTextNode(text.slice(at, start)));
            const m = document.createElement("mark");
            m.textContent = text.slice(start, e);
            out.appendChild(m);
            at = e;
          }
          out.appendChild(document.createTextNode(text.slice(at)));
          return out;
        }
        function stateText(d) {
          if (!d) return "";
          const done = { accept: "accepted", reject: "rejected", add: "added" }[d.d];
          let text = done + (d.reviewer ? " by " + d.reviewer : "");
          if (d.status && d.status.startsWith("stale")) text += " (stale: the passage changed; decide again)";
          else if (d.status === "nothing_to_do") text += " (nothing to do)";
          return text;
        }
        function element(tag, className, text) {
          const e = document.createElement(tag);
          if (className) e.className = className;
          if (text !== undefined) e.textContent = text;
          return e;
        }
        function button(act, key, label, pressed) {
          const b = element("button", "act", label);
          b.type = "button";
          b.dataset.act = act;
          b.dataset.theme = key;
          b.setAttribute("aria-pressed", pressed ? "true" : "false");
          return b;
        }
        function card(p) {
          const a = element("article");
          a.dataset.passage = p.id;
          const doc = DATA.d[p.doc] || ["", ""];
          const where = element("div", "where");
          const place = " · p. " + p.page + (p.headings ? " · " + p.headings : "") + " · ";
          where.append(doc[1] || doc[0], " · ", doc[0], place);
          where.appendChild(element("code", "", p.id));
          a.appendChild(where);
          const codes = inTheme(p);
          a.appendChild(marked(p.text, codes));
          const ul = element("ul", "codes");
          const mine = decisionsOf(p);
          const decisionOn = (key) => mine.find((d) => d.t === key);
          for (const c of codes) {
            const li = element("li");
            li.dataset.theme = c.key;
            const t = themes[themeIndex.get(c.key)];
            li.appendChild(element("span", "code-name", t ? t.name : c.key));
            if (c.flag) li.appendChild(element("span", "flag", FLAGS[c.flag] + ": not counted"));
            li.appendChild(element("span", "rules", "rules: " + c.rules.join(", ")));
            const own = decisionOn(c.key);
            const d = own || (c.key !== topOf(c.key) ? decisionOn(topOf(c.key)) : undefined);
            const live = d && d.d !== "add" ? d : undefined;
            li.appendChild(button("accept", c.key, "Accept", own && own.d === "accept"));
            li.appendChild(button("reject", c.key, "Reject", own && own.d === "reject"));
            const stale = live && live.status && live.status.startsWith("stale");
            li.appendChild(element("span", "state " + (live ? (stale ? "stale" : live.d) : ""), stateText(live)));
            ul.appendChild(li);
          }
          for (const d of mine) {
            if (d.d !== "add" || topOf(d.t) !== current) continue;
            const li = element("li");
            li.dataset.theme = d.t;
            const t = themes[themeIndex.get(d.t)];
            li.appendChild(element("span", "code-name", t ? t.name : d.t));
            li.appendChild(element("span", "state add", stateText(d)));
            li.appendChild(button("add", d.t, "Undo add", true));
            ul.appendChild(li);
          }
          a.appendChild(ul);
          const row = element("div", "add-row");
          const select = element("select");
          select.setAttribute("aria-label", "Theme to add");
          select.appendChild(new Option("Add a theme the rules missed…", ""));
          // The themes are listed when the menu is first used: fifty cards need not build fifty long menus.
          const fill = () => {
            if (select.options.length > 1) return;
            for (const t of themes) {
              if (codes.some((c) => c.key === t.key)) continue;
              select.appendChild(new Option((t.top ? "" : "\u2003") + t.name + " (" + t.frame + ")", t.key));
            }
          };
          select.addEventListener("focus", fill);
          select.addEventListener("pointerdown", fill);
          row.appendChild(select);
          const add = element("button", "act", "Add theme");
          add.type = "button";
          add.dataset.act = "add-selected";
          row.appendChild(add);
          const note = element("input");
          note.className = "note";
          note.placeholder = "Note (why)";
          note.setAttribute("aria-label", "Note");
          const first = mine.find((d) => d.note);
          note.value = work.notes[p.id] !== undefined ? work.notes[p.id] : first ? first.note : "";
          row.appendChild(note);
          a.appendChild(row);
          if (mine.length) a.classList.add("decided");
          return a;
        }
        function redraw(p) {
          const old = document.querySelector('article[data-passage="' + CSS.escape(p.id) + '"]');
          if (old) old.replaceWith(card(p));
        }

        $("list").addEventListener("click", (event) => {
          const b = event.target.closest("button[data-act]");
          if (!b) return;
          const p = passageById.get(b.closest("article").dataset.passage);
          if (b.dataset.act === "add-selected") {
            const key = b.closest("article").querySelector("select").value;
            if (!key) { say("Choose the theme to add first."); return; }
            decide(p, key, "add");
          } else {
            decide(p, b.dataset.theme, b.dataset.act);
          }
          redraw(p);
        });
        $("list").addEventListener("input", (event) => {
          if (!event.target.classList.contains("note")) return;
          const id = event.target.closest("article").dataset.passage;
          work.notes[id] = event.target.value;
          if (Object.values(work.decisions).some((d) => d.p === id)) work.unsaved = true;
          keep();
        });
        let timer = null;
        $("filter").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refilter, 200); });
        $("show").addEventListener("change", refilter);
        $("more").addEventListener("click", drawMore);
        $("save").addEventListener("click", save);
        $("reviewer").addEventListener("change", () => { work.reviewer = $("reviewer").value.trim(); keep(); });
        $("forget").addEventListener("click", () => {
          if (!confirm("Discard the decisions kept in this browser for these reports?")) return;
          localStorage.removeItem(STORE);
          work.unsaved = false;
          location.reload();
        });
        window.addEventListener("beforeunload", (event) => { if (work.unsaved) event.preventDefault(); });

        load();
        $("reviewer").value = work.reviewer || "";
        drawThemes();
        drawStatus();

        """#
}
