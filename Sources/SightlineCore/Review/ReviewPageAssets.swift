/// The style, markup and script of `review.html`, inline so the page needs nothing outside itself.
///
/// The script reads the JSON block `ReviewPage` writes, draws the list of
/// themes, and draws one theme's passages a page at a time, filtered by a
/// search box and a status menu. Decisions are kept in the browser's
/// `localStorage` (under a key naming the run's documents) as they are made;
/// "Download decisions.csv" writes them in the format `--decisions` reads:
/// `passage_id,theme,decision,reviewer,note,text_sha256`.
enum ReviewPageAssets {
    static let style = """
        :root { --ink: #1d2430; --muted: #5b6577; --line: #d5dae3; --accent: #1f5fa8; --reject: #a3262a;
          --accept: #23703a; --add: #6b3fa0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
        body { margin: 0; color: var(--ink); background: #f6f7f9; }
        header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line);
          padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: center; }
        header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
        header label { font-size: .9rem; }
        #status { color: var(--muted); font-size: .9rem; flex: 1; }
        #status.unsaved { color: var(--reject); }
        #message { flex-basis: 100%; color: var(--reject); font-size: .9rem; }
        #message:empty { display: none; }
        .layout { display: flex; align-items: flex-start; }
        nav { width: 17rem; flex: none; padding: .8rem; position: sticky; top: 4rem; max-height: calc(100vh - 5rem);
          overflow: auto; font-size: .9rem; }
        nav h2 { font-size: .8rem; text-transform: uppercase; color: var(--muted); margin: 1rem 0 .3rem; }
        nav button { display: flex; width: 100%; justify-content: space-between; gap: .5rem; text-align: left;
          border: 0; background: none; padding: .3rem .4rem; border-radius: 4px; cursor: pointer; font: inherit; }
        nav button:hover { background: #e8edf5; }
        nav button[aria-current="true"] { background: var(--accent); color: #fff; }
        main { flex: 1; min-width: 0; padding: .8rem 1rem 3rem; }
        .controls { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .6rem; }
        .controls input[type=search] { flex: 1; min-width: 12rem; padding: .35rem .5rem; }
        #shown { color: var(--muted); font-size: .9rem; }
        article { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem;
          margin-bottom: .7rem; }
        article.decided { border-left: 4px solid var(--accent); }
        .where { font-size: .82rem; color: var(--muted); margin-bottom: .3rem; }
        .where code { font-size: .8rem; }
        .text { line-height: 1.45; margin: .3rem 0 .5rem; white-space: pre-wrap; }
        mark { background: #ffe58a; padding: 0 .1em; border-radius: 2px; }
        ul.codes { list-style: none; padding: 0; margin: 0 0 .4rem; }
        ul.codes li { display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: center; padding: .25rem 0;
          border-top: 1px dashed var(--line); font-size: .9rem; }
        .code-name { font-weight: 600; }
        .flag { font-size: .75rem; background: #eee; border-radius: 3px; padding: 0 .3rem; color: #6a4b00; }
        .rules { color: var(--muted); font-size: .8rem; }
        .state { font-size: .8rem; font-weight: 600; }
        .state.reject { color: var(--reject); }
        .state.accept { color: var(--accept); }
        .state.add { color: var(--add); }
        .state.stale { color: #8a5a00; }
        button.act { font: inherit; font-size: .8rem; padding: .15rem .5rem; border: 1px solid var(--line);
          background: #fff; border-radius: 4px; cursor: pointer; }
        button.act[aria-pressed="true"][data-act="reject"] { background: var(--reject); color: #fff; }
        button.act[aria-pressed="true"][data-act="accept"] { background: var(--accept); color: #fff; }
        .add-row { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; font-size: .85rem; }
        .add-row select { min-width: 16rem; max-width: 22rem; }
        .add-row input { flex: 1; min-width: 10rem; padding: .25rem .4rem; }
        #more { margin: .5rem 0; }
        .hint { color: var(--muted); font-size: .9rem; }

        """

    static let body = """
        <header>
        <h1>Sightline review</h1>
        <label>Reviewer <input id="reviewer" autocomplete="name" placeholder="your name"></label>
        <span id="status"></span>
        <button id="save" type="button">Download decisions.csv</button>
        <button id="forget" type="button">Discard work kept in this browser</button>
        <div id="message" role="status"></div>
        </header>
        <div class="layout">
        <nav id="themes" aria-label="Themes"></nav>
        <main>
        <h2 id="theme-title">Choose a theme</h2>
        <p class="hint" id="hint">Each theme lists the passages coded for it, with the matched words marked and the
        rules that matched. Accept a flagged code to count it, reject a wrong one, or add a theme the rules missed;
        your decisions stay in this browser until you download them. Give the file to
        <code>sightline aggregate --decisions</code>.</p>
        <div class="controls" id="controls" hidden>
        <input type="search" id="filter" placeholder="Filter by words, source, heading or rule" aria-label="Filter">
        <select id="show" aria-label="Which passages">
        <option value="all">all passages</option><option value="counted">counted</option>
        <option value="flagged">flagged only (negated, hypothetical, boilerplate)</option>
        <option value="decided">decided</option><option value="undecided">not decided</option>
        </select>
        <span id="shown"></span>
        </div>
        <div id="list"></div>
        <button id="more" type="button" hidden>Show more</button>
        </main>
        </div>

        """

    static let script = ReviewPageScript.source
}
