"""HTML renderer: the review as an article on a partnership's web page.

Everything outside <article> is boilerplate the extractor has to drop: the
<head> (title, <style>, <script>), a cookie banner, the site header, a <nav>
menu, breadcrumbs, a sidebar, a newsletter <form>, the <footer>, and an HTML
comment. Inside the article: h1 (title block), h2/h3 headings, p, ul/li,
table with th/td, footnote markers as <sup><a>n</a></sup> and the footnote
texts in an <ol class="footnotes"> at the end (each with a '↩' back link).
Text uses entities (&amp; &rsquo; &nbsp; ...) and is wrapped over several
source lines, as CMS output is. One encoding mode writes windows-1252 bytes
(curly quotes are the bytes 0x91-0x94), the other UTF-8.
"""

import re

from source import (BulletList, Columns, Document, FootnoteDef, Heading,
                    PageBreak, Paragraph, Ref, ScanPage, Table, clean_text,
                    plain, split_front)


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


class Html:
    def __init__(self, cp1252: bool):
        self.cp1252 = cp1252

    def esc(self, text):
        t = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # a non-breaking space where a CMS editor would type one
        t = re.sub(r"\b(Child|Baby|Sibling|Young Person) ([A-Z])\b", r"\1&nbsp;\2", t)
        if not self.cp1252:
            t = t.replace("\u2019", "&rsquo;").replace("\u2018", "&lsquo;")
            t = t.replace("\u2013", "&ndash;").replace("\u00a3", "&pound;")
        return t

    def inline(self, inline):
        out = []
        for p in inline:
            if isinstance(p, Ref):
                out.append(f'<sup class="footnote-ref"><a href="#fn-{p.label}" '
                           f'id="fnref-{p.label}">{p.label}</a></sup>')
            else:
                out.append(self.esc(p))
        return "".join(out)


def wrap_html(s, indent, width=96):
    """Wrap at spaces outside tags, like a CMS template does."""
    tokens = re.findall(r"<[^>]*>|[^<\s]+|\s+", s)
    words, cur = [], ""
    for tok in tokens:
        if tok.isspace():
            if cur:
                words.append(cur)
                cur = ""
        else:
            cur += tok
    if cur:
        words.append(cur)
    lines, line = [], ""
    for w in words:
        if line and len(indent) + len(line) + 1 + len(w) > width:
            lines.append(indent + line)
            line = w
        else:
            line = (line + " " + w) if line else w
    if line:
        lines.append(indent + line)
    return "\n".join(lines)


CSS = """\
    :root { --brand: #1d4f73; --accent: #f2c400; }
    body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #222; line-height: 1.5; }
    .skip-link { position: absolute; left: -9999px; }
    .skip-link:focus { left: 1rem; top: 1rem; background: var(--accent); }
    .cookie-banner { background: #f3f2f1; padding: 1rem 2rem; border-bottom: 4px solid var(--brand); }
    .site-header { background: var(--brand); color: #fff; padding: 1rem 2rem; }
    .site-header a { color: #fff; font-size: 1.4rem; text-decoration: none; }
    nav ul { list-style: none; display: flex; gap: 1.5rem; margin: 0; padding: .5rem 2rem; background: #e8eef3; }
    main { display: grid; grid-template-columns: 3fr 1fr; gap: 2rem; padding: 1rem 2rem; }
    article h1 { font-size: 2rem; color: var(--brand); }
    table.chronology { border-collapse: collapse; width: 100%; }
    table.chronology th, table.chronology td { border: 1px solid #999; padding: .4rem; vertical-align: top; }
    sup.footnote-ref a { text-decoration: none; }
    ol.footnotes { font-size: .85rem; border-top: 1px solid #ccc; padding-top: 1rem; }
    .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; }
    footer { background: #222; color: #ddd; padding: 2rem; }
    /* "Content" strings below must never be extracted */
    .cookie-banner::before { content: "Cookies on this site"; font-weight: bold; display: block; }
"""

SCRIPT = """\
    window.dataLayer = window.dataLayer || [];
    function gtag() { dataLayer.push(arguments); }
    var cookieMessages = {
      accepted: "You have accepted additional cookies. You can change your cookie settings at any time.",
      rejected: "You have rejected additional cookies. You can change your cookie settings at any time."
    };
    document.addEventListener('DOMContentLoaded', function () {
      var banner = document.getElementById('cookie-banner');
      if (!banner) { return; }
      if (window.localStorage && localStorage.getItem('cookie-consent')) { banner.hidden = true; }
      banner.addEventListener('click', function (e) {
        if (e.target.tagName !== 'BUTTON') { return; }
        var ok = e.target.id === 'accept-cookies';
        localStorage.setItem('cookie-consent', ok ? 'yes' : 'no');
        banner.innerHTML = '<p>' + (ok ? cookieMessages.accepted : cookieMessages.rejected) + '</p>';
        if (ok) { gtag('consent', 'update', { analytics_storage: 'granted' }); }
      });
    });
"""


def render(doc: Document, cp1252: bool = False) -> bytes:
    meta = doc.meta
    h = Html(cp1252)
    partnership = clean_text(meta["partnership"])
    title = clean_text(meta["title"])
    short = clean_text(meta["short_title"])
    site = h.esc(partnership)
    charset = "windows-1252" if cp1252 else "utf-8"
    L = []
    a = L.append
    a("<!DOCTYPE html>")
    a('<html lang="en-GB">')
    a("<head>")
    a(f'  <meta charset="{charset}">')
    a('  <meta name="viewport" content="width=device-width, initial-scale=1">')
    a(f"  <title>{h.esc(short)} | {site}</title>")
    a(f'  <meta name="description" content="{h.esc(title)}">')
    a('  <link rel="stylesheet" href="/assets/css/site.min.css">')
    a("  <style>")
    a(CSS.rstrip("\n"))
    a("  </style>")
    a("  <script>")
    a(SCRIPT.rstrip("\n"))
    a("  </script>")
    a("</head>")
    a("<body>")
    a("<!-- page generated by the partnership content management system; cache key 7f3a9c -->")
    a('<a class="skip-link" href="#main-content">Skip to main content</a>')
    a('<div class="cookie-banner" id="cookie-banner" role="region" aria-label="Cookies on this site">')
    a("  <p>We use some essential cookies to make this website work. We&rsquo;d also like to set")
    a("  analytics cookies to understand how you use the site &amp; to improve our services.</p>")
    a('  <button type="button" id="accept-cookies">Accept analytics cookies</button>')
    a('  <button type="button" id="reject-cookies">Reject analytics cookies</button>')
    a('  <a href="/cookies">View cookies</a>')
    a("</div>")
    a('<header class="site-header">')
    a(f'  <a href="/" class="site-name">{site}</a>')
    a('  <p class="strapline">Working together to keep children safe</p>')
    a('  <form class="site-search" action="/search" method="get" role="search">')
    a('    <label for="q" class="visually-hidden">Search this site</label>')
    a('    <input type="search" id="q" name="q" placeholder="Search">')
    a('    <button type="submit">Search</button>')
    a("  </form>")
    a("</header>")
    a('<nav aria-label="Main menu">')
    a("  <ul>")
    for href, label in [("/", "Home"), ("/about-us", "About us"),
                        ("/professionals", "Professionals"),
                        ("/parents-and-carers", "Parents &amp; carers"),
                        ("/children-and-young-people", "Children &amp; young people"),
                        ("/learning-from-reviews", "Learning from reviews"),
                        ("/training", "Training &amp; events"), ("/contact-us", "Contact us")]:
        a(f'    <li><a href="{href}">{label}</a></li>')
    a("  </ul>")
    a("</nav>")
    a('<div class="breadcrumbs"><a href="/">Home</a> &rsaquo; '
      '<a href="/learning-from-reviews">Learning from reviews</a> &rsaquo; '
      f"{h.esc(short)}</div>")
    a('<main id="main-content">')
    a('  <div class="page-title">')
    a(f"    <h1>{h.esc(short)}</h1>")
    a(f'    <p class="page-updated">Page last updated: {int(meta["year"])}</p>')
    a("  </div>")
    a(f'  <article class="review" id="{slug(meta["id"])}">')
    ind = "    "
    cover, contents, _ = split_front(doc.blocks)
    cover_ids = {id(b) for b in cover}
    contents_ids = {id(b) for b in contents}
    anchors = {}
    for b in doc.all_blocks():
        if isinstance(b, Heading):
            anchors.setdefault(plain(b.inline).lower(), slug(plain(b.inline)))
    fns = []
    def walk(blocks):
        for b in blocks:
            if isinstance(b, Heading):
                lvl = b.level + 1
                a(f'{ind}<h{lvl} id="{slug(plain(b.inline))}">{h.inline(b.inline)}</h{lvl}>')
            elif isinstance(b, Paragraph):
                cls = ' class="review-cover"' if id(b) in cover_ids else ""
                a(wrap_html(f"<p{cls}>{h.inline(b.inline)}</p>", ind))
            elif isinstance(b, BulletList) and id(b) in contents_ids:
                a(f'{ind}<ul class="contents-list">')
                for it in b.items:
                    target = anchors.get(plain(it).lower())
                    inner = h.inline(it)
                    if target:
                        inner = f'<a href="#{target}">{inner}</a>'
                    a(wrap_html(f"<li>{inner}</li>", ind + "  "))
                a(f"{ind}</ul>")
            elif isinstance(b, BulletList):
                a(f"{ind}<ul>")
                for it in b.items:
                    a(wrap_html(f"<li>{h.inline(it)}</li>", ind + "  "))
                a(f"{ind}</ul>")
            elif isinstance(b, Table):
                a(f'{ind}<table class="chronology">')
                a(f"{ind}  <thead>")
                a(f"{ind}    <tr>" + "".join(f"<th scope=\"col\">{h.inline(c)}</th>" for c in b.rows[0]) + "</tr>")
                a(f"{ind}  </thead>")
                a(f"{ind}  <tbody>")
                for row in b.rows[1:]:
                    a(f"{ind}    <tr>")
                    for c in row:
                        a(wrap_html(f"<td>{h.inline(c)}</td>", ind + "      "))
                    a(f"{ind}    </tr>")
                a(f"{ind}  </tbody>")
                a(f"{ind}</table>")
            elif isinstance(b, FootnoteDef):
                fns.append(b)
            elif isinstance(b, Columns):
                a(f'{ind}<div class="two-columns">')
                walk(b.blocks)
                a(f"{ind}</div>")
            elif isinstance(b, (PageBreak, ScanPage)):
                pass
    walk(doc.blocks)
    if fns:
        a(f'{ind}<ol class="footnotes">')
        for f in fns:
            value = f' value="{f.label}"' if f.label.isdigit() else ""
            a(wrap_html(f'<li id="fn-{f.label}"{value}>{h.inline(f.inline)} '
                        f'<a href="#fnref-{f.label}" class="footnote-back" '
                        f'aria-label="Back to content">\u21a9</a></li>', ind + "  "))
        a(f"{ind}</ol>")
    a("  </article>")
    a('  <aside class="sidebar" aria-label="Related content">')
    a("    <h2>Related pages</h2>")
    a("    <ul>")
    a('      <li><a href="/learning-from-reviews">All published reviews</a></li>')
    a('      <li><a href="/professionals/escalation-policy">Escalation &amp; resolution policy</a></li>')
    a('      <li><a href="/training">Multi-agency training</a></li>')
    a("    </ul>")
    a(f'    <p><a href="/documents/{meta["id"]}.pdf">Download this review (PDF, 1.2MB)</a></p>')
    a("  </aside>")
    a("</main>")
    a('<section class="newsletter">')
    a('  <form action="/newsletter/subscribe" method="post" class="newsletter-form">')
    a("    <h2>Sign up for our newsletter</h2>")
    a("    <p>Get the latest learning, briefings &amp; training dates by email.</p>")
    a('    <label for="email">Email address</label>')
    a('    <input type="email" id="email" name="email" autocomplete="email" required>')
    a('    <input type="hidden" name="list" value="practitioners">')
    a('    <button type="submit">Subscribe</button>')
    a("  </form>")
    a("</section>")
    a('<footer class="site-footer">')
    a(f"  <p>&copy; {int(meta['year']) + 1} {site}. All rights reserved.</p>")
    a("  <ul>")
    a('    <li><a href="/accessibility-statement">Accessibility statement</a></li>')
    a('    <li><a href="/privacy-notice">Privacy notice</a></li>')
    a('    <li><a href="/cookies">Cookies</a></li>')
    a('    <li><a href="/contact-us">Contact us</a></li>')
    a("  </ul>")
    a("</footer>")
    a("</body>")
    a("</html>")
    text = "\n".join(L) + "\n"
    if cp1252:
        return text.encode("cp1252", errors="xmlcharrefreplace")
    return text.encode("utf-8")
